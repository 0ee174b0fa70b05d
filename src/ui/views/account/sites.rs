//! Install Sites: the account's sites, New Install Site and Edit (which
//! open Install Site Details, one of the app's modals).

use super::*;
use crate::ui::dialogs::install_site::SiteDetails;
use crate::ui::drop_down::DropDown as _;

impl AccountView {
    /// The Install Sites tab: the sites with their details, New Install
    /// Site and Edit (they ask for Install Site Details; clearing Active
    /// there deactivates).
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
                .drop_down(ui, |ui| {
                    for a in [None, Some(true), Some(false)] {
                        ui.selectable_value(&mut self.sites_active, a, word(a));
                    }
                })
                .response
                .labelled_by(l.id);
            if ui.add_enabled(!locked, egui::Button::new("New Install Site")).clicked() {
                action = Some(AccountAction::SiteDetails(Box::new(SiteDetails::new_site())));
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
                    action = Some(AccountAction::SiteDetails(Box::new(SiteDetails::edit(r))));
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
        action
    }
}
