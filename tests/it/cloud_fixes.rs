//! The Genesys Cloud estimate's answers after two independent trials
//! (issue 33's findings), as classes: a total with an unknown part is
//! unknown; only whole billing periods are costed; days the history does
//! not have are unknown, not zero; users left out of the figures are said;
//! a needed price that is missing is said; names that match nothing are
//! refused (license keys) or said (roles, workgroups, wave users).

use chrono::NaiveDate;
use ia_licensing::core::cloud::{self, CloudLicense, CloudSettings, LicensePrice, Model, Rule, Wave};
use ia_licensing::core::history::Logons;
use proptest::prelude::*;
use serde_json::json;

use crate::cloud::{agent, every_day, logons, prices, run, run_on, site, usd};
use crate::util::*;

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("a{i:03}")).collect()
}

/// CX 1 priced under every model, `contracted` users in the contract.
fn cx1_prices(contracted: Option<u32>) -> CloudSettings {
    CloudSettings {
        prices: Some(prices(&[(
            CloudLicense::Cx1,
            LicensePrice {
                per_named_user: usd(75.0),
                per_concurrent_user: usd(110.0),
                per_hour: usd(0.5),
                contracted,
            },
        )])),
        ..Default::default()
    }
}

/// `n` agents each logged on 09:00–10:00 on `days`.
fn agents_on(n: usize, days: &[NaiveDate]) -> (ia_licensing::core::workspace::Workspace, Vec<String>, Logons) {
    let names = names(n);
    let ws = site(names.iter().map(|n| agent(n)).collect());
    let rows: Vec<_> = days
        .iter()
        .flat_map(|d| (0..n as u32).map(move |u| (u, *d, vec![[540, 600]])))
        .collect();
    let l = logons(&names, &rows);
    (ws, names, l)
}

fn pc_price_list(currency: &str) -> ia_licensing::core::cost::PriceList {
    serde_json::from_value(json!({"currency": currency, "per_user_per_period": {"agent": 95}})).expect("price list")
}

/// A phased move with Genesys Cloud priced but no PureConnect price list:
/// the cost of running both is unknown in every period and over the
/// range (never Genesys Cloud's alone), and a note says why.
#[test]
fn running_both_is_unknown_when_pureconnect_is() {
    let (ws, names, l) = agents_on(4, &[date(2026, 6, 3), date(2026, 7, 3)]);
    let mut settings = cx1_prices(None);
    settings.waves = vec![Wave {
        name: "Pilot".into(),
        date: date(2026, 6, 1),
        workgroups: vec![],
        users: vec![names[0].clone()],
    }];
    let est = run(&ws, &settings, &l, date(2026, 6, 1), date(2026, 7, 31));
    assert_eq!(est.totals.periods, 2);
    assert!(est.phased.model.is_some(), "Genesys Cloud is costed");
    for p in &est.periods {
        assert!(p.phased.genesys_cloud.named.is_some());
        assert_eq!(p.phased.pureconnect, None);
        assert_eq!(p.phased.total, None, "{}: a part is unknown", p.start);
    }
    assert_eq!(est.phased.total, None);
    assert!(
        est.notes
            .iter()
            .any(|n| n.contains("running both") && n.contains("no PureConnect price list")),
        "{:?}",
        est.notes
    );
    // With a PureConnect price list every part is known, and the total is
    // their sum.
    let mut ws = ws;
    ws.price_list = Some(pc_price_list("USD"));
    let est = run(
        &ws,
        &settings,
        &logons_with_categories(&l, &names),
        date(2026, 6, 1),
        date(2026, 7, 31),
    );
    let m = est.phased.model.expect("model");
    for p in &est.periods {
        let both = p
            .phased
            .genesys_cloud
            .get(m)
            .zip(p.phased.pureconnect)
            .map(|(a, b)| a + b);
        assert_eq!(p.phased.total, both);
        assert!(both.is_some());
    }
}

