//! File › Open Events…: an events file read and replayed on a worker
//! behind a progress window with Cancel, then played in the simulation.

use super::*;
use crate::ui::job::Poll;
use crate::ui::simulation::{DocStamp, Simulation};

/// What the progress window says while an events file is read.
const READING_EVENTS: &str = "Reading the events";

/// Why an events file could not be read (the core's reason; the path
/// where its own words lack it).
#[derive(Debug, thiserror::Error)]
pub(crate) enum EventsRefusal {
    #[error(transparent)]
    File(crate::core::error::FileError),
    #[error("{} is not UTF-8 text", .0.display())]
    NotUtf8(PathBuf),
    #[error(transparent)]
    Events(crate::core::replay::EventsError),
    #[error("the reading was stopped")]
    Cancelled,
}

fn events_refusal(path: &Path, e: crate::core::replay::ReadError) -> EventsRefusal {
    use crate::core::replay::ReadError;
    match e {
        ReadError::File(e) => EventsRefusal::File(e),
        ReadError::NotUtf8 => EventsRefusal::NotUtf8(path.to_path_buf()),
        ReadError::Events(e) => EventsRefusal::Events(e),
        ReadError::Cancelled => EventsRefusal::Cancelled,
    }
}

impl App {
    /// Loads an events script for the Simulation panel: a small file at
    /// once, a larger one on a worker (read, then replayed) behind a
    /// progress window with Cancel; the events loaded before stay until
    /// the new ones are ready.
    pub fn open_events(&mut self, path: &Path) {
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let size = crate::core::fs::size_of(path);
        if size > self.limits.event_bytes {
            self.events_job = None;
            let doc = self.session.doc();
            let (license, ws, stamp) = (doc.license().clone(), doc.snapshot(), DocStamp::of(doc));
            let (file, limits) = (path.to_path_buf(), self.limits.clone());
            let job = self.limits.spawn("open events", move |p| {
                let mut events = Vec::new();
                let read = crate::core::replay::read_file(
                    &file,
                    &mut |done, size| {
                        p.stage_begins(READING_EVENTS, size as usize);
                        p.advance(done as usize)
                    },
                    &mut events,
                );
                let stats = match read {
                    Err(crate::core::replay::ReadError::Cancelled) => return None,
                    Err(e) => return Some(Err(events_refusal(&file, e))),
                    Ok(stats) => stats,
                };
                let note = stats.note(&name);
                let mut sim = Simulation::replayed(name, events, &license, &ws, stamp, p)?;
                sim.limits = limits;
                Some(Ok((Box::new(sim), note)))
            });
            self.events_job = Some(EventsJob {
                path: path.to_path_buf(),
                job,
            });
            return;
        }
        // Read event by event into the list the simulation steps through
        // (not the file's text and then the list).
        match crate::core::replay::load_file(path) {
            Ok((events, stats)) => {
                let mut sim = Simulation::new(name.clone(), events);
                sim.limits = self.limits.clone();
                self.events_loaded(Box::new(sim), stats.note(&name));
            }
            Err(e) => self.events_refused(path, events_refusal(path, e)),
        }
    }

    /// An events script is ready: the Simulation panel plays it.
    pub(super) fn events_loaded(&mut self, sim: Box<Simulation>, note: Option<String>) {
        // Said when the file was out of time order (read whole and sorted).
        if let Some(note) = note {
            self.status_message = Some((true, note));
        }
        self.simulation = Some(*sim);
        self.nav = Nav::LicenseStatistics;
    }

    pub(super) fn events_refused(&mut self, path: &Path, why: EventsRefusal) {
        self.open_modal(Modal::Error(ErrorModal {
            title: "Events file refused".into(),
            message: format!(
                "{}\n\n{why}\n\nHelp › Events files describes the format.",
                path.display()
            ),
        }));
    }

    /// Puts an events file read on a worker in place, or says why not.
    pub(super) fn poll_events_job(&mut self) {
        let Some(open) = &mut self.events_job else { return };
        let answer = match open.job.poll() {
            Poll::Running => return,
            Poll::Done(answer) => Some(answer),
            Poll::Gone => None,
        };
        let Some(open) = self.events_job.take() else { return };
        match answer {
            Some(Ok((sim, note))) => self.events_loaded(sim, note),
            Some(Err(why)) => self.events_refused(&open.path, why),
            None => self.events_cancelled(&open.path),
        }
    }

    pub(super) fn events_cancelled(&mut self, path: &Path) {
        let kept = if self.simulation.is_some() {
            "the events loaded before are unchanged"
        } else {
            "no events are loaded"
        };
        self.status_message = Some((true, format!("Opening {} was cancelled; {kept}", path.display())));
    }

    /// Waits for an events file being read on a worker and puts it in
    /// place (tests; the window polls).
    pub fn wait_for_events(&mut self) {
        if let Some(open) = &mut self.events_job
            && let Some(answer) = open.job.wait()
        {
            let path = open.path.clone();
            self.events_job = None;
            match answer {
                Ok((sim, note)) => self.events_loaded(sim, note),
                Err(why) => self.events_refused(&path, why),
            }
        }
    }

    /// Is an events file being read (or replayed) on a worker?
    pub fn is_opening_events(&self) -> bool {
        self.events_job.is_some()
    }

    /// The progress window of an events file being opened, with Cancel.
    pub(super) fn events_dialog(&mut self, ctx: &egui::Context) {
        let Some(open) = &self.events_job else { return };
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
        let progress = &open.job.progress;
        let detail = match progress.stage() {
            READING_EVENTS => {
                let (done, size) = progress.counts();
                format!(
                    "{READING_EVENTS}: {:.1} of {:.1} MB",
                    done as f64 / 1e6,
                    size as f64 / 1e6
                )
            }
            "" => format!("{READING_EVENTS}…"),
            stage => format!("{stage}: {:.0} %", progress.fraction() * 100.0),
        };
        // Reading is the first half, the replay the second.
        let fraction = match progress.stage() {
            READING_EVENTS | "" => 0.5 * progress.fraction(),
            _ => 0.5 + 0.5 * progress.fraction(),
        };
        let cancel = widgets::progress_window(
            ctx,
            "opening-events",
            widgets::Progress {
                heading: widgets::file_heading("Opening", &open.path),
                detail,
                fraction,
                started: open.job.started,
                note: "the events loaded before stay until this finishes",
            },
        );
        if cancel && let Some(open) = self.events_job.take() {
            // Dropping the job stops the worker at its next check.
            drop(open.job);
            self.events_cancelled(&open.path);
        }
    }
}
