//! The Excel report pack (`ia-licensing report`), read back with calamine:
//! every sheet's cells equal the JSON (or CSV) of the command it stands for
//! on the same inputs, numbers are number cells and dates date cells
//! (`report_cli.rs`: the cover, exit codes, refusals, the workbook's form).

use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use chrono::{NaiveDate, NaiveDateTime};
use ia_licensing::core::catalog::{self, BillingCategory};
use serde_json::Value;

use crate::util::{asset, bin, s};

/// What a cell must hold: text, a number, a date, a time, or nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Want {
    S(String),
    N(f64),
    D(NaiveDate),
    T(NaiveDateTime),
    E,
}

fn text(v: &Value) -> Want {
    match v.as_str() {
        Some("") | None => Want::E,
        Some(t) => Want::S(t.to_string()),
    }
}

fn num(v: &Value) -> Want {
    Want::N(v.as_f64().unwrap_or_else(|| panic!("not a number: {v}")))
}

fn opt_num(v: &Value) -> Want {
    if v.is_null() { Want::E } else { num(v) }
}

fn day(v: &Value) -> Want {
    Want::D(v.as_str().and_then(|t| t.parse().ok()).expect("a date"))
}

fn time(v: &Value) -> Want {
    let t = chrono::DateTime::parse_from_rfc3339(v.as_str().expect("a time")).expect("rfc3339");
    Want::T(t.naive_utc())
}

/// Compares one cell, strictly by type: a number must be a number cell,
/// a date a date cell.
pub fn same(cell: &Data, want: &Want) -> bool {
    match (cell, want) {
        (Data::String(a), Want::S(b)) => a == b,
        (Data::Float(a), Want::N(b)) => (a - b).abs() < 1e-9,
        (Data::Int(a), Want::N(b)) => (*a as f64 - b).abs() < 1e-9,
        (Data::DateTime(x), Want::D(d)) => {
            x.is_datetime()
                && x.as_datetime()
                    .is_some_and(|t| t == d.and_hms_opt(0, 0, 0).expect("midnight"))
        }
        (Data::DateTime(x), Want::T(t)) => {
            x.is_datetime()
                && x.as_datetime()
                    .is_some_and(|got| (got - *t).num_milliseconds().abs() <= 1)
        }
        (Data::Empty, Want::E) => true,
        _ => false,
    }
}

/// A sheet's header, or nothing when the sheet is left out.
fn header_of(path: &Path, name: &str) -> Vec<String> {
    if sheet_names(path).iter().any(|n| n == name) {
        sheet(path, name).0
    } else {
        Vec::new()
    }
}

/// A sheet's rows below the header, and its header.
pub fn sheet(path: &Path, name: &str) -> (Vec<String>, Vec<Vec<Data>>) {
    let mut book: Xlsx<_> = open_workbook(path).expect("open workbook");
    let range = book
        .worksheet_range(name)
        .unwrap_or_else(|e| panic!("sheet {name}: {e}"));
    assert_eq!(range.start(), Some((0, 0)), "{name} starts at A1");
    let mut rows = range.rows().map(<[Data]>::to_vec);
    let header = rows.next().unwrap_or_default().iter().map(|c| c.to_string()).collect();
    (header, rows.collect())
}

/// The sheets left out when they have no rows (docs/reports.md), the
/// cover saying why; the others are kept, with their header alone.
const LEFT_OUT_WHEN_EMPTY: &[&str] = &[
    "License Statistics",
    "Denials",
    "Usage & Billing",
    "Daily Usage",
    "Usage History",
    "History Periods",
];

/// Every row of the sheet equals the wanted rows, cell by cell; with no
/// rows wanted, a sheet of `LEFT_OUT_WHEN_EMPTY` is left out and the cover
/// says why.
pub fn assert_rows(path: &Path, name: &str, want: &[Vec<Want>]) -> Vec<String> {
    if want.is_empty() && LEFT_OUT_WHEN_EMPTY.contains(&name) {
        assert!(
            !sheet_names(path).iter().any(|n| n == name),
            "{name} has no rows, yet it is in the workbook"
        );
        assert!(
            crate::report_cli::cover(path)
                .iter()
                .any(|(label, note)| label == name && note.to_string().starts_with("Left out: ")),
            "the cover does not say why {name} is left out"
        );
        return Vec::new();
    }
    let (header, rows) = sheet(path, name);
    assert_eq!(
        rows.len(),
        want.len(),
        "{name}: {} rows, wanted {}",
        rows.len(),
        want.len()
    );
    for (i, (got, want)) in rows.iter().zip(want).enumerate() {
        let mut got = got.clone();
        got.resize(want.len().max(got.len()), Data::Empty);
        assert_eq!(got.len(), want.len(), "{name} row {}: {got:?}", i + 2);
        for (c, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                same(g, w),
                "{name} row {} column {} ({}): {g:?}, wanted {w:?}",
                i + 2,
                c + 1,
                header[c]
            );
        }
    }
    header
}

