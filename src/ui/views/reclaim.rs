//! Reclaim Licenses: users whose Assignable licenses went unused for 30, 60
//! or 90 days in the loaded history (a scenario or File › Open Events…),
//! what to do with each (remove, or move to Concurrent) and what the pools
//! would then do — the same replay with the change, its denials and the
//! pool size that would deny nobody. Each candidate has a box (all ticked
//! at first); Apply suggestions asks first (the plan of the ticked ones)
//! and is one command: one undo step, recorded in the change log.

use std::collections::HashSet;
use std::sync::Arc;

use crate::core::catalog;
use crate::core::document::Document;
use crate::core::reclaim::{self, Candidate, ReplayAfter, Suggest};
use crate::core::workspace::fold;
use crate::ui::job::{Job, Poll};
use crate::ui::simulation::Simulation;
use crate::ui::widgets;

/// What the candidates were worked out for: the document (its generation
/// and license), the events (their list and length) and the idle days.
/// Not the engine's revision: it moves with every slice of a large change
/// being applied, and with a dry run's plan.
type Stamp = (u64, usize, usize, usize, i64);

pub struct ReclaimView {
    pub idle_days: i64,
    found: Vec<Candidate>,
    after: Option<ReplayAfter>,
    built_for: Option<Stamp>,
    /// Candidates the user unticked (folded IDs): left alone by Apply.
    /// Everything else found is ticked, so a new candidate starts ticked.
    /// Always a subset of those found.
    unticked: HashSet<String>,
    /// The unticked set the replay was last made for.
    replayed_for: Option<Vec<String>>,
    /// The candidates (and the replay with them) being worked out on a
    /// worker, for a long history: a progress window with Cancel.
    finding: Option<(Job<Found>, Stamp)>,
    /// The replay with the ticked suggestions on a worker, for these boxes.
    replaying: Option<(Job<ReplayAfter>, Vec<String>)>,
    /// Working out the candidates for this was cancelled: not started
    /// again until the user asks (or something changes).
    stopped: Option<Stamp>,
}

/// What a worker works out: the candidates, and the replay with the
/// ticked ones (those not in `unticked`) carried out.
struct Found {
    found: Vec<Candidate>,
    after: ReplayAfter,
    unticked: Vec<String>,
}

impl Default for ReclaimView {
    fn default() -> Self {
        ReclaimView {
            idle_days: 60,
            found: Vec::new(),
            after: None,
            built_for: None,
            unticked: HashSet::new(),
            replayed_for: None,
            finding: None,
            replaying: None,
            stopped: None,
        }
    }
}

impl super::View for ReclaimView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        self.draw(ui, cx.doc, cx.simulation.as_deref(), cx.locked, out);
    }
}

impl ReclaimView {
    pub fn candidates(&self) -> &[Candidate] {
        &self.found
    }

    fn is_chosen(&self, c: &Candidate) -> bool {
        !self.unticked.contains(&fold(&c.user))
    }

    /// The ticked candidates: what Apply suggestions changes.
    pub fn chosen(&self) -> Vec<Candidate> {
        self.found.iter().filter(|c| self.is_chosen(c)).cloned().collect()
    }

    /// How many are ticked (the unticked are among those found).
    fn chosen_count(&self) -> usize {
        self.found.len() - self.unticked.len()
    }

    /// Are the candidates being worked out on a worker?
    pub fn is_working(&self) -> bool {
        self.finding.is_some() || self.replaying.is_some()
    }

    /// Waits for the workers and puts what they found in place (tests).
    pub fn wait(&mut self) {
        if let Some((mut job, stamp)) = self.finding.take()
            && let Some(found) = job.wait()
        {
            self.found_in(found, stamp);
        }
        if let Some((mut job, boxes)) = self.replaying.take()
            && let Some(after) = job.wait()
        {
            self.after = Some(after);
            self.replayed_for = Some(boxes);
        }
    }

