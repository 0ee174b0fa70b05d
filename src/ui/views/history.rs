//! Usage History: months of usage from the history next to the workspace
//! (`NAME.ialhist`, docs/history.md) — daily peak in use per license against
//! its concurrent allowance, denials per day, distinct users per billing
//! category per billing period and, with a price list, the estimated cost.
//! Importing runs on a worker with progress and Cancel.

use crate::ui::drop_down::DropDown as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};

use crate::core::dates;
use chrono::NaiveDate;
use egui_plot::{Bar, BarChart, Corner, Legend, Line, Plot, PlotPoints, Points};

use crate::core::catalog::{self, BillingCategory};

use crate::core::document::Document;
use crate::core::fs;
use crate::core::history::{self, History, ImportReport};
use crate::core::text::thousands;
use crate::core::usage::billing_period;
use crate::ui::charts;

pub use super::history_read::{HistoryViewError, Loaded, events_files, license_text, load};

/// How much the view shows, ending with the chosen billing period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Span {
    /// One billing period (28th to 27th).
    Month,
    /// Three billing periods.
    #[default]
    Quarter,
    /// Twelve billing periods.
    Year,
    /// Everything in the history.
    All,
}

impl Span {
    fn label(self) -> &'static str {
        match self {
            Span::Month => "Month",
            Span::Quarter => "Quarter",
            Span::Year => "Year",
            Span::All => "All",
        }
    }

    pub(super) fn periods(self) -> Option<i64> {
        match self {
            Span::Month => Some(1),
            Span::Quarter => Some(3),
            Span::Year => Some(12),
            Span::All => None,
        }
    }
}

/// What `loaded` was read for: the file, the range, the document's
/// generation (the price list and workgroups) and the file's modification
/// time.
type LoadedFor = (PathBuf, Span, Option<NaiveDate>, u64, Option<std::time::SystemTime>);

struct ImportJob {
    /// Each file's bytes read (no files until the worker has listed them).
    progress: Arc<history::ImportProgress>,
    cancel: Arc<AtomicBool>,
    rx: mpsc::Receiver<Result<ImportReport, HistoryViewError>>,
    started: std::time::Instant,
    path: PathBuf,
}

#[derive(Default)]
pub struct HistoryView {
    pub span: Span,
    /// The last billing period shown (its first day); `None`: the latest.
    end_period: Option<NaiveDate>,
    /// The license the chart shows.
    key: Option<String>,
    loaded: Option<Result<Loaded, HistoryViewError>>,
    loaded_for: Option<LoadedFor>,
    job: Option<ImportJob>,
    /// The file or folder typed for Import.
    pub import_path: String,
    message: Option<(bool, String)>,
    /// Export cost CSV… or Excel… was clicked this frame.
    export_cost: Option<super::ExportFormat>,
    /// When the history file's modification time was last read, and what it was.
    file_time: Option<(std::time::Instant, Option<std::time::SystemTime>)>,
    prices: super::cost::PriceEditor,
    /// Browse… and Browse folder… beside the import path.
    browse_file: crate::ui::files::Browse,
    browse_folder: crate::ui::files::Browse,
    /// Where the open license came from (set each frame from the context):
    /// an import keeps its text, as `history import --license` does.
    pub license_source: Option<crate::core::journal::LicenseSource>,
}

impl super::View for HistoryView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        self.license_source = cx.license_source.cloned();
        let path = cx.history_path.map(Path::to_path_buf);
        self.draw(ui, cx.doc, path.as_deref(), cx.locked, out);
        if let Some(format) = self.export_cost.take() {
            out.push(super::Action::Export(super::Report::Cost, format));
        }
    }
}

