//! What a screen reader and the keyboard need that egui and egui_extras do
//! not give by themselves (`tests/it/ui_accessibility.rs` checks every
//! view and dialog for it; docs/testing.md states the rules):
//!
//! - resize handles named for what they resize: egui calls every panel's
//!   handle "Resize panel", so two panels' handles could not be told apart
//!   by ear;
//! - a table's column resize handles kept out of the Tab order and out of
//!   the screen reader's way: egui_extras gives them the keyboard focus but
//!   no name, and the keyboard cannot drag them (they are the mouse's; the
//!   columns fit the window by themselves), and drawn after the table's
//!   body they would come, unnamed, after the last column's header;
//! - a row of buttons at the right edge that Tab crosses left to right, as
//!   it reads (egui's right-to-left layout makes Tab go right to left).

use egui::{Id, Rect, Sense, Ui, accesskit};

/// The handles (click, drag and keyboard focus: egui's panel and
/// egui_extras' column resize handles) that `add` registered on `ui`'s
/// layer, with their rectangles, in the order they were drawn.
fn handles_added<R>(ui: &mut Ui, add: impl FnOnce(&mut Ui) -> R) -> (R, Vec<(Id, Rect)>) {
    let layer = ui.layer_id();
    let count = |ui: &Ui| ui.ctx().viewport(|v| v.this_pass.widgets.get_layer(layer).count());
    let first = count(ui);
    let inner = add(ui);
    let handles = ui.ctx().viewport(|v| {
        v.this_pass
            .widgets
            .get_layer(layer)
            .skip(first)
            .filter(|w| w.sense == Sense::click_and_drag())
            .map(|w| (w.id, w.rect))
            .collect()
    });
    (inner, handles)
}

/// Shows a resizable panel (`show` calls the panel's `show`) and names its
/// resize handle `name` ("Resize the navigation panel").
pub fn name_panel_handle<R>(ui: &mut Ui, name: &str, show: impl FnOnce(&mut Ui) -> R) -> R {
    let (inner, handles) = handles_added(ui, show);
    for (id, _) in handles {
        ui.ctx().accesskit_node_builder(id, |node| {
            // Not a table's column handles inside the panel (hidden, and
            // named for their columns).
            if node.role() == accesskit::Role::Splitter && !node.is_hidden() {
                node.set_label(name);
            }
        });
    }
    inner
}

/// A table's column handles the keyboard landed on, to pass over next
/// frame in the way it was going.
#[derive(Clone, Default)]
struct Passing {
    handles: Vec<Id>,
    direction: egui::FocusDirection,
}

/// The way the last Tab went (Shift+Tab: back), kept between frames: egui
/// moves the focus back one frame after the key.
fn tab_direction(ctx: &egui::Context) -> egui::FocusDirection {
    let key = Id::unique("ia-licensing-last-tab");
    let pressed = ctx.input(|i| {
        i.events.iter().find_map(|e| match e {
            egui::Event::Key {
                key: egui::Key::Tab,
                pressed: true,
                modifiers,
                ..
            } => Some(if modifiers.shift {
                egui::FocusDirection::Previous
            } else {
                egui::FocusDirection::Next
            }),
            _ => None,
        })
    });
    match pressed {
        Some(direction) => {
            ctx.data_mut(|d| d.insert_temp(key, direction));
            direction
        }
        None => ctx.data(|d| d.get_temp(key)).unwrap_or_default(),
    }
}

/// Shows an egui_extras table (`show` builds it; `key` names it) whose
/// columns, in order, are `columns`, and keeps its column resize handles
/// for the mouse: hidden from the accessibility tree (named all the same,
/// for a tool that lists hidden nodes), and passed over by Tab and
/// Shift+Tab. egui_extras registers the handles one after another after
/// the table's body, so the focus that lands on one is sent on from the
/// last (Tab) or the first (Shift+Tab) the next frame.
pub fn table_with_mouse_handles<R>(ui: &mut Ui, key: Id, columns: &[&str], show: impl FnOnce(&mut Ui) -> R) -> R {
    let ctx = ui.ctx().clone();
    let key = key.with("column-handles");
    let direction = tab_direction(&ctx);
    // The focus landed on a handle last frame: send it on, before the
    // handles ask for it again this frame.
    let passing = ctx.data_mut(|d| d.remove_temp::<Passing>(key));
    let focused = ctx.memory(|m| m.focused());
    if let Some(p) = passing
        && focused.is_some_and(|f| p.handles.contains(&f))
    {
        let from = match p.direction {
            egui::FocusDirection::Previous => p.handles.first(),
            _ => p.handles.last(),
        };
        if let Some(&from) = from {
            ctx.memory_mut(|m| {
                m.request_focus(from);
                m.move_focus(p.direction);
            });
        }
    }
    let (inner, mut handles) = handles_added(ui, show);
    handles.sort_by(|a, b| a.1.center().x.total_cmp(&b.1.center().x));
    for (i, (id, _)) in handles.iter().enumerate() {
        ctx.accesskit_node_builder(*id, |node| {
            node.set_role(accesskit::Role::Splitter);
            node.set_orientation(accesskit::Orientation::Vertical);
            if let Some(column) = columns.get(i) {
                node.set_label(format!("Resize the {column} column"));
            }
            node.set_hidden();
        });
    }
    // In the order drawn (the focus order).
    let ids: Vec<Id> = {
        let mut ids: Vec<Id> = handles.into_iter().map(|(id, _)| id).collect();
        ids.sort_by_key(|id| ctx.viewport(|v| v.this_pass.widgets.order(*id).map(|(_, n)| n)));
        ids
    };
    let focused = ctx.memory(|m| m.focused());
    if focused.is_some_and(|f| ids.contains(&f)) {
        ctx.data_mut(|d| {
            d.insert_temp(
                key,
                Passing {
                    handles: ids,
                    direction,
                },
            )
        });
        ctx.request_repaint();
    }
    inner
}

/// Widgets in a row at the right edge (`ui` lays out left to right), in
/// the order they are added: left to right on screen and for Tab. The
/// row's width is the one it took last frame (its first frame it starts
/// at the left and asks for another).
pub fn right_aligned<R>(ui: &mut Ui, key: Id, add: impl FnOnce(&mut Ui) -> R) -> R {
    let key = key.with("right-aligned-width");
    let width: Option<f32> = ui.ctx().data(|d| d.get_temp(key));
    let room = ui.available_width() - width.unwrap_or(0.0);
    if width.is_some() && room > 0.0 {
        ui.add_space(room);
    }
    let shown = ui.scope(add);
    let taken = shown.response.rect.width();
    if width.is_none_or(|w| (w - taken).abs() > 0.5) {
        ui.ctx().data_mut(|d| d.insert_temp(key, taken));
        ui.ctx().request_repaint();
    }
    shown.inner
}
