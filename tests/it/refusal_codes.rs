//! Every refusal has a stable code, and every code has a case here that
//! triggers it (and the test fails when a code is added without one).

use std::collections::BTreeSet;

use crate::util::*;
use ia_licensing::core::command::Command;
use ia_licensing::core::document::{Document, Outcome};
use ia_licensing::core::rules::Refusal;
use ia_licensing::core::subject::Subject;
use ia_licensing::core::workspace::{MediaType, Method, Station, StationType, User, Workgroup, Workspace};

const CLIENT: &str = "I3_ACCESS_CLIENT";
const BASIC: &str = "I3_LICENSE_BASIC_STATION";

/// A small workspace: users `ann` (assignable) and `cal` (concurrent),
/// station `st1`, workgroup `Sales` (calls), against a license with one
/// assignable Client Access, pooled Client Access, Basic Station, ACD Media
/// 1 and IPA.
fn doc() -> Document {
    let license = license_with(&[
        &format!("{CLIENT}=1+5"),
        &format!("{BASIC}=5"),
        "I3_ACCESS_ACD_MEDIA_1=5",
        "I3_ACCESS_RECORDER=5",
        "I3_ACCESS_IPA_PROCESS_DESIGNER=5",
        "I3_ACCESS_ANALYZER=5",
        "I3_ACCESS_DIALER_ADDON=0+5",
        "I3_ACCESS_ACD_MEDIA_2=0+5",
    ]);
    let mut cal = User::new("cal", "Cal");
    cal.method = Method::Concurrent;
    let ws = Workspace::from_json(
        &serde_json::json!({
            "format": 1,
            "users": [User::new("ann", "Ann"), cal],
            "stations": [Station::new("st1", StationType::Workstation)],
            "workgroups": [Workgroup::new("Sales", [MediaType::Call])],
        })
        .to_string(),
    )
    .expect("workspace");
    Document::new(license, ws, date(2026, 1, 1))
}

fn user(id: &str) -> Subject {
    Subject::user(id)
}

fn assign(subject: Subject, key: &str) -> Command {
    Command::Assign {
        subjects: vec![subject],
        key: key.into(),
        method: None,
    }
}

/// The code the first refused subject got, after `setup` ran.
fn code_of(setup: &[Command], command: Command) -> Option<&'static str> {
    let mut d = doc();
    for c in setup {
        d.apply(c.clone()).expect("setup step");
    }
    match d.apply(command) {
        Ok(applied) => applied.outcomes.iter().find_map(|o| match o.outcome {
            Outcome::Refused { code, .. } => Some(code),
            _ => None,
        }),
        Err(refused) => Some(refused.code),
    }
}

