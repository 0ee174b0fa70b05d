//! The policies' index (#32 item 4): judging a subject through the index
//! of the rules gives exactly what judging it against every rule gives —
//! on random rules and subjects, with roles, workgroups and ID patterns
//! spelt in other cases and scripts (a folded `İ` is two characters, a
//! final `Σ` folds to `ς`), and patterns with literal prefixes, suffixes
//! and none.

use ia_licensing::core::policy::{self, Plan, PolicyIndex};
use ia_licensing::core::rules::{self, coverage::AcdStations, lookups::Lookups};
use ia_licensing::core::workspace::Workspace;
use proptest::prelude::*;
use serde_json::json;

/// Pieces of IDs and patterns: ASCII in both cases, letters whose case
/// folding changes their length or depends on their place.
const PIECES: [&str; 10] = ["user", "USER", "ws", "0", "1", "Σ", "σ", "ß", "İ", "i"];
const ROLES: [&str; 6] = ["Agent", "agent", "AGENT", "Supervisor", "ΑΣ", "ας"];
const WORKGROUPS: [&str; 3] = ["Sales", "Ärzte", "ΟΔΟΣ"];
const RULE_WORKGROUPS: [&str; 6] = ["Sales", "SALES", "ärzte", "ÄRZTE", "οδος", "Nope"];
const TYPES: [&str; 3] = ["workstation", "remote", "standalone-phone"];

fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0..PIECES.len(), 1..max).prop_map(|p| p.iter().map(|i| PIECES[*i]).collect())
}

fn pattern() -> impl Strategy<Value = String> {
    proptest::collection::vec(0..PIECES.len() + 2, 1..5).prop_map(|p| {
        p.iter()
            .map(|i| match *i {
                i if i < PIECES.len() => PIECES[i],
                i if i == PIECES.len() => "*",
                _ => "?",
            })
            .collect()
    })
}

/// Licenses from the bits of `held`: what subjects hold differs, so what
/// the rules find missing differs.
fn holding(held: u8) -> Vec<&'static str> {
    [
        "I3_LICENSE_BASIC_STATION",
        "I3_ACCESS_CLIENT",
        "I3_ACCESS_FEEDBACK",
        "I3_ACCESS_ACD_MEDIA_1",
    ]
    .into_iter()
    .enumerate()
    .filter(|(i, _)| held & (1 << i) != 0)
    .map(|(_, k)| k)
    .collect()
}

fn rule() -> impl Strategy<Value = serde_json::Value> {
    (
        proptest::option::of(0..ROLES.len()),
        proptest::option::of(0..RULE_WORKGROUPS.len()),
        proptest::option::of(0..TYPES.len()),
        proptest::option::of(pattern()),
        proptest::option::of(any::<bool>()),
        (0usize..3, 0usize..4, any::<bool>()),
    )
        .prop_map(|(role, workgroup, kind, pattern, users, (grant, extra, exclusive))| {
            // A station rule with a role or workgroup is refused with the
            // file: only rules a workspace can hold.
            let for_stations = users.map_or(kind.is_some(), |u| !u);
            let (role, workgroup) = if for_stations { (None, None) } else { (role, workgroup) };
            let mut m = serde_json::Map::new();
            if let Some(r) = role {
                m.insert("role".into(), json!(ROLES[r]));
            }
            if let Some(w) = workgroup {
                m.insert("workgroup".into(), json!(RULE_WORKGROUPS[w]));
            }
            if let Some(t) = kind {
                m.insert("station_type".into(), json!(TYPES[t]));
            }
            if let Some(p) = pattern {
                m.insert("id_pattern".into(), json!(p));
            }
            if let Some(u) = users {
                m.insert("applies_to".into(), json!(if u { "users" } else { "stations" }));
            }
            let licenses = [
                vec!["I3_ACCESS_CLIENT"],
                vec!["I3_ACCESS_FEEDBACK"],
                vec!["I3_ACCESS_CLIENT", "I3_LICENSE_BASIC_STATION"],
            ][grant]
                .clone();
            let mut g = json!({"licenses": licenses});
            // Users' rules may also set the method or an ACD level.
            match extra {
                1 if !for_stations => g["method"] = json!("assignable"),
                2 if !for_stations => g["method"] = json!("concurrent"),
                3 if !for_stations => g["acd"] = json!({}),
                _ => {}
            }
            json!({"match": m, "grant": g, "exclusive": exclusive})
        })
}

