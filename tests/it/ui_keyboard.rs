//! The keyboard belongs to what is in front. For every dialog of the one
//! list (`DialogKind`) and every menu, keys pressed while it is open never
//! reach the table behind it; and a focused table takes a desktop list's
//! keys.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ia_licensing::ui::app::{App, DialogKind, Nav, WindowKind};
use ia_licensing::ui::commands::Menu;

fn users_app() -> Harness<'static, App> {
    let mut h = crate::util::demo_app();
    h.state_mut().set_nav(Nav::Users);
    h.run();
    h
}

/// The selected user ids and the cursor row of the Users table.
fn selection(h: &Harness<'_, App>) -> (Vec<String>, Option<usize>) {
    let s = &h.state().views().users_view.selection;
    let mut ids: Vec<String> = s.ids.iter().cloned().collect();
    ids.sort();
    (ids, s.cursor)
}

fn top(h: &Harness<'_, App>) -> Option<DialogKind> {
    h.state().modals().last().map(|m| m.kind())
}

#[test]
fn keys_pressed_over_any_dialog_never_reach_the_table_behind() {
    for kind in DialogKind::all() {
        let mut h = users_app();
        // A user selected, as when a dialog comes up over the table.
        h.key_press(Key::ArrowDown);
        h.run();
        let before = selection(&h);
        assert_eq!(before.0.len(), 1, "{kind:?}: one user selected first");
        kind.open_sample(h.state_mut());
        h.run();
        let opened = top(&h);
        assert_eq!(opened, Some(kind));
        for key in [
            Key::ArrowDown,
            Key::ArrowUp,
            Key::PageDown,
            Key::End,
            Key::Space,
            Key::Delete,
        ] {
            h.key_press(key);
            h.run();
            assert_eq!(selection(&h), before, "{kind:?}: {key:?} moved the table behind");
            let stack: Vec<DialogKind> = h.state().modals().iter().map(|m| m.kind()).collect();
            assert!(
                !stack.contains(&DialogKind::ConfirmRemove) || kind == DialogKind::ConfirmRemove,
                "{kind:?}: {key:?} reached the table (Remove asked behind the dialog)"
            );
        }
        // Enter answers the dialog in front, and only it.
        h.key_press(Key::Enter);
        h.run();
        let stack: Vec<DialogKind> = h.state().modals().iter().map(|m| m.kind()).collect();
        for opened_by_table in [DialogKind::UserConfiguration, DialogKind::ConfirmRemove] {
            if kind != opened_by_table {
                assert!(
                    !stack.contains(&opened_by_table),
                    "{kind:?}: Enter also reached the table ({opened_by_table:?} opened)"
                );
            }
        }
        // The app's own shortcuts wait too (Ctrl+S does not save behind a dialog).
        if !h.state().modals().is_empty() {
            let status = h.state().status_message().clone();
            h.key_press_modifiers(Modifiers::COMMAND, Key::S);
            h.run();
            assert_eq!(
                *h.state().status_message(),
                status,
                "{kind:?}: Ctrl+S acted behind the dialog"
            );
        }
    }
}

/// The windows that float beside the console (Help, Messages): in front,
/// they own the keyboard as a dialog does; a click on the console gives
/// it back while they stay open.
#[test]
fn keys_pressed_over_any_floating_window_never_reach_the_table_behind() {
    for kind in WindowKind::all() {
        let mut h = users_app();
        h.key_press(Key::ArrowDown);
        h.run();
        let before = selection(&h);
        assert_eq!(before.0.len(), 1, "{kind:?}: one user selected first");
        kind.open_sample(h.state_mut());
        h.run();
        h.run();
        assert!(kind.is_open(h.state()), "{kind:?} opened");
        for key in [
            Key::ArrowDown,
            Key::ArrowUp,
            Key::PageDown,
            Key::End,
            Key::Home,
            Key::Space,
            Key::Delete,
            Key::Enter,
        ] {
            h.key_press(key);
            h.run();
            assert_eq!(selection(&h), before, "{kind:?}: {key:?} moved the table behind");
            assert!(
                h.state().modals().is_empty(),
                "{kind:?}: {key:?} reached the table ({:?} opened behind the window)",
                h.state().modals().iter().map(|m| m.kind()).collect::<Vec<_>>()
            );
        }
        let status = h.state().status_message().clone();
        h.key_press_modifiers(Modifiers::COMMAND, Key::S);
        h.run();
        assert_eq!(
            *h.state().status_message(),
            status,
            "{kind:?}: Ctrl+S acted behind the window"
        );
        // A click on the table: the console has the keyboard again, the
        // window stays open.
        h.get_by_label(&before.0[0]).click();
        h.run();
        h.key_press(Key::ArrowDown);
        h.run();
        assert!(kind.is_open(h.state()), "{kind:?}: a click on the console closed it");
        assert_ne!(
            selection(&h),
            before,
            "{kind:?}: after a click on the table, Down is the table's"
        );
        // One Escape closes only what is in front: with the console in
        // front, the window stays.
        h.key_press(Key::Escape);
        h.run();
        assert!(kind.is_open(h.state()), "{kind:?}: Escape for the console closed it");
    }
}

