//! License policies: matching (each criterion, AND), the union of grants,
//! conflicts, drift, apply as one undo step equal to the same commands by
//! hand, per-key refusals, and the CLI contract.

use ia_licensing::core::command::Command;
use ia_licensing::core::subject::Subject;
use ia_licensing::core::workspace::Method;
use ia_licensing::core::{policy, policy_apply};
use serde_json::json;

use crate::util::*;

fn site(policies: serde_json::Value) -> serde_json::Value {
    json!({"format": 1,
        "users": [
            {"id": "ann", "roles": ["Agent"], "workgroups": ["Sales"], "licenses": ["I3_ACCESS_CLIENT"]},
            {"id": "bob", "roles": ["Agent"], "workgroups": ["Digital"]},
            {"id": "sue", "roles": ["Supervisor"], "workgroups": ["Sales"]},
            {"id": "tom", "roles": ["Agent", "Supervisor"]}],
        "stations": [
            {"id": "lobby-1", "type": "standalone-phone", "machine_name": "lobby-1"},
            {"id": "ws-1", "machine_name": "ws-1"}],
        "workgroups": [{"name": "Sales", "media": ["call"]}, {"name": "Digital", "media": ["chat", "email"]}],
        "policies": policies})
}

fn lic() -> std::sync::Arc<ia_licensing::core::license::License> {
    license_with(&[
        "I3_ACCESS_CLIENT=10+5",
        "I3_ACCESS_ACD_MEDIA_1=10",
        "I3_ACCESS_ACD_MEDIA_2=10",
        "I3_ACCESS_ACD_MEDIA_3_PLUS=10",
        "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN=1",
        "I3_LICENSE_BASIC_STATION=10",
    ])
}

fn ids(plan: &policy::Plan) -> Vec<String> {
    plan.changes.iter().map(|c| c.subject.id.clone()).collect()
}

#[test]
fn matching_by_role_workgroup_station_type_and_pattern() {
    let d = doc(
        lic(),
        site(json!([
            {"name": "Agents", "match": {"role": "agent"}, "grant": {"licenses": ["I3_ACCESS_CLIENT"]}},
            {"name": "Sales supervisors", "match": {"role": "Supervisor", "workgroup": "Sales"},
             "grant": {"licenses": ["I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN"]}},
            {"name": "Lobby phones", "match": {"station_type": "standalone-phone"},
             "grant": {"licenses": ["I3_LICENSE_BASIC_STATION"]}},
            {"name": "T users", "match": {"id_pattern": "t*"}, "grant": {"licenses": ["I3_ACCESS_CLIENT"]}}])),
    );
    let plan = policy::plan(d.workspace());
    // ann already holds Client Access: unchanged; bob and tom get it (tom
    // by two rules, one union); sue matches the AND of role and workgroup.
    assert_eq!(ids(&plan), vec!["bob", "sue", "tom", "lobby-1"]);
    assert_eq!(plan.unchanged, 1);
    assert_eq!(plan.matched["Agents"], (3, 0));
    assert_eq!(plan.matched["Sales supervisors"], (1, 0));
    assert_eq!(plan.matched["Lobby phones"], (0, 1));
    let tom = plan.changes.iter().find(|c| c.subject.id == "tom").expect("tom");
    assert_eq!(tom.add, vec!["I3_ACCESS_CLIENT".to_string()], "the union, once");
}

