//! The change log (IA's Enhanced Interaction Administrator Change Log, for
//! licensing): every applied change with time, OS user, subject, license key,
//! before and after. It is saved with the workspace (`change_log`).
//!
//! The log is a list of entries, one per subject and change, but it is kept
//! (and saved) by step: one step — a bulk assign to 18,452 users, its undo —
//! has one time, OS user and action, a few distinct patterns of change ("—"
//! to "Assignable" for Client Access) and its subjects listed once, each
//! with the pattern it had. `ChangeLog::iter` gives the entries back one by
//! one, exactly as they were recorded. docs/workspace-file.md has the saved
//! form; entries saved before it (one per subject) are read as they are.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

pub use crate::model::error::{ChangeLogError, ReportError};
use crate::model::subject::{Subject, SubjectKind};

mod saved;
use saved::{Form, Saved};
pub use saved::{SavedLog, has_bulk_entries};

/// One entry of the log, owned: what the log gives back (`Entry::to_entry`),
/// and the saved form of a step with a single change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    pub time: DateTime<Utc>,
    /// The OS user who made the change.
    pub user: String,
    /// What was done ("Assign Client Access to user tina", "Undo: …").
    pub action: String,
    pub subject: Subject,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    pub before: String,
    pub after: String,
}

/// What changed for one subject in one change: the license key (when the
/// change is about one), before and after.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Text {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    before: String,
    after: String,
}

/// Everything one subject had changed by a step, in order: the subjects of
/// a bulk step share a few of these.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Pattern {
    kind: SubjectKind,
    changes: Vec<Text>,
}

/// One step's entries: one time, OS user and action; its subjects in order,
/// each with its pattern.
#[derive(Debug, Clone)]
struct Group {
    time: DateTime<Utc>,
    user: String,
    action: String,
    patterns: Vec<Pattern>,
    /// The subjects' IDs one after another (one string, not one per
    /// subject); `ends[row]` is where a subject's ID ends.
    ids: String,
    ends: Vec<usize>,
    /// Each subject's pattern; empty when there is only one pattern.
    pattern_of: Vec<usize>,
    /// How many entries the group stands for.
    len: usize,
}

impl Group {
    fn rows(&self) -> usize {
        self.ends.len()
    }

    fn id(&self, row: usize) -> &str {
        let start = row.checked_sub(1).and_then(|r| self.ends.get(r)).copied().unwrap_or(0);
        let end = self.ends.get(row).copied().unwrap_or(start);
        self.ids.get(start..end).unwrap_or_default()
    }

    fn pattern(&self, row: usize) -> Option<&Pattern> {
        self.patterns.get(self.pattern_of.get(row).copied().unwrap_or(0))
    }

    fn entries(&self) -> impl DoubleEndedIterator<Item = Entry<'_>> + '_ {
        (0..self.rows()).flat_map(move |row| {
            let n = self.pattern(row).map_or(0, |p| p.changes.len());
            (0..n).map(move |change| Entry {
                group: self,
                row,
                change,
            })
        })
    }

    fn same_header(&self, other: &Group) -> bool {
        self.time == other.time && self.user == other.user && self.action == other.action
    }
}

/// Makes a group from entries given in order: consecutive changes of one
/// subject are its pattern, and equal patterns are kept once.
struct Builder {
    time: DateTime<Utc>,
    user: String,
    action: String,
    index: HashMap<Pattern, usize>,
    ids: String,
    ends: Vec<usize>,
    pattern_of: Vec<usize>,
    len: usize,
    /// The subject being added: its kind, where its ID starts in `ids`
    /// (written there already) and its changes so far.
    row: Option<(SubjectKind, usize, Vec<Text>)>,
}

impl Builder {
    fn new(time: DateTime<Utc>, user: &str, action: &str) -> Builder {
        Builder {
            time,
            user: user.to_string(),
            action: action.to_string(),
            index: HashMap::new(),
            ids: String::new(),
            ends: Vec::new(),
            pattern_of: Vec::new(),
            len: 0,
            row: None,
        }
    }

