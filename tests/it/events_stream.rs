//! Events files read as they go (#32): the streaming reader takes exactly
//! what the whole-text parser takes, in the same order, with the same
//! messages; a file out of time order is sorted in memory and said so; the
//! streaming replay gives the whole replay's sessions, denials and totals;
//! progress moves with the bytes read; `usage` and `history import` say
//! when a file was not in time order.

use std::cell::RefCell;

use chrono::{Duration, TimeZone, Utc};
use ia_licensing::core::replay::{self, Event, EventSink, ReadError, Replay, Take};
use proptest::prelude::*;
use serde_json::json;

use crate::util::*;

/// What the whole-text parser says about `bytes`, as `read_bytes` reports it.
fn whole(bytes: &[u8]) -> Result<Vec<Event>, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_string())?;
    replay::parse_events(text).map_err(|e| e.to_string())
}

/// What the streaming reader says, the events as its sink received them
/// (a restart clears them), and whether it said the file was sorted.
fn streamed(bytes: &[u8], piece: usize) -> (Result<Vec<Event>, String>, bool) {
    let mut got: Vec<Event> = Vec::new();
    match replay::read_bytes(bytes, piece, &mut got) {
        Ok(stats) => {
            assert_eq!(stats.events, got.len());
            assert_eq!(stats.first, got.first().map(|e| e.at));
            assert_eq!(stats.last, got.last().map(|e| e.at));
            (Ok(got), stats.sorted)
        }
        Err(ReadError::NotUtf8) => (Err("not UTF-8".into()), false),
        Err(ReadError::Events(e)) => (Err(e.to_string()), false),
        Err(other) => panic!("{other:?}"),
    }
}

fn event_strategy() -> impl Strategy<Value = (u8, u8, u8, u8, u32)> {
    // (kind, user, station, application, seconds forward)
    (0u8..6, 0u8..6, 0u8..5, 0u8..3, 0u32..4000)
}

/// A list of events from the strategy's tuples, times moving forward by
/// the given seconds (0: the same time as the one before).
fn events_of(spec: &[(u8, u8, u8, u8, u32)]) -> Vec<serde_json::Value> {
    let mut t = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).single().expect("time");
    spec.iter()
        .map(|(kind, user, station, app, secs)| {
            t += Duration::seconds(i64::from(*secs));
            let kind = [
                "logon",
                "logoff",
                "logon",
                "logoff",
                "dynamic-remote-logon",
                "forced-logoff",
            ][*kind as usize];
            let mut e = json!({"at": t.format("%Y-%m-%dT%H:%M:%S").to_string(), "event": kind,
                "user": format!("u{user}")});
            if kind == "dynamic-remote-logon" {
                e["phone"] = json!(format!("+1317555{user:04}"));
            } else if *station < 4 {
                e["station"] = json!(format!("ws{station}"));
            }
            if *app > 0 {
                e["application"] = json!(["", "Interaction Desktop", "IC Business Manager"][*app as usize]);
            }
            e
        })
        .collect()
}

