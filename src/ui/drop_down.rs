//! Drop-downs (egui's `ComboBox`) worked by keyboard as on a desktop.
//!
//! egui 0.37 opens a focused drop-down on Space or Enter (its keyboard
//! click) and moves the focus through the open list with the arrows, but
//! a pick by keyboard (Enter or Space on an entry) leaves the list open,
//! Escape leaves the focus nowhere (so the next key went to the dialog or
//! the table behind), and Alt+Down does nothing. Every drop-down of the
//! console is shown through `DropDown::drop_down`, which fills those gaps
//! (a source rule checks that no `show_ui` is called elsewhere):
//! - Space, Enter, Alt+Down or F4 on the focused drop-down opens its list;
//! - Up and Down move the highlight in the open list (egui's);
//! - Enter or Space picks the highlighted entry and closes only the list,
//!   Escape closes only the list; either way the drop-down keeps the focus.
//!
//! The dialog in front leaves Enter and Escape to an open list, and Enter
//! to a focused drop-down (`list_open`, `takes_enter`): its default button and its
//! Escape act only when no list is open.

use egui::{ComboBox, Id, InnerResponse, Key, Modifiers, Popup, Ui};

/// Where the drop-down that had the focus at the end of the last frame is
/// kept (`takes_enter` reads it before the next frame is drawn).
fn focused_id() -> Id {
    Id::unique("ia-licensing-focused-drop-down")
}

/// The popup egui keeps a drop-down's list in (`ComboBox::widget_to_popup_id`).
fn popup_id(button: Id) -> Id {
    button.with("popup")
}

/// A drop-down shown with the keys of a desktop's (see the module).
pub trait DropDown {
    /// `ComboBox::show_ui`, with the keys of a desktop's drop-down.
    fn drop_down<R>(self, ui: &mut Ui, contents: impl FnOnce(&mut Ui) -> R) -> InnerResponse<Option<R>>;
}

impl DropDown for ComboBox<'_> {
    fn drop_down<R>(self, ui: &mut Ui, contents: impl FnOnce(&mut Ui) -> R) -> InnerResponse<Option<R>> {
        let shown = self.show_ui(ui, contents);
        let button = &shown.response;
        // Drawn this frame and not toggled by a click this frame: the list
        // was open when this frame's keys came.
        let was_open = shown.inner.is_some() && !button.clicked();
        let ctx = ui.ctx().clone();
        let (pick, escape) = ui.input(|i| {
            (
                i.key_pressed(Key::Enter) || i.key_pressed(Key::Space),
                i.key_pressed(Key::Escape),
            )
        });
        if was_open && (pick || escape) {
            // The entry took Enter or Space as its click (egui's keyboard
            // click); Escape: egui has closed the list and let go of the
            // focus. Only the list closes; the drop-down keeps the focus,
            // and the keys are spent (the table behind or the dialog's
            // default button would act on them otherwise).
            Popup::close_id(&ctx, popup_id(button.id));
            button.request_focus();
            ui.input_mut(|i| {
                for key in [Key::Enter, Key::Space, Key::Escape] {
                    i.consume_key(Modifiers::NONE, key);
                }
            });
            ctx.request_repaint();
        } else if !was_open && button.has_focus() {
            let open = ui
                .input_mut(|i| i.consume_key(Modifiers::ALT, Key::ArrowDown) | i.consume_key(Modifiers::NONE, Key::F4));
            if open {
                Popup::open_id(&ctx, popup_id(button.id));
                ctx.request_repaint();
            }
        }
        if button.has_focus() || button.gained_focus() {
            let pass = ctx.cumulative_pass_nr();
            ctx.data_mut(|d| d.insert_temp(focused_id(), (pass, button.id)));
        }
        shown
    }
}

/// Is a list open? Then Escape is the list's (it closes only the list).
/// Asked before the dialog in front is drawn.
pub fn list_open(ctx: &egui::Context) -> bool {
    Popup::is_any_open(ctx)
}

/// Does an open list, or the focused drop-down, own this frame's Enter?
/// Asked before the dialog in front is drawn: an open list takes Enter
/// (the pick), a focused drop-down takes it to open its list, as on a
/// desktop.
pub fn takes_enter(ctx: &egui::Context) -> bool {
    if list_open(ctx) {
        return true;
    }
    let focused = ctx.memory(egui::Memory::focused);
    let last = ctx.data(|d| d.get_temp::<(u64, Id)>(focused_id()));
    // Focused at the end of the last frame, and still focused.
    matches!((last, focused), (Some((pass, id)), Some(now))
        if id == now && pass + 1 >= ctx.cumulative_pass_nr())
}
