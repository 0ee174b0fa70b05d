//! The trainer's session simulation: an events script played on its own
//! clock (play / pause / step / speed). The replay itself is the core's;
//! this holds the clock and caches the replays. A script of more events
//! than `Limits::events` is replayed on a worker (`ui::job`): the
//! figures on show stay those of the last replay until the new one is in,
//! and the controls say how far it has come.

use std::sync::Arc;

use crate::core::dates;
use chrono::{DateTime, Utc};

use crate::core::document::Document;
use crate::core::license::License;
use crate::core::replay::{self, Event, Replay};
use crate::core::usage::{self, DayUsage, PeriodUsage};
use crate::core::workspace::Workspace;
use crate::ui::job::{Job, Limits, Poll, Progress};

pub use crate::core::demo::SCENARIOS;

/// What the replay of every event was made for: the document's
/// generation, its license, and the trainer's edits of the script.
type FullStamp = (u64, usize, u64);

pub struct Simulation {
    pub name: String,
    /// Shared, so a worker (the confirmation's replay) can read them while
    /// the window goes on; the trainer's Force User Logouts copies them
    /// only if a worker still holds them.
    pub events: Arc<Vec<Event>>,
    /// The simulation clock.
    pub now: DateTime<Utc>,
    pub playing: bool,
    /// Simulated minutes per real second.
    pub speed: f64,
    /// The replay up to `now` (shared with `full` once the clock is at the
    /// end: the same replay).
    pub current: Arc<Replay>,
    /// The replay of every event (for charts and billing).
    pub full: Arc<Replay>,
    current_for: Option<(DateTime<Utc>, FullStamp)>,
    full_for: Option<FullStamp>,
    /// Bumped when the trainer adds an event (Log off user), so the
    /// replays are made again.
    edits: u64,
    /// Bumped each time `current` is replayed again: what caches of
    /// figures worked out from it compare.
    replays: u64,
    /// The usage tally of `current`, worked out when first asked for after
    /// `current` changes (not every frame, and not while no one looks).
    usage: std::cell::OnceCell<Tally>,
    /// Replays being made on a worker, and what for.
    job: Option<Replaying>,
    /// Scripts longer than `limits.events` are replayed on a worker (tests
    /// lower it).
    pub limits: Limits,
}

/// Replays under way on a worker.
struct Replaying {
    job: Job<Replayed>,
    full_for: FullStamp,
    now: DateTime<Utc>,
}

/// What a worker hands back: the replay of every event (when it was asked
/// for) and the one up to the clock, with its usage tally when made on a
/// worker (a tenth of a second at 100,000 sessions).
pub struct Replayed {
    full: Option<Arc<Replay>>,
    current: Arc<Replay>,
    tally: Option<Tally>,
}

/// Each user's billing categories, and the daily and period tallies.
type Tally = (usage::UserCategories, Vec<DayUsage>, Vec<PeriodUsage>);

/// The usage tally of a replay up to `now`.
fn tally(current: &Replay, now: DateTime<Utc>) -> Tally {
    let users = usage::UserCategories::of(&current.sessions, now.date_naive());
    let (days, periods) = usage::tally_users(&users);
    (users, days, periods)
}

impl Simulation {
    pub fn new(name: String, events: Vec<Event>) -> Self {
        let first = events.first().map_or_else(Utc::now, |e| e.at);
        let start = dates::shift(first, dates::minutes(-1)).unwrap_or(first);
        Simulation {
            name,
            events: Arc::new(events),
            now: start,
            playing: false,
            speed: 30.0,
            current: Arc::default(),
            full: Arc::default(),
            current_for: None,
            full_for: None,
            edits: 0,
            replays: 0,
            usage: std::cell::OnceCell::new(),
            job: None,
            limits: Limits::default(),
        }
    }

    /// A simulation whose replays are already made, on a worker (File ›
    /// Open Events… of a long script): `events` replayed against the
    /// document's license and workspace as they are in `stamp`.
    pub fn replayed(
        name: String,
        events: Vec<Event>,
        license: &License,
        ws: &Workspace,
        stamp: DocStamp,
        progress: &Progress,
    ) -> Option<Simulation> {
        let mut sim = Simulation::new(name, events);
        let full_for = (stamp.generation, stamp.license, sim.edits);
        let mut out = replays(license, ws, &sim.events, true, sim.now, progress)?;
        out.tally = Some(tally(&out.current, sim.now));
        sim.install(out, full_for, sim.now);
        Some(sim)
    }

    pub fn first(&self) -> Option<DateTime<Utc>> {
        self.events.first().map(|e| e.at)
    }

    pub fn last(&self) -> Option<DateTime<Utc>> {
        self.events.last().map(|e| e.at)
    }

    /// Events applied so far.
    pub fn position(&self) -> usize {
        self.events.partition_point(|e| e.at <= self.now)
    }

