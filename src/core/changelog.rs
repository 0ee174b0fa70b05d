//! The change log (IA's Enhanced Interaction Administrator Change Log, for
//! licensing): every applied change with time, OS user, subject, license key,
//! before and after. It is saved with the workspace (`change_log`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::subject::Subject;
pub use crate::core::error::ReportError;

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

/// The OS user name, for the change log: the usual environment variables,
/// else the account the process runs as (a service or `env -i` has no
/// variables), and "unknown" only when the system cannot say.
pub fn os_user() -> String {
    // Control and invisible characters are dropped: the name is recorded
    // in files other people read.
    let clean = |s: String| -> Option<String> {
        let kept: String = s.chars().filter(|c| !super::text::is_unsafe(*c)).collect();
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
    pub fn matches(&self, e: &LogEntry) -> bool {
        let s = self.subject.trim().to_lowercase();
        let l = self.license.trim().to_lowercase();
        (s.is_empty() || e.subject.id.to_lowercase().contains(&s))
            && (l.is_empty()
                || e.key.as_deref().is_some_and(|k| {
                    k.to_lowercase().contains(&l) || super::catalog::label(k).to_lowercase().contains(&l)
                }))
            && self.from.is_none_or(|f| e.time.date_naive() >= f)
            && self.to.is_none_or(|t| e.time.date_naive() <= t)
    }
}

/// The log as CSV (time, user, action, subject kind, subject, key, before, after).
pub fn csv<'a>(entries: impl IntoIterator<Item = &'a LogEntry>) -> Result<String, ReportError> {
    csv_inner(entries).map_err(ReportError)
}

fn csv_inner<'a>(entries: impl IntoIterator<Item = &'a LogEntry>) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| e.to_string();
    w.write_record([
        "time",
        "os_user",
        "action",
        "subject_kind",
        "subject",
        "license_key",
        "before",
        "after",
    ])
    .map_err(err)?;
    for e in entries {
        let kind = serde_json::to_value(e.subject.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        // Names and values come from files: guarded against formulas.
        let cell = |t: &str| super::text::csv_cell(t).into_owned();
        w.write_record([
            e.time.to_rfc3339(),
            cell(&e.user),
            cell(&e.action),
            kind,
            cell(&e.subject.id),
            cell(e.key.as_deref().unwrap_or_default()),
            cell(&e.before),
            cell(&e.after),
        ])
        .map_err(err)?;
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}
