//! Bulk allocation: with many users or stations selected, Assign license… /
//! Remove license… / Set method… / Roles… shows a preview — the core's plan
//! of the change: "20 users will get Client Access; 100 already have it;
//! 47 cannot: …" and the list of who gets, keeps, loses it or cannot
//! (scrollable, copyable) — and applies as one undoable command; over
//! `BULK_CONFIRM` users or stations it asks first.

use crate::core::catalog;
use crate::core::command::Command;
use crate::core::document::Document;
use crate::core::editing::Session;
use crate::core::plan::{self, ChangePlan};
use crate::core::subject::Subject;
use crate::core::workspace::Method;
use crate::ui::dialogs::DialogResult;
use crate::ui::dialogs::confirm::{self, BULK_CONFIRM};
use crate::ui::drop_down::DropDown as _;
use crate::ui::job::Limits;
use crate::ui::plan_job::PlanJob;
use crate::ui::views::BulkKind;
use crate::ui::widgets;

pub struct BulkDialog {
    pub kind: BulkKind,
    pub subjects: Vec<Subject>,
    pub key: String,
    pub method: Method,
    /// Roles: the role, and whether to give it (or take it away).
    pub role: String,
    pub give_role: bool,
    /// The plan of the change: worked out at once for a small selection,
    /// on a worker for a large one (100,000 users take a second or two).
    preview: Option<PlanJob>,
    preview_for: Option<(String, Method, u64)>,
}

impl BulkDialog {
    pub fn new(kind: BulkKind, subjects: Vec<Subject>, doc: &Document) -> Self {
        // The first license the whole selection may hold: never Basic
        // Station for users, never a user license for stations.
        let key = Self::offered(&subjects, doc).into_iter().next().unwrap_or_default();
        BulkDialog {
            kind,
            subjects,
            key,
            method: Method::Concurrent,
            role: String::new(),
            give_role: true,
            preview: None,
            preview_for: None,
        }
    }

    /// The licenses of the license file that every kind of subject in the
    /// selection may hold.
    pub fn offered(subjects: &[Subject], doc: &Document) -> Vec<String> {
        use crate::core::subject::SubjectKind;
        let users = subjects.iter().any(|s| s.kind == SubjectKind::User);
        let stations = subjects.iter().any(|s| s.kind == SubjectKind::Station);
        doc.license()
            .allowances()
            .iter()
            .map(|a| &a.key)
            .filter(|k| catalog::is_allocatable(k))
            .filter(|k| {
                catalog::lookup(k).is_none_or(|info| {
                    (!users || info.holders.allows_user()) && (!stations || info.holders.allows_station())
                })
            })
            .cloned()
            .collect()
    }

    pub fn command(&self) -> Command {
        match self.kind {
            BulkKind::Assign => Command::Assign {
                subjects: self.subjects.clone(),
                key: self.key.clone(),
                method: None,
            },
            BulkKind::Remove => Command::Unassign {
                subjects: self.subjects.clone(),
                key: self.key.clone(),
            },
            BulkKind::SetMethod => Command::SetMethod {
                users: self.subjects.iter().map(|s| s.id.clone()).collect(),
                method: self.method,
            },
            BulkKind::Roles => Command::SetRole {
                users: self.subjects.iter().map(|s| s.id.clone()).collect(),
                role: self.role.clone(),
                member: self.give_role,
            },
        }
    }

    /// The plan of the command: who would get, keep or lose what, who
    /// cannot and why (a dry run; the document ends as it was).
    pub fn preview(&self, session: &mut Session) -> ChangePlan {
        // Without a logon history (the confirmation replays one): nothing
        // to cancel, so the plan always comes back.
        plan::plan_in(session, &self.command(), None, &plan::Progress::default()).unwrap_or_default()
    }

    /// The preview, once worked out (tests: waits for a worker).
    pub fn wait_for_preview(&mut self) -> Option<&ChangePlan> {
        let job = self.preview.as_mut()?;
        job.wait();
        job.poll()
    }

    /// Roles… with no role typed yet: nothing to work out (every user
    /// would show as refused for a blank role before a key is pressed).
    fn awaiting_role(&self) -> bool {
        self.kind == BulkKind::Roles && self.role.trim().is_empty()
    }

    /// Works the preview out again when what it is of changed (on a
    /// worker when large).
    fn refresh_preview(&mut self, session: &mut Session, limits: &Limits) {
        let stamp = (
            format!("{}|{}|{}", self.key, self.role, self.give_role),
            self.method,
            session.doc().generation(),
        );
        if self.awaiting_role() {
            self.preview = None;
            self.preview_for = None;
        } else if self.preview_for.as_ref() != Some(&stamp) {
            // Events are left to the confirmation (which replays them).
            self.preview = Some(PlanJob::start(session, &self.command(), None, limits));
            self.preview_for = Some(stamp);
        }
    }

