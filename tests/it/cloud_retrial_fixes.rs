//! Issue 33's re-trial, what was left: no model is called the cheapest
//! while another's cost is unknown; an unpriced category's amount is
//! unknown (`null`), and a workgroup charged for it reads "at least"; a
//! billing period cut by the range asked for says so, not that the usage
//! history lacks it.

use std::path::Path;

use serde_json::Value;

use crate::cloud_cli::{estimate, json_of, site};
use crate::util::*;

/// The estimate's notes.
fn notes_of(v: &Value) -> Vec<String> {
    v["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .filter_map(|n| n.as_str().map(String::from))
        .collect()
}

/// Prices for every license the generated site uses, under named and
/// concurrent only when `hourly` is false.
fn prices_file(dir: &Path, hourly: bool) -> std::path::PathBuf {
    let h = |v: f64| {
        if hourly {
            format!(", \"per_hour\": {v}")
        } else {
            String::new()
        }
    };
    let text = format!(
        r#"{{"currency": "USD", "licenses": {{
            "communicate": {{"per_named_user": 20, "per_concurrent_user": 20{}}},
            "cx1": {{"per_named_user": 75, "per_concurrent_user": 110{}}},
            "cx2": {{"per_named_user": 95, "per_concurrent_user": 140{}}},
            "cx2-digital": {{"per_named_user": 90, "per_concurrent_user": 130{}}},
            "cx3": {{"per_named_user": 150, "per_concurrent_user": 220{}}},
            "wem-add-on": {{"per_named_user": 10, "per_concurrent_user": 15{}}}}}}}"#,
        h(1.0),
        h(0.5),
        h(0.7),
        h(0.6),
        h(1.0),
        h(0.1)
    );
    let p = dir.join(if hourly { "all.json" } else { "no-hourly.json" });
    std::fs::write(&p, text).expect("write");
    p
}

/// With the hourly cost unknown, it could be the cheapest: no period and
/// no total names a cheapest model, a note says why and which known model
/// is lowest; with every model priced, one is named again.
#[test]
fn no_model_is_the_cheapest_while_one_cost_is_unknown() {
    let dir = tempfile::tempdir().expect("dir");
    let (ws, _) = site(dir.path());
    let partial = prices_file(dir.path(), false);
    let v = json_of(&estimate(&ws, &["--prices", s(&partial), "--format", "json"]));
    assert!(v["totals"]["named"].is_number() && v["totals"]["concurrent"].is_number());
    assert!(v["totals"]["hourly"].is_null(), "{}", v["totals"]);
    assert!(v["totals"]["cheapest"].is_null(), "{}", v["totals"]);
    for p in v["periods"].as_array().expect("periods") {
        assert!(p["cheapest"].is_null(), "{p}");
    }
    let notes = notes_of(&v);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("No model is called the cheapest") && n.contains("hourly")),
        "{notes:?}"
    );
    // The table's answer line gives no model either.
    let out = estimate(&ws, &["--prices", s(&partial)]);
    let text = String::from_utf8(out.stdout).expect("utf8");
    assert!(text.contains("No model is called the cheapest"), "{text}");
    // Everything priced: a cheapest model again.
    let all = prices_file(dir.path(), true);
    let v = json_of(&estimate(&ws, &["--prices", s(&all), "--format", "json"]));
    assert!(v["totals"]["cheapest"].is_string(), "{}", v["totals"]);
}

/// The history has January 1 to February 14. `--from 2026-01-10` cuts
/// January: the range's doing, said so (and how to cost it); February is
/// cut by the history and still says so.
#[test]
fn a_period_cut_by_the_range_says_the_range_cut_it() {
    let dir = tempfile::tempdir().expect("dir");
    let (ws, _) = site(dir.path());
    let all = prices_file(dir.path(), true);
    let v = json_of(&estimate(
        &ws,
        &["--prices", s(&all), "--from", "2026-01-10", "--format", "json"],
    ));
    let notes = notes_of(&v);
    let range = notes
        .iter()
        .find(|n| n.contains("only partly in the range of days asked for"))
        .unwrap_or_else(|| panic!("{notes:?}"));
    assert!(range.contains("2026-01-01 to 2026-01-31"), "{range}");
    assert!(!range.contains("2026-02-01"), "{range}");
    let history = notes
        .iter()
        .find(|n| n.contains("only partly in the usage history"))
        .unwrap_or_else(|| panic!("{notes:?}"));
    assert!(
        history.contains("2026-02-01 to 2026-02-28") && !history.contains("2026-01-01"),
        "{history}"
    );
    // Without --from, January is whole and costed.
    let v = json_of(&estimate(&ws, &["--prices", s(&all), "--format", "json"]));
    assert_eq!(v["periods"][0]["costed"], true);
    assert!(!notes_of(&v).iter().any(|n| n.contains("range of days asked for")));
}

