//! Data safety in the GUI: recovery after a crash, failed saves, files
//! changed on disk, the Change Log view.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::command::Command;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};

/// The app on the demo license; a workspace given loads on a worker, and
/// the harness waits for it (a busy machine takes more frames than `run`).
fn harness(data_dir: Option<PathBuf>, workspace: Option<PathBuf>) -> Harness<'static, App> {
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Light,
        Startup {
            data_dir,
            workspace,
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    h.step();
    h.state_mut().wait_for_loading();
    h
}

fn copy_demo_workspace(dir: &Path) -> PathBuf {
    let p = dir.join("site.ialws");
    std::fs::copy(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo.ialws"), &p).expect("copy");
    p
}

fn rename_tina() -> Command {
    Command::SetUserName {
        id: "tina.ruiz1".into(),
        name: "Tina Recovered".into(),
    }
}

#[test]
fn a_crash_then_restore_reproduces_the_unsaved_changes() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let ws = copy_demo_workspace(dir.path());
    let expected;
    {
        let mut h = harness(Some(data.clone()), Some(ws.clone()));
        // A load runs on a worker: one frame starts it, then wait for it (a
        // busy machine may take more frames than `run` allows).
        h.step();
        h.state_mut().wait_for_loading();
        h.state_mut().apply(rename_tina()).expect("rename");
        h.state_mut()
            .apply(Command::Unassign {
                subjects: vec![ia_licensing::core::subject::Subject::user("sam.ruiz2")],
                key: "I3_ACCESS_CLIENT".into(),
            })
            .expect("unassign");
        h.state_mut().undo();
        h.run();
        expected = h.state().doc().workspace().clone();
        assert!(h.state().dirty());
        // The harness is dropped without a clean exit: a crash.
    }
    let journal = ia_licensing::core::journal::path_for(&data, &ia_licensing::core::journal::JournalOf::File(&ws));
    assert!(journal.exists(), "the journal survives the crash");
    let mut h = harness(Some(data.clone()), Some(ws.clone()));
    // A load runs on a worker: one frame starts it, then wait for it (a
    // busy machine may take more frames than `run` allows).
    h.step();
    h.state_mut().wait_for_loading();
    h.run();
    h.get_by_label("Recover unsaved changes?");
    h.get_by_label_contains("3 unsaved changes");
    // Before choosing, the steps Restore brings back: time, what, subject.
    h.get_by_label("Restore brings back these steps, in order:");
    h.get_by_label("Rename tina.ruiz1");
    h.get_by_label("user tina.ruiz1");
    h.get_by_label("Remove Client Access from user sam.ruiz2");
    h.get_by_label("Undo: Remove Client Access from user sam.ruiz2");
    assert_eq!(h.query_all_by_label("user sam.ruiz2").count(), 2);
    assert_eq!(
        h.query_all_by_label_contains(" UTC").count(),
        4,
        "three step times and the start"
    );
    h.get_by_label("Restore").click();
    h.run();
    assert_eq!(*h.state().doc().workspace(), expected);
    assert!(h.state().dirty(), "restored changes are unsaved");
    assert!(h.state().window_title().starts_with("* site.ialws"));
    // Saving ends the journal's job.
    assert!(h.state_mut().save());
    h.run();
    assert!(!h.state().dirty());
    drop(h);
    let mut drop_check = harness(Some(data.clone()), Some(ws));
    drop_check.state_mut().wait_for_loading();
    assert!(
        drop_check.state().recovery().is_none(),
        "nothing to recover after a save"
    );
}

#[test]
fn discard_forgets_the_changes() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    {
        let mut h = harness(Some(data.clone()), None);
        h.run();
        h.state_mut().apply(rename_tina()).expect("rename");
    }
    let mut h = harness(Some(data.clone()), None);
    h.run();
    h.get_by_label("Discard").click();
    h.run();
    assert_eq!(
        h.state().doc().workspace().user("tina.ruiz1").map(|u| u.name.as_str()),
        Some("Tina Ruiz")
    );
    let again = harness(Some(data), None);
    assert!(again.state().recovery().is_none());
}

#[test]
fn a_failed_save_shows_why_and_keeps_everything() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = harness(None, None);
    h.run();
    h.state_mut().apply(rename_tina()).expect("rename");
    // /proc refuses new files even to root: a read-only folder everywhere.
    h.state_mut().open_file(
        ia_licensing::ui::app::FileKind::SaveWorkspaceAs,
        PathBuf::from("/proc/site.ialws"),
    );
    h.run();
    h.get_by_label("Save failed");
    h.get_by_label_contains("cannot save /proc/site.ialws");
    assert!(h.state().dirty(), "the changes are still unsaved");
    assert_eq!(
        h.state().doc().workspace().user("tina.ruiz1").map(|u| u.name.as_str()),
        Some("Tina Recovered")
    );
    let _ = dir;
}

#[test]
fn saving_over_a_file_changed_on_disk_asks_first() {
    let dir = tempfile::tempdir().expect("tmp");
    let ws = copy_demo_workspace(dir.path());
    let mut h = harness(None, Some(ws.clone()));
    h.run();
    h.state_mut().apply(rename_tina()).expect("rename");
    // Someone else saves the file meanwhile.
    let theirs = "{\"format\": 1, \"users\": [{\"id\": \"someone-else\"}]}\n";
    std::fs::write(&ws, theirs).expect("external write");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    h.get_by_label("The file changed on disk");
    h.get_by_label("Cancel").hover();
    h.run();
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(
        std::fs::read_to_string(&ws).expect("read"),
        theirs,
        "their file is kept"
    );
    assert!(h.state().dirty());
}

