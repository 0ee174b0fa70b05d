//! Genesys Cloud estimate: what this site's users would cost on Genesys
//! Cloud under the named, concurrent and hourly models, from the usage
//! history next to the workspace, against today's PureConnect cost; the
//! mapping, prices and waves it uses (docs/cloud-estimate.md). The history
//! is read and the estimate computed on a worker thread, never per frame;
//! a settings change starts a new run once typing pauses.

use crate::ui::drop_down::DropDown as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant, SystemTime};

use chrono::NaiveDate;

use super::cloud_edit::Editor;
use super::cloud_forms;
use super::cloud_tables::{fit, headline, money, period_label, periods_table, running_both, summary};
use crate::core::cloud::{self, CloudEstimate, CloudLicense, CloudSettings, EstimateInput, Model};
use crate::core::command::Command;
use crate::core::document::Document;
use crate::core::history::{History, Logons};
use crate::core::text::thousands;

/// How long typing must pause before the estimate runs again.
const SETTLE: Duration = Duration::from_millis(400);

/// The history as read for the estimate, kept while the file is unchanged.
pub struct HistoryData {
    path: PathBuf,
    modified: Option<SystemTime>,
    span: Option<(NaiveDate, NaiveDate)>,
    logons: Logons,
}

/// What an estimate was computed from.
type Stamp = (PathBuf, Option<SystemTime>, u64, CloudSettings);

/// Why there is no estimate to show (words the view shows in place of it).
#[derive(Debug, thiserror::Error)]
pub enum EstimateError {
    #[error(transparent)]
    History(#[from] crate::core::history::HistoryError),
    #[error("the estimate stopped unexpectedly")]
    Stopped,
    #[error("the estimate could not start: {0}")]
    NotStarted(#[source] std::io::Error),
}

type Outcome = Result<(Arc<HistoryData>, Option<CloudEstimate>), EstimateError>;

struct Job {
    rx: mpsc::Receiver<Outcome>,
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
    started: Instant,
    stamp: Stamp,
}

#[derive(Default)]
pub struct CloudView {
    editor: Editor,
    data: Option<Arc<HistoryData>>,
    job: Option<Job>,
    /// The error shared: the view draws a copy of the result each frame.
    result: Option<Result<Option<Arc<CloudEstimate>>, Arc<EstimateError>>>,
    computed_for: Option<Stamp>,
    file_time: Option<(Instant, Option<SystemTime>)>,
    last_edit: Option<Instant>,
    /// The period the per-license table shows.
    period: usize,
    /// The model the phased move is shown under (`None`: the plan's).
    phased_model: Option<Model>,
    problem: Option<String>,
    /// The history the draft was made for: another workspace drops it.
    draft_for: Option<PathBuf>,
    /// The view's visible width this frame (text wraps at it).
    width: f32,
}

impl super::View for CloudView {
    fn held_changes(&self) -> Option<&'static str> {
        self.editor.edited.then_some(
            "The Genesys Cloud estimate has changes that are not saved to the workspace (a what-if: its billing \
             model, mapping, prices, waves or dates as you changed them). Quitting drops them.",
        )
    }

    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        let path = cx.history_path.map(Path::to_path_buf);
        self.draw(ui, cx.doc, path.as_deref(), cx.locked, out);
    }
}

/// Reads what the estimate needs from the history at `path`.
fn read_history(path: &Path, modified: Option<SystemTime>) -> Result<HistoryData, EstimateError> {
    let store = History::open_read_only(path)?;
    let span = store.span()?;
    let logons = match span {
        Some((a, b)) => store.logons(a, b)?,
        None => Logons::default(),
    };
    Ok(HistoryData {
        path: path.to_path_buf(),
        modified,
        span,
        logons,
    })
}

impl CloudView {
    /// The estimate on show, once computed.
    pub fn estimate(&self) -> Option<&CloudEstimate> {
        self.result.as_ref()?.as_ref().ok()?.as_deref()
    }

    /// True while an estimate runs (or waits for typing to pause).
    pub fn busy(&self) -> bool {
        self.job.is_some() || self.last_edit.is_some()
    }

    /// The draft settings, as the forms show them.
    pub fn draft(&self) -> &Editor {
        &self.editor
    }

