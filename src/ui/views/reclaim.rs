//! Reclaim Licenses: users whose Assignable licenses went unused for 30, 60
//! or 90 days in the loaded history (a scenario or File › Open Events…),
//! what to do with each (remove, or move to Concurrent) and what the pools
//! would then do — the same replay with the change, its denials and the
//! pool size that would deny nobody. Apply is one command: one undo step,
//! recorded in the change log.

use crate::core::catalog;
use crate::core::document::Document;
use crate::core::reclaim::{self, Candidate, ReplayAfter, Suggest};
use crate::ui::simulation::Simulation;
use crate::ui::widgets;

pub struct ReclaimView {
    pub idle_days: i64,
    found: Vec<Candidate>,
    after: Option<ReplayAfter>,
    built_for: Option<(u64, usize, i64)>,
}

impl Default for ReclaimView {
    fn default() -> Self {
        ReclaimView {
            idle_days: 60,
            found: Vec::new(),
            after: None,
            built_for: None,
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

    fn refresh(&mut self, doc: &Document, sim: &Simulation) {
        let stamp = (doc.engine().revision(), sim.events.len(), self.idle_days);
        if self.built_for == Some(stamp) {
            return;
        }
        let histories = vec![sim.events.clone()];
        let as_of = sim.events.last().map_or_else(chrono::Utc::now, |e| e.at);
        self.found = reclaim::candidates(doc.license(), doc.workspace(), &histories, self.idle_days, as_of);
        self.after = Some(reclaim::replay_after(
            doc.license(),
            doc.workspace(),
            &histories,
            &self.found,
        ));
        self.built_for = Some(stamp);
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
        if let Some(after) = &self.after
            && !self.found.is_empty()
        {
            let colour = if after.denials == 0 {
                ui.visuals().text_color()
            } else {
                widgets::warning_amber(ui)
            };
            ui.colored_label(
                colour,
                format!(
                    "Replayed with these changes: {}.",
                    crate::core::text::count(after.denials, "logon would be denied", "logons would be denied")
                ),
            );
            for (key, need) in &after.pool_needed {
                let pool = doc.license().allowance(key).map_or(0, |a| a.pooled);
                if *need > pool {
                    ui.label(format!(
                        "{}: the pool of {pool} would need {need} to deny nobody.",
                        catalog::label(key)
                    ));
                }
            }
        }
        ui.horizontal(|ui| {
            let command = reclaim::command(&self.found);
            if ui
                .add_enabled(!locked && command.is_some(), egui::Button::new("Apply suggestions"))
                .on_hover_text("Remove the licenses of users who never logged on; move the others to Concurrent")
                .clicked()
                && let Some(c) = command
            {
                out.push(super::Action::Command(Box::new(c)));
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
                            for (h, tip) in [
                                ("User", "The user holding Assignable licenses"),
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
                        ui.label(&c.user);
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
