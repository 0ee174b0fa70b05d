//! Install Sites: the account's sites, New Install Site and Edit.

use super::*;

impl AccountView {
    /// The Install Sites tab: the sites with their details, New Install
    /// Site and Edit (Install Site Details; clearing Active deactivates).
    pub(super) fn sites_tab(&mut self, ui: &mut egui::Ui, acct: &Account, locked: bool) -> Option<AccountAction> {
        let mut action = None;
        let rows: Vec<InstallSite> = acct
            .site_rows()
            .into_iter()
            .filter(|r| self.sites_active.is_none_or(|a| r.active == a))
            .collect();
        ui.horizontal(|ui| {
            let l = ui.label("Active:");
            let word = |a: Option<bool>| match a {
                None => "-- ALL --",
                Some(true) => "Yes",
                Some(false) => "No",
            };
            egui::ComboBox::from_id_salt("sites-active")
                .selected_text(word(self.sites_active))
                .show_ui(ui, |ui| {
                    for a in [None, Some(true), Some(false)] {
                        ui.selectable_value(&mut self.sites_active, a, word(a));
                    }
                })
                .response
                .labelled_by(l.id);
            if ui.add_enabled(!locked, egui::Button::new("New Install Site")).clicked() {
                self.site_dialog = Some(SiteDialog {
                    editing: None,
                    site: InstallSite::named(""),
                });
            }
            ui.label(format!("Number of Total Results # {}", rows.len()));
        });
        egui::Grid::new("account-sites").striped(true).show(ui, |ui| {
            for h in [
                "Actions",
                "Name",
                "Address",
                "City",
                "State",
                "Country",
                "Postal Code",
                "Active",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for r in &rows {
                let edit = ui
                    .add_enabled(!locked, egui::Button::new("Edit"))
                    .on_hover_text(format!("Edit {}", r.name));
                // Read out as "Edit NAME": one Edit per row.
                let named = format!("Edit {}", r.name);
                edit.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, !locked, &named));
                if edit.clicked() {
                    self.site_dialog = Some(SiteDialog {
                        editing: Some(r.name.clone()),
                        site: r.clone(),
                    });
                }
                ui.label(&r.name);
                ui.label(r.address());
                ui.label(&r.city);
                ui.label(&r.state);
                ui.label(&r.country);
                ui.label(&r.postal_code);
                ui.label(if r.active { "Yes" } else { "No" });
                ui.end_row();
            }
        });
        let Some(dialog) = self.site_dialog.as_mut() else {
            return action;
        };
        // Install Site Details, a dialog box as in the tool: Enter saves,
        // Escape cancels.
        let mut close = false;
        widgets::modal("install-site-details").show(ui.ctx(), |ui| {
            ui.set_min_width(440.0);
            ui.heading("Install Site Details");
            if let Some(name) = &dialog.editing {
                ui.weak(format!("Editing {name}"));
            }
            let d = &mut dialog.site;
            egui::Grid::new("site-details").num_columns(2).show(ui, |ui| {
                for (label, value) in [
                    ("Name *", &mut d.name),
                    ("Address Line 1", &mut d.address_line_1),
                    ("Address Line 2", &mut d.address_line_2),
                    ("Address Line 3", &mut d.address_line_3),
                    ("City", &mut d.city),
                    ("State", &mut d.state),
                    ("Country", &mut d.country),
                    ("Postal Code", &mut d.postal_code),
                ] {
                    let l = ui.label(label);
                    let size = egui::vec2(300.0, ui.spacing().interact_size.y);
                    crate::ui::widgets::field_sized(ui, size, egui::TextEdit::singleline(value)).labelled_by(l.id);
                    ui.end_row();
                }
                ui.label("");
                ui.checkbox(&mut d.active, "Active")
                    .on_hover_text("To deactivate an install site, clear the Active check box");
                ui.end_row();
            });
            let problem = d.check().err();
            if let Some(p) = &problem {
                ui.colored_label(widgets::error_red(ui), p.to_string());
            }
            ui.horizontal(|ui| {
                let save = ui.add_enabled(problem.is_none() && !locked, egui::Button::new("Save"));
                if save.clicked() || (problem.is_none() && !locked && widgets::enter_pressed(ui)) {
                    action = Some(match &dialog.editing {
                        None => AccountAction::AddSite(Box::new(dialog.site.clone())),
                        Some(name) => {
                            let s = &dialog.site;
                            AccountAction::EditSite {
                                name: name.clone(),
                                change: Box::new(SiteChange {
                                    new_name: Some(s.name.clone()),
                                    address_line_1: Some(s.address_line_1.clone()),
                                    address_line_2: Some(s.address_line_2.clone()),
                                    address_line_3: Some(s.address_line_3.clone()),
                                    city: Some(s.city.clone()),
                                    state: Some(s.state.clone()),
                                    country: Some(s.country.clone()),
                                    postal_code: Some(s.postal_code.clone()),
                                    active: Some(s.active),
                                }),
                            }
                        }
                    });
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    close = true;
                }
            });
        });
        if close {
            self.site_dialog = None;
        }
        action
    }
}
