//! Licenses Allocation: IA's columns, sortable, rows over their limit
//! highlighted. Rows are cached and rebuilt only when the engine changes.

use egui_extras::{Column, TableBuilder};

use crate::core::document::Document;
use crate::core::engine::KeyCounts;
use crate::ui::widgets;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    #[default]
    FileOrder,
    Name,
    AssignableAllowed,
    AssignableConfigured,
    ConcurrentAllowed,
    ConcurrentConfigured,
    ConcurrentInUse,
}

#[derive(Default)]
pub struct AllocationView {
    sort: SortBy,
    descending: bool,
    rows: Vec<KeyCounts>,
    /// (engine revision, license pointer) the rows were built from.
    built_for: Option<(u64, usize)>,
    /// The rows' license names as drawn last frame (their place in the Tab
    /// order), and whether one of them had the focus.
    name_ids: Vec<egui::Id>,
    name_focused: bool,
}

pub const COLUMNS: [(&str, SortBy); 7] = [
    ("Name", SortBy::Name),
    ("Assignable Allowed", SortBy::AssignableAllowed),
    ("Assignable Configured", SortBy::AssignableConfigured),
    ("Concurrent Allowed", SortBy::ConcurrentAllowed),
    ("Concurrent Configured", SortBy::ConcurrentConfigured),
    ("Concurrent in Use", SortBy::ConcurrentInUse),
    ("Notes", SortBy::FileOrder),
];

impl super::View for AllocationView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        self.draw(ui, cx.doc, out);
    }
}

impl AllocationView {
    fn refresh(&mut self, doc: &Document) {
        let stamp = (doc.engine().revision(), std::sync::Arc::as_ptr(doc.license()) as usize);
        if self.built_for == Some(stamp) {
            return;
        }
        self.rows = doc.engine().counts(doc.license());
        self.built_for = Some(stamp);
        self.sort_rows();
    }

    fn sort_rows(&mut self) {
        let key = |r: &KeyCounts| -> u32 {
            match self.sort {
                SortBy::AssignableAllowed => r.assignable_allowed,
                SortBy::AssignableConfigured => r.assignable_configured,
                SortBy::ConcurrentAllowed => r.concurrent_allowed,
                SortBy::ConcurrentConfigured => r.concurrent_configured,
                SortBy::ConcurrentInUse => r.concurrent_in_use,
                _ => 0,
            }
        };
        match self.sort {
            SortBy::FileOrder => {}
            SortBy::Name => self.rows.sort_by(|a, b| a.label.cmp(&b.label)),
            _ => self.rows.sort_by_key(key),
        }
        if self.descending {
            self.rows.reverse();
        }
    }

