//! One subject table for users, stations and workgroups: virtualised,
//! sortable, filterable, multi-select (click, Ctrl/Shift-click, Ctrl+A,
//! arrows), Enter opens, Delete removes after asking, and a Warnings column
//! with the subject's diagnostics. What differs per kind is a `Kind`: its
//! rows, its column descriptors (label, width, cell, sort key) and its
//! search text. Only visible rows are drawn; the filtered and sorted row
//! list is rebuilt only when the data or the query changes.

use std::borrow::Cow;

use egui_extras::TableBuilder;
use rustc_hash::FxHashMap;

use crate::core::catalog;
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::document::Document;
use crate::core::subject::SubjectKind;
use crate::core::workspace::Name;
use crate::ui::selection::{Selection, cmp_ci, contains_ci};
use crate::ui::table_rows::{self, Orders, data_stamp};
use crate::ui::views::Action;
use crate::ui::widgets;

/// How a column sorts.
pub enum Sort<R> {
    /// By text, case-insensitively, without allocating (IDs, names).
    Text(fn(&R) -> &str),
    /// By a key computed once per row per data revision.
    Key(fn(&Document, &R) -> String),
}

/// One column: its header, width, cell text and sort.
pub struct Column<R> {
    pub label: &'static str,
    /// What the header's tooltip says it shows.
    pub tip: &'static str,
    pub width: f32,
    pub cell: for<'a> fn(&'a Document, &'a R) -> Cow<'a, str>,
    pub sort: Sort<R>,
}

/// What a search is tested against, with per-search caches for the
/// shared names (keys, workgroups) that hundreds of thousands of rows hold.
pub struct Search {
    needle: String,
    keys: FxHashMap<usize, bool>,
    groups: FxHashMap<usize, bool>,
    /// Per key (by address): does its ACD or IPA level's label contain the
    /// search?
    levels: FxHashMap<usize, bool>,
    /// Case-folded IDs of the subjects whose Warnings cell (a diagnostic's
    /// title or message) contains the search, worked out once per search.
    warned: rustc_hash::FxHashSet<String>,
}

impl Search {
    fn new(needle: String, doc: &Document, kind: SubjectKind) -> Self {
        let mut warned = rustc_hash::FxHashSet::default();
        if !needle.is_empty() {
            for d in doc.engine().diagnostics() {
                if d.subject.kind == kind && (contains_ci(d.code.title(), &needle) || contains_ci(&d.message, &needle))
                {
                    warned.insert(crate::core::workspace::fold(&d.subject.id));
                }
            }
        }
        Search {
            needle,
            keys: FxHashMap::default(),
            groups: FxHashMap::default(),
            levels: FxHashMap::default(),
            warned,
        }
    }

    /// Does the subject's Warnings cell contain the search?
    pub fn warned(&self, id: &str) -> bool {
        !self.warned.is_empty() && self.warned.contains(crate::core::workspace::fold_ref(id).as_ref())
    }

    /// Does the ACD cell (level, interaction types) or the IPA level
    /// contain the search? (Per key, cached: 100k rows share a few keys.)
    pub fn licensing(
        &mut self,
        licenses: &crate::core::workspace::NameSet,
        media: &std::collections::BTreeSet<crate::core::workspace::MediaType>,
    ) -> bool {
        let needle = &self.needle;
        licenses.iter().any(|k| {
            *self.levels.entry(address(k)).or_insert_with(|| {
                catalog::acd_level_of(k).is_some_and(|l| contains_ci(l.label(), needle))
                    || catalog::ipa_level_of(k).is_some_and(|l| contains_ci(l.label(), needle))
            })
        }) || media.iter().any(|m| contains_ci(m.label(), needle))
    }

    /// Does `text` contain the search (ignoring case)?
    pub fn text(&self, text: &str) -> bool {
        contains_ci(text, &self.needle)
    }

    /// Does a license key, or its label, contain the search?
    pub fn key(&mut self, key: &Name) -> bool {
        let needle = &self.needle;
        *self
            .keys
            .entry(address(key))
            .or_insert_with(|| contains_ci(key, needle) || contains_ci(catalog::label(key), needle))
    }