    fn same_header(&self, time: &DateTime<Utc>, user: &str, action: &str) -> bool {
        self.time == *time && self.user == user && self.action == action
    }

    fn add(&mut self, kind: SubjectKind, id: &str, text: Text) {
        self.len += 1;
        if let Some((k, start, changes)) = &mut self.row
            && *k == kind
            && self.ids.get(*start..) == Some(id)
        {
            changes.push(text);
            return;
        }
        self.end_row();
        let start = self.ids.len();
        self.ids.push_str(id);
        self.row = Some((kind, start, vec![text]));
    }

    fn end_row(&mut self) {
        if let Some((kind, _, changes)) = self.row.take() {
            let next = self.index.len();
            let n = *self.index.entry(Pattern { kind, changes }).or_insert(next);
            self.ends.push(self.ids.len());
            self.pattern_of.push(n);
        }
    }

    fn finish(mut self) -> Group {
        self.end_row();
        let mut patterns: Vec<(Pattern, usize)> = self.index.into_iter().collect();
        patterns.sort_by_key(|(_, n)| *n);
        let patterns: Vec<Pattern> = patterns.into_iter().map(|(p, _)| p).collect();
        if patterns.len() <= 1 {
            self.pattern_of = Vec::new();
        }
        Group {
            time: self.time,
            user: self.user,
            action: self.action,
            patterns,
            ids: self.ids,
            ends: self.ends,
            pattern_of: self.pattern_of,
            len: self.len,
        }
    }
}

/// One entry of the log, borrowed from it.
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    group: &'a Group,
    row: usize,
    change: usize,
}

impl<'a> Entry<'a> {
    fn text(&self) -> Option<&'a Text> {
        self.group.pattern(self.row).and_then(|p| p.changes.get(self.change))
    }
    pub fn time(&self) -> DateTime<Utc> {
        self.group.time
    }
    /// The OS user who made the change.
    pub fn user(&self) -> &'a str {
        &self.group.user
    }
    /// What was done ("Assign Client Access to 50 users", "Undo: …").
    pub fn action(&self) -> &'a str {
        &self.group.action
    }
    pub fn kind(&self) -> SubjectKind {
        self.group.pattern(self.row).map_or(SubjectKind::User, |p| p.kind)
    }
    /// The subject's ID (user, station, workgroup, …).
    pub fn id(&self) -> &'a str {
        self.group.id(self.row)
    }
    pub fn subject(&self) -> Subject {
        Subject::new(self.kind(), self.id())
    }
    pub fn key(&self) -> Option<&'a str> {
        self.text().and_then(|t| t.key.as_deref())
    }
    pub fn before(&self) -> &'a str {
        self.text().map_or("", |t| t.before.as_str())
    }
    pub fn after(&self) -> &'a str {
        self.text().map_or("", |t| t.after.as_str())
    }
    pub fn to_entry(&self) -> LogEntry {
        LogEntry {
            time: self.time(),
            user: self.user().to_string(),
            action: self.action().to_string(),
            subject: self.subject(),
            key: self.key().map(str::to_string),
            before: self.before().to_string(),
            after: self.after().to_string(),
        }
    }
}

impl PartialEq for Entry<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.time() == other.time()
            && self.user() == other.user()
            && self.action() == other.action()
            && self.kind() == other.kind()
            && self.id() == other.id()
            && self.key() == other.key()
            && self.before() == other.before()
            && self.after() == other.after()
    }
}

impl PartialEq<LogEntry> for Entry<'_> {
    fn eq(&self, e: &LogEntry) -> bool {
        self.time() == e.time
            && self.user() == e.user
            && self.action() == e.action
            && self.kind() == e.subject.kind
            && self.id() == e.subject.id
            && self.key() == e.key.as_deref()
            && self.before() == e.before
            && self.after() == e.after
    }
}

impl std::fmt::Debug for Entry<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.to_entry().fmt(f)
    }
}

