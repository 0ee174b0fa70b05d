//! The Genesys Cloud estimate view, clicked through as a user would: open
//! it on a generated site with a usage history, see the counts, take the
//! example prices and see named, concurrent and hourly with the cheapest,
//! change a price, add a wave, save; and in read-only mode a what-if that
//! is never saved.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ia_licensing::core::demo_generate::{self as generate, Size};
use ia_licensing::core::history::{self, History};
use ia_licensing::core::license::{License, LoadOptions, TrustStore};
use ia_licensing::core::workspace::Workspace;
use ia_licensing::ui::app::{App, Nav, Startup};

use crate::util::*;

/// A generated site (300 users) with January and February imported.
pub(crate) fn site(dir: &Path) -> (PathBuf, PathBuf) {
    let g = generate::generate(Size {
        users: 300,
        stations: 300,
        workgroups: 12,
        seed: 11,
    })
    .expect("generate");
    let lic = dir.join("site.I3Lic");
    let ws = dir.join("site.ialws");
    std::fs::write(&lic, &g.license_text).expect("write");
    std::fs::write(&ws, serde_json::to_vec(&g.workspace).expect("json")).expect("write");
    let mut files = Vec::new();
    for (m, last) in [(1, 31), (2, 28)] {
        let events = generate::history_events(300, date(2026, m, 1), date(2026, m, last), 11);
        let path = dir.join(format!("2026-{m:02}.json"));
        std::fs::write(&path, serde_json::to_vec(&events).expect("json")).expect("write");
        files.push(path);
    }
    let store = TrustStore::with_demo();
    let license = License::load_bytes(
        g.license_text.as_bytes(),
        LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("license");
    let workspace = Workspace::load_path(&ws).expect("workspace");
    let cancel = AtomicBool::new(false);
    History::open(&history::path_for(&ws))
        .expect("open")
        .import_files(
            None,
            &license,
            &workspace,
            &files,
            &cancel,
            &history::ImportProgress::default(),
        )
        .expect("import");
    (lic, ws)
}

pub(crate) fn harness(lic: PathBuf, ws: PathBuf, read_only: bool, size: egui::Vec2) -> Harness<'static, App> {
    crate::util::build_app(
        size,
        egui::Theme::Light,
        Startup {
            file: Some(lic),
            workspace: Some(ws),
            read_only,
            ..Startup::demo(TrustStore::with_demo())
        },
    )
}

/// Steps until the estimate has run (it runs on a worker once typing pauses).
pub(crate) fn settle(h: &mut Harness<'static, App>) {
    let started = std::time::Instant::now();
    h.step();
    while h.state().views().cloud_view.busy() && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    h.run_steps(3);
}

/// Replaces the text of a field.
pub(crate) fn retype(h: &mut Harness<'static, App>, label: &str, nth: usize, text: &str) {
    h.get_all_by_role_and_label(Role::TextInput, label)
        .nth(nth)
        .expect("field")
        .scroll_to_me();
    h.run_steps(2);
    h.get_all_by_role_and_label(Role::TextInput, label)
        .nth(nth)
        .expect("field")
        .focus();
    h.run_steps(2);
    h.key_press(egui::Key::End);
    for _ in 0..12 {
        h.key_press(egui::Key::Backspace);
    }
    h.run_steps(2);
    h.get_all_by_role_and_label(Role::TextInput, label)
        .nth(nth)
        .expect("field")
        .type_text(text);
    h.run_steps(2);
}

pub(crate) fn open(dir: &Path, read_only: bool) -> Harness<'static, App> {
    let (lic, ws) = site(dir);
    // Tall enough that the settings below the tables are on screen (a
    // click lands where the widget is drawn).
    let mut h = harness(lic, ws, read_only, egui::vec2(1400.0, 2400.0));
    h.step();
    h.state_mut().wait_for_loading();
    h.state_mut().set_show_warnings(false);
    h.state_mut().set_nav(Nav::CloudEstimate);
    settle(&mut h);
    h
}