    /// Moves the clock to the next event.
    pub fn step(&mut self) {
        let pos = self.position();
        if let Some(e) = self.events.get(pos) {
            self.now = e.at;
        }
        self.playing = false;
    }

    pub fn reset(&mut self) {
        self.now = self
            .first()
            .map_or(self.now, |t| dates::shift(t, dates::minutes(-1)).unwrap_or(t));
        self.playing = false;
    }

    pub fn to_end(&mut self) {
        if let Some(t) = self.last() {
            self.now = t;
        }
        self.playing = false;
    }

    /// Advances a playing simulation by a frame of `dt` real seconds.
    pub fn tick(&mut self, dt: f32) {
        if !self.playing {
            return;
        }
        let step = dates::millis((f64::from(dt) * self.speed * 60_000.0) as i64);
        self.now = dates::shift(self.now, step).unwrap_or(self.now);
        if self.last().is_none_or(|l| self.now >= l) {
            self.to_end();
        }
    }

    /// Is the clock at or past the last event (the replay up to it is the
    /// replay of every event)?
    fn at_end(&self, now: DateTime<Utc>) -> bool {
        self.last().is_none_or(|l| now >= l)
    }

    /// Brings the cached replays up to date with the document and the clock;
    /// returns true when the current replay changed. A long script is
    /// replayed on a worker: this starts it, and returns true on the frame
    /// its replays come in.
    pub fn refresh(&mut self, doc: &Document) -> bool {
        let stamp = DocStamp::of(doc);
        let full_stamp = (stamp.generation, stamp.license, self.edits);
        let wanted = (self.now, full_stamp);
        if self.full_for == Some(full_stamp) && self.current_for == Some(wanted) {
            // Up to date: a replay still under way is for something older.
            self.job = None;
            return false;
        }
        // At the end of the script the replay up to the clock is the
        // replay of every event: nothing to replay (Statistics › To end).
        if self.full_for == Some(full_stamp) && self.at_end(self.now) {
            self.job = None;
            self.set_current(self.full.clone(), wanted);
            return true;
        }
        if self.events.len() <= self.limits.events {
            self.job = None;
            let need_full = self.full_for != Some(full_stamp);
            let out = replays(
                doc.license(),
                doc.workspace(),
                &self.events,
                need_full,
                self.now,
                &Progress::default(),
            );
            if let Some(out) = out {
                self.install(out, full_stamp, self.now);
            }
            return true;
        }
        if let Some(r) = &mut self.job {
            // A replay for another document (or script) is of no use; one
            // for an earlier clock is let finish (while playing, the clock
            // moves every frame: the figures follow a replay behind).
            if r.full_for == full_stamp {
                match r.job.poll() {
                    Poll::Running => return false,
                    Poll::Done(out) => {
                        let (for_full, now) = (r.full_for, r.now);
                        self.job = None;
                        self.install(out, for_full, now);
                        return true;
                    }
                    Poll::Gone => {}
                }
            }
            self.job = None;
        }
        let need_full = self.full_for != Some(full_stamp);
        let (license, ws, events, now) = (doc.license().clone(), doc.snapshot(), self.events.clone(), self.now);
        self.job = Some(Replaying {
            job: self.limits.spawn("replay", move |p| {
                let mut out = replays(&license, &ws, &events, need_full, now, p)?;
                out.tally = Some(tally(&out.current, now));
                Some(out)
            }),
            full_for: full_stamp,
            now,
        });
        false
    }

    /// Is a replay under way on a worker? Its progress (0 to 1) if so.
    pub fn replaying(&self) -> Option<f32> {
        self.job.as_ref().map(|r| r.job.progress.fraction())
    }

    /// Waits for a replay under way and puts it in place (tests).
    pub fn wait_for_replay(&mut self) {
        if let Some(mut r) = self.job.take()
            && let Some(out) = r.job.wait()
        {
            self.install(out, r.full_for, r.now);
        }
    }

    fn install(&mut self, out: Replayed, full_for: FullStamp, now: DateTime<Utc>) {
        if let Some(full) = out.full {
            drop_elsewhere(std::mem::replace(&mut self.full, full));
            self.full_for = Some(full_for);
        }
        self.set_current(out.current, (now, full_for));
        if let Some(tally) = out.tally {
            self.usage = std::cell::OnceCell::from(tally);
        }
    }

    fn set_current(&mut self, current: Arc<Replay>, made_for: (DateTime<Utc>, FullStamp)) {
        drop_elsewhere(std::mem::replace(&mut self.current, current));
        self.current_for = Some(made_for);
        self.replays += 1;
        self.usage = std::cell::OnceCell::new();
    }

    /// Which replay `current` is (changes whenever it is made again).
    pub fn replay_generation(&self) -> u64 {
        self.replays
    }

