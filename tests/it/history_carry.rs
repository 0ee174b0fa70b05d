//! A session over the boundary between two events files (a night shift
//! over the month's end, monthly files as `demo generate` writes them) is
//! counted whole when the files are imported together: the history is the
//! same whichever way the events are split into files. What cannot be
//! carried (separate imports) is said.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use ia_licensing::core::history::{self, History};
use ia_licensing::core::replay::{Event, EventKind};
use proptest::prelude::*;
use serde_json::json;

use crate::util::*;

fn at(day: NaiveDate, minute: i64) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).expect("time")) + Duration::minutes(minute)
}

fn ev(t: chrono::DateTime<Utc>, kind: EventKind, user: &str, app: Option<&str>) -> Event {
    Event {
        at: t,
        event: kind,
        user: user.into(),
        station: Some(format!("ws-{user}")),
        application: app.map(String::from),
        phone: None,
    }
}

/// Concurrent users a0..a9 (Client Access) and b0..b9 (and ACD Media 1),
/// pools large enough for all.
fn site() -> (
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
        for i in 0..10 {
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

/// Imports `files` (each a list of events) into a new history in `dir`
/// in one import; its contents and the import's notes.
fn import(dir: &Path, name: &str, files: &[Vec<Event>]) -> (String, Vec<String>) {
    let lists: Vec<&[Event]> = files.iter().map(Vec::as_slice).collect();
    let paths = write_files(dir, name, &lists);
    let mut h = History::open(&dir.join(format!("{name}.ialhist"))).expect("open");
    let report = import_into(&mut h, &paths).expect("import");
    (contents(&h), report.notes)
}

/// `files` written as events files in `dir` (NAME-0.json, …).
fn write_files(dir: &Path, name: &str, files: &[&[Event]]) -> Vec<PathBuf> {
    files
        .iter()
        .enumerate()
        .map(|(i, events)| {
            let p = dir.join(format!("{name}-{i}.json"));
            std::fs::write(&p, serde_json::to_string(events).expect("json")).expect("write");
            p
        })
        .collect()
}

/// Imports `paths` into the history `h` against `site()`.
fn import_into(h: &mut History, paths: &[PathBuf]) -> Result<history::ImportReport, history::HistoryError> {
    let (license, ws) = site();
    h.import_files(
        None,
        &license,
        &ws,
        paths,
        &AtomicBool::new(false),
        &history::ImportProgress::default(),
    )
}

/// One day's spans per user name.
type ByName<'a> = std::collections::BTreeMap<&'a str, Vec<[u16; 2]>>;

/// Everything the history answers, the logged-on minutes included.
fn contents(h: &History) -> String {
    let Some((a, b)) = h.span().expect("span") else {
        return "empty".into();
    };
    // Users by name: a history numbers them in the order first imported.
    let users = h.user_periods(a, b).expect("users");
    let names = &users.names;
    let by_name: std::collections::BTreeMap<(NaiveDate, &str), String> = users
        .periods
        .iter()
        .flat_map(|(p, list)| {
            list.iter()
                .map(move |(u, set)| ((*p, names[*u].as_str()), format!("{set:?}")))
        })
        .collect();
    let logons = h.logons(a, b).expect("logons");
    let minutes: Vec<(NaiveDate, ByName<'_>)> = logons
        .days
        .iter()
        .map(|d| {
            (
                d.date,
                d.iter()
                    .map(|(u, spans)| (logons.names[u as usize].as_str(), spans.to_vec()))
                    .collect(),
            )
        })
        .collect();
    format!(
        "{:?}\n{:?}\n{by_name:?}\n{minutes:?}\n{:?}",
        h.days(a, b).expect("days"),
        h.periods(a, b).expect("periods"),
        logons.lacking
    )
}

/// The attacker's case: u0 logs on at 22:00 on January 31 and off at 02:00
/// on February 1, the files split at midnight.
#[test]
fn a_night_shift_over_the_files_boundary_is_counted_whole() {
    let dir = tempfile::tempdir().expect("dir");
    let jan31 = date(2026, 1, 31);
    let feb1 = date(2026, 2, 1);
    let jan = vec![
        ev(at(jan31, 22 * 60), EventKind::Logon, "b0", None),
        ev(at(jan31, 22 * 60), EventKind::Logon, "b1", None),
        ev(at(jan31, 23 * 60), EventKind::Logoff, "b1", None),
    ];
    let feb = vec![
        ev(at(feb1, 2 * 60), EventKind::Logoff, "b0", None),
        ev(at(feb1, 9 * 60), EventKind::Logon, "b3", None),
        ev(at(feb1, 9 * 60 + 45), EventKind::Logoff, "b3", None),
    ];
    let both: Vec<Event> = jan.iter().chain(&feb).cloned().collect();
    let (one, notes) = import(dir.path(), "one", &[both]);
    assert!(notes.is_empty(), "{notes:?}");
    let (two, notes) = import(dir.path(), "two", &[jan.clone(), feb.clone()]);
    assert_eq!(two, one);
    assert!(
        notes.iter().any(|n| n.contains("1 session open at the end of")),
        "{notes:?}"
    );
    // Given in the other order, the files are still read in time order.
    let (back, _) = import(dir.path(), "back", &[feb.clone(), jan.clone()]);
    assert_eq!(back, one);
    // Imported one at a time, nothing can be carried: both ends are said.
    let (_, notes) = import(dir.path(), "jan-only", &[jan]);
    assert!(
        notes
            .iter()
            .any(|n| n.contains("1 session still open at its last event (2026-01-31 23:00:00)"))
    );
    let (_, notes) = import(dir.path(), "feb-only", &[feb]);
    assert!(
        notes.iter().any(|n| n.contains("1 logoff found the user logged off")),
        "{notes:?}"
    );
}

/// A logoff at exactly 00:00 ends the session at the end of the day
/// before: nothing of it is on the new day, whether the files are split at
/// that midnight or not (CI's minimal case: one session from day 2 02:45
/// for 2,715 minutes, the files cut at day 4).
#[test]
fn a_logoff_at_exactly_midnight_leaves_the_new_day_alone() {
    let dir = tempfile::tempdir().expect("dir");
    let d1 = date(2026, 3, 1);
    let d2 = date(2026, 3, 2);
    let d3 = date(2026, 3, 3);
    let day1 = vec![
        ev(at(d1, 22 * 60), EventKind::Logon, "b0", Some("client")),
        ev(at(d1, 23 * 60), EventKind::Logon, "b1", None),
    ];
    let day2 = vec![
        ev(at(d2, 0), EventKind::Logoff, "b0", Some("client")),
        ev(at(d2, 9 * 60), EventKind::Logoff, "b1", None),
        ev(at(d2, 23 * 60), EventKind::Logon, "b2", None),
    ];
    let day3 = vec![ev(at(d3, 0), EventKind::Logoff, "b2", None)];
    let all: Vec<Event> = day1.iter().chain(&day2).chain(&day3).cloned().collect();
    let (one, _) = import(dir.path(), "one", &[all]);
    let (split, _) = import(dir.path(), "split", &[day1.clone(), day2.clone(), day3.clone()]);
    assert_eq!(split, one);
    // b0 is not on day 2 at all: not logged on there, not counted there.
    let h = History::open(&dir.path().join("one.ialhist")).expect("open");
    let logons = h.logons(d2, d2).expect("logons");
    let on_day2: Vec<&str> = logons.days[0]
        .iter()
        .map(|(u, _)| logons.names[u as usize].as_str())
        .collect();
    assert!(!on_day2.contains(&"b0"), "{on_day2:?}");
    // b2 logged off at the midnight that starts day 3: day 3 has nobody.
    let logons = h.logons(d3, d3).expect("logons");
    assert_eq!(logons.days[0].iter().count(), 0);
}

/// Files split in the middle of a day: the second goes on from the first's
/// last event on the same day. An independent tester found the day's users
/// and hours lost (the second file replaced the day with its own part);
/// the two are now read into one summary, so the history is the one of a
/// single file, whatever the order on the command line, and the import says
/// the two were read as one.
#[test]
fn files_split_in_the_middle_of_a_day_are_read_as_one() {
    let dir = tempfile::tempdir().expect("dir");
    let d1 = date(2026, 1, 5);
    let morning = vec![
        ev(at(d1, 8 * 60), EventKind::Logon, "b0", None),
        ev(at(d1, 12 * 60), EventKind::Logoff, "b0", None),
        ev(at(d1, 13 * 60), EventKind::Logon, "b1", None),
    ];
    let evening = vec![
        ev(at(d1, 23 * 60), EventKind::Logoff, "b1", None),
        ev(at(d1, 23 * 60), EventKind::Logon, "b2", None),
        ev(at(d1, 23 * 60 + 30), EventKind::Logoff, "b2", None),
    ];
    let whole: Vec<Event> = morning.iter().chain(&evening).cloned().collect();
    let (one, _) = import(dir.path(), "one", &[whole]);
    for (name, files) in [
        ("forward", vec![morning.clone(), evening.clone()]),
        ("reversed", vec![evening.clone(), morning.clone()]),
    ] {
        let (split, notes) = import(dir.path(), name, &files);
        assert_eq!(split, one, "{name}: {notes:?}");
        assert!(
            notes.iter().any(|n| n.contains("read as one")),
            "{name}: the import says the two were read as one: {notes:?}"
        );
    }
    // Three parts of one day, given in any order.
    let thirds = [
        morning[..2].to_vec(),
        vec![morning[2].clone(), evening[0].clone()],
        evening[1..].to_vec(),
    ];
    let (split, notes) = import(
        dir.path(),
        "thirds",
        &[thirds[2].clone(), thirds[0].clone(), thirds[1].clone()],
    );
    assert_eq!(split, one, "{notes:?}");
}

/// A file that goes on with the day of the one before but is not in time
/// order cannot be read on into it (its events would come twice, sorted):
/// the import is refused, says why and what to do, and imports nothing.
#[test]
fn a_same_day_part_out_of_time_order_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let d1 = date(2026, 1, 5);
    let morning = vec![
        ev(at(d1, 8 * 60), EventKind::Logon, "b0", None),
        ev(at(d1, 9 * 60), EventKind::Logon, "b1", None),
    ];
    // Its first line is at 14:00; its 13:00 event comes later.
    let afternoon = vec![
        ev(at(d1, 14 * 60), EventKind::Logoff, "b0", None),
        ev(at(d1, 13 * 60), EventKind::Logon, "b2", None),
        ev(at(d1, 15 * 60), EventKind::Logoff, "b1", None),
    ];
    let paths = write_files(dir.path(), "part", &[&morning, &afternoon]);
    let mut h = History::open(&dir.path().join("h.ialhist")).expect("open");
    let refused = import_into(&mut h, &paths).expect_err("refused");
    assert!(
        refused.to_string().contains("not in time order"),
        "{}",
        refused.to_string()
    );
    assert!(
        refused.to_string().contains("Nothing was imported"),
        "{}",
        refused.to_string()
    );
    assert_eq!(h.span().expect("span"), None, "nothing imported");
}

/// Second re-trial, F1: two parts of one day that overlap in time (the
/// second starts after the first's first event that day but before its
/// last) were accepted and the second replaced the day with its own part.
/// They are refused, naming both, and nothing is imported. A re-export
/// that starts at or before the first part's first event replaces the day,
/// as documented.
#[test]
fn parts_of_a_day_that_overlap_are_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let d1 = date(2026, 1, 15);
    let morning = vec![
        ev(at(d1, 8 * 60), EventKind::Logon, "b0", None),
        ev(at(d1, 9 * 60), EventKind::Logon, "b1", None),
        ev(at(d1, 14 * 60 + 10), EventKind::Logoff, "b0", None),
    ];
    let afternoon = vec![
        ev(at(d1, 13 * 60 + 41), EventKind::Logon, "b2", None),
        ev(at(d1, 15 * 60), EventKind::Logoff, "b1", None),
        ev(at(d1, 16 * 60), EventKind::Logoff, "b2", None),
    ];
    let [a, b] = <[PathBuf; 2]>::try_from(write_files(dir.path(), "a", &[&morning, &afternoon])).expect("two");
    let mut h = History::open(&dir.path().join("h.ialhist")).expect("open");
    let refused = import_into(&mut h, &[a.clone(), b]).expect_err("refused");
    assert!(
        refused.to_string().contains("overlap") && refused.to_string().contains("a-0.json"),
        "{}",
        refused.to_string()
    );
    assert!(
        refused.to_string().contains("Nothing was imported"),
        "{}",
        refused.to_string()
    );
    assert_eq!(h.span().expect("span"), None);
    // A whole-day re-export from 08:00 replaces the day.
    let mut whole = morning.clone();
    whole.extend(afternoon.clone());
    whole.sort_by_key(|e| e.at);
    let again = write_files(dir.path(), "again", &[&whole]);
    import_into(&mut h, &[a, again[0].clone()]).expect("a re-export replaces the day");
}

/// Second re-trial, F4: the import's list of files names every part of a
/// day read as one, not only one of them.
#[test]
fn the_parts_read_as_one_are_named_together() {
    let dir = tempfile::tempdir().expect("dir");
    let d1 = date(2026, 1, 5);
    let parts = [
        vec![ev(at(d1, 8 * 60), EventKind::Logon, "b0", None)],
        vec![ev(at(d1, 12 * 60), EventKind::Logoff, "b0", None)],
    ];
    let paths = write_files(dir.path(), "part", &[&parts[0], &parts[1]]);
    let mut h = History::open(&dir.path().join("h.ialhist")).expect("open");
    let report = import_into(&mut h, &paths).expect("import");
    assert_eq!(report.files.len(), 1, "{:?}", report.files);
    let source = &report.files[0].source;
    assert!(
        source.contains("part-0.json") && source.contains("part-1.json"),
        "{source}"
    );
}

/// A session of several applications, open over two boundaries (three
/// monthly files), is carried through with its applications.
#[test]
fn a_session_open_for_three_files_keeps_its_applications() {
    let dir = tempfile::tempdir().expect("dir");
    let d = |m: u32, day: u32| date(2026, m, day);
    let files = vec![
        vec![
            ev(at(d(1, 30), 600), EventKind::Logon, "a0", Some("client")),
            ev(at(d(1, 31), 600), EventKind::Logon, "a0", Some("supervisor")),
        ],
        vec![
            ev(at(d(2, 1), 60), EventKind::Logoff, "a0", Some("client")),
            ev(at(d(2, 28), 60), EventKind::Logon, "a1", None),
        ],
        vec![
            ev(at(d(3, 1), 300), EventKind::Logoff, "a0", Some("supervisor")),
            ev(at(d(3, 1), 400), EventKind::Logoff, "a1", None),
        ],
    ];
    let all: Vec<Event> = files.iter().flatten().cloned().collect();
    let (one, _) = import(dir.path(), "one", &[all]);
    let (three, notes) = import(dir.path(), "three", &files);
    assert_eq!(three, one, "{notes:?}");
}

#[derive(Debug, Clone)]
struct Shift {
    user: usize,
    app: bool,
    start: i64,
    minutes: i64,
}

fn shifts() -> impl Strategy<Value = Vec<Shift>> {
    prop::collection::vec(
        (0usize..20, any::<bool>(), 0i64..(6 * 1440), 1i64..(2 * 1440)).prop_map(|(user, app, start, minutes)| Shift {
            user,
            app,
            start,
            minutes,
        }),
        1..25,
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    /// Six days of shifts (some over midnight, some of two applications)
    /// with a short logon every day: one file, or split at midnights into
    /// two or three files imported together, gives the same history.
    #[test]
    fn the_history_is_the_same_however_the_events_are_split(
        shifts in shifts(),
        cuts in prop::collection::btree_set(1i64..6, 1..3),
    ) {
        let first = date(2026, 1, 29);
        let mut events = Vec::new();
        for day in 0..6 {
            // Every day has events, so each file begins on the day after
            // the one before ends.
            let d = first + Duration::days(day);
            events.push(ev(at(d, 12 * 60), EventKind::Logon, "a9", Some("tick")));
            events.push(ev(at(d, 12 * 60 + 1), EventKind::Logoff, "a9", Some("tick")));
        }
        for s in &shifts {
            let user = if s.user < 9 { format!("a{}", s.user) } else { format!("b{}", s.user - 9) };
            let app = s.app.then_some("client");
            events.push(ev(at(first, s.start), EventKind::Logon, &user, app));
            // Logoffs at exactly midnight included: the case CI found.
            let end = (s.start + s.minutes).min(6 * 1440 - 1);
            events.push(ev(at(first, end), EventKind::Logoff, &user, app));
        }
        events.sort_by_key(|e| e.at);
        let dir = tempfile::tempdir().expect("dir");
        let (one, _) = import(dir.path(), "one", &[events.clone()]);
        let mut files: Vec<Vec<Event>> = Vec::new();
        let mut rest = events;
        for cut in cuts.iter().rev() {
            let at_cut = at(first, cut * 1440);
            let later: Vec<Event> = rest.iter().filter(|e| e.at >= at_cut).cloned().collect();
            rest.retain(|e| e.at < at_cut);
            files.insert(0, later);
        }
        files.insert(0, rest);
        let (split, notes) = import(dir.path(), "split", &files);
        prop_assert_eq!(split, one, "{:?}", notes);
    }

    /// The same shifts cut at any minute (in the middle of a day too) into
    /// two to four files, given in any order: the same history as one file.
    #[test]
    fn the_history_is_the_same_wherever_the_events_are_cut(
        shifts in shifts(),
        cuts in prop::collection::btree_set(1i64..(6 * 1440 - 1), 1..4),
        reversed in any::<bool>(),
    ) {
        let first = date(2026, 1, 29);
        let mut events = Vec::new();
        for day in 0..6 {
            let d = first + Duration::days(day);
            events.push(ev(at(d, 12 * 60), EventKind::Logon, "a9", Some("tick")));
            events.push(ev(at(d, 12 * 60 + 1), EventKind::Logoff, "a9", Some("tick")));
        }
        for s in &shifts {
            let user = if s.user < 9 { format!("a{}", s.user) } else { format!("b{}", s.user - 9) };
            let app = s.app.then_some("client");
            events.push(ev(at(first, s.start), EventKind::Logon, &user, app));
            let end = (s.start + s.minutes).min(6 * 1440 - 1);
            events.push(ev(at(first, end), EventKind::Logoff, &user, app));
        }
        events.sort_by_key(|e| e.at);
        let dir = tempfile::tempdir().expect("dir");
        let (one, _) = import(dir.path(), "one", &[events.clone()]);
        let mut files: Vec<Vec<Event>> = Vec::new();
        let mut rest = events;
        for cut in cuts.iter().rev() {
            let at_cut = at(first, *cut);
            let later: Vec<Event> = rest.iter().filter(|e| e.at >= at_cut).cloned().collect();
            rest.retain(|e| e.at < at_cut);
            files.insert(0, later);
        }
        files.insert(0, rest);
        files.retain(|f| !f.is_empty());
        if reversed {
            files.reverse();
        }
        let (split, notes) = import(dir.path(), "split", &files);
        prop_assert_eq!(split, one, "{:?}", notes);
    }
}
