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

#[allow(
    clippy::too_many_lines,
    reason = "one triggering case per refusal code: the list is the test"
)]
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

/// Every refusal of the Activation File Management Tool and its forms
/// (`rules::AfmtRefusal`) has a case that triggers it through the core: the
/// generate path (`account::draw`), the Install Sites tab and the request
/// form.
#[allow(
    clippy::too_many_lines,
    reason = "one triggering case per refusal code: the list is the test"
)]
#[test]
fn every_afmt_refusal_code_has_a_triggering_case() {
    use ia_licensing::core::account::request::{Category, RequestForm, RequestType};
    use ia_licensing::core::account::{self, Account, AccountError, InstallSite, OrderedItem, SiteChange};
    use ia_licensing::core::license::Level;
    use ia_licensing::core::license::generate::Order;
    use ia_licensing::core::rules::AfmtRefusal;
    // Seed rules LTR-629-no-trial-or-add-on-bundles, LTR-363-afmt-perpetual-only,
    // LTR-1081-subscription-mixed-estate-genesys-only, LTR-646-machine-name-required,
    // LTR-653-one-valid-server-item, LTR-690-install-site-name-required, LTR-700-deactivate-install-site,
    // LTR-1113-corporate-email, LTR-1176-confirm-email, LTR-1154-category-not-for-questions (docs/seed-rules.md).
    let item = |part: &str, quantity: i64, perpetual: bool| OrderedItem {
        part_number: part.into(),
        quantity,
        perpetual,
        install_site: "HQ".into(),
        mirroring_available: false,
        mirrored: false,
    };
    let mut acct = Account::new("Codes");
    acct.ordered_items = vec![
        item("SW-001-4.0-SL03", 2, true),
        item("SW-001-4.0-IDS2", 1, true),
        item("SW-001-4.0-AL02", 5, true),
        item("SW-001-4.0-AL02", 5, false),
        item("SW-001-4.0-AA01", 5, true),
    ];
    let order = |level: Level, machine: &str, parts: &[&str], features: &[&str]| Order {
        level,
        host_id: "H".into(),
        machine: machine.into(),
        install_site: "HQ".into(),
        generated_by: "t".into(),
        generated: date(2026, 1, 5),
        parts: parts.iter().map(|p| p.parse().expect("quantity")).collect(),
        features: features.iter().map(|f| f.to_string()).collect(),
        ..crate::util::base_order()
    };
    let key = ia_licensing::core::license::signing::demo_issuer_key().expect("key");
    let code = |r: Result<account::Drawn, AccountError>| match r {
        Err(AccountError::Refused(r)) => Some(r.code()),
        _ => None,
    };
    let site_code = |r: Result<InstallSite, AccountError>| match r {
        Err(AccountError::Refused(r)) => Some(r.code()),
        _ => None,
    };
    let p = Level::Production;
    let mut got: Vec<(&str, Option<&str>)> = vec![
        (
            "afmt-trial-bundle",
            code(account::draw(
                &acct,
                &order(Level::Trial, "m", &["SW-001-4.0-SL03=1"], &[]),
                &key,
                None,
            )),
        ),
        (
            "afmt-add-on-bundle",
            code(account::draw(
                &acct,
                &order(p, "m", &["SW-001-4.0-AA01=1"], &[]),
                &key,
                None,
            )),
        ),
        (
            "afmt-subscription",
            code(account::draw(
                &acct,
                &order(p, "m", &["SW-001-4.0-SL03=1"], &["I3_FEATURE_USAGE_TRACKING_UPLOAD"]),
                &key,
                None,
            )),
        ),
        (
            "afmt-mixed-estate",
            code(account::draw(
                &acct,
                &order(p, "m", &["SW-001-4.0-SL03=1", "SW-001-4.0-AL02=7"], &[]),
                &key,
                None,
            )),
        ),
        (
            "afmt-machine-name-required",
            code(account::draw(
                &acct,
                &order(p, " ", &["SW-001-4.0-SL03=1"], &[]),
                &key,
                None,
            )),
        ),
        (
            "afmt-no-server-item",
            code(account::draw(
                &acct,
                &order(p, "m", &["SW-001-4.0-AL02=1"], &[]),
                &key,
                None,
            )),
        ),
        (
            "afmt-one-server-item",
            code(account::draw(
                &acct,
                &order(p, "m", &["SW-001-4.0-SL03=1", "SW-001-4.0-IDS2=1"], &[]),
                &key,
                None,
            )),
        ),
        (
            "afmt-no-switchover-item",
            code(account::draw(
                &acct,
                &Order {
                    switchover: Some(ia_licensing::core::license::format::Switchover {
                        host_id: "H2".into(),
                        machine_name: "m2".into(),
                    }),
                    ..order(p, "m", &["SW-001-4.0-SL03=1"], &[])
                },
                &key,
                None,
            )),
        ),
    ];
    // Seed rules LTR-376-perpetual-expires-2100, LTR-982-select-product-version,
    // LTR-201-evaluation-no-added-components (docs/seed-rules.md).
    let mut dated = order(p, "m", &["SW-001-4.0-SL03=1"], &[]);
    dated.expires = Some(date(2030, 1, 1));
    got.push((
        "afmt-expiry-set-by-type",
        code(account::draw(&acct, &dated, &key, None)),
    ));
    let mut old_version = order(p, "m", &["SW-001-4.0-SL03=1"], &[]);
    old_version.product_version = "3.0".into();
    got.push((
        "afmt-items-of-another-version",
        code(account::draw(&acct, &old_version, &key, None)),
    ));
    let evaluation = account::draw(
        &acct,
        &order(Level::Evaluation, "m", &["SW-001-4.0-SL03=1"], &[]),
        &key,
        None,
    )
    .expect("an evaluation");
    got.push((
        "afmt-evaluation-components",
        code(account::draw(
            &evaluation.account,
            &order(Level::Evaluation, "m", &["SW-001-4.0-SL03=1", "SW-001-4.0-AL02=1"], &[]),
            &key,
            Some(&evaluation.activation_id),
        )),
    ));
    let mut a = acct.clone();
    got.push((
        "install-site-name-required",
        site_code(a.add_site(InstallSite::named("  "))),
    ));
    got.push(("install-site-taken", site_code(a.add_site(InstallSite::named("hq")))));
    got.push((
        "no-such-install-site",
        site_code(a.edit_site("Nowhere", &SiteChange::default())),
    ));
    let mut long = InstallSite::named("Far");
    long.city = "x".repeat(300);
    got.push(("install-site-field", site_code(a.add_site(long))));
    a.deactivate_site("HQ").expect("deactivate");
    got.push(("install-site-inactive", site_code(a.deactivate_site("HQ"))));
    got.push((
        "install-site-inactive",
        code(account::draw(
            &a,
            &order(p, "m", &["SW-001-4.0-SL03=1"], &[]),
            &key,
            None,
        )),
    ));
    let form = RequestForm {
        request_type: RequestType::Question,
        first_name: "Ann".into(),
        last_name: "Lee".into(),
        email: "ann@acme.example".into(),
        confirm_email: "ann@acme.example".into(),
        end_user_account: "Acme".into(),
        sold_to: "Acme".into(),
        subject: "S".into(),
        description: "D".into(),
        ..RequestForm::default()
    };
    assert!(form.check().is_ok(), "{:?}", form.check());
    let form_code = |f: RequestForm| f.check().err().map(|e| e.code());
    got.extend([
        (
            "request-field-required",
            form_code(RequestForm {
                subject: " ".into(),
                ..form.clone()
            }),
        ),
        (
            "request-field-invalid",
            form_code(RequestForm {
                subject: "a\u{7}b".into(),
                ..form.clone()
            }),
        ),
        (
            "request-email-malformed",
            form_code(RequestForm {
                email: "ann".into(),
                confirm_email: "ann".into(),
                ..form.clone()
            }),
        ),
        (
            "request-emails-differ",
            form_code(RequestForm {
                confirm_email: "bob@acme.example".into(),
                ..form.clone()
            }),
        ),
        (
            "request-webmail",
            form_code(RequestForm {
                email: "ann@gmail.com".into(),
                confirm_email: "ann@gmail.com".into(),
                ..form.clone()
            }),
        ),
        (
            "request-date",
            form_code(RequestForm {
                date_needed: "someday".into(),
                ..form.clone()
            }),
        ),
        (
            "request-not-for-question",
            form_code(RequestForm {
                category: Some(Category::Genesys),
                ..form.clone()
            }),
        ),
    ]);
    let mut wrong = Vec::new();
    for (code, result) in &got {
        if *result != Some(*code) {
            wrong.push(format!("{code}: got {result:?}"));
        }
    }
    assert!(wrong.is_empty(), "cases that did not trigger their code: {wrong:#?}");
    let missing: Vec<_> = AfmtRefusal::CODES
        .iter()
        .filter(|c| !got.iter().any(|(g, _)| g == *c))
        .collect();
    assert!(missing.is_empty(), "codes without a triggering case: {missing:?}");
    // As JSON: code, message, hint; the refusals of what the tool will not
    // generate point to the request tool.
    let v = serde_json::to_value(AfmtRefusal::TrialBundle).expect("json");
    assert_eq!(v["code"], "afmt-trial-bundle");
    assert!(
        v["hint"]
            .as_str()
            .is_some_and(|h| h.contains("Activation File Request Tool"))
    );
}
