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
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Light,
        Startup::demo(TrustStore::with_demo()),
    );
    let vc = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo-virtual-cloud.I3Lic");
    h.state_mut().load_license_file(vc);
    h.state_mut().set_clock(Clock::Simulated(SimClock::new(now)));
    h.run();
    h
}

#[test]
fn status_bar_at_stage_1() {
    // Seed rule LTR-1766-stage-fully-functional (docs/seed-rules.md).
    // With no check-in recorded the view says "Last good standing: none
    // recorded"; the status bar does not claim good standing either.
    let h = harness(at(2020, 6, 3));
    h.get_by_label_contains(concat!(
        "Cloud license: fully functional, no check-in recorded yet — connect the server to Genesys Cloud ",
        "within 5 days"
    ));
    assert!(h.query_by_label_contains("in good standing").is_none());
}

#[test]
fn status_bar_at_stage_1_after_a_check_in() {
    let mut h = harness(at(2020, 6, 3));
    h.state_mut().record_check_in(at(2020, 6, 2));
    h.run();
    h.get_by_label_contains(concat!(
        "Cloud license: in good standing — keep the server connected to Genesys Cloud ",
        "(next check-in due within"
    ));
}

#[test]
fn status_bar_before_the_ramp_date() {
    // Seed rule LTR-1766-stage-fully-functional (docs/seed-rules.md).
    let h = harness(at(2020, 5, 10));
    h.get_by_label_contains("Cloud license: fully functional before the ramp date");
}

#[test]
fn status_bar_at_stage_2() {
    // Seed rule LTR-1767-stage-non-obtrusive (docs/seed-rules.md).
    let h = harness(at(2020, 6, 9));
    h.get_by_label_contains(
        "Cloud license: check-in overdue — connect to Genesys Cloud within 6 days to avoid a warning in every session",
    );
    assert!(
        h.query_by_label("Genesys Cloud connection required").is_none(),
        "stage 2 is not obtrusive"
    );
}

#[test]
fn status_bar_at_stage_5() {
    // Seed rule LTR-1770-stage-twenty-percent (docs/seed-rules.md).
    let mut h = harness(at(2020, 7, 1));
    h.get_by_label_contains("Cloud license: call ports limited to 20 %");
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.query_by_label("Genesys Cloud connection required").is_none());
}

#[test]
fn obtrusive_dialog_at_stage_3_comes_back_at_the_next_stage() {
    // Seed rule LTR-1768-stage-obtrusive (docs/seed-rules.md).
    let mut h = harness(at(2020, 6, 16));
    h.get_by_label("Genesys Cloud connection required");
    h.get_by_label_contains("Check-in overdue — connect to Genesys Cloud within");
    assert_eq!(
        h.query_all_by_label_contains("to keep Interaction Supervisor").count(),
        2,
        "modal and status bar"
    );
    assert!(
        h.query_by_label_contains("Stage").is_none(),
        "no stage names outside the trainer's view"
    );
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.query_by_label("Genesys Cloud connection required").is_none());
    h.state_mut().advance_clock(chrono::Duration::weeks(1));
    h.run();
    assert_eq!(
        h.query_all_by_label_contains("Interaction Supervisor is off").count(),
        2
    );
}

#[test]
fn license_statistics_disabled_at_stage_4() {
    // Seed rule LTR-1769-stage-supervisor-disabled (docs/seed-rules.md).
    let mut h = harness(at(2020, 6, 23));
    h.get_by_label("Dismiss").click();
    h.run();
    h.get_by_label("License Statistics").click();
    h.run();
    assert_eq!(h.state().nav(), Nav::LicenseStatistics);
    h.get_by_label_contains("Interaction Supervisor is disabled");
}

#[test]
fn stage_6_makes_allocation_read_only() {
    // Seed rule LTR-1771-stage-6-allocation-lock (docs/seed-rules.md).
    let mut h = harness(at(2020, 7, 7));
    h.get_by_label("Dismiss").click();
    h.run();
    assert!(h.state().allocation_locked().is_some());
    h.get_by_label("Allocation read-only: cloud license unlicensed");
}

#[test]
fn simulated_clock_controls_follow_live() {
    let mut h = harness(at(2020, 6, 1));
    h.state_mut().set_nav(Nav::CloudEnforcement);
    h.run();
    for _ in 0..8 {
        h.get_by_label("Advance one day").click();
        h.run();
    }
    h.get_by_label_contains("Cloud license: check-in overdue");
    // A check-in needs the connection back.
    h.get_by_label("No connection (check-ins fail)").click();
    h.run();
    h.get_by_label("Record successful check-in").click();
    h.run();
    h.get_by_label_contains("Cloud license: in good standing");
}