#[test]
fn every_refusal_code_has_a_triggering_case() {
    // Seed rule LTR-1771-stage-6-allocation-lock (docs/seed-rules.md).
    let long = "x".repeat(300);
    let mut two_types = User::new("ann", "Ann");
    two_types.licenses.insert("I3_ACCESS_ACD_MEDIA_1");
    two_types.acd_media_types = BTreeSet::from([MediaType::Call, MediaType::Chat]);
    let cases: Vec<(&str, Vec<Command>, Command)> = vec![
        ("no-such-user", vec![], assign(user("nobody"), CLIENT)),
        ("no-such-station", vec![], assign(Subject::station("nowhere"), BASIC)),
        (
            "no-such-workgroup",
            vec![],
            Command::SetMembership {
                users: vec!["ann".into()],
                workgroup: "Nope".into(),
                member: true,
            },
        ),
        ("not-a-holder", vec![], assign(Subject::workgroup("Sales"), CLIENT)),
        (
            "id-blank",
            vec![],
            Command::AddUser {
                user: User::new(" ", ""),
                at: None,
            },
        ),
        (
            "id-too-long",
            vec![],
            Command::AddUser {
                user: User::new(long, ""),
                at: None,
            },
        ),
        (
            "id-taken",
            vec![],
            Command::AddUser {
                user: User::new("ANN", ""),
                at: None,
            },
        ),
        (
            "invalid-policy",
            vec![],
            Command::SetPolicies {
                policies: vec![serde_json::from_value(serde_json::json!({"name": " ", "grant": {}})).expect("policy")],
            },
        ),
        (
            "invalid-price-list",
            vec![],
            Command::SetPriceList {
                price_list: Some(
                    serde_json::from_value(serde_json::json!({"currency": "USD",
                        "per_user_per_period": {"wizard": 10}}))
                    .expect("prices"),
                ),
            },
        ),
        (
            "invalid-cloud-settings",
            vec![],
            Command::SetCloud {
                cloud: serde_json::from_value(serde_json::json!({"waves": [{"name": " ", "date": "2026-03-01"}]}))
                    .expect("settings"),
            },
        ),
        (
            "machine-name-blank",
            vec![],
            Command::SetStation {
                id: "st1".into(),
                kind: None,
                enabled: None,
                machine_name: Some("  ".into()),
                shift_station: None,
            },
        ),
        (
            "machine-name-taken",
            vec![Command::AddStation {
                station: Station::new("st2", StationType::Workstation),
                at: None,
            }],
            Command::SetStation {
                id: "st1".into(),
                kind: None,
                enabled: None,
                machine_name: Some("st2".into()),
                shift_station: None,
            },
        ),
        (
            "station-never-concurrent",
            vec![],
            Command::Assign {
                subjects: vec![Subject::station("st1")],
                key: BASIC.into(),
                method: Some(Method::Concurrent),
            },
        ),
        (
            "one-method-per-user",
            vec![],
            Command::Assign {
                subjects: vec![user("ann")],
                key: CLIENT.into(),
                method: Some(Method::Concurrent),
            },
        ),
        ("not-a-license-key", vec![], assign(user("ann"), "CLIENT")),
        ("server-key", vec![], assign(user("ann"), "I3_FEATURE_SIP")),
        ("not-in-license", vec![], assign(user("ann"), "I3_ACCESS_TRACKER")),
        ("station-only", vec![], assign(user("ann"), BASIC)),
        (
            "user-only",
            vec![],
            assign(Subject::station("st1"), "I3_ACCESS_ANALYZER"),
        ),
        (
            "ipa-user-only",
            vec![],
            assign(Subject::station("st1"), "I3_ACCESS_IPA_PROCESS_DESIGNER"),
        ),
        ("no-pooled", vec![], assign(user("cal"), "I3_ACCESS_ACD_MEDIA_1")),
        (
            "no-assignable",
            vec![],
            // Stations are always Assignable; Media 2 here is pooled only.
            assign(Subject::station("st1"), "I3_ACCESS_ACD_MEDIA_2"),
        ),
        (
            "assignable-used-up",
            vec![Command::AddUser {
                user: User::new("bob", "Bob"),
                at: None,
            }],
            Command::Assign {
                subjects: vec![user("ann"), user("bob")],
                key: CLIENT.into(),
                method: None,
            },
        ),
        ("too-many-media-types", vec![], Command::UpdateUser { user: two_types }),
        (
            "internal-only",
            vec![],
            Command::RestoreUser {
                user: User::new("ann", "Ann"),
            },
        ),
    ];
    // Refusals decided before any command: the whole session is locked.
    let locks = [
        ("read-only", ia_licensing::core::rules::check_editable(true, 1)),
        ("system-disabled", ia_licensing::core::rules::check_editable(false, 6)),
    ];
    assert_eq!(ia_licensing::core::rules::check_editable(false, 5), Ok(()));
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    for code in Refusal::CODES {
        if let Some((_, result)) = locks.iter().find(|(c, _)| c == code) {
            if result.as_ref().err().map(Refusal::code) != Some(*code) {
                wrong.push(format!("{code}: got {result:?}"));
            }
            continue;
        }
        match cases.iter().find(|(c, _, _)| c == code) {
            None => missing.push(*code),
            Some((_, setup, command)) => {
                let got = code_of(setup, command.clone());
                if got != Some(*code) {
                    wrong.push(format!("{code}: got {got:?}"));
                }
            }
        }
    }
    assert!(missing.is_empty(), "codes without a triggering case: {missing:?}");
    assert!(wrong.is_empty(), "cases that did not trigger their code: {wrong:#?}");
    // Every case names a real code.
    for (code, _, _) in &cases {
        assert!(Refusal::CODES.contains(code), "{code} is not a refusal code");
    }
}

#[test]
fn refusals_serialise_with_code_message_and_hint() {
    let r = Refusal::AssignableUsedUp {
        label: "Client Access".into(),
        allowed: 5,
    };
    let v = serde_json::to_value(&r).expect("json");
    assert_eq!(v["code"], "assignable-used-up");
    assert_eq!(v["message"], "All 5 assignable Client Access licenses are allocated");
    assert!(v["hint"].as_str().is_some_and(|h| !h.is_empty()));
}
