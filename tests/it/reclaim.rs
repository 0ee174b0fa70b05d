//! Reclaiming idle licenses: the built-in scenario where 20 of 100 Tracker
//! holders have been idle for 60 days, through the CLI, the core and the
//! Reclaim view.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::license::TrustStore;
use ia_licensing::core::reclaim::{self, Suggest};
use ia_licensing::core::workspace::Method;
use ia_licensing::ui::app::{App, Nav, Startup};

use crate::util::*;

fn scen(f: &str) -> std::path::PathBuf {
    asset(&format!("scenarios/idle-tracker.{f}"))
}

fn reclaim_json(extra: &[&str]) -> (Option<i32>, serde_json::Value) {
    let (lic, ws, ev) = (scen("I3Lic"), scen("ialws"), scen("events.json"));
    let mut args = vec![
        "reclaim",
        "--license",
        s(&lic),
        "--workspace",
        s(&ws),
        "--events",
        s(&ev),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let out = crate::util::bin().args(&args).output().expect("run");
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code(), v)
}

#[test]
fn twenty_idle_tracker_holders_are_found_and_the_replay_shows_the_pool_needed() {
    // Seed rule LTR-1482-each-license-impacts-bill (docs/seed-rules.md).
    let (code, v) = reclaim_json(&["--idle-days", "60"]);
    assert_eq!(code, Some(0));
    let list = v["candidates"].as_array().expect("candidates");
    assert_eq!(list.len(), 20);
    assert!(
        list.iter().all(|c| c["suggest"] == "concurrent"),
        "they logged on in March"
    );
    assert!(
        list.iter()
            .all(|c| c["user"].as_str().is_some_and(|u| u >= "tracker081"))
    );
    assert_eq!(v["as_of"], "2026-05-29T17:29:00", "as-of defaults to the last event");
    // Twenty users logged on together; a pool of 5 denies the rest.
    assert!(v["replay_after"]["denials"].as_u64().is_some_and(|d| d > 0));
    // Each denied logon lacked Client Access: the CIC client cannot run, so
    // the logon is refused before any other license is asked for (seed rule
    // LTR-264-client-access) — one license denied per logon.
    assert_eq!(
        v["replay_after"]["denied_logons"].as_u64(),
        v["replay_after"]["denials"].as_u64()
    );
    assert_eq!(v["replay_after"]["pool_needed"]["I3_ACCESS_TRACKER"], 20);
    assert_eq!(v["replay_after"]["peak_concurrent_in_use"]["I3_ACCESS_TRACKER"], 5);
    assert_eq!(v["license"]["demo"], true);
    // Judged from an earlier day, nobody has been idle 60 days yet.
    let (_, v) = reclaim_json(&["--idle-days", "60", "--as-of", "2026-04-01"]);
    assert_eq!(v["candidates"].as_array().map(Vec::len), Some(0));
    // Bad input is refused with exit 2.
    assert_eq!(reclaim_json(&["--idle-days", "-1"]).0, Some(2));
}

#[test]
fn never_logged_on_means_remove_and_applying_is_one_undo_step() {
    let mut ws: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(scen("ialws")).expect("read")).expect("json");
    ws["users"]
        .as_array_mut()
        .expect("users")
        .push(serde_json::json!({"id": "ghost", "licenses": ["I3_ACCESS_TRACKER"]}));
    let lic = std::sync::Arc::new(
        ia_licensing::core::license::License::load_path(
            &scen("I3Lic"),
            ia_licensing::core::license::LoadOptions {
                trust: &TrustStore::with_demo(),
                allow_unsigned: false,
            },
        )
        .expect("license"),
    );
    let events = ia_licensing::core::replay::parse_events(&std::fs::read_to_string(scen("events.json")).expect("read"))
        .expect("events");
    let mut d = doc(lic.clone(), ws);
    let as_of = events.last().expect("event").at;
    let found = reclaim::candidates(&lic, d.workspace(), std::slice::from_ref(&events), 60, as_of);
    assert_eq!(found.len(), 21);
    let ghost = found.iter().find(|c| c.user == "ghost").expect("ghost");
    assert_eq!(ghost.suggest, Suggest::Remove);
    let before = d.workspace().clone();
    let log_before = d.change_log().len();
    d.apply(reclaim::command(&found).expect("a command")).expect("apply");
    assert!(d.workspace().user("ghost").is_some_and(|u| u.licenses.is_empty()));
    assert_eq!(
        d.workspace().user("tracker090").map(|u| u.method),
        Some(Method::Concurrent)
    );
    assert!(d.change_log().len() > log_before, "recorded in the change log");
    d.undo().expect("undo");
    assert_eq!(*d.workspace(), before, "one undo step");
}

fn reclaim_app() -> Harness<'static, App> {
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    );
    h.run();
    h.state_mut().set_nav(Nav::Reclaim);
    h.run();
    h.get_by_label_contains("No session history is loaded");
    let index = ia_licensing::core::demo::SCENARIOS
        .iter()
        .position(|(n, ..)| n.starts_with("Idle Tracker"))
        .expect("scenario");
    h.state_mut().load_scenario(index);
    h.state_mut().set_nav(Nav::Reclaim);
    h.run();
    h
}