    fn unticked_sorted(&self) -> Vec<String> {
        let mut unticked: Vec<String> = self.unticked.iter().cloned().collect();
        unticked.sort_unstable();
        unticked
    }

    fn found_in(&mut self, found: Found, stamp: Stamp) {
        self.found = found.found;
        // Who is no longer a candidate forgets being unticked.
        let ids: HashSet<String> = self.found.iter().map(|c| fold(&c.user)).collect();
        self.unticked.retain(|u| ids.contains(u));
        self.built_for = Some(stamp);
        let mut replayed: Vec<String> = found.unticked.into_iter().filter(|u| ids.contains(u)).collect();
        replayed.sort_unstable();
        self.after = Some(found.after);
        self.replayed_for = Some(replayed);
    }

    /// Brings the candidates and the replay up to date with the document,
    /// the history and the boxes: at once for a short history, on a worker
    /// for a long one (each replays the history: about a second at 200,000
    /// events over 100,000 users).
    fn refresh(&mut self, doc: &Document, sim: &Simulation) {
        let events = &sim.events;
        let stamp = (
            doc.generation(),
            Arc::as_ptr(doc.license()) as usize,
            Arc::as_ptr(events) as usize,
            events.len(),
            self.idle_days,
        );
        let as_of = events.last().map_or_else(chrono::Utc::now, |e| e.at);
        let at_once = events.len() <= sim.limits.events;
        if self.built_for != Some(stamp) {
            self.replaying = None;
            if at_once {
                self.finding = None;
                let histories = std::slice::from_ref(&**events);
                let found = reclaim::candidates(doc.license(), doc.workspace(), histories, self.idle_days, as_of);
                self.found_in(
                    Found {
                        found,
                        after: ReplayAfter::default(),
                        unticked: Vec::new(),
                    },
                    stamp,
                );
                // The replay follows below, for the boxes as they are now.
                self.after = None;
                self.replayed_for = None;
            } else {
                self.find_on_worker(doc, sim, stamp, as_of);
                return;
            }
        }
        // The replay follows the boxes: what the pools would do with the
        // ticked suggestions only.
        let unticked = self.unticked_sorted();
        if self.replayed_for.as_ref() == Some(&unticked) {
            self.replaying = None;
            return;
        }
        if at_once {
            let histories = std::slice::from_ref(&**events);
            let chosen = self.chosen();
            self.after = Some(reclaim::replay_after(
                doc.license(),
                doc.workspace(),
                histories,
                &chosen,
            ));
            self.replayed_for = Some(unticked);
            return;
        }
        if let Some((job, boxes)) = &mut self.replaying {
            if *boxes == unticked {
                match job.poll() {
                    Poll::Running => return,
                    Poll::Done(after) => {
                        self.after = Some(after);
                        self.replayed_for = Some(unticked);
                        self.replaying = None;
                        return;
                    }
                    Poll::Gone => {}
                }
            }
            self.replaying = None;
        }
        let (license, ws, events, chosen) = (doc.license().clone(), doc.snapshot(), events.clone(), self.chosen());
        let job = sim.limits.spawn("reclaim replay", move |p| {
            reclaim::replay_after_with(&license, &ws, std::slice::from_ref(&*events), &chosen, p)
        });
        self.replaying = Some((job, unticked));
    }