/// A category the PureConnect price list lacks: its unit price and amount
/// are unknown (`null`, "unknown" in the table), not 0; the workgroup its
/// user is in reads "at least", as the totals do.
#[test]
fn an_unpriced_category_is_unknown_and_its_workgroup_at_least() {
    let dir = tempfile::tempdir().expect("dir");
    let mut ws: Value =
        serde_json::from_str(&std::fs::read_to_string(asset("scenarios/john-smith.ialws")).expect("read"))
            .expect("json");
    ws["price_list"]["per_user_per_period"]
        .as_object_mut()
        .expect("prices")
        .remove("recorder");
    let path = dir.path().join("ws.ialws");
    std::fs::write(&path, ws.to_string()).expect("write");
    let run = |format: &str| {
        bin()
            .args([
                "usage",
                "--license",
                s(&asset("scenarios/john-smith.I3Lic")),
                "--workspace",
                s(&path),
                "--events",
                s(&asset("scenarios/john-smith.events.json")),
                "--format",
                format,
            ])
            .output()
            .expect("run")
    };
    let out = run("json");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let p = &v["cost"]["periods"][0];
    let recorder = &p["by_category"]["recorder"];
    assert_eq!(recorder["priced"], false, "{recorder}");
    assert!(
        recorder["amount"].is_null() && recorder["unit_price"].is_null(),
        "{recorder}"
    );
    assert_eq!(p["by_category"]["agent"]["amount"], 95.0);
    assert_eq!(p["incomplete_workgroups"], serde_json::json!(["Support"]), "{p}");
    assert_eq!(p["no_workgroup_complete"], true);
    assert_eq!(v["cost"]["complete"], false);
    let out = run("table");
    let text = String::from_utf8(out.stdout).expect("utf8");
    let support = text
        .lines()
        .find(|l| l.trim_start().starts_with("Support"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(support.contains("at least"), "{support}");
    let rec = text
        .lines()
        .find(|l| l.contains("Recorder") && l.contains("users ×"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(rec.contains("not priced") && rec.contains("unknown"), "{rec}");
}

/// Second re-trial, F8: a prices file of `[]` names what it should be in
/// the user's words, never a type name of ours.
#[test]
fn a_prices_file_of_the_wrong_shape_is_refused_in_plain_words() {
    let dir = tempfile::tempdir().expect("dir");
    let (ws, _) = site(dir.path());
    let prices = dir.path().join("p.json");
    std::fs::write(&prices, "[]").expect("write");
    let out = estimate(&ws, &["--prices", s(&prices)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("struct") && !err.contains("CloudPrices"), "{err}");
    assert!(err.contains("expected an object"), "{err}");
}

/// Second re-trial, F2: amounts past what can be held saturated and were
/// shown as real figures (92,233,720,368,547,758.07) with a cheapest
/// model. They are unknown now, with a note, and no cheapest is named.
#[test]
fn amounts_too_large_to_hold_are_unknown_and_said() {
    use chrono::NaiveDate;
    use ia_licensing::core::cloud::{CloudLicense, CloudSettings, LicensePrice};
    use ia_licensing::core::cost::Cents;
    let names: Vec<String> = (0..5).map(|i| format!("a{i}")).collect();
    let ws = crate::cloud::site(names.iter().map(|n| crate::cloud::agent(n)).collect());
    let day = NaiveDate::from_ymd_opt(2026, 6, 3).expect("day");
    let rows: Vec<_> = (0..5u32).map(|u| (u, day, vec![[540u16, 600u16]])).collect();
    let l = crate::cloud::logons(&names, &rows);
    let settings = CloudSettings {
        prices: Some(crate::cloud::prices(&[(
            CloudLicense::Cx1,
            LicensePrice {
                per_named_user: Some(Cents(i64::MAX / 3)),
                per_concurrent_user: Some(Cents(100)),
                per_hour: Some(Cents(10)),
                contracted: None,
            },
        )])),
        ..Default::default()
    };
    let est = crate::cloud::run(
        &ws,
        &settings,
        &l,
        NaiveDate::from_ymd_opt(2026, 6, 1).expect("d"),
        NaiveDate::from_ymd_opt(2026, 6, 30).expect("d"),
    );
    let p = &est.periods[0];
    assert!(p.costed);
    assert_eq!(p.cost.named, None, "saturated: unknown");
    assert!(p.cost.concurrent.is_some());
    assert_eq!((p.cheapest, est.totals.cheapest), (None, None));
    assert!(
        est.notes.iter().any(|n| n.contains("too large to compute")),
        "{:?}",
        est.notes
    );
}

/// Second re-trial, F7: a period cut by the range at one end and by the
/// history at the other is not the range's alone: widening the range
/// cannot make it whole, so it is not advised.
#[test]
fn a_period_cut_by_both_is_the_historys() {
    let dir = tempfile::tempdir().expect("dir");
    let (ws, _) = site(dir.path());
    let all = prices_file(dir.path(), true);
    let v = json_of(&estimate(
        &ws,
        &["--prices", s(&all), "--from", "2026-02-05", "--format", "json"],
    ));
    let notes = notes_of(&v);
    assert!(
        !notes.iter().any(|n| n.contains("range of days asked for")),
        "{notes:?}"
    );
}
