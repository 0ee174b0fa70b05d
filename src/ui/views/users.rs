//! People › Users: a virtualised, sortable, filterable table of users with
//! multi-select. Only visible rows are drawn; the filtered and sorted row
//! list is cached until the data or the query changes.

use egui_extras::{Column, TableBuilder};

use crate::core::catalog::{self, IpaLevel};
use crate::core::document::Document;
use crate::core::rules;
use crate::core::subject::SubjectKind;
use crate::core::workspace::User;
use crate::ui::selection::{Selection, cmp_ci, contains_ci};
use crate::ui::table_rows::{self, NameMatches, Orders, data_stamp};
use crate::ui::views::Action;
use crate::ui::widgets;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Col {
    #[default]
    User,
    Name,
    Method,
    Client,
    Acd,
    Ipa,
    AddOns,
    Workgroups,
    Warnings,
}

pub const COLUMNS: [(&str, Col); 9] = [
    ("User", Col::User),
    ("Name", Col::Name),
    ("Method", Col::Method),
    ("Client", Col::Client),
    ("ACD level", Col::Acd),
    ("IPA", Col::Ipa),
    ("Add-ons", Col::AddOns),
    ("Workgroups", Col::Workgroups),
    ("Warnings", Col::Warnings),
];

/// The ACD cell: level and, for Media 1/2, the licensed types.
pub fn acd_text(u: &User) -> String {
    match rules::acd_level(&u.licenses) {
        None => String::new(),
        Some(level) if level.capacity().is_some() => {
            let types: Vec<&str> = u.acd_media_types.iter().map(|m| m.label()).collect();
            format!(
                "{} ({})",
                level.label(),
                if types.is_empty() {
                    "no types".into()
                } else {
                    types.join(", ")
                }
            )
        }
        Some(level) => level.label().to_string(),
    }
}

pub fn ipa_text(u: &User) -> &'static str {
    rules::ipa_level(&u.licenses).map_or("", IpaLevel::label)
}

/// Keys that are neither Client, ACD nor IPA: the add-ons.
pub fn is_add_on(key: &str) -> bool {
    key != catalog::CLIENT
        && key != catalog::BASIC_STATION
        && catalog::acd_level_of(key).is_none()
        && catalog::ipa_level_of(key).is_none()
}

pub fn add_ons_text(u: &User) -> String {
    u.licenses
        .iter()
        .filter(|k| is_add_on(k))
        .map(|k| catalog::label(k))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Default)]
pub struct UsersView {
    pub filter: String,
    pub only_warnings: bool,
    sort: Col,
    descending: bool,
    /// Indices into the workspace's users, filtered and sorted.
    rows: Vec<usize>,
    built_for: Option<(u64, u64, String, bool, Col, bool)>,
    /// Every user's position in each sorted column's order.
    orders: Orders<Col>,
    pub selection: Selection,
    scroll_to: Option<usize>,
}

impl UsersView {
    /// Selects one user and scrolls to it (from the Warnings panel).
    pub fn reveal(&mut self, doc: &Document, id: &str) {
        self.filter.clear();
        self.only_warnings = false;
        self.refresh(doc);
        if let Some(pos) = doc.workspace().user_pos(id)
            && let Some(row) = self.rows.iter().position(|&i| i == pos)
        {
            self.selection.clear();
            self.selection.click(row, id, egui::Modifiers::NONE, |_| id.to_string());
            self.scroll_to = Some(row);
        }
    }

    /// Sorts by a column, as a click on its header does (again: reverse).
    pub fn sort_by(&mut self, col: Col) {
        if col == self.sort {
            self.descending = !self.descending;
        } else {
            self.sort = col;
            self.descending = false;
        }
    }

    pub fn visible_count(&self) -> usize {
        self.rows.len()
    }

