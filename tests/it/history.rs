//! Usage history (`.ialhist`), pool sizing on its daily peaks, and the cost
//! estimate: hand computations, idempotent and atomic imports, the CLI
//! contract, hostile history files and a kill in the middle of an import.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use ia_licensing::core::catalog::BillingCategory;
use ia_licensing::core::cost::{self, Cents, PriceList};
use ia_licensing::core::history::{FileSummary, History};
use ia_licensing::core::recommend;
use ia_licensing::core::replay::{Event, EventKind, Session};
use ia_licensing::core::usage::{CategorySet, UserCategories};
use serde_json::json;

use crate::util::*;

fn at(day: NaiveDate, h: u32, m: u32) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(h, m, 0).expect("time"))
}

fn ev(t: chrono::DateTime<Utc>, kind: EventKind, user: &str) -> Event {
    Event {
        at: t,
        event: kind,
        user: user.into(),
        station: Some(format!("ws-{user}")),
        application: None,
        phone: None,
    }
}

/// `n` users named `prefix0..` log on at 09:00 and off at 10:00 on `day`.
fn crowd(day: NaiveDate, prefix: &str, n: usize) -> Vec<Event> {
    let mut out = Vec::new();
    for i in 0..n {
        out.push(ev(at(day, 9, 0), EventKind::Logon, &format!("{prefix}{i}")));
    }
    for i in 0..n {
        out.push(ev(at(day, 10, 0), EventKind::Logoff, &format!("{prefix}{i}")));
    }
    out
}

/// Concurrent users a0..a29 and b0..b29 with Client Access and ACD Media 1
/// (pool of 100 each) and a Recorder for the b users (assignable there).
fn setup() -> (
    std::sync::Arc<ia_licensing::core::license::License>,
    ia_licensing::core::workspace::Workspace,
) {
    let license = license_with(&[
        "I3_ACCESS_CLIENT=0+100",
        "I3_ACCESS_ACD_MEDIA_1=0+100",
        "I3_LICENSE_BASIC_STATION=100",
    ]);
    let mut users = Vec::new();
    for p in ["a", "b"] {
        for i in 0..30 {
            users.push(json!({"id": format!("{p}{i}"), "method": "concurrent",
                "licenses": if p == "a" { json!(["I3_ACCESS_CLIENT"]) } else { json!(["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"]) },
                "acd_media_types": if p == "a" { json!([]) } else { json!(["call"]) }}));
        }
    }
    let ws = workspace(
        json!({"format": 1, "server": {"host_id": "G807test", "machine_name": "testing"},
        "users": users, "stations": [], "workgroups": []}),
    );
    (license, ws)
}

fn summary(events: &[Event]) -> FileSummary {
    let (license, ws) = setup();
    let mut sorted = events.to_vec();
    sorted.sort_by_key(|e| e.at);
    FileSummary::of(&license, &ws, &sorted).expect("events")
}

/// Everything a history answers, for comparing two histories.
fn contents(h: &History) -> String {
    let Some((a, b)) = h.span().expect("span") else {
        return "empty".into();
    };
    format!(
        "{:?}\n{:?}\n{:?}",
        h.days(a, b).expect("days"),
        h.periods(a, b).expect("periods"),
        h.user_periods(a, b).expect("users")
    )
}

fn import(h: &mut History, files: &[FileSummary]) -> Result<(), String> {
    let named: Vec<(String, FileSummary)> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (format!("file{i}"), f.clone()))
        .collect();
    h.import(None, &named, &AtomicBool::new(false), &mut |_, _| {})
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn days_from(first: NaiveDate, n: i64) -> impl Iterator<Item = NaiveDate> {
    (0..n).map(move |i| first + Duration::days(i))
}

#[test]
fn importing_the_same_file_twice_equals_importing_it_once() {
    let dir = tempfile::tempdir().expect("dir");
    let events: Vec<Event> = days_from(date(2026, 6, 1), 10).flat_map(|d| crowd(d, "a", 7)).collect();
    let file = summary(&events);
    let mut once = History::open(&dir.path().join("once.ialhist")).expect("open");
    import(&mut once, std::slice::from_ref(&file)).expect("import");
    let mut twice = History::open(&dir.path().join("twice.ialhist")).expect("open");
    import(&mut twice, std::slice::from_ref(&file)).expect("import");
    import(&mut twice, std::slice::from_ref(&file)).expect("import again");
    assert_eq!(contents(&once), contents(&twice));
    let days = once.days(date(2026, 6, 1), date(2026, 6, 10)).expect("days");
    assert_eq!(days.len(), 10);
    assert!(days.iter().all(|d| d.peak["I3_ACCESS_CLIENT"] == 7));
    assert!(
        days.iter()
            .all(|d| d.users_by_category.get("business-user") == Some(&7))
    );
    // 7 licenses held for an hour a day.
    assert!(days.iter().all(|d| d.minutes_in_use["I3_ACCESS_CLIENT"] == 7 * 60));
    assert!(days.iter().all(|d| d.allowance["I3_ACCESS_CLIENT"] == 100));
}