/// Each user who logged on counted as an agent on that day (PureConnect's
/// categories, as an import keeps them).
fn logons_with_categories(l: &Logons, _names: &[String]) -> Logons {
    use ia_licensing::core::catalog::BillingCategory;
    use ia_licensing::core::history::logons::CategoryDays;
    let mut out = l.clone();
    for d in &l.days {
        for (u, _) in d.iter() {
            let (period, _, _) = ia_licensing::core::usage::billing_period(d.date);
            out.categories.push(CategoryDays {
                period,
                user: u,
                category: BillingCategory::Agent,
                days: 1 << (d.date - period).num_days(),
            });
        }
    }
    out
}

/// A PureConnect category counted without a price makes PureConnect's cost
/// unknown here (it would be compared), and the note names the category.
#[test]
fn a_pureconnect_category_without_a_price_makes_its_cost_unknown() {
    let (mut ws, names, l) = agents_on(3, &[date(2026, 6, 3)]);
    ws.price_list = Some(
        serde_json::from_value(json!({"currency": "USD", "per_user_per_period": {"business-user": 35}}))
            .expect("price list"),
    );
    let l = logons_with_categories(&l, &names);
    let est = run(&ws, &cx1_prices(None), &l, date(2026, 6, 1), date(2026, 6, 30));
    let p = &est.periods[0];
    assert!(p.costed && p.cost.named.is_some());
    assert_eq!(p.cost.pureconnect, None);
    assert_eq!(p.difference.named, None);
    assert_eq!(est.totals.pureconnect, None);
    assert!(
        est.notes.iter().any(|n| n.contains("no price for Agent")),
        "{:?}",
        est.notes
    );
}

/// Genesys Cloud prices in EUR and a PureConnect price list in USD: the
/// PureConnect figures keep their currency, nothing subtracts or adds them.
#[test]
fn currencies_that_differ_are_never_subtracted_or_added() {
    let (mut ws, names, l) = agents_on(3, &[date(2026, 6, 3)]);
    ws.price_list = Some(pc_price_list("USD"));
    let l = logons_with_categories(&l, &names);
    let mut settings = cx1_prices(None);
    if let Some(p) = settings.prices.as_mut() {
        p.currency = "EUR".into();
    }
    settings.waves = vec![Wave {
        name: "All".into(),
        date: date(2026, 1, 1),
        workgroups: vec![],
        users: names.clone(),
    }];
    let est = run(&ws, &settings, &l, date(2026, 6, 1), date(2026, 6, 30));
    assert_eq!(est.currency.as_deref(), Some("EUR"));
    assert_eq!(est.pureconnect_currency.as_deref(), Some("USD"));
    let p = &est.periods[0];
    assert!(p.cost.named.is_some() && p.cost.pureconnect.is_some());
    assert_eq!(
        p.difference,
        cloud::ModelCosts::default(),
        "no difference of two currencies"
    );
    assert_eq!(p.phased.total, None);
    assert_eq!(est.phased.total, None);
    assert!(est.notes.iter().any(|n| n.contains("in USD") && n.contains("in EUR")));
    // Same currency, written differently: compared.
    if let Some(p) = settings.prices.as_mut() {
        p.currency = " usd".into();
    }
    let est = run(&ws, &settings, &l, date(2026, 6, 1), date(2026, 6, 30));
    assert!(est.periods[0].difference.named.is_some());
}