fn site() -> impl Strategy<Value = serde_json::Value> {
    let user = (
        text(4),
        proptest::collection::vec(0..ROLES.len(), 0..3),
        proptest::collection::vec(0..WORKGROUPS.len(), 0..3),
        (0u8..16, any::<bool>()),
    );
    let station = (text(4), 0..TYPES.len(), 0u8..4);
    (
        proptest::collection::vec(user, 1..12),
        proptest::collection::vec(station, 0..8),
        proptest::collection::vec(rule(), 1..24),
    )
        .prop_map(|(users, stations, rules)| {
            let users: Vec<_> = users
                .iter()
                .enumerate()
                .map(|(i, (id, roles, wgs, (held, concurrent)))| {
                    let mut wgs: Vec<&str> = wgs.iter().map(|w| WORKGROUPS[*w]).collect();
                    wgs.sort_unstable();
                    wgs.dedup();
                    json!({"id": format!("{id}-{i}"),
                        "method": if *concurrent { "concurrent" } else { "assignable" },
                        "roles": roles.iter().map(|r| ROLES[*r]).collect::<Vec<_>>(),
                        "workgroups": wgs, "licenses": holding(*held & 0b1110)})
                })
                .collect();
            let stations: Vec<_> = stations
                .iter()
                .enumerate()
                .map(|(i, (id, t, held))| {
                    json!({"id": format!("{id}-{i}"), "machine_name": format!("m{i}"), "type": TYPES[*t],
                        "licenses": holding(*held & 0b1001)})
                })
                .collect();
            let rules: Vec<_> = rules
                .into_iter()
                .enumerate()
                .map(|(i, mut r)| {
                    r["name"] = json!(format!("rule {i}"));
                    r
                })
                .collect();
            let workgroups: Vec<_> = WORKGROUPS
                .iter()
                .zip([json!(["call"]), json!(["call", "chat"]), json!([])])
                .map(|(w, media)| json!({"name": w, "media": media}))
                .collect();
            json!({"format": 1, "users": users, "stations": stations, "workgroups": workgroups, "policies": rules})
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_index_judges_every_subject_as_every_rule_does(value in site()) {
        let ws = Workspace::from_value(value).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let mut index = PolicyIndex::new(&ws.policies);
        let mut rules = Vec::new();
        for u in ws.users() {
            let (mut naive, mut indexed) = (Plan::default(), Plan::default());
            let a = policy::judge_user(&ws, u, &mut naive);
            let b = policy::judge_user_indexed(&ws, u, &mut index, &mut rules, &mut indexed);
            prop_assert_eq!(a, b, "user {}", u.id);
            prop_assert_eq!(&naive, &indexed, "user {}", u.id);
        }
        for s in ws.stations() {
            let (mut naive, mut indexed) = (Plan::default(), Plan::default());
            let a = policy::judge_station(&ws, s, &mut naive);
            let b = policy::judge_station_indexed(&ws, s, &mut index, &mut rules, &mut indexed);
            prop_assert_eq!(a, b, "station {}", s.id);
            prop_assert_eq!(&naive, &indexed, "station {}", s.id);
        }
        // A recount's pass: past its first subjects it judges through the
        // index and says what it said before for the same rules and
        // holdings. Every subject, many times over, as a lone subject (rule
        // by rule) says it.
        let shift = AcdStations::of(&ws);
        let mut pass = Lookups::new(&ws);
        for _ in 0..20 {
            for u in ws.users() {
                let (mut alone, mut passed) = (Vec::new(), Vec::new());
                rules::user_diagnostics_with(u, &mut Lookups::new(&ws), &shift, &mut alone);
                rules::user_diagnostics_with(u, &mut pass, &shift, &mut passed);
                prop_assert_eq!(&alone, &passed, "user {}", u.id);
            }
            for s in ws.stations() {
                let (mut alone, mut passed) = (Vec::new(), Vec::new());
                rules::station_diagnostics_with(s, &mut Lookups::new(&ws), &mut alone);
                rules::station_diagnostics_with(s, &mut pass, &mut passed);
                prop_assert_eq!(&alone, &passed, "station {}", s.id);
            }
        }
    }
}

/// The recount of a workspace with policies gives the diagnostics judging
/// every subject against every rule gives (past the few subjects a pass
/// judges before it builds the index).
#[test]
fn a_recount_with_the_index_equals_one_rule_by_rule() {
    let mut users = Vec::new();
    for i in 0..200 {
        let role = ["Agent", "supervisor", "Back office"][i % 3];
        let workgroup = ["Sales", "Support"][i % 2];
        users.push(
            json!({"id": format!("user{i:03}"), "method": "concurrent", "roles": [role],
            "workgroups": [workgroup], "licenses": ["I3_ACCESS_CLIENT"]}),
        );
    }
    let stations: Vec<_> = (0..100)
        .map(|i| json!({"id": format!("ws{i:03}"), "machine_name": format!("m{i}"), "licenses": []}))
        .collect();
    let policies = json!([
        {"name": "agents", "match": {"role": "AGENT"}, "grant": {"licenses": ["I3_ACCESS_FEEDBACK"]}},
        {"name": "sales", "match": {"workgroup": "sales"}, "grant": {"licenses": ["I3_ACCESS_CLIENT"]}, "exclusive": true},
        {"name": "first", "match": {"id_pattern": "USER0*"}, "grant": {"method": "assignable"}},
        {"name": "fives", "match": {"id_pattern": "*5"}, "grant": {"licenses": ["I3_ACCESS_FEEDBACK"]}},
        {"name": "stations", "match": {"station_type": "workstation", "id_pattern": "ws0?1"},
         "grant": {"licenses": ["I3_LICENSE_BASIC_STATION"]}}
    ]);
    let value = json!({"format": 1, "users": users, "stations": stations,
        "workgroups": [{"name": "Sales"}, {"name": "Support"}], "policies": policies});
    let ws = Workspace::from_value(value.clone()).expect("workspace");
    let doc = crate::util::doc(
        crate::util::license_with(&[
            "I3_ACCESS_CLIENT=300",
            "I3_ACCESS_FEEDBACK=300",
            "I3_LICENSE_BASIC_STATION=300",
        ]),
        value,
    );
    let got: Vec<String> = doc
        .engine()
        .diagnostics()
        .iter()
        .filter(|d| d.code.as_str().starts_with("policy-"))
        .map(|d| format!("{} {}: {}", d.code, d.subject.id, d.message))
        .collect();
    let mut expected = Vec::new();
    for u in ws.users() {
        let mut plan = Plan::default();
        if policy::judge_user(&ws, u, &mut plan)
            && let Some((_, what)) = policy::drift_words(&plan)
        {
            expected.push((u.id.clone(), what));
        }
    }
    for s in ws.stations() {
        let mut plan = Plan::default();
        if policy::judge_station(&ws, s, &mut plan)
            && let Some((_, what)) = policy::drift_words(&plan)
        {
            expected.push((s.id.clone(), what));
        }
    }
    assert!(expected.len() > 100, "most subjects drift: {}", expected.len());
    assert_eq!(got.len(), expected.len(), "{got:?}");
    for (id, what) in &expected {
        assert!(
            got.iter().any(|g| g.contains(&format!(" {id}: {what},"))),
            "{id}: {what}"
        );
    }
}
