//! Virtual cloud enforcement in the GUI: status bar, obtrusive dialog,
//! Supervisor disabled, and a snapshot of the Cloud Enforcement view.

use chrono::{DateTime, NaiveDate, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::enforcement::{SimClock, midnight};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};
use ia_licensing::ui::views::enforcement::Clock;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    midnight(NaiveDate::from_ymd_opt(y, m, d).expect("date"))
}

fn harness(now: DateTime<Utc>) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_pixels_per_point(1.0)
        .with_theme(egui::Theme::Light)
        .build_eframe(|cc| App::new(cc, Startup::demo(TrustStore::with_demo())));
    let vc = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo-virtual-cloud.I3Lic");
    h.state_mut().load_license_file(vc);
    h.state_mut().clock = Clock::Simulated(SimClock::new(now));
    h.run();
    h
}

#[test]
fn status_bar_at_stage_1() {
    let h = harness(at(2020, 6, 3));
    h.get_by_label_contains("Cloud stage 1: Fully functional · next stage in 5 days");
}

#[test]
fn status_bar_before_the_ramp_date() {
    let h = harness(at(2020, 5, 10));
    h.get_by_label_contains("Cloud: fully functional, before the ramp date");
}

#[test]
fn status_bar_at_stage_2() {
    let h = harness(at(2020, 6, 9));
    h.get_by_label_contains("Cloud stage 2: Non-obtrusive warning in the status bar · next stage in 6 days");
    assert!(
        h.query_by_label("Genesys Cloud connection required").is_none(),
        "stage 2 is not obtrusive"
    );
}

#[test]
fn status_bar_at_stage_5() {
    let mut h = harness(at(2020, 7, 1));
    h.get_by_label_contains("Cloud stage 5: Limited to 20% of licensed call ports");
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.query_by_label("Genesys Cloud connection required").is_none());
}

#[test]
fn obtrusive_dialog_at_stage_3_comes_back_at_the_next_stage() {
    let mut h = harness(at(2020, 6, 16));
    h.get_by_label("Genesys Cloud connection required");
    h.get_by_label_contains("Stage 3: Obtrusive warning");
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.query_by_label("Genesys Cloud connection required").is_none());
    if let Clock::Simulated(sim) = &mut h.state_mut().clock {
        sim.advance(chrono::Duration::weeks(1));
    }
    h.run();
    h.get_by_label_contains("Stage 4: Interaction Supervisor disabled");
}

#[test]
fn license_statistics_disabled_at_stage_4() {
    let mut h = harness(at(2020, 6, 23));
    h.get_by_label("Dismiss").click();
    h.run();
    h.get_by_label("License Statistics").click();
    h.run();
    assert_eq!(h.state().nav, Nav::LicenseStatistics);
    h.get_by_label_contains("Interaction Supervisor is disabled");
}

#[test]
fn stage_6_makes_allocation_read_only() {
    let mut h = harness(at(2020, 7, 7));
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.state().allocation_locked().is_some());
    h.get_by_label("Allocation read-only (stage 6)");
}

#[test]
fn simulated_clock_controls_follow_live() {
    let mut h = harness(at(2020, 6, 1));
    h.state_mut().nav = Nav::CloudEnforcement;
    h.run();
    for _ in 0..8 {
        h.get_by_label("Advance one day").click();
        h.run();
    }
    h.get_by_label_contains("Cloud stage 2");
    h.get_by_label("Record successful check-in").click();
    h.run();
    h.get_by_label_contains("Cloud stage 1");
}

#[test]
fn cloud_enforcement_view_snapshot() {
    let mut h = harness(at(2020, 6, 18));
    if let Clock::Simulated(sim) = &mut h.state_mut().clock {
        sim.check_ins.push(at(2020, 6, 10));
    }
    h.state_mut().nav = Nav::CloudEnforcement;
    h.state_mut().show_warnings = false;
    h.run();
    h.snapshot("cloud_enforcement");
}