/// Genesys bills whole billing periods: a period the range or the history
/// cuts is counted but not costed, and the totals and the cheapest model
/// cover the whole periods only (with a billing start day too).
#[test]
fn parts_of_billing_periods_are_counted_not_costed() {
    let days: Vec<NaiveDate> = [date(2026, 5, 20), date(2026, 6, 10), date(2026, 7, 2)].to_vec();
    let (ws, _, l) = agents_on(5, &days);
    let settings = cx1_prices(None);
    // May 20 to July 2: May and July are parts, June is whole.
    let est = run(&ws, &settings, &l, date(2026, 5, 20), date(2026, 7, 2));
    let costed: Vec<bool> = est.periods.iter().map(|p| p.costed).collect();
    assert_eq!(costed, vec![false, true, false]);
    for p in est.periods.iter().filter(|p| !p.costed) {
        assert_eq!(p.named["cx1"], 5, "counted");
        assert_eq!(p.cost, cloud::PeriodCosts::default(), "not costed");
        assert_eq!(p.cheapest, None);
        assert!(p.not_costed.as_deref().is_some_and(|w| w.contains("range")));
        assert!(p.by_license.values().all(|l| l.named_cost.is_none()));
    }
    let june = &est.periods[1];
    assert_eq!(est.totals.named, june.cost.named);
    assert_eq!(est.totals.periods, 1);
    assert_eq!(
        (est.totals.from, est.totals.to),
        (Some(date(2026, 6, 1)), Some(date(2026, 6, 30)))
    );
    assert!(
        est.notes
            .iter()
            .any(|n| n.contains("only partly") && n.contains("whole billing periods"))
    );
    // A billing start day of 15: the history of June 1–30 holds no whole
    // period (May 15–June 14 and June 15–July 14 are both cut).
    let mut settings = cx1_prices(None);
    if let Some(p) = settings.prices.as_mut() {
        p.billing_start_day = Some(15);
    }
    let est = run(&ws, &settings, &l, date(2026, 6, 1), date(2026, 6, 30));
    assert_eq!(est.periods.len(), 2);
    assert!(est.periods.iter().all(|p| !p.costed && p.cost.named.is_none()));
    assert_eq!((est.totals.named, est.totals.cheapest), (None, None));
    assert!(est.notes.iter().any(|n| n.contains("No billing period is wholly")));
}

/// Days the history does not have are unknown, not days without logons: a
/// period with a day missing is not costed; the range is cut to the
/// history's days (and says so); periods without a day of history are
/// left out; a history imported before logged-on times were kept gives no
/// cheapest model.
#[test]
fn days_the_history_lacks_are_unknown_and_the_range_is_cut_to_it() {
    let (ws, _, l) = agents_on(2, &[date(2026, 6, 3)]);
    let settings = cx1_prices(Some(10));
    // June has every day but the 20th.
    let mut gap = every_day(&l, date(2026, 6, 1), date(2026, 6, 30));
    gap.days.retain(|d| d.date != date(2026, 6, 20));
    let est = run_on(&ws, &settings, &gap, date(2026, 6, 1), date(2026, 6, 30));
    let p = &est.periods[0];
    assert!(
        !p.costed && p.cost.named.is_none(),
        "contract charged on a day of no data"
    );
    assert!(
        p.not_costed
            .as_deref()
            .is_some_and(|w| w.contains("1 of its 30 days has no"))
    );
    // The whole calendar asked for: cut to June, in well under a second.
    let whole = every_day(&l, date(2026, 6, 1), date(2026, 6, 30));
    let started = std::time::Instant::now();
    let est = run_on(&ws, &settings, &whole, date(1900, 1, 1), date(9999, 12, 31));
    assert!(started.elapsed().as_secs_f64() < 1.0, "{:?}", started.elapsed());
    assert_eq!((est.from, est.to), (date(2026, 6, 1), date(2026, 6, 30)));
    assert_eq!(est.periods.len(), 1);
    assert!(est.periods[0].costed);
    assert!(
        est.notes
            .iter()
            .any(|n| n.contains("has days from 2026-06-01 to 2026-06-30 only"))
    );
    // A second stretch of history far away: the periods between are left
    // out, not costed as empty.
    let mut far = whole.clone();
    far.days
        .extend(every_day(&Logons::default(), date(2099, 1, 1), date(2099, 1, 31)).days);
    let est = run_on(&ws, &settings, &far, date(2026, 6, 1), date(2099, 1, 31));
    assert_eq!(est.periods.len(), 2);
    assert_eq!(est.periods_without_history, 870);
    assert!(
        est.notes
            .iter()
            .any(|n| n.contains("870 billing periods of the range have no day"))
    );
    // Days imported before the history kept logged-on times: not data.
    let old = Logons {
        lacking: every_day(&Logons::default(), date(2026, 6, 1), date(2026, 6, 30))
            .days
            .iter()
            .map(|d| d.date)
            .collect(),
        ..Default::default()
    };
    let est = run_on(&ws, &settings, &old, date(2026, 6, 1), date(2026, 6, 30));
    assert_eq!(est.periods.len(), 1);
    assert!(!est.periods[0].costed);
    assert_eq!((est.totals.cheapest, est.periods[0].cheapest), (None, None));
    assert!(
        est.days_without_logons_note
            .as_deref()
            .is_some_and(|n| n.contains("30 days") && n.contains("were imported"))
    );
    let one = Logons {
        lacking: vec![date(2026, 6, 5)],
        ..Default::default()
    };
    let est = run_on(&ws, &settings, &one, date(2026, 6, 1), date(2026, 6, 30));
    let note = est.days_without_logons_note.expect("note");
    assert!(
        note.starts_with("1 day of the history (2026-06-05 to 2026-06-05) was imported"),
        "{note}"
    );
    assert!(note.contains("leave it out. Import its events again"), "{note}");
}

