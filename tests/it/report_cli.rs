//! The report pack's cover (what was left out and why, DEMO and UNSIGNED),
//! its exit codes (as `check --fail-on`), its refusals, and the workbook's
//! form (frozen header, autofilter, widths, number formats, line charts).

use std::io::Read as _;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use ia_licensing::core::catalog;
use serde_json::Value;

use crate::report::{json, run, sheet, sheet_names, site};
use crate::util::{asset, s};

/// The cover's (label, value) lines.
pub fn cover(path: &Path) -> Vec<(String, Data)> {
    let mut book: Xlsx<_> = open_workbook(path).expect("open");
    assert_eq!(book.sheet_names().first().map(String::as_str), Some("Cover"));
    let range = book.worksheet_range("Cover").expect("cover");
    range
        .rows()
        .filter_map(|r| match r {
            [Data::String(label), value, ..] => Some((label.clone(), value.clone())),
            [Data::String(label)] => Some((label.clone(), Data::Empty)),
            _ => None,
        })
        .collect()
}

fn fact<'a>(cover: &'a [(String, Data)], label: &str) -> &'a Data {
    &cover
        .iter()
        .find(|(l, _)| l == label)
        .unwrap_or_else(|| panic!("no {label} on the cover: {cover:?}"))
        .1
}

#[test]
fn without_events_or_history_the_cover_says_which_sheets_are_left_out_and_why() {
    let dir = tempfile::tempdir().expect("tmp");
    let lic = dir.path().join("site.I3Lic");
    let ws = dir.path().join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.I3Lic"), &lic).expect("copy");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    let out = dir.path().join("r.xlsx");
    let ran = run(&["report", "--license", s(&lic), "--workspace", s(&ws), "-o", s(&out)]);
    assert!(ran.status.success(), "{}", String::from_utf8_lossy(&ran.stderr));
    // The first line says DEMO, as every command's.
    assert!(String::from_utf8_lossy(&ran.stdout).starts_with("DEMO license"));
    let names = sheet_names(&out);
    assert_eq!(
        names,
        [
            "Cover",
            "Licenses Allocation",
            "Users",
            "Stations",
            "Warnings",
            "Right-Sizing"
        ]
    );
    let cover = cover(&out);
    for left in [
        "License Statistics",
        "Denials",
        "Usage & Billing",
        "Daily Usage",
        "Estimated Cost",
    ] {
        assert!(
            matches!(fact(&cover, left), Data::String(w) if w.starts_with("Left out: no events file was given")),
            "{left}: {:?}",
            fact(&cover, left)
        );
    }
    for left in ["Usage History", "History Periods"] {
        assert!(matches!(fact(&cover, left), Data::String(w) if w.starts_with("Left out: no usage history")));
    }
    // The banner and the signature as the status bar words it.
    assert!(
        cover
            .iter()
            .any(|(l, _)| l.starts_with("DEMO license: signed with the public demo key"))
    );
    assert!(matches!(fact(&cover, "Signature"), Data::String(w) if w == "Signature valid · DEMO"));
    assert!(matches!(fact(&cover, "Expires"), Data::DateTime(d) if d.is_datetime()));
    assert!(matches!(fact(&cover, "Made on (UTC)"), Data::DateTime(d) if d.is_datetime()));
    assert!(matches!(fact(&cover, "Made by"), Data::String(w) if !w.is_empty()));
    // The JSON summary says the same.
    let out2 = dir.path().join("r2.xlsx");
    let summary = json(&[
        "report",
        "--license",
        s(&lic),
        "--workspace",
        s(&ws),
        "-o",
        s(&out2),
        "--format",
        "json",
    ]);
    assert_eq!(summary["license"]["demo"], true);
    assert_eq!(summary["left_out"].as_array().map(Vec::len), Some(7));
}

#[test]
fn an_unsigned_license_is_unsigned_on_the_cover() {
    let dir = tempfile::tempdir().expect("tmp");
    let lic = dir.path().join("site.I3Lic");
    let ws = dir.path().join("site.ialws");
    let mut v: Value =
        serde_json::from_slice(&std::fs::read(asset("scenarios/shift-change.I3Lic")).expect("read")).expect("json");
    v.as_object_mut().expect("object").remove("signature");
    std::fs::write(&lic, serde_json::to_vec(&v).expect("ser")).expect("write");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &ws).expect("copy");
    let out = dir.path().join("r.xlsx");
    let ran = run(&[
        "report",
        "--license",
        s(&lic),
        "--workspace",
        s(&ws),
        "--allow-unsigned",
        "-o",
        s(&out),
    ]);
    assert!(ran.status.success(), "{}", String::from_utf8_lossy(&ran.stderr));
    let cover = cover(&out);
    assert!(
        cover
            .iter()
            .any(|(l, _)| l.starts_with("UNSIGNED license (training mode)"))
    );
    assert!(matches!(fact(&cover, "Signature"), Data::String(w) if w == "UNSIGNED"));
}

