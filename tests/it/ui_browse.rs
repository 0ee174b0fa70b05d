//! Browse… beside the paths a user types (#31): the Usage History import
//! path, the Account view's signing key, Save license as and Save request
//! as, and File › Open…. A test's picker answers in place of the system
//! file dialog (none can open here, and no test may open one).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, FileKind, Nav, Startup};
use ia_licensing::ui::files::{Pick, Picker};

use crate::util::*;

/// Answers every dialog with `answer` at once and keeps what it was asked.
struct FakePicker {
    answer: Option<PathBuf>,
    asked: Mutex<Vec<Pick>>,
}

impl Picker for FakePicker {
    fn start(&self, pick: Pick) -> mpsc::Receiver<Option<PathBuf>> {
        if let Ok(mut asked) = self.asked.lock() {
            asked.push(pick);
        }
        let (tx, rx) = mpsc::channel();
        let _ = tx.send(self.answer.clone());
        rx
    }
}

fn picker(h: &Harness<'static, App>, answer: Option<&Path>) -> Arc<FakePicker> {
    let fake = Arc::new(FakePicker {
        answer: answer.map(Path::to_path_buf),
        asked: Mutex::new(Vec::new()),
    });
    ia_licensing::ui::files::set_picker(&h.ctx, fake.clone());
    fake
}

fn asked(fake: &FakePicker) -> Vec<Pick> {
    fake.asked.lock().map(|a| a.clone()).unwrap_or_default()
}

fn value(h: &Harness<'static, App>, label: &str) -> String {
    h.get_by_role_and_label(Role::TextInput, label)
        .accesskit_node()
        .value()
        .unwrap_or_default()
}

fn harness(license: Option<PathBuf>, workspace: Option<PathBuf>) -> Harness<'static, App> {
    crate::util::build_app(
        egui::vec2(1400.0, 2000.0),
        egui::Theme::Light,
        Startup {
            file: license,
            workspace,
            ..Startup::demo(TrustStore::with_demo())
        },
    )
}

fn open_account(dir: &Path) -> Harness<'static, App> {
    let path = dir.join("demo.ialacct");
    std::fs::copy(asset("demo.ialacct"), &path).expect("copy");
    let mut h = harness(None, None);
    h.run();
    h.state_mut().open_file(FileKind::Account, path);
    h.run();
    h
}

#[test]
fn the_signing_key_is_browsed_for() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open_account(dir.path());
    let key = asset("keys/demo-issuer.key");
    let fake = picker(&h, Some(&key));
    assert_eq!(value(&h, "Signing key file:"), "");
    h.get_by_label("Browse for the signing key file").click();
    h.run();
    assert_eq!(value(&h, "Signing key file:"), s(&key));
    assert_eq!(h.state().views().account_view.sign_key, s(&key));
    assert_eq!(asked(&fake), vec![Pick::Open("Issuer key", &["key"])]);
}

#[test]
fn save_license_as_and_save_request_as_are_browsed_for() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open_account(dir.path());
    let out = dir.path().join("site.I3Lic");
    let fake = picker(&h, Some(&out));
    h.get_by_label("New Activation File").click();
    h.run();
    h.get_by_label("Browse for where to save the license").click();
    h.run();
    assert_eq!(value(&h, "Save license as:"), s(&out));
    assert_eq!(asked(&fake), vec![Pick::Save("License file", &["I3Lic"])]);
    let request = dir.path().join("request.json");
    let fake = picker(&h, Some(&request));
    h.get_by_label("Activation File Request").click();
    h.run();
    h.get_by_label("Browse for where to save the request").click();
    h.run();
    assert_eq!(value(&h, "Save request as:"), s(&request));
    assert_eq!(asked(&fake), vec![Pick::Save("Request", &["json"])]);
}

#[test]
fn no_file_chosen_leaves_the_path_to_type() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open_account(dir.path());
    picker(&h, None);
    h.get_by_label("New Activation File").click();
    h.run();
    h.get_by_label("Browse for where to save the license").click();
    h.run();
    h.get_by_label_contains("No file chosen (where no file dialog can open, type the path)");
    assert_eq!(value(&h, "Save license as:"), "");
    // Typing still works.
    h.get_by_role_and_label(Role::TextInput, "Save license as:").focus();
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Save license as:")
        .type_text("typed.I3Lic");
    h.run();
    assert_eq!(value(&h, "Save license as:"), "typed.I3Lic");
}

#[test]
fn the_usage_history_import_path_is_browsed_for_as_a_file_or_a_folder() {
    let dir = tempfile::tempdir().expect("tmp");
    let ws = dir.path().join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    let lic = dir.path().join("site.I3Lic");
    std::fs::copy(asset("scenarios/shift-change.I3Lic"), &lic).expect("copy");
    let mut h = harness(Some(lic), Some(ws));
    h.step();
    h.state_mut().wait_for_loading();
    h.state_mut().set_show_warnings(false);
    h.state_mut().set_nav(Nav::UsageHistory);
    h.run();
    let label = "Import events (a file, or a folder of monthly files):";
    let events = asset("scenarios/shift-change.events.json");
    let fake = picker(&h, Some(&events));
    h.get_by_label("Browse for the events file to import").click();
    h.run();
    assert_eq!(value(&h, label), s(&events));
    assert_eq!(asked(&fake), vec![Pick::Open("Events", &["json"])]);
    let folder = dir.path().join("months");
    let fake = picker(&h, Some(&folder));
    h.get_by_label("Browse for a folder of monthly events files to import")
        .click();
    h.run();
    assert_eq!(value(&h, label), s(&folder));
    assert_eq!(asked(&fake), vec![Pick::Folder]);
    // The path browsed for imports as a typed one does.
    assert!(
        !h.get_by_label("Import").accesskit_node().is_disabled(),
        "Import is ready"
    );
}

#[test]
fn file_open_browses_with_the_same_picker() {
    let mut h = harness(None, None);
    h.run();
    let license = asset("scenarios/shift-change.I3Lic");
    let fake = picker(&h, Some(&license));
    h.state_mut().prompt_open(FileKind::License);
    h.run();
    h.get_by_label("Browse…").click();
    h.run();
    assert_eq!(asked(&fake), vec![Pick::Open("License file", &["I3Lic", "i3lic"])]);
    assert!(
        h.state().open_prompt().is_none(),
        "the prompt closes on the file chosen"
    );
}
