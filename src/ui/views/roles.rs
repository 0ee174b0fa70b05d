//! People › Roles: the roles users hold (IA's Roles subcontainer), each
//! with how many users hold it and in which workgroups they are; for the
//! selected role, its users. Roles are given to users in bulk with the
//! Users view's Roles…; policies match them.

use crate::core::document::Document;
use crate::core::text::thousands;
use crate::core::workspace::roles::{self, Role};
use crate::ui::views::Action;

#[derive(Default)]
pub struct RolesView {
    roles: Vec<Role>,
    without_role: usize,
    built_for: Option<u64>,
    /// The selected role, by name ignoring case.
    pub selected: Option<String>,
}

impl super::View for RolesView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<Action>) {
        self.draw(ui, cx.doc, out);
    }
}

impl RolesView {
    /// Gathered again only when the workspace changed (its generation: not
    /// the engine's revision, which moves with a replay's figures too).
    fn refresh(&mut self, doc: &Document) {
        let rev = doc.generation();
        if self.built_for == Some(rev) {
            return;
        }
        self.roles = roles::roles(doc.workspace());
        self.without_role = roles::without_role(doc.workspace());
        self.built_for = Some(rev);
    }

    fn selected_role(&self) -> Option<&Role> {
        let name = self.selected.as_deref()?;
        self.roles.iter().find(|r| r.name.eq_ignore_ascii_case(name))
    }

    pub fn draw(&mut self, ui: &mut egui::Ui, doc: &Document, out: &mut Vec<Action>) {
        self.refresh(doc);
        if self.selected_role().is_none() {
            // A role is shown from the start: no empty half of the view.
            self.selected = self.roles.first().map(|r| r.name.clone());
        }
        ui.horizontal_wrapped(|ui| {
            ui.heading("Roles");
            ui.label(format!(
                "{} roles; {} users hold none",
                thousands(self.roles.len()),
                thousands(self.without_role)
            ));
        });
        ui.label("Give users roles with Users › Roles…; policies can grant licenses by role.");
        ui.separator();
        if self.roles.is_empty() {
            ui.label("No user holds a role yet.");
            return;
        }
        crate::ui::a11y::name_panel_handle(ui, "Resize the role list", |ui| {
            egui::Panel::left("roles-list")
                .resizable(true)
                .default_size(320.0)
                .show(ui, |ui| self.list(ui))
        });
        egui::CentralPanel::default().show(ui, |ui| self.details(ui, doc, out));
    }

    fn list(&mut self, ui: &mut egui::Ui) {
        let mut chosen = None;
        egui::ScrollArea::both()
            .id_salt("roles-list-scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                egui::Grid::new("roles-grid")
                    .striped(true)
                    .num_columns(3)
                    .show(ui, |ui| {
                        ui.strong("Role");
                        ui.strong("Users");
                        ui.strong("Workgroups");
                        ui.end_row();
                        for r in &self.roles {
                            let on = self
                                .selected
                                .as_deref()
                                .is_some_and(|s| s.eq_ignore_ascii_case(&r.name));
                            if ui.selectable_label(on, &r.name).clicked() {
                                chosen = Some(r.name.clone());
                            }
                            ui.label(thousands(r.users.len()));
                            ui.label(thousands(r.workgroups.len()));
                            ui.end_row();
                        }
                    });
            });
        if chosen.is_some() {
            self.selected = chosen;
        }
    }

    fn details(&self, ui: &mut egui::Ui, doc: &Document, out: &mut Vec<Action>) {
        let Some(role) = self.selected_role() else { return };
        ui.strong(format!("{} — {} users", role.name, thousands(role.users.len())));
        let groups: Vec<String> = role
            .workgroups
            .iter()
            .map(|(name, n)| format!("{name} ({})", thousands(*n)))
            .collect();
        ui.add(
            egui::Label::new(if groups.is_empty() {
                "Workgroups: none".to_string()
            } else {
                format!("Workgroups: {}", groups.join(", "))
            })
            .wrap(),
        );
        ui.separator();
        let users = doc.workspace().users();
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y + 2.0;
        // Only the rows in view are laid out: a role may hold 100,000 users.
        egui::ScrollArea::both()
            .id_salt(("role-users", role.name.to_lowercase()))
            .auto_shrink([false, false])
            .show_rows(ui, row_height, role.users.len(), |ui, range| {
                egui::Grid::new("role-users-grid")
                    .striped(true)
                    .num_columns(3)
                    .show(ui, |ui| {
                        for &pos in &role.users[range] {
                            let Some(u) = users.get(pos) else { continue };
                            if ui.link(&u.id).on_hover_text("Open User Configuration").clicked() {
                                out.push(Action::OpenUser(u.id.clone()));
                            }
                            ui.label(&u.name);
                            ui.label(u.workgroups.iter().map(|w| &**w).collect::<Vec<&str>>().join(", "));
                            ui.end_row();
                        }
                    });
            });
    }
}