    /// The supervisor's Force User Logouts at the clock's time: a
    /// `forced-logoff` event after every event up to now, so the user's
    /// licenses return to the pool and the next logon may take them.
    pub fn force_logoff(&mut self, user: &str) {
        let at = self.position();
        std::sync::Arc::make_mut(&mut self.events).insert(
            at,
            Event {
                at: self.now,
                event: replay::EventKind::ForcedLogoff,
                user: user.to_string(),
                station: None,
                application: None,
                phone: None,
            },
        );
        self.edits += 1;
    }

    /// The daily and period tallies of the replay up to the clock (a day
    /// still open ends at the clock's date).
    pub fn usage(&self) -> (&[DayUsage], &[PeriodUsage]) {
        let (_, days, periods) = self.tallied();
        (days, periods)
    }

    /// Each user's billing categories per day and period, up to the clock.
    pub fn user_categories(&self) -> &usage::UserCategories {
        &self.tallied().0
    }

    fn tallied(&self) -> &Tally {
        // Made with a replay on a worker; else (a short script, or a clock
        // moved since) here.
        let now = self.current_for.map_or(self.now, |(at, _)| at);
        self.usage.get_or_init(|| tally(&self.current, now))
    }

    /// Where the clock stands in the events, when that is not plain from
    /// its time: before the first (nothing replayed; the time is a minute
    /// before it, which may be the last day of a month) or at the last.
    fn where_words(&self) -> String {
        let fmt = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M").to_string();
        match (self.first(), self.position()) {
            (Some(first), 0) => format!(" (before the first event, {})", fmt(first)),
            (Some(_), n) if n == self.events.len() => " (at the last event)".to_string(),
            _ => String::new(),
        }
    }

    /// The play / pause / step / speed controls and the clock.
    pub fn controls(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!("Simulation: {}", self.name));
            ui.label(format!(
                "Clock {}{}",
                self.now.format("%Y-%m-%d %H:%M"),
                self.where_words()
            ));
            ui.label(format!(
                "{} of {} events",
                crate::core::text::thousands(self.position()),
                crate::core::text::thousands(self.events.len())
            ));
            if let Some(done) = self.replaying() {
                ui.weak(format!(
                    "Replaying the events: {:.0} %; the figures below are the last replay's until it is done",
                    done * 100.0
                ));
            }
        });
        // Wrapped: at 150 % in a small window the speed went past the edge.
        ui.horizontal_wrapped(|ui| {
            if self.playing {
                if ui.button("Pause").clicked() {
                    self.playing = false;
                }
            } else if ui.button("Play").clicked() {
                self.playing = true;
            }
            if ui.button("Step").on_hover_text("Go to the next event").clicked() {
                self.step();
            }
            if ui.button("Reset").clicked() {
                self.reset();
            }
            if ui.button("To end").clicked() {
                self.to_end();
            }
            let label = ui.label("Speed (minutes per second):");
            ui.add(egui::Slider::new(&mut self.speed, 1.0..=600.0).logarithmic(true))
                .labelled_by(label.id);
        });
    }
}

/// What a document's replay depends on: its generation and license.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocStamp {
    generation: u64,
    license: usize,
}

impl DocStamp {
    pub fn of(doc: &Document) -> DocStamp {
        DocStamp {
            generation: doc.generation(),
            license: Arc::as_ptr(doc.license()) as usize,
        }
    }
}

/// The replays of a script: every event (when `full`), and up to `now`
/// (the same replay when `now` is past the last event). `None` when
/// cancelled.
fn replays(
    license: &License,
    ws: &Workspace,
    events: &[Event],
    full: bool,
    now: DateTime<Utc>,
    progress: &Progress,
) -> Option<Replayed> {
    let full = match full {
        true => Some(Arc::new(replay::replay_with(license, ws, events, None, progress)?)),
        false => None,
    };
    let at_end = events.last().is_none_or(|l| now >= l.at);
    let current = match &full {
        Some(full) if at_end => full.clone(),
        _ => Arc::new(replay::replay_with(license, ws, events, Some(now), progress)?),
    };
    Some(Replayed {
        full,
        current,
        tally: None,
    })
}

/// Frees a replay no longer shown: a long one (a session and a counter
/// step per event, tens of milliseconds to free at 200,000 events) on a
/// thread of its own, not in the middle of a frame.
fn drop_elsewhere(old: Arc<Replay>) {
    const LARGE: usize = 20_000;
    if Arc::strong_count(&old) > 1 || old.counters.len() + old.sessions.len() < LARGE {
        return drop(old);
    }
    // If no thread can be made, the closure (and the replay) is freed here.
    let spawned = std::thread::Builder::new()
        .name("free old replay".into())
        .spawn(move || drop(old));
    drop(spawned);
}
