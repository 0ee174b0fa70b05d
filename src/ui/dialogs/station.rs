//! Station Configuration › Licenses: Licensed Machine Name, Basic Station,
//! Client Access, ACD Access with media levels, IPA (Direct/Group only), and
//! the add-ons a station may hold; station type and enabled.

use crate::ui::drop_down::DropDown as _;
use std::collections::HashMap;

use crate::core::catalog::{self, IpaLevel};
use crate::core::command::Command;
use crate::core::diagnostic::Diagnostic;
use crate::core::document::Document;
use crate::core::rules;
use crate::core::workspace::{Station, StationType};
use crate::ui::dialogs::{DialogResult, licensing, messages};
use crate::ui::views::users::is_add_on;
use crate::ui::widgets;

pub struct StationDialog {
    pub original: Station,
    pub draft: Station,
    errors: HashMap<String, String>,
}

impl StationDialog {
    pub fn new(station: Station) -> Self {
        StationDialog {
            original: station.clone(),
            draft: station,
            errors: HashMap::new(),
        }
    }

    fn attempt(&mut self, doc: &Document, control: &str, change: impl FnOnce(&mut Station)) {
        licensing::attempt(&mut self.draft, &mut self.errors, control, change, |s| {
            doc.check_station_draft(s)
        });
    }

    fn key_box(&mut self, ui: &mut egui::Ui, doc: &Document, key: &str, label: &str) {
        ui.horizontal(|ui| {
            let mut on = self.draft.licenses.contains(key);
            let desc = catalog::lookup(key).map_or("Unknown key", |k| k.description);
            if ui
                .checkbox(&mut on, label)
                .on_hover_text(format!("{key}\n{desc}"))
                .changed()
            {
                self.attempt(doc, key, licensing::key_toggle(key, on));
            }
            // What is left counting the draft: ticking takes one.
            ui.weak(available(doc, key, &self.draft));
        });
    }

    pub fn show(&mut self, ctx: &egui::Context, doc: &Document, locked: bool) -> DialogResult {
        let mut outcome = DialogResult::Keep;
        crate::ui::widgets::modal("station-config").show(ctx, |ui| {
            ui.set_width(600.0);
            ui.heading(format!("Station Configuration — {}", self.draft.id));
            ui.separator();
            ui.add_enabled_ui(!locked, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("Type:");
                    egui::ComboBox::from_id_salt("station-type")
                        .selected_text(self.draft.kind.label())
                        .drop_down(ui, |ui| {
                            for t in StationType::ALL {
                                ui.selectable_value(&mut self.draft.kind, t, t.label());
                            }
                        })
                        .response
                        .labelled_by(label.id);
                    ui.checkbox(&mut self.draft.enabled, "Enabled");
                    ui.checkbox(&mut self.draft.shift_station, "Shift station")
                        .on_hover_text(
                            "Shared by the agents of several shifts: its licenses (for example its ACD Access license) \
                            serve whoever logs on at it. Workstations and managed workstations serve any agent \
                            without this mark; mark other kinds of station agents log on at.",
                        );
                });
                ui.strong("Licenses");
                ui.horizontal(|ui| {
                    let label = ui.label("Licensed Machine Name:");
                    crate::ui::widgets::field(ui, egui::TextEdit::singleline(&mut self.draft.machine_name))
                        .labelled_by(label.id);
                });
                self.key_box(ui, doc, catalog::BASIC_STATION, "Basic Station License");
                self.key_box(ui, doc, catalog::CLIENT, "Client Access License");
                let draft = self.draft.clone();
                let remaining = |key: &str| available(doc, key, &draft);
                // Refusals are shown with the other messages, above the
                // buttons (see `messages`), not under the control.
                let inline = HashMap::new();
                if let Some((control, change)) =
                    super::licensing::acd_section(ui, doc, &self.draft, &inline, &remaining)
                {
                    self.attempt(doc, control, change);
                }
                let ipa = rules::ipa_level(&self.draft.licenses);
                ui.horizontal(|ui| {
                    ui.label("Interaction Process Automation License:");
                    for choice in [None, Some(IpaLevel::DirectRouted), Some(IpaLevel::GroupRouted)] {
                        let label = choice.map_or("None", IpaLevel::label);
                        if ui.radio(ipa == choice, label).clicked() && ipa != choice {
                            self.attempt(doc, "ipa", move |s| {
                                s.licenses.retain(|k| catalog::ipa_level_of(k).is_none());
                                if let Some(l) = choice {
                                    s.licenses.insert(l.key());
                                }
                            });
                        }
                    }
                });
                let addons: Vec<String> = doc
                    .license()
                    .allowances()
                    .iter()
                    .map(|a| a.key.clone())
                    .filter(|k| is_add_on(k) && catalog::is_allocatable(k))
                    .filter(|k| catalog::lookup(k).is_none_or(|i| i.holders.allows_station()))
                    .collect();
                if !addons.is_empty() {
                    ui.strong("Additional Licenses");
                    for key in addons {
                        self.key_box(ui, doc, &key, catalog::label(&key));
                    }
                }
            });
            let red = widgets::error_red(ui);
            let mut lines: Vec<(egui::Color32, String)> = Vec::new();
            // The refusals, in a stable order (the map has none).
            let mut refused: Vec<(&String, &String)> = self.errors.iter().collect();
            refused.sort();
            lines.extend(refused.into_iter().map(|(_, why)| (red, why.clone())));
            if self.draft.machine_name.trim().is_empty() {
                lines.push((red, "The Licensed Machine Name cannot be blank".to_string()));
            }
            if rules::needs_basic_station(&self.draft) {
                lines.push((widgets::warning_amber(ui), rules::NEEDS_BASIC_STATION.to_string()));
            }
            let mut preview: Vec<Diagnostic> = Vec::new();
            rules::station_diagnostics(&self.draft, doc.workspace(), &mut preview);
            rules::keys_not_in_license(
                &self.draft.licenses,
                crate::core::subject::Subject::station(self.draft.id.clone()),
                doc.license(),
                &mut preview,
            );
            lines.extend(
                preview
                    .into_iter()
                    .filter(|d| d.code != "basic-station-missing")
                    .map(|d| (red, d.message.to_string())),
            );
            ui.add_space(4.0);
            messages(ui, "station-config-messages", &lines);
            ui.separator();
            ui.horizontal(|ui| {
                let ok = !locked && self.draft != self.original && !self.draft.machine_name.trim().is_empty();
                if crate::ui::widgets::default_button(ui, ok, "OK").clicked()
                    || (ok && crate::ui::widgets::enter_pressed(ui))
                {
                    outcome = DialogResult::Apply(Box::new(Command::UpdateStation {
                        station: self.draft.clone(),
                    }));
                }
                if ui.button("Cancel").clicked() {
                    outcome = DialogResult::Close;
                }
            });
        });
        outcome
    }
}

/// "N available" beside a license: what is left of it with the draft as it
/// stands (a box just ticked takes one, one just unticked gives it back).
fn available(doc: &Document, key: &str, draft: &Station) -> String {
    if doc.license().allowance(key).is_none() {
        "not in the license".into()
    } else {
        format!(
            "{} available",
            crate::core::text::thousands(doc.remaining_for_station_draft(key, draft) as usize)
        )
    }
}