    /// Does a workgroup name contain the search?
    pub fn group(&mut self, name: &Name) -> bool {
        let needle = &self.needle;
        *self
            .groups
            .entry(address(name))
            .or_insert_with(|| contains_ci(name, needle))
    }
}

/// Shared names are told apart by address while the workspace cannot change.
fn address(name: &Name) -> usize {
    std::sync::Arc::as_ptr(name) as *const u8 as usize
}

/// What a table lists.
pub trait Kind: 'static {
    type Row: 'static;
    const SUBJECT: SubjectKind;
    /// The heading ("Users").
    const TITLE: &'static str;
    /// One of them, for messages ("user").
    const NOUN: &'static str;
    const SEARCH_HINT: &'static str;
    fn rows(doc: &Document) -> &[Self::Row];
    fn id(row: &Self::Row) -> &str;
    fn position(doc: &Document, id: &str) -> Option<usize>;
    fn columns() -> &'static [Column<Self::Row>];
    /// Does the row match a (non-empty) search?
    fn matches(row: &Self::Row, search: &mut Search) -> bool;
    /// The action a double click or Enter asks for.
    fn open(id: String) -> Action;
    /// The toolbar's buttons for the selection (bulk edits).
    fn toolbar(_ui: &mut egui::Ui, _selected: &dyn Fn() -> Vec<String>, _enabled: bool, _out: &mut Vec<Action>) {}
}

/// The query and data a row list was built for.
type Stamp = (u64, u64, String, bool, usize, bool);

/// A subject table's state: query, sort, rows, selection.
pub struct SubjectTable<K: Kind> {
    pub filter: String,
    pub only_warnings: bool,
    /// The sort column (an index into the columns; the last is Warnings).
    sort: usize,
    descending: bool,
    /// Indices into the workspace's rows, filtered and sorted.
    rows: Vec<usize>,
    built_for: Option<Stamp>,
    /// Every row's position in each sorted column's order.
    orders: Orders<usize>,
    pub selection: Selection,
    scroll_to: Option<usize>,
    kind: std::marker::PhantomData<K>,
}

impl<K: Kind> Default for SubjectTable<K> {
    fn default() -> Self {
        SubjectTable {
            filter: String::new(),
            only_warnings: false,
            sort: 0,
            descending: false,
            rows: Vec::new(),
            built_for: None,
            orders: Orders::default(),
            selection: Selection::default(),
            scroll_to: None,
            kind: std::marker::PhantomData,
        }
    }
}

impl<K: Kind> crate::ui::views::View for SubjectTable<K> {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut crate::ui::views::ViewContext<'_>, out: &mut Vec<Action>) {
        self.draw(ui, cx.doc, cx.locked, cx.keys, out);
    }
}

/// Rows a Page Up or Page Down moves.
const PAGE_ROWS: isize = 20;

impl<K: Kind> SubjectTable<K> {
    /// The index of the Warnings column (after the kind's own).
    fn warnings_column() -> usize {
        K::columns().len()
    }

    /// The column with this header, for callers that sort by name.
    pub fn column(label: &str) -> Option<usize> {
        if label == "Warnings" {
            return Some(Self::warnings_column());
        }
        K::columns().iter().position(|c| c.label == label)
    }

    /// Selects one subject and scrolls to it (from the Warnings panel).
    pub fn reveal(&mut self, doc: &Document, id: &str) {
        self.filter.clear();
        self.only_warnings = false;
        self.refresh(doc);
        if let Some(pos) = K::position(doc, id)
            && let Some(row) = self.rows.iter().position(|&i| i == pos)
        {
            self.selection.clear();
            self.selection.click(row, id, egui::Modifiers::NONE, |_| id.to_string());
            self.scroll_to = Some(row);
        }
    }