    /// The draft settings, to change as the forms do (then `touched`).
    pub fn editor(&mut self) -> &mut Editor {
        &mut self.editor
    }

    /// Marks the draft as changed now (after an edit made in code).
    pub fn touched(&mut self) {
        self.editor.edited = true;
        self.last_edit = Some(Instant::now());
    }

    fn poll(&mut self, ui: &egui::Ui) {
        let Some(job) = &self.job else { return };
        match job.rx.try_recv() {
            Ok(outcome) => {
                let stamp = job.stamp.clone();
                self.job = None;
                match outcome {
                    Ok((data, est)) => {
                        self.data = Some(data);
                        self.result = Some(Ok(est.map(Arc::new)));
                    }
                    Err(e) => {
                        self.data = None;
                        self.result = Some(Err(Arc::new(e)));
                    }
                }
                self.computed_for = Some(stamp);
                ui.ctx().request_repaint();
            }
            Err(mpsc::TryRecvError::Empty) => ui.ctx().request_repaint_after(Duration::from_millis(50)),
            Err(mpsc::TryRecvError::Disconnected) => {
                self.job = None;
                self.result = Some(Err(Arc::new(EstimateError::Stopped)));
            }
        }
    }

    /// The history file's modification time, looked at once a second.
    fn modified(&mut self, path: &Path) -> Option<SystemTime> {
        let now = Instant::now();
        match self.file_time {
            Some((at, m)) if now.duration_since(at) < Duration::from_secs(1) => m,
            _ => {
                let m = crate::core::fs::DiskStamp::of(path).and_then(|s| s.modified());
                self.file_time = Some((now, m));
                m
            }
        }
    }

    /// Starts a run when the settings, the document or the file changed.
    fn refresh(&mut self, ui: &egui::Ui, doc: &Document, path: &Path, settings: CloudSettings) {
        if let Some(at) = self.last_edit {
            let waited = at.elapsed();
            if waited < SETTLE {
                ui.ctx().request_repaint_after(SETTLE - waited);
                return;
            }
            self.last_edit = None;
        }
        let modified = self.modified(path);
        let stamp: Stamp = (path.to_path_buf(), modified, doc.generation(), settings);
        if self.job.is_some() || self.computed_for.as_ref() == Some(&stamp) {
            return;
        }
        if !crate::core::fs::is_file(path) {
            self.result = Some(Ok(None));
            self.computed_for = Some(stamp);
            return;
        }
        let cached = self.data.clone().filter(|d| d.path == path && d.modified == modified);
        let ws = doc.snapshot();
        let settings = stamp.3.clone();
        let (done, total) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (tx, rx) = mpsc::channel();
        let (d, t, p) = (done.clone(), total.clone(), path.to_path_buf());
        let spawned = std::thread::Builder::new()
            .name("cloud-estimate".into())
            .spawn(move || {
                let outcome = (|| {
                    let data = match cached {
                        Some(data) => data,
                        None => Arc::new(read_history(&p, modified)?),
                    };
                    let Some((from, to)) = data.span else {
                        return Ok((data, None));
                    };
                    let est = cloud::estimate(
                        &EstimateInput {
                            ws: &ws,
                            settings: &settings,
                            logons: &data.logons,
                            from,
                            to,
                            history: (from, to),
                        },
                        &|k, n| {
                            d.store(k, Ordering::Relaxed);
                            t.store(n, Ordering::Relaxed);
                        },
                    );
                    Ok((data, Some(est)))
                })();
                let _ = tx.send(outcome);
            });
        match spawned {
            Ok(_) => {
                self.job = Some(Job {
                    rx,
                    done,
                    total,
                    started: Instant::now(),
                    stamp,
                })
            }
            Err(e) => self.result = Some(Err(Arc::new(EstimateError::NotStarted(e)))),
        }
    }

