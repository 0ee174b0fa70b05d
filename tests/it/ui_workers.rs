//! What used to stall the window at 100,000 users (#32), now off its
//! thread: File › Open Events… and the simulation's replays, Reclaim
//! Licenses' candidates, the bulk dialog's preview on a worker; a large
//! change applied, undone and redone a slice per frame; quitting without
//! drawing the last frames. The tests take the workers' path with tiny
//! data (`Limits::on_workers`) and hold the workers to see the progress
//! they show, then let them finish or press Cancel.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ia_licensing::core::license::TrustStore;
use ia_licensing::core::workspace::Method;
use ia_licensing::ui::app::{App, Dialog, Modal, Nav, Startup};
use ia_licensing::ui::job::Limits;

use crate::util::asset;

fn harness() -> Harness<'static, App> {
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    );
    h.run();
    h
}

/// Everything on workers, held until `hold` is cleared.
fn held(hold: &Arc<AtomicBool>) -> Limits {
    hold.store(true, Ordering::Release);
    Limits {
        hold: Some(hold.clone()),
        ..Limits::on_workers()
    }
}

/// The app on the Idle Tracker scenario (100 Tracker holders, 20 idle for
/// 60 days), on the Reclaim view.
fn idle_tracker() -> Harness<'static, App> {
    let mut h = harness();
    let index = ia_licensing::core::demo::SCENARIOS
        .iter()
        .position(|(n, ..)| n.starts_with("Idle Tracker"))
        .expect("scenario");
    h.state_mut().load_scenario(index);
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

/// A few frames (a progress window animates: `run` would not settle).
fn frames(h: &mut Harness<'static, App>) {
    h.run_steps(3);
}

#[test]
fn open_events_reads_and_replays_on_a_worker_behind_a_progress_window() {
    let mut h = harness();
    let hold = Arc::new(AtomicBool::new(false));
    h.state_mut().set_limits(held(&hold));
    h.state_mut().open_events(&asset("scenarios/idle-tracker.events.json"));
    frames(&mut h);
    assert!(h.state().is_opening_events());
    h.get_by_label("Opening idle-tracker.events.json");
    h.get_by_label_contains("Reading the events");
    h.get_by_label("Cancel");
    assert!(h.state().simulation().is_none(), "nothing loaded until it is ready");
    hold.store(false, Ordering::Release);
    h.state_mut().wait_for_events();
    h.run();
    assert!(!h.state().is_opening_events());
    assert_eq!(h.state().nav(), Nav::LicenseStatistics);
    h.get_by_label("Simulation: idle-tracker.events.json");
    assert!(h.query_by_label("Opening idle-tracker.events.json").is_none());
    let sim = h.state().simulation().as_ref().expect("loaded");
    assert!(
        sim.full.events_applied > 0,
        "replayed on the worker, before it was shown"
    );
}

#[test]
fn cancel_while_opening_events_keeps_the_events_loaded_before() {
    let mut h = idle_tracker();
    let name_before = h.state().simulation().as_ref().map(|s| s.name.clone());
    let hold = Arc::new(AtomicBool::new(false));
    h.state_mut().set_limits(held(&hold));
    h.state_mut().open_events(&asset("scenarios/idle-tracker.events.json"));
    frames(&mut h);
    h.get_by_label("Opening idle-tracker.events.json");
    h.get_by_label("Cancel").click();
    h.run();
    hold.store(false, Ordering::Release);
    assert!(!h.state().is_opening_events());
    assert!(h.query_by_label("Opening idle-tracker.events.json").is_none());
    h.get_by_label_contains("was cancelled; the events loaded before are unchanged");
    assert_eq!(h.state().simulation().as_ref().map(|s| s.name.clone()), name_before);
}

#[test]
fn the_simulation_replays_on_a_worker_and_to_end_needs_no_replay() {
    let mut h = harness();
    h.run();
    h.state_mut().load_scenario(1);
    h.run();
    let hold = Arc::new(AtomicBool::new(false));
    h.state_mut().set_simulation_limits(held(&hold));
    // A change to the workspace: the replays are made again, on a worker;
    // the figures shown meanwhile are the last replay's, and say so.
    let id = h.state().doc().workspace().users()[0].id.clone();
    h.state_mut()
        .apply(ia_licensing::core::command::Command::RemoveUser { id })
        .expect("an edit");
    frames(&mut h);
    h.get_by_label_contains("Replaying the events: 0 %");
    let old_full = h
        .state()
        .simulation()
        .as_ref()
        .map(|s| Arc::clone(&s.full))
        .expect("sim");
    hold.store(false, Ordering::Release);
    h.state_mut().wait_for_replay();
    h.run();
    assert!(h.query_by_label_contains("Replaying the events").is_none());
    let sim = h.state().simulation().as_ref().expect("sim");
    assert!(!Arc::ptr_eq(&sim.full, &old_full), "replayed for the changed workspace");
    // To end: the replay up to the clock is the replay of every event,
    // already made: nothing to replay, nothing to wait for.
    h.get_by_label("To end").click();
    h.run();
    let sim = h.state().simulation().as_ref().expect("sim");
    assert!(sim.replaying().is_none(), "no replay started");
    assert!(Arc::ptr_eq(&sim.current, &sim.full));
    h.get_by_label("120 of 120 events");
}

