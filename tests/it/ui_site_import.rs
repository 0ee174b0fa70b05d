//! File › Import site… in the GUI: the form, the import on a worker, the
//! new workspace opened, and the report (counts, self-check, assumptions);
//! an existing workspace file is refused in the form without Replace.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Modal, Startup};

use crate::util::*;

fn harness() -> Harness<'static, App> {
    crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Light,
        Startup::demo(TrustStore::with_demo()),
    )
}

fn icws() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site/icws")
}

/// Opens File › Import site… and fills in the export and the output.
fn fill_form(h: &mut Harness<'static, App>, source: &Path, out: &Path) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Import site…").click();
    h.run();
    h.get_by_label("Import site");
    let fields: Vec<_> = h.get_all_by_role(egui::accesskit::Role::TextInput).collect();
    assert_eq!(fields.len(), 2, "the export and the workspace to write");
    fields[0].focus();
    fields[0].type_text(s(source));
    h.run();
    let fields: Vec<_> = h.get_all_by_role(egui::accesskit::Role::TextInput).collect();
    fields[1].focus();
    fields[1].type_text(s(out));
    h.run();
}

#[test]
fn importing_a_site_opens_its_workspace_and_shows_the_report() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("site.ialws");
    let mut h = harness();
    h.run();
    fill_form(&mut h, &icws(), &out);
    h.get_by_label("Import").click();
    // The import runs on a worker: one frame starts it, then wait for it.
    h.step();
    h.step();
    h.state_mut().wait_for_site_import();
    h.state_mut().wait_for_loading();
    h.run();
    assert_eq!(h.state().doc().workspace().users().len(), 251);
    assert!(Path::new(&out).exists());
    h.get_by_label("Site imported");
    h.get_by_label_contains("Self-check: consistent with the server's Licenses Allocation");
    h.get_by_label_contains("A Unified Messaging station is imported as a Workstation");
    // Warnings work on the imported site (its ACD media mismatches show).
    assert!(
        h.state()
            .doc()
            .engine()
            .diagnostics()
            .iter()
            .any(|d| d.code == "acd-media-level-mismatch")
    );
    h.get_by_label("Close").click();
    h.run();
    assert!(!h.state().modals().iter().any(|m| matches!(m, Modal::SiteReport(..))));
}

#[test]
fn an_existing_workspace_file_is_refused_in_the_form_without_replace() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("site.ialws");
    std::fs::write(&out, "keep").expect("write");
    let mut h = harness();
    h.run();
    fill_form(&mut h, &icws(), &out);
    h.get_by_label("Import").click();
    h.run();
    assert!(!h.state().is_importing_site());
    h.get_by_label_contains("already exists");
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "keep");
    // With Replace, it goes ahead.
    h.get_by_label("Replace the workspace file if it exists").click();
    h.run();
    h.get_by_label("Import").click();
    // The import runs on a worker: one frame starts it, then wait for it.
    h.step();
    h.step();
    h.state_mut().wait_for_site_import();
    h.state_mut().wait_for_loading();
    h.run();
    assert_eq!(h.state().doc().workspace().users().len(), 251);
}
