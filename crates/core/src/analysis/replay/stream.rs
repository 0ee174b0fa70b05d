//! Replaying an events file as it is read: memory follows the users logged
//! on and what the caller keeps, not the file.

use chrono::{DateTime, Utc};
use std::path::Path;

use super::{Event, EventSink, ReadError, ReadStats, Replay, Replayer, read_file_piped};
use crate::model::license::License;
use crate::model::workspace::Workspace;

/// What a streaming replay's caller keeps of each event's outcome.
pub trait Take {
    /// `pending` holds what the last event added: closed sessions, denials,
    /// pool and demand points, ignored events. Take what is needed; what is
    /// left stays (and ends up in the replay `replay_file` returns).
    fn take(&mut self, pending: &mut Replay);
    /// The file is replayed again from its first event (it was not in time
    /// order): forget what was taken.
    fn restart(&mut self) {}
}

/// Keeps the totals, denials and ignored events; drops sessions and level
/// changes as they come (what `check` and `recommend` read).
pub struct Totals;

impl Take for Totals {
    fn take(&mut self, pending: &mut Replay) {
        pending.sessions.clear();
        pending.session_logons.clear();
        pending.pool_points.clear();
        pending.demand_points.clear();
    }
}

struct Sink<'a, 't> {
    license: &'a License,
    ws: &'a Workspace,
    until: Option<DateTime<Utc>>,
    replayer: Replayer<'a>,
    taker: &'t mut dyn Take,
}

impl EventSink for Sink<'_, '_> {
    fn event(&mut self, e: Event) {
        // Later events are still read (a problem anywhere refuses the
        // file, as before), not replayed.
        if self.until.is_some_and(|u| e.at > u) {
            return;
        }
        self.replayer.apply(&e);
        self.taker.take(self.replayer.pending());
    }

    fn restart(&mut self) {
        self.replayer = Replayer::streaming(self.license, self.ws);
        self.taker.restart();
    }
}

/// Replays the events file at `path` from nobody logged on as it is read
/// (`read_file_piped`: parsed on a thread of its own while this one
/// replays), up to `until` when given; `taker` is handed what each
/// event adds. The replay returned has the totals (peaks, full days, the
/// holders at the end), whatever the taker left, and the sessions still
/// open at the end (`end` empty).
pub fn replay_file(
    license: &License,
    ws: &Workspace,
    path: &Path,
    until: Option<DateTime<Utc>>,
    progress: &mut (dyn FnMut(u64, u64) -> bool + Send),
    taker: &mut dyn Take,
) -> Result<(Replay, ReadStats), ReadError> {
    let mut sink = Sink {
        license,
        ws,
        until,
        replayer: Replayer::streaming(license, ws),
        taker,
    };
    let stats = read_file_piped(path, progress, &mut sink)?;
    Ok((sink.replayer.finish(), stats))
}

/// `replay_file` over events already read, in time order (a file that was
/// not, read whole and sorted).
pub fn replay_taking(
    license: &License,
    ws: &Workspace,
    events: impl IntoIterator<Item = Event>,
    taker: &mut dyn Take,
) -> Replay {
    let mut replayer = Replayer::streaming(license, ws);
    for e in events {
        replayer.apply(&e);
        taker.take(replayer.pending());
    }
    replayer.finish()
}
