//! `cloud estimate` as a process after issue 33's trials: what the table
//! says before its figures (notes, parts of periods, overage, hours per
//! user), the CSV's row per period, the range's messages, and a price list
//! of PureConnect in another currency.

use serde_json::Value;

use crate::cloud_cli::{estimate, json_of, site};
use crate::util::*;

/// The generated site has January whole and February 1–14: the table
/// marks February as a part (in both tables), gives the total over the
/// one whole period, shows overage per license and the hours each user
/// logged in, and puts the notes before the figures.
#[test]
fn the_table_says_what_its_figures_leave_out() {
    let dir = tempfile::tempdir().expect("dir");
    let (ws, _) = site(dir.path());
    let prices = dir.path().join("prices.json");
    std::fs::write(
        &prices,
        r#"{"currency": "USD", "licenses": {
            "communicate": {"per_named_user": 20, "per_concurrent_user": 20, "per_hour": 1, "contracted": 5},
            "cx1": {"per_named_user": 75, "per_concurrent_user": 110, "per_hour": 0.5, "contracted": 2},
            "cx2": {"per_named_user": 95, "per_concurrent_user": 140, "per_hour": 0.7},
            "cx2-digital": {"per_named_user": 90, "per_concurrent_user": 130, "per_hour": 0.6},
            "cx3": {"per_named_user": 150, "per_concurrent_user": 220, "per_hour": 1},
            "wem-add-on": {"per_named_user": 10, "per_concurrent_user": 15, "per_hour": 0.1}}}"#,
    )
    .expect("write");
    let out = estimate(&ws, &["--prices", s(&prices)]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf8");
    let first_table = text.find("| Period").expect("a table");
    let note = text
        .find("Note: 1 billing period (2026-02-01 to 2026-02-28) is only partly in the usage history")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(note < first_table, "the note comes before the figures");
    assert!(text.contains("| 2026-02-01 – 2026-02-28 (part) "), "{text}");
    assert!(text.contains("Total (1 whole period)"), "{text}");
    assert!(text.contains("2026-02-01 – 2026-02-28 is not costed: only 2026-02-01 to 2026-02-14"));
    let per_license = &text[text.find("Per license").expect("per license")..];
    assert!(per_license.contains("Named overage") && per_license.contains("Concurrent overage"));
    assert!(
        per_license.contains("2026-02-01 – 2026-02-28 (part)   CX 1"),
        "{per_license}"
    );
    // The overage column says what the JSON says.
    let v = json_of(&estimate(&ws, &["--prices", s(&prices), "--format", "json"]));
    let over = v["periods"][0]["overage"]["named"]["communicate"]
        .as_u64()
        .expect("overage");
    assert!(over > 0);
    let row = per_license
        .lines()
        .find(|l| l.starts_with("| 2026-01-01 – 2026-01-31") && l.contains("Communicate"))
        .expect("communicate row");
    assert!(row.contains(&format!(" {over} ")), "{row}");
    // Hours logged in: each user once (the JSON's per-user figure).
    let hours = v["periods"][0]["hours_logged_in"].as_f64().expect("hours");
    assert!(text.contains("Hours logged in"));
    let per_license_sum: f64 = v["periods"][0]["hours"]
        .as_object()
        .expect("hours")
        .values()
        .filter_map(Value::as_f64)
        .sum();
    assert!(hours <= per_license_sum + 0.01);
    assert!(v["periods"][1]["costed"] == false && v["periods"][1]["cost"]["named"].is_null());
    assert_eq!(v["totals"]["periods"], 1);
}

