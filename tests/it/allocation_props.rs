//! Property tests: after any sequence of commands the incremental counts and
//! diagnostics equal a recount from scratch, assignable configured never
//! exceeds assignable allowed, and undo restores the previous state exactly.

use crate::util::*;
use ia_licensing::core::catalog::{AcdLevel, IpaLevel};
use ia_licensing::core::command::Command;
use ia_licensing::core::document::Document;
use ia_licensing::core::subject::Subject;
use ia_licensing::core::workspace::{MediaType, Method, Station, StationType, User, Workgroup};
use proptest::prelude::*;
use serde_json::json;

const KEYS: &[&str] = &[
    "I3_ACCESS_CLIENT",
    "I3_ACCESS_TRACKER",
    "I3_LICENSE_BASIC_STATION",
    "I3_ACCESS_ACD_MEDIA_1",
    "I3_ACCESS_ANALYZER",
    "I3_ACCESS_RECORDER",
    "I3_ACCESS_IPA_PROCESS_MONITOR",
    "I3_ACCESS_NOT_LICENSED",
];
const USERS: &[&str] = &["u0", "u1", "u2", "u3", "u4", "u5", "new1", "new2"];
const STATIONS: &[&str] = &["s0", "s1", "s2", "s3", "snew"];
const GROUPS: &[&str] = &["A", "B", "C", "D"];

fn start() -> Document {
    let license = license_with(&[
        "I3_ACCESS_CLIENT=4+3",
        "I3_ACCESS_TRACKER=3",
        "I3_LICENSE_BASIC_STATION=3",
        "I3_ACCESS_ACD_MEDIA_1=2+2",
        "I3_ACCESS_ACD_MEDIA_2=2",
        "I3_ACCESS_ACD_MEDIA_3_PLUS=1+1",
        "I3_ACCESS_ANALYZER=2",
        "I3_ACCESS_RECORDER=2+1",
        "I3_ACCESS_IPA_PROCESS_MONITOR=2",
        "I3_ACCESS_IPA_USER=2",
    ]);
    // Some users work at a default workstation (one that is removed later,
    // one that never existed): their ACD coverage follows the stations.
    let users: Vec<_> = USERS[..6]
        .iter()
        .enumerate()
        .map(|(i, u)| match i {
            0 | 1 => json!({"id": u, "workgroups": [], "default_workstation": STATIONS[i]}),
            2 => json!({"id": u, "workgroups": [], "default_workstation": "snew"}),
            _ => json!({"id": u, "workgroups": []}),
        })
        .collect();
    let stations: Vec<_> = STATIONS[..4]
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({"id": s, "machine_name": s, "type": if i == 3 { "remote" } else { "workstation" },
                   "shift_station": i == 2})
        })
        .collect();
    doc(
        license,
        json!({"format": 1, "users": users, "stations": stations,
               "workgroups": [{"name": "A", "media": ["call"]}, {"name": "B", "media": ["call", "email"]}, {"name": "C", "media": []}]}),
    )
}

fn subject() -> impl Strategy<Value = Subject> + Clone {
    prop_oneof![
        prop::sample::select(USERS).prop_map(Subject::user),
        prop::sample::select(STATIONS).prop_map(Subject::station),
    ]
}

fn media() -> impl Strategy<Value = std::collections::BTreeSet<MediaType>> + Clone {
    prop::collection::btree_set(prop::sample::select(&MediaType::ALL[..]), 0..3)
}

/// Every command the strategy draws: one case per `Command` variant a
/// session, a journal or a file may hold (`every_command_variant_has_a_case`
/// fails when one has none), a batch of them besides.
fn command() -> impl Strategy<Value = Command> {
    let single = single_command();
    prop_oneof![
        30 => single.clone(),
        1 => (prop::collection::vec(single, 1..4), prop::option::of(Just("Apply policies: Agents".to_string())))
            .prop_map(|(commands, label)| Command::Batch { commands, label }),
    ]
}