    pub fn draw(&mut self, ui: &mut egui::Ui, doc: &Document, out: &mut Vec<super::Action>) {
        self.refresh(doc);
        ui.heading("Licenses Allocation");
        ui.label("Every license the license file allows, with how many are configured on users and stations.");
        if doc.license().is_subscription() {
            ui.label(crate::core::engine::SUBSCRIPTION_NOTE);
        }
        ui.separator();
        let mut clicked = None;
        ui.weak("Double-click a license, or right-click › Properties, to see and change who holds it.");
        let mut open: Option<String> = None;
        {
            // Row text must not swallow clicks meant for the row.
            ui.style_mut().interaction.selectable_labels = false;
        }
        // Sideways scrolling when the window (or a zoom) is narrower than
        // the columns.
        // A row's name reached by Tab, or asked for by a screen reader,
        // brings the first column into view: egui's table body scrolls
        // only up and down, and takes the sideways part of the request.
        let focused = ui.memory(|m| m.focused());
        let name_focused = focused.is_some_and(|f| self.name_ids.contains(&f));
        let asked = ui.input(|i| {
            i.events.iter().any(|e| {
                matches!(e, egui::Event::AccessKitActionRequest(r)
                    if r.action == egui::accesskit::Action::ScrollIntoView
                        && self.name_ids.iter().any(|id| id.accesskit_id() == r.target_node))
            })
        });
        let mut area = egui::ScrollArea::horizontal().id_salt("allocation-h");
        if asked || (name_focused && !self.name_focused) {
            area = area.horizontal_scroll_offset(0.0);
        }
        self.name_focused = name_focused;
        let mut name_ids = Vec::new();
        let names = COLUMNS.map(|(name, _)| name);
        crate::ui::a11y::table_with_mouse_handles(ui, egui::Id::unique("allocation"), &names, |ui| {
            area.show(ui, |ui| {
                // One line per cell: the table lays its rows out 22 points
                // apart and scrolls by that, so a Notes or Name cell that
                // wrapped onto more lines made its row taller than the
                // table counted, and the last rows stayed below the view
                // with no scroll left to reach them. The columns that do
                // not clip widen to their text instead (the table scrolls
                // sideways).
                ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
                TableBuilder::new(ui)
                    .id_salt("allocation")
                    // Rows take clicks, not the keyboard: Tab reaches each row
                    // once, by its license name (below), not cell by cell.
                    .sense(egui::Sense::CLICK)
                    .striped(true)
                    .resizable(true)
                    // As tall as the room left, one row at least (egui_extras keeps 200 points
                    // by default, more than a short window at 150 % has
                    // under a scenario's banner: its last rows were drawn
                    // past the view's bottom, where no scroll reached them).
                    .min_scrolled_height(22.0)
                    .column(Column::initial(300.0).at_least(120.0))
                    .columns(Column::initial(130.0).at_least(60.0), 5)
                    .column(Column::remainder().at_least(120.0))
                    .header(24.0, |mut header| {
                        for (i, (name, sort)) in COLUMNS.iter().enumerate() {
                            header.col(|ui| {
                                let sorted = *sort == self.sort && *sort != SortBy::FileOrder;
                                ui.horizontal(|ui| {
                                    let label = egui::RichText::new(*name).strong();
                                    let button = egui::Button::new(label).frame(false);
                                    if ui.add(button).on_hover_text("Sort by this column").clicked() {
                                        clicked = Some(i);
                                    }
                                    if sorted {
                                        widgets::sort_arrow(ui, self.descending);
                                    }
                                });
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(22.0, self.rows.len(), |mut row| {
                            let r = &self.rows[row.index()];
                            let over = r.over_limit();
                            let color = |ui: &egui::Ui| {
                                if over {
                                    widgets::error_red(ui)
                                } else {
                                    ui.visuals().text_color()
                                }
                            };
                            // The license name is the row's place in the Tab
                            // order, read as a button by its name: Enter or
                            // Space (or a screen reader's press) opens
                            // Properties, as a double-click on the row does.
                            let mut name_cell = None;
                            row.col(|ui| {
                                let name = ui
                                    .add(
                                        egui::Label::new(egui::RichText::new(&r.label).color(color(ui)))
                                            .sense(egui::Sense::click()),
                                    )
                                    .on_hover_text(format!(
                                        "{}\n{}\n\nDouble-click, or Enter, for who holds it.",
                                        r.key,
                                        crate::core::catalog::lookup(&r.key).map_or("Unknown key", |k| k.description)
                                    ));
                                name.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &r.label));
                                // Tab reaches the row just below the view
                                // (the table draws one past its bottom), and
                                // egui does not scroll to what takes the
                                // focus: the row comes into view here, and
                                // the row after it is drawn for the next Tab.
                                if name.gained_focus() {
                                    name.scroll_to_me(None);
                                }
                                if name.has_focus() {
                                    ui.painter().rect_stroke(
                                        ui.max_rect().expand(1.0),
                                        2.0,
                                        ui.visuals().selection.stroke,
                                        egui::StrokeKind::Inside,
                                    );
                                }
                                name_ids.push(name.id);
                                name_cell = Some(name);
                            });
                            for n in [
                                r.assignable_allowed,
                                r.assignable_configured,
                                r.concurrent_allowed,
                                r.concurrent_configured,
                                r.concurrent_in_use,
                            ] {
                                row.col(|ui| {
                                    ui.colored_label(color(ui), crate::core::text::thousands(n as usize));
                                });
                            }
                            row.col(|ui| {
                                ui.colored_label(color(ui), &r.notes);
                            });
                            // The name takes the clicks on its words: the row's
                            // double-click and right-click menu are its too.
                            let resp = match name_cell {
                                Some(name) => {
                                    if name.clicked() && !name.clicked_by(egui::PointerButton::Primary) {
                                        open = Some(r.key.clone());
                                        // The Enter that opens the dialog is
                                        // spent: it must not also press the
                                        // dialog's default button (Close).
                                        name.ctx
                                            .input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
                                    }
                                    row.response() | name
                                }
                                None => row.response(),
                            };
                            if resp.double_clicked() {
                                open = Some(r.key.clone());
                            }
                            resp.context_menu(|ui| {
                                if ui.button("Properties").clicked() {
                                    open = Some(r.key.clone());
                                    ui.close();
                                }
                            });
                        });
                    });
            });
        });
        self.name_ids = name_ids;
        if let Some(key) = open {
            out.push(super::Action::OpenLicense(key));
        }
        if let Some(i) = clicked {
            let sort = COLUMNS[i].1;
            if sort == self.sort {
                self.descending = !self.descending;
            } else {
                self.sort = sort;
                self.descending = false;
            }
            self.built_for = None;
        }
    }
}