/// A range the history does not reach: the message names the history's
/// day instead of a bound that was not given; a range past it is cut.
#[test]
fn the_range_is_read_against_the_history() {
    let dir = tempfile::tempdir().expect("dir");
    let (ws, _) = site(dir.path());
    let out = estimate(&ws, &["--from", "2027-01-01"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("after the usage history's last day, 2026-02-14"), "{err}");
    assert!(!err.contains("--to"), "{err}");
    let out = estimate(&ws, &["--to", "2025-01-01"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("before the usage history's first day, 2026-01-01"),
        "{err}"
    );
    let v = json_of(&estimate(
        &ws,
        &["--from", "1900-01-01", "--to", "9999-12-31", "--format", "json"],
    ));
    assert_eq!(
        (v["from"].as_str(), v["to"].as_str()),
        (Some("2026-01-01"), Some("2026-02-14"))
    );
    assert_eq!(v["periods"].as_array().map(Vec::len), Some(2));
    assert!(v["notes"].as_array().expect("notes").iter().any(|n| {
        n.as_str()
            .is_some_and(|n| n.contains("has days from 2026-01-01 to 2026-02-14 only"))
    }));
}

/// The CSV has a row for each period of the JSON, also one in which no
/// user with a level logged on (an empty mapping here).
#[test]
fn the_csv_adds_up_to_the_json() {
    let dir = tempfile::tempdir().expect("dir");
    let (ws, _) = site(dir.path());
    let mapping = dir.path().join("mapping.json");
    std::fs::write(&mapping, "[]").expect("write");
    let v = json_of(&estimate(&ws, &["--mapping", s(&mapping), "--format", "json"]));
    assert!(v["periods"].as_array().is_some_and(|p| p.len() == 2));
    assert!(v["periods"][0]["by_license"].as_object().is_some_and(|m| m.is_empty()));
    assert_eq!(v["periods"][0]["cheapest"], Value::Null);
    assert!(
        v["notes"][0]
            .as_str()
            .is_some_and(|n| n.contains("The mapping has no rules")),
        "{}",
        v["notes"]
    );
    let out = estimate(&ws, &["--mapping", s(&mapping), "--format", "csv"]);
    let text = String::from_utf8(out.stdout).expect("utf8");
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(rows[0].starts_with("2026-01-01,2026-01-31,,,0,0,"), "{}", rows[0]);
}

/// Messages say what is wrong, once: a file that is not JSON is not asked
/// to "say each thing once", a device is named once, white space is not
/// "empty", a huge price is not written out in 309 digits.
#[test]
fn refusals_say_what_is_wrong_once() {
    let dir = tempfile::tempdir().expect("dir");
    let (ws, _) = site(dir.path());
    let text = dir.path().join("text.ialws");
    std::fs::write(&text, "hello").expect("write");
    let err = |out: std::process::Output| {
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let e = err(estimate(&text, &[]));
    assert!(e.contains("not valid JSON") && !e.contains("each thing once"), "{e}");
    #[cfg(unix)]
    {
        let e = err(estimate(std::path::Path::new("/dev/zero"), &[]));
        assert!(
            e.contains("/dev/zero is not a regular file") && !e.contains("$:"),
            "{e}"
        );
        assert_eq!(e.matches("/dev/zero").count(), 1, "{e}");
    }
    let spaces = dir.path().join("spaces.ialws");
    std::fs::write(&spaces, " ".repeat(10_000)).expect("write");
    let e = err(estimate(&spaces, &[]));
    assert!(e.contains("nothing but white space (10,000 bytes)"), "{e}");
    let prices = dir.path().join("huge.json");
    std::fs::write(
        &prices,
        r#"{"currency": "USD", "licenses": {"cx1": {"per_named_user": 1e308}}}"#,
    )
    .expect("write");
    let e = err(estimate(&ws, &["--prices", s(&prices)]));
    assert!(e.contains("1e308 is more than 10,000,000") && e.len() < 200, "{e}");
}

/// Refusals say what a value should be in the user's words, not the
/// parser's type names (a re-trial found "expected u32" and "input is out
/// of range").
#[test]
fn refusals_name_what_a_value_should_be_in_plain_words() {
    let dir = tempfile::tempdir().expect("dir");
    let (ws, _) = site(dir.path());
    let prices = dir.path().join("p.json");
    std::fs::write(&prices, r#"{"currency":"USD","licenses":{"cx1":{"contracted":1.5}}}"#).expect("write");
    let out = estimate(&ws, &["--prices", s(&prices)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("$.licenses.cx1.contracted") && err.contains("expected a whole number"),
        "{err}"
    );
    assert!(!err.contains("u32"), "{err}");
    let waves = dir.path().join("w.json");
    std::fs::write(&waves, r#"[{"name":"W","date":"2026-02-30","users":[]}]"#).expect("write");
    let out = estimate(&ws, &["--waves", s(&waves)]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("$[0].date: not a day of the calendar"), "{err}");
}
