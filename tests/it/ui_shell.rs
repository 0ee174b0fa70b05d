//! The GUI driven like a user, with egui_kittest on the real `App`.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, FileKind, Nav, Startup};

fn harness() -> Harness<'static, App> {
    crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    )
}

#[test]
fn starts_on_the_demo_license_and_workspace() {
    let mut h = harness();
    h.run();
    h.get_by_label_contains("Demo data");
    h.get_by_label("G807test");
    h.get_by_label("2 errors");
    h.get_by_label("20 warnings");
    assert!(h.state().doc().workspace().users().len() > 100);
}

#[test]
fn a_refused_license_leaves_the_old_one_shown() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("broken.I3Lic");
    std::fs::write(&bad, b"{ not json").expect("write");
    let mut h = harness();
    h.run();
    h.get_by_label("Load License…").click();
    h.run();
    h.get_by_label("File path:");
    let field = h.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(bad.to_str().expect("utf8"));
    h.run();
    h.get_by_label("Open").click();
    h.run();
    h.get_by_label("License file refused");
    h.get_by_label_contains("malformed");
    h.get_by_label("OK").click();
    h.run();
    assert!(h.query_by_label("License file refused").is_none());
    h.get_by_label("G807test");
    assert_eq!(h.state().doc().license().file.server.host_id, "G807test");
}

#[test]
fn a_refused_workspace_leaves_the_open_one() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("dup.ialws");
    std::fs::write(&bad, r#"{"format": 1, "users": [{"id": "a"}, {"id": "A"}]}"#).expect("write");
    let mut h = harness();
    h.run();
    let before = h.state().doc().workspace().clone();
    h.state_mut().open_file(FileKind::Workspace, bad);
    h.state_mut().wait_for_loading();
    h.run();
    h.get_by_label("Workspace file refused");
    h.get_by_label_contains("$.users[1].id");
    assert_eq!(*h.state().doc().workspace(), before);
}

#[test]
fn licenses_allocation_shows_the_counts() {
    let mut h = harness();
    h.run();
    h.get_by_label("Licenses Allocation").click();
    h.run();
    assert_eq!(h.state().nav(), Nav::LicensesAllocation);
    h.get_by_label("Assignable Configured");
    h.get_by_label("Client Access");
    h.get_by_label_contains("Concurrent configured (8) exceeds the 6 allowed");
}

#[test]
fn a_license_given_at_start_loads_without_the_compare_dialog() {
    let vc = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo-virtual-cloud.I3Lic");
    let ws = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios/john-smith.ialws");
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup {
            file: Some(vc),
            workspace: Some(ws),
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    h.state_mut().wait_for_loading();
    h.run();
    assert!(h.state().dialog().is_none(), "no Compare and load at start");
    assert!(h.state().doc().license().is_virtual_cloud());
    assert!(h.state().doc().workspace().user("john.smith").is_some());
}

/// A confirmation leaves the status bar after a while; a problem stays.
#[test]
fn status_confirmations_clear_and_problems_stay() {
    let mut h = harness();
    h.run();
    h.state_mut().show_status(true, "Loaded x.I3Lic");
    h.run();
    h.get_by_label("Loaded x.I3Lic");
    h.state_mut().age_status_message(11);
    h.run();
    assert!(h.query_by_label("Loaded x.I3Lic").is_none());
    h.state_mut().show_status(false, "Save failed: disk full");
    h.run();
    h.state_mut().age_status_message(60);
    h.run();
    h.get_by_label("Save failed: disk full");
}

/// Quit with unsaved changes on a workspace that has no file yet: Save goes
/// on to Save As, and once saved the app quits.
#[test]
fn quit_save_save_as_saves_then_quits() {
    use ia_licensing::core::command::Command;
    use ia_licensing::ui::app::{Modal, Pending};
    let dir = tempfile::tempdir().expect("tmp");
    let target = dir.path().join("site.ialws");
    let mut h = harness();
    h.run();
    let id = h.state().doc().workspace().users()[0].id.clone();
    h.state_mut().apply(Command::RemoveUser { id }).expect("an edit");
    h.state_mut().open_modal(Modal::Unsaved(Pending::Quit));
    h.run();
    h.get_by_label("Save").click();
    h.run();
    h.get_by_label("Save Workspace As");
    let field = h.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(target.to_str().expect("utf-8"));
    h.run();
    h.get_all_by_label("Save").last().expect("Save button").click();
    h.run();
    assert!(target.exists(), "saved");
    assert!(h.state().quitting(), "and then quits");
}

/// Loading a scenario over unsaved changes asks first, like Open does.
#[test]
fn a_scenario_over_unsaved_changes_asks_save_dont_save_cancel() {
    use ia_licensing::core::command::Command;
    let mut h = harness();
    h.run();
    let id = h.state().doc().workspace().users()[0].id.clone();
    h.state_mut().apply(Command::RemoveUser { id }).expect("edit");
    h.state_mut().load_scenario(0);
    h.run();
    h.get_by_label("Unsaved changes");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().dirty(), "Cancel keeps the edit");
    assert!(h.state().simulation().is_none());
    h.state_mut().load_scenario(0);
    h.run();
    h.get_by_label("Don't Save").click();
    h.run();
    assert!(h.state().simulation().is_some(), "the scenario is loaded");
}

