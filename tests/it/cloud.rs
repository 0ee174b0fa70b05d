//! The Genesys Cloud estimate's counting rules (docs/cloud-estimate.md):
//! Genesys' worked examples, the named rule, the 30-minute rule, the
//! mapping's highest level, and property tests against a brute-force
//! minute-by-minute recount.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use ia_licensing::core::catalog::BillingCategory;
use ia_licensing::core::cloud::mapping::Compiled;
use ia_licensing::core::cloud::{
    self, CloudEstimate, CloudLicense, CloudPrices, CloudSettings, EstimateInput, LicensePrice, Wave,
};
use ia_licensing::core::cost::Cents;
use ia_licensing::core::history::Logons;
use ia_licensing::core::history::logons::{CategoryDays, DayLogons, Span};
use ia_licensing::core::workspace::Workspace;
use proptest::prelude::*;
use serde_json::json;

use crate::util::*;

/// A workspace of `users` (JSON records) and two workgroups.
pub(crate) fn site(users: Vec<serde_json::Value>) -> Workspace {
    workspace(
        json!({"format": 1, "server": {"host_id": "G807test", "machine_name": "testing"},
        "users": users, "stations": [],
        "workgroups": [{"name": "Voice", "media": ["call"]}, {"name": "Chat", "media": ["chat"]}]}),
    )
}

pub(crate) fn agent(id: &str) -> serde_json::Value {
    json!({"id": id, "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"], "acd_media_types": ["call"]})
}

/// Logons from `(user index, day, spans)`, users named `names`.
pub(crate) fn logons(names: &[String], rows: &[(u32, NaiveDate, Vec<Span>)]) -> Logons {
    // A user is listed once a day, with all their spans (as a history has it).
    let mut days: BTreeMap<NaiveDate, BTreeMap<u32, Vec<Span>>> = BTreeMap::new();
    for (u, d, spans) in rows {
        days.entry(*d).or_default().entry(*u).or_default().extend(spans);
    }
    Logons {
        names: names.to_vec(),
        days: days
            .into_iter()
            .map(|(d, users)| {
                let mut day = DayLogons::new(d);
                for (u, spans) in users {
                    day.push(u, &spans);
                }
                day
            })
            .collect(),
        ..Default::default()
    }
}

/// Every day of `from..=to` in the history: an import writes a row for
/// each day of an events file, nobody logged on or not.
pub(crate) fn every_day(l: &Logons, from: NaiveDate, to: NaiveDate) -> Logons {
    let mut out = l.clone();
    let mut day = from;
    while day <= to {
        if !out.days.iter().any(|d| d.date == day) {
            out.days.push(DayLogons::new(day));
        }
        day = day.succ_opt().expect("day");
    }
    out.days.sort_by_key(|d| d.date);
    out
}

/// The estimate over `from..=to`, the history having every day of it.
pub(crate) fn run(
    ws: &Workspace,
    settings: &CloudSettings,
    l: &Logons,
    from: NaiveDate,
    to: NaiveDate,
) -> CloudEstimate {
    run_on(ws, settings, &every_day(l, from, to), from, to)
}

/// The estimate over `from..=to` on the history as given.
pub(crate) fn run_on(
    ws: &Workspace,
    settings: &CloudSettings,
    l: &Logons,
    from: NaiveDate,
    to: NaiveDate,
) -> CloudEstimate {
    cloud::estimate(
        &EstimateInput {
            ws,
            settings,
            logons: l,
            from,
            to,
            history: (from, to),
        },
        &|_, _| {},
    )
}

pub(crate) fn prices(entries: &[(CloudLicense, LicensePrice)]) -> CloudPrices {
    CloudPrices {
        currency: "USD".into(),
        billing_start_day: None,
        licenses: entries.iter().map(|(l, p)| (l.code().to_string(), p.clone())).collect(),
        note: None,
    }
}

pub(crate) fn usd(v: f64) -> Option<Cents> {
    Some(Cents::from_amount(v).expect("amount"))
}

