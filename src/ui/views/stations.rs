//! Stations: a virtualised, sortable, filterable table of stations.

use egui_extras::{Column, TableBuilder};

use crate::core::catalog;
use crate::core::document::Document;
use crate::core::rules;
use crate::core::subject::SubjectKind;
use crate::core::workspace::Station;
use crate::ui::selection::{Selection, cmp_ci, contains_ci};
use crate::ui::table_rows::{self, NameMatches, Orders, data_stamp};
use crate::ui::views::{Action, BulkKind};
use crate::ui::widgets;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Col {
    #[default]
    Station,
    Type,
    Enabled,
    Machine,
    Basic,
    Client,
    Acd,
    Others,
    Warnings,
}

pub const COLUMNS: [(&str, Col); 9] = [
    ("Station", Col::Station),
    ("Type", Col::Type),
    ("Enabled", Col::Enabled),
    ("Licensed Machine Name", Col::Machine),
    ("Basic Station", Col::Basic),
    ("Client", Col::Client),
    ("ACD level", Col::Acd),
    ("Other licenses", Col::Others),
    ("Warnings", Col::Warnings),
];

fn acd_text(s: &Station) -> String {
    match rules::acd_level(&s.licenses) {
        None => String::new(),
        Some(level) if level.capacity().is_some() => {
            let types: Vec<&str> = s.acd_media_types.iter().map(|m| m.label()).collect();
            format!("{} ({})", level.label(), types.join(", "))
        }
        Some(level) => level.label().to_string(),
    }
}

fn others_text(s: &Station) -> String {
    s.licenses
        .iter()
        .filter(|k| ***k != *catalog::BASIC_STATION && ***k != *catalog::CLIENT && catalog::acd_level_of(k).is_none())
        .map(|k| catalog::label(k))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Default)]
pub struct StationsView {
    pub filter: String,
    pub only_warnings: bool,
    sort: Col,
    descending: bool,
    rows: Vec<usize>,
    built_for: Option<(u64, u64, String, bool, Col, bool)>,
    /// Every station's position in each sorted column's order.
    orders: Orders<Col>,
    pub selection: Selection,
    scroll_to: Option<usize>,
}

impl StationsView {
    pub fn reveal(&mut self, doc: &Document, id: &str) {
        self.filter.clear();
        self.only_warnings = false;
        self.refresh(doc);
        if let Some(pos) = doc.workspace().station_pos(id)
            && let Some(row) = self.rows.iter().position(|&i| i == pos)
        {
            self.selection.clear();
            self.selection.click(row, id, egui::Modifiers::NONE, |_| id.to_string());
            self.scroll_to = Some(row);
        }
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
        let stations = doc.workspace().stations();
        let engine = doc.engine();
        let needle = self.filter.trim().to_lowercase();
        let sort = self.sort;
        let order = self.orders.get(data_stamp(doc), sort, stations.len(), |order| {
            let key = |s: &Station| -> String {
                match sort {
                    Col::Type => s.kind.label().to_string(),
                    Col::Enabled => (!s.enabled).to_string(),
                    Col::Basic => (!s.licenses.contains(catalog::BASIC_STATION)).to_string(),
                    Col::Client => (!s.licenses.contains(catalog::CLIENT)).to_string(),
                    Col::Acd => acd_text(s),
                    Col::Others => others_text(s),
                    Col::Station | Col::Machine | Col::Warnings => String::new(),
                }
            };
            let station = |i: &u32| &stations[*i as usize];
            match sort {
                Col::Warnings => order.sort_by_cached_key(|i| {
                    std::cmp::Reverse(engine.diagnostics_of(SubjectKind::Station, &station(i).id).len())
                }),
                Col::Station => order.sort_by(|a, b| cmp_ci(&station(a).id, &station(b).id)),
                Col::Machine => order.sort_by(|a, b| cmp_ci(&station(a).machine_name, &station(b).machine_name)),
                _ => order.sort_by_cached_key(|i| key(station(i))),
            }
        });
        let mut keys = NameMatches::new(|k: &str| contains_ci(k, &needle) || contains_ci(catalog::label(k), &needle));
        let rows = table_rows::rows(order, self.descending, |i| {
            let s = &stations[i];
            if self.only_warnings && engine.diagnostics_of(SubjectKind::Station, &s.id).is_empty() {
                return false;
            }
            needle.is_empty()
                || contains_ci(&s.id, &needle)
                || contains_ci(&s.machine_name, &needle)
                || contains_ci(s.kind.label(), &needle)
                || s.licenses.iter().any(|k| keys.matches(k))
        });
        self.rows = rows;
        self.selection.retain(|id| doc.workspace().station(id).is_some());
        self.built_for = Some(stamp);
    }