/// A file prompt opens with the path field focused, and Enter opens what
/// was typed.
#[test]
fn a_file_prompt_takes_typing_at_once_and_enter_opens() {
    use ia_licensing::ui::app::FileKind;
    let mut h = harness();
    h.run();
    h.state_mut().prompt_open(FileKind::Account);
    h.run();
    h.run();
    h.event(egui::Event::Text("/nonexistent/site.ialacct".into()));
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label("Cannot open the account");
    // Enter on the message is its OK.
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label("Cannot open the account").is_none());
}

/// Keyboard: F10 opens the File menu (Alt+E the Edit menu); menu entries
/// show their shortcuts; Ctrl+Shift+S is Save As, F1 Help.
#[test]
fn the_keyboard_reaches_the_menus_and_their_shortcuts() {
    let mut h = harness();
    h.run();
    assert!(h.query_by_label_contains("Recent files").is_none());
    h.key_press(egui::Key::F10);
    h.run();
    h.run();
    h.get_by_label_contains("Recent files");
    h.key_press(egui::Key::Escape);
    h.run();
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::E);
    h.run();
    h.run();
    h.get_by_label_contains("Select all");
    h.key_press(egui::Key::Escape);
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::S);
    h.run();
    h.get_by_label("Save Workspace As");
}

/// `IA_LICENSING_FRAME_LOG`: one line per frame with exactly four
/// tab-separated fields; the action of the frame is named, others say `-`.
#[test]
fn the_frame_log_has_a_line_per_frame_with_its_action() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("frames.tsv");
    let mut h = harness();
    h.state_mut()
        .set_frame_log(ia_licensing::ui::frame_log::FrameLog::open(&path).expect("log"));
    h.run();
    h.get_by_label("Users").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    let text = std::fs::read_to_string(&path).expect("read log");
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() >= 3, "{text}");
    for line in &lines {
        let fields: Vec<&str> = line.split('\t').collect();
        assert_eq!(fields.len(), 4, "{line}");
        assert!(fields[0].parse::<u128>().expect("unix ms") > 1_600_000_000_000);
        assert!(fields[1].parse::<f64>().expect("ms") >= 0.0);
        assert!(!fields[3].is_empty());
    }
    assert!(lines.first().is_some_and(|l| l.ends_with("\tlicense\t-")), "{text}");
    assert!(lines.iter().any(|l| l.contains("\tusers\t")), "{text}");
    assert!(lines.iter().any(|l| l.ends_with("\tSelectAll")), "{text}");
}

/// The log never writes through a planted link (the guarded file path).
#[cfg(unix)]
#[test]
fn the_frame_log_refuses_a_link() {
    let dir = tempfile::tempdir().expect("tmp");
    let target = dir.path().join("victim");
    std::fs::write(&target, b"keep").expect("write");
    let link = dir.path().join("frames.tsv");
    std::os::unix::fs::symlink(&target, &link).expect("link");
    assert!(ia_licensing::ui::frame_log::FrameLog::open(&link).is_err());
    assert_eq!(std::fs::read(&target).expect("read"), b"keep");
}

/// Help › About says which renderer draws the window, and why when it fell back.
#[test]
fn about_names_the_renderer_and_the_fallback() {
    let mut h = harness();
    h.state_mut()
        .set_renderer(Some(ia_licensing::ui::renderer::RendererNote {
            used: "glow (OpenGL)".into(),
            fallback: vec!["wgpu did not start: no adapter".into()],
        }));
    h.run();
    ia_licensing::ui::app::DialogKind::About.open_sample(h.state_mut());
    h.run();
    h.get_by_label("Renderer: glow (OpenGL) (after wgpu did not start: no adapter)");
}

/// The menus hold every menu action of the one list (`AppCommand::all`),
/// each in its menu, those of a submenu in it.
#[test]
fn every_menu_action_is_in_its_menu() {
    use ia_licensing::ui::commands::{AppCommand, Menu};
    use strum::IntoEnumIterator;
    let mut h = harness();
    h.run();
    for menu in Menu::iter() {
        h.key_press_modifiers(egui::Modifiers::ALT, menu.access_key());
        h.run();
        h.run();
        let mut submenus = Vec::new();
        for c in AppCommand::all().filter(|c| c.place().0 == menu) {
            match c.submenu() {
                Some(sub) => {
                    if !submenus.contains(&sub) {
                        submenus.push(sub);
                    }
                }
                None => assert!(
                    h.query_all_by_label_contains(c.label()).next().is_some(),
                    "{c:?} is not in the {} menu",
                    menu.label()
                ),
            }
        }
        for sub in submenus {
            h.get_by_label(sub).hover();
            h.run();
            h.run();
            for c in AppCommand::all().filter(|c| c.submenu() == Some(sub)) {
                assert!(
                    h.query_all_by_label(c.label()).next().is_some(),
                    "{c:?} is not in {sub}"
                );
            }
        }
        h.key_press(egui::Key::Escape);
        h.run();
        h.key_press(egui::Key::Escape);
        h.run();
    }
}
