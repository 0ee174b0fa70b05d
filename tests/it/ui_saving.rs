//! File › Save of a large workspace written on a worker (#32): the window
//! goes on behind a progress window naming the file, changes wait, a
//! second Save asked for meanwhile is neither lost nor doubled, quitting
//! waits for the save; the journal's base at open is written off the
//! window's thread, and a change made at once is journalled after it.
//! Tiny data takes the workers' path (`Limits::on_workers`), held to look
//! at what the window shows meanwhile.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::command::Command;
use ia_licensing::core::journal::{self, JournalOf, Step};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Startup};
use ia_licensing::ui::job::Limits;

fn harness(data_dir: &Path, workspace: &Path) -> Harness<'static, App> {
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Light,
        Startup {
            data_dir: Some(data_dir.to_path_buf()),
            workspace: Some(workspace.to_path_buf()),
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    h.step();
    h.state_mut().wait_for_loading();
    h.run();
    h
}

fn demo_workspace(dir: &Path) -> PathBuf {
    let p = dir.join("site.ialws");
    std::fs::copy(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo.ialws"), &p).expect("copy");
    p
}

fn rename(name: &str) -> Command {
    Command::SetUserName {
        id: "tina.ruiz1".into(),
        name: name.into(),
    }
}

fn held(hold: &Arc<AtomicBool>) -> Limits {
    hold.store(true, Ordering::Release);
    Limits {
        hold: Some(hold.clone()),
        ..Limits::on_workers()
    }
}

/// The saves the journal has marked.
fn saved_marks(data: &Path, ws: &Path) -> usize {
    let path = journal::path_for(data, &JournalOf::File(ws));
    let rec = journal::read(&path).expect("journal").expect("a journal");
    rec.steps.iter().filter(|s| matches!(s, Step::Saved { .. })).count()
}

#[test]
fn a_save_is_written_on_a_worker_while_changes_wait_and_a_second_save_is_not_doubled() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let ws = demo_workspace(dir.path());
    let mut h = harness(&data, &ws);
    h.state_mut().apply(rename("Tina Saved")).expect("rename");
    h.run();
    let expected = h.state().doc().to_file_json();
    let hold = Arc::new(AtomicBool::new(false));
    h.state_mut().set_limits(held(&hold));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    // Held: the progress window names the file, nothing is written yet,
    // and the document may not change until it is.
    assert!(h.state().is_saving());
    h.get_by_label("Saving site.ialws");
    assert!(h.state().dirty());
    // (On the workers' path a change is a run: refused before it begins,
    // with why in the status bar.)
    let _ = h.state_mut().apply(rename("Tina Too Soon"));
    assert!(!h.state().is_applying());
    let status = h.state().status_message().clone();
    assert!(
        status
            .as_ref()
            .is_some_and(|(ok, why)| !ok && why.contains("being saved")),
        "{status:?}"
    );
    let name = h.state().doc().workspace().user("tina.ruiz1").map(|u| u.name.clone());
    assert_eq!(name.as_deref(), Some("Tina Saved"));
    // Save asked for again meanwhile: remembered, not a second write.
    assert!(h.state_mut().save());
    hold.store(false, Ordering::Release);
    h.state_mut().wait_for_saving();
    h.run();
    assert!(!h.state().is_saving());
    assert!(!h.state().dirty());
    assert_eq!(
        std::fs::read_to_string(&ws).expect("saved"),
        expected,
        "the bytes of a save at once"
    );
    assert_eq!(saved_marks(&data, &ws), 1, "saved once: nothing changed since");
    h.get_by_label_contains("Saved ");
    // Changes are taken again once it is written.
    h.state_mut()
        .apply(rename("Tina After"))
        .expect("rename after the save");
}

#[test]
fn quitting_while_a_save_is_written_waits_for_it_then_closes() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let ws = demo_workspace(dir.path());
    let mut h = harness(&data, &ws);
    h.state_mut().apply(rename("Tina Quits")).expect("rename");
    h.run();
    let hold = Arc::new(AtomicBool::new(false));
    h.state_mut().set_limits(held(&hold));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    assert!(h.state().is_saving());
    // The close box while the file is written: not yet, and not asked
    // about unsaved changes (the save is under way).
    let commands = |h: &Harness<'static, App>| {
        h.output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map(|v| v.commands.clone())
            .unwrap_or_default()
    };
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.step();
    assert!(commands(&h).contains(&egui::ViewportCommand::CancelClose));
    h.run_steps(3);
    assert!(h.state().is_saving(), "the window waits for the save");
    assert!(h.query_by_label("Unsaved changes").is_none());
    hold.store(false, Ordering::Release);
    // Once written, the close goes on by itself: nothing is unsaved.
    let mut closed = false;
    for _ in 0..200 {
        h.step();
        if commands(&h).contains(&egui::ViewportCommand::Close) {
            closed = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(closed, "closed once saved");
    assert!(!h.state().dirty());
    let text = std::fs::read_to_string(&ws).expect("saved");
    assert!(text.contains("Tina Quits"));
}

#[test]
fn a_change_made_as_soon_as_a_workspace_opens_is_journalled_after_its_base() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let ws = demo_workspace(dir.path());
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Light,
        Startup {
            data_dir: Some(data.clone()),
            workspace: Some(ws.clone()),
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    // The load is put in place and a change made at once, whether or not
    // the journal's base (written on its own thread) is on disk yet.
    h.step();
    for _ in 0..2000 {
        if !h.state().is_loading() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    assert!(!h.state().is_loading());
    h.state_mut().apply(rename("Tina Early")).expect("rename");
    let path = journal::path_for(&data, &JournalOf::File(&ws));
    let rec = journal::read(&path).expect("journal").expect("a journal");
    assert_eq!(rec.steps.len(), 1, "the change, after the base");
    assert!(matches!(&rec.steps[0], Step::Apply { .. }));
    let base: serde_json::Value = serde_json::from_str(rec.header.base.get()).expect("base");
    assert!(
        base["users"]
            .as_array()
            .expect("users")
            .iter()
            .any(|u| u["id"] == "tina.ruiz1" && u["name"] != "Tina Early"),
        "the base is the workspace as opened"
    );
}