/// The number of periods is capped, however long the history.
#[test]
fn the_periods_are_capped() {
    let (ws, _, _) = agents_on(1, &[]);
    // One day of history in each month from 1950 for 60 years.
    let mut l = Logons::default();
    let mut day = date(1950, 1, 15);
    while day < date(2010, 1, 1) {
        l.days.push(ia_licensing::core::history::logons::DayLogons::new(day));
        day = day.checked_add_months(chrono::Months::new(1)).expect("month");
    }
    let est = run_on(&ws, &CloudSettings::default(), &l, date(1900, 1, 1), date(9999, 12, 31));
    assert_eq!(est.periods.len(), cloud::MAX_PERIODS);
    assert!(est.notes.iter().any(|n| n.contains("more than 600 billing periods")));
}

/// Users who logged on but have no level are not in the Genesys Cloud
/// figures: a note says so, and with nobody costed no model is cheapest
/// (an empty mapping, or users matching only an add-on rule, which is
/// named and counts them).
#[test]
fn users_left_out_are_said_and_nothing_is_cheapest_without_a_costed_user() {
    let (ws, _, l) = agents_on(3, &[date(2026, 6, 3)]);
    let empty = CloudSettings {
        mapping: Some(Vec::new()),
        ..cx1_prices(None)
    };
    let est = run(&ws, &empty, &l, date(2026, 6, 1), date(2026, 6, 30));
    let p = &est.periods[0];
    assert!(p.costed);
    assert_eq!((p.named_users, p.unmatched_logged_on), (0, 3));
    assert_eq!((p.cheapest, est.totals.cheapest), (None, None));
    assert_eq!(est.users_not_costed, 3);
    assert!(est.notes.iter().any(|n| n.contains("The mapping has no rules")));
    // Some matched, some not: figures for the matched ones, and a note.
    let names = names(4);
    let mut users: Vec<_> = names[..3].iter().map(|n| agent(n)).collect();
    users.push(json!({"id": names[3], "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_RECORDER_QUALITYMONITORING"]}));
    let ws = site(users);
    let rows: Vec<_> = (0..4u32).map(|u| (u, date(2026, 6, 3), vec![[540, 600]])).collect();
    let est = run(
        &ws,
        &cx1_prices(None),
        &logons(&names, &rows),
        date(2026, 6, 1),
        date(2026, 6, 30),
    );
    assert_eq!(est.users_not_costed, 1);
    assert!(est.totals.cheapest.is_some());
    assert_eq!(est.add_on_only.len(), 1);
    assert_eq!(est.add_on_only[0].user, names[3]);
    assert_eq!(est.add_on_only[0].rules, vec!["Quality management".to_string()]);
    let qm = est
        .mapping
        .iter()
        .find(|r| r.rule == "Quality management")
        .expect("rule");
    assert_eq!(qm.users, 1, "the add-on rule counts the user it matched");
    assert!(
        est.notes
            .iter()
            .any(|n| n.contains("1 user who logged on has no Genesys Cloud level"))
    );
    assert!(
        est.notes
            .iter()
            .any(|n| n.contains("only an add-on rule (“Quality management”)"))
    );
    // Only add-on users logged on: nothing costed, no cheapest.
    let rows = vec![(3u32, date(2026, 6, 3), vec![[540, 600]])];
    let est = run(
        &ws,
        &cx1_prices(None),
        &logons(&names, &rows),
        date(2026, 6, 1),
        date(2026, 6, 30),
    );
    assert_eq!((est.periods[0].cheapest, est.totals.cheapest), (None, None));
}