#[test]
fn the_estimate_answers_which_model_is_cheapest_then_follows_prices_and_waves() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open(dir.path(), false);
    assert_eq!(
        h.get_all_by_label("Genesys Cloud estimate").count(),
        2,
        "the navigation and the heading"
    );
    h.get_by_label_contains("Every figure here is an estimate, not a quote");
    // Counts without prices.
    h.get_by_label("Counts only: enter prices to compare the models");
    let est = h.state().views().cloud_view.estimate().expect("estimate").clone();
    assert_eq!(est.periods.len(), 2);
    assert!(est.periods[0].named_users > 0 && est.periods[0].concurrent_peak > 0);
    assert!(est.periods[0].concurrent_peak < est.periods[0].named_users);
    for head in ["Named", "Concurrent", "Hourly", "PureConnect today"] {
        assert!(h.query_all_by_label(head).count() > 0, "{head}");
    }
    // One click for example prices: every model costed, the cheapest named.
    h.get_by_label("Use the example prices").click();
    settle(&mut h);
    let est = h.state().views().cloud_view.estimate().expect("estimate").clone();
    let cheapest = est.totals.cheapest.expect("a cheapest model");
    h.get_by_label_contains(&format!("Cheapest on Genesys Cloud: {}", cheapest.label()));
    assert!(est.totals.named.is_some() && est.totals.concurrent.is_some() && est.totals.hourly.is_some());
    assert!(
        h.state().doc().workspace().cloud.prices.is_none(),
        "a what-if, not saved"
    );
    h.get_by_label_contains("What-if: the estimate uses your changes");
    // Change a price: CX 1 per named user.
    h.get_by_label("Prices and contract").click();
    h.run_steps(2);
    let named_before = est.totals.named.expect("named");
    retype(&mut h, "CX 1 per named user", 0, "1000");
    settle(&mut h);
    let est = h.state().views().cloud_view.estimate().expect("estimate").clone();
    assert!(
        est.totals.named.expect("named") > named_before,
        "CX 1 at 1,000 raises the named total"
    );
    // Add a wave moving one workgroup from February (the prices folded
    // away first, so the waves are on screen).
    h.get_by_label("Prices and contract").click();
    h.run_steps(2);
    h.get_by_label("Waves of the move").click();
    h.run_steps(2);
    h.get_by_label("Add wave").scroll_to_me();
    h.run_steps(2);
    h.get_by_label("Add wave").click();
    h.run_steps(2);
    // A new wave starts a month after the history's first day: February.
    assert_eq!(h.state().cloud_draft().waves[0].date, "2026-02-01");
    retype(&mut h, "Workgroups of wave 1", 0, "WG-0001");
    settle(&mut h);
    let est = h.state().views().cloud_view.estimate().expect("estimate").clone();
    assert_eq!(est.waves.len(), 1);
    assert!(!est.waves[0].users.is_empty(), "WG-0001's members move");
    assert_eq!(est.periods[0].phased.moved_users, 0);
    assert!(est.periods[1].phased.moved_users > 0);
    h.get_by_label_contains("Phased move: Genesys Cloud counted as");
    // The site has no PureConnect price list: running both is unknown,
    // never Genesys Cloud's part alone (finding 2).
    let node = h.get_by_label_contains("Running both systems over the whole periods, Genesys Cloud");
    let a = node.accesskit_node();
    let line = a.label().or_else(|| a.value()).unwrap_or_default();
    assert!(line.ends_with(" –"), "{line}");
    h.get_by_label_contains("Not given: PureConnect's cost is unknown");
    // Save: one undoable change.
    h.get_by_label("Save to workspace").scroll_to_me();
    h.run_steps(2);
    h.get_by_label("Save to workspace").click();
    h.run_steps(3);
    let saved = h.state().doc().workspace().cloud.clone();
    assert_eq!(saved.waves.len(), 1);
    assert!(
        saved
            .prices
            .as_ref()
            .is_some_and(|p| p.licenses["cx1"].per_named_user.is_some())
    );
    assert!(saved.mapping.is_none(), "the default mapping is not written");
    assert!(h.state().dirty());
    h.state_mut().undo();
    h.run_steps(3);
    assert!(h.state().doc().workspace().cloud.is_default());
}

/// What the figures leave out is said right under the headline, before
/// any figure: with no rule in the mapping nobody is costed, and no model
/// is called the cheapest (it was "Hourly, USD 0.00").
#[test]
fn what_the_figures_leave_out_is_said_under_the_headline() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open(dir.path(), false);
    h.get_by_label("Use the example prices").click();
    settle(&mut h);
    h.state_mut().edit_cloud_draft(|draft| draft.rules.clear());
    settle(&mut h);
    h.get_by_label("No model can be called the cheapest: see why below");
    let note = h.get_by_label_contains("The mapping has no rules").rect();
    let total = h.get_by_label("Total (USD)").rect();
    assert!(
        note.max.y <= total.min.y,
        "the note {note:?} comes before the totals {total:?}"
    );
    let est = h.state().views().cloud_view.estimate().expect("estimate").clone();
    assert_eq!(est.totals.cheapest, None);
    assert!(est.users_not_costed > 0);
}

