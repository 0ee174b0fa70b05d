//! Drop-downs worked by keyboard as on a desktop, in every dialog of the
//! one list (`DialogKind`) that has one: Space, Enter or Alt+Down opens
//! the list, Down moves in it, Enter or Space picks and closes only the
//! list, Escape closes only the list; the dialog stays open and the table
//! behind never acts.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ia_licensing::ui::app::{App, DialogKind, Nav};

fn users_app() -> Harness<'static, App> {
    let mut h = crate::util::demo_app();
    h.state_mut().set_nav(Nav::Users);
    h.run();
    // A user selected, as when a dialog comes up over the table.
    h.key_press(Key::ArrowDown);
    h.run();
    h
}

fn stack(h: &Harness<'_, App>) -> Vec<DialogKind> {
    h.state().modals().iter().map(|m| m.kind()).collect()
}

fn selection(h: &Harness<'_, App>) -> (Vec<String>, Option<usize>) {
    let s = &h.state().views().users_view.selection;
    let mut ids: Vec<String> = s.ids.iter().cloned().collect();
    ids.sort();
    (ids, s.cursor)
}

fn combo_count(h: &Harness<'_, App>) -> usize {
    h.query_all_by_role(Role::ComboBox).count()
}

fn combo_value(h: &Harness<'_, App>, i: usize) -> Option<String> {
    h.query_all_by_role(Role::ComboBox).nth(i).and_then(|n| n.value())
}

/// The entries of the open list, in order (none when no list is open).
fn entries(h: &Harness<'_, App>) -> Vec<String> {
    h.query_all_by_role(Role::ListBox)
        .flat_map(|list| {
            list.children_recursive()
                .filter_map(|n| n.accesskit_node().label())
                .collect::<Vec<_>>()
        })
        .filter(|label| !label.is_empty())
        .collect()
}

fn focus_combo(h: &mut Harness<'_, App>, i: usize) {
    h.query_all_by_role(Role::ComboBox).nth(i).expect("combo").focus();
    h.run();
}

fn press(h: &mut Harness<'_, App>, key: Key) {
    h.key_press(key);
    h.run();
}

#[test]
fn every_drop_down_in_every_dialog_picks_by_keyboard_and_only_closes_its_list() {
    let mut checked = Vec::new();
    for kind in DialogKind::all() {
        let mut h = users_app();
        let behind = selection(&h);
        kind.open_sample(h.state_mut());
        h.run();
        let combos = combo_count(&h);
        for i in 0..combos {
            checked.push(kind);
            // Space opens the list; Down, Down highlights the second entry;
            // Enter picks it and closes only the list.
            focus_combo(&mut h, i);
            press(&mut h, Key::Space);
            let list = entries(&h);
            assert!(
                list.len() >= 2,
                "{kind:?} drop-down {i}: Space opened its list: {list:?}"
            );
            press(&mut h, Key::ArrowDown);
            press(&mut h, Key::ArrowDown);
            press(&mut h, Key::Enter);
            assert_eq!(
                stack(&h),
                vec![kind],
                "{kind:?} drop-down {i}: Enter closed only the list"
            );
            assert!(entries(&h).is_empty(), "{kind:?} drop-down {i}: the list closed");
            assert_eq!(
                combo_value(&h, i).as_deref(),
                Some(list[1].as_str()),
                "{kind:?} drop-down {i}: the second entry was picked"
            );
            // With no list open, Escape is the dialog's again.
            press(&mut h, Key::Escape);
            assert_eq!(
                stack(&h),
                Vec::<DialogKind>::new(),
                "{kind:?}: Escape, list closed, closes the dialog"
            );
            kind.open_sample(h.state_mut());
            h.run();
            // Alt+Down opens the list; Down, Escape closes only the list
            // and picks nothing.
            focus_combo(&mut h, i);
            let value = combo_value(&h, i);
            h.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
            h.run();
            assert!(
                entries(&h).len() >= 2,
                "{kind:?} drop-down {i}: Alt+Down opened its list"
            );
            press(&mut h, Key::ArrowDown);
            press(&mut h, Key::Escape);
            assert_eq!(
                stack(&h),
                vec![kind],
                "{kind:?} drop-down {i}: Escape closed only the list"
            );
            assert!(entries(&h).is_empty(), "{kind:?} drop-down {i}: Escape closed the list");
            assert_eq!(
                combo_value(&h, i),
                value,
                "{kind:?} drop-down {i}: Escape picked nothing"
            );
            // Enter on the focused drop-down opens it; Space picks.
            press(&mut h, Key::Enter);
            assert!(entries(&h).len() >= 2, "{kind:?} drop-down {i}: Enter opened its list");
            assert_eq!(
                stack(&h),
                vec![kind],
                "{kind:?} drop-down {i}: Enter only opened the list"
            );
            press(&mut h, Key::ArrowDown);
            press(&mut h, Key::Space);
            assert!(
                entries(&h).is_empty(),
                "{kind:?} drop-down {i}: Space picked and closed"
            );
            assert_eq!(stack(&h), vec![kind]);
            assert_eq!(selection(&h), behind, "{kind:?} drop-down {i}: the table behind moved");
        }
    }
    assert!(
        checked.contains(&DialogKind::BulkChange) && checked.contains(&DialogKind::StationConfiguration),
        "the dialogs with drop-downs were checked: {checked:?}"
    );
}