#[test]
fn overlapping_files_are_merged_by_day_the_later_import_wins_the_days_both_cover() {
    let dir = tempfile::tempdir().expect("dir");
    // A: June 1–10, 3 "a" users a day. B: June 5–15, 5 "b" users a day.
    let a: Vec<Event> = days_from(date(2026, 6, 1), 10).flat_map(|d| crowd(d, "a", 3)).collect();
    let b: Vec<Event> = days_from(date(2026, 6, 5), 11).flat_map(|d| crowd(d, "b", 5)).collect();
    let mut h = History::open(&dir.path().join("h.ialhist")).expect("open");
    import(&mut h, &[summary(&a)]).expect("a");
    import(&mut h, &[summary(&b)]).expect("b");
    let days = h.days(date(2026, 6, 1), date(2026, 6, 15)).expect("days");
    assert_eq!(days.len(), 15);
    for d in &days {
        if d.date < date(2026, 6, 5) {
            assert_eq!(d.users_by_category.get("business-user"), Some(&3), "{}", d.date);
            assert_eq!(d.users_by_category.get("agent"), None);
        } else {
            assert_eq!(d.users_by_category.get("agent"), Some(&5), "{}", d.date);
            assert_eq!(d.users_by_category.get("business-user"), None, "{}", d.date);
            assert_eq!(d.peak.get("I3_ACCESS_ACD_MEDIA_1"), Some(&5));
        }
    }
    // The period (May 28 – June 27) counts a0..a2 (June 1–4) and b0..b4.
    let periods = h.periods(date(2026, 6, 1), date(2026, 6, 15)).expect("periods");
    assert_eq!(periods.len(), 1);
    assert_eq!(periods[0].users_by_category.get("business-user"), Some(&3));
    assert_eq!(periods[0].users_by_category.get("agent"), Some(&5));
    assert_eq!(periods[0].days_covered, 15);
    assert!(!periods[0].complete);
    // One import of both, in the same order, gives the same history.
    let mut both = History::open(&dir.path().join("both.ialhist")).expect("open");
    import(&mut both, &[summary(&a), summary(&b)]).expect("both");
    assert_eq!(contents(&h), contents(&both));
    // The other order: A's days win June 5–10.
    let mut other = History::open(&dir.path().join("other.ialhist")).expect("open");
    import(&mut other, &[summary(&b), summary(&a)]).expect("other");
    let d7 = other.days(date(2026, 6, 7), date(2026, 6, 7)).expect("day");
    assert_eq!(d7[0].users_by_category.get("business-user"), Some(&3));
    let d12 = other.days(date(2026, 6, 12), date(2026, 6, 12)).expect("day");
    assert_eq!(d12[0].users_by_category.get("agent"), Some(&5));
}

#[test]
fn a_damaged_events_file_imports_nothing_from_any_file() {
    let dir = tempfile::tempdir().expect("dir");
    let (lic, ws, ev) = (
        asset("scenarios/shift-change.I3Lic"),
        asset("scenarios/shift-change.ialws"),
        asset("scenarios/shift-change.events.json"),
    );
    let work = dir.path().join("site.ialws");
    std::fs::copy(&ws, &work).expect("copy");
    let ok = bin()
        .args([
            "history",
            "import",
            "--workspace",
            s(&work),
            "--license",
            s(&lic),
            "--events",
            s(&ev),
        ])
        .output()
        .expect("run");
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    let hist = dir.path().join("site.ialhist");
    let before = std::fs::read(&hist).expect("history");
    let show = |dir: &Path| {
        let out = bin()
            .args([
                "history",
                "show",
                "--workspace",
                s(&dir.join("site.ialws")),
                "--format",
                "json",
            ])
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = show(dir.path());
    // A good file moved to another month, then a damaged one.
    let moved = std::fs::read_to_string(&ev)
        .expect("events")
        .replace("2026-06-01", "2026-07-01");
    let good2 = dir.path().join("july.json");
    std::fs::write(&good2, moved).expect("write");
    for damaged in [
        "[{\"at\": \"2026-08-01T09:00:00\", \"event\": \"logon\"",
        "[{\"at\": \"not a time\", \"event\": \"logon\", \"user\": \"agent01\"}]",
        "\u{feff}[]",
        "[{\"at\": \"2026-08-01T09:00:00\", \"event\": \"teleport\", \"user\": \"agent01\"}]",
    ] {
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, damaged).expect("write");
        let out = bin()
            .args([
                "history",
                "import",
                "--workspace",
                s(&work),
                "--events",
                s(&good2),
                s(&bad),
            ])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{damaged}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("bad.json"), "names the file: {err}");
        assert_eq!(show(dir.path()), shown, "nothing changed after {damaged}");
        assert_eq!(std::fs::read(&hist).expect("history"), before);
    }
}