#[test]
fn read_only_mode_shows_the_estimate_and_keeps_what_if_edits_unsaved() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open(dir.path(), true);
    assert!(h.state().read_only());
    h.get_by_label("Use the example prices").click();
    settle(&mut h);
    assert!(
        h.state()
            .views()
            .cloud_view
            .estimate()
            .expect("estimate")
            .totals
            .cheapest
            .is_some()
    );
    h.get_by_label_contains("Read-only: this what-if is held here and never saved");
    assert!(h.get_by_label("Save to workspace").accesskit_node().is_disabled());
    assert!(h.state().doc().workspace().cloud.is_default());
    assert!(!h.state().dirty());
}

#[test]
fn the_view_fits_a_small_window_in_both_themes() {
    let dir = tempfile::tempdir().expect("tmp");
    let (lic, ws) = site(dir.path());
    let mut results = egui_kittest::SnapshotResults::new();
    for dark in [false, true] {
        let mut h = harness(lic.clone(), ws.clone(), false, egui::vec2(1024.0, 700.0));
        h.step();
        h.state_mut().wait_for_loading();
        h.state_mut().set_show_warnings(false);
        h.state_mut().set_nav(Nav::CloudEstimate);
        if dark {
            h.ctx.set_theme(egui::Theme::Dark);
        }
        settle(&mut h);
        h.get_by_label("Use the example prices").click();
        settle(&mut h);
        h.state_mut().clear_status();
        h.hover_at(egui::pos2(1010.0, 690.0));
        h.run_steps(2);
        results.add(h.try_snapshot(if dark {
            "cloud_estimate_dark"
        } else {
            "cloud_estimate_light"
        }));
    }
}

/// A field keeps the focus, and the sections stay open, while the draft
/// goes through a state that does not parse (a message appears above) and
/// while an estimate runs (its progress appears above).
#[test]
fn typing_keeps_the_focus_while_messages_come_and_go() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open(dir.path(), false);
    h.get_by_label("Waves of the move").click();
    h.run_steps(2);
    h.get_by_label("Add wave").click();
    h.run_steps(3);
    let date = |h: &mut Harness<'static, App>| h.state().cloud_draft().waves[0].date.clone();
    assert_eq!(date(&mut h), "2026-02-01");
    h.get_all_by_role_and_label(Role::TextInput, "Date of wave 1")
        .next()
        .expect("field")
        .focus();
    h.run_steps(3);
    for _ in 0..4 {
        h.key_press(egui::Key::Backspace);
        h.run_steps(1);
    }
    assert_eq!(date(&mut h), "2026-0", "every key reached the field");
    assert!(h.query_all_by_label_contains("is not a date").count() > 0);
    assert!(h.ctx.memory(|m| m.focused()).is_some(), "still focused");
    h.get_all_by_role_and_label(Role::TextInput, "Date of wave 1")
        .next()
        .expect("field")
        .type_text("1-15");
    h.run_steps(2);
    assert_eq!(date(&mut h), "2026-01-15");
    // An estimate runs (its progress shows above), then more typing.
    settle(&mut h);
    assert!(
        h.state()
            .views()
            .cloud_view
            .estimate()
            .is_some_and(|e| e.waves.len() == 1)
    );
    h.key_press(egui::Key::Backspace);
    h.run_steps(1);
    assert_eq!(date(&mut h), "2026-01-1");
    assert!(
        h.query_all_by_role_and_label(Role::TextInput, "Date of wave 1").count() > 0,
        "the waves stay open"
    );
}

/// Asks the app to close, as the window's close button does.
fn request_close(h: &mut Harness<'static, App>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run_steps(2);
}

/// A what-if is not a change to the document, so the unsaved-changes
/// question would not see it: quitting asks about it first (a trial found
/// it dropped without a word).
#[test]
fn quitting_with_a_what_if_asks_first() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open(dir.path(), false);
    // Nothing held: closing does not ask.
    request_close(&mut h);
    assert_eq!(h.query_all_by_label("Changes not saved to the workspace").count(), 0);
    h.get_by_label("Use the example prices").click();
    settle(&mut h);
    assert!(!h.state().dirty(), "a what-if, not a change to the document");
    request_close(&mut h);
    h.get_by_label("Changes not saved to the workspace");
    h.get_by_label_contains("The Genesys Cloud estimate has changes that are not saved");
    // Go to it from elsewhere.
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(h.query_all_by_label("Changes not saved to the workspace").count(), 0);
    h.state_mut().set_nav(Nav::Users);
    h.run();
    request_close(&mut h);
    h.get_by_label("Go to Genesys Cloud estimate").click();
    h.run();
    assert_eq!(h.state().nav(), Nav::CloudEstimate);
    // Quit without them: the question is not asked again.
    request_close(&mut h);
    h.get_by_label("Quit without them").click();
    h.run();
    request_close(&mut h);
    assert_eq!(h.query_all_by_label("Changes not saved to the workspace").count(), 0);
}
