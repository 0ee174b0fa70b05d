//! Reclaiming idle licenses: users who hold Assignable user licenses but
//! have had no session for a number of days (from the supervisor's events
//! history). Those who never logged on lose the licenses; those who still
//! log on now and then are moved to Concurrent. A replay with the change
//! shows whether the pools would then deny anyone, and the pool size that
//! would not (docs/reclaim.md). Stations are never reclaimed: Basic Station
//! cannot be concurrent.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::analysis::replay::{Event, Replay, Session, Take, replay_with};
use crate::edit::command::Command;
use crate::model::catalog;
use crate::model::license::License;
use crate::model::progress::Progress;
use crate::model::subject::Subject;
use crate::model::workspace::{Method, Workspace, fold};

/// What to do with a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Suggest {
    /// Never logged on in the history: remove the licenses.
    Remove,
    /// Logs on now and then: take licenses from the pool at logon instead.
    Concurrent,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub user: String,
    /// The user licenses it holds as Assignable (what would be freed).
    pub keys: Vec<String>,
    pub last_session: Option<DateTime<Utc>>,
    pub suggest: Suggest,
    pub reason: String,
}

/// The replay of the same events with the suggestions applied.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReplayAfter {
    /// Licenses denied (a logon denied two licenses counts twice).
    pub denials: usize,
    /// Logons denied a license (each once): what the confirmation counts.
    pub denied_logons: usize,
    pub peak_concurrent_in_use: BTreeMap<String, u32>,
    /// Per pooled key, the pool size at which nobody would be denied (the
    /// highest demand at any moment).
    pub pool_needed: BTreeMap<String, u32>,
}

/// The last moment each user was logged on (a session's end, or `as_of`
/// while it is still open), from every events file.
pub fn last_sessions(
    license: &License,
    ws: &Workspace,
    histories: &[Vec<Event>],
    as_of: DateTime<Utc>,
) -> HashMap<String, DateTime<Utc>> {
    last_sessions_with(license, ws, histories, as_of, &Progress::default()).unwrap_or_default()
}

/// `last_sessions`, reporting the replays' progress; `None` when cancelled.
pub fn last_sessions_with(
    license: &License,
    ws: &Workspace,
    histories: &[Vec<Event>],
    as_of: DateTime<Utc>,
    progress: &Progress,
) -> Option<HashMap<String, DateTime<Utc>>> {
    let mut last = LastSessions::default();
    for events in histories {
        let r = replay_with(license, ws, events, Some(as_of), progress)?;
        for s in &r.sessions {
            last.session(s);
        }
    }
    Some(last.at(as_of))
}

/// Each user's last session, from sessions as they come (a replay read as
/// it goes, one or more files); sessions still open are resolved by `at`.
#[derive(Debug, Default)]
pub struct LastSessions {
    closed: HashMap<String, DateTime<Utc>>,
    open: std::collections::HashSet<String>,
}

impl LastSessions {
    pub fn session(&mut self, s: &Session) {
        let user = fold(&s.user);
        match s.end {
            Some(t) => {
                let slot = self.closed.entry(user).or_insert(t);
                *slot = (*slot).max(t);
            }
            None => {
                self.open.insert(user);
            }
        }
    }

    /// Adds another file's last sessions.
    pub fn merge(&mut self, other: LastSessions) {
        for (user, t) in other.closed {
            let slot = self.closed.entry(user).or_insert(t);
            *slot = (*slot).max(t);
        }
        self.open.extend(other.open);
    }

    /// The last moment each user was logged on as of `as_of`: a session
    /// still open counts until then.
    pub fn at(self, as_of: DateTime<Utc>) -> HashMap<String, DateTime<Utc>> {
        let mut last: HashMap<String, DateTime<Utc>> =
            self.closed.into_iter().map(|(u, t)| (u, t.min(as_of))).collect();
        for user in self.open {
            last.insert(user, as_of);
        }
        last
    }
}

/// A streaming replay keeps only the sessions' ends.
impl Take for LastSessions {
    fn take(&mut self, pending: &mut Replay) {
        for s in pending.sessions.drain(..) {
            self.session(&s);
        }
        pending.session_logons.clear();
        pending.denials.clear();
        pending.pool_points.clear();
        pending.demand_points.clear();
    }

    fn restart(&mut self) {
        *self = LastSessions::default();
    }
}

/// Counts the denials of a streaming replay, and the logons they come
/// from, and keeps nothing else.
#[derive(Debug, Default)]
pub struct DenialCount {
    pub denials: usize,
    /// Logons denied a license (a logon denied two licenses once).
    pub logons: usize,
    /// The logon of the last denial counted: a logon's denials come together.
    last: Option<(DateTime<Utc>, String)>,
}

impl Take for DenialCount {
    fn take(&mut self, pending: &mut Replay) {
        self.denials += pending.denials.len();
        for d in pending.denials.drain(..) {
            if self
                .last
                .as_ref()
                .is_none_or(|(at, user)| *at != d.at || *user != d.user)
            {
                self.logons += 1;
                self.last = Some((d.at, d.user));
            }
        }
        pending.sessions.clear();
        pending.session_logons.clear();
        pending.pool_points.clear();
        pending.demand_points.clear();
    }

    fn restart(&mut self) {
        *self = DenialCount::default();
    }
}

/// The users whose Assignable user licenses have been idle `idle_days` or
/// more at `as_of`.
pub fn candidates(
    license: &License,
    ws: &Workspace,
    histories: &[Vec<Event>],
    idle_days: i64,
    as_of: DateTime<Utc>,
) -> Vec<Candidate> {
    candidates_with(license, ws, histories, idle_days, as_of, &Progress::default()).unwrap_or_default()
}

