//! Install Site Details (Account › Install Sites: New Install Site, Edit),
//! a dialog box as in the tool: Enter saves, Escape cancels. It is one of
//! the app's modals (`Modal::InstallSite`); Save goes to the Account view
//! as the change it asks for, and the dialog closes once that is made.

use crate::core::account::{InstallSite, SiteChange};
use crate::ui::views::account::AccountAction;
use crate::ui::widgets;

/// Install Site Details, open for a new site (`editing: None`) or an edit.
#[derive(Debug, Clone)]
pub struct SiteDetails {
    pub editing: Option<String>,
    pub site: InstallSite,
}

/// What the dialog wants after a frame.
pub enum SiteChoice {
    Keep,
    Cancel,
    /// Save: the account change to make (the dialog stays open if it is
    /// refused).
    Save(AccountAction),
}

impl SiteDetails {
    /// New Install Site: every field empty, Active ticked.
    pub fn new_site() -> SiteDetails {
        SiteDetails {
            editing: None,
            site: InstallSite::named(""),
        }
    }

    /// Edit: the site's fields as they are.
    pub fn edit(site: &InstallSite) -> SiteDetails {
        SiteDetails {
            editing: Some(site.name.clone()),
            site: site.clone(),
        }
    }

    /// The change Save asks for: a new site, or every field of the edited one.
    fn change(&self) -> AccountAction {
        match &self.editing {
            None => AccountAction::AddSite(Box::new(self.site.clone())),
            Some(name) => {
                let s = &self.site;
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
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, locked: bool) -> SiteChoice {
        let mut choice = SiteChoice::Keep;
        widgets::modal("install-site-details").show(ctx, |ui| {
            ui.set_min_width(440.0);
            ui.heading("Install Site Details");
            if let Some(name) = &self.editing {
                ui.weak(format!("Editing {name}"));
            }
            let d = &mut self.site;
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
                    widgets::field_sized(ui, size, egui::TextEdit::singleline(value)).labelled_by(l.id);
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
                let save = widgets::default_button(ui, problem.is_none() && !locked, "Save");
                if save.clicked() || (problem.is_none() && !locked && widgets::enter_pressed(ui)) {
                    choice = SiteChoice::Save(self.change());
                }
                if ui.button("Cancel").clicked() {
                    choice = SiteChoice::Cancel;
                }
            });
        });
        choice
    }
}