#[test]
fn escape_closes_a_dialog_over_help_but_not_help() {
    let mut h = users_app();
    h.key_press(Key::ArrowDown);
    h.run();
    WindowKind::Help.open_sample(h.state_mut());
    h.run();
    h.run();
    DialogKind::ConfirmRemove.open_sample(h.state_mut());
    h.run();
    h.key_press(Key::Escape);
    h.run();
    assert!(h.state().modals().is_empty(), "Escape closed the dialog");
    assert!(
        WindowKind::Help.is_open(h.state()),
        "one Escape closed the dialog and Help behind it"
    );
}

#[test]
fn keys_pressed_in_an_open_menu_never_reach_the_table() {
    // Every menu of the one list (`Menu`), by its Alt+letter.
    for access in <Menu as strum::IntoEnumIterator>::iter().map(Menu::access_key) {
        let mut h = users_app();
        h.key_press(Key::ArrowDown);
        h.run();
        let before = selection(&h);
        h.key_press_modifiers(Modifiers::ALT, access);
        h.run();
        h.run();
        // (The arrows move within the menu now; Space or Enter would choose
        // its entry, which is the menu's to act on.)
        for key in [Key::ArrowDown, Key::ArrowDown, Key::PageDown, Key::End, Key::Delete] {
            h.key_press(key);
            h.run();
        }
        assert_eq!(selection(&h), before, "menu {access:?}: the table behind moved");
        assert!(
            !h.state().modals().iter().any(|m| m.kind() == DialogKind::ConfirmRemove),
            "menu {access:?}: Delete reached the table"
        );
    }
}

#[test]
fn a_focused_table_takes_a_desktop_lists_keys() {
    let mut h = users_app();
    // The first row, then Shift+Down twice: three rows.
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    h.run();
    h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowDown);
    h.run();
    assert_eq!(selection(&h).0.len(), 3, "Shift+Down extends");
    assert_eq!(selection(&h).1, Some(2));
    // Page Down moves a page, End to the last row, Home back to the first.
    h.key_press(Key::PageDown);
    h.run();
    assert_eq!(selection(&h), (selection(&h).0, Some(22)));
    assert_eq!(selection(&h).0.len(), 1);
    h.key_press(Key::End);
    h.run();
    let last = h.state().session().doc().workspace().users().len() - 1;
    assert_eq!(selection(&h).1, Some(last));
    h.key_press_modifiers(Modifiers::SHIFT, Key::Home);
    h.run();
    assert_eq!(
        selection(&h).0.len(),
        last + 1,
        "Shift+Home selects up to the first row"
    );
    h.key_press(Key::Home);
    h.run();
    assert_eq!(selection(&h).1, Some(0));
    // Space takes the cursor row out of the selection and back.
    h.key_press(Key::Space);
    h.run();
    assert!(selection(&h).0.is_empty());
    h.key_press(Key::Space);
    h.run();
    assert_eq!(selection(&h).0.len(), 1);
    // Enter opens User Configuration; Escape closes it again.
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(top(&h), Some(DialogKind::UserConfiguration));
    h.key_press(Key::Escape);
    h.run();
    assert_eq!(top(&h), None);
    // Ctrl+A twice selects every row, not one.
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    assert_eq!(selection(&h).0.len(), last + 1);
}

#[test]
fn enter_presses_the_default_button_even_with_a_checkbox_focused() {
    // Enter used to reach the focused checkbox as a click (toggling back
    // what the user had just ticked) instead of pressing OK.
    let mut h = users_app();
    h.key_press(Key::ArrowDown);
    h.run();
    let (ids, _) = selection(&h);
    let id = ids[0].clone();
    let before = h.state().doc().workspace().user(&id).expect("user").licenses.clone();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(top(&h), Some(DialogKind::UserConfiguration));
    let label = "Client Access License";
    // Reached by the keyboard (Tab), ticked with Space, then Enter.
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, label).focus();
    h.run();
    h.key_press(Key::Space);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    assert_eq!(top(&h), None, "Enter pressed OK");
    let after = h.state().doc().workspace().user(&id).expect("user").licenses.clone();
    assert_ne!(before, after, "the ticked box was applied, not toggled back by Enter");
}

#[test]
fn space_toggles_the_focused_checkbox_in_a_dialog() {
    let mut h = users_app();
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    let label = "Client Access License";
    let checked = |h: &Harness<'_, App>| {
        h.get_by_role_and_label(egui::accesskit::Role::CheckBox, label)
            .accesskit_node()
            .toggled()
    };
    let first = checked(&h);
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, label).focus();
    h.run();
    h.key_press(Key::Space);
    h.run();
    assert_ne!(checked(&h), first, "Space toggled the focused box");
    h.key_press(Key::Space);
    h.run();
    assert_eq!(checked(&h), first, "Space toggled it back");
    assert_eq!(top(&h), Some(DialogKind::UserConfiguration), "Space closed nothing");
}