/// Concurrent users u0–u4 sharing small pools (u5 is unknown), an
/// Assignable user, a remote station without Client Access.
fn site() -> (
    std::sync::Arc<ia_licensing::core::license::License>,
    ia_licensing::core::workspace::Workspace,
) {
    let license = license_with(&[
        "I3_ACCESS_CLIENT=1+2",
        "I3_ACCESS_ACD_MEDIA_1=0+1",
        "I3_LICENSE_BASIC_STATION=3",
    ]);
    let ws = workspace(json!({"format": 1, "users": [
        {"id": "u0", "method": "concurrent", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"], "acd_media_types": ["call"]},
        {"id": "u1", "method": "concurrent", "licenses": ["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"], "acd_media_types": ["call"]},
        {"id": "U2", "method": "concurrent", "licenses": ["I3_ACCESS_CLIENT"]},
        {"id": "u3", "method": "concurrent", "licenses": ["I3_ACCESS_CLIENT"]},
        {"id": "u4", "licenses": ["I3_ACCESS_CLIENT"]}],
        "stations": [
            {"id": "ws0", "machine_name": "ws0", "licenses": ["I3_LICENSE_BASIC_STATION"]},
            {"id": "ws1", "machine_name": "ws1", "licenses": ["I3_LICENSE_BASIC_STATION", "I3_ACCESS_CLIENT"]},
            {"id": "ws2", "machine_name": "ws2", "type": "remote", "licenses": []}],
        "workgroups": []}));
    (license, ws)
}

/// Keeps every session with its logon number, and the denials.
#[derive(Default)]
struct Keep {
    sessions: Vec<(usize, replay::Session)>,
    denials: Vec<replay::Denial>,
}

impl Take for Keep {
    fn take(&mut self, pending: &mut Replay) {
        let logons = std::mem::take(&mut pending.session_logons);
        self.sessions.extend(logons.into_iter().zip(pending.sessions.drain(..)));
        self.denials.append(&mut pending.denials);
        pending.pool_points.clear();
        pending.demand_points.clear();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Any list of events, in time order or shuffled, cut into pieces of
    /// any size: the streaming reader gives what the whole-text parser
    /// gives, and says it sorted exactly when the file was out of order.
    #[test]
    fn the_streaming_reader_reads_what_the_whole_text_parser_reads(
        spec in proptest::collection::vec(event_strategy(), 0..40),
        swap in proptest::option::of((0usize..40, 0usize..40)),
        piece in 1usize..300,
        pretty: bool,
    ) {
        let mut list = events_of(&spec);
        if let Some((a, b)) = swap && a < list.len() && b < list.len() {
            list.swap(a, b);
        }
        let value = serde_json::Value::Array(list);
        let bytes = if pretty { serde_json::to_vec_pretty(&value) } else { serde_json::to_vec(&value) }.expect("json");
        let expected = whole(&bytes);
        let (got, sorted) = streamed(&bytes, piece);
        prop_assert_eq!(&got, &expected);
        if let Ok(events) = &got {
            let times: Vec<_> = value.as_array().into_iter().flatten()
                .map(|e| e["at"].as_str().unwrap_or_default().to_string()).collect();
            let in_order = times.windows(2).all(|w| w[0] <= w[1]);
            prop_assert_eq!(sorted, !in_order);
            prop_assert!(events.windows(2).all(|w| w[0].at <= w[1].at));
        }
    }

    /// The streaming replay (sessions handed out as they close) gives the
    /// whole replay's sessions — in logon order once sorted by their logon
    /// numbers — and its denials, peaks, full days, holders and ignored
    /// events.
    #[test]
    fn the_streaming_replay_equals_the_whole_replay(spec in proptest::collection::vec(event_strategy(), 0..60)) {
        let (license, ws) = site();
        let bytes = serde_json::to_vec(&events_of(&spec)).expect("json");
        let Ok(events) = whole(&bytes) else { return Ok(()) };
        let full = replay::replay(&license, &ws, &events, None);
        let mut keep = Keep::default();
        let mut rest = replay::replay_taking(&license, &ws, events.clone(), &mut keep);
        let logons = std::mem::take(&mut rest.session_logons);
        keep.sessions.extend(logons.into_iter().zip(rest.sessions.drain(..)));
        keep.sessions.sort_by_key(|(logon, _)| *logon);
        let sessions: Vec<_> = keep.sessions.into_iter().map(|(_, s)| s).collect();
        prop_assert_eq!(&sessions, &full.sessions);
        prop_assert_eq!(&keep.denials, &full.denials);
        prop_assert_eq!(&rest.peak, &full.peak);
        prop_assert_eq!(&rest.peak_demand, &full.peak_demand);
        prop_assert_eq!(&rest.full_days, &full.full_days);
        prop_assert_eq!(&rest.in_use, &full.in_use);
        prop_assert_eq!(&rest.holders, &full.holders);
        prop_assert_eq!(&rest.ignored, &full.ignored);
        prop_assert_eq!(rest.events_applied, full.events_applied);
        prop_assert_eq!(rest.peak_dynamic_basic_stations, full.peak_dynamic_basic_stations);
        prop_assert!(rest.counters.is_empty(), "a streaming replay keeps no counter steps");
    }
}

#[test]
fn a_problem_anywhere_is_said_in_the_whole_text_parsers_words() {
    let good = r#"{"at": "2026-06-01T08:00:00", "event": "logon", "user": "a", "station": "ws"}"#;
    let many = |bad: &str| format!("[{}, {bad}]", vec![good; 200].join(", "));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "a bad time late in the file",
            many(r#"{"at": "x", "event": "logon", "user": "b"}"#).into_bytes(),
        ),
        (
            "an unknown field",
            many(r#"{"at": "2026-06-01T09:00:00", "event": "logon", "user": "b", "x": 1}"#).into_bytes(),
        ),
        (
            "a blank user",
            many(r#"{"at": "2026-06-01T09:00:00", "event": "logon", "user": " "}"#).into_bytes(),
        ),
        (
            "no phone",
            many(r#"{"at": "2026-06-01T09:00:00", "event": "dynamic-remote-logon", "user": "b"}"#).into_bytes(),
        ),
        ("a trailing comma", format!("[{good}, ]").into_bytes()),
        ("cut short", many(good).as_bytes()[..5000].to_vec()),
        ("not a list", good.as_bytes().to_vec()),
        ("a byte-order mark", format!("\u{feff}[{good}]").into_bytes()),
        ("empty", b"  \n ".to_vec()),
        ("a NUL byte", format!("[{good},\0]").into_bytes()),
        (
            "a century apart",
            many(r#"{"at": "2126-06-01T09:00:00", "event": "logon", "user": "b"}"#).into_bytes(),
        ),
        ("out of order and a problem after", {
            let mut t = many(r#"{"at": "2026-05-01T09:00:00", "event": "logon", "user": "b"}"#);
            t.insert_str(t.len() - 1, r#", {"at": "nope", "event": "logon", "user": "c"}"#);
            t.into_bytes()
        }),
        ("not UTF-8 after a JSON problem", {
            let mut b = format!("[{good}, x").into_bytes();
            b.extend_from_slice(b"\xff]");
            b
        }),
    ];
    for (name, bytes) in cases {
        let expected = whole(&bytes);
        assert!(expected.is_err(), "{name}: the whole-text parser refuses it");
        for piece in [1, 7, 64, 1 << 20] {
            assert_eq!(streamed(&bytes, piece).0, expected, "{name}, pieces of {piece}");
        }
    }
    // What the whole-text parser has always let through (text after the
    // list) still goes through, the same way.
    let after = format!("[{good}] x").into_bytes();
    assert!(whole(&after).is_ok());
    assert_eq!(streamed(&after, 7).0, whole(&after));
}

/// Writes `n` generated events (in time order) to a file.
fn events_file(dir: &std::path::Path, name: &str, n: usize) -> (std::path::PathBuf, Vec<Event>) {
    let events = ia_licensing::core::demo_generate::events(100, n, 7);
    let path = dir.join(name);
    let text = serde_json::to_string(&events).expect("json");
    std::fs::write(&path, &text).expect("write");
    // As read back: the file keeps whole seconds.
    (path, replay::parse_events(&text).expect("events"))
}

/// Counts what the sink was given when each progress report came.
struct Counting<'c>(&'c RefCell<usize>);

impl EventSink for Counting<'_> {
    fn event(&mut self, _: Event) {
        *self.0.borrow_mut() += 1;
    }

    fn restart(&mut self) {
        *self.0.borrow_mut() = 0;
    }
}

#[test]
fn progress_follows_the_bytes_read_while_the_events_are_replayed() {
    let dir = tempfile::tempdir().expect("dir");
    // About 5 MB: several pieces.
    let (path, events) = events_file(dir.path(), "june.json", 60_000);
    let size = std::fs::metadata(&path).expect("size").len();
    let given = RefCell::new(0usize);
    let mut reports = Vec::new();
    let stats = replay::read_file(
        &path,
        &mut |read, total| {
            reports.push((read, total, *given.borrow()));
            true
        },
        &mut Counting(&given),
    )
    .expect("read");
    assert_eq!(stats.events, events.len());
    assert!(!stats.sorted);
    assert!(reports.iter().all(|(_, total, _)| *total == size));
    assert!(reports.windows(2).all(|w| w[0].0 <= w[1].0), "the bytes read only grow");
    assert_eq!(
        reports.last().map(|r| r.0),
        Some(size),
        "the last report is the whole file"
    );
    // Reports come while the events are being given, not only at the end.
    let during = reports
        .iter()
        .filter(|(read, _, n)| *read > 0 && *read < size && *n > 0 && *n < events.len())
        .count();
    assert!(during >= 3, "{reports:?}");
    // Returning false stops the reading.
    let given = RefCell::new(0usize);
    let mut calls = 0;
    let stopped = replay::read_file(
        &path,
        &mut |_, _| {
            calls += 1;
            calls < 3
        },
        &mut Counting(&given),
    );
    assert!(matches!(stopped, Err(ReadError::Cancelled)), "{stopped:?}");
    assert!(*given.borrow() < events.len());
}

#[test]
fn a_file_out_of_time_order_is_sorted_in_memory_and_said_so() {
    let dir = tempfile::tempdir().expect("dir");
    let (lic, ws) = (
        asset("scenarios/shift-change.I3Lic"),
        asset("scenarios/shift-change.ialws"),
    );
    let text = std::fs::read_to_string(asset("scenarios/shift-change.events.json")).expect("events");
    let mut events = replay::parse_events(&text).expect("events");
    let in_order = dir.path().join("in-order.json");
    std::fs::write(&in_order, serde_json::to_vec(&events).expect("json")).expect("write");
    // The last event first.
    let last = events.pop().expect("one");
    events.insert(0, last);
    let shuffled = dir.path().join("shuffled.json");
    std::fs::write(&shuffled, serde_json::to_vec(&events).expect("json")).expect("write");
    let usage = |events: &std::path::Path, format: &str| {
        let out = bin()
            .args([
                "usage",
                "--license",
                s(&lic),
                "--workspace",
                s(&ws),
                "--events",
                s(events),
            ])
            .args(["--format", format])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8")
    };
    let a: serde_json::Value = serde_json::from_str(&usage(&in_order, "json")).expect("json");
    let b: serde_json::Value = serde_json::from_str(&usage(&shuffled, "json")).expect("json");
    assert!(
        a.get("events_note").is_none(),
        "nothing to say about a file in time order"
    );
    let note = b["events_note"].as_str().expect("a note");
    assert!(
        note.contains("shuffled.json") && note.contains("not in time order"),
        "{note}"
    );
    let sorted = |v: &serde_json::Value| {
        let mut s: Vec<String> = v["sessions"]
            .as_array()
            .expect("sessions")
            .iter()
            .map(|s| s.to_string())
            .collect();
        s.sort();
        s
    };
    assert_eq!(sorted(&a), sorted(&b), "the same sessions either way");
    for field in ["peak_concurrent_in_use", "denials", "billing", "daily", "ignored"] {
        assert_eq!(a[field], b[field], "{field}");
    }
    assert!(usage(&shuffled, "table").contains("Note: The events in shuffled.json are not in time order"));
    assert!(!usage(&in_order, "table").contains("not in time order"));
    // The history import says it per file.
    let work = dir.path().join("site.ialws");
    std::fs::copy(&ws, &work).expect("copy");
    let out = bin()
        .args([
            "history",
            "import",
            "--workspace",
            s(&work),
            "--license",
            s(&lic),
            "--format",
            "json",
        ])
        .arg("--events")
        .args([&in_order, &shuffled])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(v["files"][0].get("note").is_none());
    assert!(
        v["files"][1]["note"]
            .as_str()
            .is_some_and(|n| n.contains("not in time order"))
    );
}

#[test]
fn the_usage_sessions_are_the_whole_replays_in_the_order_they_close() {
    let dir = tempfile::tempdir().expect("dir");
    let g = ia_licensing::core::demo_generate::generate(ia_licensing::core::demo_generate::Size {
        users: 100,
        stations: 100,
        workgroups: 4,
        seed: 7,
    })
    .expect("generate");
    let lic = dir.path().join("l.I3Lic");
    let ws_path = dir.path().join("w.ialws");
    std::fs::write(&lic, &g.license_text).expect("write");
    std::fs::write(&ws_path, serde_json::to_vec(&g.workspace).expect("json")).expect("write");
    let (events_path, events) = events_file(dir.path(), "e.json", 5_000);
    let out = bin()
        .args([
            "usage",
            "--license",
            s(&lic),
            "--workspace",
            s(&ws_path),
            "--events",
            s(&events_path),
        ])
        .args(["--format", "json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let license = ia_licensing::core::license::License::load_bytes(
        g.license_text.as_bytes(),
        ia_licensing::core::license::LoadOptions {
            trust: &ia_licensing::core::license::TrustStore::with_demo(),
            allow_unsigned: false,
        },
    )
    .expect("license");
    let ws = ia_licensing::core::workspace::Workspace::from_value(g.workspace).expect("workspace");
    let full = replay::replay(&license, &ws, &events, None);
    let got = v["sessions"].as_array().expect("sessions");
    assert_eq!(got.len(), full.sessions.len());
    // Closed sessions by their end, then those still open.
    let ends: Vec<Option<&str>> = got.iter().map(|s| s["end"].as_str()).collect();
    let open_from = ends.iter().position(Option::is_none).unwrap_or(ends.len());
    assert!(ends[open_from..].iter().all(Option::is_none));
    assert!(
        ends[..open_from].windows(2).all(|w| w[0] <= w[1]),
        "closed sessions in the order they close"
    );
    let mut a: Vec<String> = got.iter().map(|s| s.to_string()).collect();
    let mut b: Vec<String> = full
        .sessions
        .iter()
        .map(|s| serde_json::to_value(s).expect("json").to_string())
        .collect();
    a.sort();
    b.sort();
    assert!(a == b, "the same sessions as the whole replay");
    assert_eq!(
        v["peak_concurrent_in_use"],
        serde_json::to_value(&full.peak).expect("json")
    );
    assert_eq!(v["denials"], serde_json::to_value(&full.denials).expect("json"));
}

/// The piped reader (parsing on its own thread) gives the sink the same
/// events in the same order as the plain one, in time order or not (a
/// file out of order makes the sink start again), and stops when told.
#[test]
fn the_piped_reader_gives_what_the_plain_reader_gives() {
    let dir = tempfile::tempdir().expect("dir");
    // Several batches and pieces.
    let (path, events) = events_file(dir.path(), "may.json", 30_000);
    let mut plain: Vec<Event> = Vec::new();
    let a = replay::read_file(&path, &mut |_, _| true, &mut plain).expect("plain");
    let mut piped: Vec<Event> = Vec::new();
    let b = replay::read_file_piped(&path, &mut |_, _| true, &mut piped).expect("piped");
    assert_eq!(a, b);
    assert_eq!(piped, plain);
    assert_eq!(piped.len(), events.len());
    // Out of order, late in the file: the sink is told to start again.
    let mut shuffled = events.clone();
    let last = shuffled.pop().expect("one");
    shuffled.insert(20_000, last);
    let out_of_order = dir.path().join("shuffled.json");
    std::fs::write(&out_of_order, serde_json::to_vec(&shuffled).expect("json")).expect("write");
    let mut plain: Vec<Event> = Vec::new();
    let a = replay::read_file(&out_of_order, &mut |_, _| true, &mut plain).expect("plain");
    let mut piped: Vec<Event> = Vec::new();
    let b = replay::read_file_piped(&out_of_order, &mut |_, _| true, &mut piped).expect("piped");
    assert!(b.sorted);
    assert_eq!(a, b);
    assert_eq!(piped, plain);
    // A problem is the same problem.
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, b"[{\"at\":\"2026-01-01T00:00:00\",\"event\":\"logon\"}]").expect("write");
    let a = replay::read_file(&broken, &mut |_, _| true, &mut Vec::new()).map_err(|e| format!("{e:?}"));
    let b = replay::read_file_piped(&broken, &mut |_, _| true, &mut Vec::new()).map_err(|e| format!("{e:?}"));
    assert!(a.is_err());
    assert_eq!(a, b);
    // Stopped from the reading side.
    let mut calls = 0;
    let mut some: Vec<Event> = Vec::new();
    let stopped = replay::read_file_piped(
        &path,
        &mut |_, _| {
            calls += 1;
            calls < 2
        },
        &mut some,
    );
    assert!(matches!(stopped, Err(ReadError::Cancelled)), "{stopped:?}");
    assert!(some.len() < events.len());
}