#[test]
fn cloud_enforcement_view_snapshot() {
    let mut h = harness(at(2020, 6, 18));
    h.state_mut().record_check_in(at(2020, 6, 10));
    h.state_mut().set_nav(Nav::CloudEnforcement);
    h.state_mut().set_show_warnings(false);
    h.run();
    h.snapshot("cloud_enforcement");
}

/// A trainer opening the virtual-cloud demo on the real clock is not met by
/// the unlicensed stage's blocking warning: the simulated clock starts on
/// the ramp date, fully functional.
#[test]
fn the_virtual_cloud_demo_starts_on_its_ramp_date() {
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    );
    let vc = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo-virtual-cloud.I3Lic");
    h.state_mut().load_license_file(vc);
    h.run();
    assert!(h.query_by_label("Genesys Cloud connection required").is_none());
    assert!(matches!(&h.state().clock(), Clock::Simulated(s) if s.now == at(2020, 6, 1)));
    h.get_by_label_contains("the simulated clock starts on its ramp date, 2020-06-01");
    assert_eq!(h.state().enforcement().stage, 1);
}

/// Escape dismisses the obtrusive warning like its button.
#[test]
fn escape_dismisses_the_cloud_warning() {
    // Seed rule LTR-1768-stage-obtrusive (docs/seed-rules.md).
    let mut h = harness(at(2020, 6, 16));
    h.get_by_label("Genesys Cloud connection required");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("Genesys Cloud connection required").is_none());
}

/// Trial 31, defect 2: before the ramp date the status bar counted the days
/// to the next stage (a grace period after the ramp date: 38 on 2020-05-01)
/// as the days to the ramp date (31). The status bar and the Cloud
/// Enforcement view now name the same date and days.
#[test]
fn status_bar_and_view_count_the_days_to_the_ramp_date_itself() {
    let mut h = harness(at(2020, 5, 1));
    h.state_mut().set_nav(Nav::CloudEnforcement);
    h.run();
    h.get_by_label_contains("Cloud license: fully functional before the ramp date, 2020-06-01 (31 days to it;");
    h.get_by_label_contains("Before the ramp date, 2020-06-01 (31 days from now), nothing is enforced.");
    assert!(
        h.query_by_label_contains("38 days").is_none(),
        "no count to the next stage as the ramp date's"
    );
}

/// Trial 31, defect 5: years past the ramp date the timeline's early steps
/// are pixels apart and their names ran into each other ("stastage 1").
/// The names drawn never overlap, and stage 1 (before and after the ramp
/// date, one run) is named once.
#[test]
fn timeline_stage_names_never_overlap() {
    use ia_licensing::core::enforcement::Terms;
    use ia_licensing::ui::views::enforcement::{stage_labels, timeline_steps};
    let terms = Terms {
        issued: NaiveDate::from_ymd_opt(2020, 5, 1).expect("date"),
        ramp_date: NaiveDate::from_ymd_opt(2020, 6, 1).expect("date"),
        grace_days: 7,
    };
    for now in [at(2020, 5, 1), at(2020, 6, 20), at(2026, 12, 8)] {
        let steps = timeline_steps(terms, &[], now);
        let days = steps.last().map_or(1.0, |p| p[0]);
        // The chart at 1024 px wide: 950 px of plot, 24 px a stage.
        let to_screen = |x: f64, y: f64| egui::pos2((x / days * 950.0) as f32, (250.0 - y * 24.0) as f32);
        let size = |_| egui::vec2(44.0, 14.0);
        let labels = stage_labels(&steps, to_screen, size);
        let rects: Vec<egui::Rect> = labels
            .iter()
            .map(|(x, s)| {
                let p = to_screen(*x, f64::from(*s) + 0.4);
                egui::Rect::from_min_size(egui::pos2(p.x, p.y - 14.0), size(*s))
            })
            .collect();
        for (i, a) in rects.iter().enumerate() {
            for b in &rects[i + 1..] {
                assert!(!a.intersects(*b), "{now}: names overlap: {labels:?}");
            }
        }
        let ones = labels.iter().filter(|(_, s)| *s == 1).count();
        assert_eq!(ones, 1, "{now}: stage 1 named once: {labels:?}");
    }
}