/// What the import's progress window says: the files read and summed up,
/// and how far along each file being read is (by bytes, so it moves from
/// the first second of a large file).
fn import_detail(progress: &history::ImportProgress) -> String {
    let files = progress.files();
    if files.is_empty() {
        return "Looking for events files".to_string();
    }
    let done = files.iter().filter(|f| f.is_done()).count();
    let mut detail = format!(
        "{done} of {} read and summed up",
        crate::core::text::count(files.len(), "events file", "events files")
    );
    for f in files.iter().filter(|f| !f.is_done() && f.read() > 0) {
        let name = f
            .path
            .file_name()
            .map_or_else(|| f.path.display().to_string(), |n| n.to_string_lossy().into_owned());
        detail.push_str(&format!(
            "; {name}: {} of {} MB",
            thousands((f.read() / 1_000_000) as usize),
            thousands(f.size.div_ceil(1_000_000) as usize)
        ));
    }
    detail
}

impl HistoryView {
    pub fn loaded(&self) -> Option<&Loaded> {
        self.loaded.as_ref().and_then(|l| l.as_ref().ok())
    }

    /// Starts importing the events file or folder `source` into the
    /// history at `path` on a worker (which also lists the folder).
    pub fn start_import(&mut self, doc: &Document, source: PathBuf, path: &Path) {
        let license = doc.license().clone();
        let source_of_license = self.license_source.clone();
        let ws = doc.snapshot();
        let progress = Arc::new(history::ImportProgress::default());
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let (shown, c, p) = (progress.clone(), cancel.clone(), path.to_path_buf());
        std::thread::spawn(move || {
            let result = (|| {
                let files = events_files(&source)?;
                if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                    fs::create_dir_all(dir)?;
                }
                let mut store = History::open(&p)?;
                let text = license_text(source_of_license.as_ref(), &license);
                Ok(store.import_files(text.as_deref(), &license, &ws, &files, &c, &shown)?)
            })();
            let _ = tx.send(result);
        });
        self.job = Some(ImportJob {
            progress,
            cancel,
            rx,
            started: std::time::Instant::now(),
            path: path.to_path_buf(),
        });
        self.message = None;
    }

    /// True while an import runs.
    pub fn importing(&self) -> bool {
        self.job.is_some()
    }

    fn poll_job(&mut self, ui: &mut egui::Ui) {
        let Some(job) = &self.job else { return };
        match job.rx.try_recv() {
            Ok(Ok(report)) => {
                let events: usize = report.files.iter().map(|f| f.events).sum();
                let mut message = format!(
                    "Imported {} ({} events): {} added, {} replaced.",
                    crate::core::text::count(report.files.len(), "events file", "events files"),
                    thousands(events),
                    crate::core::text::count(report.days_added, "day", "days"),
                    crate::core::text::count(report.days_replaced, "day", "days"),
                );
                for note in report.files.iter().filter_map(|f| f.note.as_deref()) {
                    message.push(' ');
                    message.push_str(note);
                }
                for note in &report.notes {
                    message.push('\n');
                    message.push_str(note);
                }
                self.message = Some((true, message));
                self.job = None;
                self.loaded_for = None;
            }
            Ok(Err(e)) => {
                self.message = Some((false, e.to_string()));
                self.job = None;
            }
            Err(mpsc::TryRecvError::Empty) => {
                let (read, total) = job.progress.bytes();
                let p = crate::ui::widgets::Progress {
                    heading: crate::ui::widgets::file_heading("Importing into", &job.path),
                    detail: import_detail(&job.progress),
                    fraction: read as f32 / total.max(1) as f32,
                    started: job.started,
                    note: "the history is unchanged until the import finishes; Cancel leaves it as it was",
                };
                if crate::ui::widgets::progress_window(ui.ctx(), "history-import", p) {
                    job.cancel.store(true, Ordering::Relaxed);
                }
                ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
            }
            Err(mpsc::TryRecvError::Disconnected) => {
                self.message = Some((
                    false,
                    "the import stopped unexpectedly; the history is unchanged".into(),
                ));
                self.job = None;
            }
        }
    }

    fn refresh(&mut self, doc: &Document, path: &Path) {
        // An import from the command line changes the file: look at its
        // time at most once a second, not on every frame.
        let now = std::time::Instant::now();
        let modified = match self.file_time {
            Some((at, m)) if now.duration_since(at) < std::time::Duration::from_secs(1) => m,
            _ => {
                let m = fs::DiskStamp::of(path).and_then(|s| s.modified());
                self.file_time = Some((now, m));
                m
            }
        };
        let stamp = (
            path.to_path_buf(),
            self.span,
            self.end_period,
            doc.generation(),
            modified,
        );
        if self.loaded_for.as_ref() == Some(&stamp) {
            return;
        }
        self.loaded = Some(if path.is_file() {
            load(path, doc, self.span, self.end_period)
        } else {
            Ok(Loaded::empty())
        });
        self.loaded_for = Some(stamp);
    }

    pub fn draw(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        path: Option<&Path>,
        locked: bool,
        out: &mut Vec<super::Action>,
    ) {
        ui.heading("Usage History");
        ui.label(
            "Daily peaks, denials and billing categories over months, from the events files imported into the \
             workspace's usage history.",
        );
        ui.separator();
        let Some(path) = path else {
            ui.label("Save the workspace to a file first: its usage history is kept next to it.");
            return;
        };
        self.poll_job(ui);
        let name = path
            .file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        ui.label(format!("History file: {name}"))
            .on_hover_text(path.display().to_string());
        // Wrapped: with both Browse buttons the row is wider than a small window.
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Import events (a file, or a folder of monthly files):");
            let field = crate::ui::widgets::field(
                ui,
                egui::TextEdit::singleline(&mut self.import_path)
                    .hint_text("/path/to/events or /path/to/2026-01.json")
                    .desired_width(320.0),
            );
            let field = field.labelled_by(label.id);
            let events = crate::ui::files::Pick::Open("Events", &["json"]);
            self.browse_file
                .button(ui, "the events file to import", events, &mut self.import_path);
            self.browse_folder.button_text(
                ui,
                "Browse folder…",
                "a folder of monthly events files to import",
                crate::ui::files::Pick::Folder,
                &mut self.import_path,
            );
            let can = !locked && self.job.is_none() && !self.import_path.trim().is_empty();
            let button = ui
                .add_enabled(can, egui::Button::new("Import"))
                .on_disabled_hover_text(if locked {
                    "Read-only: importing into the history is turned off"
                } else {
                    "Type the events file or folder to import"
                });
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if can && (button.clicked() || enter) {
                self.start_import(doc, PathBuf::from(self.import_path.trim()), path);
            }
        });
        if let Some((ok, m)) = &self.message {
            let colour = if *ok {
                crate::ui::widgets::good_green(ui)
            } else {
                crate::ui::widgets::error_red(ui)
            };
            ui.colored_label(colour, m);
        }
        // Not while an import writes the file: a read would wait for it.
        if self.job.is_none() {
            self.refresh(doc, path);
        }
        // One scroll area, both ways, for the price list and the history:
        // the price list open runs past the window's bottom at normal sizes,
        // and a table in a sideways area of its own could not be brought
        // into view from the keyboard (that area keeps the request).
        egui::ScrollArea::both()
            .id_salt("history-view")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.prices.ui(ui, doc, locked, out);
                // Taken out while drawing (the picker changes `self`), put back after.
                let Some(result) = self.loaded.take() else { return };
                match &result {
                    Ok(loaded) => self.body(ui, loaded),
                    Err(e) => {
                        ui.colored_label(crate::ui::widgets::error_red(ui), e.to_string());
                    }
                }
                self.loaded = Some(result);
            });
    }

    fn body(&mut self, ui: &mut egui::Ui, loaded: &Loaded) {
        let Some((first, last)) = loaded.span else {
            ui.label(
                "The history has no days yet: import events files above (a file, or a folder with a file per month).",
            );
            return;
        };
        let mut span = self.span;
        let mut end = self.end_period;
        // Wraps at large zoom instead of running off the right edge.
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("The history has {first} to {last}. Show:"));
            for s in [Span::Month, Span::Quarter, Span::Year, Span::All] {
                ui.radio_value(&mut span, s, s.label());
            }
            ui.separator();
            let enabled = span != Span::All;
            if ui
                .add_enabled(enabled && loaded.from > first, egui::Button::new("Earlier"))
                .clicked()
            {
                // The span that ends just before this one starts.
                end = dates::previous_day(loaded.from).ok().map(|d| billing_period(d).0);
            }
            if ui
                .add_enabled(enabled && loaded.to < last, egui::Button::new("Later"))
                .clicked()
            {
                // The span that starts just after this one ends.
                let mut last_period = loaded.to;
                for _ in 0..span.periods().unwrap_or(1) {
                    last_period = dates::next_day(last_period).map_or(last_period, |d| billing_period(d).1);
                }
                end = Some(billing_period(last_period).0);
            }
            ui.label(format!("{} to {}", loaded.from, loaded.to));
        });
        if span != self.span || end != self.end_period {
            self.span = span;
            self.end_period = end;
        }
        let key = self.key_picker(ui, loaded);
        if let Some(key) = &key {
            peak_chart(ui, loaded, key);
            denials_chart(ui, loaded, key);
        }
        periods_table(ui, loaded);
        if let Some(cost) = &loaded.cost {
            super::cost::cost_table(ui, cost);
            self.export_cost = super::export_buttons(ui, Some("cost"));
        }
    }

    /// The license whose peaks are charted (keys with a pool first).
    fn key_picker(&mut self, ui: &mut egui::Ui, loaded: &Loaded) -> Option<String> {
        let keys = &loaded.keys;
        if keys.is_empty() {
            ui.label("No concurrent (pooled) license was used or allowed in this range.");
            return None;
        }
        let current = self
            .key
            .clone()
            .filter(|k| keys.contains(k))
            .unwrap_or_else(|| keys[0].clone());
        let mut chosen = current.clone();
        ui.horizontal(|ui| {
            let label = ui.label("License:");
            egui::ComboBox::from_id_salt("history-key")
                .selected_text(catalog::label(&chosen))
                .drop_down(ui, |ui| {
                    for k in keys {
                        ui.selectable_value(&mut chosen, k.clone(), catalog::label(k));
                    }
                })
                .response
                .labelled_by(label.id);
        });
        self.key = Some(chosen.clone());
        Some(chosen)
    }
}