/// The change log: its entries in the order they were made, kept by step.
#[derive(Clone, Default)]
pub struct ChangeLog {
    groups: Vec<Group>,
    len: usize,
}

impl std::fmt::Debug for ChangeLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Two logs are equal when they list the same entries (however they are
/// grouped).
impl PartialEq for ChangeLog {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl ChangeLog {
    /// How many entries (one per subject and change).
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every entry, oldest first (`.rev()` for newest first).
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = Entry<'_>> + '_ {
        self.groups.iter().flat_map(Group::entries)
    }

    /// The newest entry.
    pub fn last(&self) -> Option<Entry<'_>> {
        self.iter().next_back()
    }

    /// The entries as owned values.
    pub fn to_vec(&self) -> Vec<LogEntry> {
        self.iter().map(|e| e.to_entry()).collect()
    }

    /// A log of these entries, in order.
    pub fn from_entries<'e>(entries: impl IntoIterator<Item = &'e LogEntry>) -> ChangeLog {
        let mut log = ChangeLog::default();
        let mut building: Option<Builder> = None;
        for e in entries {
            log.add_to_run(&mut building, e);
        }
        log.finish_run(building);
        log
    }

    /// Adds one step: its changes, as `(subject, key, before, after)`, all
    /// with one time, OS user and action.
    pub fn push<'c>(
        &mut self,
        time: DateTime<Utc>,
        user: &str,
        action: &str,
        changes: impl IntoIterator<Item = (&'c Subject, Option<&'c str>, &'c str, &'c str)>,
    ) {
        let mut b = Builder::new(time, user, action);
        for (subject, key, before, after) in changes {
            b.add(
                subject.kind,
                &subject.id,
                Text {
                    key: key.map(str::to_string),
                    before: before.to_string(),
                    after: after.to_string(),
                },
            );
        }
        if b.len > 0 {
            self.len += b.len;
            self.groups.push(b.finish());
        }
    }

    /// Keeps the first `len` entries (a step taken back).
    pub fn truncate(&mut self, len: usize) {
        while let Some(g) = self.groups.last() {
            let start = self.len - g.len;
            if start < len {
                break;
            }
            self.len = start;
            self.groups.pop();
        }
        if self.len > len
            && let Some(g) = self.groups.pop()
        {
            let start = self.len - g.len;
            let mut b = Builder::new(g.time, &g.user, &g.action);
            for e in g.entries().take(len - start) {
                if let Some(t) = e.text() {
                    b.add(e.kind(), e.id(), t.clone());
                }
            }
            self.len = start + b.len;
            self.groups.push(b.finish());
        }
    }

    /// Names the steps logged from entry `from` on whose action is `old`
    /// `new` instead: a change applied in slices is logged as it goes,
    /// before it is known which subjects it changed ("to 100,000 users"),
    /// and is renamed once it is ("to 71,450 users").
    pub fn rename_since(&mut self, from: usize, old: &str, new: &str) {
        let mut start = self.len;
        for g in self.groups.iter_mut().rev() {
            start -= g.len;
            if start < from {
                break;
            }
            if g.action == old {
                g.action = new.to_string();
            }
        }
    }

    fn add_to_run(&mut self, building: &mut Option<Builder>, e: &LogEntry) {
        if !building
            .as_ref()
            .is_some_and(|b| b.same_header(&e.time, &e.user, &e.action))
        {
            let done = building.replace(Builder::new(e.time, &e.user, &e.action));
            self.finish_run(done);
        }
        if let Some(b) = building {
            b.add(
                e.subject.kind,
                &e.subject.id,
                Text {
                    key: e.key.clone(),
                    before: e.before.clone(),
                    after: e.after.clone(),
                },
            );
        }
    }

    fn finish_run(&mut self, building: Option<Builder>) {
        if let Some(b) = building.filter(|b| b.len > 0) {
            self.len += b.len;
            self.groups.push(b.finish());
        }
    }

    /// Reads a saved change log: entries of one subject each (as saved
    /// before bulk entries) and bulk entries, in any mix.
    pub fn read(value: &Value) -> Result<ChangeLog, ChangeLogError> {
        let Value::Array(items) = value else {
            return Err(ChangeLogError::NotAList);
        };
        let mut log = ChangeLog::default();
        let mut building: Option<Builder> = None;
        for (at, item) in items.iter().enumerate() {
            let saved = Saved::deserialize(item).map_err(|e| ChangeLogError::Unreadable {
                at,
                reason: crate::model::fileio::tidy_message(&e.to_string()),
            })?;
            match saved.into_form(at)? {
                Form::One(e) => log.add_to_run(&mut building, &e),
                Form::Bulk(group) => {
                    log.finish_run(building.take());
                    log.len += group.len;
                    log.groups.push(group);
                }
            }
        }
        log.finish_run(building);
        Ok(log)
    }

    /// Runs of consecutive steps with one time, OS user and action: each is
    /// saved as one entry.
    fn runs(&self) -> impl Iterator<Item = &[Group]> + '_ {
        self.groups.chunk_by(|a, b| a.same_header(b))
    }

    /// Whether the saved form has a bulk entry (a file that has one is
    /// format 2: older versions refuse it instead of misreading it).
    pub fn has_bulk_entries(&self) -> bool {
        self.runs().any(|run| run.iter().map(|g| g.len).sum::<usize>() > 1)
    }
}

