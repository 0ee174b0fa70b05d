//! The trainer's session simulation: an events script played on its own
//! clock (play / pause / step / speed). The replay itself is the core's;
//! this holds the clock and caches the replays.

use crate::core::dates;
use chrono::{DateTime, Utc};

use crate::core::document::Document;
use crate::core::replay::{self, Event, Replay};
use crate::core::usage::{self, DayUsage, PeriodUsage};

pub use crate::core::demo::SCENARIOS;

pub struct Simulation {
    pub name: String,
    /// Shared, so a worker (the confirmation's replay) can read them while
    /// the window goes on; the trainer's Force User Logouts copies them
    /// only if a worker still holds them.
    pub events: std::sync::Arc<Vec<Event>>,
    /// The simulation clock.
    pub now: DateTime<Utc>,
    pub playing: bool,
    /// Simulated minutes per real second.
    pub speed: f64,
    /// The replay up to `now`.
    pub current: Replay,
    /// The replay of every event (for charts and billing).
    pub full: Replay,
    current_for: Option<(DateTime<Utc>, u64, usize, u64)>,
    full_for: Option<(u64, usize, u64)>,
    /// Bumped when the trainer adds an event (Log off user), so the
    /// replays are made again.
    edits: u64,
    /// Bumped each time `current` is replayed again: what caches of
    /// figures worked out from it compare.
    replays: u64,
    /// The usage tally of `current`, worked out when first asked for after
    /// `current` changes (not every frame, and not while no one looks).
    usage: std::cell::OnceCell<(usage::UserCategories, Vec<DayUsage>, Vec<PeriodUsage>)>,
}

impl Simulation {
    pub fn new(name: String, events: Vec<Event>) -> Self {
        let first = events.first().map_or_else(Utc::now, |e| e.at);
        let start = dates::shift(first, dates::minutes(-1)).unwrap_or(first);
        Simulation {
            name,
            events: std::sync::Arc::new(events),
            now: start,
            playing: false,
            speed: 30.0,
            current: Replay::default(),
            full: Replay::default(),
            current_for: None,
            full_for: None,
            edits: 0,
            replays: 0,
            usage: std::cell::OnceCell::new(),
        }
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

    /// Brings the cached replays up to date with the document and the clock;
    /// returns true when the current replay changed.
    pub fn refresh(&mut self, doc: &Document) -> bool {
        let full_stamp = (
            doc.generation(),
            std::sync::Arc::as_ptr(doc.license()) as usize,
            self.edits,
        );
        if self.full_for != Some(full_stamp) {
            self.full = replay::replay(doc.license(), doc.workspace(), &self.events, None);
            self.full_for = Some(full_stamp);
            self.current_for = None;
        }
        let stamp = (self.now, full_stamp.0, full_stamp.1, full_stamp.2);
        if self.current_for == Some(stamp) {
            return false;
        }
        self.current = replay::replay(doc.license(), doc.workspace(), &self.events, Some(self.now));
        self.current_for = Some(stamp);
        self.replays += 1;
        self.usage = std::cell::OnceCell::new();
        true
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

    fn tallied(&self) -> &(usage::UserCategories, Vec<DayUsage>, Vec<PeriodUsage>) {
        self.usage.get_or_init(|| {
            let users = usage::UserCategories::of(&self.current.sessions, self.now.date_naive());
            let (days, periods) = usage::tally_users(&users);
            (users, days, periods)
        })
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
        });
        ui.horizontal(|ui| {
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