    fn refresh(&mut self, doc: &Document) {
        let stamp = (
            doc.engine().revision(),
            doc.generation(),
            self.filter.clone(),
            self.only_warnings,
            self.sort,
            self.descending,
        );
        if self.built_for.as_ref() == Some(&stamp) {
            return;
        }
        let users = doc.workspace().users();
        let needle = self.filter.trim().to_lowercase();
        let engine = doc.engine();
        let sort = self.sort;
        let order = self.orders.get(data_stamp(doc), sort, users.len(), |order| {
            let key_str = |u: &User| -> String {
                match sort {
                    Col::User | Col::Name | Col::Warnings => String::new(),
                    Col::Method => u.method.label().to_string(),
                    Col::Client => (!u.licenses.contains(catalog::CLIENT)).to_string(),
                    Col::Acd => acd_text(u),
                    Col::Ipa => ipa_text(u).to_string(),
                    Col::AddOns => add_ons_text(u),
                    Col::Workgroups => u.workgroups.to_strings().join(","),
                }
            };
            let user = |i: &u32| &users[*i as usize];
            match sort {
                Col::Warnings => order.sort_by_cached_key(|i| {
                    std::cmp::Reverse(engine.diagnostics_of(SubjectKind::User, &user(i).id).len())
                }),
                // The workspace's order is by ID only by chance: sort.
                Col::User => order.sort_by(|a, b| cmp_ci(&user(a).id, &user(b).id)),
                Col::Name => order.sort_by(|a, b| cmp_ci(&user(a).name, &user(b).name)),
                _ => order.sort_by_cached_key(|i| key_str(user(i))),
            }
        });
        let mut keys = NameMatches::new(|k: &str| contains_ci(k, &needle) || contains_ci(catalog::label(k), &needle));
        let mut groups = NameMatches::new(|w: &str| contains_ci(w, &needle));
        let rows = table_rows::rows(order, self.descending, |i| {
            let u = &users[i];
            if self.only_warnings && engine.diagnostics_of(SubjectKind::User, &u.id).is_empty() {
                return false;
            }
            needle.is_empty()
                || contains_ci(&u.id, &needle)
                || contains_ci(&u.name, &needle)
                || u.licenses.iter().any(|k| keys.matches(k))
                || u.workgroups.iter().any(|w| groups.matches(w))
        });
        self.rows = rows;
        self.selection.retain(|id| doc.workspace().user(id).is_some());
        self.built_for = Some(stamp);
    }

    pub fn selected_ids(&self, doc: &Document) -> Vec<String> {
        // In table order, with the workspace's spelling.
        self.rows
            .iter()
            .map(|&i| &doc.workspace().users()[i].id)
            .filter(|id| self.selection.contains(id))
            .cloned()
            .collect()
    }