    /// The candidates for `stamp` on a worker: started, polled, or left
    /// stopped after a Cancel.
    fn find_on_worker(&mut self, doc: &Document, sim: &Simulation, stamp: Stamp, as_of: chrono::DateTime<chrono::Utc>) {
        if let Some((job, for_stamp)) = &mut self.finding {
            if *for_stamp == stamp {
                match job.poll() {
                    Poll::Running => return,
                    Poll::Done(found) => {
                        self.finding = None;
                        self.found_in(found, stamp);
                        return;
                    }
                    Poll::Gone => {
                        self.finding = None;
                        self.stopped = Some(stamp);
                        return;
                    }
                }
            }
            self.finding = None;
        }
        if self.stopped == Some(stamp) {
            return;
        }
        self.stopped = None;
        let (license, ws, events) = (doc.license().clone(), doc.snapshot(), sim.events.clone());
        let (idle_days, unticked) = (self.idle_days, self.unticked.clone());
        let job = sim.limits.spawn("reclaim candidates", move |p| {
            let histories = std::slice::from_ref(&*events);
            let found = reclaim::candidates_with(&license, &ws, histories, idle_days, as_of, p)?;
            let chosen: Vec<Candidate> = found
                .iter()
                .filter(|c| !unticked.contains(&fold(&c.user)))
                .cloned()
                .collect();
            let after = reclaim::replay_after_with(&license, &ws, histories, &chosen, p)?;
            Some(Found {
                found,
                after,
                unticked: unticked.into_iter().collect(),
            })
        });
        self.finding = Some((job, stamp));
    }

    /// The progress window while the candidates are worked out; Cancel
    /// stops the worker (nothing changes: this only looks).
    fn finding_window(&mut self, ui: &egui::Ui, name: &str) {
        let Some((job, stamp)) = &self.finding else { return };
        ui.ctx().request_repaint_after(std::time::Duration::from_millis(50));
        let p = &job.progress;
        let stage = match p.stage() {
            "" => "Starting",
            s => s,
        };
        let cancel = widgets::progress_window(
            ui.ctx(),
            "reclaim-candidates",
            widgets::Progress {
                heading: format!("Reclaim Licenses: finding idle licenses in {name}"),
                detail: format!("{stage}: {:.0} %", p.fraction() * 100.0),
                fraction: p.fraction(),
                started: job.started,
                note: "nothing is changed: this only looks at the history",
            },
        );
        if cancel {
            self.stopped = Some(*stamp);
            // Dropping the job stops the worker at its next check.
            self.finding = None;
        }
    }

