//! Small drawing helpers. Markers are painted as shapes, not glyphs: the
//! bundled UI font has no symbol glyphs, and a missing glyph would show as
//! a box (or fail a UI test).

use egui::{Color32, Pos2, Sense, Shape, Stroke, Ui, vec2};

/// The border of a text field at rest. egui draws none (only when hovered
/// or focused), so a white field on a light panel or a striped row could
/// not be seen (1.05:1) and nobody knew where to type. Mid grey stands out
/// from every background of both themes by 3:1 or more (WCAG 1.4.11 for
/// the boundary of a control; `tests/it/ui_contrast.rs` checks it).
pub const FIELD_BORDER: Color32 = Color32::from_gray(128);

/// A text field with its border always shown (see `FIELD_BORDER`): every
/// text field of the console is added through here. Hovered or focused,
/// egui's own border (grey, or the selection colour) shows instead.
pub fn field(ui: &mut Ui, edit: egui::TextEdit<'_>) -> egui::Response {
    let response = ui.add(edit);
    field_border(ui, &response);
    response
}

/// `field` at a fixed size (in a grid, a field only as wide as it wants
/// would stay as narrow as its column was the frame before).
pub fn field_sized(ui: &mut Ui, size: egui::Vec2, edit: egui::TextEdit<'_>) -> egui::Response {
    let response = ui.add_sized(size, edit);
    field_border(ui, &response);
    response
}

fn field_border(ui: &Ui, field: &egui::Response) {
    if !field.has_focus() && !field.hovered() && ui.is_rect_visible(field.rect) {
        ui.painter().rect_stroke(
            field.rect,
            ui.visuals().widgets.inactive.corner_radius,
            Stroke::new(1.0, FIELD_BORDER),
            egui::StrokeKind::Inside,
        );
    }
}

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

/// Status colours, one set per theme, each with a contrast ratio of at
/// least 4.5 (WCAG AA for text) against the panel and window backgrounds of
/// its theme (checked by `tests/it/ui_contrast.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Error,
    Warning,
    Info,
    Good,
}

impl Tone {
    pub const ALL: [Tone; 4] = [Tone::Error, Tone::Warning, Tone::Info, Tone::Good];

    pub fn colour(self, dark: bool) -> Color32 {
        match (self, dark) {
            (Tone::Error, false) => Color32::from_rgb(0xC0, 0x20, 0x20),
            (Tone::Error, true) => Color32::from_rgb(0xFF, 0x70, 0x70),
            (Tone::Warning, false) => Color32::from_rgb(0x8A, 0x5A, 0x00),
            (Tone::Warning, true) => Color32::from_rgb(0xF0, 0xB0, 0x40),
            (Tone::Info, false) => Color32::from_rgb(0x20, 0x60, 0xB0),
            (Tone::Info, true) => Color32::from_rgb(0x70, 0xA8, 0xFF),
            (Tone::Good, false) => Color32::from_rgb(0x1E, 0x7A, 0x30),
            (Tone::Good, true) => Color32::from_rgb(0x5C, 0xC8, 0x70),
        }
    }
}

pub fn error_red(ui: &Ui) -> Color32 {
    Tone::Error.colour(ui.visuals().dark_mode)
}
pub fn warning_amber(ui: &Ui) -> Color32 {
    Tone::Warning.colour(ui.visuals().dark_mode)
}
pub fn info_blue(ui: &Ui) -> Color32 {
    Tone::Info.colour(ui.visuals().dark_mode)
}
pub fn good_green(ui: &Ui) -> Color32 {
    Tone::Good.colour(ui.visuals().dark_mode)
}

/// The console's visuals for a theme: egui's, with text colours that meet
/// WCAG AA (egui's dark text and both themes' weak text are dimmer).
pub fn visuals(dark: bool) -> egui::Visuals {
    let mut v = if dark {
        egui::Visuals::dark()
    } else {
        egui::Visuals::light()
    };
    if dark {
        v.widgets.noninteractive.fg_stroke.color = Color32::from_gray(200);
        v.weak_text_color = Some(Color32::from_gray(150));
    } else {
        v.weak_text_color = Some(Color32::from_gray(96));
    }
    v
}