#[test]
fn change_log_view_lists_and_filters() {
    let mut h = harness(None, None);
    h.run();
    h.state_mut().apply(rename_tina()).expect("rename");
    h.state_mut()
        .apply(Command::Unassign {
            subjects: vec![ia_licensing::core::subject::Subject::user("sam.ruiz2")],
            key: "I3_ACCESS_CLIENT".into(),
        })
        .expect("unassign");
    h.state_mut().set_nav(Nav::ChangeLog);
    h.run();
    h.get_by_label("2 of 2 entries");
    h.state_mut().filter_change_log_by_license("client");
    h.run();
    h.get_by_label("1 of 2 entries");
    h.get_by_label("user sam.ruiz2");
}

/// A bulk step reads in IA's words in the Edit menu ("Undo Remove Client
/// Access from 50 users", "… to 3 stations"), and the Change Log view
/// lists one row per subject.
#[test]
fn bulk_steps_say_users_or_stations_in_the_edit_menu_and_list_each_subject() {
    use ia_licensing::core::subject::Subject;
    let mut h = harness(None, None);
    h.run();
    let users: Vec<Subject> = h
        .state()
        .doc()
        .workspace()
        .users()
        .iter()
        .filter(|u| u.licenses.contains("I3_ACCESS_CLIENT"))
        .take(50)
        .map(|u| Subject::user(u.id.clone()))
        .collect();
    h.state_mut()
        .apply(Command::Unassign {
            subjects: users,
            key: "I3_ACCESS_CLIENT".into(),
        })
        .expect("unassign");
    let menu = |h: &mut Harness<'static, App>, label: &str| {
        h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::E);
        h.run();
        h.run();
        h.get_by_label_contains(label);
        h.key_press(egui::Key::Escape);
        h.run();
    };
    menu(&mut h, "Undo Remove Client Access from 50 users");
    let stations = ["lobby-phone", "remote-home-01", "spare-01"]
        .map(Subject::station)
        .to_vec();
    h.state_mut()
        .apply(Command::Assign {
            subjects: stations,
            key: "I3_LICENSE_BASIC_STATION".into(),
            method: None,
        })
        .expect("assign");
    menu(&mut h, "Undo Assign Basic Station to 3 stations");
    h.state_mut().set_nav(Nav::ChangeLog);
    h.run();
    h.get_by_label("53 of 53 entries");
    h.get_by_label("station spare-01");
}

/// A large import is journalled off the UI thread: the frames keep coming
/// while its journal line is made, and a crash right after it is recovered
/// with every imported row.
#[test]
fn an_import_is_journalled_then_recovered_after_a_crash() {
    use ia_licensing::ui::app::FileKind;
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let ws = copy_demo_workspace(dir.path());
    let csv = dir.path().join("new.csv");
    let mut text = String::from("id,name,method,licenses\n");
    for i in 0..3_000 {
        text.push_str(&format!("imp{i:05},Imported {i},assignable,\n"));
    }
    std::fs::write(&csv, text).expect("write");
    let expected;
    {
        let mut h = harness(Some(data.clone()), Some(ws.clone()));
        // A load runs on a worker: one frame starts it, then wait for it (a
        // busy machine may take more frames than `run` allows).
        h.step();
        h.state_mut().wait_for_loading();
        h.state_mut()
            .open_file(FileKind::ImportCsv(ia_licensing::core::csv_io::Table::Users), csv);
        for _ in 0..2_000 {
            h.step();
            if !h.state().is_importing() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        assert!(!h.state().is_importing(), "the import and its journal line finish");
        h.run();
        h.get_by_label_contains("Imported 3,000 rows from");
        expected = h.state().doc().workspace().clone();
        assert!(expected.user("imp02999").is_some());
        // Dropped without a clean exit: a crash.
    }
    let mut h = harness(Some(data), Some(ws));
    // A load runs on a worker: one frame starts it, then wait for it (a
    // busy machine may take more frames than `run` allows).
    h.step();
    h.state_mut().wait_for_loading();
    h.run();
    h.get_by_label("Restore").click();
    h.run();
    assert_eq!(*h.state().doc().workspace(), expected);
}

/// An import whose journal line cannot be written is taken back as one
/// step, and the status bar says so: never "Imported" for rows that are
/// no longer there.
#[test]
fn an_import_taken_back_is_not_reported_imported() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = harness(Some(dir.path().join("data")), None);
    h.run();
    assert!(
        h.state().session().has_journal(),
        "the journal line is made on a worker"
    );
    let before = h.state().doc().workspace().clone();
    let first = before.users()[0].id.clone();
    let csv = dir.path().join("names.csv");
    std::fs::write(&csv, format!("id,name,method\n{first},Renamed,concurrent\n")).expect("csv");
    h.state_mut().open_file(
        ia_licensing::ui::app::FileKind::ImportCsv(ia_licensing::core::csv_io::Table::Users),
        csv,
    );
    // Frame by frame until the rows are in and their journal line is on
    // its way; then the session stops taking steps.
    let mut frames = 0;
    while !h
        .state()
        .status_message()
        .as_ref()
        .is_some_and(|(_, m)| m.contains("protecting them for recovery"))
    {
        h.step();
        frames += 1;
        assert!(frames < 10_000, "the import never finished");
    }
    assert_ne!(*h.state().doc().workspace(), before, "the rows are in");
    h.state_mut().test_refuse_further_steps();
    while h.state().is_importing() {
        h.step();
    }
    h.run();
    let (ok, message) = h.state().status_message().clone().expect("a status");
    assert!(!ok && !message.starts_with("Imported"), "{message}");
    assert!(message.contains("read-only"), "{message}");
    assert_eq!(*h.state().doc().workspace(), before, "the import was taken back");
    assert!(!h.state().doc().can_undo());
}