fn single_command() -> impl Strategy<Value = Command> + Clone {
    let key = prop::sample::select(KEYS).prop_map(str::to_string);
    let subjects = prop::collection::vec(subject(), 1..4);
    let user = prop::sample::select(USERS).prop_map(str::to_string);
    let users = prop::collection::vec(user.clone(), 1..4);
    let group = prop::sample::select(GROUPS).prop_map(str::to_string);
    prop_oneof![
        4 => (subjects.clone(), key.clone(), prop::option::of(method()))
            .prop_map(|(subjects, key, method)| Command::Assign { subjects, key, method }),
        2 => (subjects.clone(), key).prop_map(|(subjects, key)| Command::Unassign { subjects, key }),
        2 => (users.clone(), method())
            .prop_map(|(users, method)| Command::SetMethod { users, method }),
        2 => (subjects.clone(), prop::option::of(prop::sample::select(&AcdLevel::ALL[..])), media())
            .prop_map(|(subjects, level, media)| Command::SetAcd { subjects, level, media }),
        1 => (subjects, prop::option::of(prop::sample::select(&IpaLevel::ALL[..])))
            .prop_map(|(subjects, level)| Command::SetIpa { subjects, level }),
        2 => (users.clone(), group.clone(), any::<bool>())
            .prop_map(|(users, workgroup, member)| Command::SetMembership { users, workgroup, member }),
        1 => (group.clone(), media()).prop_map(|(name, media)| Command::SetWorkgroupMedia { name, media }),
        1 => (user.clone(), prop::collection::btree_set(prop::sample::select(KEYS).prop_map(str::to_string), 0..3))
            .prop_map(|(id, licenses)| add_user(id, licenses)),
        1 => user.clone().prop_map(|id| Command::RemoveUser { id }),
        1 => (user.clone(), user.clone()).prop_map(|(id, new_id)| Command::RenameUser { id, new_id }),
        1 => (users.clone(), prop::sample::select(&["Agent", "agent", "Supervisor"][..]), any::<bool>())
            .prop_map(|(users, role, member)| Command::SetRole { users, role: role.to_string(), member }),
        // The type matters since #29 (workstations with ACD serve any agent;
        // other kinds only when marked): LTR-244-multiple-shifts-station-licenses.
        1 => (prop::sample::select(STATIONS), any::<bool>(), prop::option::of(any::<bool>()),
              prop::sample::select(&StationType::ALL[..]))
            .prop_map(|(id, enabled, shift_station, kind)| Command::SetStation {
            id: id.into(), kind: Some(kind), enabled: Some(enabled), machine_name: None,
            shift_station }),
        1 => prop::sample::select(STATIONS).prop_map(add_station),
        1 => prop::sample::select(STATIONS).prop_map(|id| Command::RemoveStation { id: id.into() }),
        1 => (prop::sample::select(STATIONS), prop::sample::select(STATIONS))
            .prop_map(|(id, new_id)| Command::RenameStation { id: id.into(), new_id: new_id.into() }),
        1 => (group.clone(), media())
            .prop_map(|(name, media)| Command::AddWorkgroup { workgroup: Workgroup::new(name, media), at: None }),
        1 => group.clone().prop_map(|name| Command::RemoveWorkgroup { name }),
        1 => (group.clone(), group.clone()).prop_map(|(name, new_name)| Command::RenameWorkgroup { name, new_name }),
        1 => (user.clone(), prop::sample::select(&["Tina R.", "", "Sam"][..]))
            .prop_map(|(id, name)| Command::SetUserName { id, name: name.to_string() }),
        1 => (user.clone(), prop::collection::btree_set(prop::sample::select(KEYS).prop_map(str::to_string), 0..3),
              method(), prop::collection::btree_set(group, 0..3))
            .prop_map(|(id, licenses, method, groups)| Command::UpdateUser {
                user: User {
                    method,
                    licenses: licenses.into_iter().collect(),
                    workgroups: groups.into_iter().collect(),
                    ..User::new(id, "updated")
                },
            }),
        1 => (prop::sample::select(STATIONS), prop::sample::select(&StationType::ALL[..]), any::<bool>(),
              prop::collection::btree_set(prop::sample::select(KEYS).prop_map(str::to_string), 0..3))
            .prop_map(|(id, kind, enabled, licenses)| Command::UpdateStation {
                station: Station {
                    enabled,
                    licenses: licenses.into_iter().collect(),
                    ..Station::new(id, kind)
                },
            }),
        1 => prop::sample::select(&[0usize, 1, 2][..]).prop_map(|n| Command::SetPolicies { policies: policies(n) }),
        1 => any::<bool>().prop_map(|some| Command::SetPriceList { price_list: some.then(price_list) }),
        1 => any::<bool>().prop_map(|waves| Command::SetCloud { cloud: cloud(waves) }),
    ]
}

/// The first `n` of two policies (none: the policies removed).
fn policies(n: usize) -> Vec<ia_licensing::core::policy::Policy> {
    let all = [
        json!({"name": "Agents", "match": {"role": "Agent"}, "grant": {"licenses": ["I3_ACCESS_CLIENT"]}}),
        json!({"name": "Trackers", "match": {"workgroup": "A"}, "grant": {"licenses": ["I3_ACCESS_TRACKER"]}}),
    ];
    all.into_iter()
        .take(n)
        .map(|p| serde_json::from_value(p).expect("policy"))
        .collect()
}

fn price_list() -> ia_licensing::core::cost::PriceList {
    serde_json::from_value(json!({"currency": "USD", "per_user_per_period": {"agent": 95, "business-user": 35}}))
        .expect("prices")
}

/// The Genesys Cloud settings: the defaults (which remove them), or a wave.
fn cloud(waves: bool) -> ia_licensing::core::cloud::CloudSettings {
    ia_licensing::core::cloud::CloudSettings {
        waves: if waves {
            vec![ia_licensing::core::cloud::Wave {
                name: "Pilot".into(),
                date: date(2026, 3, 1),
                workgroups: vec!["A".into()],
                users: vec![],
            }]
        } else {
            Vec::new()
        },
        ..Default::default()
    }
}