#[test]
fn the_lowest_acd_level_covering_the_workgroups_and_conflicts() {
    let d = doc(
        lic(),
        site(json!([
            {"name": "Agents", "match": {"role": "Agent"}, "grant": {"acd": {}}},
            {"name": "Concurrent agents", "match": {"role": "Agent"}, "grant": {"method": "concurrent"}},
            {"name": "Assignable supervisors", "match": {"role": "Supervisor"}, "grant": {"method": "assignable"}}])),
    );
    let plan = policy::plan(d.workspace());
    let acd = |id: &str| {
        plan.changes
            .iter()
            .find(|c| c.subject.id == id)
            .and_then(|c| c.acd.clone())
    };
    // ann: Sales carries calls only → Media 1 for calls; bob: Digital
    // carries chat and email → Media 2 for both.
    assert_eq!(acd("ann").map(|a| a.0.label()), Some("Media 1"));
    assert_eq!(acd("bob").map(|(l, m)| (l.label(), m.len())), Some(("Media 2", 2)));
    // tom is an Agent and a Supervisor: two methods — a conflict naming both rules.
    assert_eq!(plan.conflicts.len(), 1);
    assert_eq!(plan.conflicts[0].subject.id, "tom");
    assert!(
        plan.conflicts[0].message.contains("“Concurrent agents”")
            && plan.conflicts[0].message.contains("“Assignable supervisors”")
    );
    assert!(
        d.engine()
            .diagnostics()
            .iter()
            .any(|x| x.code == "policy-conflict" && x.subject.id == "tom")
    );
}

#[test]
fn drift_appears_apply_is_one_undo_step_and_a_second_apply_changes_nothing() {
    let mut d = doc(
        lic(),
        site(json!([
            {"name": "Agents", "match": {"role": "Agent"}, "grant": {"licenses": ["I3_ACCESS_CLIENT"], "acd": {}}},
            {"name": "Supervisors", "match": {"role": "Supervisor"}, "exclusive": true,
             "grant": {"licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN"]}}])),
    );
    let drift = |d: &ia_licensing::core::document::Document| {
        d.engine()
            .diagnostics()
            .iter()
            .filter(|x| x.code == "policy-drift")
            .map(|x| x.subject.id.clone())
            .collect::<Vec<_>>()
    };
    assert!(drift(&d).contains(&"bob".to_string()));
    let before = d.workspace().clone();
    let plan = policy::plan(d.workspace());
    let command = policy_apply::command(&plan).expect("something to do");
    let log_before = d.change_log().len();
    let applied = d.apply(command.clone()).expect("apply");
    // The change log credits each change to the rules that grant it, not
    // to every rule the subject matches (tom matches both).
    let credited = |who: &str, key: &str| {
        d.change_log()
            .iter()
            .skip(log_before)
            .find(|e| e.id() == who && e.key() == Some(key))
            .map(|e| e.action().to_string())
    };
    assert_eq!(
        credited("bob", "I3_ACCESS_CLIENT").as_deref(),
        Some("Apply policies: Agents")
    );
    assert_eq!(
        credited("bob", "I3_ACCESS_ACD_MEDIA_2").as_deref(),
        Some("Apply policies: Agents"),
        "the ACD level: the rule with an ACD grant"
    );
    assert_eq!(
        credited("tom", "I3_ACCESS_CLIENT").as_deref(),
        Some("Apply policies: Agents, Supervisors"),
        "granted by both"
    );
    let plugin = ["sue", "tom"]
        .iter()
        .find_map(|who| credited(who, "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN"));
    assert_eq!(plugin.as_deref(), Some("Apply policies: Supervisors"), "not Agents");
    // The step itself is named after every rule behind a change.
    assert_eq!(d.undo_summary(), Some("Apply policies: Agents, Supervisors"));
    // One supervisor plug-in allowed: sue gets it, tom is refused — only
    // that key, the rest of tom's grant still applies.
    assert!(applied.refused().any(|(s, _)| s.id == "tom" || s.id == "sue"));
    assert!(
        d.workspace()
            .user("bob")
            .is_some_and(|u| u.licenses.contains("I3_ACCESS_ACD_MEDIA_2"))
    );
    assert!(d.engine().same_as(&d.recount()));
    // The same commands by hand give the same workspace.
    let mut by_hand = doc(lic(), serde_json::from_str(&before.to_json()).expect("json"));
    if let Command::Batch { commands, .. } = command.clone() {
        for c in commands {
            let _ = by_hand.apply(c);
        }
    }
    assert_eq!(by_hand.workspace(), d.workspace());
    // A second plan has nothing left that can be done… except what was refused.
    let again = policy::plan(d.workspace());
    assert!(
        again
            .changes
            .iter()
            .all(|c| c.subject.id == "tom" || c.subject.id == "sue"),
        "{:?}",
        again.changes
    );
    d.undo().expect("undo");
    assert_eq!(*d.workspace(), before, "one undo step");
}