pub fn run(args: &[&str]) -> std::process::Output {
    bin().args(args).output().expect("run")
}

pub fn json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.code().is_some_and(|c| c == 0 || c == 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// A scenario's files in a folder of their own, with its usage history
/// imported beside the workspace (`site.ialhist`).
pub struct Site {
    pub dir: tempfile::TempDir,
    pub lic: PathBuf,
    pub ws: PathBuf,
    pub events: PathBuf,
}

pub fn site(scenario: &str) -> Site {
    let dir = tempfile::tempdir().expect("tmp");
    let copy = |from: &str, to: &str| {
        let p = dir.path().join(to);
        std::fs::copy(asset(&format!("scenarios/{scenario}.{from}")), &p).expect("copy");
        p
    };
    let lic = copy("I3Lic", "site.I3Lic");
    let ws = copy("ialws", "site.ialws");
    let events = copy("events.json", "events.json");
    let out = run(&[
        "history",
        "import",
        "--workspace",
        s(&ws),
        "--license",
        s(&lic),
        "--events",
        s(&events),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Site { dir, lic, ws, events }
}

const TODAY: &str = "2026-06-15";

fn label_of(key: &str) -> Want {
    Want::S(catalog::label(key).to_string())
}

fn capital(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Category columns of a header (their labels), as codes.
fn category_codes(header: &[String], from: usize) -> Vec<&'static str> {
    header
        .get(from..)
        .unwrap_or_default()
        .iter()
        .filter_map(|h| BillingCategory::ALL.iter().find(|c| c.label() == h).map(|c| c.code()))
        .collect()
}

fn categories(tally: &Value, codes: &[&str]) -> Vec<Want> {
    codes
        .iter()
        .map(|c| Want::N(tally[*c].as_f64().unwrap_or(0.0)))
        .collect()
}

/// The pack for one scenario equals `check`, `csv export`, `usage`,
/// `history show` and `recommend` on the same files.
#[allow(
    clippy::too_many_lines,
    reason = "one comparison per sheet of the pack against its command"
)]
fn pack_equals_commands(scenario: &str) {
    let site = site(scenario);
    let (lic, ws, events) = (s(&site.lic), s(&site.ws), s(&site.events));
    let out = site.dir.path().join("report.xlsx");
    let ran = run(&[
        "report",
        "--license",
        lic,
        "--workspace",
        ws,
        "--events",
        events,
        "--today",
        TODAY,
        "-o",
        s(&out),
    ]);
    assert!(
        ran.status.code().is_some_and(|c| c == 0 || c == 1),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    // check
    let check = json(&[
        "check",
        "--license",
        lic,
        "--workspace",
        ws,
        "--events",
        events,
        "--today",
        TODAY,
        "--format",
        "json",
    ]);
    let counts = check["counts"].as_array().expect("counts");
    let rows: Vec<Vec<Want>> = counts
        .iter()
        .map(|c| {
            vec![
                text(&c["label"]),
                text(&c["key"]),
                num(&c["assignable_allowed"]),
                num(&c["assignable_configured"]),
                num(&c["concurrent_allowed"]),
                num(&c["concurrent_configured"]),
                num(&c["concurrent_in_use"]),
                text(&c["notes"]),
            ]
        })
        .collect();
    assert_rows(&out, "Licenses Allocation", &rows);
    let diags = check["diagnostics"].as_array().expect("diagnostics");
    let rows: Vec<Vec<Want>> = diags
        .iter()
        .map(|d| {
            vec![
                Want::S(capital(d["severity"].as_str().expect("severity"))),
                Want::S(ia_licensing::core::rules::title(d["code"].as_str().expect("code")).to_string()),
                Want::S(capital(d["subject"]["kind"].as_str().expect("kind"))),
                text(&d["subject"]["id"]),
                text(&d["message"]),
                text(&d["hint"]),
            ]
        })
        .collect();
    assert_rows(&out, "Warnings", &rows);
    // csv export, with each subject's warnings from the check
    for (table, kind) in [("users", "user"), ("stations", "station")] {
        let csv_path = site.dir.path().join(format!("{table}.csv"));
        let exported = run(&["csv", "export", "--workspace", ws, "--table", table, "-o", s(&csv_path)]);
        assert!(exported.status.success());
        let mut reader = csv::Reader::from_path(&csv_path).expect("csv");
        let rows: Vec<Vec<Want>> = reader
            .records()
            .map(|r| {
                let r = r.expect("record");
                let mut row: Vec<Want> = r
                    .iter()
                    .map(|f| text(&Value::String(ia_licensing::core::text::from_csv_cell(f).to_string())))
                    .collect();
                let id = ia_licensing::core::text::from_csv_cell(&r[0]).to_string();
                let words: Vec<String> = diags
                    .iter()
                    .filter(|d| d["subject"]["kind"] == kind && d["subject"]["id"] == id.as_str())
                    .map(|d| {
                        format!(
                            "{}: {}",
                            capital(d["severity"].as_str().unwrap_or("")),
                            d["message"].as_str().unwrap_or("")
                        )
                    })
                    .collect();
                row.push(text(&Value::String(words.join("; "))));
                row
            })
            .collect();
        assert_rows(&out, &capital(table), &rows);
    }
    // usage --events
    let usage = json(&[
        "usage",
        "--license",
        lic,
        "--workspace",
        ws,
        "--events",
        events,
        "--format",
        "json",
    ]);
    let shown = json(&["license", "show", lic, "--format", "json"]);
    let pooled = |key: &str| {
        shown["licenses"]
            .as_array()
            .and_then(|l| l.iter().find(|x| x["key"] == key))
            .map_or(0.0, |x| x["pooled"].as_f64().unwrap_or(0.0))
    };
    let denials = usage["denials"].as_array().expect("denials");
    let mut keys: Vec<String> = usage["peak_concurrent_in_use"]
        .as_object()
        .expect("peaks")
        .keys()
        .cloned()
        .collect();
    for d in denials {
        let k = d["key"].as_str().expect("key").to_string();
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let rows: Vec<Vec<Want>> = keys
        .iter()
        .map(|k| {
            vec![
                label_of(k),
                Want::S(k.clone()),
                Want::N(pooled(k)),
                Want::N(usage["peak_concurrent_in_use"][k].as_f64().unwrap_or(0.0)),
                Want::N(denials.iter().filter(|d| d["key"] == k.as_str()).count() as f64),
            ]
        })
        .collect();
    assert_rows(&out, "License Statistics", &rows);
    let rows: Vec<Vec<Want>> = denials
        .iter()
        .map(|d| {
            vec![
                time(&d["at"]),
                text(&d["user"]),
                label_of(d["key"].as_str().expect("key")),
                text(&d["key"]),
                text(&d["reason"]),
            ]
        })
        .collect();
    assert_rows(&out, "Denials", &rows);
    let header = header_of(&out, "Usage & Billing");
    let codes = category_codes(&header, 3);
    let cost = &usage["cost"];
    let rows: Vec<Vec<Want>> = usage["billing"]
        .as_array()
        .expect("billing")
        .iter()
        .map(|p| {
            let mut row = vec![day(&p["period_start"]), day(&p["period_end"]), day(&p["upload_due"])];
            row.extend(categories(&p["users_by_category"], &codes));
            if !cost.is_null() {
                let total = cost["periods"]
                    .as_array()
                    .and_then(|c| c.iter().find(|c| c["period_start"] == p["period_start"]))
                    .map_or(0.0, |c| c["total"].as_f64().unwrap_or(0.0));
                row.push(Want::N(total));
            }
            row
        })
        .collect();
    if !rows.is_empty() {
        assert_eq!(
            header.len(),
            3 + codes.len() + usize::from(!cost.is_null()),
            "{header:?}"
        );
    }
    assert_rows(&out, "Usage & Billing", &rows);
    let header = header_of(&out, "Daily Usage");
    let codes = category_codes(&header, 1);
    let rows: Vec<Vec<Want>> = usage["daily"]
        .as_array()
        .expect("daily")
        .iter()
        .map(|d| {
            let mut row = vec![day(&d["day"])];
            row.extend(categories(&d["users_by_category"], &codes));
            row
        })
        .collect();
    assert_rows(&out, "Daily Usage", &rows);
    if cost.is_null() {
        assert!(!sheet_names(&out).contains(&"Estimated Cost".to_string()));
    } else {
        assert_rows(&out, "Estimated Cost", &cost_rows(cost));
    }
    // history show (the workspace's own history)
    let history = json(&["history", "show", "--workspace", ws, "--format", "json"]);
    let days = history["days"].as_array().expect("days");
    let mut keys: Vec<&str> = days
        .iter()
        .flat_map(|d| d["peak"].as_object().expect("peak").keys().map(String::as_str))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let mut rows = Vec::new();
    for k in keys {
        for d in days.iter().filter(|d| !d["peak"][k].is_null()) {
            let n = |field: &str| Want::N(d[field][k].as_f64().unwrap_or(0.0));
            rows.push(vec![
                day(&d["date"]),
                label_of(k),
                Want::S(k.to_string()),
                n("peak"),
                n("allowance"),
                n("peak_demand"),
                n("denials"),
                n("minutes_in_use"),
            ]);
        }
    }
    assert_rows(&out, "Usage History", &rows);
    let header = header_of(&out, "History Periods");
    let codes = category_codes(&header, 5);
    let rows: Vec<Vec<Want>> = history["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .map(|p| {
            let mut row = vec![
                day(&p["start"]),
                day(&p["end"]),
                day(&p["due"]),
                num(&p["days_covered"]),
                Want::S(if p["complete"] == true { "Yes" } else { "No" }.into()),
            ];
            row.extend(categories(&p["users_by_category"], &codes));
            row
        })
        .collect();
    assert_rows(&out, "History Periods", &rows);
    // recommend, on the history beside the workspace
    let hist = site.ws.with_extension("ialhist");
    let recommend = json(&[
        "recommend",
        "--license",
        lic,
        "--workspace",
        ws,
        "--history",
        s(&hist),
        "--format",
        "json",
    ]);
    let keys = recommend["keys"].as_array().expect("keys");
    let sized = keys.iter().any(|r| !r["history_sizing"].is_null());
    let rows: Vec<Vec<Want>> = keys
        .iter()
        .map(|r| {
            let part = &r["suggested_part"];
            let mut row = vec![
                text(&r["label"]),
                text(&r["key"]),
                num(&r["assignable_allowed"]),
                num(&r["assignable_configured"]),
                num(&r["concurrent_allowed"]),
                num(&r["concurrent_configured"]),
                opt_num(&r["peak_concurrent_in_use"]),
                opt_num(&r["denials"]),
                Want::S(capital(r["action"].as_str().expect("action"))),
                num(&r["assigned_delta"]),
                num(&r["pooled_delta"]),
                text(&r["reason"]),
            ];
            if part.is_null() {
                row.extend([Want::E, Want::E, Want::E, Want::E]);
            } else {
                row.extend([
                    text(&part["part_number"]),
                    text(&part["description"]),
                    num(&part["assigned"]),
                    num(&part["pooled"]),
                ]);
            }
            if sized {
                let h = &r["history_sizing"];
                if h.is_null() {
                    row.extend([Want::E, Want::E, Want::E, Want::E, Want::E]);
                } else {
                    row.extend(
                        [
                            "percentile",
                            "days",
                            "suggested_pool",
                            "denials_with_suggestion",
                            "days_over_suggestion",
                        ]
                        .map(|f| num(&h[f])),
                    );
                }
            }
            row
        })
        .collect();
    assert_rows(&out, "Right-Sizing", &rows);
    // No cell anywhere is a formula: names are text.
    let mut book: Xlsx<_> = open_workbook(&out).expect("open");
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).expect("formulas");
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{name} has a formula"
        );
    }
}