/// A chart of whole counts over the days from `first` (`days` after it),
/// with room above `top` for the legend.
fn day_plot(id: &str, height: f32, first: NaiveDate, days: f64, top: f64) -> Plot<'static> {
    charts::page_plot(id)
        .height(height)
        .include_x(-0.5)
        .include_x(days + 0.5)
        .include_y(0.0)
        .include_y(charts::headroom(top))
        .x_grid_spacer(charts::day_grid)
        .y_grid_spacer(charts::integer_grid)
        .x_axis_formatter(move |m, _| charts::day_label(first, m))
        .y_axis_formatter(|m, _| charts::count_label(m))
}

fn peak_chart(ui: &mut egui::Ui, loaded: &Loaded, key: &str) {
    ui.add_space(6.0);
    let title = format!("Daily peak in use: {}", catalog::label(key));
    ui.strong(&title);
    let first = loaded.from;
    let x = |d: NaiveDate| (d - first).num_days() as f64;
    let peak: Vec<[f64; 2]> = loaded
        .days
        .iter()
        .map(|d| [x(d.date), f64::from(d.peak.get(key).copied().unwrap_or(0))])
        .collect();
    let wanted: Vec<[f64; 2]> = loaded
        .days
        .iter()
        .map(|d| [x(d.date), f64::from(d.peak_demand.get(key).copied().unwrap_or(0))])
        .collect();
    // The allowance as a line that steps where an import used another license.
    let mut allowance: Vec<[f64; 2]> = Vec::new();
    for d in &loaded.days {
        let a = f64::from(d.allowance.get(key).copied().unwrap_or(0));
        if let Some(last) = allowance.last().copied()
            && last[1] != a
        {
            allowance.push([x(d.date) - 0.5, last[1]]);
            allowance.push([x(d.date) - 0.5, a]);
        } else if allowance.is_empty() {
            allowance.push([x(d.date) - 0.5, a]);
        }
        allowance.push([x(d.date) + 0.5, a]);
    }
    let top = peak
        .iter()
        .chain(&wanted)
        .chain(&allowance)
        .map(|p| p[1])
        .fold(0.0, f64::max);
    let days = (loaded.to - loaded.from).num_days() as f64;
    let (c_peak, w_peak, _) = charts::series_style(0);
    let (c_allow, _, _) = charts::series_style(1);
    let (c_want, _, _) = charts::series_style(3);
    let chart = day_plot("history-peaks", 240.0, first, days, top)
        .legend(Legend::default().position(Corner::LeftTop))
        .show(ui, |plot| {
            charts::zoom_x(plot, (-0.5, days + 0.5), 2.0);
            plot.line(
                Line::new("Concurrent allowed", PlotPoints::from(allowance))
                    .allow_band(false)
                    .color(c_allow)
                    .width(2.0)
                    .style(egui_plot::LineStyle::dashed_loose()),
            );
            plot.line(
                Line::new("Peak wanted (held or denied)", PlotPoints::from(wanted.clone()))
                    .allow_band(false)
                    .color(c_want)
                    .width(1.5)
                    .style(egui_plot::LineStyle::dotted_dense()),
            );
            plot.points(
                Points::new("Peak in use", PlotPoints::from(peak.clone()))
                    .color(c_peak)
                    .radius(3.0),
            );
            plot.line(
                Line::new("Peak in use", PlotPoints::from(peak))
                    .allow_band(false)
                    .color(c_peak)
                    .width(w_peak),
            );
        });
    charts::name(&chart.response, &title);
    ui.weak("Dashed: the concurrent licenses allowed by the license each day was imported with.");
}