/// Installs `visuals` for both themes (the theme switch picks one).
pub fn install_visuals(ctx: &egui::Context) {
    ctx.set_visuals_of(egui::Theme::Dark, visuals(true));
    ctx.set_visuals_of(egui::Theme::Light, visuals(false));
    // A scrollbar over 100k rows keeps a thumb that can be grabbed.
    // Solid scroll bars, as a desktop console has: a table wider than the
    // window shows that it scrolls sideways.
    ctx.all_styles_mut(|s| {
        s.spacing.scroll = egui::style::ScrollStyle::solid();
        s.spacing.scroll.handle_min_length = 32.0;
    });
}

/// A modal dialog anchored near the top of the window: it grows downwards
/// when a message appears, so its buttons never jump away from the pointer
/// (egui centres modals by default, which moves them as they grow).
pub fn modal(name: &str) -> egui::Modal {
    let id = egui::Id::unique(name);
    egui::Modal::new(id).area(egui::Modal::default_area(id).anchor(egui::Align2::CENTER_TOP, egui::vec2(0.0, 90.0)))
}

/// Where the dialog in front keeps this frame's Enter (see `take_enter`).
fn enter_id() -> egui::Id {
    egui::Id::unique("ia-licensing-dialog-enter")
}

/// Takes this frame's Enter for the dialog in front, before any of its
/// widgets is drawn: a focused checkbox or button would otherwise take
/// Enter as a click (egui's keyboard click), so Enter toggled a checkbox
/// instead of pressing the default button. Space still clicks the focused
/// widget. Called once a frame by the modal handler. An open drop-down
/// list keeps Enter (the pick), and so does a focused drop-down (Enter
/// opens it): the default button does not act then
/// (`crate::ui::drop_down`).
pub fn take_enter(ctx: &egui::Context) {
    let pressed = !crate::ui::drop_down::takes_enter(ctx)
        && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
    let pass = ctx.cumulative_pass_nr();
    ctx.data_mut(|d| d.insert_temp(enter_id(), (pass, pressed)));
}

/// Enter, which presses a dialog's default button (as on a desktop):
/// anywhere in the dialog, whatever has the focus (no dialog holds a
/// multi-line text field). Outside a dialog, the key as pressed.
pub fn enter_pressed(ui: &Ui) -> bool {
    let pass = ui.ctx().cumulative_pass_nr();
    match ui.ctx().data(|d| d.get_temp::<(u64, bool)>(enter_id())) {
        Some((at, pressed)) if at == pass => pressed,
        _ => ui.input(|i| i.key_pressed(egui::Key::Enter)),
    }
}

/// A dialog's default button (the one Enter presses), drawn selected so
/// the user sees which it is, as the large-change confirmation draws Apply.
/// Disabled, it is still the default (drawn so, greyed): Enter does
/// nothing until it can act. Every dialog marks its one default button
/// so (`tests/it/ui_dialogs.rs` checks each of the one list).
pub fn default_button(ui: &mut Ui, enabled: bool, text: &str) -> egui::Response {
    dialog_button(ui, enabled, true, text)
}

/// A dialog's button that is the default (drawn selected) or not, as the
/// state of the dialog decides (Apply or Cancel after a preview).
pub fn dialog_button(ui: &mut Ui, enabled: bool, default: bool, text: &str) -> egui::Response {
    ui.add_enabled(enabled, egui::Button::new(text).selected(default))
}

/// WCAG relative luminance of an sRGB colour.
pub fn luminance(c: Color32) -> f64 {
    let lin = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.r()) + 0.7152 * lin(c.g()) + 0.0722 * lin(c.b())
}

/// WCAG contrast ratio of two colours (1 to 21).
pub fn contrast(a: Color32, b: Color32) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// What a progress window shows for work running in the background.
pub struct Progress<'a> {
    /// What is under way: "Opening site.ialws", "Applying Apply policies".
    pub heading: String,
    /// The current stage, in words.
    pub detail: String,
    pub fraction: f32,
    pub started: std::time::Instant,
    /// What happens to the open data meanwhile.
    pub note: &'a str,
}

/// `"{verb} {file name}"`, the heading of a file's progress window.
pub fn file_heading(verb: &str, path: &std::path::Path) -> String {
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    format!("{verb} {name}")
}

/// A modal progress window with Cancel; true when Cancel was clicked.
pub fn progress_window(ctx: &egui::Context, id: &str, p: Progress<'_>) -> bool {
    progress_modal(ctx, id, p, true)
}

/// A modal progress window for work that cannot be stopped (a save).
pub fn busy_window(ctx: &egui::Context, id: &str, p: Progress<'_>) {
    progress_modal(ctx, id, p, false);
}