/// The cost estimate's lines, as `reports::cost::sheet` lays them out.
fn cost_rows(cost: &Value) -> Vec<Vec<Want>> {
    let mut rows = Vec::new();
    let currency = text(&cost["currency"]);
    for p in cost["periods"].as_array().expect("periods") {
        let mut line = |kind: &str, name: Want, quantity: Want, unit: Want, amount: &Value| {
            rows.push(vec![
                day(&p["period_start"]),
                day(&p["period_end"]),
                day(&p["upload_due"]),
                Want::S(kind.into()),
                name,
                quantity,
                unit,
                num(amount),
                currency.clone(),
            ]);
        };
        for (code, l) in p["by_category"].as_object().expect("categories") {
            let name = BillingCategory::from_code(code).map_or(code.clone(), |c| c.label().to_string());
            line(
                "Billing category",
                Want::S(name),
                num(&l["users"]),
                num(&l["unit_price"]),
                &l["amount"],
            );
        }
        for (key, l) in p["assignable_licenses"].as_object().expect("licenses") {
            line(
                "Assignable license",
                label_of(key),
                num(&l["licenses"]),
                num(&l["unit_price"]),
                &l["amount"],
            );
        }
        for (wg, amount) in p["by_workgroup"].as_object().expect("workgroups") {
            line("Workgroup", Want::S(wg.clone()), Want::E, Want::E, amount);
        }
        for (field, name) in [("no_workgroup", "(No workgroup)"), ("stations", "(Stations)")] {
            if p[field].as_f64().unwrap_or(0.0) != 0.0 {
                line("Not in a workgroup", Want::S(name.into()), Want::E, Want::E, &p[field]);
            }
        }
        line("Estimated total", Want::E, Want::E, Want::E, &p["total"]);
    }
    rows
}

pub fn sheet_names(path: &Path) -> Vec<String> {
    let book: Xlsx<_> = open_workbook(path).expect("open");
    book.sheet_names()
}

#[test]
fn the_report_pack_equals_the_commands_json_on_every_scenario() {
    // Denials and peaks (shift-change), billing and cost (john-smith, a
    // usage-tracking license with a price list), idle users and dynamic
    // remote stations.
    for scenario in ["shift-change", "john-smith", "idle-tracker", "dynamic-remote"] {
        pack_equals_commands(scenario);
    }
}
