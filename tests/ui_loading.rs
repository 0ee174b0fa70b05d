//! Opening a workspace off the UI thread: the progress window, Cancel, and
//! what the views show once the new workspace is in place.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, FileKind, Startup};

fn harness() -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|cc| App::new(cc, Startup::demo(TrustStore::with_demo())))
}

#[test]
fn an_opened_workspace_replaces_what_every_view_shows() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("lone.ialws");
    std::fs::write(
        &path,
        r#"{"format": 1, "stations": [{"id": "lone-01", "type": "workstation", "machine_name": "lone-01"}]}"#,
    )
    .expect("write");
    let mut h = harness();
    h.run();
    // The demo has a remote station without Basic Station (an error).
    h.get_by_label_contains("Error: remote-station-basic-station");
    h.state_mut().open_file(FileKind::Workspace, path);
    h.state_mut().wait_for_loading();
    h.run();
    assert_eq!(h.state().doc.workspace().stations().len(), 1);
    assert_eq!(h.state().doc.engine().totals(), (0, 1, 0));
    // The Warnings panel follows the new workspace (it caches by revision,
    // and a new engine must never look like the old one).
    h.get_by_label_contains("Warning: basic-station-missing (1)");
    assert!(
        h.query_by_label_contains("Error: remote-station-basic-station")
            .is_none(),
        "the demo's warnings are gone"
    );
    h.get_by_label_contains("lone.ialws");
}

/// A FIFO blocks the loading thread at `open` until something writes to it,
/// so the progress window is on screen for as long as the test wants.
#[cfg(unix)]
#[test]
fn loading_shows_progress_and_cancel_keeps_the_open_workspace() {
    let dir = tempfile::tempdir().expect("tmp");
    let fifo = dir.path().join("slow.ialws");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let mut h = harness();
    h.run();
    let before = h.state().doc.workspace().clone();
    h.state_mut().open_file(FileKind::Workspace, fifo.clone());
    for _ in 0..3 {
        h.step();
    }
    assert!(h.state().is_loading());
    h.get_by_label("Opening slow.ialws");
    h.get_by_label_contains("Reading the file");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(!h.state().is_loading());
    assert!(h.query_by_label("Opening slow.ialws").is_none());
    h.get_by_label_contains("was cancelled; the open workspace is unchanged");
    assert_eq!(*h.state().doc.workspace(), before);
    // Let the abandoned worker finish (it sees the cancel and stops).
    std::fs::OpenOptions::new()
        .write(true)
        .open(&fifo)
        .map(drop)
        .expect("writer");
}