/// Genesys' example: 500 users logged on for 31 minutes and 503 for 6
/// minutes: the billable peak is 500 (peaks shorter than 30 minutes are
/// disregarded). Everyone logged on, so 503 are named.
#[test]
fn genesys_example_500_users_for_31_minutes_and_503_for_6_bills_500() {
    let names: Vec<String> = (0..503).map(|i| format!("a{i:03}")).collect();
    let ws = site(names.iter().map(|n| agent(n)).collect());
    let day = date(2026, 6, 10);
    let mut rows = Vec::new();
    for u in 0..503u32 {
        let mut spans = vec![[660, 666]];
        if u < 500 {
            spans.push([600, 631]);
        }
        rows.push((u, day, spans));
    }
    let l = logons(&names, &rows);
    let est = run(&ws, &CloudSettings::default(), &l, date(2026, 6, 1), date(2026, 6, 30));
    let p = &est.periods[0];
    assert_eq!(
        (p.start, p.end),
        (date(2026, 6, 1), date(2026, 6, 30)),
        "a calendar month"
    );
    assert_eq!(p.concurrent_peak, 500);
    assert_eq!(p.concurrent["cx1"], 500);
    assert_eq!(p.named["cx1"], 503);
    assert!(est.prices_missing && p.cost.named.is_none() && p.cheapest.is_none());
    assert!(
        est.prices_note
            .as_deref()
            .is_some_and(|n| n.contains("No Genesys Cloud prices"))
    );
}

/// Genesys' overage example: 80 CX 1 users contracted, a billable peak of
/// 138 → 58 users in overage.
#[test]
fn genesys_example_80_contracted_and_a_peak_of_138_is_58_in_overage() {
    let names: Vec<String> = (0..138).map(|i| format!("a{i:03}")).collect();
    let ws = site(names.iter().map(|n| agent(n)).collect());
    let rows: Vec<_> = (0..138u32).map(|u| (u, date(2026, 6, 3), vec![[540, 600]])).collect();
    let l = logons(&names, &rows);
    let settings = CloudSettings {
        prices: Some(prices(&[(
            CloudLicense::Cx1,
            LicensePrice {
                per_named_user: usd(75.0),
                per_concurrent_user: usd(110.0),
                per_hour: usd(0.5),
                contracted: Some(80),
            },
        )])),
        ..Default::default()
    };
    let est = run(&ws, &settings, &l, date(2026, 6, 1), date(2026, 6, 30));
    let p = &est.periods[0];
    assert_eq!(p.concurrent["cx1"], 138);
    assert_eq!(p.overage["concurrent"]["cx1"], 58);
    assert_eq!(p.overage["named"]["cx1"], 58);
    // 138 × 110 concurrent; 138 × 75 named; 138 hours × 0.50 hourly.
    assert_eq!(p.cost.concurrent, usd(15180.0));
    assert_eq!(p.cost.named, usd(10350.0));
    assert_eq!(p.cost.hourly, usd(69.0));
    assert_eq!(p.cheapest, Some(cloud::Model::Hourly));
    // Below the contract, the contracted users are paid all the same.
    let few = logons(&names, &rows[..50]);
    let p = run(&ws, &settings, &few, date(2026, 6, 1), date(2026, 6, 30)).periods[0].clone();
    assert_eq!(p.overage["concurrent"]["cx1"], 0);
    assert_eq!(p.cost.concurrent, usd(80.0 * 110.0));
}