    pub fn draw(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        sim: Option<&Simulation>,
        locked: bool,
        out: &mut Vec<super::Action>,
    ) {
        ui.heading("Reclaim Licenses");
        ui.label("Assignable user licenses that nobody used for a while, from the loaded logon history.");
        ui.separator();
        let Some(sim) = sim else {
            ui.label(
                "No session history is loaded. Load an events file (File › Open Events…) or a built-in scenario \
                 (File › Scenarios › Idle Tracker licenses).",
            );
            return;
        };
        ui.horizontal(|ui| {
            ui.label("Idle for at least:");
            for days in [30, 60, 90] {
                ui.radio_value(&mut self.idle_days, days, format!("{days} days"));
            }
        });
        self.refresh(doc, sim);
        self.finding_window(ui, &sim.name);
        if self.finding.is_some() || self.built_for.is_none() {
            if self.finding.is_none() {
                // Cancelled before any candidates were found.
                ui.label("Finding the idle licenses was cancelled; nothing was changed.");
                if ui.button("Find idle licenses").clicked() {
                    self.stopped = None;
                }
            }
            return;
        }
        let stale = self.stopped.is_some();
        let as_of = sim.events.last().map(|e| e.at.format("%Y-%m-%d %H:%M").to_string());
        ui.label(format!(
            "{} as of the last event ({}). Stations are never reclaimed: Basic Station cannot be concurrent.",
            crate::core::text::count(self.found.len(), "candidate", "candidates"),
            as_of.unwrap_or_default()
        ));
        if stale {
            // The list is of an earlier workspace or history.
            ui.colored_label(
                widgets::warning_amber(ui),
                "Finding the idle licenses again was cancelled: this list is from before the latest changes.",
            );
            if ui.button("Find idle licenses").clicked() {
                self.stopped = None;
            }
        }
        let chosen = self.chosen_count();
        if !self.found.is_empty() {
            ui.label(format!(
                "{} of {} ticked: Apply suggestions changes only those.",
                crate::core::text::thousands(chosen),
                crate::core::text::thousands(self.found.len())
            ));
        }
        if let Some((job, _)) = &self.replaying {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(50));
            ui.weak(format!(
                "Replaying the history with the ticked suggestions: {:.0} %",
                job.progress.fraction() * 100.0
            ));
        } else if let Some(after) = &self.after
            && chosen > 0
        {
            // Logons, counted as the confirmation counts them.
            let colour = if after.denied_logons == 0 {
                ui.visuals().text_color()
            } else {
                widgets::warning_amber(ui)
            };
            ui.colored_label(
                colour,
                format!(
                    "Replayed with these changes: {}.",
                    crate::core::text::count(after.denied_logons, "logon would be denied", "logons would be denied")
                ),
            );
            for (key, need) in &after.pool_needed {
                let pool = doc.license().allowance(key).map_or(0, |a| a.pooled);
                if *need > pool {
                    ui.label(format!(
                        "{}: the pool of {} would need {} to deny nobody.",
                        catalog::label(key),
                        crate::core::text::thousands(pool as usize),
                        crate::core::text::thousands(*need as usize)
                    ));
                }
            }
        }
        ui.horizontal(|ui| {
            // The command is made when clicked (not every frame: it names
            // every ticked user).
            if crate::ui::widgets::edit_button(
                ui,
                !locked && !stale && chosen > 0,
                egui::Button::new("Apply suggestions"),
            )
            .on_hover_text(
                "For the ticked users: remove the licenses of those who never logged on, move the others \
                     to Concurrent. Shows who will lose or keep each license first; one step: Undo takes it all \
                     back",
            )
            .clicked()
                && let Some(c) = reclaim::command_of(self.found.iter().filter(|c| self.is_chosen(c)))
            {
                out.push(super::Action::Confirm(Box::new(c)));
            }
        });
        ui.separator();
        self.candidates_grid(ui);
    }

    /// The candidates, a checkbox each (the header's ticks or unticks them
    /// all), in rows laid out only as far as they show.
    fn candidates_grid(&mut self, ui: &mut egui::Ui) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
        egui::ScrollArea::both()
            .id_salt("reclaim-rows")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, self.found.len() + 1, |ui, range| {
                egui::Grid::new("reclaim-grid").striped(true).show(ui, |ui| {
                    for r in range {
                        if r == 0 {
                            // The header's box ticks or unticks every candidate.
                            let mut all = self.unticked.is_empty();
                            if ui
                                .checkbox(&mut all, "User")
                                .on_hover_text("The user holding Assignable licenses; tick or untick every candidate")
                                .changed()
                            {
                                if all {
                                    self.unticked.clear();
                                } else {
                                    self.unticked = self.found.iter().map(|c| fold(&c.user)).collect();
                                }
                            }
                            for (h, tip) in [
                                ("Licenses", "What would be freed"),
                                ("Last session", "The end of the user's last session in the history"),
                                (
                                    "Suggestion",
                                    "Remove, or take licenses from the pool at logon (Concurrent)",
                                ),
                                ("Why", "How the suggestion was made"),
                            ] {
                                crate::ui::widgets::column_header(ui, h).on_hover_text(tip);
                            }
                            ui.end_row();
                            continue;
                        }
                        let c = &self.found[r - 1];
                        let mut on = !self.unticked.contains(&fold(&c.user));
                        if ui
                            .checkbox(&mut on, c.user.as_str())
                            .on_hover_text("Ticked: Apply suggestions changes this user")
                            .changed()
                        {
                            if on {
                                self.unticked.remove(&fold(&c.user));
                            } else {
                                self.unticked.insert(fold(&c.user));
                            }
                        }
                        ui.label(c.keys.iter().map(|k| catalog::label(k)).collect::<Vec<_>>().join(", "));
                        ui.label(
                            c.last_session
                                .map_or("never".into(), |t| t.format("%Y-%m-%d").to_string()),
                        );
                        ui.label(match c.suggest {
                            Suggest::Remove => "Remove",
                            Suggest::Concurrent => "Concurrent",
                        });
                        ui.label(&c.reason);
                        ui.end_row();
                    }
                });
            });
    }
}
