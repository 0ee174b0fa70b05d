//! The plan of a change set (core::plan): who will get, keep and lose each
//! license, who cannot and why, how many logons a loaded history would then
//! have denied — worked out by a dry run that leaves the document as it was —
//! and the credit of a policy change to the rules that grant it.

use chrono::{DateTime, TimeZone, Utc};
use ia_licensing::core::command::Command;
use ia_licensing::core::plan::{self, ChangePlan, Item, Progress};
use ia_licensing::core::policy;
use ia_licensing::core::replay::{Event, EventKind};
use ia_licensing::core::subject::Subject;
use ia_licensing::core::workspace::Method;
use serde_json::json;

use crate::util::*;

const CA: &str = "I3_ACCESS_CLIENT";

fn users(ids: &[&str]) -> Vec<Subject> {
    ids.iter().map(|id| Subject::user(*id)).collect()
}

fn ids(list: &[Subject]) -> Vec<&str> {
    list.iter().map(|s| s.id.as_str()).collect()
}

/// ann holds Client Access; bob, cat and dan do not.
fn site() -> serde_json::Value {
    json!({"format": 1,
        "users": [
            {"id": "ann", "licenses": [CA]},
            {"id": "bob"},
            {"id": "cat"},
            {"id": "dan"}],
        "stations": [{"id": "ws-1", "machine_name": "ws-1"}],
        "workgroups": []})
}

fn plan_of(d: &mut ia_licensing::core::document::Document, c: &Command) -> ChangePlan {
    plan::plan(d, c, None, &Progress::default()).expect("a plan")
}

#[test]
fn a_plan_says_who_gets_keeps_and_cannot_and_changes_nothing() {
    // Two assignable Client Access licenses: ann holds one, so one is left.
    let mut d = doc(license_with(&[&format!("{CA}=2")]), site());
    let before = d.workspace().clone();
    let (generation, log) = (d.generation(), d.change_log().len());
    let c = Command::Assign {
        subjects: users(&["ann", "BOB", "cat"]),
        key: CA.into(),
        method: None,
    };
    let p = plan_of(&mut d, &c);
    assert_eq!(p.items.len(), 1);
    let item = &p.items[0];
    assert_eq!(item.item, Item::License(CA.into()));
    assert_eq!(ids(&item.gets), vec!["bob"], "named as the workspace spells it");
    assert_eq!(ids(&item.keeps), vec!["ann"]);
    assert!(item.loses.is_empty());
    assert_eq!(item.refused.len(), 1);
    assert_eq!(item.refused[0].0.id, "cat");
    assert!(item.refused[0].1.contains("are allocated"), "{}", item.refused[0].1);
    assert_eq!((p.changes, p.users, p.stations), (1, 1, 0));
    assert_eq!(p.denied_logons, None, "no history: no denials line");
    assert_eq!(p.denials_line(), None);
    assert_eq!(p.question(), "Apply 1 change to 1 user?");
    assert!(p.cautions(), "a refusal: Cancel is the default");
    assert!(
        p.sentences()[0].starts_with("1 user will get Client Access; 1 already has it; 1 cannot: "),
        "{}",
        p.sentences()[0]
    );
    // One line per subject: gets, keeps, cannot.
    let rows: Vec<(String, &str)> = (0..p.rows())
        .filter_map(|i| p.row(i))
        .map(|r| (r.subject.id.clone(), r.change_words()))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("bob".to_string(), "gets"),
            ("ann".to_string(), "keeps"),
            ("cat".to_string(), "cannot")
        ]
    );
    // A dry run: the document is exactly as it was.
    assert_eq!(*d.workspace(), before);
    assert_eq!(d.generation(), generation);
    assert_eq!(d.change_log().len(), log);
    assert!(d.engine().same_as(&d.recount()));
    // And it says what Apply does.
    let applied = d.apply(c).expect("apply");
    assert_eq!(applied.changed(), 1);
    assert!(d.workspace().user("bob").is_some_and(|u| u.licenses.contains(CA)));
    assert!(!d.workspace().user("cat").is_some_and(|u| u.licenses.contains(CA)));
}

#[test]
fn removing_says_who_loses_and_who_did_not_have_it() {
    let mut d = doc(license_with(&[&format!("{CA}=5")]), site());
    let p = plan_of(
        &mut d,
        &Command::Unassign {
            subjects: users(&["ann", "bob"]),
            key: CA.into(),
        },
    );
    let item = &p.items[0];
    assert_eq!(ids(&item.loses), vec!["ann"]);
    assert_eq!(ids(&item.without), vec!["bob"]);
    assert!(item.gets.is_empty() && item.keeps.is_empty() && item.refused.is_empty());
    assert_eq!(p.question(), "Apply 1 change to 1 user?");
    assert!(!p.cautions());
    assert_eq!(
        p.sentences(),
        vec!["1 user will lose Client Access; 1 does not have it"]
    );
}