    /// Sorts by a column, as a click on its header does (again: reverse).
    pub fn sort_by(&mut self, col: usize) {
        if col == self.sort {
            self.descending = !self.descending;
        } else {
            self.sort = col;
            self.descending = false;
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
        let all = K::rows(doc);
        let engine = doc.engine();
        let sort = self.sort;
        let order = self.orders.get(data_stamp(doc), sort, all.len(), |order| {
            let row = |i: &u32| &all[*i as usize];
            match K::columns().get(sort) {
                // The workspace's order is by ID only by chance: sort.
                Some(Column {
                    sort: Sort::Text(text), ..
                }) => {
                    // Ties by position: a total order (see `Orders::get`).
                    // The texts gathered first, next to their positions: the
                    // comparisons then read no record (100,000 records read
                    // 1.7 million times made the first sort 19-43 ms).
                    let mut keyed: Vec<(&str, u32)> = order.iter().map(|i| (text(row(i)), *i)).collect();
                    keyed.sort_by(|a, b| cmp_ci(a.0, b.0).then(a.1.cmp(&b.1)));
                    for (slot, (_, i)) in order.iter_mut().zip(keyed) {
                        *slot = i;
                    }
                }
                Some(Column {
                    sort: Sort::Key(key), ..
                }) => order.sort_by_cached_key(|i| (key(doc, row(i)), *i)),
                None => order.sort_by_cached_key(|i| {
                    (
                        std::cmp::Reverse(engine.diagnostics_of(K::SUBJECT, K::id(row(i))).len()),
                        *i,
                    )
                }),
            }
        });
        let mut search = Search::new(self.filter.trim().to_lowercase(), doc, K::SUBJECT);
        let rows = table_rows::rows(order, self.descending, |i| {
            let row = &all[i];
            if self.only_warnings && engine.diagnostics_of(K::SUBJECT, K::id(row)).is_empty() {
                return false;
            }
            search.needle.is_empty() || K::matches(row, &mut search)
        });
        self.rows = rows;
        // Only a change to the workspace removes subjects (not a new
        // filter, sort or count): 100,000 selected IDs are not looked up
        // again for those.
        if self.built_for.as_ref().is_none_or(|b| b.1 != stamp.1) {
            self.selection.retain(|id| K::position(doc, id).is_some());
        }
        self.built_for = Some(stamp);
    }

    /// The selected subjects' IDs, in table order and the workspace's spelling.
    pub fn selected_ids(&self, doc: &Document) -> Vec<String> {
        selected(&self.rows, &self.selection, K::rows(doc), K::id)
    }

    pub fn select_all(&mut self, doc: &Document) {
        let all = K::rows(doc);
        self.selection.select_all(self.rows.iter().map(|&i| K::id(&all[i])));
    }

    /// The IDs of the rows shown now, in table order.
    pub fn visible_ids(&self, doc: &Document) -> Vec<String> {
        let all = K::rows(doc);
        self.rows.iter().map(|&i| K::id(&all[i]).to_string()).collect()
    }

    /// Rows shown now (after the search).
    pub fn shown(&self) -> usize {
        self.rows.len()
    }

    /// Draws the table; `keys`: the view may take the keyboard (no dialog
    /// or menu is in front).
    pub fn draw(&mut self, ui: &mut egui::Ui, doc: &Document, locked: bool, keys: bool, out: &mut Vec<Action>) {
        self.draw_with_tools(ui, doc, locked, keys, out, |_, _| {});
    }

    /// `draw`, with the view's own controls after the toolbar's (Workgroups:
    /// New and Add workgroup), in the same wrapping row under the title.
    pub fn draw_with_tools(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        locked: bool,
        keys: bool,
        out: &mut Vec<Action>,
        tools: impl FnOnce(&mut egui::Ui, &mut Vec<Action>),
    ) {
        self.refresh(doc);
        // Both rows wrap: at 1024 px or 150 % the toolbar is wider than
        // the view, and a button past the edge cannot be reached.
        ui.horizontal_wrapped(|ui| {
            ui.heading(K::TITLE);
            ui.label(format!(
                "{} of {} shown, {} selected",
                crate::core::text::thousands(self.rows.len()),
                crate::core::text::thousands(K::rows(doc).len()),
                crate::core::text::thousands(self.selection.len())
            ));
        });
        let (rows, selection) = (&self.rows, &self.selection);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Search:");
            crate::ui::widgets::field(
                ui,
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(K::SEARCH_HINT)
                    .desired_width(260.0),
            )
            .labelled_by(label.id);
            ui.checkbox(&mut self.only_warnings, "Only with warnings");
            ui.separator();
            // The selected ids are gathered only on a click: not every frame.
            let enabled = !locked && !selection.is_empty();
            K::toolbar(ui, &|| selected(rows, selection, K::rows(doc), K::id), enabled, out);
            tools(ui, out);
        });
        let focus_id = ui.make_persistent_id((K::TITLE, "table-focus"));
        self.keyboard(ui, doc, keys, focus_id, out);
        self.refresh(doc);
        self.focus_strip(ui, focus_id);
        self.table(ui, doc, focus_id, out);
    }

    /// The table's place in the keyboard order: a thin strip Tab reaches
    /// (after the search and toolbar), marked while the table has the
    /// keyboard; a click on a row gives it the keyboard too. While it has
    /// it, the arrow keys belong to the table, not to moving focus.
    fn focus_strip(&self, ui: &mut egui::Ui, focus_id: egui::Id) {
        let rect = ui.allocate_space(egui::vec2(ui.available_width(), 2.0)).1;
        let response = ui.interact(rect, focus_id, egui::Sense::focusable_noninteractive());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Table, true, K::TITLE));
        if response.has_focus() {
            ui.painter().rect_filled(rect, 0.0, ui.visuals().selection.stroke.color);
            ui.memory_mut(|m| {
                m.set_focus_lock_filter(
                    focus_id,
                    egui::EventFilter {
                        tab: false,
                        horizontal_arrows: true,
                        vertical_arrows: true,
                        escape: false,
                    },
                )
            });
        }
    }

    fn table(&mut self, ui: &mut egui::Ui, doc: &Document, focus_id: egui::Id, out: &mut Vec<Action>) {
        let all = K::rows(doc);
        let engine = doc.engine();
        let columns = K::columns();
        let mut clicked_header = None;
        let mut clicked_row: Option<(usize, egui::Modifiers)> = None;
        let mut open: Option<String> = None;
        // Row text must not swallow clicks meant for the row.
        ui.style_mut().interaction.selectable_labels = false;
        // Fixed-height virtual rows: long cells are cut with "…", never wrapped.
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
        // The columns start at their widths and the Warnings column takes the
        // rest (at least 260 points); when the window (or a zoom) leaves less
        // room, the table scrolls sideways instead of cutting columns off.
        // Widths the user drags are kept in egui's memory (saved with the
        // window state).
        let spacing = ui.spacing().item_spacing.x * (columns.len() as f32 + 1.0) + 16.0;
        let widths: f32 = columns.iter().map(|c| c.width).sum();
        let room = ui.available_width() - spacing;
        // Narrower columns first (down to 70 %), then sideways scrolling.
        let scale = ((room - 260.0) / widths).clamp(0.7, 1.0);
        let warnings_width = (room - widths * scale).max(260.0);
        let scroll_to = self.scroll_to.take();
        // The current row is outlined while the table has the keyboard,
        // selected or not (Space or Ctrl+click left it unselected and
        // nothing showed where the arrows would move from).
        let focused = ui.memory(|m| m.has_focus(focus_id));
        let cursor_stroke = ui.visuals().widgets.active.fg_stroke;
        let selection = &self.selection;
        let shown = &self.rows;
        let sort = self.sort;
        let descending = self.descending;
        let names: Vec<&str> = columns
            .iter()
            .map(|c| c.label)
            .chain(std::iter::once("Warnings"))
            .collect();
        let key = egui::Id::unique((K::TITLE, "table"));
        crate::ui::a11y::table_with_mouse_handles(ui, key, &names, |ui| {
            egui::ScrollArea::horizontal().id_salt((K::TITLE, "h")).show(ui, |ui| {
                let mut table = TableBuilder::new(ui)
                    .id_salt(K::TITLE)
                    .striped(true)
                    .resizable(true)
                    // Rows take clicks but not the keyboard focus: the table has
                    // one place in the Tab order (its focus strip), and the arrow
                    // keys move its cursor, not the focus from cell to cell.
                    .sense(egui::Sense::CLICK)
                    // Not the default 200 points: in a short window (1024×700
                    // at 150 %) the body ran under the Warnings panel and took
                    // the sideways scroll bar with it.
                    .min_scrolled_height(48.0);
                for c in columns {
                    table = table.column(egui_extras::Column::initial(c.width * scale).at_least(40.0).clip(true));
                }
                table = table.column(egui_extras::Column::initial(warnings_width).at_least(200.0).clip(true));
                if let Some(row) = scroll_to {
                    // Only as far as needed: the view moves when the cursor
                    // leaves it, not on every key.
                    table = table.scroll_to_row(row, None);
                }
                let headers = columns.iter().map(|c| (c.label, c.tip)).chain(std::iter::once((
                    "Warnings",
                    "What is wrong with this subject's licensing",
                )));
                table
                    .header(24.0, |mut header| {
                        for (i, (label, tip)) in headers.enumerate() {
                            header.col(|ui| {
                                ui.horizontal(|ui| {
                                    let button = egui::Button::new(egui::RichText::new(label).strong()).frame(false);
                                    let r = ui.add(button).on_hover_text(format!(
                                        "{tip}\n\nClick to sort. Help on the columns: F1, or right-click."
                                    ));
                                    if r.clicked() {
                                        clicked_header = Some(i);
                                    }
                                    r.context_menu(|ui| {
                                        if ui.button("Help on these columns").clicked() {
                                            crate::ui::help::request(ui.ctx());
                                            ui.close();
                                        }
                                    });
                                    if i == sort {
                                        widgets::sort_arrow(ui, descending);
                                    }
                                });
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(22.0, shown.len(), |mut row| {
                            let r = row.index();
                            let subject = &all[shown[r]];
                            let id = K::id(subject);
                            row.set_selected(selection.contains(id));
                            // The cells' rectangles (the row's response
                            // rectangle is not where the row is drawn).
                            let mut cells = egui::Rect::NOTHING;
                            for c in columns {
                                let (cell, _) = row.col(|ui| {
                                    // IDs and names come from files: a control
                                    // or invisible character is shown as an
                                    // escape, so two IDs never look alike.
                                    let text = (c.cell)(doc, subject);
                                    match crate::core::text::safe(&text) {
                                        Cow::Borrowed(_) => ui.label(text),
                                        Cow::Owned(escaped) => ui.label(escaped),
                                    };
                                });
                                cells = cells.union(cell);
                            }
                            let (cell, _) = row.col(|ui| warnings_cell(ui, engine.diagnostics_of(K::SUBJECT, id)));
                            cells = cells.union(cell);
                            let resp = row.response();
                            if focused && selection.cursor == Some(r) {
                                resp.ctx.layer_painter(resp.layer_id).rect_stroke(
                                    cells,
                                    2.0,
                                    cursor_stroke,
                                    egui::StrokeKind::Inside,
                                );
                            }
                            if resp.double_clicked() {
                                open = Some(id.to_string());
                            } else if resp.clicked() {
                                clicked_row = Some((r, resp.ctx.input(|i| i.modifiers)));
                            }
                        });
                    });
            });
        });
        if let Some((r, modifiers)) = clicked_row {
            ui.memory_mut(|m| m.request_focus(focus_id));
            let rows = &self.rows;
            self.selection
                .click(r, K::id(&all[rows[r]]), modifiers, |x| K::id(&all[rows[x]]).to_string());
        }
        if let Some(id) = open {
            out.push(K::open(id));
        }
        if let Some(i) = clicked_header {
            self.sort_by(i);
        }
    }

    /// A desktop list's keys, while the table has the keyboard (it has the
    /// focus, or nothing has) and no dialog or menu is in front: arrows,
    /// Shift+arrows, Page Up/Down, Home/End (with Shift to extend), Space
    /// (the row in or out), Enter (open), Delete (remove, asking first).
    /// Ctrl+A is the Edit menu's Select all. The view scrolls only when the
    /// cursor leaves it.
    fn keyboard(&mut self, ui: &mut egui::Ui, doc: &Document, keys: bool, focus_id: egui::Id, out: &mut Vec<Action>) {
        let focused = ui.memory(|m| m.has_focus(focus_id) || m.focused().is_none());
        if !keys || !focused {
            return;
        }
        let all = K::rows(doc);
        let rows = &self.rows;
        let count = rows.len();
        let id_of = |r: usize| K::id(&all[rows[r]]).to_string();
        let k = |i: &egui::InputState, key| i.key_pressed(key);
        // The moving keys count every press: on a slow frame (100k rows)
        // two Downs typed quickly arrive together and move two rows.
        let n = |i: &egui::InputState, key| i.num_presses(key) as isize;
        let (up, down, page_up, page_down, home, end, space, enter, delete, shift) = ui.input(|i| {
            (
                n(i, egui::Key::ArrowUp),
                n(i, egui::Key::ArrowDown),
                n(i, egui::Key::PageUp),
                n(i, egui::Key::PageDown),
                k(i, egui::Key::Home),
                k(i, egui::Key::End),
                k(i, egui::Key::Space),
                k(i, egui::Key::Enter),
                k(i, egui::Key::Delete),
                i.modifiers.shift,
            )
        });
        let cursor = self.selection.cursor.map_or(-1, |c| c as isize);
        let target = if up > 0 {
            Some(if cursor < 0 { 0 } else { cursor - up })
        } else if down > 0 {
            Some(cursor + down)
        } else if page_up > 0 {
            Some(cursor.max(0) - PAGE_ROWS * page_up)
        } else if page_down > 0 {
            Some(cursor.max(0) + PAGE_ROWS * page_down)
        } else if home {
            Some(0)
        } else if end {
            Some(count as isize - 1)
        } else {
            None
        };
        if let Some(t) = target {
            let moved = if shift {
                self.selection.extend_to(t, count, id_of)
            } else {
                self.selection.jump_to(t, count, id_of)
            };
            if moved.is_some() {
                // The key was the table's: it takes the keyboard, and egui
                // does not also move the focus to a widget that way.
                ui.memory_mut(|m| {
                    m.move_focus(egui::FocusDirection::None);
                    m.request_focus(focus_id);
                });
            }
            self.scroll_to = moved;
        }
        if space {
            self.selection.toggle_cursor(id_of);
        }
        if enter && let Some(r) = self.selection.cursor.filter(|r| *r < count) {
            out.push(K::open(id_of(r)));
        }
        // Locked, the app says why instead of asking (`Action::ConfirmRemove`).
        if delete && !self.selection.is_empty() {
            out.push(Action::ConfirmRemove {
                kind: K::SUBJECT,
                ids: self.selected_ids(doc),
            });
        }
    }
}

/// The IDs of the selected rows, in table order.
fn selected<R>(rows: &[usize], selection: &Selection, all: &[R], id: fn(&R) -> &str) -> Vec<String> {
    rows.iter()
        .map(|&i| id(&all[i]))
        .filter(|id| selection.contains(id))
        .map(str::to_string)
        .collect()
}

/// The Warnings cell: the first diagnostic's code ("+N" more), red for an
/// error, amber otherwise; the tooltip lists every message.
fn warnings_cell(ui: &mut egui::Ui, diags: &[Diagnostic]) {
    let Some(first) = diags.first() else { return };
    let color = if diags.iter().any(|d| d.severity == Severity::Error) {
        widgets::error_red(ui)
    } else {
        widgets::warning_amber(ui)
    };
    let text = if diags.len() == 1 {
        first.code.title().to_string()
    } else {
        format!("{} (+{})", first.code.title(), diags.len() - 1)
    };
    ui.colored_label(color, text).on_hover_text(
        diags
            .iter()
            .map(|d| format!("{} ({})", crate::core::text::safe(&d.message), d.code))
            .collect::<Vec<_>>()
            .join("\n"),
    );
}