fn denials_chart(ui: &mut egui::Ui, loaded: &Loaded, key: &str) {
    let first = loaded.from;
    let total: u64 = loaded
        .days
        .iter()
        .map(|d| u64::from(d.denials.get(key).copied().unwrap_or(0)))
        .sum();
    ui.add_space(6.0);
    let title = format!(
        "Denials per day: {} ({} in this range)",
        catalog::label(key),
        thousands(total as usize)
    );
    ui.strong(&title);
    let bars: Vec<Bar> = loaded
        .days
        .iter()
        .map(|d| {
            Bar::new(
                (d.date - first).num_days() as f64,
                f64::from(d.denials.get(key).copied().unwrap_or(0)),
            )
            .width(0.8)
        })
        .collect();
    let top = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let days = (loaded.to - loaded.from).num_days() as f64;
    let red = crate::ui::widgets::error_red(ui);
    let chart = day_plot("history-denials", 140.0, first, days, top).show(ui, |plot| {
        charts::zoom_x(plot, (-0.5, days + 0.5), 2.0);
        plot.bar_chart(BarChart::new("Denials", bars).color(red));
    });
    charts::name(&chart.response, &title);
}

fn periods_table(ui: &mut egui::Ui, loaded: &Loaded) {
    ui.add_space(6.0);
    ui.strong("Distinct users per billing category, per billing period");
    let used: Vec<BillingCategory> = BillingCategory::ALL
        .into_iter()
        .filter(|c| {
            loaded
                .periods
                .iter()
                .any(|p| p.users_by_category.contains_key(c.code()))
        })
        .collect();
    // A column per category used: wider than the page on a large site at
    // 150 %, so the table scrolls sideways on its own.
    egui::ScrollArea::horizontal()
        .id_salt("history-periods")
        .show(ui, |ui| {
            egui::Grid::new("history-periods-grid").striped(true).show(ui, |ui| {
                ui.strong("Period")
                    .on_hover_text("The billing period: the 28th to the 27th of the next month");
                ui.strong("Upload due")
                    .on_hover_text("Usage data for the period must be uploaded by the 4th");
                ui.strong("Days").on_hover_text("Days of the period the history has");
                for c in &used {
                    ui.strong(c.label());
                }
                ui.end_row();
                for p in &loaded.periods {
                    ui.label(format!("{} to {}", p.start, p.end));
                    ui.label(p.due.to_string());
                    let length = (p.end - p.start).num_days() + 1;
                    ui.label(format!("{} of {length}", p.days_covered));
                    for c in &used {
                        ui.label(thousands(p.users_by_category.get(c.code()).copied().unwrap_or(0)));
                    }
                    ui.end_row();
                }
            });
        });
}
