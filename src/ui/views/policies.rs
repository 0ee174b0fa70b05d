//! Policies: the workspace's license rules (who should hold what), how many
//! users and stations each matches, what applying them would change (the
//! preview, with refusals per key and conflicts), and Apply — one command,
//! one undo step, each change in the change log (docs/policies.md).

use std::collections::BTreeMap;

use crate::core::catalog;
use crate::core::document::{Document, Outcome};
use crate::core::policy::{self, Plan};
use crate::ui::widgets;

#[derive(Default)]
pub struct PoliciesView {
    plan: Plan,
    /// Refusals of a dry run of the plan's command: why → how many.
    refused: BTreeMap<String, usize>,
    built_for: Option<u64>,
}

impl super::View for PoliciesView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        self.draw(ui, cx.doc, cx.locked, out);
    }
}

impl PoliciesView {
    fn refresh(&mut self, doc: &Document) {
        let rev = doc.engine().revision();
        if self.built_for == Some(rev) {
            return;
        }
        self.plan = policy::plan(doc.workspace());
        self.refused.clear();
        if let Some(command) = policy::command(&self.plan) {
            // A dry run on a copy: the preview's refusals, per reason.
            let mut scratch = doc.clone();
            let outcomes = match scratch.preview(&command) {
                Ok(a) => a.outcomes,
                Err(r) => r.outcomes,
            };
            for o in outcomes {
                if let Outcome::Refused { reason, .. } = o.outcome {
                    *self.refused.entry(reason).or_default() += 1;
                }
            }
        }
        self.built_for = Some(rev);
    }

    pub fn draw(&mut self, ui: &mut egui::Ui, doc: &Document, locked: bool, out: &mut Vec<super::Action>) {
        ui.heading("Policies");
        ui.label("Rules that say who should hold which licenses, by role, workgroup, station type or ID pattern.");
        ui.separator();
        let policies = &doc.workspace().policies;
        if policies.is_empty() {
            ui.label(
                "This workspace has no policies. Add a `policies` section to the workspace file \
                 (docs/policies.md has examples for a contact center).",
            );
            return;
        }
        self.refresh(doc);
        egui::Grid::new("policies-grid").striped(true).show(ui, |ui| {
            for (h, tip) in [
                ("Policy", "The rule's name"),
                ("Matches", "Who the rule is for (all criteria must hold)"),
                ("Grants", "What the rule says they should hold"),
                ("Users", "Users the rule matches now"),
                ("Stations", "Stations the rule matches now"),
            ] {
                ui.strong(h).on_hover_text(tip);
            }
            ui.end_row();
            for p in policies {
                ui.label(if p.exclusive {
                    format!("{} (exclusive)", p.name)
                } else {
                    p.name.clone()
                });
                let m = &p.matches;
                let mut what = Vec::new();
                if let Some(r) = &m.role {
                    what.push(format!("role {r}"));
                }
                if let Some(w) = &m.workgroup {
                    what.push(format!("workgroup {w}"));
                }
                if let Some(t) = m.station_type {
                    what.push(format!("{} stations", t.label()));
                }
                if let Some(pat) = &m.id_pattern {
                    what.push(format!("ID {pat}"));
                }
                ui.label(if what.is_empty() {
                    "everyone".to_string()
                } else {
                    what.join(" and ")
                });
                let mut grants: Vec<String> = p.grant.licenses.iter().map(|k| catalog::label(k).to_string()).collect();
                if let Some(m) = p.grant.method {
                    grants.push(m.label().to_string());
                }
                if let Some(acd) = &p.grant.acd {
                    grants.push(match acd.level {
                        Some(l) => format!("ACD {}", l.label()),
                        None => "ACD (level of the workgroups)".to_string(),
                    });
                }
                ui.label(grants.join(", "));
                let (users, stations) = self.plan.matched.get(&p.name).copied().unwrap_or_default();
                ui.label(crate::core::text::thousands(users));
                ui.label(crate::core::text::thousands(stations));
                ui.end_row();
            }
        });
        ui.separator();
        let changes = self.plan.changes.len();
        ui.label(format!(
            "{} would change, {} already as the policies say, {} in conflict.",
            crate::core::text::count(changes, "subject", "subjects"),
            crate::core::text::thousands(self.plan.unchanged),
            crate::core::text::thousands(self.plan.conflicts.len())
        ));
        for (why, n) in &self.refused {
            ui.colored_label(widgets::warning_amber(ui), format!("{n} refused: {why}"));
        }
        for c in self.plan.conflicts.iter().take(10) {
            ui.colored_label(widgets::warning_amber(ui), format!("{}: {}", c.subject, c.message));
        }
        ui.horizontal(|ui| {
            let command = policy::command(&self.plan);
            if ui
                .add_enabled(!locked && command.is_some(), egui::Button::new("Apply policies"))
                .on_hover_text("One step: Undo takes it all back")
                .clicked()
                && let Some(c) = command
            {
                out.push(super::Action::Command(Box::new(c)));
            }
        });
        ui.add_space(6.0);
        ui.strong("What would change");
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::ScrollArea::vertical()
            .id_salt("policy-changes")
            .auto_shrink([false, false])
            .show_rows(ui, row_height, changes, |ui, range| {
                for c in &self.plan.changes[range] {
                    let mut parts = Vec::new();
                    if !c.add.is_empty() {
                        parts.push(format!(
                            "gets {}",
                            c.add.iter().map(|k| catalog::label(k)).collect::<Vec<_>>().join(", ")
                        ));
                    }
                    if let Some((l, _)) = &c.acd {
                        parts.push(format!("ACD {}", l.label()));
                    }
                    if let Some(m) = c.method {
                        parts.push(m.label().to_string());
                    }
                    if !c.remove.is_empty() {
                        parts.push(format!(
                            "loses {}",
                            c.remove
                                .iter()
                                .map(|k| catalog::label(k))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                    ui.label(format!("{}: {} ({})", c.subject, parts.join("; "), c.rules.join(", ")));
                }
            });
    }
}