/// Every variant a session, a journal or a file may hold — read from the
/// enum itself (serde lists them when refusing an unknown one; the undo
/// records `restore-user` and `restore-station` cannot be read, and are
/// exercised by every undo) — is drawn by `command()`.
#[test]
fn every_command_variant_has_a_case() {
    use proptest::strategy::ValueTree;
    let refusal = serde_json::from_value::<Command>(json!({"op": "no-such-command"}))
        .expect_err("unknown")
        .to_string();
    let expected: std::collections::BTreeSet<String> = refusal
        .split("expected one of ")
        .nth(1)
        .expect("serde lists the variants")
        .split(", ")
        .map(|v| v.trim_matches(|c: char| c == '`' || c.is_whitespace()).to_string())
        .filter(|v| !v.is_empty())
        .collect();
    assert!(expected.len() > 20, "{refusal}");
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = command();
    let mut drawn = std::collections::BTreeSet::new();
    for _ in 0..5_000 {
        let c = strategy.new_tree(&mut runner).expect("a command").current();
        let value = serde_json::to_value(&c).expect("json");
        drawn.insert(value["op"].as_str().expect("op").to_string());
    }
    let missing: Vec<&String> = expected.difference(&drawn).collect();
    assert!(
        missing.is_empty(),
        "Command variants without a property-test case: {missing:?}"
    );
}

/// The Warnings panel's groups, kept incrementally, hold exactly the
/// diagnostics a regrouping of all of them gives.
fn groups_equal_a_regrouping(doc: &Document) -> Result<(), TestCaseError> {
    use std::collections::BTreeMap;
    let engine = doc.engine();
    let mut expected: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for d in engine.diagnostics() {
        expected
            .entry((format!("{:?}", d.severity), d.code.to_string()))
            .or_default()
            .push(format!("{}|{}", d.subject, d.message));
    }
    let mut got: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for (severity, code, count) in engine.diagnostic_groups() {
        let list: Vec<String> = engine
            .group_slice(severity, code, 0, usize::MAX)
            .iter()
            .map(|d| format!("{}|{}", d.subject, d.message))
            .collect();
        prop_assert_eq!(list.len(), count);
        got.insert((format!("{severity:?}"), code.to_string()), list);
    }
    for list in expected.values_mut().chain(got.values_mut()) {
        list.sort();
    }
    prop_assert_eq!(got, expected);
    Ok(())
}

fn assignable_within_allowed(doc: &Document) -> Result<(), TestCaseError> {
    for row in doc.engine().counts(doc.license()) {
        if doc.license().allowance(&row.key).is_some() {
            prop_assert!(
                row.assignable_configured <= row.assignable_allowed,
                "{}: {} configured > {} allowed",
                row.key,
                row.assignable_configured,
                row.assignable_allowed
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_command_sequences_keep_the_invariants(commands in prop::collection::vec(command(), 1..25)) {
        let mut doc = start();
        for c in commands {
            let before = doc.workspace().clone();
            let before_counts = doc.engine().counts(doc.license());
            let result = doc.apply(c.clone());
            prop_assert!(doc.engine().same_as(&doc.recount()), "recount differs after {:?}", c);
            groups_equal_a_regrouping(&doc)?;
            assignable_within_allowed(&doc)?;
            match result {
                Err(_) => prop_assert_eq!(doc.workspace(), &before, "a refused command changed something"),
                Ok(applied) if applied.changed() > 0 => {
                    let after = doc.workspace().clone();
                    doc.undo().expect("undo");
                    prop_assert_eq!(doc.workspace(), &before, "undo of {:?}", c);
                    prop_assert_eq!(doc.engine().counts(doc.license()), before_counts.clone());
                    prop_assert!(doc.engine().same_as(&doc.recount()));
                    doc.redo().expect("redo allowed").expect("a step");
                    prop_assert_eq!(doc.workspace(), &after, "redo of {:?}", c);
                }
                Ok(_) => prop_assert_eq!(doc.workspace(), &before),
            }
        }
        // Undo all the way back to the start.
        let start_ws = start().workspace().clone();
        while doc.can_undo() {
            doc.undo().expect("undo");
        }
        prop_assert_eq!(doc.workspace(), &start_ws);
        prop_assert!(doc.engine().same_as(&doc.recount()));
    }
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![Just(Method::Assignable), Just(Method::Concurrent)]
}

fn add_user(id: String, licenses: std::collections::BTreeSet<String>) -> Command {
    Command::AddUser {
        user: User {
            licenses: licenses.into_iter().collect(),
            ..User::new(id, "n")
        },
        at: None,
    }
}

fn add_station(id: &str) -> Command {
    Command::AddStation {
        station: Station {
            licenses: ["I3_LICENSE_BASIC_STATION".to_string()].into(),
            ..Station::new(id, StationType::Workstation)
        },
        at: None,
    }
}