/// A workspace with a warning: a user holding a license the license file
/// does not have enough of, and a name a spreadsheet would run.
fn warned_site(dir: &Path) -> (PathBuf, PathBuf) {
    let lic = dir.join("site.I3Lic");
    std::fs::copy(asset("scenarios/shift-change.I3Lic"), &lic).expect("copy");
    let mut ws: Value =
        serde_json::from_slice(&std::fs::read(asset("scenarios/shift-change.ialws")).expect("read")).expect("json");
    let users = ws["users"].as_array_mut().expect("users");
    users[0]["name"] = Value::String("=HYPERLINK(\"http://x\",\"y\")".into());
    // In an ACD workgroup without an ACD license: a warning, no error.
    users.push(serde_json::json!({
        "id": "walt", "name": "Walt", "method": "concurrent", "licenses": ["I3_ACCESS_CLIENT"],
        "acd_media_types": [], "workgroups": ["Queue"]
    }));
    let path = dir.join("site.ialws");
    std::fs::write(&path, serde_json::to_vec_pretty(&ws).expect("ser")).expect("write");
    (lic, path)
}

#[test]
fn exit_codes_follow_check_fail_on_and_the_workbook_is_written_all_the_same() {
    let dir = tempfile::tempdir().expect("tmp");
    let (lic, ws) = warned_site(dir.path());
    let mut codes = Vec::new();
    for (today, fail_on) in [
        ("2026-06-15", "warning"),
        ("2026-06-15", "error"),
        ("2101-01-01", "error"),
    ] {
        let check = run(&[
            "check",
            "--license",
            s(&lic),
            "--workspace",
            s(&ws),
            "--today",
            today,
            "--fail-on",
            fail_on,
        ]);
        let out = dir.path().join(format!("{today}-{fail_on}.xlsx"));
        let report = run(&[
            "report",
            "--license",
            s(&lic),
            "--workspace",
            s(&ws),
            "--today",
            today,
            "--fail-on",
            fail_on,
            "-o",
            s(&out),
        ]);
        assert_eq!(report.status.code(), check.status.code(), "{today} --fail-on {fail_on}");
        assert!(out.is_file(), "written at exit {:?}", report.status.code());
        codes.push(report.status.code());
    }
    // The warning fails --fail-on warning only; the expired license fails both.
    assert_eq!(codes, [Some(1), Some(0), Some(1)]);
    // The expired license (2101) fails: the exits above were not all 0.
    let out = dir.path().join("expired.xlsx");
    let report = run(&[
        "report",
        "--license",
        s(&lic),
        "--workspace",
        s(&ws),
        "--today",
        "2101-01-01",
        "-o",
        s(&out),
    ]);
    assert_eq!(
        report.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&report.stdout)
    );
    // The formula-looking name is a text cell, exactly as typed.
    let (_, rows) = sheet(&out, "Users");
    assert!(
        rows.iter()
            .any(|r| r[1] == Data::String("=HYPERLINK(\"http://x\",\"y\")".into()))
    );
}

#[test]
fn the_workspaces_own_history_is_never_written_over() {
    let site = site("shift-change");
    let hist = site.ws.with_extension("ialhist");
    let before = std::fs::read(&hist).expect("read");
    let ran = run(&[
        "report",
        "--license",
        s(&site.lic),
        "--workspace",
        s(&site.ws),
        "-o",
        s(&hist),
    ]);
    assert_eq!(ran.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&ran.stderr).contains("site.ialhist"));
    assert_eq!(std::fs::read(&hist).expect("read"), before);
}

