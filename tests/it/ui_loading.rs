//! Opening a workspace off the UI thread: the progress window, Cancel, and
//! what the views show once the new workspace is in place.

use std::path::PathBuf;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, FileKind, Startup};

fn harness() -> Harness<'static, App> {
    crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    )
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
    // The demo has stations without Basic Station (a warning each).
    h.get_by_label_contains("Warning: Station without Basic Station (2)");
    h.state_mut().open_file(FileKind::Workspace, path);
    h.state_mut().wait_for_loading();
    h.run();
    assert_eq!(h.state().doc().workspace().stations().len(), 1);
    assert_eq!(h.state().doc().engine().totals(), (0, 1, 0));
    // The Warnings panel follows the new workspace (it caches by revision,
    // and a new engine must never look like the old one).
    h.get_by_label_contains("Warning: Station without Basic Station (1)");
    assert!(
        h.query_by_label_contains("Warning: Station without Basic Station (2)")
            .is_none(),
        "the demo's warnings are gone"
    );
    h.get_by_label_contains("lone.ialws");
}

/// The worker is held before it reads, so the progress window is on
/// screen for as long as the test wants.
#[test]
fn loading_shows_progress_and_cancel_keeps_the_open_workspace() {
    use std::sync::atomic::Ordering;
    let dir = tempfile::tempdir().expect("tmp");
    let slow = dir.path().join("slow.ialws");
    std::fs::copy(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo.ialws"),
        &slow,
    )
    .expect("copy");
    let mut h = harness();
    h.run();
    let before = h.state().doc().workspace().clone();
    ia_licensing::core::loading::HOLD_FOR_TESTS.store(true, Ordering::Release);
    h.state_mut().open_file(FileKind::Workspace, slow.clone());
    for _ in 0..3 {
        h.step();
    }
    let held = h.state().is_loading();
    if held {
        h.get_by_label("Opening slow.ialws");
        h.get_by_label_contains("Reading the file");
        h.get_by_label("Cancel").click();
        h.run();
    }
    ia_licensing::core::loading::HOLD_FOR_TESTS.store(false, Ordering::Release);
    assert!(held, "the load was under way");
    assert!(!h.state().is_loading());
    assert!(h.query_by_label("Opening slow.ialws").is_none());
    h.get_by_label_contains("was cancelled; the open workspace is unchanged");
    assert_eq!(*h.state().doc().workspace(), before);
}

fn write_csv(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write csv");
    path
}

#[test]
fn a_csv_import_is_one_undoable_step() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = harness();
    h.run();
    let before = h.state().doc().workspace().clone();
    let users = &before.users()[..2];
    let mut text = String::from("id,name,method,licenses,acd_media_types,workgroups\n");
    for u in users {
        let keys: Vec<&str> = u.licenses.iter().map(|k| &**k).collect();
        let groups: Vec<&str> = u.workgroups.iter().map(|w| &**w).collect();
        text.push_str(&format!(
            "{},Renamed {},{},{},,{}\n",
            u.id,
            u.id,
            if u.method == ia_licensing::core::workspace::Method::Assignable {
                "assignable"
            } else {
                "concurrent"
            },
            keys.join(";"),
            groups.join(";")
        ));
    }
    let path = write_csv(dir.path(), "names.csv", &text);
    h.state_mut()
        .open_file(FileKind::ImportCsv(ia_licensing::core::csv_io::Table::Users), path);
    assert!(h.state().is_importing());
    h.state_mut().finish_import();
    h.run();
    assert!(!h.state().is_importing());
    h.get_by_label_contains("Imported 2 rows from");
    for u in users {
        let now = h.state().doc().workspace().user(&u.id).expect("user");
        assert_eq!(now.name, format!("Renamed {}", u.id));
    }
    // One step: a single undo restores both rows.
    h.state_mut().undo();
    assert_eq!(*h.state().doc().workspace(), before);
}

#[test]
fn a_refused_row_imports_nothing_and_says_which() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = harness();
    h.run();
    let before = h.state().doc().workspace().clone();
    let first = before.users()[0].id.clone();
    // Row 3 asks for a station-only license for a user: refused by the rules.
    let text = format!(
        "id,name,method,licenses\n{first},Fine,assignable,I3_ACCESS_CLIENT\n\
         new.person,New,assignable,I3_LICENSE_BASIC_STATION\n"
    );
    let path = write_csv(dir.path(), "bad.csv", &text);
    h.state_mut()
        .open_file(FileKind::ImportCsv(ia_licensing::core::csv_io::Table::Users), path);
    h.state_mut().finish_import();
    h.run();
    h.get_by_label("Import refused");
    h.get_by_label_contains("row 3:");
    assert_eq!(*h.state().doc().workspace(), before, "the good row was rolled back too");
    assert!(!h.state().doc().can_undo());
}

#[test]
fn cancel_while_applying_undoes_the_rows_already_applied() {
    let dir = tempfile::tempdir().expect("tmp");
    // Eight parts: one is applied per frame, and pointing at Cancel and
    // clicking it take a frame each.
    let rows = 8 * ia_licensing::ui::import::ROWS_PER_FRAME;
    let mut text = String::from("id,name,method,licenses\n");
    for i in 0..rows {
        text.push_str(&format!("bulk{i:05},Bulk {i},assignable,\n"));
    }
    let path = write_csv(dir.path(), "many.csv", &text);
    let mut h = harness();
    h.run();
    let before = h.state().doc().workspace().clone();
    h.state_mut()
        .open_file(FileKind::ImportCsv(ia_licensing::core::csv_io::Table::Users), path);
    // Frames until the first part is applied (the rows are read on a worker).
    let mut applying = false;
    for _ in 0..500 {
        h.step();
        let first_part = format!(
            "Applying the allocation rules: {} of {rows} rows",
            ia_licensing::ui::import::ROWS_PER_FRAME
        );
        if h.query_by_label_contains(&first_part).is_some() {
            applying = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(applying, "the progress window shows the applying stage");
    h.get_by_label("Importing many.csv");
    assert!(
        h.state().doc().workspace().users().len() > before.users().len(),
        "a first part is in"
    );
    h.get_by_label("Cancel").hover();
    h.step();
    h.get_by_label("Cancel").click();
    h.step();
    assert!(!h.state().is_importing());
    h.run();
    h.get_by_label_contains("cancelled; nothing was imported");
    assert_eq!(*h.state().doc().workspace(), before);
    assert!(!h.state().doc().can_undo());
}
