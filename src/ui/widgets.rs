//! Small drawing helpers. Markers are painted as shapes, not glyphs: the
//! bundled UI font has no symbol glyphs, and a missing glyph would show as
//! a box (or fail a UI test).

use egui::{Color32, Pos2, Sense, Shape, Stroke, Ui, vec2};

/// A filled dot (severity marker).
pub fn dot(ui: &mut Ui, color: Color32) {
    let size = ui.text_style_height(&egui::TextStyle::Body);
    let (rect, _) = ui.allocate_exact_size(vec2(size * 0.8, size), Sense::hover());
    ui.painter().circle_filled(rect.center(), size * 0.3, color);
}

/// A small triangle pointing up (ascending) or down (descending).
pub fn sort_arrow(ui: &mut Ui, descending: bool) {
    let size = ui.text_style_height(&egui::TextStyle::Body) * 0.7;
    let (rect, _) = ui.allocate_exact_size(vec2(size, size), Sense::hover());
    let c = rect.center();
    let h = size * 0.35;
    let points: Vec<Pos2> = if descending {
        vec![c + vec2(-h, -h * 0.6), c + vec2(h, -h * 0.6), c + vec2(0.0, h * 0.8)]
    } else {
        vec![c + vec2(-h, h * 0.6), c + vec2(h, h * 0.6), c + vec2(0.0, -h * 0.8)]
    };
    ui.painter()
        .add(Shape::convex_polygon(points, ui.visuals().text_color(), Stroke::NONE));
}

pub const ERROR_RED: Color32 = Color32::from_rgb(0xC0, 0x20, 0x20);
pub const WARNING_AMBER: Color32 = Color32::from_rgb(0xB0, 0x70, 0x00);
pub const INFO_BLUE: Color32 = Color32::from_rgb(0x20, 0x60, 0xB0);

/// What a progress window shows for work running in the background.
pub struct Progress<'a> {
    /// "Opening" / "Importing": the heading is `{verb} {file name}`.
    pub verb: &'a str,
    pub path: &'a std::path::Path,
    /// The current stage, in words.
    pub detail: String,
    pub fraction: f32,
    pub started: std::time::Instant,
    /// What happens to the open data meanwhile.
    pub note: &'a str,
}

/// A modal progress window with Cancel; true when Cancel was clicked.
pub fn progress_window(ctx: &egui::Context, id: &str, p: Progress<'_>) -> bool {
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_width(440.0);
        let name = p
            .path
            .file_name()
            .map_or_else(|| p.path.display().to_string(), |n| n.to_string_lossy().into_owned());
        ui.heading(format!("{} {name}", p.verb));
        ui.label(p.detail);
        ui.add(egui::ProgressBar::new(p.fraction).show_percentage().animate(true));
        ui.label(format!("{:.1} s · {}", p.started.elapsed().as_secs_f32(), p.note));
        ui.add_space(4.0);
        cancel = ui.button("Cancel").clicked();
    });
    cancel
}