/// Before the workspace has a history, its `NAME.ialhist` is still no
/// place for the report: refused (exit 2), nothing written, and the
/// history can then be made as usual.
#[test]
fn the_workspaces_own_history_is_refused_before_it_exists() {
    let site = site("shift-change");
    let hist = site.ws.with_extension("ialhist");
    std::fs::remove_file(&hist).expect("no history yet");
    for out in [hist.clone(), site.dir.path().join("site.ialhist-wal")] {
        let ran = run(&[
            "report",
            "--license",
            s(&site.lic),
            "--workspace",
            s(&site.ws),
            "-o",
            s(&out),
        ]);
        assert_eq!(ran.status.code(), Some(2), "{}", out.display());
        let err = String::from_utf8_lossy(&ran.stderr);
        assert!(err.contains("usage history") && err.contains("site.ialws"), "{err}");
        assert!(!out.exists(), "{} was written", out.display());
    }
    let imported = run(&[
        "history",
        "import",
        "--workspace",
        s(&site.ws),
        "--license",
        s(&site.lic),
        "--events",
        s(&site.events),
    ]);
    assert!(
        imported.status.success(),
        "{}",
        String::from_utf8_lossy(&imported.stderr)
    );
}

/// A `--from`/`--to` range with no days of the history: Usage History
/// and History Periods are left out, the cover saying why (they were kept
/// with a header alone, under a cover promising a chart per license).
#[test]
fn a_range_with_no_days_leaves_the_history_sheets_out_saying_why() {
    let site = site("shift-change");
    let out = site.dir.path().join("r.xlsx");
    let ran = run(&[
        "report",
        "--license",
        s(&site.lic),
        "--workspace",
        s(&site.ws),
        "--from",
        "9999-12-31",
        "--to",
        "9999-12-31",
        "-o",
        s(&out),
        "--format",
        "json",
    ]);
    assert!(
        ran.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let names = sheet_names(&out);
    let cover = cover(&out);
    for name in ["Usage History", "History Periods"] {
        assert!(!names.iter().any(|n| n == name), "{name} kept: {names:?}");
        assert!(
            matches!(fact(&cover, name), Data::String(w)
                if w == "Left out: the usage history has no days from 9999-12-31 to 9999-12-31"),
            "{name}: {:?}",
            fact(&cover, name)
        );
    }
    let summary: Value = serde_json::from_slice(&ran.stdout).expect("json");
    let left: Vec<&str> = summary["left_out"]
        .as_array()
        .expect("left_out")
        .iter()
        .filter_map(|l| l["sheet"].as_str())
        .collect();
    assert!(
        left.contains(&"Usage History") && left.contains(&"History Periods"),
        "{left:?}"
    );
}

#[test]
fn a_range_that_ends_before_it_starts_is_refused() {
    let site = site("shift-change");
    let out = site.dir.path().join("r.xlsx");
    let ran = run(&[
        "report",
        "--license",
        s(&site.lic),
        "--workspace",
        s(&site.ws),
        "--from",
        "2026-07-01",
        "--to",
        "2026-06-01",
        "-o",
        s(&out),
    ]);
    assert_eq!(ran.status.code(), Some(2));
    assert!(!out.exists());
}

/// A part of the workbook (it is a zip of XML parts).
pub fn part(path: &Path, name: &str) -> Option<String> {
    let file = std::fs::File::open(path).expect("open");
    let mut zip = zip::ZipArchive::new(file).expect("zip");
    let mut entry = zip.by_name(name).ok()?;
    let mut text = String::new();
    entry.read_to_string(&mut text).expect("read part");
    Some(text)
}

#[test]
fn every_sheet_has_a_frozen_header_an_autofilter_widths_and_the_history_its_charts() {
    let site = site("shift-change");
    let out = site.dir.path().join("r.xlsx");
    let ran = run(&[
        "report",
        "--license",
        s(&site.lic),
        "--workspace",
        s(&site.ws),
        "--events",
        s(&site.events),
        "-o",
        s(&out),
    ]);
    assert!(ran.status.code().is_some_and(|c| c < 2));
    let names = sheet_names(&out);
    // The cover is sheet1; the tables follow in order.
    for (i, name) in names.iter().enumerate().skip(1) {
        let xml = part(&out, &format!("xl/worksheets/sheet{}.xml", i + 1)).expect("sheet part");
        assert!(
            xml.contains(r#"ySplit="1""#) && xml.contains(r#"state="frozen""#),
            "{name}: no frozen header"
        );
        assert!(xml.contains("<autoFilter ref=\"A1"), "{name}: no autofilter");
        assert!(
            xml.contains("<col ") && xml.contains("customWidth=\"1\""),
            "{name}: no widths"
        );
    }
    let styles = part(&out, "xl/styles.xml").expect("styles");
    assert!(styles.contains("#,##0") && styles.contains("yyyy-mm-dd"), "{styles}");
    // A native line chart per license of the history, on a date axis,
    // with the allowance as a series.
    let history = json(&["history", "show", "--workspace", s(&site.ws), "--format", "json"]);
    let mut keys: Vec<String> = history["days"]
        .as_array()
        .expect("days")
        .iter()
        .flat_map(|d| d["peak"].as_object().expect("peak").keys().cloned())
        .collect();
    keys.sort();
    keys.dedup();
    assert!(!keys.is_empty());
    for (i, key) in keys.iter().enumerate() {
        let chart = part(&out, &format!("xl/charts/chart{}.xml", i + 1)).expect("a chart per license");
        assert!(
            chart.contains("<c:lineChart>") && chart.contains("<c:dateAx>"),
            "{chart}"
        );
        assert!(chart.contains(catalog::label(key)), "chart {i} is not {key}'s");
        assert!(chart.contains("Concurrent allowed") && chart.contains("Peak in use"));
    }
}

/// The width a cell shows at, in characters: text its longest line,
/// numbers with their thousands separators (and decimals), dates 10 and
/// times 16.
fn shown_chars(cell: &Data) -> usize {
    let number = |x: f64| {
        let digits = format!("{:.0}", x.abs().trunc()).len();
        digits + (digits - 1) / 3 + usize::from(x < 0.0) + if x.fract() == 0.0 { 0 } else { 3 }
    };
    match cell {
        Data::String(t) => t.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Data::Float(x) => number(*x),
        Data::Int(n) => number(*n as f64),
        Data::DateTime(d) => match d.as_datetime() {
            Some(t) if t.time() != chrono::NaiveTime::MIN => 16,
            _ => 10,
        },
        _ => cell.to_string().chars().count(),
    }
}

/// Each `<col>` of a sheet part: (first column, last column, width), 1-based.
fn col_widths(xml: &str) -> Vec<(usize, usize, f64)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(tag[start..].split('"').next()?.to_string())
    };
    xml.split("<col ")
        .skip(1)
        .filter_map(|rest| {
            let tag = format!(" {}", rest.split("/>").next()?);
            let tag = tag.as_str();
            Some((
                attr(tag, "min")?.parse().ok()?,
                attr(tag, "max")?.parse().ok()?,
                attr(tag, "width")?.parse().ok()?,
            ))
        })
        .collect()
}

