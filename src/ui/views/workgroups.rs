//! Workgroups: the workgroups in the one subject table (`ui::table`), and
//! for the selected one its queue media types (checkboxes) and members with
//! their ACD level; members whose licensing does not fit the queues are
//! highlighted.

use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::core::command::Command;
use crate::core::document::Document;
use crate::core::rules::DiagnosticCode;
use crate::core::subject::{Subject, SubjectKind};
use crate::core::workspace::{MediaType, Workgroup};
use crate::ui::table::{Column, Kind, Search, Sort, SubjectTable};
use crate::ui::views::Action;
use crate::ui::views::users::acd_text;
use crate::ui::widgets;

/// Workgroups, as the subject table lists them.
pub struct Workgroups;

fn media_text(wg: &Workgroup) -> String {
    wg.media.iter().map(|m| m.label()).collect::<Vec<_>>().join(", ")
}

const COLUMNS: &[Column<Workgroup>] = &[
    Column {
        label: "Name",
        tip: "The workgroup's name",
        width: 150.0,
        cell: |_, wg| Cow::Borrowed(&wg.name),
        sort: Sort::Text(|wg| &wg.name),
    },
    Column {
        label: "Queue media types",
        tip: "The interaction types the workgroup's ACD queue carries",
        width: 150.0,
        cell: |_, wg| Cow::Owned(media_text(wg)),
        sort: Sort::Key(|_, wg| media_text(wg)),
    },
    Column {
        label: "Members",
        tip: "How many users are members",
        width: 90.0,
        cell: |doc, wg| Cow::Owned(crate::core::text::thousands(doc.engine().member_count(&wg.name))),
        sort: Sort::Key(|doc, wg| format!("{:012}", doc.engine().member_count(&wg.name))),
    },
];

impl Kind for Workgroups {
    type Row = Workgroup;
    const SUBJECT: SubjectKind = SubjectKind::Workgroup;
    const TITLE: &'static str = "Workgroups";
    const NOUN: &'static str = "workgroup";
    const SEARCH_HINT: &'static str = "Name, media type or warning";

    fn rows(doc: &Document) -> &[Workgroup] {
        doc.workspace().workgroups()
    }
    fn id(row: &Workgroup) -> &str {
        &row.name
    }
    fn position(doc: &Document, id: &str) -> Option<usize> {
        doc.workspace().workgroup_pos(id)
    }
    fn columns() -> &'static [Column<Workgroup>] {
        COLUMNS
    }
    fn matches(wg: &Workgroup, search: &mut Search) -> bool {
        search.text(&wg.name) || wg.media.iter().any(|m| search.text(m.label())) || search.warned(&wg.name)
    }
    fn open(id: String) -> Action {
        Action::Reveal(Subject::workgroup(id))
    }
    fn toolbar(ui: &mut egui::Ui, selected: &dyn Fn() -> Vec<String>, enabled: bool, out: &mut Vec<Action>) {
        if widgets::edit_button(ui, enabled, egui::Button::new("Remove workgroup…")).clicked() {
            out.push(Action::ConfirmRemove {
                kind: SubjectKind::Workgroup,
                ids: selected(),
            });
        }
    }
}

#[derive(Default)]
pub struct WorkgroupsView {
    pub table: SubjectTable<Workgroups>,
    new_name: String,
}

const ACD_CODES: [DiagnosticCode; 3] = [
    DiagnosticCode::AcdMediaLevelMismatch,
    DiagnosticCode::AcdMediaTypeMismatch,
    DiagnosticCode::WorkgroupMemberWithoutAcd,
];

impl super::View for WorkgroupsView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<Action>) {
        self.draw(ui, cx.doc, cx.locked, cx.keys, out);
    }
}

