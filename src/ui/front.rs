//! Which floating window (Help, View › Messages) has the keyboard.
//!
//! A window that floats beside the console is in front when it has just
//! opened or was last clicked, and then owns the keyboard as a dialog or a
//! menu does: Delete, Enter and the arrows are not the table's behind it.
//! A click on the console behind gives the keyboard back to it while the
//! window stays open (as a desktop's tool windows do), and a click on the
//! window takes it again.

/// The keyboard state of one floating window.
#[derive(Debug, Default)]
pub struct KeyOwner {
    /// Drawn in the last frame.
    shown: bool,
    /// Opened or clicked last (in front of the console).
    active: bool,
}

impl KeyOwner {
    /// Does the window own the keyboard (open and in front)?
    pub fn owns(&self) -> bool {
        self.shown && self.active
    }

    /// Was the window drawn in the last frame?
    pub fn shown(&self) -> bool {
        self.shown
    }

    /// The window was asked for again while open (F1 over the console):
    /// it comes to the front.
    pub fn bring_to_front(&mut self) {
        self.active = true;
    }

    /// Called each frame after the window is drawn at `rect`, or with
    /// `None` when it is closed: a window just opened is in front, and a
    /// press decides it (on the window: in front; elsewhere: behind).
    pub fn track(&mut self, ctx: &egui::Context, rect: Option<egui::Rect>) {
        let Some(rect) = rect else {
            *self = KeyOwner::default();
            return;
        };
        if !self.shown {
            self.active = true;
            self.shown = true;
        }
        let pressed_at = ctx.input(|i| i.pointer.any_pressed().then(|| i.pointer.press_origin()).flatten());
        if let Some(at) = pressed_at {
            self.active = rect.contains(at);
        }
    }
}