/// `candidates`, reporting the replays' progress (for a worker thread);
/// `None` when cancelled.
pub fn candidates_with(
    license: &License,
    ws: &Workspace,
    histories: &[Vec<Event>],
    idle_days: i64,
    as_of: DateTime<Utc>,
    progress: &Progress,
) -> Option<Vec<Candidate>> {
    let last = last_sessions_with(license, ws, histories, as_of, progress)?;
    Some(candidates_from(ws, &last, idle_days, as_of))
}

/// `candidates` from each user's last session (`last_sessions`, or
/// `LastSessions` for files read as they go).
pub fn candidates_from(
    ws: &Workspace,
    last: &HashMap<String, DateTime<Utc>>,
    idle_days: i64,
    as_of: DateTime<Utc>,
) -> Vec<Candidate> {
    // A longer idle period than the calendar holds: nothing is idle that long.
    let Ok(cutoff) = crate::model::dates::shift(as_of, crate::model::dates::days(idle_days.saturating_neg())) else {
        return Vec::new();
    };
    ws.users()
        .iter()
        .filter(|u| u.method == Method::Assignable)
        .filter_map(|u| {
            let keys: Vec<String> = u
                .licenses
                .iter()
                .filter(|k| catalog::lookup(k).is_none_or(|i| i.holders.allows_user()))
                .map(|k| k.to_string())
                .collect();
            if keys.is_empty() {
                return None;
            }
            let seen = last.get(&fold(&u.id)).copied();
            if seen.is_some_and(|t| t >= cutoff) {
                return None;
            }
            let (suggest, reason) = match seen {
                None => (
                    Suggest::Remove,
                    "no session in the whole history: remove the licenses".to_string(),
                ),
                Some(t) => (
                    Suggest::Concurrent,
                    format!(
                        "last session {} days ago: take licenses from the pool at logon instead (Concurrent)",
                        (as_of - t).num_days()
                    ),
                ),
            };
            Some(Candidate {
                user: u.id.clone(),
                keys,
                last_session: seen,
                suggest,
                reason,
            })
        })
        .collect()
}

/// The one command that carries the suggestions out (one undo step).
pub fn command(candidates: &[Candidate]) -> Option<Command> {
    command_of(candidates.iter())
}

/// `command` for some of the candidates, without copying them (the ticked
/// ones of 30,000).
pub fn command_of<'a>(candidates: impl Iterator<Item = &'a Candidate>) -> Option<Command> {
    let candidates: Vec<&Candidate> = candidates.collect();
    let mut commands = Vec::new();
    let concurrent: Vec<String> = candidates
        .iter()
        .filter(|c| c.suggest == Suggest::Concurrent)
        .map(|c| c.user.clone())
        .collect();
    if !concurrent.is_empty() {
        commands.push(Command::SetMethod {
            users: concurrent,
            method: Method::Concurrent,
        });
    }
    let mut by_key: BTreeMap<&str, Vec<Subject>> = BTreeMap::new();
    for c in candidates.iter().filter(|c| c.suggest == Suggest::Remove) {
        for k in &c.keys {
            by_key.entry(k).or_default().push(Subject::user(c.user.clone()));
        }
    }
    for (key, subjects) in by_key {
        commands.push(Command::Unassign {
            subjects,
            key: key.to_string(),
        });
    }
    (!commands.is_empty()).then_some(Command::Batch {
        commands,
        label: Some(format!(
            "Reclaim idle licenses ({})",
            crate::model::text::count(candidates.len(), "user", "users")
        )),
    })
}

/// Replays the first history with the suggestions applied to a copy of
/// the workspace (nothing changes).
pub fn replay_after(
    license: &License,
    ws: &Workspace,
    histories: &[Vec<Event>],
    candidates: &[Candidate],
) -> ReplayAfter {
    replay_after_with(license, ws, histories, candidates, &Progress::default()).unwrap_or_default()
}

/// `replay_after`, reporting the replays' progress (for a worker thread);
/// `None` when cancelled.
pub fn replay_after_with(
    license: &License,
    ws: &Workspace,
    histories: &[Vec<Event>],
    candidates: &[Candidate],
    progress: &Progress,
) -> Option<ReplayAfter> {
    let after = workspace_after(ws, candidates);
    let mut out = ReplayAfter::default();
    for events in histories {
        let r = replay_with(license, &after, events, None, progress)?;
        out.add(r.denials.len(), crate::analysis::replay::denied_logons(&r.denials), &r);
    }
    Some(out)
}

/// A copy of the workspace with the suggestions carried out.
pub fn workspace_after(ws: &Workspace, candidates: &[Candidate]) -> Workspace {
    let mut after = ws.clone();
    for c in candidates {
        if let Some(u) = after.user_mut(&c.user) {
            match c.suggest {
                Suggest::Concurrent => u.method = Method::Concurrent,
                Suggest::Remove => {
                    for k in &c.keys {
                        u.licenses.remove(k);
                    }
                }
            }
        }
    }
    after
}

impl ReplayAfter {
    /// Adds one file's replay on the changed workspace (its denials and the
    /// logons denied counted apart when it was read as it goes).
    pub fn add(&mut self, denials: usize, denied_logons: usize, r: &Replay) {
        self.denials += denials;
        self.denied_logons += denied_logons;
        for (k, v) in &r.peak {
            let slot = self.peak_concurrent_in_use.entry(k.clone()).or_insert(0);
            *slot = (*slot).max(*v);
        }
        for (k, v) in &r.peak_demand {
            let slot = self.pool_needed.entry(k.clone()).or_insert(0);
            *slot = (*slot).max(*v);
        }
    }
}
