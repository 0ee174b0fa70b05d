//! The change log's unit tests: entries kept by step, read back one row
//! per change, both saved forms.

use super::*;

fn t(s: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000 + i64::from(s), 0).unwrap_or_default()
}

fn step(log: &mut ChangeLog, time: u32, action: &str, changes: &[(&Subject, Option<&str>, &str, &str)]) {
    log.push(t(time), "admin", action, changes.iter().copied());
}

fn entries(log: &ChangeLog) -> Vec<(String, String, Option<String>, String, String)> {
    log.iter()
        .map(|e| {
            (
                e.action().to_string(),
                e.id().to_string(),
                e.key().map(str::to_string),
                e.before().to_string(),
                e.after().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_step_keeps_each_subject_once_and_each_pattern_once() {
    let (a, b, c) = (Subject::user("a"), Subject::user("b"), Subject::station("c"));
    let mut log = ChangeLog::default();
    step(
        &mut log,
        0,
        "acd",
        &[
            (&a, Some("M2"), "—", "Assignable"),
            (&a, None, "—", "Call"),
            (&b, Some("M2"), "—", "Assignable"),
            (&b, None, "—", "Call"),
            (&c, Some("M2"), "—", "Assignable"),
        ],
    );
    assert_eq!(log.len(), 5);
    let g = &log.groups[0];
    assert_eq!((g.rows(), g.patterns.len()), (3, 2));
    assert_eq!(g.pattern_of, vec![0, 0, 1]);
    assert_eq!(g.ids, "abc");
    assert_eq!(
        entries(&log)[3],
        ("acd".into(), "b".into(), None, "—".into(), "Call".into())
    );
    assert_eq!(
        log.iter().rev().map(|e| e.id().to_string()).collect::<String>(),
        "cbbaa"
    );
}

#[test]
fn truncating_inside_a_step_keeps_exactly_its_first_entries() {
    let (a, b) = (Subject::user("a"), Subject::user("b"));
    let mut log = ChangeLog::default();
    step(&mut log, 0, "one", &[(&a, Some("K"), "—", "x")]);
    step(
        &mut log,
        1,
        "two",
        &[
            (&a, Some("K"), "x", "y"),
            (&a, None, "1", "2"),
            (&b, Some("K"), "x", "y"),
        ],
    );
    let all = entries(&log);
    for len in (0..=all.len()).rev() {
        let mut cut = log.clone();
        cut.truncate(len);
        assert_eq!(cut.len(), len);
        assert_eq!(entries(&cut), all[..len].to_vec());
    }
}

#[test]
fn steps_with_one_time_user_and_action_are_saved_as_one_entry() {
    let (a, b) = (Subject::user("a"), Subject::user("b"));
    let mut log = ChangeLog::default();
    step(&mut log, 0, "import", &[(&a, Some("K"), "—", "x")]);
    step(&mut log, 0, "import", &[(&b, Some("K"), "—", "x")]);
    step(&mut log, 0, "other", &[(&b, Some("K"), "x", "—")]);
    assert!(log.has_bulk_entries());
    let saved = serde_json::to_value(SavedLog {
        unread: None,
        log: &log,
    })
    .unwrap_or_default();
    let saved = saved.as_array().cloned().unwrap_or_default();
    assert_eq!(saved.len(), 2);
    assert_eq!(saved[0]["subjects"], serde_json::json!(["a", "b"]));
    assert!(saved[0].get("pattern").is_none());
    assert_eq!(saved[1]["subject"]["id"], "b");
    let back = ChangeLog::read(&serde_json::Value::Array(saved));
    assert_eq!(back.as_ref().ok(), Some(&log));
}