    pub fn selected_ids(&self, doc: &Document) -> Vec<String> {
        self.rows
            .iter()
            .map(|&i| &doc.workspace().stations()[i].id)
            .filter(|id| self.selection.contains(id))
            .cloned()
            .collect()
    }

    pub fn select_all(&mut self, doc: &Document) {
        let stations = doc.workspace().stations();
        let rows = &self.rows;
        self.selection.select_all(rows.len(), |r| stations[rows[r]].id.clone());
    }

    pub fn ui(&mut self, ui: &mut egui::Ui, doc: &Document, locked: bool, out: &mut Vec<Action>) {
        self.refresh(doc);
        ui.horizontal(|ui| {
            ui.heading("Stations");
            ui.label(format!(
                "{} of {} shown, {} selected",
                self.rows.len(),
                doc.workspace().stations().len(),
                self.selection.len()
            ));
        });
        ui.horizontal(|ui| {
            let label = ui.label("Search:");
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text("ID, machine, type or license")
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
            ui.checkbox(&mut self.only_warnings, "Only with warnings");
            ui.separator();
            // The selected ids are gathered only on a click: not every frame.
            let enabled = !locked && !self.selection.is_empty();
            if ui.add_enabled(enabled, egui::Button::new("Assign license…")).clicked() {
                out.push(Action::Bulk {
                    kind: BulkKind::Assign,
                    users: vec![],
                    stations: self.selected_ids(doc),
                });
            }
            if ui.add_enabled(enabled, egui::Button::new("Remove license…")).clicked() {
                out.push(Action::Bulk {
                    kind: BulkKind::Remove,
                    users: vec![],
                    stations: self.selected_ids(doc),
                });
            }
        });
        self.keyboard(ui, doc, out);
        self.refresh(doc);
        let stations = doc.workspace().stations();
        let engine = doc.engine();
        let mut clicked_header = None;
        let mut clicked_row = None;
        let mut open = None;
        // Row text must not swallow clicks meant for the row.
        ui.style_mut().interaction.selectable_labels = false;
        // Fixed-height virtual rows: long cells are cut with "…", never wrapped.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        let mut table = TableBuilder::new(ui)
            .id_salt("stations")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .column(Column::initial(130.0))
            .column(Column::initial(140.0))
            .column(Column::initial(70.0))
            .column(Column::initial(170.0))
            .column(Column::initial(100.0))
            .column(Column::initial(60.0))
            .column(Column::initial(150.0))
            .column(Column::initial(180.0).clip(true))
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
                    let s = &stations[self.rows[r]];
                    row.set_selected(self.selection.contains(&s.id));
                    let diags = engine.diagnostics_of(SubjectKind::Station, &s.id);
                    row.col(|ui| {
                        ui.label(&s.id);
                    });
                    row.col(|ui| {
                        ui.label(s.kind.label());
                    });
                    row.col(|ui| {
                        ui.label(if s.enabled { "Yes" } else { "No" });
                    });
                    row.col(|ui| {
                        ui.label(&s.machine_name);
                    });
                    row.col(|ui| {
                        ui.label(if s.licenses.contains(catalog::BASIC_STATION) {
                            "Yes"
                        } else {
                            ""
                        });
                    });
                    row.col(|ui| {
                        ui.label(if s.licenses.contains(catalog::CLIENT) {
                            "Yes"
                        } else {
                            ""
                        });
                    });
                    row.col(|ui| {
                        ui.label(acd_text(s));
                    });
                    row.col(|ui| {
                        ui.label(others_text(s));
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
                            ui.colored_label(color, &first.code).on_hover_text(&first.message);
                        }
                    });
                    let resp = row.response();
                    if resp.double_clicked() {
                        open = Some(s.id.clone());
                    } else if resp.clicked() {
                        clicked_row = Some((r, resp.ctx.input(|i| i.modifiers)));
                    }
                });
            });
        if let Some((r, modifiers)) = clicked_row {
            let rows = &self.rows;
            self.selection
                .click(r, &stations[rows[r]].id, modifiers, |x| stations[rows[x]].id.clone());
        }
        if let Some(id) = open {
            out.push(Action::OpenStation(id));
        }
        if let Some(i) = clicked_header {
            let col = COLUMNS[i].1;
            if col == self.sort {
                self.descending = !self.descending;
            } else {
                self.sort = col;
                self.descending = false;
            }
        }
    }

    fn keyboard(&mut self, ui: &mut egui::Ui, doc: &Document, out: &mut Vec<Action>) {
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let stations = doc.workspace().stations();
        let rows = &self.rows;
        let id_of = |r: usize| stations[rows[r]].id.clone();
        let (up, down, enter, all) = ui.input(|i| {
            (
                i.key_pressed(egui::Key::ArrowUp),
                i.key_pressed(egui::Key::ArrowDown),
                i.key_pressed(egui::Key::Enter),
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
            out.push(Action::OpenStation(id_of(r)));
        }
    }
}
