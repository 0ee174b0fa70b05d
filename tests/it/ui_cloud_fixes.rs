//! The Genesys Cloud estimate view after a supervisor's trial (issue 33's
//! findings 4, 8–13): reasons that no longer hold, the tie rule in words,
//! the wave editor (its result and its problems at the fields), what a
//! what-if keeps, the scroll position per workspace, one tooltip per row,
//! and removing a rule with the unmatched users listed.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::cloud::CloudLicense;
use ia_licensing::ui::app::{FileKind, Nav};

use crate::ui_cloud::{harness, open, retype, settle, site};

/// Changing a shipped rule's license drops the shipped reason (it argued
/// for the old license) and opens the rule's fields with the problem at the
/// Why field; Add rule leaves Why empty, with a hint, instead of words that
/// would be saved as a reason.
#[test]
fn a_reason_that_no_longer_holds_is_dropped_and_asked_for_at_its_field() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open(dir.path(), false);
    h.get_by_label("Mapping: PureConnect licenses to Genesys Cloud").click();
    h.run_steps(2);
    // Row 2 is Voice ACD (CX 1).
    assert_eq!(h.state().cloud_draft().rules[1].name, "Voice ACD");
    // Each row's license is named for its rule.
    h.get_by_role_and_label(Role::ComboBox, "Genesys Cloud license for Voice ACD")
        .scroll_to_me();
    h.run_steps(2);
    h.get_by_role_and_label(Role::ComboBox, "Genesys Cloud license for Voice ACD")
        .click();
    h.run_steps(2);
    h.get_all_by_label("CX 2").last().expect("CX 2 in the list").click();
    h.run_steps(3);
    let ed = h.state().cloud_draft().clone();
    assert_eq!(ed.rules[1].license, CloudLicense::Cx2);
    assert_eq!(ed.rules[1].reason, "", "the CX 1 reason is gone");
    assert_eq!(ed.selected, Some(1), "the rule's fields are open");
    h.get_by_label_contains("Say why these users need this license");
    // Add rule: Why is empty (a hint shows), and asked for.
    h.get_by_label("Add rule").scroll_to_me();
    h.run_steps(2);
    h.get_by_label("Add rule").click();
    h.run_steps(2);
    let ed = h.state().cloud_draft().clone();
    let added = ed.rules.last().expect("added");
    assert_eq!(added.reason, "");
    assert_eq!(ed.selected, Some(ed.rules.len() - 1));
    assert!(ed.settings().is_err(), "a rule without a reason is not saved");
}

/// The tie rule in words says what the estimate does: of two rules giving
/// one level, the first matching row is credited.
#[test]
fn the_tie_rule_reads_as_the_estimate_counts() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open(dir.path(), false);
    h.get_by_label("Mapping: PureConnect licenses to Genesys Cloud").click();
    h.run_steps(2);
    h.get_by_label_contains("of rules giving the same level, the first matching row is the one credited");
    // Two rules on CX 2 matching the same users: the upper one is credited.
    h.state_mut().edit_cloud_draft(|ed| {
        let mut copy = ed.rules[9].clone();
        assert_eq!(copy.name, "Multi-channel ACD");
        copy.name = "Media 3 again".into();
        ed.rules.push(copy);
    });
    settle(&mut h);
    let est = h.state().views().cloud_view.estimate().expect("estimate").clone();
    let users = |name: &str| est.mapping.iter().find(|r| r.rule == name).map(|r| r.users);
    assert!(users("Multi-channel ACD").is_some_and(|n| n > 0));
    assert_eq!(users("Media 3 again"), Some(0));
}

/// The wave editor: fields wide enough to read, a tip on each, the users
/// each wave moves and the cost of running both next to it, and a bad date
/// said at its row.
#[test]
fn the_wave_editor_shows_its_result_and_its_problems_where_they_are() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open(dir.path(), false);
    h.get_by_label("Waves of the move").click();
    h.run_steps(2);
    h.get_by_label("Add wave").scroll_to_me();
    h.run_steps(2);
    h.get_by_label("Add wave").click();
    h.run_steps(2);
    retype(&mut h, "Workgroups of wave 1", 0, "WG-0001");
    settle(&mut h);
    let moving = h.state().views().cloud_view.estimate().expect("estimate").waves[0]
        .users
        .len();
    assert!(moving > 0);
    assert!(
        h.query_all_by_label(&ia_licensing::core::text::thousands(moving))
            .count()
            > 0,
        "the users the wave moves, in its row"
    );
    h.get_by_label_contains("Running both systems over the whole periods: ");
    let field = h
        .get_all_by_role_and_label(Role::TextInput, "Workgroups of wave 1")
        .next()
        .expect("field");
    assert!(field.rect().width() >= 200.0, "{:?}", field.rect());
    // A bad date: said under the row, not only at the top.
    retype(&mut h, "Date of wave 1", 0, "2026-99-99");
    h.run_steps(3);
    let errors: Vec<_> = h.get_all_by_label_contains("“2026-99-99” is not a date").collect();
    assert!(errors.len() >= 2, "at the top and at the row");
    let date = h
        .get_all_by_role_and_label(Role::TextInput, "Date of wave 1")
        .next()
        .expect("date")
        .rect();
    assert!(
        errors
            .iter()
            .any(|e| e.rect().min.y >= date.max.y && e.rect().min.y - date.max.y < 40.0),
        "one right under the date field {date:?}"
    );
}

