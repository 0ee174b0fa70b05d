//! Policies: the workspace's license rules (who should hold what), how many
//! users and stations each matches, what applying them would change (the
//! preview, with refusals per key and conflicts), and Apply — one command,
//! one undo step, each change in the change log (docs/policies.md).

use crate::ui::drop_down::DropDown as _;
use std::collections::BTreeMap;

use crate::core::catalog;
use crate::core::catalog::AcdLevel;
use crate::core::command::Command;
use crate::core::document::{Document, Outcome};
use crate::core::policy::{self, Plan, Policy};
use crate::core::policy_apply;
use crate::core::workspace::{Method, StationType};
use crate::ui::job::{Job, Limits, Poll};
use crate::ui::widgets;

#[derive(Default)]
pub struct PoliciesView {
    plan: Plan,
    /// Refusals of a dry run of the plan's command: why → how many.
    refused: BTreeMap<String, usize>,
    /// The plan's command (made with the plan: it names every subject that
    /// changes, tens of milliseconds to make at 100,000).
    command: Option<Command>,
    built_for: Option<Stamp>,
    /// The plan and its refusals being worked out on a worker (a large
    /// workspace: matching 100,000 users and stations and a dry run of what
    /// applying would do take most of a second), and for what.
    working: Option<(Job<Worked>, Stamp)>,
    /// The rule being edited: its place (`None`: a new one) and the draft.
    editing: Option<Editor>,
}

/// What the plan was worked out for: the document's generation and license
/// (not the engine's revision, which moves with each slice of a large
/// change being applied and with every dry run).
type Stamp = (u64, usize);

/// A plan, the refusals of a dry run of its command by reason, and the
/// command.
type Worked = (Plan, BTreeMap<String, usize>, Option<Command>);

/// The plan of the workspace's policies, and the refusals a dry run of its
/// command meets (on `doc`, which ends as it was).
fn work_out(doc: &mut Document) -> Worked {
    let plan = policy::plan(doc.workspace());
    let mut refused = BTreeMap::new();
    let command = policy_apply::command(&plan);
    if let Some(command) = &command {
        let outcomes = match doc.preview(command) {
            Ok(a) => a.outcomes,
            Err(r) => r.outcomes,
        };
        for o in outcomes {
            if let Outcome::Refused { reason, .. } = o.outcome {
                *refused.entry(reason).or_default() += 1;
            }
        }
    }
    (plan, refused, command)
}

/// The editor's fields, as typed.
#[derive(Clone, PartialEq)]
struct Editor {
    at: Option<usize>,
    name: String,
    role: String,
    workgroup: String,
    station_type: Option<StationType>,
    id_pattern: String,
    /// The keys granted, picked by IA's names (never typed).
    licenses: Vec<String>,
    /// Offer every license of the catalogue, not only the license file's.
    whole_catalog: bool,
    method: Option<Method>,
    /// None: no ACD; Some(None): the level of the workgroups; Some(Some(l)).
    acd: Option<Option<AcdLevel>>,
    exclusive: bool,
    count: Option<(Policy, (usize, usize))>,
}

impl Editor {
    fn from(at: Option<usize>, p: Option<&Policy>) -> Editor {
        let empty = Policy {
            name: String::new(),
            matches: Default::default(),
            grant: Default::default(),
            exclusive: false,
        };
        let p = p.unwrap_or(&empty);
        Editor {
            at,
            name: p.name.clone(),
            role: p.matches.role.clone().unwrap_or_default(),
            workgroup: p.matches.workgroup.clone().unwrap_or_default(),
            station_type: p.matches.station_type,
            id_pattern: p
                .matches
                .id_pattern
                .as_ref()
                .map(|x| x.as_str().to_string())
                .unwrap_or_default(),
            licenses: p
                .grant
                .licenses
                .iter()
                .map(|k| catalog::canonical(k.trim()).to_string())
                .collect(),
            whole_catalog: false,
            method: p.grant.method,
            acd: p.grant.acd.as_ref().map(|a| a.level),
            exclusive: p.exclusive,
            count: None,
        }
    }

