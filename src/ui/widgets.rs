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