/// The OS user name, for the change log: the usual environment variables,
/// else the account the process runs as (a service or `env -i` has no
/// variables), and "unknown" only when the system cannot say.
pub fn os_user() -> String {
    // Control and invisible characters are dropped: the name is recorded
    // in files other people read.
    let clean = |s: String| -> Option<String> {
        let kept: String = s.chars().filter(|c| !crate::model::text::is_unsafe(*c)).collect();
        let kept = kept.trim().chars().take(64).collect::<String>();
        (!kept.is_empty()).then_some(kept)
    };
    ["USER", "USERNAME", "LOGNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().and_then(clean))
        .or_else(|| whoami::fallible::username().ok().and_then(clean))
        .unwrap_or_else(|| "unknown".to_string())
}

/// Who makes a change and when: the real clock and the OS user. The one
/// place the faces get both for change-log entries (the GUI, `session`,
/// `policy apply`, `csv import`); the core itself takes time as an input.
pub fn who_and_when() -> (DateTime<Utc>, String) {
    (Utc::now(), os_user())
}

/// A filter over the log, as the Change Log view offers it.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Matches the subject id (user or station), case-insensitive substring.
    pub subject: String,
    /// Matches the license key or its label.
    pub license: String,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

impl Filter {
    pub fn matches(&self, e: &Entry<'_>) -> bool {
        let s = self.subject.trim().to_lowercase();
        let l = self.license.trim().to_lowercase();
        (s.is_empty() || e.id().to_lowercase().contains(&s))
            && (l.is_empty()
                || e.key().is_some_and(|k| {
                    k.to_lowercase().contains(&l) || crate::model::catalog::label(k).to_lowercase().contains(&l)
                }))
            && self.from.is_none_or(|f| e.time().date_naive() >= f)
            && self.to.is_none_or(|t| e.time().date_naive() <= t)
    }
}

/// The log as CSV (time, user, action, subject kind, subject, key, before, after).
pub fn csv<'a>(entries: impl IntoIterator<Item = Entry<'a>>) -> Result<String, ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "time",
        "os_user",
        "action",
        "subject_kind",
        "subject",
        "license_key",
        "before",
        "after",
    ])?;
    for e in entries {
        let kind = serde_json::to_value(e.kind())
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        // Names and values come from files: guarded against formulas.
        let cell = |t: &str| crate::model::text::csv_cell(t).into_owned();
        w.write_record([
            e.time().to_rfc3339(),
            cell(e.user()),
            cell(e.action()),
            kind,
            cell(e.id()),
            cell(e.key().unwrap_or_default()),
            cell(e.before()),
            cell(e.after()),
        ])?;
    }
    super::text::csv_written(w)
}

#[cfg(test)]
mod tests;
