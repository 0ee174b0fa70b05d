//! A frame's input read in the order the user gave it.
//!
//! egui reads all the events that arrived since the last frame as one
//! frame. When a frame is slow (a large site, a software renderer), a
//! burst a user typed in sequence arrives together and is read as if it
//! happened at once:
//! - **a click, then keys**: a text field handles the frame's keys before it
//!   takes the click that focuses it (egui 0.37), so the keys typed right
//!   after the click are lost ("120.5" typed into a price field just after
//!   clicking it was saved as 5.00);
//! - **keys, then a click**: Escape closes a menu, and a click in the same
//!   frame is taken by the closing menu and lost;
//! - **a chord**: Shift+Down released before the frame starts is read with
//!   Shift already up (egui 0.37 sends modifier changes as events, and a
//!   frame sees the last of them).
//!
//! So the events are cut where a keyboard event follows a mouse button,
//! where a mouse press follows a keyboard event (with a frame without
//! events in between: egui finds what a click lands on in the frame before,
//! where the menu Escape closed was still drawn), and where the modifiers
//! change after a key or a button; the rest waits for the next frames (the
//! caller asks for them). Order is never changed and nothing is dropped.

use egui::{Event, RawInput};

/// The events held back for the next frames.
#[derive(Debug, Default)]
pub struct InputOrder {
    waiting: Vec<Event>,
    /// Give the next frame no events: the keys before a click have closed
    /// something (a menu on Escape), and egui finds what a click lands on
    /// in the frame before; one frame without it, and the click lands on
    /// what is under it now.
    pause: bool,
}

/// Why a frame's events were cut.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Cut {
    /// Keys after a click, or a new set of modifiers.
    Next,
    /// A press after keys: a frame in between.
    AfterPause,
}

/// What an event is, for where a frame may be cut.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Button { pressed: bool },
    Keyboard,
    Modifiers,
    Other,
}

fn kind(e: &Event) -> Kind {
    match e {
        Event::PointerButton { pressed, .. } => Kind::Button { pressed: *pressed },
        Event::Key { .. } | Event::Text(_) | Event::Paste(_) | Event::Copy | Event::Cut | Event::Ime(_) => {
            Kind::Keyboard
        }
        Event::ModifiersChanged(_) => Kind::Modifiers,
        _ => Kind::Other,
    }
}

/// Where the events must be cut: the first event that may not share a
/// frame with those before it.
fn first_cut(events: &[Event]) -> Option<(usize, Cut)> {
    let (mut button, mut keyboard) = (false, false);
    for (i, e) in events.iter().enumerate() {
        match kind(e) {
            // Keys after a click wait until the clicked widget has focus.
            Kind::Keyboard if button => return Some((i, Cut::Next)),
            Kind::Keyboard => keyboard = true,
            // A press after keys waits until the keys have acted (a menu
            // closed by Escape is gone, a field left by Tab has lost focus).
            Kind::Button { pressed: true } if keyboard => return Some((i, Cut::AfterPause)),
            Kind::Button { .. } => button = true,
            // The modifiers a key or click was given with hold for its frame.
            Kind::Modifiers if button || keyboard => return Some((i, Cut::Next)),
            Kind::Modifiers | Kind::Other => {}
        }
    }
    None
}

impl InputOrder {
    /// Called with each frame's input before egui reads it: keeps what
    /// must wait for a later frame, and says whether anything is waiting
    /// (then ask for another frame).
    ///
    /// `overlay_gone`: a menu or dialog drawn in the last frame is closed
    /// now. egui finds what a press lands on in the last frame, where it
    /// still was: a press waits for a frame drawn without it.
    pub fn order(&mut self, raw: &mut RawInput, overlay_gone: bool) -> bool {
        if self.waiting.is_empty() && raw.events.is_empty() {
            return false;
        }
        let mut events = std::mem::take(&mut self.waiting);
        events.append(&mut raw.events);
        if std::mem::take(&mut self.pause) {
            self.waiting = events;
            return true;
        }
        if overlay_gone && let Some(press) = events.iter().position(|e| kind(e) == Kind::Button { pressed: true }) {
            self.waiting = events.split_off(press);
            raw.events = events;
            return true;
        }
        if let Some((at, cut)) = first_cut(&events) {
            self.waiting = events.split_off(at);
            self.pause = cut == Cut::AfterPause;
        }
        raw.events = events;
        !self.waiting.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Key, Modifiers, PointerButton, pos2};

    fn button(pressed: bool) -> Event {
        Event::PointerButton {
            pos: pos2(1.0, 1.0),
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        }
    }

    fn key(key: Key, modifiers: Modifiers) -> Event {
        Event::Key {
            key,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers,
        }
    }

    /// Runs frames until nothing waits: the events of each frame.
    fn frames(events: Vec<Event>) -> Vec<Vec<Event>> {
        let mut order = InputOrder::default();
        let mut raw = RawInput {
            events,
            ..RawInput::default()
        };
        let mut out = Vec::new();
        loop {
            let more = order.order(&mut raw, false);
            out.push(std::mem::take(&mut raw.events));
            if !more {
                return out;
            }
        }
    }

    #[test]
    fn keys_after_a_click_wait_for_the_next_frame() {
        let text = Event::Text("120.".into());
        let got = frames(vec![
            Event::PointerMoved(pos2(1.0, 1.0)),
            button(true),
            button(false),
            text.clone(),
        ]);
        assert_eq!(got.len(), 2);
        assert_eq!(got[1], vec![text]);
    }

    #[test]
    fn a_click_after_keys_waits_until_the_keys_have_acted() {
        let escape = key(Key::Escape, Modifiers::NONE);
        let moved = Event::PointerMoved(pos2(5.0, 5.0));
        let got = frames(vec![escape.clone(), moved.clone(), button(true), button(false)]);
        assert_eq!(
            got,
            vec![vec![escape, moved], Vec::new(), vec![button(true), button(false)]],
            "a frame in between: the menu Escape closed is gone from under the click"
        );
    }

    #[test]
    fn a_chord_keeps_its_modifiers_for_its_frame() {
        let shift = Event::ModifiersChanged(Modifiers::SHIFT);
        let down = key(Key::ArrowDown, Modifiers::SHIFT);
        let up = Event::ModifiersChanged(Modifiers::NONE);
        let got = frames(vec![shift.clone(), down.clone(), down.clone(), up.clone()]);
        assert_eq!(got, vec![vec![shift, down.clone(), down], vec![up]]);
    }

    #[test]
    fn a_press_waits_for_a_frame_without_the_menu_that_closed() {
        let mut order = InputOrder::default();
        let moved = Event::PointerMoved(pos2(5.0, 5.0));
        let mut raw = RawInput {
            events: vec![moved.clone(), button(true), button(false)],
            ..RawInput::default()
        };
        assert!(order.order(&mut raw, true), "the press waits");
        assert_eq!(raw.events, vec![moved]);
        let mut raw = RawInput::default();
        assert!(!order.order(&mut raw, false));
        assert_eq!(raw.events, vec![button(true), button(false)]);
    }

    #[test]
    fn one_kind_of_event_stays_in_one_frame() {
        let typed: Vec<Event> = "hello".chars().map(|c| Event::Text(c.to_string())).collect();
        assert_eq!(frames(typed.clone()), vec![typed]);
        let double = vec![button(true), button(false), button(true), button(false)];
        assert_eq!(frames(double.clone()), vec![double]);
        assert_eq!(frames(Vec::new()), vec![Vec::<Event>::new()]);
    }
}