/// Printed sheets were a fifth of a page too wide: a column was as wide as
/// its whole header (about 24 characters over 3-digit numbers). Each
/// column is now within a few characters of what it shows: its longest
/// cell, or its header wrapped between words (up to three lines), and
/// never narrower than its longest cell (up to the cap where text wraps).
#[test]
fn every_column_is_about_as_wide_as_its_longest_cell_or_header_word() {
    let site = site("shift-change");
    let out = site.dir.path().join("r.xlsx");
    let ran = run(&[
        "report",
        "--license",
        s(&site.lic),
        "--workspace",
        s(&site.ws),
        "--events",
        s(&site.events),
        "-o",
        s(&out),
    ]);
    assert!(ran.status.code().is_some_and(|c| c < 2));
    let mut book: Xlsx<_> = open_workbook(&out).expect("open");
    let names = book.sheet_names();
    let mut failures = Vec::new();
    let mut measured = 0;
    for (i, name) in names.iter().enumerate().skip(1) {
        let range = book.worksheet_range(name).expect("sheet");
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        let xml = part(&out, &format!("xl/worksheets/sheet{}.xml", i + 1)).expect("sheet part");
        for (min, max, width) in col_widths(&xml) {
            for col in min..=max {
                measured += 1;
                let header = rows[0].get(col - 1).map(Data::to_string).unwrap_or_default();
                let content = rows[1..]
                    .iter()
                    .map(|r| r.get(col - 1).map_or(0, shown_chars))
                    .max()
                    .unwrap_or(0);
                // A header's longest word in bold (an eighth wider), or
                // a third of it (three lines).
                let bold = |n: usize| n + n.div_ceil(8);
                let word = header.split(' ').map(|w| bold(w.chars().count())).max().unwrap_or(0);
                let header_min = word.max(bold(header.chars().count()).div_ceil(3));
                // Long text wraps at 60, other text stops at 50.
                let fit = content.max(header_min).min(60);
                if width > (fit + 6) as f64 {
                    failures.push(format!(
                        "{name} column {col} ({header}): {width} wide for cells of {content} and a header of {header_min}"
                    ));
                }
                if width < content.min(50) as f64 {
                    failures.push(format!(
                        "{name} column {col} ({header}): {width} wide, narrower than its cells ({content})"
                    ));
                }
            }
        }
    }
    assert!(measured > 40, "only {measured} columns measured");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