/// Hours logged in are per user: a user's add-on does not count their
/// hours twice (per license, each license has them).
#[test]
fn hours_logged_in_count_each_user_once() {
    let names = names(5);
    let ws = site(
        names
            .iter()
            .map(|n| {
                json!({"id": n, "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1", "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT"],
                       "acd_media_types": ["call"]})
            })
            .collect(),
    );
    let rows: Vec<_> = (0..5u32).map(|u| (u, date(2026, 6, 3), vec![[540, 600]])).collect();
    let est = run(
        &ws,
        &CloudSettings::default(),
        &logons(&names, &rows),
        date(2026, 6, 1),
        date(2026, 6, 30),
    );
    let p = &est.periods[0];
    assert_eq!(p.hours["cx1"].0, 300);
    assert_eq!(p.hours["wem-add-on"].0, 300);
    assert_eq!(p.hours_logged_in.0, 300, "5 users × 1 hour");
}

/// `prices_missing` is true whenever a price the estimate needs is
/// missing, and `missing_prices` says which.
#[test]
fn prices_missing_whenever_a_needed_price_is() {
    let (ws, _, l) = agents_on(2, &[date(2026, 6, 3)]);
    let with = |licenses: serde_json::Value| CloudSettings {
        prices: Some(serde_json::from_value(json!({"currency": "USD", "licenses": licenses})).expect("prices")),
        ..Default::default()
    };
    for (licenses, missing) in [
        (json!({}), true),
        (json!({"cx4": {"per_named_user": 1}}), true),
        (json!({"cx1": {"per_named_user": 1}}), true),
        (
            json!({"cx1": {"per_named_user": 1, "per_concurrent_user": 2, "per_hour": 0.1}}),
            false,
        ),
    ] {
        let est = run(&ws, &with(licenses.clone()), &l, date(2026, 6, 1), date(2026, 6, 30));
        assert_eq!(est.prices_missing, missing, "{licenses}");
        if missing {
            assert!(est.missing_prices.values().flatten().any(|l| *l == "cx1"), "{licenses}");
            assert!(est.prices_note.is_some());
        } else {
            assert!(est.missing_prices.is_empty());
        }
    }
    // Missing prices are looked for in parts of periods too.
    let est = run(&ws, &with(json!({})), &l, date(2026, 6, 2), date(2026, 6, 30));
    assert!(est.prices_missing && !est.periods[0].costed);
}

/// A misspelt license key in a mapping is refused with its place; roles and
/// workgroups the workspace does not have are said (a rule of the site's
/// own that matches nobody).
#[test]
fn names_in_a_mapping_that_match_nothing_are_refused_or_said() {
    let rules: Vec<Rule> = serde_json::from_value(json!([{"name": "Agents", "license": "cx1", "reason": "r",
        "when": {"holds_any": ["I3_ACCESS_ACD_MEDIA_1", "I3_ACCESS_ACD_MEDIA_I"]}}]))
    .expect("rules");
    let problems = cloud::mapping::problems(&rules, "$");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].0, "$[0].when.holds_any[1]");
    assert!(problems[0].1.contains("I3_ACCESS_ACD_MEDIA_I"), "{}", problems[0].1);
    assert!(cloud::mapping::problems(&cloud::default_mapping(), "$").is_empty());
    let (ws, _, l) = agents_on(2, &[date(2026, 6, 3)]);
    let rules: Vec<Rule> = serde_json::from_value(json!([{"name": "Agents", "license": "cx1", "reason": "r",
        "when": {"roles_any": ["Supervisr"], "workgroups_any": ["No such WG", "Voice"]}}]))
    .expect("rules");
    let settings = CloudSettings {
        mapping: Some(rules),
        ..Default::default()
    };
    let est = run(&ws, &settings, &l, date(2026, 6, 1), date(2026, 6, 30));
    assert!(
        est.notes
            .iter()
            .any(|n| n.contains("role “Supervisr”, which no user holds")),
        "{:?}",
        est.notes
    );
    assert!(
        est.notes
            .iter()
            .any(|n| n.contains("workgroup “No such WG”, which is not"))
    );
    assert!(!est.notes.iter().any(|n| n.contains("“Voice”")), "Voice is a workgroup");
    // The default mapping's generic rows (Supervisor role) are not noted.
    let est = run(&ws, &CloudSettings::default(), &l, date(2026, 6, 1), date(2026, 6, 30));
    assert!(!est.notes.iter().any(|n| n.contains("Supervisor")), "{:?}", est.notes);
}