fn progress_modal(ctx: &egui::Context, id: &str, p: Progress<'_>, cancellable: bool) -> bool {
    let mut cancel = false;
    egui::Modal::new(egui::Id::unique(id)).show(ctx, |ui| {
        ui.set_width(440.0);
        ui.heading(p.heading);
        ui.label(p.detail);
        ui.add(egui::ProgressBar::new(p.fraction).show_percentage().animate(true));
        ui.label(format!("{:.1} s · {}", p.started.elapsed().as_secs_f32(), p.note));
        if cancellable {
            ui.add_space(4.0);
            cancel = ui.button("Cancel").clicked();
        }
    });
    cancel
}

/// A column header of a grid: strong text that a screen reader (and the
/// layout test, which checks that every header can be reached) knows as a
/// column header, not as any label.
pub fn column_header(ui: &mut egui::Ui, text: impl Into<egui::WidgetText>) -> egui::Response {
    let text = text.into();
    let words = text.text().to_string();
    if words.is_empty() {
        // A column without a header (buttons at the end of each row): no
        // nameless header for a screen reader.
        return ui.label("");
    }
    let response = ui.add(egui::Label::new(text.strong()));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::ColumnHeader, true, &words));
    response
}

fn locked_reason_id() -> egui::Id {
    egui::Id::unique("ia-locked-reason")
}

/// Sets, for this frame, why nothing in the document may change (the
/// editing session's one answer: read-only, or the system disabled), or
/// that it may. The views' disabled actions show it on hover
/// (`explain_locked`) without each being handed it.
pub fn set_locked_reason(ctx: &egui::Context, why: Option<String>) {
    ctx.data_mut(|d| match why {
        Some(why) => {
            d.insert_temp(locked_reason_id(), std::sync::Arc::new(why));
        }
        None => {
            d.remove::<std::sync::Arc<String>>(locked_reason_id());
        }
    });
}

/// Why nothing may change, when nothing may (see `set_locked_reason`).
pub fn locked_reason(ctx: &egui::Context) -> Option<std::sync::Arc<String>> {
    ctx.data(|d| d.get_temp::<std::sync::Arc<String>>(locked_reason_id()))
}

/// A disabled action that would change the document says why on hover
/// while editing is locked (as File › Save and Load License… do), instead
/// of being grey without a word.
pub fn explain_locked(response: egui::Response) -> egui::Response {
    match locked_reason(&response.ctx) {
        Some(why) if !response.enabled() => response.on_disabled_hover_text(why.as_str()),
        _ => response,
    }
}

/// `ui.add_enabled(enabled, button)` for an action that changes the
/// document: disabled, it says why on hover while editing is locked.
pub fn edit_button(ui: &mut egui::Ui, enabled: bool, button: egui::Button<'_>) -> egui::Response {
    explain_locked(ui.add_enabled(enabled, button))
}

/// A subject in a list that mixes kinds: "user alice", "station ws-101";
/// an ID that already starts with its kind's word is not given it twice
/// ("user000000", not "user user000000").
pub fn subject_words(noun: &str, id: &str) -> String {
    let id = crate::core::text::safe(id);
    if id.get(..noun.len()).is_some_and(|p| p.eq_ignore_ascii_case(noun)) {
        id.into_owned()
    } else {
        format!("{noun} {id}")
    }
}

/// A check item of a menu (View › Dark theme, Warnings panel). egui marks
/// a focused checkbox on its small box only, which is hard to see in a
/// menu where the buttons around it fill their whole row: the row is
/// filled here as a menu button's is, focused or pressed (the active
/// colour) and hovered.
pub fn menu_check(ui: &mut Ui, checked: &mut bool, text: &str) -> egui::Response {
    let behind = ui.painter().add(egui::Shape::Noop);
    let response = ui.checkbox(checked, text);
    let widgets = &ui.visuals().widgets;
    let visuals = if response.has_focus() || response.is_pointer_button_down_on() {
        Some(widgets.active)
    } else if response.hovered() {
        Some(widgets.hovered)
    } else {
        None
    };
    if let Some(v) = visuals {
        // As wide as the menu (its buttons are justified to its width).
        let row = egui::Rect::from_x_y_ranges(ui.max_rect().x_range(), response.rect.y_range());
        let row = row.union(response.rect);
        ui.painter().set(
            behind,
            egui::epaint::RectShape::filled(row, v.corner_radius, v.weak_bg_fill),
        );
    }
    response
}
