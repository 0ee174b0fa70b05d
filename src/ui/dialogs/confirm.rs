//! The one confirmation before a large change — Apply policies, Reclaim ›
//! Apply, and any bulk change over `BULK_CONFIRM` users or stations: "Apply
//! N changes to M users?", "K logons would be denied" when a logon history
//! is loaded, and the plan's list of who will get, keep and lose each
//! license (scrollable, copyable). Cancel is the default (Enter) when the
//! plan shows refusals, denials or licenses taken past a subscription's
//! counts, Apply otherwise. The plan is the core's
//! (`core::plan`), worked out by `PlanJob`, on a worker when it is large.

use crate::core::command::Command;
use crate::core::plan::{ChangePlan, RowChange};
use crate::ui::dialogs::DialogResult;
use crate::ui::plan_job::PlanJob;
use crate::ui::widgets;

/// A bulk change over this many users or stations asks first.
pub const BULK_CONFIRM: usize = 100;

pub struct ConfirmDialog {
    /// What would be applied, exactly as planned.
    pub command: Command,
    /// The change in words ("Apply policies: Agents, Supervisors").
    pub what: String,
    pub job: PlanJob,
    /// The loaded logon history's name, when there is one.
    pub history: Option<String>,
}

impl ConfirmDialog {
    pub fn new(command: Command, job: PlanJob, history: Option<String>) -> Self {
        ConfirmDialog {
            what: command.summary(),
            command,
            job,
            history,
        }
    }

    /// The plan, once worked out.
    pub fn plan(&mut self) -> Option<&ChangePlan> {
        self.job.poll()
    }

