//! View › Messages: every message the status bar showed this session,
//! newest first, in full and copyable. The status bar has room for one
//! line; a long message is cut there and read here (or on hover).

/// One status-bar message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Local time of day it appeared.
    pub at: String,
    /// A confirmation (`true`) or a problem.
    pub ok: bool,
    pub text: String,
}

/// How many messages are kept (the oldest go first).
const KEPT: usize = 1000;

#[derive(Default)]
pub struct MessageLog {
    pub entries: Vec<Entry>,
    pub open: bool,
    /// In front of the console, the window owns the keyboard.
    keys: crate::ui::front::KeyOwner,
}

impl MessageLog {
    pub fn push(&mut self, ok: bool, text: &str) {
        if self.entries.len() >= KEPT {
            self.entries.remove(0);
        }
        self.entries.push(Entry {
            at: chrono::Local::now().format("%H:%M:%S").to_string(),
            ok,
            text: text.to_string(),
        });
    }

    /// Is the window open and in front (its keys are not the console's)?
    pub fn owns_keyboard(&self) -> bool {
        self.open && self.keys.owns()
    }

    /// Draws the window; `in_front`: no dialog is open over it (then
    /// Escape is the dialog's).
    pub fn ui(&mut self, ctx: &egui::Context, in_front: bool) {
        if !self.open {
            self.keys.track(ctx, None);
            return;
        }
        // Just opened (not drawn yet): in front.
        let owned = self.keys.owns() || !self.keys.shown();
        let mut open = true;
        let screen = ctx.content_rect();
        let shown = egui::Window::new("Messages")
            .id(egui::Id::unique("messages-window"))
            .open(&mut open)
            .resizable(true)
            .collapsible(false)
            .default_size(egui::vec2((screen.width() * 0.5).clamp(320.0, 720.0), 320.0))
            .max_size(screen.size() - egui::vec2(16.0, 16.0))
            .pivot(egui::Align2::RIGHT_BOTTOM)
            .default_pos(screen.right_bottom() - egui::vec2(12.0, 40.0))
            .constrain(true)
            .show(ctx, |ui| self.contents(ui));
        if owned && in_front && ctx.input(|i| i.key_pressed(egui::Key::Escape)) && !ctx.text_edit_focused() {
            open = false;
        }
        self.open = open;
        self.keys.track(ctx, shown.filter(|_| open).map(|r| r.response.rect));
    }

    fn contents(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.label(crate::core::text::count(self.entries.len(), "message", "messages"));
            if ui
                .add_enabled(!self.entries.is_empty(), egui::Button::new("Copy all"))
                .clicked()
            {
                let text: Vec<String> = self
                    .entries
                    .iter()
                    .map(|e| format!("{}  {}{}", e.at, if e.ok { "" } else { "Problem: " }, e.text))
                    .collect();
                ui.ctx().copy_text(text.join("\n"));
            }
            if ui
                .add_enabled(!self.entries.is_empty(), egui::Button::new("Clear"))
                .clicked()
            {
                self.entries.clear();
            }
        });
        ui.separator();
        if self.entries.is_empty() {
            ui.label("No messages yet.");
            return;
        }
        let red = crate::ui::widgets::error_red(ui);
        egui::ScrollArea::vertical().auto_shrink([false, true]).show(ui, |ui| {
            for e in self.entries.iter().rev() {
                ui.horizontal_top(|ui| {
                    ui.label(egui::RichText::new(&e.at).weak().monospace());
                    let text = egui::RichText::new(&e.text);
                    let text = if e.ok { text } else { text.color(red) };
                    ui.add(egui::Label::new(text).wrap().selectable(true));
                });
            }
        });
    }
}