#[test]
fn history_show_gives_days_and_periods_with_the_contract_fields() {
    let dir = tempfile::tempdir().expect("dir");
    let work = dir.path().join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &work).expect("copy");
    // No history yet: show refuses (2), import without a license refuses (2).
    let out = bin()
        .args(["history", "show", "--workspace", s(&work)])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("history import"));
    let ev = asset("scenarios/shift-change.events.json");
    let out = bin()
        .args(["history", "import", "--workspace", s(&work), "--events", s(&ev)])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--license"));
    assert!(
        !dir.path().join("site.ialhist").exists(),
        "a refused import creates no file"
    );
    let lic = asset("scenarios/shift-change.I3Lic");
    let out = bin()
        .args([
            "history",
            "import",
            "--workspace",
            s(&work),
            "--license",
            s(&lic),
            "--events",
            s(&ev),
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["days_added"], 1);
    // The license is kept: a second import may leave it out.
    let out = bin()
        .args([
            "history",
            "import",
            "--workspace",
            s(&work),
            "--events",
            s(&ev),
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["days_replaced"], 1);
    let out = bin()
        .args([
            "history",
            "show",
            "--workspace",
            s(&work),
            "--from",
            "2026-06-01",
            "--to",
            "2026-06-30",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let day = &v["days"][0];
    assert_eq!(day["date"], "2026-06-01");
    assert_eq!(day["peak"]["I3_ACCESS_CLIENT"], 50);
    assert_eq!(day["denials"]["I3_ACCESS_CLIENT"], 10);
    assert_eq!(
        day["users_by_category"]["agent"], 50,
        "the 10 denied agents had no ACD license"
    );
    let p = &v["periods"][0];
    assert_eq!(p["start"], "2026-05-28");
    assert_eq!(p["end"], "2026-06-27");
    assert_eq!(p["due"], "2026-07-04");
    assert!(p["users_by_category"].is_object());
    // --from after --to is refused.
    let out = bin()
        .args([
            "history",
            "show",
            "--workspace",
            s(&work),
            "--from",
            "2026-07-01",
            "--to",
            "2026-06-01",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn hostile_history_files_are_refused_with_what_to_do() {
    let dir = tempfile::tempdir().expect("dir");
    let garbage = dir.path().join("garbage.ialhist");
    std::fs::write(&garbage, b"SQLite format 3\0 but then garbage, garbage, garbage...").expect("write");
    let e = History::open_read_only(&garbage).err().expect("refused").to_string();
    assert!(e.contains("not a usable usage history"), "{e}");
    // Another program's SQLite database.
    let other = dir.path().join("other.db");
    let conn = rusqlite::Connection::open(&other).expect("db");
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .expect("table");
    drop(conn);
    let e = History::open(&other).err().expect("refused").to_string();
    assert!(e.contains("some other SQLite database"), "{e}");
    // A newer schema.
    let newer = dir.path().join("newer.ialhist");
    drop(History::open(&newer).expect("create"));
    let conn = rusqlite::Connection::open(&newer).expect("db");
    conn.execute_batch("PRAGMA user_version = 99;").expect("version");
    drop(conn);
    let e = History::open(&newer).err().expect("refused").to_string();
    assert!(e.contains("newer version"), "{e}");
    // Tampered rows: a date that is not a date, a count below zero.
    let tampered = dir.path().join("tampered.ialhist");
    let mut h = History::open(&tampered).expect("create");
    import(&mut h, &[summary(&crowd(date(2026, 6, 1), "a", 2))]).expect("import");
    drop(h);
    let conn = rusqlite::Connection::open(&tampered).expect("db");
    conn.execute_batch("UPDATE day_key SET peak = -5;").expect("tamper");
    drop(conn);
    let h = History::open_read_only(&tampered).expect("open");
    let e = h
        .days(date(2026, 6, 1), date(2026, 6, 1))
        .expect_err("refused")
        .to_string();
    assert!(e.contains("-5 is not a count"), "{e}");
    // A folder is not a history.
    let e = History::open(dir.path()).err().expect("refused").to_string();
    assert!(e.contains("is a folder"), "{e}");
}

#[test]
fn p95_sizing_on_a_hand_made_90_day_history_equals_the_hand_computation() {
    let dir = tempfile::tempdir().expect("dir");
    // 90 days of 5 users at once, with spikes of 20, 15, 12, 9 and 8.
    let spikes: BTreeMap<i64, usize> = [(10, 20), (20, 15), (30, 12), (40, 9), (50, 8)].into();
    let events: Vec<Event> = days_from(date(2026, 3, 1), 90)
        .enumerate()
        .flat_map(|(i, d)| crowd(d, "a", spikes.get(&(i as i64)).copied().unwrap_or(5)))
        .collect();
    let mut h = History::open(&dir.path().join("h.ialhist")).expect("open");
    import(&mut h, &[summary(&events)]).expect("import");
    let (license, ws) = setup();
    let doc = ia_licensing::core::document::Document::new(license, ws, date(2026, 6, 1));
    // Sorted: 85 fives, then 8, 9, 12, 15, 20. Nearest rank for p95 of 90
    // is ⌈85.5⌉ = 86: the 86th value, 8. Days over 8: 9, 12, 15, 20 →
    // 1 + 4 + 7 + 12 = 24 denials on 4 days.
    let peaks = h.daily_peaks(95.0).expect("peaks");
    assert_eq!(peaks.days["I3_ACCESS_CLIENT"].len(), 90);
    let recs = recommend::recommend_with(&doc, None, Some(&peaks));
    let client = recs.iter().find(|r| r.key == "I3_ACCESS_CLIENT").expect("client");
    let sizing = client.history_sizing.as_ref().expect("sized");
    assert_eq!(
        (
            sizing.suggested_pool,
            sizing.denials_with_suggestion,
            sizing.days_over_suggestion
        ),
        (8, 24, 4)
    );
    assert_eq!(client.pooled_delta, 8 - 100);
    assert!(
        client.reason.contains("p95 of 90 daily peaks is 8"),
        "{}",
        client.reason
    );
    assert!(
        client.reason.contains("at least 24 denials on 4 days"),
        "{}",
        client.reason
    );
    // p90: rank 81 → 5; over 5: 3 + 4 + 7 + 10 + 15 = 39 on 5 days.
    let p90 = recommend::size_pool(&peaks.days["I3_ACCESS_CLIENT"], 90.0).expect("sized");
    assert_eq!(
        (
            p90.suggested_pool,
            p90.denials_with_suggestion,
            p90.days_over_suggestion
        ),
        (5, 39, 5)
    );
    // p100: the highest day, no denial.
    let p100 = recommend::size_pool(&peaks.days["I3_ACCESS_CLIENT"], 100.0).expect("sized");
    assert_eq!((p100.suggested_pool, p100.denials_with_suggestion), (20, 0));
}

#[test]
fn recommend_takes_the_history_and_a_percentile_on_the_command_line() {
    let dir = tempfile::tempdir().expect("dir");
    let work = dir.path().join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &work).expect("copy");
    let lic = asset("scenarios/shift-change.I3Lic");
    let ev = asset("scenarios/shift-change.events.json");
    let out = bin()
        .args([
            "history",
            "import",
            "--workspace",
            s(&work),
            "--license",
            s(&lic),
            "--events",
            s(&ev),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let hist = dir.path().join("site.ialhist");
    let out = bin()
        .args([
            "recommend",
            "--license",
            s(&lic),
            "--workspace",
            s(&work),
            "--history",
            s(&hist),
            "--percentile",
            "99",
            "--format",
            "json",
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let client = v["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .find(|k| k["key"] == "I3_ACCESS_CLIENT")
        .expect("client");
    // One day: 60 agents wanted Client Access at once, 50 were allowed.
    assert_eq!(client["history_sizing"]["suggested_pool"], 60);
    assert_eq!(client["history_sizing"]["denials_with_suggestion"], 0);
    assert_eq!(client["action"], "add");
    for bad in ["40", "101", "abc"] {
        let out = bin()
            .args([
                "recommend",
                "--license",
                s(&lic),
                "--workspace",
                s(&work),
                "--history",
                s(&hist),
                "--percentile",
                bad,
            ])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
}

fn session(user: &str, day: NaiveDate, cats: &[BillingCategory]) -> Session {
    Session {
        user: user.into(),
        start: at(day, 9, 0),
        end: Some(at(day, 17, 0)),
        station: None,
        categories: cats.to_vec(),
        billing_reason: "".into(),
        concurrent: Vec::new(),
    }
}

#[test]
fn cost_per_period_and_workgroup_equals_the_hand_computation() {
    use BillingCategory::*;
    let ws = workspace(
        json!({"format": 1, "server": {"host_id": "G807test", "machine_name": "testing"},
        "users": [
            {"id": "u1", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"], "acd_media_types": ["call"], "workgroups": ["A", "B"]},
            {"id": "u2", "licenses": ["I3_ACCESS_CLIENT"], "workgroups": ["A"]},
            {"id": "u3", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1", "I3_ACCESS_RECORDER"], "acd_media_types": ["call"]},
            {"id": "u4", "licenses": ["I3_ACCESS_CLIENT"], "workgroups": ["B"]}
        ],
        "stations": [{"id": "s1", "machine_name": "s1", "licenses": ["I3_LICENSE_BASIC_STATION"]}],
        "workgroups": [{"name": "A", "media": ["call"]}, {"name": "B", "media": ["call"]}],
        "price_list": {"currency": "EUR",
            "per_user_per_period": {"agent": 95, "business-user": 35, "recorder": 12},
            "per_assignable_license_per_month": {"I3_ACCESS_CLIENT": 3, "I3_LICENSE_BASIC_STATION": 5}}}),
    );
    let prices: PriceList = ws.price_list.clone().expect("prices");
    // Period May 28 – June 27: u1 agent; u2 business user; u3 agent +
    // recorder; u4 a business user on June 1 and an agent with a recorder
    // from June 10: counted as an agent (and recorder) only.
    // Period June 28 – July 27: u3 again.
    let sessions = vec![
        session("u1", date(2026, 6, 2), &[Agent]),
        session("u2", date(2026, 6, 3), &[BusinessUser]),
        session("u3", date(2026, 6, 4), &[Agent, Recorder]),
        session("u4", date(2026, 6, 1), &[BusinessUser]),
        session("u4", date(2026, 6, 10), &[Agent, Recorder]),
        session("u3", date(2026, 7, 1), &[Agent, Recorder]),
    ];
    let users = UserCategories::of(&sessions, date(2026, 7, 31));
    let estimate = cost::estimate(&prices, cost::by_name(&users.by_period), &ws);
    let [june, july] = estimate.periods.as_slice() else {
        panic!("two periods: {estimate:?}");
    };
    let eur = |v: f64| Cents::from_amount(v).expect("amount");
    // June: agents u1, u3, u4 = 3 × 95 = 285; business user u2 = 35;
    // recorders u3, u4 = 2 × 12 = 24; Client Access 4 × 3 = 12; Basic
    // Station 1 × 5 = 5. Total 361.
    assert_eq!(june.by_category["agent"].users, 3);
    assert_eq!(june.by_category["business-user"].users, 1);
    assert_eq!(june.by_category["recorder"].amount, eur(24.0));
    assert_eq!(june.assignable_licenses["I3_ACCESS_CLIENT"].amount, eur(12.0));
    assert_eq!(june.total, eur(361.0));
    // Workgroups: u1 (95 + 3) split A/B 49 + 49; u2 (35 + 3) to A; u3
    // (95 + 12 + 3) in none; u4 (95 + 12 + 3) to B; the station 5.
    assert_eq!(june.by_workgroup["A"], eur(87.0));
    assert_eq!(june.by_workgroup["B"], eur(159.0));
    assert_eq!(june.no_workgroup, eur(110.0));
    assert_eq!(june.stations, eur(5.0));
    // July: u3 only (107), plus the Assignable licenses (12 + 5) = 124;
    // u1's 3 is split 1.50 + 1.50.
    assert_eq!(july.total, eur(124.0));
    assert_eq!(july.by_workgroup["A"], eur(4.5));
    assert_eq!(july.by_workgroup["B"], eur(4.5));
    assert_eq!(estimate.total, eur(485.0));
    for p in &estimate.periods {
        let sum = p.by_workgroup.values().fold(p.no_workgroup + p.stations, |a, b| a + *b);
        assert_eq!(
            sum, p.total,
            "workgroups, (No workgroup) and (Stations) add up to the total"
        );
    }
    // The same users' categories through a history give the same estimate.
    let mut set = CategorySet::default();
    set.insert(Agent);
    set.insert(BusinessUser);
    assert_eq!(set.billed().iter().collect::<Vec<_>>(), vec![Agent]);
}

#[test]
fn usage_json_has_the_cost_when_the_workspace_has_a_price_list() {
    let run = |ws: &Path| {
        let out = bin()
            .args([
                "usage",
                "--license",
                s(&asset("scenarios/john-smith.I3Lic")),
                "--workspace",
                s(ws),
                "--events",
                s(&asset("scenarios/john-smith.events.json")),
                "--format",
                "json",
            ])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json")
    };
    let v = run(&asset("scenarios/john-smith.ialws"));
    assert_eq!(v["cost"]["currency"], "USD");
    // John Smith: Agent 95 + Recorder 12, his station's Basic Station 5.
    assert_eq!(v["cost"]["total"], 112.0);
    assert_eq!(v["cost"]["periods"][0]["by_workgroup"]["Support"], 107.0);
    assert!(v["cost"]["note"].as_str().is_some_and(|n| n.contains("Estimate")));
    // Without a price list there is no "cost".
    let dir = tempfile::tempdir().expect("dir");
    let mut ws: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(asset("scenarios/john-smith.ialws")).expect("read"))
            .expect("json");
    ws.as_object_mut().expect("object").remove("price_list");
    let plain = dir.path().join("plain.ialws");
    std::fs::write(&plain, ws.to_string()).expect("write");
    assert!(run(&plain).get("cost").is_none());
}

#[test]
fn bad_price_lists_are_refused_with_their_place() {
    for (prices, words) in [
        (json!({"currency": "", "per_user_per_period": {}}), "currency"),
        (
            json!({"currency": "USD", "per_user_per_period": {"wizard": 10}}),
            "not a billing category",
        ),
        (
            json!({"currency": "USD", "per_user_per_period": {"agent": -1}}),
            "not a price",
        ),
        (
            json!({"currency": "USD", "per_user_per_period": {"agent": 1.005}}),
            "two decimals",
        ),
        (
            json!({"currency": "USD", "per_user_per_period": {}, "per_assignable_license_per_month": {"I3_NOPE": 1}}),
            "not a license key",
        ),
        (
            json!({"currency": "USD", "per_user_per_period": {}, "surprise": 1}),
            "unknown field",
        ),
    ] {
        let v = json!({"format": 1, "server": {"host_id": "G807test", "machine_name": "testing"},
            "users": [], "stations": [], "workgroups": [], "price_list": prices});
        let e = ia_licensing::core::workspace::Workspace::from_value(v)
            .expect_err("refused")
            .to_string();
        assert!(e.contains("price_list") && e.contains(words), "{words}: {e}");
    }
}

/// Kills `history import` at several moments: the history is always either
/// as before or fully imported, never half, and a later import works.
#[test]
fn a_kill_in_the_middle_of_an_import_leaves_the_history_as_before_or_complete() {
    let dir = tempfile::tempdir().expect("dir");
    let out = bin()
        .args([
            "demo",
            "generate",
            "--users",
            "2000",
            "--stations",
            "2000",
            "--workgroups",
            "40",
            "--history-days",
            "120",
            "-o",
        ])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let work = dir.path().join("workspace.ialws");
    let lic = dir.path().join("license.I3Lic");
    let months: Vec<PathBuf> = (1..=4)
        .map(|m| dir.path().join(format!("history/2026-{m:02}.json")))
        .collect();
    let import = |files: &[PathBuf]| {
        let mut c = bin();
        c.args([
            "history",
            "import",
            "--workspace",
            s(&work),
            "--license",
            s(&lic),
            "--events",
        ]);
        c.args(files);
        c
    };
    // January first, so "before" has something in it.
    assert_eq!(import(&months[..1]).output().expect("run").status.code(), Some(0));
    let hist = dir.path().join("workspace.ialhist");
    let journal = dir.path().join("workspace.ialhist-journal");
    let saved = dir.path().join("before.ialhist");
    std::fs::copy(&hist, &saved).expect("save");
    let restore = || {
        let _ = std::fs::remove_file(&journal);
        std::fs::copy(&saved, &hist).expect("restore");
    };
    let snapshot = || contents(&History::open_read_only(&hist).expect("history opens after a kill"));
    let before = snapshot();
    assert_eq!(import(&months[1..]).output().expect("run").status.code(), Some(0));
    let complete = snapshot();
    assert_ne!(before, complete);
    let mut seen = (0, 0);
    for delay_ms in [20u64, 60, 120, 250, 400, 600, 900, 1300] {
        restore();
        let mut child = import(&months[1..]).spawn().expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = snapshot();
        if now == before {
            seen.0 += 1;
        } else {
            assert_eq!(now, complete, "killed after {delay_ms} ms: neither before nor complete");
            seen.1 += 1;
        }
    }
    eprintln!(
        "kills that left the history as before: {}, complete: {}",
        seen.0, seen.1
    );
    restore();
    let out = import(&months[1..]).output().expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let h = History::open_read_only(&hist).expect("open");
    assert_eq!(h.span().expect("span"), Some((date(2026, 1, 1), date(2026, 4, 30))));
}

/// A history whose rows were edited to hold terminal escape codes prints
/// them inert in the table (the JSON escapes them as any string).
#[test]
fn escape_codes_in_a_tampered_history_are_not_sent_to_the_terminal() {
    let dir = tempfile::tempdir().expect("dir");
    let work = dir.path().join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &work).expect("copy");
    let out = bin()
        .args([
            "history",
            "import",
            "--workspace",
            s(&work),
            "--license",
            s(&asset("scenarios/shift-change.I3Lic")),
            "--events",
            s(&asset("scenarios/shift-change.events.json")),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let conn = rusqlite::Connection::open(dir.path().join("site.ialhist")).expect("db");
    conn.execute_batch("UPDATE day_key SET key = 'I3_\u{1b}]0;pwned\u{7}\u{1b}[2J' WHERE key = 'I3_ACCESS_CLIENT';")
        .expect("tamper");
    drop(conn);
    let out = bin()
        .args(["history", "show", "--workspace", s(&work)])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    assert!(!out.stdout.contains(&0x1b), "{}", String::from_utf8_lossy(&out.stdout));
    let out = bin()
        .args(["history", "show", "--workspace", s(&work), "--format", "json"])
        .output()
        .expect("run");
    assert!(!out.stdout.contains(&0x1b));
}

/// Two imports into one history at the same time: the second waits for the
/// first (or says the history is busy); neither leaves half of its days.
#[test]
fn two_imports_at_once_both_land_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let work = dir.path().join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &work).expect("copy");
    let june = std::fs::read_to_string(asset("scenarios/shift-change.events.json")).expect("events");
    let lic = asset("scenarios/shift-change.I3Lic");
    let mut children = Vec::new();
    for (i, day) in ["2026-06-01", "2026-07-01", "2026-08-01", "2026-09-01"]
        .iter()
        .enumerate()
    {
        let file = dir.path().join(format!("e{i}.json"));
        std::fs::write(&file, june.replace("2026-06-01", day)).expect("write");
        children.push(
            bin()
                .args([
                    "history",
                    "import",
                    "--workspace",
                    s(&work),
                    "--license",
                    s(&lic),
                    "--events",
                ])
                .arg(&file)
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn"),
        );
    }
    let mut landed = 0;
    for c in children {
        let out = c.wait_with_output().expect("wait");
        match out.status.code() {
            Some(0) => landed += 1,
            Some(2) => assert!(
                String::from_utf8_lossy(&out.stderr).contains("try again"),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            ),
            other => panic!("exit {other:?}"),
        }
    }
    let h = History::open_read_only(&dir.path().join("site.ialhist")).expect("open");
    let (a, b) = h.span().expect("span").expect("days");
    let days = h.days(a, b).expect("days");
    assert_eq!(days.len(), landed, "each import that succeeded left its whole day");
    assert!(days.iter().all(|d| d.peak.get("I3_ACCESS_CLIENT") == Some(&50)));
}

/// A history path that is a symbolic link to some other file: the import is
/// refused and that file is left exactly as it was.
#[cfg(unix)]
#[test]
fn a_history_that_links_to_another_file_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let work = dir.path().join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &work).expect("copy");
    let victim = dir.path().join("notes.txt");
    let text = "my notes, not a database\n".repeat(200);
    std::fs::write(&victim, &text).expect("write");
    std::os::unix::fs::symlink(&victim, dir.path().join("site.ialhist")).expect("link");
    let out = bin()
        .args([
            "history",
            "import",
            "--workspace",
            s(&work),
            "--license",
            s(&asset("scenarios/shift-change.I3Lic")),
            "--events",
            s(&asset("scenarios/shift-change.events.json")),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a symbolic link"));
    assert_eq!(std::fs::read_to_string(&victim).expect("read"), text);
}

/// The table output says what the JSON's `notes` say (a trial found the
/// notes only in the JSON): a session still open at the end of the events.
#[test]
fn the_import_table_prints_the_notes() {
    let dir = tempfile::tempdir().expect("dir");
    let (lic, ws) = (
        asset("scenarios/shift-change.I3Lic"),
        asset("scenarios/shift-change.ialws"),
    );
    let work = dir.path().join("site.ialws");
    std::fs::copy(&ws, &work).expect("copy");
    let events = dir.path().join("open.json");
    let text = std::fs::read_to_string(asset("scenarios/shift-change.events.json")).expect("events");
    let mut list: Vec<serde_json::Value> = serde_json::from_str(&text).expect("json");
    // The first agent logs on again at the end: that session is still open.
    list.push(serde_json::json!({
        "at": "2026-06-01T22:45:00", "event": "logon", "user": "agent30", "station": "ws-30",
        "application": "Interaction Connect"
    }));
    std::fs::write(&events, serde_json::to_vec(&list).expect("json")).expect("write");
    let run = |format: &str| {
        bin()
            .args([
                "history",
                "import",
                "--workspace",
                s(&work),
                "--license",
                s(&lic),
                "--events",
                s(&events),
                "--format",
                format,
            ])
            .output()
            .expect("run")
    };
    let json = run("json");
    assert_eq!(json.status.code(), Some(0), "{}", String::from_utf8_lossy(&json.stderr));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let note = v["notes"][0].as_str().expect("a note").to_string();
    assert!(note.contains("still open at its last event"), "{note}");
    let table = run("table");
    let out = String::from_utf8_lossy(&table.stdout);
    assert!(out.contains(&format!("Note: {note}")), "{out}");
}

/// Overlapping files of one import count each day once: added or replaced,
/// however many of the files cover it (a re-trial found 15 days replaced
/// for 10 distinct days).
#[test]
fn overlapping_files_count_each_day_once() {
    let dir = tempfile::tempdir().expect("dir");
    let (lic, ws) = (
        asset("scenarios/shift-change.I3Lic"),
        asset("scenarios/shift-change.ialws"),
    );
    let work = dir.path().join("site.ialws");
    std::fs::copy(&ws, &work).expect("copy");
    // One logon a day: A covers January 1–10, B January 6–15.
    let file = |name: &str, days: std::ops::RangeInclusive<u32>| {
        let events: Vec<serde_json::Value> = days
            .flat_map(|d| {
                [
                    serde_json::json!({"at": format!("2026-01-{d:02}T09:00:00"), "event": "logon", "user": "agent30",
                        "station": "ws-30", "application": "Interaction Connect"}),
                    serde_json::json!({"at": format!("2026-01-{d:02}T10:00:00"), "event": "logoff", "user": "agent30",
                        "station": "ws-30", "application": "Interaction Connect"}),
                ]
            })
            .collect();
        let p = dir.path().join(name);
        std::fs::write(&p, serde_json::to_vec(&events).expect("json")).expect("write");
        p
    };
    let (a, b) = (file("a.json", 1..=10), file("b.json", 6..=15));
    let import = || {
        let out = bin()
            .args([
                "history",
                "import",
                "--workspace",
                s(&work),
                "--license",
                s(&lic),
                "--events",
                s(&a),
                s(&b),
                "--format",
                "json",
            ])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        (v["days_added"].as_u64(), v["days_replaced"].as_u64())
    };
    assert_eq!(import(), (Some(15), Some(0)), "15 new days, once each");
    assert_eq!(import(), (Some(0), Some(15)), "the same 15 days replaced, once each");
}

/// A #33 re-trial (F6): a refused import into a new history path said
/// "nothing was imported" but left an empty history file behind; it now
/// leaves nothing. An existing history is kept as it was.
#[test]
fn a_refused_import_into_a_new_history_leaves_no_file() {
    let dir = tempfile::tempdir().expect("dir");
    let work = dir.path().join("site.ialws");
    std::fs::copy(asset("scenarios/shift-change.ialws"), &work).expect("copy");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "[{\"at\": \"not a time\"}]").expect("write");
    let hist = dir.path().join("new.ialhist");
    let out = bin()
        .args([
            "history",
            "import",
            "--workspace",
            s(&work),
            "--license",
            s(&asset("scenarios/shift-change.I3Lic")),
            "--history",
            s(&hist),
            "--events",
            s(&bad),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("new.ialhist"))
        .collect();
    assert!(left.is_empty(), "left behind: {left:?}");
}
