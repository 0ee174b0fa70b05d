//! License Configuration (Licenses Allocation › Properties): the users and
//! stations that hold one license, searchable, with Add… and Remove.

use crate::core::catalog;
use crate::core::command::Command;
use crate::core::document::Document;
use crate::core::subject::{Subject, SubjectKind};
use crate::ui::dialogs::DialogResult;
use crate::ui::widgets;

pub struct LicenseConfigDialog {
    pub key: String,
    filter: String,
    selected: Option<Subject>,
    add_id: String,
    /// The candidate picked from the list under the Add field.
    add_pick: Option<Subject>,
    /// Candidates for the Add field's text, cached per (text, revision).
    candidates: Vec<Subject>,
    candidates_for: Option<(String, u64)>,
    pub message: Option<String>,
}

/// How many candidates the Add list shows.
const CANDIDATES: usize = 8;

impl LicenseConfigDialog {
    pub fn new(key: String) -> Self {
        LicenseConfigDialog {
            key,
            filter: String::new(),
            selected: None,
            add_id: String::new(),
            add_pick: None,
            candidates: Vec::new(),
            candidates_for: None,
            message: None,
        }
    }

    /// Users and stations whose ID contains `text` (ignoring case), that may
    /// hold the key and do not hold it yet: exact matches first, then in
    /// list order, at most `CANDIDATES`.
    fn find_candidates(&mut self, doc: &Document, text: &str) {
        let stamp = (text.to_string(), doc.engine().revision());
        if self.candidates_for.as_ref() == Some(&stamp) {
            return;
        }
        self.candidates_for = Some(stamp);
        self.candidates.clear();
        let needle = text.trim().to_lowercase();
        if needle.is_empty() {
            return;
        }
        let info = catalog::lookup(&self.key);
        let ws = doc.workspace();
        let users = ws
            .users()
            .iter()
            .filter(|_| info.is_none_or(|i| i.holders.allows_user()))
            .filter(|u| !u.licenses.contains(&self.key))
            .map(|u| Subject::user(u.id.clone()));
        let stations = ws
            .stations()
            .iter()
            .filter(|_| info.is_none_or(|i| i.holders.allows_station()))
            .filter(|st| !st.licenses.contains(&self.key))
            .map(|st| Subject::station(st.id.clone()));
        let mut exact = Vec::new();
        let mut rest = Vec::new();
        for s in users.chain(stations) {
            let id = s.id.to_lowercase();
            if id == needle {
                exact.push(s);
            } else if id.contains(&needle) && rest.len() < CANDIDATES {
                rest.push(s);
            }
        }
        exact.extend(rest);
        exact.truncate(CANDIDATES);
        self.candidates = exact;
    }

    pub fn show(&mut self, ctx: &egui::Context, doc: &Document, locked: bool) -> DialogResult {
        let mut outcome = DialogResult::Keep;
        let ws = doc.workspace();
        let row = doc.engine().row(&self.key, doc.license());
        let n = |x: u32| crate::core::text::thousands(x as usize);
        crate::ui::widgets::modal("license-config").show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(format!("License Configuration — {}", catalog::label(&self.key)));
            ui.label(&self.key);
            ui.label(format!(
                "Assignable: {} of {} configured · Concurrent: {} configured, {} allowed",
                n(row.assignable_configured),
                n(row.assignable_allowed),
                n(row.concurrent_configured),
                n(row.concurrent_allowed)
            ));
            ui.separator();
            ui.horizontal(|ui| {
                let label = ui.label("Search holders:");
                crate::ui::widgets::field(ui, egui::TextEdit::singleline(&mut self.filter)).labelled_by(label.id);
            });
            let needle = self.filter.trim().to_lowercase();
            let mut holders: Vec<Subject> = doc
                .engine()
                .holders(&self.key)
                .filter_map(|(kind, id)| match kind {
                    SubjectKind::User => ws.user(id).map(|u| Subject::user(u.id.clone())),
                    SubjectKind::Station => ws.station(id).map(|s| Subject::station(s.id.clone())),
                    _ => None,
                })
                .filter(|s| needle.is_empty() || s.id.to_lowercase().contains(&needle))
                .collect();
            holders.sort();
            egui::ScrollArea::vertical()
                .max_height(260.0)
                .auto_shrink([false, true])
                .show_rows(ui, 20.0, holders.len(), |ui, range| {
                    for s in &holders[range] {
                        let label = format!(
                            "{}{}",
                            s,
                            ws.user(&s.id)
                                .filter(|_| s.kind == SubjectKind::User)
                                .map_or(String::new(), |u| format!(" ({})", u.method.label()))
                        );
                        let selected = self.selected.as_ref() == Some(s);
                        if ui.selectable_label(selected, label).clicked() {
                            self.selected = Some(s.clone());
                        }
                    }
                });
            ui.label(format!(
                "{} shown",
                crate::core::text::count(holders.len(), "holder", "holders")
            ));
            ui.separator();
            ui.add_enabled_ui(!locked, |ui| {
                ui.horizontal(|ui| {
                    let label = ui.label("Add:");
                    let edit = crate::ui::widgets::field(
                        ui,
                        egui::TextEdit::singleline(&mut self.add_id)
                            .hint_text("type part of a user or station ID")
                            .desired_width(220.0),
                    )
                    .labelled_by(label.id);
                    if edit.changed() {
                        self.add_pick = None;
                    }
                    let pick = self.add_pick.clone();
                    let text = match &pick {
                        Some(s) => format!("Add {} {}", s.kind.noun(), s.id),
                        None => "Add".to_string(),
                    };
                    if ui.add_enabled(pick.is_some(), egui::Button::new(text)).clicked()
                        && let Some(subject) = pick
                    {
                        outcome = DialogResult::Apply(Box::new(Command::Assign {
                            subjects: vec![subject],
                            key: self.key.clone(),
                            method: None,
                        }));
                        self.add_id.clear();
                        self.add_pick = None;
                    }
                    if let Some(sel) = self.selected.clone()
                        && ui.button("Remove").clicked()
                    {
                        outcome = DialogResult::Apply(Box::new(Command::Unassign {
                            subjects: vec![sel],
                            key: self.key.clone(),
                        }));
                        self.selected = None;
                    }
                });
                let typed = self.add_id.clone();
                self.find_candidates(doc, &typed);
                if !typed.trim().is_empty() && self.add_pick.is_none() {
                    if self.candidates.is_empty() {
                        ui.weak("No user or station without this license matches.");
                    }
                    for c in self.candidates.clone() {
                        if ui
                            .selectable_label(false, format!("{} {}", c.kind.noun(), c.id))
                            .clicked()
                        {
                            self.add_id = c.id.clone();
                            self.add_pick = Some(c);
                        }
                    }
                }
            });
            if let Some(m) = &self.message {
                ui.colored_label(widgets::error_red(ui), m);
            }
            if widgets::default_button(ui, true, "Close").clicked() || widgets::enter_pressed(ui) {
                outcome = DialogResult::Close;
            }
        });
        outcome
    }
}
