//! Usage History in the GUI (the chart with the allowance, a chosen range,
//! importing with progress) and the simulation's Licenses in use with Log
//! off user (the supervisor's Force User Logouts).

use std::path::{Path, PathBuf};

use chrono::TimeZone;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};

use crate::util::*;

fn harness(license: Option<PathBuf>, workspace: Option<PathBuf>) -> Harness<'static, App> {
    crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Light,
        Startup {
            file: license,
            workspace,
            ..Startup::demo(TrustStore::with_demo())
        },
    )
}

/// The shift-change workspace in `dir`, with June 1 and a July 1 copy of
/// its events as two monthly files in `dir/events/`.
fn shift_change_site(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let ws = dir.join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    let lic = dir.join("site.I3Lic");
    std::fs::copy(asset("scenarios/shift-change.I3Lic"), &lic).expect("copy");
    let events = dir.join("events");
    std::fs::create_dir_all(&events).expect("dir");
    let june = std::fs::read_to_string(asset("scenarios/shift-change.events.json")).expect("events");
    std::fs::write(events.join("2026-06.json"), &june).expect("write");
    std::fs::write(events.join("2026-07.json"), june.replace("2026-06-01", "2026-07-01")).expect("write");
    (lic, ws, events)
}

#[test]
fn the_history_chart_shows_the_allowance_and_the_chosen_range() {
    let dir = tempfile::tempdir().expect("tmp");
    let (lic, ws, events) = shift_change_site(dir.path());
    let out = crate::util::bin()
        .args([
            "history",
            "import",
            "--workspace",
            s(&ws),
            "--license",
            s(&lic),
            "--events",
        ])
        .arg(events.join("2026-06.json"))
        .arg(events.join("2026-07.json"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let mut h = harness(Some(lic), Some(ws));
    // A load runs on a worker: one frame starts it, then wait for it (a
    // busy machine may take more frames than `run` allows).
    h.step();
    h.state_mut().wait_for_loading();
    h.state_mut().set_nav(Nav::UsageHistory);
    h.run();
    h.get_by_label_contains("The history has 2026-06-01 to 2026-07-01");
    // The heading, and the chart named after it for a screen reader.
    assert_eq!(h.get_all_by_label_contains("Daily peak in use: ").count(), 2);
    h.get_by_label_contains("Chart: Daily peak in use: ");
    // The allowance is drawn as a line beside the peaks.
    h.get_by_label_contains("Dashed: the concurrent licenses allowed");
    let loaded = h.state().views().history_view.loaded().expect("loaded");
    assert!(
        loaded
            .days
            .iter()
            .all(|d| d.allowance.get("I3_ACCESS_ACD_MEDIA_1") == Some(&50))
    );
    // A quarter (the default) opens on the latest data: it ends at the
    // last day with data, and here holds all of it (two periods).
    h.get_by_label("2026-06-01 to 2026-07-01");
    h.get_by_label("Month").click();
    h.run();
    // A month back from the last day: both days, the period of each in
    // the billing and cost tables.
    h.get_by_label("2026-06-01 to 2026-07-01");
    assert_eq!(h.query_all_by_label("2026-06-28 to 2026-07-27").count(), 2);
    assert_eq!(h.state().views().history_view.loaded().expect("loaded").days.len(), 2);
    // Every day is shown: nothing is earlier or later.
    assert!(h.get_by_label("Earlier").accesskit_node().is_disabled());
    assert!(h.get_by_label("Later").accesskit_node().is_disabled());
    assert_eq!(h.query_all_by_label("2026-05-28 to 2026-06-27").count(), 2);
    let loaded = h.state().views().history_view.loaded().expect("loaded");
    assert_eq!(loaded.days[0].date, date(2026, 6, 1));
    assert_eq!(loaded.days[0].peak["I3_ACCESS_ACD_MEDIA_1"], 50);
    // The ten late agents denied Client Access are not logged on, so they
    // are denied nothing else; they still count in the day's demand.
    assert_eq!(loaded.days[0].denials["I3_ACCESS_CLIENT"], 10);
    assert_eq!(loaded.days[0].denials["I3_ACCESS_ACD_MEDIA_1"], 0);
    assert_eq!(loaded.days[0].peak_demand["I3_ACCESS_ACD_MEDIA_1"], 60);
    h.get_by_label_contains("Chart: Denials per day: ");
    // The price list of the scenario gives an estimate, marked as one.
    h.get_by_label_contains("Estimate from this site's own price list");
    // The temporary folder's name is not part of the picture.
    h.state_mut().clear_status();
    h.run();
    h.snapshot("usage_history_month");
}

#[test]
fn importing_a_folder_of_monthly_files_runs_with_progress_and_fills_the_view() {
    let dir = tempfile::tempdir().expect("tmp");
    let (lic, ws, events) = shift_change_site(dir.path());
    let mut h = harness(Some(lic), Some(ws));
    // A load runs on a worker: one frame starts it, then wait for it (a
    // busy machine may take more frames than `run` allows).
    h.step();
    h.state_mut().wait_for_loading();
    h.state_mut().set_nav(Nav::UsageHistory);
    h.run();
    h.get_by_label_contains("The history has no days yet");
    h.state_mut().type_history_import_path(&events.display().to_string());
    h.run();
    h.get_by_label("Import").click();
    h.step();
    let started = std::time::Instant::now();
    while h.state().views().history_view.importing() && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    h.run_steps(10);
    h.get_by_label_contains("Imported 2 events files (240 events): 2 days added, 0 days replaced.");
    h.get_by_label_contains("The history has 2026-06-01 to 2026-07-01");
    assert!(dir.path().join("site.ialhist").is_file(), "kept next to the workspace");
}

/// An import made in the GUI keeps the license it used, as `history import
/// --license` does: the command line's estimate then needs no --license.
#[test]
fn an_import_in_the_gui_keeps_the_license_for_the_command_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let (lic, ws, events) = shift_change_site(dir.path());
    let mut h = harness(Some(lic.clone()), Some(ws.clone()));
    h.step();
    h.state_mut().wait_for_loading();
    h.state_mut().set_nav(Nav::UsageHistory);
    h.run();
    h.state_mut().type_history_import_path(&events.display().to_string());
    h.run();
    h.get_by_label("Import").click();
    h.step();
    let started = std::time::Instant::now();
    while h.state().views().history_view.importing() && started.elapsed().as_secs() < 60 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    h.run_steps(10);
    h.get_by_label_contains("Imported 2 events files");
    let store = ia_licensing::core::history::History::open_read_only(&dir.path().join("site.ialhist")).expect("open");
    let kept = store.stored_license().expect("read").expect("a license is kept");
    assert_eq!(kept, std::fs::read_to_string(&lic).expect("license"));
    let out = crate::util::bin()
        .args(["cloud", "estimate", "--workspace"])
        .arg(&ws)
        .args(["--format", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn log_off_user_frees_a_license_that_the_next_denied_user_then_gets() {
    let mut h = harness(None, None);
    h.run();
    h.state_mut().load_scenario(1);
    h.run();
    assert_eq!(h.state().nav(), Nav::LicenseStatistics);
    // 14:44: agent50 has just taken the 50th license; agent51 logs on at
    // 14:45 and would be denied.
    let at = chrono::Utc
        .with_ymd_and_hms(2026, 6, 1, 14, 44, 0)
        .single()
        .expect("time");
    h.state_mut().set_simulation_time(at);
    h.run();
    h.run();
    h.get_by_label("Licenses in use");
    h.get_by_label_contains("This shows the simulation, not a live server");
    h.get_by_label_contains("; 50 of 50 concurrent");
    assert!(h.get_all_by_label("Log off user").count() > 0);
    // The first holder in the list is agent01.
    h.get_by_label("agent01");
    h.get_all_by_label("Log off user").next().expect("button").click();
    h.run();
    h.run();
    h.get_by_label_contains("; 49 of 50 concurrent");
    let sim = h.state().simulation().as_ref().expect("sim");
    assert!(
        sim.current.holders.iter().all(|x| x.user != "agent01"),
        "agent01 is logged off"
    );
    // The next logon (agent51, 14:45) now gets the license.
    assert!(
        sim.full.denials.iter().all(|d| d.user != "agent51"),
        "{:?}",
        sim.full.denials
    );
    assert_eq!(sim.full.denials.len(), 9, "one agent fewer denied Client Access");
    h.get_by_label("Step").click();
    h.run();
    h.get_by_label_contains("; 50 of 50 concurrent");
    let sim = h.state().simulation().as_ref().expect("sim");
    assert!(
        sim.current
            .holders
            .iter()
            .any(|x| x.user == "agent51" && x.held.contains(&"I3_ACCESS_CLIENT".to_string()))
    );
}

#[test]
fn the_price_list_is_edited_in_usage_and_billing_and_the_estimate_follows() {
    let mut h = harness(None, None);
    h.run();
    h.state_mut().load_scenario(0);
    h.state_mut().set_nav(Nav::UsageBilling);
    h.state_mut().set_show_warnings(false);
    h.run();
    h.get_by_label("To end").click();
    h.run();
    // John Smith: Agent 95 + Recorder 12 + his station's Basic Station 5.
    assert_eq!(h.query_all_by_label("112.00").count(), 2, "period and total");
    h.get_by_label("Price list").click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Agent")
        .focus();
    h.run();
    h.key_press(egui::Key::End);
    for _ in 0..5 {
        h.key_press(egui::Key::Backspace);
    }
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Agent")
        .type_text("abc");
    h.run();
    h.get_by_label("Save prices").click();
    h.run();
    h.get_by_label_contains("Agent: “abc” is not a price");
    assert_eq!(
        h.state()
            .doc()
            .workspace()
            .price_list
            .as_ref()
            .and_then(|p| p.per_user_per_period.get("agent"))
            .copied(),
        Some(ia_licensing::core::cost::Cents(9500)),
        "nothing saved"
    );
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Agent")
        .focus();
    h.run();
    h.key_press(egui::Key::End);
    for _ in 0..3 {
        h.key_press(egui::Key::Backspace);
    }
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Agent")
        .type_text("100");
    h.run();
    h.get_by_label("Save prices").click();
    h.run();
    h.run();
    // 100 + 12 + 5.
    assert_eq!(h.query_all_by_label("117.00").count(), 2);
    assert!(h.state().dirty(), "an unsaved change like any other");
    h.state_mut().undo();
    h.run();
    h.run();
    assert_eq!(
        h.query_all_by_label("112.00").count(),
        2,
        "undo restores the old prices"
    );
}

/// Trial 31, defect 6: a history of 2026-01-01 to 03-31 opened on the
/// quarter 2026-01-28 to 04-27: four weeks without data on the right, and
/// January 1–27 (the Dec 28 – Jan 27 billing period) hidden. It opens on
/// the latest data, ending at the last day with data.
#[test]
fn usage_history_opens_on_the_latest_data() {
    let dir = tempfile::tempdir().expect("tmp");
    let (lic, ws, events) = shift_change_site(dir.path());
    let june = std::fs::read_to_string(events.join("2026-06.json")).expect("events");
    let (jan, mar) = (events.join("2026-01.json"), events.join("2026-03.json"));
    std::fs::write(&jan, june.replace("2026-06-01", "2026-01-01")).expect("write");
    std::fs::write(&mar, june.replace("2026-06-01", "2026-03-31")).expect("write");
    let out = crate::util::bin()
        .args([
            "history",
            "import",
            "--workspace",
            s(&ws),
            "--license",
            s(&lic),
            "--events",
        ])
        .arg(&jan)
        .arg(&mar)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut h = harness(Some(lic), Some(ws));
    h.step();
    h.state_mut().wait_for_loading();
    h.state_mut().set_nav(Nav::UsageHistory);
    h.run();
    h.get_by_label_contains("The history has 2026-01-01 to 2026-03-31");
    h.get_by_label("2026-01-01 to 2026-03-31");
    let loaded = h.state().views().history_view.loaded().expect("loaded");
    let days: Vec<_> = loaded.days.iter().map(|d| d.date).collect();
    assert_eq!(
        days,
        vec![date(2026, 1, 1), date(2026, 3, 31)],
        "both days with data are shown"
    );
    assert_eq!(loaded.to, date(2026, 3, 31), "no weeks without data on the right");
    assert!(
        loaded.periods.iter().any(|p| p.start == date(2025, 12, 28)),
        "the Dec 28 – Jan 27 billing period is shown"
    );
    assert!(
        h.get_by_label("Later").accesskit_node().is_disabled(),
        "nothing later: Later is off"
    );
}