fn concurrent_users(h: &Harness<'_, App>) -> usize {
    h.state()
        .doc()
        .workspace()
        .users()
        .iter()
        .filter(|u| u.method == Method::Concurrent)
        .count()
}

#[test]
fn the_reclaim_view_lists_applies_and_undoes() {
    let mut h = reclaim_app();
    h.get_by_label_contains("20 candidates as of the last event");
    h.get_by_label_contains("Interaction Tracker Access: the pool of 5 would need 20 to deny nobody.");
    // Apply suggestions asks first, with the plan and the replay's denials.
    h.get_by_label("Apply suggestions").click();
    h.run();
    h.state_mut().wait_for_plan();
    h.run();
    assert_eq!(concurrent_users(&h), 0, "nothing changes before the answer");
    h.get_by_label("Apply 20 changes to 20 users?");
    h.get_by_label_contains("logons would be denied after this change");
    h.get_by_label_contains("20 users will be Concurrent");
    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(concurrent_users(&h), 20);
    h.get_by_label_contains("0 candidates");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    h.get_by_label_contains("20 candidates");
}

#[test]
fn reclaim_applies_only_the_ticked_candidates_and_cancel_changes_nothing() {
    let mut h = reclaim_app();
    // Planned on a worker, as a large change or a long history is.
    h.state_mut().set_limits(ia_licensing::ui::job::Limits::on_workers());
    let candidates: Vec<String> = h
        .state()
        .views()
        .reclaim_view
        .candidates()
        .iter()
        .map(|c| c.user.clone())
        .collect();
    assert_eq!(candidates.len(), 20);
    h.get_by_label_contains("20 of 20 ticked");
    // Every candidate has a box, ticked at first; untick one.
    let left_alone = candidates[3].clone();
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, &left_alone)
        .click();
    h.run();
    h.get_by_label_contains("19 of 20 ticked");
    // The replay follows the boxes: 19 moved to the pool need 19.
    h.get_by_label_contains("Interaction Tracker Access: the pool of 5 would need 19 to deny nobody.");
    h.get_by_label("Apply suggestions").click();
    h.run();
    h.state_mut().wait_for_plan();
    h.run();
    h.get_by_label("Apply 19 changes to 19 users?");
    // Denials in the plan: Cancel is the default, Enter answers it.
    let before = h.state().doc().workspace().clone();
    let undo_before = h.state().doc().undo_summary().map(str::to_string);
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.state().modals().is_empty(), "Enter pressed Cancel");
    assert_eq!(*h.state().doc().workspace(), before, "Cancel changes nothing");
    assert_eq!(
        h.state().doc().undo_summary().map(str::to_string),
        undo_before,
        "no step recorded"
    );
    h.get_by_label("Apply suggestions").click();
    h.run();
    h.state_mut().wait_for_plan();
    h.run();
    let at = h.get_by_label("Apply").rect();
    h.step();
    assert_eq!(h.get_by_label("Apply").rect(), at, "the buttons stay where they are");
    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(concurrent_users(&h), 19);
    let user = h.state().doc().workspace().user(&left_alone).cloned().expect("user");
    assert_eq!(user.method, Method::Assignable, "the unticked candidate is left alone");
    assert_eq!(
        h.state()
            .views()
            .reclaim_view
            .candidates()
            .iter()
            .map(|c| c.user.clone())
            .collect::<Vec<_>>(),
        vec![left_alone],
        "only the unticked one is still a candidate"
    );
}

/// What Reclaim's worker runs: the candidates and the replay after them,
/// with progress, the same as the plain functions, and nothing once
/// cancelled.
#[test]
fn candidates_and_the_replay_after_on_a_worker_match_and_stop_when_cancelled() {
    use ia_licensing::core::progress::Progress;
    let store = TrustStore::with_demo();
    let lic = ia_licensing::core::license::License::load_path(
        &scen("I3Lic"),
        ia_licensing::core::license::LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("license");
    let ws = ia_licensing::core::workspace::Workspace::from_json(&std::fs::read_to_string(scen("ialws")).expect("ws"))
        .expect("workspace");
    let (events, _) = ia_licensing::core::replay::load_file(&scen("events.json")).expect("events");
    let histories = std::slice::from_ref(&events);
    let as_of = events.last().expect("events").at;
    let progress = Progress::default();
    let found = reclaim::candidates_with(&lic, &ws, histories, 60, as_of, &progress).expect("not cancelled");
    assert_eq!(found, reclaim::candidates(&lic, &ws, histories, 60, as_of));
    assert_eq!(found.len(), 20);
    let (done, total) = progress.counts();
    assert!(
        done == total && total > 0,
        "the replay's events counted: {done} of {total}"
    );
    let after = reclaim::replay_after_with(&lic, &ws, histories, &found, &progress).expect("not cancelled");
    assert_eq!(after, reclaim::replay_after(&lic, &ws, histories, &found));
    // Some of them, without copying them: the same command as for a copy.
    let some: Vec<_> = found.iter().step_by(2).cloned().collect();
    assert_eq!(reclaim::command_of(found.iter().step_by(2)), reclaim::command(&some));
    let stopped = Progress::default();
    stopped.cancel();
    assert!(reclaim::candidates_with(&lic, &ws, histories, 60, as_of, &stopped).is_none());
    assert!(reclaim::replay_after_with(&lic, &ws, histories, &found, &stopped).is_none());
}
