//! The change log's saved forms: one entry per change (read from older
//! files) and the bulk entry (a step's subjects listed once with their
//! patterns of change), written and read back.

use super::*;

/// A saved entry before it is known which form it has.
#[derive(Deserialize)]
pub(super) struct Saved {
    time: DateTime<Utc>,
    user: String,
    action: String,
    #[serde(default)]
    subject: Option<Subject>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    before: Option<String>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    patterns: Option<Vec<Pattern>>,
    #[serde(default)]
    subjects: Option<Vec<String>>,
    #[serde(default)]
    pattern: Option<Vec<usize>>,
}

pub(super) enum Form {
    One(LogEntry),
    Bulk(Group),
}

impl Saved {
    pub(super) fn into_form(self, at: usize) -> Result<Form, ChangeLogError> {
        let Some(subjects) = self.subjects else {
            if self.patterns.is_some() {
                return Err(ChangeLogError::StrayField { at, field: "patterns" });
            }
            if self.pattern.is_some() {
                return Err(ChangeLogError::StrayField { at, field: "pattern" });
            }
            let missing = |field| ChangeLogError::Missing { at, field };
            return Ok(Form::One(LogEntry {
                time: self.time,
                user: self.user,
                action: self.action,
                subject: self.subject.ok_or_else(|| missing("subject"))?,
                key: self.key,
                before: self.before.ok_or_else(|| missing("before"))?,
                after: self.after.ok_or_else(|| missing("after"))?,
            }));
        };
        for (field, given) in [
            ("subject", self.subject.is_some()),
            ("key", self.key.is_some()),
            ("before", self.before.is_some()),
            ("after", self.after.is_some()),
        ] {
            if given {
                return Err(ChangeLogError::MixedForms { at, field });
            }
        }
        let patterns = self.patterns.ok_or(ChangeLogError::Missing { at, field: "patterns" })?;
        if patterns.is_empty() {
            return Err(ChangeLogError::Empty { at, field: "patterns" });
        }
        if patterns.iter().any(|p| p.changes.is_empty()) {
            return Err(ChangeLogError::Empty {
                at,
                field: "patterns[].changes",
            });
        }
        if subjects.is_empty() {
            return Err(ChangeLogError::Empty { at, field: "subjects" });
        }
        let pattern_of = match self.pattern {
            None if patterns.len() > 1 => {
                return Err(ChangeLogError::PatternMissing {
                    at,
                    patterns: patterns.len(),
                });
            }
            None => Vec::new(),
            Some(of) if of.len() != subjects.len() => {
                return Err(ChangeLogError::PatternCount {
                    at,
                    given: of.len(),
                    subjects: subjects.len(),
                });
            }
            Some(of) => {
                if let Some(&index) = of.iter().find(|&&i| i >= patterns.len()) {
                    return Err(ChangeLogError::PatternOutOfRange {
                        at,
                        index,
                        patterns: patterns.len(),
                    });
                }
                of
            }
        };
        let size = |row: usize| patterns[pattern_of.get(row).copied().unwrap_or(0)].changes.len();
        let len = (0..subjects.len()).map(size).sum();
        let mut ids = String::with_capacity(subjects.iter().map(String::len).sum());
        let mut ends = Vec::with_capacity(subjects.len());
        for id in &subjects {
            ids.push_str(id);
            ends.push(ids.len());
        }
        Ok(Form::Bulk(Group {
            time: self.time,
            user: self.user,
            action: self.action,
            patterns,
            ids,
            ends,
            pattern_of,
            len,
        }))
    }
}

/// The change log as it is saved: a log that could not be read when the
/// workspace was opened (kept, entry by entry), then the log.
pub struct SavedLog<'a> {
    pub unread: Option<&'a Value>,
    pub log: &'a ChangeLog,
}

impl SavedLog<'_> {
    pub fn is_empty(&self) -> bool {
        self.unread.is_none_or(Value::is_null) && self.log.is_empty()
    }

    /// Whether it has a bulk entry (format 2).
    pub fn has_bulk_entries(&self) -> bool {
        self.log.has_bulk_entries() || self.unread.is_some_and(has_bulk_entries)
    }
}

/// Whether a saved change log, as JSON, has a bulk entry.
pub fn has_bulk_entries(log: &Value) -> bool {
    log.as_array()
        .is_some_and(|items| items.iter().any(|e| e.get("subjects").is_some()))
}

impl Serialize for SavedLog<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        match self.unread {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for item in items {
                    seq.serialize_element(item)?;
                }
            }
            Some(other) => seq.serialize_element(other)?,
        }
        for run in self.log.runs() {
            match run {
                [one] => seq.serialize_element(&SavedGroup(one))?,
                several => {
                    // Steps with one time, OS user and action (parts of an
                    // import, made in the same instant) are saved as one.
                    let first = &several[0];
                    let mut b = Builder::new(first.time, &first.user, &first.action);
                    for e in several.iter().flat_map(Group::entries) {
                        if let Some(t) = e.text() {
                            b.add(e.kind(), e.id(), t.clone());
                        }
                    }
                    seq.serialize_element(&SavedGroup(&b.finish()))?;
                }
            }
        }
        seq.end()
    }
}

/// A step as saved: as an entry of one subject when it has one change, else
/// as a bulk entry.
struct SavedGroup<'a>(&'a Group);

impl Serialize for SavedGroup<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.0;
        if g.len == 1
            && let Some(e) = g.entries().next()
        {
            let key = e.key();
            let mut st = s.serialize_struct("LogEntry", if key.is_some() { 7 } else { 6 })?;
            st.serialize_field("time", &g.time)?;
            st.serialize_field("user", &g.user)?;
            st.serialize_field("action", &g.action)?;
            st.serialize_field(
                "subject",
                &SubjectRef {
                    kind: e.kind(),
                    id: e.id(),
                },
            )?;
            if let Some(key) = key {
                st.serialize_field("key", key)?;
            }
            st.serialize_field("before", e.before())?;
            st.serialize_field("after", e.after())?;
            return st.end();
        }
        let mut st = s.serialize_struct("BulkEntry", if g.pattern_of.is_empty() { 5 } else { 6 })?;
        st.serialize_field("time", &g.time)?;
        st.serialize_field("user", &g.user)?;
        st.serialize_field("action", &g.action)?;
        st.serialize_field("patterns", &g.patterns)?;
        st.serialize_field("subjects", &Ids(g))?;
        if !g.pattern_of.is_empty() {
            st.serialize_field("pattern", &g.pattern_of)?;
        }
        st.end()
    }
}

#[derive(Serialize)]
struct SubjectRef<'a> {
    kind: SubjectKind,
    id: &'a str,
}

/// A group's subject IDs, as a list.
struct Ids<'a>(&'a Group);

impl Serialize for Ids<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let g = self.0;
        let mut seq = s.serialize_seq(Some(g.rows()))?;
        for row in 0..g.rows() {
            seq.serialize_element(g.id(row))?;
        }
        seq.end()
    }
}