/// Billing periods at the ends of the calendar stay in it (no year 10000)
/// and are parts.
#[test]
fn periods_stay_within_the_calendar() {
    let (ws, _, l) = agents_on(1, &[date(9999, 12, 31)]);
    let mut settings = cx1_prices(None);
    if let Some(p) = settings.prices.as_mut() {
        p.billing_start_day = Some(28);
    }
    let est = run(&ws, &settings, &l, date(9999, 12, 28), date(9999, 12, 31));
    let p = &est.periods[0];
    assert_eq!((p.start, p.end), (date(9999, 12, 28), date(9999, 12, 31)));
    assert!(!p.costed);
    let (ws, _, l) = agents_on(1, &[date(1900, 1, 1)]);
    let est = run(&ws, &settings, &l, date(1900, 1, 1), date(1900, 1, 27));
    let p = &est.periods[0];
    assert_eq!((p.start, p.end), (date(1900, 1, 1), date(1900, 1, 27)));
    assert!(!p.costed, "the period began in 1899");
}

/// A user named by two waves moves with the earlier, and a note says so;
/// a wave naming many unknown users gives one note naming a few.
#[test]
fn waves_say_who_they_could_not_move() {
    let (ws, names, l) = agents_on(3, &[date(2026, 6, 3)]);
    let wave = |name: &str, d: NaiveDate, users: Vec<String>| Wave {
        name: name.into(),
        date: d,
        workgroups: vec![],
        users,
    };
    let mut unknown: Vec<String> = (0..20_000).map(|i| format!("ghost{i}")).collect();
    unknown.push(names[1].clone());
    let settings = CloudSettings {
        waves: vec![
            wave("Late", date(2026, 3, 1), vec![names[0].clone()]),
            wave("Early", date(2026, 1, 1), vec![names[0].clone()]),
            wave("Pasted", date(2026, 4, 1), unknown),
        ],
        ..Default::default()
    };
    let est = run(&ws, &settings, &l, date(2026, 6, 1), date(2026, 6, 30));
    assert_eq!(est.waves[0].users, Vec::<String>::new());
    assert_eq!(est.waves[1].users, vec![names[0].clone()]);
    assert!(
        est.notes
            .iter()
            .any(|n| n.contains("Wave “Late” also names 1 user who moves with an earlier wave (“Early”)")),
        "{:?}",
        est.notes
    );
    let ghosts: Vec<&String> = est.notes.iter().filter(|n| n.contains("ghost")).collect();
    assert_eq!(ghosts.len(), 1, "one note for the wave");
    assert!(
        ghosts[0].contains("20,000 users") && ghosts[0].contains("and 19,995 more"),
        "{}",
        ghosts[0]
    );
    assert!(ghosts[0].len() < 400);
}

/// The CSV has every period of the JSON: one row per period and license,
/// and a row without a license for a period without one.
#[test]
fn the_csv_has_a_row_for_every_period() {
    let (mut ws, names, l) = agents_on(2, &[date(2026, 6, 3), date(2026, 8, 3)]);
    ws.price_list = Some(pc_price_list("USD"));
    let l = logons_with_categories(&l, &names);
    let est = run(&ws, &cx1_prices(None), &l, date(2026, 6, 1), date(2026, 8, 31));
    assert_eq!(est.periods.len(), 3);
    let text = ia_licensing::core::reports::cloud::csv(&est).expect("csv");
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.expect("row")).collect();
    let starts: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(starts, vec!["2026-06-01", "2026-07-01", "2026-08-01"]);
    let july = &rows[1];
    assert_eq!((&july[2], &july[4]), ("", "0"), "no license used in July");
    assert_eq!(&july[11], "0.00", "July's PureConnect cost (nobody logged on) is kept");
}