impl WorkgroupsView {
    /// The workgroup the details show: the first selected one.
    fn selected<'a>(&self, doc: &'a Document) -> Option<&'a Workgroup> {
        let ws = doc.workspace();
        ws.workgroups()
            .iter()
            .find(|wg| self.table.selection.contains(&wg.name))
    }

    pub fn draw(&mut self, ui: &mut egui::Ui, doc: &Document, locked: bool, keys: bool, out: &mut Vec<Action>) {
        let ws = doc.workspace();
        // A workgroup is shown from the start: the details pane is never an
        // empty half of the view next to a squeezed list.
        if self.table.selection.is_empty()
            && let Some(first) = ws.workgroups().first()
        {
            self.table.selection.ids.insert(first.name.to_lowercase());
        }
        // Half the view, at least 360 points, but the details keep 240
        // (at 150 % in a small window they were squeezed to nothing).
        let list_width = (ui.available_width() * 0.5)
            .max(360.0)
            .min(ui.available_width() - 240.0)
            .max(200.0);
        crate::ui::a11y::name_panel_handle(ui, "Resize the workgroup list", |ui| {
            egui::Panel::left("wg-list")
                .resizable(true)
                .default_size(list_width)
                .show(ui, |ui| {
                    // Under the title, as every table's toolbar (it sat
                    // above the title): Remove workgroup… is the toolbar's,
                    // New and Add workgroup follow it.
                    // Down as a whole in a short window (1024×700 at 150 %):
                    // the wrapped toolbar left the table no room.
                    let (table, new_name) = (&mut self.table, &mut self.new_name);
                    egui::ScrollArea::vertical()
                        .id_salt("wg-list-scroll")
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            table.draw_with_tools(ui, doc, locked, keys, out, |ui, out| {
                                ui.separator();
                                let label = ui.label("New:");
                                crate::ui::widgets::field(
                                    ui,
                                    egui::TextEdit::singleline(new_name)
                                        .hint_text("New workgroup name")
                                        .desired_width(160.0),
                                )
                                .labelled_by(label.id);
                                let can_add = !locked && !new_name.trim().is_empty();
                                if crate::ui::widgets::edit_button(ui, can_add, egui::Button::new("Add workgroup"))
                                    .clicked()
                                {
                                    out.push(Action::Command(Box::new(Command::AddWorkgroup {
                                        workgroup: Workgroup::new(new_name.trim(), []),
                                        at: None,
                                    })));
                                    new_name.clear();
                                }
                            });
                        });
                })
        });
        egui::CentralPanel::default().show(ui, |ui| {
            let Some(wg) = self.selected(doc) else {
                ui.label("Select a workgroup to see its queue media types and members.");
                return;
            };
            ui.strong(format!("Queue media types of {}", wg.name));
            // Wraps: at 150 % the five media types do not fit half a window.
            ui.horizontal_wrapped(|ui| {
                for m in MediaType::ALL {
                    let mut on = wg.media.contains(&m);
                    let resp =
                        widgets::explain_locked(ui.add_enabled(!locked, egui::Checkbox::new(&mut on, m.label())));
                    if resp.changed() {
                        let mut media: BTreeSet<MediaType> = wg.media.clone();
                        if on {
                            media.insert(m);
                        } else {
                            media.remove(&m);
                        }
                        out.push(Action::Command(Box::new(Command::SetWorkgroupMedia {
                            name: wg.name.clone(),
                            media,
                        })));
                    }
                }
            });
            ui.separator();
            ui.strong(format!("Members of {}", wg.name));
            let media: Vec<&str> = wg.media.iter().map(|m| m.label()).collect();
            ui.label(if media.is_empty() {
                "No ACD queue".to_string()
            } else {
                format!("Queue carries: {}", media.join(", "))
            });
            ui.separator();
            let members = doc.engine().members(&wg.name);
            // Only the members in view are laid out: a workgroup of a large
            // site has thousands (5,000 laid out every frame took 30 ms).
            let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
            egui::ScrollArea::both().auto_shrink([false, false]).show_rows(
                ui,
                row_height,
                members.len() + 1,
                |ui, range| {
                    egui::Grid::new("wg-members")
                        .num_columns(3)
                        .striped(true)
                        .show(ui, |ui| {
                            for r in range {
                                if r == 0 {
                                    ui.strong("User");
                                    ui.strong("ACD level");
                                    ui.strong("Licensing");
                                    ui.end_row();
                                    continue;
                                }
                                let Some(user) = members.get(r - 1).and_then(|id| ws.user(id)) else {
                                    continue;
                                };
                                let problems: Vec<_> = doc
                                    .engine()
                                    .diagnostics_of(SubjectKind::User, &user.id)
                                    .iter()
                                    .filter(|d| ACD_CODES.contains(&d.code))
                                    .collect();
                                if ui.link(&user.id).clicked() {
                                    out.push(Action::OpenUser(user.id.clone()));
                                }
                                ui.label(acd_text(user));
                                match problems.first() {
                                    Some(d) => {
                                        ui.colored_label(widgets::warning_amber(ui), d.code.title())
                                            .on_hover_text(&*d.message);
                                    }
                                    None => {
                                        ui.label("OK");
                                    }
                                }
                                ui.end_row();
                            }
                        });
                },
            );
        });
    }
}