    pub fn show(&mut self, ctx: &egui::Context, session: &mut Session, limits: &Limits) -> DialogResult {
        self.refresh_preview(session, limits);
        let awaiting_role = self.awaiting_role();
        // Out of `self` while the dialog is drawn (its controls change the
        // rest of `self`), put back at the end.
        let mut job = self.preview.take();
        if let Some(j) = job.as_mut() {
            j.poll();
        }
        let working = job.as_ref().is_some_and(PlanJob::is_running);
        if working {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        let (plan, failed) = match &job {
            Some(PlanJob::Ready(p)) => (Some(&**p), None),
            Some(PlanJob::Failed(why)) => (None, Some(why.as_str())),
            _ => (None, None),
        };
        let doc = session.doc();
        let mut outcome = DialogResult::Keep;
        crate::ui::widgets::modal("bulk").show(ctx, |ui| {
            ui.set_width(560.0);
            let title = match self.kind {
                BulkKind::Assign => "Assign license",
                BulkKind::Remove => "Remove license",
                BulkKind::SetMethod => "Set license allocation method",
                BulkKind::Roles => "Roles",
            };
            ui.heading(title);
            ui.label(format!(
                "{} selected",
                crate::core::text::thousands(self.subjects.len())
            ));
            ui.separator();
            match self.kind {
                BulkKind::Assign | BulkKind::Remove => {
                    let offered = Self::offered(&self.subjects, doc);
                    let combo = egui::ComboBox::from_label("License")
                        .selected_text(catalog::label(&self.key))
                        .width(360.0)
                        .drop_down(ui, |ui| {
                            for key in &offered {
                                let text = catalog::label(key).to_string();
                                ui.selectable_value(&mut self.key, key.clone(), text).on_hover_text(key);
                            }
                        });
                    if ui.memory(|m| m.focused().is_none()) {
                        combo.response.request_focus();
                    }
                    if let Some(a) = doc.license().allowance(&self.key) {
                        ui.weak(format!(
                            "The license file allows {} assignable and {} concurrent {} licenses.",
                            crate::core::text::thousands(a.assigned as usize),
                            crate::core::text::thousands(a.pooled as usize),
                            catalog::label(&self.key)
                        ));
                    }
                }
                BulkKind::SetMethod => {
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut self.method, Method::Assignable, "Assignable");
                        ui.radio_value(&mut self.method, Method::Concurrent, "Concurrent");
                    });
                }
                BulkKind::Roles => {
                    ui.horizontal(|ui| {
                        let label = ui.label("Role:");
                        crate::ui::widgets::field(
                            ui,
                            egui::TextEdit::singleline(&mut self.role).hint_text("e.g. Agent"),
                        )
                        .labelled_by(label.id);
                        ui.radio_value(&mut self.give_role, true, "Give it");
                        ui.radio_value(&mut self.give_role, false, "Take it away");
                    });
                }
            }
            ui.add_space(6.0);
            if awaiting_role {
                ui.label("Type the role to give or take away: what would change is shown then.");
            }
            if working {
                ui.add(
                    egui::ProgressBar::new(0.0)
                        .text("Working out what would change…")
                        .animate(true),
                );
            }
            if let Some(why) = failed {
                ui.colored_label(widgets::warning_amber(ui), format!("{why}. Nothing was changed."));
            }
            if let Some(p) = plan {
                if p.items.is_empty() {
                    ui.label("Nothing would change.");
                }
                for (sentence, item) in p.sentences().iter().zip(&p.items) {
                    if item.refused.is_empty() {
                        ui.label(format!("{sentence}."));
                    } else {
                        ui.colored_label(widgets::warning_amber(ui), format!("{sentence}."));
                    }
                }
                confirm::past_counts(ui, p);
                confirm::list(ui, p, "bulk-list", 200.0);
                if p.rows() > 0
                    && ui
                        .button("Copy list")
                        .on_hover_text("Copy every line of the list, tab-separated")
                        .clicked()
                {
                    ui.ctx().copy_text(p.to_text());
                }
            }
            ui.separator();
            ui.horizontal(|ui| {
                let any = plan.is_some_and(|p| p.changes > 0);
                // Enter presses the default button, drawn selected: Apply,
                // or Cancel when nothing would change or the preview shows
                // refusals or licenses past a subscription's counts (as in
                // the confirmation).
                let cautions = plan.is_some_and(ChangePlan::cautions);
                let apply_default = any && !cautions;
                let enter = crate::ui::widgets::enter_pressed(ui);
                let large = self.subjects.len() > BULK_CONFIRM;
                let tip = if large {
                    "Asks first: a change to this many users or stations"
                } else {
                    "Apply as one step (Undo takes it all back)"
                };
                if ui
                    .add_enabled(any, egui::Button::new("Apply").selected(apply_default))
                    .on_hover_text(tip)
                    .clicked()
                    || (apply_default && enter)
                {
                    outcome = if large {
                        DialogResult::Confirm(Box::new(self.command()))
                    } else {
                        DialogResult::Apply(Box::new(self.command()))
                    };
                }
                if ui.add(egui::Button::new("Cancel").selected(!apply_default)).clicked() || (!apply_default && enter) {
                    outcome = DialogResult::Close;
                }
            });
        });
        self.preview = job;
        outcome
    }
}
