//! Reclaim Licenses: users whose Assignable licenses went unused for 30, 60
//! or 90 days in the loaded history (a scenario or File › Open Events…),
//! what to do with each (remove, or move to Concurrent) and what the pools
//! would then do — the same replay with the change, its denials and the
//! pool size that would deny nobody. Each candidate has a box (all ticked
//! at first); Apply suggestions asks first (the plan of the ticked ones)
//! and is one command: one undo step, recorded in the change log.

use std::collections::HashSet;

use crate::core::catalog;
use crate::core::document::Document;
use crate::core::reclaim::{self, Candidate, ReplayAfter, Suggest};
use crate::core::workspace::fold;
use crate::ui::simulation::Simulation;
use crate::ui::widgets;

pub struct ReclaimView {
    pub idle_days: i64,
    found: Vec<Candidate>,
    after: Option<ReplayAfter>,
    built_for: Option<(u64, usize, i64)>,
    /// Candidates the user unticked (folded IDs): left alone by Apply.
    /// Everything else found is ticked, so a new candidate starts ticked.
    unticked: HashSet<String>,
    /// The unticked set the replay was last made for.
    replayed_for: Option<Vec<String>>,
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

    fn refresh(&mut self, doc: &Document, sim: &Simulation) {
        let stamp = (doc.engine().revision(), sim.events.len(), self.idle_days);
        let histories = std::slice::from_ref(&*sim.events);
        if self.built_for != Some(stamp) {
            let as_of = sim.events.last().map_or_else(chrono::Utc::now, |e| e.at);
            self.found = reclaim::candidates(doc.license(), doc.workspace(), histories, self.idle_days, as_of);
            // Who is no longer a candidate forgets being unticked.
            let found: HashSet<String> = self.found.iter().map(|c| fold(&c.user)).collect();
            self.unticked.retain(|u| found.contains(u));
            self.built_for = Some(stamp);
            self.replayed_for = None;
        }
        // The replay follows the boxes: what the pools would do with the
        // ticked suggestions only.
        let mut unticked: Vec<String> = self.unticked.iter().cloned().collect();
        unticked.sort_unstable();
        if self.replayed_for.as_ref() != Some(&unticked) {
            let chosen = self.chosen();
            self.after = Some(reclaim::replay_after(
                doc.license(),
                doc.workspace(),
                histories,
                &chosen,
            ));
            self.replayed_for = Some(unticked);
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
        let as_of = sim.events.last().map(|e| e.at.format("%Y-%m-%d %H:%M").to_string());
        ui.label(format!(
            "{} as of the last event ({}). Stations are never reclaimed: Basic Station cannot be concurrent.",
            crate::core::text::count(self.found.len(), "candidate", "candidates"),
            as_of.unwrap_or_default()
        ));
        let chosen = self.chosen();
        if !self.found.is_empty() {
            ui.label(format!(
                "{} of {} ticked: Apply suggestions changes only those.",
                crate::core::text::thousands(chosen.len()),
                crate::core::text::thousands(self.found.len())
            ));
        }
        if let Some(after) = &self.after
            && !chosen.is_empty()
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
            let command = reclaim::command(&chosen);
            if ui
                .add_enabled(!locked && command.is_some(), egui::Button::new("Apply suggestions"))
                .on_hover_text(
                    "For the ticked users: remove the licenses of those who never logged on, move the others \
                     to Concurrent. Shows who will lose or keep each license first; one step: Undo takes it all \
                     back",
                )
                .clicked()
                && let Some(c) = command
            {
                out.push(super::Action::Confirm(Box::new(c)));
            }
        });
        ui.separator();
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
                                ui.strong(h).on_hover_text(tip);
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
