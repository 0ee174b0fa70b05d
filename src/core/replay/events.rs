//! The events file: logons and logoffs, read and checked (see
//! `docs/events-file.md`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::core::error::EventsError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    Logon,
    Logoff,
    DynamicRemoteLogon,
    /// A supervisor's Force User Logouts: ends the user's session on
    /// whatever computer and every application, returning its licenses.
    ForcedLogoff,
}

/// One event of an events file (see `docs/events-file.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    #[serde(with = "time_format")]
    pub at: DateTime<Utc>,
    pub event: EventKind,
    pub user: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// Event times: RFC 3339, or without an offset (read as UTC).
mod time_format {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%Y-%m-%dT%H:%M:%S").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        crate::core::enforcement::parse_time(&text).map_err(serde::de::Error::custom)
    }
}

/// Files larger than this are refused before they are read whole.
pub const MAX_EVENTS_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// Parses an events file, naming the element of the first problem.
/// The longest span one events file may cover (three years and a day).
pub const MAX_SPAN_DAYS: i64 = 3 * 366;

pub fn parse_events(text: &str) -> Result<Vec<Event>, EventsError> {
    parse_events_inner(text).map_err(|e| EventsError(crate::core::fileio::tidy_message(&e)))
}

fn parse_events_inner(text: &str) -> Result<Vec<Event>, String> {
    crate::core::fileio::check_text(text, "events file")?;
    let mut events: Vec<Event> = serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text))
        .map_err(|e| {
            format!("$.{}: {}", e.path(), e.inner())
                .replace("$..", "$")
                .replace(".[", "[")
        })?;
    for (i, e) in events.iter().enumerate() {
        crate::core::dates::check_time(&format!("$[{i}].at"), e.at)?;
        if e.user.trim().is_empty() {
            return Err(format!("$[{i}].user: the user is blank"));
        }
        if e.event == EventKind::DynamicRemoteLogon && e.phone.as_deref().is_none_or(|p| p.trim().is_empty()) {
            return Err(format!("$[{i}].phone: a dynamic-remote-logon needs the phone number"));
        }
    }
    // Events are replayed in time order; equal times keep file order.
    events.sort_by_key(|e| e.at);
    // Billing tallies walk every day a session spans: a file spanning
    // centuries would take minutes and gigabytes for two lines.
    if let (Some(first), Some(last)) = (events.first(), events.last()) {
        let days = (last.at - first.at).num_days();
        if days > MAX_SPAN_DAYS {
            return Err(format!(
                "the events run from {} to {} ({days} days); one events file may cover at most {MAX_SPAN_DAYS} days \
                    — split it by month or year",
                first.at.date_naive(),
                last.at.date_naive()
            ));
        }
    }
    Ok(events)
}