#[test]
fn reclaim_finds_idle_licenses_on_a_worker_and_cancel_changes_nothing() {
    let mut h = idle_tracker();
    let hold = Arc::new(AtomicBool::new(false));
    h.state_mut().set_simulation_limits(held(&hold));
    let before = h.state().doc().workspace().clone();
    h.state_mut().set_nav(Nav::Reclaim);
    frames(&mut h);
    h.get_by_label_contains("Reclaim Licenses: finding idle licenses in");
    // Cancel: nothing found, nothing changed, and a way to try again.
    h.get_by_label("Cancel").click();
    frames(&mut h);
    h.get_by_label("Finding the idle licenses was cancelled; nothing was changed.");
    assert_eq!(*h.state().doc().workspace(), before);
    assert!(h.state().views().reclaim_view.candidates().is_empty());
    h.get_by_label("Find idle licenses").click();
    frames(&mut h);
    h.get_by_label_contains("Reclaim Licenses: finding idle licenses in");
    hold.store(false, Ordering::Release);
    h.state_mut().wait_for_reclaim();
    h.run();
    h.get_by_label_contains("20 candidates");
    h.get_by_label_contains("20 of 20 ticked");
    h.get_by_label_contains("logons would be denied");
    assert!(!h.state().views().reclaim_view.is_working());
}

#[test]
fn a_bulk_preview_of_a_large_selection_is_worked_out_on_a_worker() {
    let mut h = harness();
    let hold = Arc::new(AtomicBool::new(false));
    h.state_mut().set_limits(held(&hold));
    let before = h.state().doc().workspace().clone();
    let users: Vec<String> = before.users().iter().map(|u| u.id.clone()).collect();
    h.state_mut().handle(ia_licensing::ui::views::Action::Bulk {
        kind: ia_licensing::ui::views::BulkKind::Assign,
        users,
        stations: Vec::new(),
    });
    frames(&mut h);
    h.get_by_label_contains("Working out what would change");
    hold.store(false, Ordering::Release);
    assert!(
        matches!(h.state().modals().last(), Some(Modal::Dialog(Dialog::Bulk(_)))),
        "the bulk dialog is open"
    );
    let sentence = h
        .state_mut()
        .wait_for_bulk_preview()
        .expect("the plan came back")
        .sentences()
        .into_iter()
        .next()
        .expect("a sentence");
    h.run();
    assert!(h.query_by_label_contains("Working out what would change").is_none());
    h.get_by_label(&format!("{sentence}."));
    // Cancel: the dialog goes, nothing changed.
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().modals().is_empty());
    assert_eq!(*h.state().doc().workspace(), before);
}

/// Reclaim › Apply suggestions on the worker's path: applied a slice per
/// frame behind a progress window, one undo step; undone and redone the
/// same way; Cancel half-way leaves the document as it was.
#[test]
fn a_large_change_is_applied_undone_and_redone_in_slices_and_cancel_puts_it_back() {
    let mut h = idle_tracker();
    h.state_mut().set_nav(Nav::Reclaim);
    h.run();
    h.get_by_label_contains("20 of 20 ticked");
    let before = h.state().doc().workspace().clone();
    let steps = h.state().doc().history().len();
    let hold = Arc::new(AtomicBool::new(false));
    h.state_mut().set_limits(Limits::on_workers());
    h.get_by_label("Apply suggestions").click();
    h.run();
    h.state_mut().wait_for_plan();
    h.run();
    h.get_by_label("Apply 20 changes to 20 users?");
    // Apply, held: the progress window is in front, nothing changed yet.
    h.state_mut().set_limits(held(&hold));
    h.get_by_label("Apply").click();
    frames(&mut h);
    assert!(h.state().is_applying());
    h.get_by_label("Applying Reclaim idle licenses (20 users)");
    h.get_by_label_contains("Checking and changing 0 of 20 users and stations");
    hold.store(false, Ordering::Release);
    h.run();
    assert!(!h.state().is_applying());
    assert_eq!(concurrent_users(&h), 20);
    assert_eq!(h.state().doc().history().len(), steps + 1, "one undo step");
    assert_eq!(h.state().doc().undo_summary(), Some("Reclaim idle licenses (20 users)"));
    h.get_by_label_contains("Reclaim idle licenses (20 users)");
    let after = h.state().doc().workspace().clone();
    // Undo, held then let go: everything back.
    hold.store(true, Ordering::Release);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    frames(&mut h);
    h.get_by_label("Undoing Reclaim idle licenses (20 users)");
    hold.store(false, Ordering::Release);
    h.run();
    assert_eq!(*h.state().doc().workspace(), before);
    h.get_by_label("Undid: Reclaim idle licenses (20 users)");
    // Redo, cancelled: the document stays as it was, the step to redo.
    hold.store(true, Ordering::Release);
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
    frames(&mut h);
    h.get_by_label("Redoing Reclaim idle licenses (20 users)");
    h.get_by_label("Cancel").click();
    // The click is taken while the run is held: nothing done is undone.
    h.step();
    hold.store(false, Ordering::Release);
    h.run();
    assert!(!h.state().is_applying());
    h.get_by_label_contains("cancelled; nothing was changed");
    assert_eq!(*h.state().doc().workspace(), before);
    assert!(h.state().doc().can_redo());
    // Redo to the end.
    h.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::Z);
    h.run();
    assert_eq!(*h.state().doc().workspace(), after);
    h.get_by_label("Redid: Reclaim idle licenses (20 users)");
}

