//! New Activation File: the form of the license to draw from the
//! account's ordered items.

use super::*;
use crate::ui::drop_down::DropDown as _;

impl AccountView {
    pub(super) fn new_file_tab(&mut self, ui: &mut egui::Ui, acct: &Account, locked: bool) -> Option<AccountAction> {
        let mut action = None;
        let mut ask = None;
        if let Some(why) = self.refused_to_request.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(widgets::warning_amber(ui), &why);
                if ui.button("Open the Genesys Activation File Request Tool").clicked() {
                    ask = Some(why.clone());
                }
            });
            ui.add_space(4.0);
        }
        let sites = acct.site_rows();
        let (f, browse) = (&mut self.form, &mut self.browse_license);
        egui::Grid::new("account-new-file").num_columns(2).show(ui, |ui| {
            let label = ui.label("Install Site:");
            egui::ComboBox::from_id_salt("new-file-site")
                .selected_text(f.install_site.as_str())
                .drop_down(ui, |ui| {
                    for s in &sites {
                        let text = if s.active {
                            s.name.clone()
                        } else {
                            format!("{} (not active)", s.name)
                        };
                        ui.selectable_value(&mut f.install_site, s.name.clone(), text);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("License Type:");
            egui::ComboBox::from_id_salt("new-file-level")
                .selected_text(f.level.label())
                .drop_down(ui, |ui| {
                    for l in LEVELS {
                        ui.selectable_value(&mut f.level, l, l.label());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            for (label, value) in [
                ("Product Version:", &mut f.product_version),
                ("Host ID *", &mut f.host_id),
                ("Machine Name *", &mut f.machine),
            ] {
                let l = ui.label(label);
                crate::ui::widgets::field(ui, egui::TextEdit::singleline(value)).labelled_by(l.id);
                ui.end_row();
            }
            let l = ui.label("Save license as:");
            ui.horizontal(|ui| {
                crate::ui::widgets::field(ui, egui::TextEdit::singleline(&mut f.out)).labelled_by(l.id);
                let license = crate::ui::files::Pick::Save("License file", &["I3Lic"]);
                browse.button(ui, "where to save the license", license, &mut f.out);
            });
            ui.end_row();
        });
        if sites
            .iter()
            .any(|s| !s.active && s.name.eq_ignore_ascii_case(&f.install_site))
        {
            ui.colored_label(
                widgets::warning_amber(ui),
                format!(
                    "Install site {} is not active: no activation file is generated for it (Install Sites › Edit, \
                     tick Active).",
                    f.install_site
                ),
            );
        }
        if f.level.is_development() {
            ui.checkbox(
                &mut f.non_ordered,
                "Non-ordered development license (certified partner: 30 days, draws nothing)",
            )
            .on_hover_text(
                "Certified partner employees can generate an unlimited number of 30-day non-ordered development \
                 licenses for any product and any configuration.",
            );
        } else {
            f.non_ordered = false;
        }
        let rows = acct.summary(Some(&f.install_site));
        if f.non_ordered {
            ui.weak(
                "A non-ordered development license draws nothing from the ordered items: it has all features and 8 \
                 or 30 of each Access and Session license.",
            );
        } else {
            ordered_items_ui(ui, f, &rows);
        }
        if let Some(waiting) = self.confirm_overwrite.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    widgets::warning_amber(ui),
                    format!(
                        "{} already exists. Replace it with the new license?",
                        waiting.out.trim()
                    ),
                );
                if ui.button("Replace").clicked() {
                    action = Some(AccountAction::Generate(waiting.clone()));
                    self.confirm_overwrite = None;
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    self.confirm_overwrite = None;
                }
            });
            return action;
        }
        let f = &self.form;
        let missing = missing_fields(f);
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    missing.is_empty() && !locked,
                    egui::Button::new("Generate Activation File"),
                )
                .clicked()
            {
                if crate::core::fs::exists(Path::new(f.out.trim())) {
                    self.confirm_overwrite = Some(Box::new(f.clone()));
                } else {
                    action = Some(AccountAction::Generate(Box::new(f.clone())));
                }
            }
            if !missing.is_empty() {
                ui.weak(format!("Give {}.", missing.join(", ")));
            }
        });
        if let Some(why) = ask {
            let category = if why.contains("Subscription") || why.contains("Mixed Estate") {
                Some(Category::PayPerUse)
            } else {
                Some(Category::Genesys)
            };
            self.open_request(
                RequestType::ActivationFile,
                category,
                Some(format!("The Activation File Management Tool refused: {why}")),
            );
        }
        action
    }
}

/// Is this part number a server item?
fn is_server(part: &str) -> bool {
    parts::lookup(part).is_some_and(|p| p.kind == PartKind::Server)
}

/// The server item to use (one) and the units of each other ordered item.
fn ordered_items_ui(ui: &mut egui::Ui, f: &mut NewFileForm, rows: &[account::SummaryRow]) {
    ui.add_space(6.0);
    ui.strong("Select One Valid Server Item");
    if !rows.iter().any(|r| is_server(&r.part_number)) {
        ui.weak("This install site has no server item among its ordered items.");
    }
    egui::Grid::new("new-file-server").striped(true).show(ui, |ui| {
        for h in ["Part Number", "Description", "Total", "Used", "Available", "Use"] {
            ui.strong(h);
        }
        ui.end_row();
        for r in rows.iter().filter(|r| is_server(&r.part_number)) {
            ui.monospace(&r.part_number);
            ui.label(&r.description);
            ui.label(r.total.to_string());
            ui.label(r.used.to_string());
            ui.label(r.available.to_string());
            let chosen = f.server.as_deref() == Some(r.part_number.as_str());
            let name = format!("Use {}", r.part_number);
            let resp = ui.add_enabled(r.available > 0, egui::RadioButton::new(chosen, ""));
            resp.widget_info(|| egui::WidgetInfo::selected(egui::Role::RadioButton, r.available > 0, chosen, &name));
            if resp.clicked() {
                f.server = Some(r.part_number.clone());
            }
            ui.end_row();
        }
    });
    ui.add_space(6.0);
    ui.strong("Ordered items to use");
    egui::Grid::new("new-file-items").striped(true).show(ui, |ui| {
        for h in ["Part Number", "Description", "Total", "Used", "Available", "Use"] {
            ui.strong(h);
        }
        ui.end_row();
        for r in rows.iter().filter(|r| !is_server(&r.part_number)) {
            ui.monospace(&r.part_number);
            ui.label(&r.description);
            ui.label(r.total.to_string());
            ui.label(r.used.to_string());
            ui.label(r.available.to_string());
            let n = f.units.entry(r.part_number.clone()).or_insert(0);
            let name = format!("Use {}", r.part_number);
            ui.add_enabled(r.available > 0, egui::DragValue::new(n).range(0..=r.available.max(0)))
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, r.available > 0, &name));
            ui.end_row();
        }
    });
}

/// What the form still needs before it can generate, in words.
fn missing_fields(f: &NewFileForm) -> Vec<&'static str> {
    let mut missing = Vec::new();
    if f.host_id.trim().is_empty() {
        missing.push("the Host ID");
    }
    if f.machine.trim().is_empty() {
        missing.push("the Machine Name");
    }
    if !f.non_ordered && f.server.is_none() && !f.units.iter().any(|(p, n)| *n > 0 && is_server(p)) {
        missing.push("one valid server item");
    }
    if f.out.trim().is_empty() {
        missing.push("where to save the license");
    }
    missing
}