    pub fn draw(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        path: Option<&Path>,
        locked: bool,
        out: &mut Vec<super::Action>,
    ) {
        ui.heading("Genesys Cloud estimate");
        ui.label(
            "What this site's users would cost on Genesys Cloud (named, concurrent or by the hour), counted from \
             the usage history, against today's PureConnect cost; and a move in waves.",
        );
        ui.colored_label(
            crate::ui::widgets::warning_amber(ui),
            "Every figure here is an estimate, not a quote: Genesys bills from its own usage data and your contract.",
        );
        ui.separator();
        let Some(path) = path else {
            ui.label("Save the workspace to a file first: its usage history is kept next to it.");
            return;
        };
        let generation = doc.generation();
        if self.draft_for.as_deref() != Some(path) {
            // Another workspace: a what-if made for the last one does not apply.
            self.editor.forget();
            self.last_edit = None;
            self.draft_for = Some(path.to_path_buf());
        }
        if self.editor.made_for() != Some(generation) && !self.editor.edited {
            self.editor.reset(&doc.workspace().cloud, generation);
        }
        self.poll(ui);
        match self.editor.settings() {
            Ok(settings) => {
                self.problem = None;
                self.refresh(ui, doc, path, settings);
            }
            Err(e) => {
                // Nothing to run until the draft is right.
                self.problem = Some(e.to_string());
                self.last_edit = None;
            }
        }
        // What comes and goes above the scroll area (a problem, the what-if
        // bar, the progress) sits in one scope of its own: the widgets below
        // keep their ids, so a field being typed in keeps the focus and the
        // open sections stay open when a message appears.
        ui.scope_builder(egui::UiBuilder::new().id_salt("cloud-status"), |ui| {
            self.save_bar(ui, doc, locked, out);
            if let Some(job) = &self.job {
                let total = job.total.load(Ordering::Relaxed);
                let done = job.done.load(Ordering::Relaxed);
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!(
                        "Estimating… {} of {} billing periods ({:.1} s)",
                        done,
                        total.max(done),
                        job.started.elapsed().as_secs_f32()
                    ));
                });
            }
        });
        // Both ways: a table wider than the window scrolls sideways with the
        // page (a table in a sideways area of its own could not be brought
        // into view from the keyboard: that area keeps the request).
        egui::ScrollArea::both()
            // One scroll position per workspace: another opens at the top,
            // its answer in view.
            .id_salt(("cloud-view", path))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // The window's width, before a wide table widens the page:
                // what follows one wraps at it (`fit`).
                self.width = ui.available_width();
                let result = self.result.clone();
                // The estimate's part changes size with the result (a phased
                // move appears, a note goes): in a scope of its own, so the
                // settings below keep their ids (focus, open sections).
                ui.scope_builder(egui::UiBuilder::new().id_salt("cloud-body"), |ui| match &result {
                    Some(Err(e)) => {
                        ui.colored_label(crate::ui::widgets::error_red(ui), e.to_string());
                    }
                    // While a run is under way, the last answer ("no
                    // history") may no longer hold: the progress says enough.
                    Some(Ok(None)) if self.job.is_some() => {}
                    Some(Ok(None)) => {
                        ui.label(
                            "There is no usage history yet: open Usage History and import the events files (a file, \
                             or a folder with a file per month), then come back here.",
                        );
                    }
                    Some(Ok(Some(est))) => self.body(ui, est),
                    None => {}
                });
                self.settings_ui(ui, locked);
            });
    }

    fn save_bar(&mut self, ui: &mut egui::Ui, doc: &Document, locked: bool, out: &mut Vec<super::Action>) {
        if let Some(p) = &self.problem {
            ui.colored_label(crate::ui::widgets::error_red(ui), p);
        }
        if !self.editor.edited {
            return;
        }
        ui.horizontal_wrapped(|ui| {
            if locked {
                ui.colored_label(
                    crate::ui::widgets::info_blue(ui),
                    "Read-only: this what-if is held here and never saved; quitting drops it.",
                );
            } else {
                // Not a change to the document until saved: quitting asks
                // about it (`held_changes`), opening another workspace drops it.
                ui.colored_label(
                    crate::ui::widgets::info_blue(ui),
                    "What-if: the estimate uses your changes, which are not saved yet. Save to workspace keeps \
                     them; opening another workspace drops them.",
                );
            }
            let ok = self.problem.is_none();
            let save = crate::ui::widgets::edit_button(ui, !locked && ok, egui::Button::new("Save to workspace"))
                .on_disabled_hover_text(if locked {
                    "Read-only: changes cannot be saved"
                } else {
                    "Correct the problem first"
                });
            if save.clicked()
                && let Ok(settings) = self.editor.settings()
            {
                out.push(super::Action::Command(Box::new(Command::SetCloud { cloud: settings })));
                self.editor.forget();
            }
            if ui.button("Discard changes").clicked() {
                self.editor.reset(&doc.workspace().cloud, doc.generation());
                self.problem = None;
            }
        });
    }

    fn body(&mut self, ui: &mut egui::Ui, est: &CloudEstimate) {
        headline(ui, est);
        if let Some(n) = &est.prices_note {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(crate::ui::widgets::warning_amber(ui), n);
                // Only when there are no prices at all: the example must not
                // overwrite prices the user entered.
                if est.currency.is_none()
                    && ui.button("Use the example prices").clicked()
                    && let Ok(p) = crate::core::cloud::prices::example()
                {
                    self.editor.set_prices(Some(&p));
                    self.touched();
                }
            });
        }
        if let Some(n) = &est.days_without_logons_note {
            ui.colored_label(crate::ui::widgets::warning_amber(ui), n);
        }
        summary(ui, est);
        ui.add_space(6.0);
        let any_cost = est
            .periods
            .iter()
            .any(|p| Model::ALL.iter().any(|m| p.cost.get(*m).is_some()));
        if any_cost {
            super::cloud_charts::costs(ui, est);
        } else {
            super::cloud_charts::counts(ui, est);
        }
        periods_table(ui, est);
        self.license_table(ui, est);
        if !est.waves.is_empty() {
            let width = self.width;
            fit(ui, width, |ui| self.phased(ui, est));
        }
    }

    fn license_table(&mut self, ui: &mut egui::Ui, est: &CloudEstimate) {
        let Some(last) = est.periods.len().checked_sub(1) else {
            return;
        };
        self.period = self.period.min(last);
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let head = ui.strong("Per license in");
            let label = |i: usize| period_label(&est.periods[i]);
            egui::ComboBox::from_id_salt("cloud-period")
                .selected_text(label(self.period))
                .drop_down(ui, |ui| {
                    for i in 0..est.periods.len() {
                        ui.selectable_value(&mut self.period, i, label(i));
                    }
                })
                .response
                .labelled_by(head.id);
            if let Some(c) = &est.currency {
                ui.label(format!("({c}; estimate, not a quote)"));
            }
        });
        let p = &est.periods[self.period];
        ui.push_id("cloud-licenses-scroll", |ui| {
            egui::Grid::new("cloud-licenses").striped(true).show(ui, |ui| {
                for h in [
                    "Genesys Cloud license",
                    "Named users",
                    "Concurrent users",
                    "Hours",
                    "Contracted",
                    "Named",
                    "Concurrent",
                    "Hourly",
                    "Overage",
                ] {
                    ui.strong(h);
                }
                ui.end_row();
                for (code, l) in &p.by_license {
                    let name = CloudLicense::from_code(code).map_or(code.as_str(), |l| l.short());
                    ui.label(name);
                    ui.label(thousands(l.named as usize));
                    ui.label(thousands(l.concurrent as usize));
                    ui.label(l.hours.text());
                    ui.label(thousands(l.contracted as usize));
                    ui.label(money(l.named_cost));
                    ui.label(money(l.concurrent_cost));
                    ui.label(money(l.hourly_cost));
                    let over: Vec<String> = p
                        .overage
                        .iter()
                        .filter_map(|(m, per)| per.get(code).filter(|n| **n > 0).map(|n| format!("{m} {n}")))
                        .collect();
                    ui.label(over.join(", "));
                    ui.end_row();
                }
            });
        });
        fit(ui, self.width, |ui| {
            ui.weak(format!(
                "Concurrent peak {} users for {} minutes (30 or more, not necessarily in one stretch); {} users \
                 logged on but match no rule.",
                thousands(p.concurrent_peak as usize),
                thousands(p.concurrent_peak_minutes as usize),
                thousands(p.unmatched_logged_on as usize)
            ))
        });
    }

    fn phased(&mut self, ui: &mut egui::Ui, est: &CloudEstimate) {
        ui.add_space(6.0);
        let mut model = self.phased_model.or(est.phased.model).unwrap_or(Model::Named);
        ui.horizontal(|ui| {
            ui.strong("Phased move: Genesys Cloud counted as");
            for m in Model::ALL {
                ui.radio_value(&mut model, m, m.label());
            }
        });
        self.phased_model = Some(model);
        super::cloud_charts::phased(ui, est, model);
        // A part unknown (no PureConnect price list, a model not priced)
        // makes the total unknown: never Genesys Cloud's part alone.
        let total = running_both(est, model);
        ui.label(format!(
            "Running both systems over the whole periods, Genesys Cloud {}: {} {}",
            model.label().to_lowercase(),
            est.currency.as_deref().unwrap_or(""),
            money(total)
        ));
        if total.is_none() {
            ui.colored_label(
                crate::ui::widgets::warning_amber(ui),
                if est.pureconnect_currency.is_none() {
                    "Not given: PureConnect's cost is unknown (the workspace has no PureConnect price list; enter it \
                     in Usage History › Price list)."
                } else {
                    "Not given: a part of it is unknown in some whole period (see the notes above)."
                },
            );
        }
        egui::Grid::new("cloud-waves-result").striped(true).show(ui, |ui| {
            for h in ["Wave", "Date", "Users moving"] {
                ui.strong(h);
            }
            ui.end_row();
            for w in &est.waves {
                ui.label(&w.name);
                ui.label(w.date.to_string());
                ui.label(thousands(w.users.len()));
                ui.end_row();
            }
        });
    }

    fn settings_ui(&mut self, ui: &mut egui::Ui, locked: bool) {
        // The estimate is shared, not copied, while the editors borrow `self`.
        let est: Option<Arc<CloudEstimate>> = match &self.result {
            Some(Ok(Some(e))) => Some(Arc::clone(e)),
            _ => None,
        };
        let uses = est.as_ref().map(|e| e.mapping.as_slice());
        let unmatched: &[String] = est.as_ref().map_or(&[], |e| e.unmatched_users.as_slice());
        let assumptions: &[cloud::Assumption] = est.as_ref().map_or(&[], |e| e.assumptions.as_slice());
        let first_day = self.data.as_ref().and_then(|d| d.span.map(|s| s.0));
        ui.add_space(8.0);
        let mut changed = false;
        let width = self.width;
        fit(ui, width, |ui| {
            egui::CollapsingHeader::new("Mapping: PureConnect licenses to Genesys Cloud")
                .id_salt("cloud-mapping-section")
                .show(ui, |ui| {
                    changed |= cloud_forms::mapping_ui(ui, &mut self.editor, uses);
                    egui::CollapsingHeader::new(format!("Users who match no rule ({})", thousands(unmatched.len())))
                        .id_salt("cloud-unmatched")
                        .show(ui, |ui| {
                            let row = ui.text_style_height(&egui::TextStyle::Body);
                            egui::ScrollArea::vertical().max_height(160.0).show_rows(
                                ui,
                                row,
                                unmatched.len(),
                                |ui, rows| {
                                    for u in &unmatched[rows] {
                                        ui.label(u);
                                    }
                                },
                            );
                        });
                });
        });
        // Each section no wider than the window (the one before may be).
        fit(ui, width, |ui| {
            egui::CollapsingHeader::new("Prices and contract")
                .id_salt("cloud-prices-section")
                .show(ui, |ui| changed |= cloud_forms::prices_ui(ui, &mut self.editor));
        });
        fit(ui, width, |ui| {
            egui::CollapsingHeader::new("Waves of the move")
                .id_salt("cloud-waves-section")
                .show(ui, |ui| {
                    changed |= cloud_forms::waves_ui(ui, &mut self.editor, first_day, est.as_deref())
                });
        });
        fit(ui, width, |ui| {
            egui::CollapsingHeader::new("Assumptions in force")
                .id_salt("cloud-assumptions")
                .show(ui, |ui| {
                    for a in assumptions {
                        ui.horizontal_wrapped(|ui| {
                            ui.strong(format!("{}:", a.rule));
                            ui.label(&a.text);
                        });
                    }
                });
        });
        // Read-only too: the what-if stays in the view, never saved.
        let _ = locked;
        if changed {
            self.touched();
        }
    }
}