#[test]
fn cancel_while_applying_leaves_the_document_and_its_undo_list_as_they_were() {
    let mut h = idle_tracker();
    h.state_mut().set_nav(Nav::Reclaim);
    h.run();
    let before = h.state().doc().workspace().clone();
    let (steps, log) = (h.state().doc().history().len(), h.state().doc().change_log().len());
    let hold = Arc::new(AtomicBool::new(false));
    h.state_mut().set_limits(Limits::on_workers());
    h.get_by_label("Apply suggestions").click();
    h.run();
    h.state_mut().wait_for_plan();
    h.run();
    h.state_mut().set_limits(held(&hold));
    h.get_by_label("Apply").click();
    frames(&mut h);
    h.get_by_label("Applying Reclaim idle licenses (20 users)");
    h.get_by_label("Cancel").click();
    h.step();
    hold.store(false, Ordering::Release);
    h.run();
    assert!(!h.state().is_applying());
    h.get_by_label_contains("Reclaim idle licenses (20 users): cancelled; nothing was changed");
    assert_eq!(*h.state().doc().workspace(), before);
    assert_eq!(h.state().doc().history().len(), steps);
    assert_eq!(h.state().doc().change_log().len(), log);
    assert!(!h.state().dirty());
}

/// Quitting with nothing unsaved hides the window at once and draws nothing
/// more (its last frames cost no rendering); with unsaved changes it asks.
#[test]
fn quit_with_nothing_unsaved_hides_the_window_at_once() {
    let commands = |h: &Harness<'static, App>| {
        h.output()
            .viewport_output
            .get(&egui::ViewportId::ROOT)
            .map(|v| v.commands.clone())
            .unwrap_or_default()
    };
    // Ctrl+Q down, in one frame of its own (the harness's `key_press` runs
    // a frame per event, and the frame is the one to look at).
    let quit = |h: &mut Harness<'static, App>| {
        h.input_mut().events.push(egui::Event::Key {
            key: egui::Key::Q,
            physical_key: None,
            pressed: true,
            repeat: false,
            modifiers: egui::Modifiers::COMMAND,
        });
        h.step();
    };
    let mut h = harness();
    quit(&mut h);
    let sent = commands(&h);
    assert!(sent.contains(&egui::ViewportCommand::Visible(false)), "{sent:?}");
    assert!(sent.contains(&egui::ViewportCommand::Close), "{sent:?}");
    assert!(h.query_by_label("License Management").is_none(), "nothing drawn");
    // With an unsaved change the window stays, and the close asks first.
    let mut h = harness();
    let id = h.state().doc().workspace().users()[0].id.clone();
    h.state_mut()
        .apply(ia_licensing::core::command::Command::RemoveUser { id })
        .expect("an edit");
    quit(&mut h);
    let sent = commands(&h);
    assert!(!sent.contains(&egui::ViewportCommand::Visible(false)), "{sent:?}");
    assert!(sent.contains(&egui::ViewportCommand::Close));
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
    h.run();
    h.get_by_label("Don't Save");
}

/// The Policies view works out its plan (matching every user and station,
/// and a dry run of applying it) on a worker for a large workspace; the
/// rules are listed meanwhile and Apply waits for the plan.
#[test]
fn the_policies_plan_is_worked_out_on_a_worker() {
    let mut h = harness();
    let hold = Arc::new(AtomicBool::new(false));
    h.state_mut().set_limits(held(&hold));
    h.state_mut().set_nav(Nav::Policies);
    frames(&mut h);
    h.get_by_label("Working out what the policies would change…");
    h.get_by_label("Agents");
    assert!(
        h.get_by_label("Apply policies").accesskit_node().is_disabled(),
        "no plan to apply yet"
    );
    hold.store(false, Ordering::Release);
    h.state_mut().wait_for_policies();
    h.run();
    assert!(!h.state().views().policies_view.is_working());
    assert!(
        h.query_by_label("Working out what the policies would change…")
            .is_none()
    );
    h.get_by_label_contains("would change,");
}