/// Cost per model of a random set of periods: priced or not at random.
fn random_settings(priced: [bool; 3], start_day: u32) -> CloudSettings {
    let p = |on: bool, v: f64| if on { usd(v) } else { None };
    let mut s = cx1_prices(None);
    if let Some(ps) = s.prices.as_mut() {
        ps.billing_start_day = Some(start_day);
        ps.licenses.insert(
            "cx1".into(),
            LicensePrice {
                per_named_user: p(priced[0], 75.0),
                per_concurrent_user: p(priced[1], 110.0),
                per_hour: p(priced[2], 0.5),
                contracted: None,
            },
        );
    }
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

    /// A total with an unknown part is unknown, and a known total is the
    /// sum of the whole periods' figures: for each model, PureConnect and
    /// running both, whatever is priced and wherever the range falls.
    #[test]
    fn a_total_is_the_sum_of_the_whole_periods_or_unknown(
        priced in prop::array::uniform3(any::<bool>()),
        pc in any::<bool>(),
        start_day in 1u32..29,
        from in 0i64..40,
        len in 0i64..120,
        active in prop::collection::vec(0i64..160, 1..8),
    ) {
        let days: Vec<NaiveDate> = active.iter().map(|d| date(2026, 5, 1) + chrono::Duration::days(*d)).collect();
        let (mut ws, names, l) = agents_on(3, &days);
        if pc {
            ws.price_list = Some(pc_price_list("USD"));
        }
        let mut settings = random_settings(priced, start_day);
        settings.waves = vec![Wave { name: "W".into(), date: date(2026, 6, 1), workgroups: vec![], users: vec![names[0].clone()] }];
        let first = date(2026, 5, 1) + chrono::Duration::days(from);
        let last = first + chrono::Duration::days(len);
        let l = every_day(&logons_with_categories(&l, &names), date(2026, 5, 1), date(2026, 10, 31));
        let est = run_on(&ws, &settings, &l, first, last);
        let costed: Vec<&cloud::CloudPeriod> = est.periods.iter().filter(|p| p.costed).collect();
        let total = |get: &dyn Fn(&cloud::CloudPeriod) -> Option<ia_licensing::core::cost::Cents>| {
            if costed.is_empty() {
                return None;
            }
            costed.iter().map(|p| get(p)).try_fold(ia_licensing::core::cost::Cents(0), |s, v| Some(s + v?))
        };
        prop_assert_eq!(est.totals.named, total(&|p| p.cost.named));
        prop_assert_eq!(est.totals.concurrent, total(&|p| p.cost.concurrent));
        prop_assert_eq!(est.totals.hourly, total(&|p| p.cost.hourly));
        prop_assert_eq!(est.totals.pureconnect, total(&|p| p.cost.pureconnect));
        prop_assert_eq!(est.phased.total, total(&|p| p.phased.total));
        for p in &est.periods {
            let both = est.phased.model.and_then(|m| p.phased.genesys_cloud.get(m)).zip(p.phased.pureconnect);
            prop_assert_eq!(p.phased.total, both.filter(|_| p.costed).map(|(a, b)| a + b));
            if !p.costed {
                prop_assert_eq!(p.cost, cloud::PeriodCosts::default());
            }
            // A cheapest model only among priced ones, only where costed.
            if let Some(m) = p.cheapest {
                prop_assert!(p.costed && p.cost.get(m).is_some());
            }
        }
        prop_assert_eq!(est.prices_missing, priced.iter().any(|x| !x) && est.periods.iter().any(|p| p.named_users > 0));
        if let Some(m) = est.totals.cheapest {
            prop_assert!(matches!(m, Model::Named | Model::Concurrent | Model::Hourly));
            prop_assert!(est.totals.periods > 0);
        }
    }
}