    fn policy(&self) -> Policy {
        let opt = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
        Policy {
            name: self.name.trim().to_string(),
            matches: policy::Match {
                role: opt(&self.role),
                workgroup: opt(&self.workgroup),
                station_type: self.station_type,
                id_pattern: opt(&self.id_pattern).map(|p| crate::core::id_pattern::IdPattern::new(&p)),
                applies_to: None,
            },
            grant: policy::Grant {
                licenses: self.licenses.clone(),
                method: if self.station_type.is_some() { None } else { self.method },
                acd: self.acd.map(|level| policy::AcdGrant {
                    level,
                    media: Default::default(),
                }),
            },
            exclusive: self.exclusive,
        }
    }
}

/// The licenses a rule for these subjects may grant, by IA's name: the
/// license file's (or the whole catalogue's) licenses that users — or, for
/// a station rule, stations — may hold; ACD levels are set under ACD
/// Access. Keys the rule grants already stay offered.
fn offered(ed: &Editor, license: &crate::core::license::License) -> Vec<String> {
    let stations = ed.station_type.is_some();
    let fits = |k: &str| {
        catalog::is_allocatable(k)
            && catalog::acd_level_of(k).is_none()
            && catalog::lookup(k).is_none_or(|i| {
                if stations {
                    i.holders.allows_station()
                } else {
                    i.holders.allows_user()
                }
            })
    };
    let mut keys: Vec<String> = if ed.whole_catalog {
        catalog::all().iter().map(|i| i.key.to_string()).collect()
    } else {
        license
            .allowances()
            .iter()
            .map(|a| catalog::canonical(&a.key).to_string())
            .collect()
    };
    keys.retain(|k| fits(k));
    for k in &ed.licenses {
        if !keys.contains(k) {
            keys.push(k.clone());
        }
    }
    keys.sort_by_cached_key(|k| catalog::label(k).to_lowercase());
    keys.dedup();
    keys
}

/// The Licenses field: a drop-down list of license names with a box each
/// (several may be ticked), showing what is ticked; the rule stores keys.
fn licenses_pick(ui: &mut egui::Ui, ed: &mut Editor, license: &crate::core::license::License, label: egui::Id) {
    let chosen = if ed.licenses.is_empty() {
        "none".to_string()
    } else {
        ed.licenses
            .iter()
            .map(|k| catalog::label(k))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let offered = offered(ed, license);
    egui::ComboBox::from_id_salt("policy-licenses")
        .selected_text(chosen)
        .width(420.0)
        .height(320.0)
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .drop_down(ui, |ui| {
            for key in &offered {
                let mut on = ed.licenses.contains(key);
                let in_file = license.allowance(key).is_some();
                let text = if in_file {
                    catalog::label(key).to_string()
                } else {
                    format!("{} (not in the license file)", catalog::label(key))
                };
                if ui.checkbox(&mut on, text).on_hover_text(key.as_str()).changed() {
                    if on {
                        ed.licenses.push(key.clone());
                    } else {
                        ed.licenses.retain(|k| k != key);
                    }
                }
            }
        })
        .response
        .labelled_by(label);
    ui.checkbox(&mut ed.whole_catalog, "Offer licenses not in the license file");
}

impl super::View for PoliciesView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        self.draw(ui, cx.doc, cx.locked, cx.limits, out);
    }
}

impl PoliciesView {
    /// Brings the plan up to date with the document: at once for a small
    /// workspace, on a worker for a large one (the plan shown meanwhile is
    /// the last one, and the view says it is being worked out).
    fn refresh(&mut self, doc: &Document, limits: &Limits) {
        let stamp = (doc.generation(), std::sync::Arc::as_ptr(doc.license()) as usize);
        if self.built_for == Some(stamp) {
            self.working = None;
            return;
        }
        let ws = doc.workspace();
        if ws.users().len() + ws.stations().len() <= limits.subjects {
            self.working = None;
            // A dry run on a copy (the view only reads the document).
            (self.plan, self.refused, self.command) = work_out(&mut doc.clone());
            self.built_for = Some(stamp);
            return;
        }
        if let Some((job, for_stamp)) = &mut self.working
            && *for_stamp == stamp
        {
            match job.poll() {
                Poll::Running => return,
                Poll::Done(worked) => {
                    (self.plan, self.refused, self.command) = worked;
                    self.built_for = Some(stamp);
                    self.working = None;
                    return;
                }
                Poll::Gone => {}
            }
        }
        let (license, ws, today) = (doc.license().clone(), doc.snapshot(), doc.today());
        let job = limits.spawn("policies plan", move |_| {
            let mut scratch = Document::new(license, std::sync::Arc::unwrap_or_clone(ws), today);
            Some(work_out(&mut scratch))
        });
        self.working = Some((job, stamp));
    }