/// A user holding ACD Media 1 (calls) and Interaction Optimizer is named
/// once, at the highest level a rule gives (CX 3 over CX 1), and the
/// estimate says which rule decided; a user matching no rule is listed.
#[test]
fn named_counts_each_user_once_at_the_highest_level_and_names_the_rule() {
    let ws = site(vec![
        json!({"id": "wfm", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1", "I3_ACCESS_OPTIMIZER_SCHEDULABLE"],
               "acd_media_types": ["call"]}),
        json!({"id": "both", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_2"], "acd_media_types": ["call", "chat"]}),
        json!({"id": "biz", "licenses": ["I3_ACCESS_CLIENT"]}),
        json!({"id": "odd", "licenses": ["I3_LICENSE_SALESFORCE"]}),
    ]);
    let names: Vec<String> = ["wfm", "both", "biz", "odd", "gone"].map(String::from).to_vec();
    let rows: Vec<_> = (0..5u32).map(|u| (u, date(2026, 6, 2), vec![[480, 960]])).collect();
    let est = run(
        &ws,
        &CloudSettings::default(),
        &logons(&names, &rows),
        date(2026, 6, 1),
        date(2026, 6, 30),
    );
    let p = &est.periods[0];
    assert_eq!(p.named.get("cx3"), Some(&1));
    assert_eq!(p.named.get("cx1"), None, "not also counted at CX 1");
    assert_eq!(
        p.named.get("cx2"),
        Some(&1),
        "calls and chats: CX 2 over CX 2 Digital and CX 1"
    );
    assert_eq!(p.named.get("communicate"), Some(&1));
    assert_eq!(p.named_users, 3);
    assert_eq!(p.unmatched_logged_on, 2);
    assert_eq!(est.unmatched_users, vec!["gone".to_string(), "odd".to_string()]);
    let decided: BTreeMap<&str, u64> = est.mapping.iter().map(|r| (r.rule.as_str(), r.users)).collect();
    assert_eq!(decided["Optimizer"], 1);
    assert_eq!(decided["Voice ACD"], 0, "the optimizer rule decided wfm");
    assert_eq!(decided["Voice and digital ACD"], 1);
    assert!(est.assumptions.iter().any(|a| a.rule == "Licenses as they are now"));
    let wfm = est.assignments.iter().find(|a| a.user == "wfm").expect("wfm");
    assert_eq!((wfm.license, wfm.rule.as_str()), ("cx3", "Optimizer"));
    assert!(
        est.assignments.iter().all(|a| a.user != "odd"),
        "unmatched users have no assignment"
    );
    assert!(
        est.assumptions
            .iter()
            .any(|a| a.rule == "Optimizer" && a.text.contains("CX 3"))
    );
    // With prices, the higher price is the higher level: priced the other
    // way round, CX 1 wins over CX 3.
    let all = |named: f64| LicensePrice {
        per_named_user: usd(named),
        ..Default::default()
    };
    let settings = CloudSettings {
        prices: Some(prices(&[
            (CloudLicense::Communicate, all(10.0)),
            (CloudLicense::Cx1, all(500.0)),
            (CloudLicense::Cx2, all(100.0)),
            (CloudLicense::Cx2Digital, all(90.0)),
            (CloudLicense::Cx3, all(50.0)),
            (CloudLicense::WemAddOn, all(5.0)),
        ])),
        ..Default::default()
    };
    let est = run(
        &ws,
        &settings,
        &logons(&names, &rows),
        date(2026, 6, 1),
        date(2026, 6, 30),
    );
    assert_eq!(est.periods[0].named.get("cx1"), Some(&2), "wfm and both at CX 1 now");
    assert_eq!(est.periods[0].named.get("cx3"), None);
}

/// A user who logs on for one minute of a period is a named user but not
/// part of a 30-minute concurrent peak.
#[test]
fn one_minute_counts_as_named_but_not_toward_the_concurrent_peak() {
    let ws = site(vec![agent("brief"), agent("steady")]);
    let names = vec!["brief".to_string(), "steady".to_string()];
    let rows = vec![
        (0, date(2026, 6, 5), vec![[600, 601]]),
        (1, date(2026, 6, 5), vec![[540, 660]]),
    ];
    let est = run(
        &ws,
        &CloudSettings::default(),
        &logons(&names, &rows),
        date(2026, 6, 1),
        date(2026, 6, 30),
    );
    let p = &est.periods[0];
    assert_eq!(p.named["cx1"], 2);
    assert_eq!(p.concurrent_peak, 1);
    assert_eq!(p.concurrent["cx1"], 1);
    assert_eq!(p.hours["cx1"].0, 121);
    // Alone, the one-minute user gives no concurrent peak at all.
    let rows = vec![(0, date(2026, 6, 5), vec![[600, 601]])];
    let p = run(
        &ws,
        &CloudSettings::default(),
        &logons(&names, &rows),
        date(2026, 6, 1),
        date(2026, 6, 30),
    )
    .periods[0]
        .clone();
    assert_eq!(p.named["cx1"], 1);
    assert_eq!((p.concurrent_peak, p.concurrent.len()), (0, 0));
}

/// Communicate users stay named under every model; the concurrent pool
/// holds CX users only; add-ons follow their user's level; hours are
/// billed rounded up per license.
#[test]
fn communicate_stays_named_and_add_ons_follow_their_user() {
    let ws = site(vec![
        json!({"id": "biz", "licenses": ["I3_ACCESS_CLIENT"]}),
        json!({"id": "qm", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1", "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT"],
               "acd_media_types": ["call"]}),
    ]);
    let names = vec!["biz".to_string(), "qm".to_string()];
    let rows = vec![
        (0, date(2026, 6, 5), vec![[0, 1440]]),
        (1, date(2026, 6, 5), vec![[540, 601]]),
    ];
    let p = |named: f64, conc: f64, hour: f64| LicensePrice {
        per_named_user: usd(named),
        per_concurrent_user: usd(conc),
        per_hour: usd(hour),
        contracted: None,
    };
    let settings = CloudSettings {
        prices: Some(prices(&[
            (CloudLicense::Communicate, p(20.0, 0.0, 0.0)),
            (CloudLicense::Cx1, p(75.0, 100.0, 1.0)),
            (CloudLicense::WemAddOn, p(10.0, 15.0, 0.25)),
        ])),
        ..Default::default()
    };
    let est = run(
        &ws,
        &settings,
        &logons(&names, &rows),
        date(2026, 6, 1),
        date(2026, 6, 30),
    );
    let p = &est.periods[0];
    assert_eq!(p.concurrent_peak, 1, "the Communicate user is not in the pool");
    assert_eq!(p.concurrent.get("communicate"), None);
    assert_eq!(p.concurrent["wem-add-on"], 1);
    // Named: 20 + 75 + 10. Concurrent: 20 (named) + 100 + 15. Hourly: 20 +
    // 61 minutes → 2 hours × 1.00 + 2 × 0.25.
    assert_eq!(p.cost.named, usd(105.0));
    assert_eq!(p.cost.concurrent, usd(135.0));
    assert_eq!(p.cost.hourly, usd(22.5));
    assert_eq!(p.hours["cx1"].value(), 1.02);
}

// ---- Brute force and property tests ----

/// Licenses a random user may hold (with their ACD types).
const HOLDINGS: &[(&[&str], &[&str])] = &[
    (&["I3_ACCESS_CLIENT"], &[]),
    (&["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"], &["call"]),
    (&["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"], &["email"]),
    (&["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_2"], &["call", "chat"]),
    (
        &[
            "I3_ACCESS_CLIENT",
            "I3_ACCESS_ACD_MEDIA_1",
            "I3_ACCESS_OPTIMIZER_CLIENT",
        ],
        &["call"],
    ),
    (
        &[
            "I3_ACCESS_CLIENT",
            "I3_ACCESS_ACD_MEDIA_1",
            "I3_ACCESS_RECORDER_QUALITYMONITORING",
        ],
        &["call"],
    ),
    (&["I3_LICENSE_SALESFORCE"], &[]),
];

#[derive(Debug, Clone)]
struct Case {
    holdings: Vec<usize>,
    /// (user, day offset from May 25, from minute, length)
    spans: Vec<(usize, i64, u16, u16)>,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..7).prop_flat_map(|n| {
        (
            prop::collection::vec(0..HOLDINGS.len(), n),
            prop::collection::vec((0..n, 0i64..20, 0u16..1440, 1u16..240), 0..40),
        )
            .prop_map(|(holdings, spans)| Case { holdings, spans })
    })
}

fn build(c: &Case) -> (Workspace, Vec<String>, Logons) {
    let names: Vec<String> = (0..c.holdings.len()).map(|i| format!("u{i}")).collect();
    let users = c
        .holdings
        .iter()
        .enumerate()
        .map(|(i, h)| json!({"id": names[i], "licenses": HOLDINGS[*h].0, "acd_media_types": HOLDINGS[*h].1}))
        .collect();
    let ws = site(users);
    let rows: Vec<_> = c
        .spans
        .iter()
        .map(|(u, d, from, len)| {
            let day = date(2026, 5, 25) + chrono::Duration::days(*d);
            (*u as u32, day, vec![[*from, (from + len).min(1440)]])
        })
        .collect();
    let l = logons(&names, &rows);
    (ws, names, l)
}

/// Per period: named users, concurrent users and minutes per license,
/// counted minute by minute without the difference arrays.
fn brute(
    ws: &Workspace,
    settings: &CloudSettings,
    l: &Logons,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<[BTreeMap<String, u64>; 3]> {
    let rules = settings.mapping_in_force();
    let compiled = Compiled::new(&rules, settings.prices.as_ref());
    let mut out = Vec::new();
    let mut start = from;
    while start <= to {
        let (p_start, p_end) = cloud::prices::billing_period(start, 1).expect("period");
        let (lo, hi) = (p_start.max(from), p_end.min(to));
        // Each user's set of (day, minute) logged on.
        let mut present: BTreeMap<u32, BTreeSet<(NaiveDate, u16)>> = BTreeMap::new();
        for d in l.days.iter().filter(|d| d.date >= lo && d.date <= hi) {
            for (u, spans) in d.iter() {
                for [a, b] in spans {
                    for m in *a..*b {
                        present.entry(u).or_default().insert((d.date, m));
                    }
                }
            }
        }
        let level = |u: u32| {
            let user = ws.user(&l.names[u as usize])?;
            let a = compiled.assign(ws, user);
            let (lv, _) = a.level?;
            Some((lv, a.add_ons().collect::<Vec<_>>()))
        };
        let (mut named, mut conc, mut minutes) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
        let mut pool = Vec::new();
        for (u, set) in &present {
            let Some((lv, add_ons)) = level(*u) else { continue };
            for x in std::iter::once(lv).chain(add_ons.iter().copied()) {
                *named.entry(x.code().to_string()).or_insert(0) += 1;
                *minutes.entry(x.code().to_string()).or_insert(0) += set.len() as u64;
            }
            if lv.is_cx() {
                pool.push((*u, set.len() as u64, lv, add_ons));
            }
        }
        // Minute by minute over every minute of the range.
        let mut counts: Vec<u64> = Vec::new();
        let mut day = lo;
        while day <= hi {
            for m in 0..1440u16 {
                counts.push(pool.iter().filter(|(u, ..)| present[u].contains(&(day, m))).count() as u64);
            }
            day = day.succ_opt().expect("day");
        }
        let top = counts.iter().copied().max().unwrap_or(0);
        let peak = (1..=top)
            .rev()
            .find(|n| counts.iter().filter(|c| **c >= *n).count() >= 30)
            .unwrap_or(0);
        pool.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then_with(|| l.names[a.0 as usize].cmp(&l.names[b.0 as usize]))
        });
        for (_, _, lv, add_ons) in pool.iter().take(peak as usize) {
            for x in std::iter::once(*lv).chain(add_ons.iter().copied()) {
                *conc.entry(x.code().to_string()).or_insert(0) += 1;
            }
        }
        out.push([named, conc, minutes]);
        start = p_end.succ_opt().expect("next");
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    /// The estimate equals a brute-force minute-by-minute recount, and the
    /// billable concurrent count of a license never exceeds its named count.
    #[test]
    fn the_estimate_equals_a_minute_by_minute_recount(c in case()) {
        let (ws, _, l) = build(&c);
        let settings = CloudSettings::default();
        let (from, to) = (date(2026, 5, 20), date(2026, 6, 20));
        let est = run(&ws, &settings, &l, from, to);
        let expected = brute(&ws, &settings, &l, from, to);
        prop_assert_eq!(est.periods.len(), expected.len());
        for (p, [named, conc, minutes]) in est.periods.iter().zip(&expected) {
            prop_assert_eq!(&p.named, named);
            prop_assert_eq!(&p.concurrent, conc);
            let got: BTreeMap<String, u64> = p.hours.iter().map(|(k, h)| (k.clone(), h.0)).collect();
            prop_assert_eq!(&got, minutes);
            for (lic, n) in &p.concurrent {
                prop_assert!(*n <= p.named.get(lic).copied().unwrap_or(0), "{lic}: {n} concurrent > named");
            }
        }
    }

    /// Moving a wave later never lowers the PureConnect cost of the
    /// periods before it (nor of any period).
    #[test]
    fn moving_a_wave_later_never_lowers_the_pureconnect_cost_before_it(
        c in case(),
        wave in 0i64..60,
        later in 0i64..60,
        chosen in prop::collection::vec(any::<bool>(), 7),
    ) {
        let (ws, names, mut l) = build(&c);
        let mut ws = ws;
        ws.price_list = Some(serde_json::from_value(json!({"currency": "USD",
            "per_user_per_period": {"agent": 95, "business-user": 35, "quality-manager": 10}})).expect("prices"));
        // Each user who logged on counted as an agent (or a business user) those days.
        for (u, d, ..) in &c.spans {
            let day = date(2026, 5, 25) + chrono::Duration::days(*d);
            let (period, _, _) = ia_licensing::core::usage::billing_period(day);
            let category = if HOLDINGS[c.holdings[*u]].1.is_empty() { BillingCategory::BusinessUser } else { BillingCategory::Agent };
            l.categories.push(CategoryDays { period, user: *u as u32, category, days: 1 << (day - period).num_days() });
        }
        let movers: Vec<String> = names.iter().zip(&chosen).filter(|(_, c)| **c).map(|(n, _)| n.clone()).collect();
        let first = date(2026, 4, 1) + chrono::Duration::days(wave);
        let second = first + chrono::Duration::days(later);
        let with = |d: NaiveDate| CloudSettings {
            waves: vec![Wave { name: "Wave 1".into(), date: d, workgroups: vec![], users: movers.clone() }],
            ..Default::default()
        };
        // Whole months: only whole billing periods are costed.
        let (from, to) = (date(2026, 5, 1), date(2026, 6, 30));
        let early = run(&ws, &with(first), &l, from, to);
        let late = run(&ws, &with(second), &l, from, to);
        for (a, b) in early.periods.iter().zip(&late.periods) {
            let (a, b) = (a.phased.pureconnect.expect("priced"), b.phased.pureconnect.expect("priced"));
            prop_assert!(b >= a, "later wave: {b:?} < {a:?}");
        }
        // Nobody moved: the phased PureConnect cost is today's.
        let none = run(&ws, &CloudSettings::default(), &l, from, to);
        for p in &none.periods {
            prop_assert_eq!(p.phased.pureconnect, p.cost.pureconnect);
        }
    }
}

/// docs/cloud-estimate.md lists every row of the default mapping with the
/// license it gives.
#[test]
fn the_default_mapping_is_documented_row_by_row() {
    let doc = include_str!("../../docs/cloud-estimate.md");
    for r in cloud::default_mapping() {
        let row = doc
            .lines()
            .find(|l| l.starts_with(&format!("| {} |", r.name)))
            .unwrap_or_else(|| panic!("{} is not in docs/cloud-estimate.md", r.name));
        assert!(row.contains(&format!("| {} |", r.license.short())), "{row}");
    }
}
