//! Workgroups: queue media types (checkboxes) and members with their ACD
//! level; members whose licensing does not fit the queues are highlighted.

use std::collections::BTreeSet;

use crate::core::command::Command;
use crate::core::document::Document;
use crate::core::subject::SubjectKind;
use crate::core::workspace::{MediaType, Workgroup};
use crate::ui::views::Action;
use crate::ui::views::users::acd_text;
use crate::ui::widgets;

#[derive(Default)]
pub struct WorkgroupsView {
    pub selected: Option<String>,
    new_name: String,
}

const ACD_CODES: [&str; 3] = [
    "acd-media-level-mismatch",
    "acd-media-type-mismatch",
    "workgroup-member-without-acd",
];

impl WorkgroupsView {
    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, locked: bool, out: &mut Vec<Action>) {
        ui.heading("Workgroups");
        ui.separator();
        let ws = doc.workspace();
        egui::Panel::left("wg-list")
            .resizable(true)
            .default_size(420.0)
            .show(ui, |ui| {
                egui::Grid::new("wg-grid").num_columns(3).striped(true).show(ui, |ui| {
                    ui.strong("Name");
                    ui.strong("Queue media types");
                    ui.strong("Members");
                    ui.end_row();
                    for wg in ws.workgroups() {
                        let selected = self
                            .selected
                            .as_deref()
                            .is_some_and(|s| s.eq_ignore_ascii_case(&wg.name));
                        if ui.selectable_label(selected, &wg.name).clicked() {
                            self.selected = Some(wg.name.clone());
                        }
                        ui.horizontal(|ui| {
                            for m in MediaType::ALL {
                                let mut on = wg.media.contains(&m);
                                let resp = ui.add_enabled(!locked, egui::Checkbox::new(&mut on, m.label()));
                                if resp.changed() {
                                    let mut media: BTreeSet<MediaType> = wg.media.clone();
                                    if on {
                                        media.insert(m);
                                    } else {
                                        media.remove(&m);
                                    }
                                    out.push(Action::Command(Command::SetWorkgroupMedia {
                                        name: wg.name.clone(),
                                        media,
                                    }));
                                }
                            }
                        });
                        ui.label(doc.engine().member_count(&wg.name).to_string());
                        ui.end_row();
                    }
                });
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    let label = ui.label("New:");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.new_name)
                            .hint_text("New workgroup name")
                            .desired_width(180.0),
                    )
                    .labelled_by(label.id);
                    let can_add = !locked && !self.new_name.trim().is_empty();
                    if ui.add_enabled(can_add, egui::Button::new("Add workgroup")).clicked() {
                        out.push(Action::Command(Command::AddWorkgroup {
                            workgroup: Workgroup::new(self.new_name.trim(), []),
                            at: None,
                        }));
                        self.new_name.clear();
                    }
                    if let Some(sel) = &self.selected
                        && ui.add_enabled(!locked, egui::Button::new("Remove workgroup")).clicked()
                    {
                        out.push(Action::Command(Command::RemoveWorkgroup { name: sel.clone() }));
                        self.selected = None;
                    }
                });
            });
        egui::CentralPanel::default().show(ui, |ui| {
            let Some(wg) = self.selected.as_deref().and_then(|s| ws.workgroup(s)) else {
                ui.label("Select a workgroup to see its members.");
                return;
            };
            ui.strong(format!("Members of {}", wg.name));
            let media: Vec<&str> = wg.media.iter().map(|m| m.label()).collect();
            ui.label(if media.is_empty() {
                "No ACD queue".to_string()
            } else {
                format!("Queue carries: {}", media.join(", "))
            });
            ui.separator();
            let members = doc.engine().members(&wg.name);
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                egui::Grid::new("wg-members")
                    .num_columns(3)
                    .striped(true)
                    .show(ui, |ui| {
                        ui.strong("User");
                        ui.strong("ACD level");
                        ui.strong("Licensing");
                        ui.end_row();
                        for id in members {
                            let Some(user) = ws.user(id) else { continue };
                            let problems: Vec<_> = doc
                                .engine()
                                .diagnostics_of(SubjectKind::User, &user.id)
                                .iter()
                                .filter(|d| ACD_CODES.contains(&d.code.as_str()))
                                .collect();
                            if ui.link(&user.id).clicked() {
                                out.push(Action::OpenUser(user.id.clone()));
                            }
                            ui.label(acd_text(user));
                            match problems.first() {
                                Some(d) => {
                                    ui.colored_label(widgets::WARNING_AMBER, &d.code)
                                        .on_hover_text(&d.message);
                                }
                                None => {
                                    ui.label("OK");
                                }
                            }
                            ui.end_row();
                        }
                    });
            });
        });
    }
}