#[test]
fn bad_policies_are_refused_with_their_path() {
    for (policies, expected) in [
        (json!([{"name": "", "grant": {}}]), "needs a name"),
        (
            json!([{"name": "a", "grant": {}}, {"name": "A", "grant": {}}]),
            "used twice",
        ),
        (
            json!([{"name": "a", "grant": {"licenses": ["nope"]}}]),
            "$.policies[0].grant.licenses[0]",
        ),
        (
            json!([{"name": "a", "match": {"station_type": "remote", "role": "Agent"}, "grant": {}}]),
            "station rule",
        ),
        (
            json!([{"name": "a", "grant": {"acd": {"level": "media-1", "media": ["call", "chat"]}}}]),
            "grant.acd.media",
        ),
        (json!([{"name": "a", "grant": {}, "surprise": 1}]), "$.policies[0]"),
    ] {
        let err = ia_licensing::core::workspace::Workspace::from_value(site(policies)).expect_err("refused");
        assert!(err.to_string().contains(expected), "{err}");
    }
}

#[test]
fn policy_apply_cli_contract_dry_run_and_exit_codes() {
    let dir = tempfile::tempdir().expect("tmp");
    let ws = dir.path().join("site.ialws");
    std::fs::write(
        &ws,
        site(json!([
            {"name": "Agents", "match": {"role": "Agent"}, "grant": {"licenses": ["I3_ACCESS_CLIENT"]}},
            {"name": "Supervisors", "match": {"role": "Supervisor"},
             "grant": {"licenses": ["I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN"]}}]))
        .to_string(),
    )
    .expect("write");
    let lic_path = dir.path().join("l.I3Lic");
    std::fs::write(&lic_path, std::fs::read(asset("demo.I3Lic")).expect("read")).expect("write");
    let run = |extra: &[&str]| {
        let mut args = vec![
            "policy",
            "apply",
            "--license",
            s(&lic_path),
            "--workspace",
            s(&ws),
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        crate::util::bin().args(&args).output().expect("run")
    };
    let before = std::fs::read(&ws).expect("read");
    let out = run(&["--dry-run"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(std::fs::read(&ws).expect("read"), before, "--dry-run writes nothing");
    assert!(v["changed"].as_array().is_some_and(|c| c.iter().any(|x| {
        x["subject"]["id"] == "bob"
            && x["add"]
                .as_array()
                .is_some_and(|a| a.contains(&json!("I3_ACCESS_CLIENT")))
            && x["rules"] == json!(["Agents"])
    })));
    // sue matches Supervisors only: her change is credited to it alone.
    assert!(v["changed"].as_array().is_some_and(|c| {
        c.iter()
            .any(|x| x["subject"]["id"] == "sue" && x["rules"] == json!(["Supervisors"]))
    }));
    assert!(v["unchanged"].is_number());
    assert!(v["conflicts"].as_array().is_some_and(Vec::is_empty));
    // The demo license allows 10 System Status plug-ins and this small site
    // uses none: everything fits, exit 0.
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(v["license"]["demo"], true);
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(0));
    let after =
        ia_licensing::core::workspace::Workspace::from_json(&std::fs::read_to_string(&ws).expect("read")).expect("ws");
    assert!(
        after
            .user("bob")
            .is_some_and(|u| u.licenses.contains("I3_ACCESS_CLIENT"))
    );
    assert_eq!(after.user("sue").map(|u| u.method), Some(Method::Assignable));
    // Applied: nothing left to do.
    let v: serde_json::Value = serde_json::from_slice(&run(&["--dry-run"]).stdout).expect("json");
    assert_eq!(v["changed"].as_array().map(Vec::len), Some(0));
    // A key the license lacks is refused per subject and key: exit 1.
    let mut v2: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&ws).expect("read")).expect("json");
    v2["policies"][1]["grant"]["licenses"] = json!(["I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN"]);
    std::fs::write(&ws, v2.to_string()).expect("write");
    let out = run(&["--dry-run"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let refused = v["refused"].as_array().expect("refused");
    assert!(
        refused
            .iter()
            .any(|r| r["key"] == "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN"
                && r["code"].is_string()
                && r["subject"]["id"] == "sue")
    );
    let _ = Subject::user("x");
}

mod idempotence {
    use super::*;
    use proptest::prelude::*;

    fn candidates() -> Vec<serde_json::Value> {
        vec![
            json!({"name": "Agents", "match": {"role": "Agent"}, "grant": {"licenses": ["I3_ACCESS_CLIENT"], "acd": {}}}),
            json!({"name": "Sales", "match": {"workgroup": "Sales"}, "exclusive": true,
                   "grant": {"licenses": ["I3_ACCESS_CLIENT"], "acd": {"level": "media-1", "media": ["call"]}}}),
            json!({"name": "Concurrent", "match": {"id_pattern": "b*"}, "grant": {"method": "concurrent"}}),
            json!({"name": "Supervisors", "match": {"role": "Supervisor"},
                   "grant": {"licenses": ["I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN"]}}),
            json!({"name": "Phones", "match": {"station_type": "standalone-phone"},
                   "grant": {"licenses": ["I3_LICENSE_BASIC_STATION"]}}),
            json!({"name": "Digital", "match": {"workgroup": "Digital"}, "grant": {"acd": {"level": "media-3-plus"}}}),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Applying the policies twice changes nothing the second time.
        #[test]
        fn applying_twice_changes_nothing_the_second_time(pick in prop::collection::vec(any::<bool>(), 6)) {
            let chosen: Vec<serde_json::Value> =
                candidates().into_iter().zip(&pick).filter(|(_, on)| **on).map(|(p, _)| p).collect();
            let mut d = doc(lic(), site(serde_json::Value::Array(chosen)));
            if let Some(c) = policy_apply::command(&policy::plan(d.workspace())) {
                let _ = d.apply(c);
            }
            let after_first = d.workspace().clone();
            if let Some(c) = policy_apply::command(&policy::plan(d.workspace()))
                && let Ok(applied) = d.apply(c)
            {
                prop_assert_eq!(applied.changed(), 0, "the second apply changed something");
            }
            prop_assert_eq!(d.workspace(), &after_first);
            prop_assert!(d.engine().same_as(&d.recount()));
        }
    }
}

/// The Policies view on the demo: its rules with what they match, the
/// preview, Apply as one step, Undo.
#[test]
fn the_policies_view_previews_applies_and_undoes() {
    use egui_kittest::kittest::Queryable;
    use ia_licensing::core::license::TrustStore;
    use ia_licensing::ui::app::{Nav, Startup};
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    );
    h.run();
    h.get_by_label("Policies").click();
    h.run();
    assert_eq!(h.state().nav(), Nav::Policies);
    h.get_by_label("Lobby phones");
    h.get_by_label_contains("13 users and 1 station would change");
    let before = h.state().doc().workspace().clone();
    // Apply policies asks first: the plan, with Cancel the default while
    // something would be refused; Cancel changes nothing.
    h.get_by_label("Apply policies").click();
    h.run();
    h.state_mut().wait_for_plan();
    h.run();
    let question = h
        .state_mut()
        .confirmation()
        .and_then(|c| c.plan().map(|p| (p.question(), p.cautions())))
        .expect("the confirmation with its plan");
    h.get_by_label(&question.0);
    assert!(question.0.starts_with("Apply "), "{question:?}");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.state().modals().is_empty());
    assert_eq!(*h.state().doc().workspace(), before, "Cancel changes nothing");
    h.get_by_label("Apply policies").click();
    h.run();
    h.state_mut().wait_for_plan();
    h.run();
    h.get_by_label("Apply").click();
    h.run();
    // A refusal in part is reported in full.
    if h.query_by_label("Applied in part").is_some() {
        h.get_by_label("OK").click();
        h.run();
    }
    h.get_by_label_contains("Nothing would change");
    assert!(
        h.state()
            .doc()
            .workspace()
            .station("lobby-phone")
            .is_some_and(|s| s.licenses.contains("I3_LICENSE_BASIC_STATION"))
    );
    assert!(
        !h.state()
            .doc()
            .engine()
            .diagnostics()
            .iter()
            .any(|d| d.code == "policy-drift")
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(*h.state().doc().workspace(), before, "one undo step");
}

/// The editor: a new rule with a live count, saved as one undoable step;
/// Remove takes one out.
#[test]
fn the_policy_editor_adds_and_removes_rules() {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;
    use ia_licensing::core::license::TrustStore;
    use ia_licensing::ui::app::{App, Nav, Startup};
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    );
    h.run();
    h.state_mut().set_nav(Nav::Policies);
    h.run();
    h.get_by_label("New policy…").click();
    h.run();
    let field = |h: &mut Harness<'static, App>, label: &str, text: &str| {
        let f = h.get_by_role_and_label(egui::accesskit::Role::TextInput, label);
        f.focus();
        f.type_text(text);
        h.run();
    };
    field(&mut h, "Name:", "Back office clients");
    field(&mut h, "Workgroup:", "Back Office");
    // Licenses are picked by IA's names from the license file's, not typed
    // as keys.
    h.get_by_role_and_label(egui::accesskit::Role::ComboBox, "Licenses:")
        .click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Client Access")
        .click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_label_contains("Matches 45 users and 0 stations now.");
    h.get_by_label("Save policy").click();
    h.run();
    assert_eq!(h.state().doc().workspace().policies.len(), 4);
    assert_eq!(h.state().doc().workspace().policies[3].name, "Back office clients");
    assert_eq!(
        h.state().doc().workspace().policies[3].grant.licenses,
        vec!["I3_ACCESS_CLIENT".to_string()]
    );
    h.get_by_label("Back office clients");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().doc().workspace().policies.len(), 3, "undo");
    h.get_all_by_label_contains("Remove policy")
        .last()
        .expect("a Remove button")
        .click();
    h.run();
    assert_eq!(h.state().doc().workspace().policies.len(), 2);
}