    pub fn select_all(&mut self, doc: &Document) {
        let users = doc.workspace().users();
        let rows = &self.rows;
        self.selection.select_all(rows.len(), |r| users[rows[r]].id.clone());
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, locked: bool, out: &mut Vec<Action>) {
        self.refresh(doc);
        ui.horizontal(|ui| {
            ui.heading("Users");
            ui.label(format!(
                "{} of {} shown, {} selected",
                self.rows.len(),
                doc.workspace().users().len(),
                self.selection.len()
            ));
        });
        ui.horizontal(|ui| {
            let label = ui.label("Search:");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text("ID, name, license or workgroup")
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
            ui.checkbox(&mut self.only_warnings, "Only with warnings");
            ui.separator();
            // The selected ids are gathered only on a click: not every frame.
            let enabled = !locked && !self.selection.is_empty();
            if ui.add_enabled(enabled, egui::Button::new("Assign license…")).clicked() {
                out.push(Action::Bulk {
                    kind: super::BulkKind::Assign,
                    users: self.selected_ids(doc),
                    stations: vec![],
                });
            }
            if ui.add_enabled(enabled, egui::Button::new("Remove license…")).clicked() {
                out.push(Action::Bulk {
                    kind: super::BulkKind::Remove,
                    users: self.selected_ids(doc),
                    stations: vec![],
                });
            }
            if ui.add_enabled(enabled, egui::Button::new("Set method…")).clicked() {
                out.push(Action::Bulk {
                    kind: super::BulkKind::SetMethod,
                    users: self.selected_ids(doc),
                    stations: vec![],
                });
            }
        });
        self.keyboard(ui, doc, locked, out);
        self.refresh(doc);
        let users = doc.workspace().users();
        let engine = doc.engine();
        let mut clicked_header = None;
        let mut clicked_row: Option<(usize, egui::Modifiers)> = None;
        let mut open: Option<String> = None;
        // Row text must not swallow clicks meant for the row.
        ui.style_mut().interaction.selectable_labels = false;
        // Fixed-height virtual rows: long cells are cut with "…", never wrapped.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        let mut table = TableBuilder::new(ui)
            .id_salt("users")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .column(Column::initial(130.0).at_least(60.0))
            .column(Column::initial(150.0).at_least(60.0))
            .column(Column::initial(90.0))
            .column(Column::initial(55.0))
            .column(Column::initial(170.0))
            .column(Column::initial(140.0))
            .column(Column::initial(200.0).clip(true))
            .column(Column::initial(140.0).clip(true))
            .column(Column::remainder().at_least(60.0));
        if let Some(row) = self.scroll_to.take() {
            table = table.scroll_to_row(row, Some(egui::Align::Center));
        }
        table
            .header(24.0, |mut header| {
                for (i, (name, col)) in COLUMNS.iter().enumerate() {
                    header.col(|ui| {
                        ui.horizontal(|ui| {
                            if ui
                                .add(egui::Button::new(egui::RichText::new(*name).strong()).frame(false))
                                .clicked()
                            {
                                clicked_header = Some(i);
                            }
                            if *col == self.sort {
                                widgets::sort_arrow(ui, self.descending);
                            }
                        });
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, self.rows.len(), |mut row| {
                    let r = row.index();
                    let u = &users[self.rows[r]];
                    row.set_selected(self.selection.contains(&u.id));
                    let diags = engine.diagnostics_of(SubjectKind::User, &u.id);
                    row.col(|ui| {
                        ui.label(&u.id);
                    });
                    row.col(|ui| {
                        ui.label(&u.name);
                    });
                    row.col(|ui| {
                        ui.label(u.method.label());
                    });
                    row.col(|ui| {
                        ui.label(if u.licenses.contains(catalog::CLIENT) {
                            "Yes"
                        } else {
                            ""
                        });
                    });
                    row.col(|ui| {
                        ui.label(acd_text(u));
                    });
                    row.col(|ui| {
                        ui.label(ipa_text(u));
                    });
                    row.col(|ui| {
                        ui.label(add_ons_text(u));
                    });
                    row.col(|ui| {
                        ui.label(u.workgroups.iter().cloned().collect::<Vec<_>>().join(", "));
                    });
                    row.col(|ui| {
                        if let Some(first) = diags.first() {
                            let color = if diags
                                .iter()
                                .any(|d| d.severity == crate::core::diagnostic::Severity::Error)
                            {
                                widgets::ERROR_RED
                            } else {
                                widgets::WARNING_AMBER
                            };
                            let text = if diags.len() == 1 {
                                first.code.clone()
                            } else {
                                format!("{} (+{})", first.code, diags.len() - 1)
                            };
                            ui.colored_label(color, text)
                                .on_hover_text(diags.iter().map(|d| d.message.as_str()).collect::<Vec<_>>().join("\n"));
                        }
                    });
                    let resp = row.response();
                    if resp.double_clicked() {
                        open = Some(u.id.clone());
                    } else if resp.clicked() {
                        clicked_row = Some((r, resp.ctx.input(|i| i.modifiers)));
                    }
                });
            });
        if let Some((r, modifiers)) = clicked_row {
            let rows = &self.rows;
            self.selection
                .click(r, &users[rows[r]].id, modifiers, |x| users[rows[x]].id.clone());
        }
        if let Some(id) = open {
            out.push(Action::OpenUser(id));
        }
        if let Some(i) = clicked_header {
            self.sort_by(COLUMNS[i].1);
        }
    }

    fn keyboard(&mut self, ui: &mut egui::Ui, doc: &Document, locked: bool, out: &mut Vec<Action>) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let users = doc.workspace().users();
        let rows = &self.rows;
        let id_of = |r: usize| users[rows[r]].id.clone();
        let (up, down, enter, delete, all) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowUp),
                i.key_pressed(egui::Key::ArrowDown),
                i.key_pressed(egui::Key::Enter),
                i.key_pressed(egui::Key::Delete),
                i.modifiers.command && i.key_pressed(egui::Key::A),
            )
        });
        if (up || down)
            && let Some(r) = self.selection.step(if up { -1 } else { 1 }, rows.len(), id_of)
        {
            self.scroll_to = Some(r);
        }
        if all {
            self.selection.select_all(rows.len(), id_of);
        }
        if enter && let Some(r) = self.selection.cursor.filter(|r| *r < rows.len()) {
            out.push(Action::OpenUser(id_of(r)));
        }
        if delete && !locked && !self.selection.is_empty() {
            out.push(Action::ConfirmRemoveUsers(self.selected_ids(doc)));
        }
    }
}