    /// Is the plan being worked out on a worker?
    pub fn is_working(&self) -> bool {
        self.working.is_some()
    }

    /// Waits for the worker and puts its plan in place (tests).
    pub fn wait(&mut self) {
        if let Some((mut job, stamp)) = self.working.take()
            && let Some(worked) = job.wait()
        {
            (self.plan, self.refused, self.command) = worked;
            self.built_for = Some(stamp);
        }
    }

    /// The rule editor, with a live count of what the draft matches.
    fn editor(&mut self, ui: &mut egui::Ui, doc: &Document, locked: bool, out: &mut Vec<super::Action>) {
        let Some(ed) = &mut self.editing else { return };
        let mut close = false;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.strong(if ed.at.is_some() { "Edit policy" } else { "New policy" });
            egui::Grid::new("policy-editor").num_columns(2).show(ui, |ui| {
                for (label, value, hint) in [
                    ("Name:", &mut ed.name, "e.g. Agents by workgroup media"),
                    ("Role:", &mut ed.role, "any"),
                    ("Workgroup:", &mut ed.workgroup, "any"),
                    ("ID pattern:", &mut ed.id_pattern, "e.g. agent*"),
                ] {
                    let l = ui.label(label);
                    crate::ui::widgets::field(ui, egui::TextEdit::singleline(value).hint_text(hint)).labelled_by(l.id);
                    ui.end_row();
                }
                let l = ui.label("Licenses:");
                ui.vertical(|ui| licenses_pick(ui, ed, doc.license(), l.id));
                ui.end_row();
                let l = ui.label("Station type:");
                egui::ComboBox::from_id_salt("policy-station-type")
                    .selected_text(ed.station_type.map_or("users, not stations", StationType::label))
                    .drop_down(ui, |ui| {
                        ui.selectable_value(&mut ed.station_type, None, "users, not stations");
                        for t in StationType::ALL {
                            ui.selectable_value(&mut ed.station_type, Some(t), t.label());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
                ui.label("Method:");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut ed.method, None, "as it is");
                    ui.radio_value(&mut ed.method, Some(Method::Assignable), "Assignable");
                    ui.radio_value(&mut ed.method, Some(Method::Concurrent), "Concurrent");
                });
                ui.end_row();
                ui.label("ACD Access:");
                ui.horizontal(|ui| {
                    ui.radio_value(&mut ed.acd, None, "none");
                    ui.radio_value(&mut ed.acd, Some(None), "level of the workgroups");
                    for l in AcdLevel::ALL {
                        ui.radio_value(&mut ed.acd, Some(Some(l)), l.label());
                    }
                });
                ui.end_row();
                ui.label("");
                ui.checkbox(&mut ed.exclusive, "Exclusive (holding more is drift too)");
                ui.end_row();
            });
            let draft = ed.policy();
            if ed.count.as_ref().is_none_or(|(p, _)| *p != draft) {
                let n = policy::count_matches(doc.workspace(), &draft);
                ed.count = Some((draft.clone(), n));
            }
            let (users, stations) = ed.count.as_ref().map_or((0, 0), |(_, n)| *n);
            ui.label(format!(
                "Matches {} and {} now.",
                crate::core::text::count(users, "user", "users"),
                crate::core::text::count(stations, "station", "stations")
            ));
            let problems = draft.problems(0);
            ui.horizontal(|ui| {
                if crate::ui::widgets::edit_button(ui, !locked && problems.is_empty(), egui::Button::new("Save policy"))
                    .clicked()
                {
                    let mut list = doc.workspace().policies.clone();
                    match ed.at {
                        Some(i) if i < list.len() => list[i] = draft.clone(),
                        _ => list.push(draft.clone()),
                    }
                    out.push(super::Action::Command(Box::new(
                        crate::core::command::Command::SetPolicies { policies: list },
                    )));
                    close = true;
                }
                if ui.button("Cancel").clicked() {
                    close = true;
                }
            });
            // Below the buttons: Save policy stays where it is when a
            // problem line comes or goes (a click aimed at it missed).
            for (_, why) in &problems {
                ui.colored_label(widgets::warning_amber(ui), why);
            }
        });
        if close {
            self.editing = None;
        }
    }

    pub fn draw(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        locked: bool,
        limits: &Limits,
        out: &mut Vec<super::Action>,
    ) {
        ui.heading("Policies");
        ui.label("Rules that say who should hold which licenses, by role, workgroup, station type or ID pattern.");
        ui.separator();
        // Down as a whole when the window is short (1024×700 at 150 % put
        // Apply policies below the Warnings panel).
        egui::ScrollArea::vertical()
            .id_salt("policies-view")
            .auto_shrink([false, false])
            .show(ui, |ui| self.body(ui, doc, locked, limits, out));
    }

    /// A row's Edit opens the editor on it; its Remove sends the policies
    /// without it (one undoable step).
    fn edit_or_remove(
        &mut self,
        policies: &[crate::core::workspace::Policy],
        edit: Option<usize>,
        remove: Option<usize>,
        out: &mut Vec<super::Action>,
    ) {
        if let Some(i) = edit {
            self.editing = Some(Editor::from(Some(i), policies.get(i)));
        }
        if let Some(i) = remove {
            let mut list = policies.to_vec();
            list.remove(i);
            out.push(super::Action::Command(Box::new(
                crate::core::command::Command::SetPolicies { policies: list },
            )));
        }
    }

    fn body(&mut self, ui: &mut egui::Ui, doc: &Document, locked: bool, limits: &Limits, out: &mut Vec<super::Action>) {
        let policies = &doc.workspace().policies;
        if crate::ui::widgets::edit_button(ui, !locked, egui::Button::new("New policy…")).clicked() {
            self.editing = Some(Editor::from(None, None));
        }
        self.editor(ui, doc, locked, out);
        if policies.is_empty() {
            ui.label("This workspace has no policies yet. Help › Policies has examples for a contact center.");
            return;
        }
        self.refresh(doc, limits);
        let (mut edit, mut remove) = (None, None);
        // Sideways when the rules are wider than the view (150 %): the
        // Edit and Remove buttons at the end of each row stay reachable;
        // down when there are many (50 rules are taller than the window):
        // Apply policies and what would change stay in view below them.
        let rules_height = (ui.available_height() * 0.45).max(120.0);
        egui::ScrollArea::both()
            .id_salt("policies-h")
            .max_height(rules_height)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                egui::Grid::new("policies-grid").striped(true).show(ui, |ui| {
                    for (h, tip) in [
                        ("Policy", "The rule's name"),
                        ("Matches", "Who the rule is for (all criteria must hold)"),
                        ("Grants", "What the rule says they should hold"),
                        ("Users", "Users the rule matches now"),
                        ("Stations", "Stations the rule matches now"),
                        ("", ""),
                    ] {
                        crate::ui::widgets::column_header(ui, h).on_hover_text(tip);
                    }
                    ui.end_row();
                    for (i, p) in policies.iter().enumerate() {
                        ui.label(if p.exclusive {
                            format!("{} (exclusive)", p.name)
                        } else {
                            p.name.clone()
                        });
                        let m = &p.matches;
                        let mut what = Vec::new();
                        if let Some(r) = &m.role {
                            what.push(format!("role {r}"));
                        }
                        if let Some(w) = &m.workgroup {
                            what.push(format!("workgroup {w}"));
                        }
                        if let Some(t) = m.station_type {
                            what.push(format!("{} stations", t.label()));
                        }
                        if let Some(pat) = &m.id_pattern {
                            what.push(format!("ID {pat}"));
                        }
                        ui.label(if what.is_empty() {
                            "everyone".to_string()
                        } else {
                            what.join(" and ")
                        });
                        let mut grants: Vec<String> =
                            p.grant.licenses.iter().map(|k| catalog::label(k).to_string()).collect();
                        if let Some(m) = p.grant.method {
                            grants.push(m.label().to_string());
                        }
                        if let Some(acd) = &p.grant.acd {
                            grants.push(match acd.level {
                                Some(l) => format!("ACD {}", l.label()),
                                None => "ACD (level of the workgroups)".to_string(),
                            });
                        }
                        ui.label(grants.join(", "));
                        let (users, stations) = self.plan.matched.get(&p.name).copied().unwrap_or_default();
                        ui.label(crate::core::text::thousands(users));
                        ui.label(crate::core::text::thousands(stations));
                        // Every row has them: each says which policy.
                        ui.horizontal(|ui| {
                            if crate::ui::widgets::edit_button(ui, !locked, egui::Button::new("Edit…"))
                                .accessible_name(format!("Edit policy {}…", p.name))
                                .clicked()
                            {
                                edit = Some(i);
                            }
                            if crate::ui::widgets::edit_button(ui, !locked, egui::Button::new("Remove"))
                                .accessible_name(format!("Remove policy {}", p.name))
                                .clicked()
                            {
                                remove = Some(i);
                            }
                        });
                        ui.end_row();
                    }
                });
            });
        self.edit_or_remove(policies, edit, remove, out);
        ui.separator();
        let working = self.working.is_some();
        if working {
            // Polled again shortly: the worker does not wake the window.
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(if self.built_for.is_some() {
                    "Working out what the policies would change now; the figures below are from before the latest \
                     changes."
                } else {
                    "Working out what the policies would change…"
                });
            });
        }
        let changes = self.plan.changes.len();
        let users = self
            .plan
            .changes
            .iter()
            .filter(|c| c.subject.kind == crate::core::subject::SubjectKind::User)
            .count();
        let who = if changes == 0 {
            "Nothing".to_string()
        } else {
            crate::core::plan::who(users, changes - users)
        };
        ui.label(format!(
            "{who} would change, {} already as the policies say, {} in conflict.",
            crate::core::text::thousands(self.plan.unchanged),
            crate::core::text::thousands(self.plan.conflicts.len())
        ));
        for (why, n) in &self.refused {
            ui.colored_label(
                widgets::warning_amber(ui),
                format!("{} refused: {why}", crate::core::text::thousands(*n)),
            );
        }
        for c in self.plan.conflicts.iter().take(10) {
            ui.colored_label(widgets::warning_amber(ui), format!("{}: {}", c.subject, c.message));
        }
        ui.horizontal(|ui| {
            if crate::ui::widgets::edit_button(
                ui,
                !locked && !working && self.command.is_some(),
                egui::Button::new("Apply policies"),
            )
            .on_hover_text("Shows who will get, keep and lose each license first; one step: Undo takes it all back")
            .clicked()
                && let Some(c) = self.command.clone()
            {
                out.push(super::Action::Confirm(Box::new(c)));
            }
        });
        self.changes_list(ui, changes);
    }

    /// What would change: a row per subject, each part with the rules it is
    /// credited to, laid out only as far as the rows show.
    fn changes_list(&self, ui: &mut egui::Ui, changes: usize) {
        ui.add_space(6.0);
        ui.strong("What would change");
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::ScrollArea::vertical()
            .id_salt("policy-changes")
            .auto_shrink([false, false])
            .min_scrolled_height(120.0)
            .show_rows(ui, row_height, changes, |ui, range| {
                for c in &self.plan.changes[range] {
                    // Each part with the rules it is credited to (those that
                    // grant or remove it, not every rule the subject matches).
                    let by = |part: &policy::Part| c.credited(part).join(", ");
                    let mut parts = Vec::new();
                    for k in &c.add {
                        parts.push(format!(
                            "gets {} ({})",
                            catalog::label(k),
                            by(&policy::Part::Add(k.clone()))
                        ));
                    }
                    if let Some((l, _)) = &c.acd {
                        parts.push(format!("ACD {} ({})", l.label(), by(&policy::Part::Acd)));
                    }
                    if let Some(m) = c.method {
                        parts.push(format!("{} ({})", m.label(), by(&policy::Part::Method)));
                    }
                    for k in &c.remove {
                        parts.push(format!(
                            "loses {} ({})",
                            catalog::label(k),
                            by(&policy::Part::Remove(k.clone()))
                        ));
                    }
                    ui.label(format!("{}: {}", c.subject, parts.join("; ")));
                }
            });
    }
}