    pub fn show(&mut self, ctx: &egui::Context) -> DialogResult {
        let mut outcome = DialogResult::Keep;
        let what = self.what.clone();
        let history = self.history.clone();
        let ready = self.job.poll().is_some();
        if !ready && self.job.is_running() {
            // Polled again shortly: the worker does not wake the window.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }

        widgets::modal("confirm-changes").show(ctx, |ui| {
            ui.set_width(680.0);
            let enter = widgets::enter_pressed(ui);
            match &mut self.job {
                PlanJob::Ready(plan) => match plan_ui(ui, plan, &what, history.as_deref(), enter) {
                    Some(true) => outcome = DialogResult::Apply(Box::new(self.command.clone())),
                    Some(false) => outcome = DialogResult::Close,
                    None => {}
                },
                PlanJob::Running(_) => {
                    ui.heading("Working out what would change…");
                    ui.weak(&what);
                    let fraction = self.job.fraction().unwrap_or(0.0);
                    let text = if fraction > 0.0 {
                        format!("Replaying the logon history: {:.0} %", fraction * 100.0)
                    } else {
                        "Trying the change on a copy of the workspace".to_string()
                    };
                    ui.add(egui::ProgressBar::new(fraction).text(text));
                    if ui.button("Cancel").clicked() || enter {
                        self.job.cancel();
                        outcome = DialogResult::Close;
                    }
                }
                PlanJob::Failed(why) => {
                    ui.heading("The change cannot be previewed");
                    ui.label(format!("{why}. Nothing was changed."));
                    if widgets::default_button(ui, true, "Close").clicked() || enter {
                        outcome = DialogResult::Close;
                    }
                }
            }
        });
        outcome
    }
}

/// The licenses the change takes past what a subscription license file
/// lists, in amber (accepted and billed per use: the plan's caution).
pub fn past_counts(ui: &mut egui::Ui, plan: &ChangePlan) {
    for line in plan.past_count_lines() {
        ui.colored_label(widgets::warning_amber(ui), format!("{line}."));
    }
}

/// The plan: the question, denials, one sentence per license, the list,
/// Copy, Apply and Cancel. `Some(true)`: Apply; `Some(false)`: Cancel.
fn plan_ui(ui: &mut egui::Ui, plan: &ChangePlan, what: &str, history: Option<&str>, enter: bool) -> Option<bool> {
    ui.heading(plan.question());
    ui.weak(what);
    if let Some(denials) = plan.denials_line() {
        let colour = if plan.denied_logons.unwrap_or(0) > 0 {
            widgets::warning_amber(ui)
        } else {
            ui.visuals().text_color()
        };
        let source = history.map_or(String::new(), |h| format!(", replaying the loaded history ({h})"));
        ui.colored_label(colour, format!("{denials} after this change{source}."));
    }
    ui.add_space(4.0);
    for (sentence, item) in plan.sentences().iter().zip(&plan.items) {
        if item.refused.is_empty() {
            ui.label(format!("{sentence}."));
        } else {
            ui.colored_label(widgets::warning_amber(ui), format!("{sentence}."));
        }
    }
    past_counts(ui, plan);
    ui.add_space(4.0);
    list(ui, plan, "confirm-list", 260.0);
    ui.separator();
    let mut answer = None;
    ui.horizontal(|ui| {
        let can_apply = plan.changes > 0;
        // The default button (Enter) is drawn selected: Cancel when the plan
        // shows refusals or denials, Apply otherwise.
        let cancel_default = plan.cautions() || !can_apply;
        let apply = ui
            .add_enabled(can_apply, egui::Button::new("Apply").selected(!cancel_default))
            .on_hover_text("Apply the change as one step (Undo takes it all back)");
        let cancel = ui.add(egui::Button::new("Cancel").selected(cancel_default));
        if apply.clicked() || (enter && !cancel_default) {
            answer = Some(true);
        }
        if cancel.clicked() || (enter && cancel_default) {
            answer = Some(false);
        }
        if ui
            .button("Copy list")
            .on_hover_text("Copy the question and every line of the list, tab-separated")
            .clicked()
        {
            ui.ctx().copy_text(plan.to_text());
        }
    });
    answer
}

/// The plan's list, one line per subject and license — who, what happens,
/// to what — virtualised: only the lines on screen are laid out (a plan
/// can list 100,000 subjects).
pub fn list(ui: &mut egui::Ui, plan: &ChangePlan, id: &str, height: f32) {
    let rows = plan.rows();
    if rows == 0 {
        return;
    }
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    let width = ui.available_width();
    // Who, change, what: fixed shares of the width, so the columns line up
    // whichever lines are on screen.
    let columns = [width * 0.34, width * 0.16];
    let line = |ui: &mut egui::Ui, cells: [egui::WidgetText; 3], hover: Option<&str>| {
        ui.horizontal(|ui| {
            for (cell, w) in cells.into_iter().zip(columns.iter().copied().chain([f32::INFINITY])) {
                let w = w.min(ui.available_width());
                let r = ui
                    .allocate_ui_with_layout(
                        egui::vec2(w, row_height),
                        egui::Layout::left_to_right(egui::Align::Center),
                        |ui| {
                            ui.set_min_width(w);
                            ui.add(egui::Label::new(cell).truncate())
                        },
                    )
                    .inner;
                if let Some(hover) = hover {
                    r.on_hover_text(hover);
                }
            }
        });
    };
    line(
        ui,
        [
            egui::RichText::new("User or station").strong().into(),
            egui::RichText::new("Change").strong().into(),
            egui::RichText::new("License or setting").strong().into(),
        ],
        None,
    );
    egui::ScrollArea::vertical()
        .id_salt(id)
        .max_height(height)
        // Its whole height at once: in a dialog, a scroll area otherwise
        // grows a little each frame (the window's size is last frame's),
        // and the buttons under it move while they are clicked.
        .min_scrolled_height(height.min(rows as f32 * (row_height + ui.spacing().item_spacing.y)))
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows, |ui, range| {
            for i in range {
                let Some(row) = plan.row(i) else { continue };
                let change = egui::RichText::new(row.change_words());
                let change = if row.change == RowChange::Refused {
                    change.color(widgets::warning_amber(ui))
                } else {
                    change
                };
                let what = crate::core::text::safe(&row.what()).into_owned();
                line(
                    ui,
                    [
                        widgets::subject_words(row.subject.kind.noun(), &row.subject.id).into(),
                        change.into(),
                        what.clone().into(),
                    ],
                    row.reason.is_some().then_some(what.as_str()),
                );
            }
        });
}