/// Roles in bulk: give a role to many users, take one away; undo puts each
/// record back exactly (the roles' order too).
#[test]
fn roles_in_bulk_and_undo_is_exact() {
    let mut d = doc(lic(), site(json!([])));
    let before = d.workspace().clone();
    d.apply(Command::SetRole {
        users: vec!["ann".into(), "bob".into(), "tom".into()],
        role: "Night".into(),
        member: true,
    })
    .expect("give");
    assert!(
        d.workspace()
            .user("bob")
            .is_some_and(|u| u.roles.contains(&"Night".to_string()))
    );
    d.apply(Command::SetRole {
        users: vec!["tom".into()],
        role: "agent".into(),
        member: false,
    })
    .expect("take");
    assert_eq!(
        d.workspace().user("tom").map(|u| u.roles.clone()),
        Some(vec!["Supervisor".into(), "Night".into()])
    );
    d.undo().expect("undo");
    assert_eq!(
        d.workspace().user("tom").map(|u| u.roles.clone()),
        Some(vec!["Agent".into(), "Supervisor".into(), "Night".into()])
    );
    d.undo().expect("undo");
    assert_eq!(*d.workspace(), before);
    // A blank role is refused.
    assert!(
        d.apply(Command::SetRole {
            users: vec!["ann".into()],
            role: " ".into(),
            member: true
        })
        .is_err()
    );
}

#[test]
fn the_roles_bulk_dialog_gives_a_role_to_the_selection() {
    use egui_kittest::kittest::Queryable;
    use ia_licensing::core::license::TrustStore;
    use ia_licensing::ui::app::Startup;
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    );
    h.run();
    h.get_by_label("Users").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label("Roles…").click();
    h.run();
    let f = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Role:");
    f.focus();
    f.type_text("Night");
    h.run();
    h.get_by_label("167 users will get role Night.");
    // Over 100 users: asked first.
    h.get_by_label("Apply").click();
    h.run();
    h.state_mut().wait_for_plan();
    h.run();
    h.get_by_label("Apply 167 changes to 167 users?");
    h.get_by_label("Apply").click();
    h.run();
    assert!(
        h.state()
            .doc()
            .workspace()
            .users()
            .iter()
            .all(|u| u.roles.iter().any(|r| r == "Night"))
    );
}