#[test]
fn a_batch_plans_every_part_methods_and_stations_in_one() {
    let mut d = doc(
        license_with(&[&format!("{CA}=5+5"), "I3_LICENSE_BASIC_STATION=5"]),
        site(),
    );
    let c = Command::Batch {
        commands: vec![
            Command::SetMethod {
                users: vec!["bob".into(), "cat".into()],
                method: Method::Concurrent,
            },
            Command::Assign {
                subjects: vec![Subject::station("ws-1")],
                key: "I3_LICENSE_BASIC_STATION".into(),
                method: None,
            },
        ],
        label: Some("Several".into()),
    };
    let p = plan_of(&mut d, &c);
    assert_eq!((p.changes, p.users, p.stations), (3, 2, 1));
    assert_eq!(p.question(), "Apply 3 changes to 2 users and 1 station?");
    let concurrent = p
        .items
        .iter()
        .find(|i| i.item == Item::Method(Method::Concurrent))
        .expect("the method");
    assert_eq!(ids(&concurrent.gets), vec!["bob", "cat"]);
    assert_eq!(concurrent.sentence(), "2 users will be Concurrent");
}

#[test]
fn large_plans_keep_their_thousands_separators() {
    let many: Vec<serde_json::Value> = (0..1500).map(|i| json!({"id": format!("u{i:04}")})).collect();
    let mut d = doc(
        license_with(&[&format!("{CA}=2000")]),
        json!({"format": 1, "users": many, "stations": [], "workgroups": []}),
    );
    let subjects: Vec<Subject> = d
        .workspace()
        .users()
        .iter()
        .map(|u| Subject::user(u.id.clone()))
        .collect();
    let c = Command::Assign {
        subjects,
        key: CA.into(),
        method: None,
    };
    let p = plan_of(&mut d, &c);
    assert_eq!(p.question(), "Apply 1,500 changes to 1,500 users?");
    assert_eq!(p.sentences(), vec!["1,500 users will get Client Access"]);
    // The step's name says users, with the separator, not "subjects".
    assert_eq!(c.summary(), "Assign Client Access to 1,500 users");
}

fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 4, 9, minute, 0).single().expect("time")
}

fn logon(user: &str, minute: u32) -> Event {
    Event {
        at: at(minute),
        event: EventKind::Logon,
        user: user.into(),
        station: None,
        application: None,
        phone: None,
    }
}

#[test]
fn with_a_history_the_plan_counts_the_logons_that_would_be_denied() {
    // One concurrent Client Access in the pool; ann, bob and cat log on
    // together. Held as assignable, nobody is denied; moved to the pool,
    // two of the three are.
    let mut d = doc(
        license_with(&[&format!("{CA}=5+1")]),
        json!({"format": 1,
            "users": [
                {"id": "ann", "licenses": [CA]},
                {"id": "bob", "licenses": [CA]},
                {"id": "cat", "licenses": [CA]}],
            "stations": [], "workgroups": []}),
    );
    let events = vec![logon("ann", 0), logon("bob", 1), logon("cat", 2)];
    let to_pool = Command::SetMethod {
        users: vec!["ann".into(), "bob".into(), "cat".into()],
        method: Method::Concurrent,
    };
    let p = plan::plan(&mut d, &to_pool, Some(&events), &Progress::default()).expect("plan");
    assert_eq!(p.denied_logons, Some(2));
    assert_eq!(p.denials_line().as_deref(), Some("2 logons would be denied"));
    assert!(p.cautions(), "denials: Cancel is the default");
    // The same history with a change that keeps them assignable: none.
    let keep = Command::SetMethod {
        users: vec!["ann".into()],
        method: Method::Assignable,
    };
    let p = plan::plan(&mut d, &keep, Some(&events), &Progress::default()).expect("plan");
    assert_eq!(p.denied_logons, Some(0));
    assert!(!p.cautions());
    // The replay ran on the workspace as the change would leave it, and
    // the document is back as it was.
    assert!(
        d.workspace().users().iter().all(|u| u.method == Method::Assignable),
        "nothing changed"
    );
    // Cancelled before it starts: no plan.
    let stop = Progress::default();
    stop.cancel();
    assert_eq!(
        plan::plan(&mut d, &to_pool, Some(&events), &stop),
        Err(plan::PlanError::Cancelled)
    );
}

#[test]
fn a_policy_change_is_credited_to_the_rules_that_grant_it() {
    // tom matches both rules; only Supervisors grants the plug-in, only
    // Agents sets the method, both grant Client Access.
    let d = doc(
        license_with(&[&format!("{CA}=10+5"), "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN=5"]),
        json!({"format": 1,
            "users": [{"id": "tom", "roles": ["Agent", "Supervisor"]}, {"id": "ann", "roles": ["Agent"]}],
            "stations": [], "workgroups": [],
            "policies": [
                {"name": "Agents", "match": {"role": "Agent"},
                 "grant": {"licenses": [CA], "method": "concurrent"}},
                {"name": "Supervisors", "match": {"role": "Supervisor"},
                 "grant": {"licenses": [CA, "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN"]}}]}),
    );
    let p = policy::plan(d.workspace());
    let tom = p.changes.iter().find(|c| c.subject.id == "tom").expect("tom changes");
    assert_eq!(
        tom.credited(&policy::Part::Add("I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN".into())),
        ["Supervisors".to_string()],
        "not every rule tom matches"
    );
    assert_eq!(
        tom.credited(&policy::Part::Add(CA.into())),
        ["Agents".to_string(), "Supervisors".to_string()]
    );
    assert_eq!(tom.credited(&policy::Part::Method), ["Agents".to_string()]);
    // ann matches only Agents: only Agents is behind her change.
    let ann = p.changes.iter().find(|c| c.subject.id == "ann").expect("ann changes");
    assert_eq!(ann.rules, vec!["Agents".to_string()]);
}
