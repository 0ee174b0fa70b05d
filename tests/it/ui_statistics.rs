//! License Statistics, Usage & Billing and the Simulation panel in the GUI.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};

fn harness() -> Harness<'static, App> {
    crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Light,
        Startup::demo(TrustStore::with_demo()),
    )
}

#[test]
fn statistics_without_history_says_how_to_load_it() {
    let mut h = harness();
    h.state_mut().set_nav(Nav::LicenseStatistics);
    h.run();
    h.get_by_label_contains("No session history is loaded");
    h.get_by_label("Allowed (concurrent)");
}

#[test]
fn shift_change_pools_fill_up_and_denials_show() {
    let mut h = harness();
    h.run();
    h.state_mut().load_scenario(1);
    h.run();
    assert_eq!(h.state().nav(), Nav::LicenseStatistics);
    h.get_by_label_contains("Simulation: Shift change");
    h.get_by_label("0 of 120 events");
    for _ in 0..3 {
        h.get_by_label("Step").click();
        h.run();
    }
    // Steps go event time by event time; two agents log on at 07:01 and 07:02.
    h.get_by_label("5 of 120 events");
    let in_use = h
        .state()
        .doc()
        .engine()
        .row("I3_ACCESS_CLIENT", h.state().doc().license())
        .concurrent_in_use;
    assert_eq!(in_use, 5, "Concurrent in Use follows the simulation");
    h.get_by_label("To end").click();
    h.run();
    let sim = h.state().simulation().as_ref().expect("simulation");
    assert_eq!(sim.current.peak.get("I3_ACCESS_CLIENT"), Some(&50));
    // Ten late agents denied Client Access: without it the CIC client cannot
    // run, so they are not logged on and take no ACD Media 1 either
    // (LTR-264-client-access).
    assert_eq!(sim.current.denials.len(), 10);
    assert!(sim.current.denials.iter().all(|d| d.key == "I3_ACCESS_CLIENT"));
    assert!(h.query_all_by_label("10").count() >= 1, "10 denials for Client Access");
    h.get_by_label("Concurrent licenses in use over time");
    // Each denial is listed: who, when, which license, why.
    h.get_by_label("Denials (10)");
    // (rows scrolled out of the list's view are not drawn)
    assert!(h.query_all_by_label_contains("all 50 concurrent").count() >= 3);
    // The refused logons hold nothing, so nobody works without the license:
    // the panel says which kind it counts (not "denied at logon (0)" beside
    // "Denials (10)").
    h.get_by_label("Logged on without one (0)");
    h.get_by_label("Nobody logged on now is working without this license.");
    assert_eq!(h.query_all_by_label_contains("denied at logon").count(), 0);
    h.snapshot("license_statistics_shift_change");
    // The allocation view shows it too.
    h.state_mut().set_nav(Nav::LicensesAllocation);
    h.run();
    h.get_by_label("Concurrent in Use");
}

#[test]
fn usage_and_billing_shows_periods_and_categories() {
    let mut h = harness();
    h.run();
    h.state_mut().set_nav(Nav::UsageBilling);
    h.run();
    h.get_by_label_contains("No usage data is collected");
    h.state_mut().load_scenario(0);
    h.state_mut().set_nav(Nav::UsageBilling);
    h.state_mut().set_show_warnings(false);
    h.run();
    h.get_by_label_contains("us-east-2");
    h.get_by_label("To end").click();
    h.run();
    // The period in the billing table and in the cost estimate.
    assert_eq!(h.query_all_by_label("2026-05-28 to 2026-06-27").count(), 2);
    h.get_by_label("2026-07-04");
    h.get_by_label("Distinct users per day");
    h.get_by_label_contains("Estimate from this site's own price list");
}

#[test]
fn snapshots_of_statistics_and_usage() {
    let mut results = egui_kittest::SnapshotResults::new();
    let mut h = harness();
    h.run();
    h.state_mut().load_scenario(1);
    h.state_mut().set_show_warnings(false);
    h.run();
    h.state_mut()
        .set_simulation_time(ia_licensing::core::enforcement::parse_time("2026-06-01T15:10:00Z").expect("time"));
    h.run();
    // The chart's anti-aliasing differs by a pixel between runs on lavapipe;
    // a few stray pixels are noise, a changed chart is thousands.
    let chart = egui_kittest::SnapshotOptions::new().max_failed_pixels(8);
    results.add(h.try_snapshot_options("license_statistics", &chart));
    h.state_mut().load_scenario(0);
    h.state_mut().set_nav(Nav::UsageBilling);
    h.run();
    h.get_by_label("To end").click();
    h.run();
    results.add(h.try_snapshot("usage_billing"));
}