/// A what-if says what happens to it (quitting asks first: `ui_cloud::quitting_with_a_what_if_asks_first`); read-only mode too.
#[test]
fn a_what_if_says_that_quitting_drops_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open(dir.path(), false);
    h.get_by_label("Use the example prices").click();
    settle(&mut h);
    h.get_by_label_contains("Save to workspace keeps them; opening another workspace drops them");
    let mut h = open(dir.path(), true);
    h.get_by_label("Use the example prices").click();
    settle(&mut h);
    h.get_by_label_contains("never saved; quitting drops it");
}

/// Another workspace opens at the top of the view (its answer in view),
/// not at the last one's scroll position.
#[test]
fn another_workspace_opens_at_the_top() {
    let dir = tempfile::tempdir().expect("tmp");
    let (lic, ws) = site(dir.path());
    let other_dir = dir.path().join("other");
    std::fs::create_dir_all(&other_dir).expect("dir");
    let other = other_dir.join("site.ialws");
    std::fs::copy(&ws, &other).expect("copy");
    std::fs::copy(
        ia_licensing::core::history::path_for(&ws),
        ia_licensing::core::history::path_for(&other),
    )
    .expect("copy");
    let mut h = harness(lic, ws, false, egui::vec2(1024.0, 700.0));
    h.step();
    h.state_mut().wait_for_loading();
    h.state_mut().set_nav(Nav::CloudEstimate);
    settle(&mut h);
    let heading = "Counts only: enter prices to compare the models";
    let top = h.get_by_label(heading).rect().min.y;
    h.get_by_label("Assumptions in force").scroll_to_me();
    h.run_steps(3);
    assert!(h.get_by_label(heading).rect().min.y < top - 200.0, "scrolled down");
    h.state_mut().open_file(FileKind::Workspace, other);
    h.step();
    h.state_mut().wait_for_loading();
    settle(&mut h);
    let y = h.get_by_label(heading).rect().min.y;
    assert!((y - top).abs() < 1.0, "the headline in view again: {y} (was {top})");
}

/// Removing a rule while the users who match no rule are listed, then
/// scrolling that list and the view: no panic, the list follows.
#[test]
fn removing_a_rule_with_the_unmatched_list_open_keeps_the_view_working() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = open(dir.path(), false);
    h.get_by_label("Mapping: PureConnect licenses to Genesys Cloud").click();
    h.run_steps(2);
    h.get_by_label_contains("Users who match no rule").click();
    h.run_steps(2);
    let before = h
        .state()
        .views()
        .cloud_view
        .estimate()
        .expect("estimate")
        .unmatched_users
        .len();
    let first = h.state().cloud_draft().rules[0].name.clone();
    h.get_by_label(&format!("Remove {first}")).click();
    h.run_steps(2);
    settle(&mut h);
    let after = h
        .state()
        .views()
        .cloud_view
        .estimate()
        .expect("estimate")
        .unmatched_users
        .len();
    assert!(
        after > before,
        "Client Access only's users are unmatched now ({before} → {after})"
    );
    h.get_by_label_contains(&format!(
        "Users who match no rule ({})",
        ia_licensing::core::text::thousands(after)
    ));
    for delta in [-400.0, 400.0, -2000.0, 2000.0] {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Point,
            delta: egui::vec2(0.0, delta),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        h.run_steps(2);
    }
    // Every row's users count is its own rule's (none shifted after the removal).
    let est = h.state().views().cloud_view.estimate().expect("estimate").clone();
    let names: Vec<String> = h.state().cloud_draft().rules.iter().map(|r| r.name.clone()).collect();
    let rules: Vec<String> = est.mapping.iter().map(|r| r.rule.clone()).collect();
    assert_eq!(names, rules);
}

/// At 1024×700 the long texts wrap at the window's edge, also below a
/// table wider than the window (the page scrolls sideways for the table,
/// not for the words): the assumptions, the waves' intro, the mapping's.
#[test]
fn long_texts_wrap_in_a_small_window() {
    let dir = tempfile::tempdir().expect("tmp");
    let (lic, ws) = site(dir.path());
    let mut h = harness(lic, ws, false, egui::vec2(1024.0, 700.0));
    h.step();
    h.state_mut().wait_for_loading();
    h.state_mut().set_nav(Nav::CloudEstimate);
    settle(&mut h);
    for section in [
        "Mapping: PureConnect licenses",
        "Waves of the move",
        "Assumptions in force",
    ] {
        h.get_by_label_contains(section).scroll_to_me();
        h.run();
        h.get_by_label_contains(section).click();
        h.run();
    }
    for text in [
        "Each rule gives a Genesys Cloud license",
        "Each wave moves its workgroups' members",
        "Only a whole billing period with usage history",
        "Licenses are mapped from the workspace as it is now",
    ] {
        h.get_by_label_contains(text).scroll_to_me();
        h.run_steps(2);
        let r = h.get_by_label_contains(text).rect();
        assert!(r.max.x <= 1024.0, "“{text}” runs to {} past the window", r.max.x);
    }
}
