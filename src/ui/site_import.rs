//! File › Import site…: the form (the export and the workspace to write),
//! the import on a worker thread with its progress and Cancel, and the
//! import report (counts, values not mapped, assumptions, self-check). The
//! reading, mapping and writing are `core::site_import`'s.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicU64, Ordering};
use std::sync::mpsc;

use crate::core::site_import::{self, ImportReport, SiteImportError, Source, Stage};
use crate::core::text::{count, safe};

use super::files::Pick;
use super::widgets;

/// What the form was asked to do this frame.
pub enum FormChoice {
    Keep,
    Cancel,
    Import {
        source: Source,
        out: PathBuf,
        replace: bool,
    },
}

/// The File › Import site… form.
pub struct SiteImportForm {
    /// True: a folder of saved ICWS responses; false: a registry export.
    pub icws: bool,
    pub source: String,
    pub out: String,
    /// Replace the workspace file if it exists.
    pub replace: bool,
    /// Why the last Import was refused (shown in the form).
    pub message: Option<String>,
    picker: Option<(bool, mpsc::Receiver<Option<PathBuf>>)>,
}

impl Default for SiteImportForm {
    fn default() -> Self {
        SiteImportForm {
            icws: true,
            source: String::new(),
            out: String::new(),
            replace: false,
            message: None,
            picker: None,
        }
    }
}

impl SiteImportForm {
    pub fn show(&mut self, ctx: &egui::Context) -> FormChoice {
        self.poll_picker();
        let mut choice = FormChoice::Keep;
        widgets::modal("import-site").show(ctx, |ui| {
            ui.set_width((ui.ctx().content_rect().width() - 64.0).clamp(320.0, 560.0));
            ui.heading("Import site");
            ui.label(
                "Bring in a PureConnect site's users, stations, workgroups and license allocations from what its \
                 administrator exported. A new workspace is written; the server is not changed.",
            );
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                ui.radio_value(&mut self.icws, true, "ICWS export (a folder)");
                ui.radio_value(&mut self.icws, false, "Registry export (.reg file)");
            });
            let (what, hint) = if self.icws {
                ("Export folder:", "/path/to/site-export")
            } else {
                ("Registry file:", "/path/to/site.reg")
            };
            let label = ui.label(what);
            ui.horizontal(|ui| {
                crate::ui::widgets::field(
                    ui,
                    egui::TextEdit::singleline(&mut self.source)
                        .desired_width(ui.available_width() - 90.0)
                        .hint_text(hint),
                )
                .labelled_by(label.id);
                // Two Browse… in the form: each says for what.
                let what = if self.icws {
                    "Browse for the export folder"
                } else {
                    "Browse for the registry file"
                };
                if ui.button("Browse…").accessible_name(what).clicked() {
                    self.browse(ui.ctx(), false);
                }
            });
            let label = ui.label("Workspace to write:");
            ui.horizontal(|ui| {
                crate::ui::widgets::field(
                    ui,
                    egui::TextEdit::singleline(&mut self.out)
                        .desired_width(ui.available_width() - 90.0)
                        .hint_text("/path/to/site.ialws"),
                )
                .labelled_by(label.id);
                if ui
                    .button("Browse…")
                    .accessible_name("Browse for the workspace to write")
                    .clicked()
                {
                    self.browse(ui.ctx(), true);
                }
            });
            ui.checkbox(&mut self.replace, "Replace the workspace file if it exists");
            if self.picker.is_some() {
                ui.label("Waiting for the file dialog… (where none can open, type the path above)");
            }
            if let Some(message) = &self.message {
                ui.colored_label(widgets::error_red(ui), message);
            }
            ui.add_space(4.0);
            let ready = !self.source.trim().is_empty() && !self.out.trim().is_empty();
            ui.horizontal(|ui| {
                let import = widgets::default_button(ui, ready, "Import").clicked();
                if import || (ready && widgets::enter_pressed(ui)) {
                    let path = PathBuf::from(self.source.trim());
                    choice = FormChoice::Import {
                        source: if self.icws {
                            Source::Icws(path)
                        } else {
                            Source::Registry(path)
                        },
                        out: PathBuf::from(self.out.trim()),
                        replace: self.replace,
                    };
                }
                if ui.button("Cancel").clicked() {
                    choice = FormChoice::Cancel;
                }
            });
        });
        choice
    }

    /// The file dialog (off the UI thread: it blocks).
    fn browse(&mut self, ctx: &egui::Context, output: bool) {
        let pick = match (output, self.icws) {
            (true, _) => Pick::Save("Workspace", &["ialws"]),
            (false, true) => Pick::Folder,
            (false, false) => Pick::Open("Registry export", &["reg"]),
        };
        self.picker = Some((output, crate::ui::files::start(ctx, pick)));
    }

    fn poll_picker(&mut self) {
        let Some((output, rx)) = &self.picker else { return };
        match rx.try_recv() {
            Ok(picked) => {
                if let Some(path) = picked {
                    let text = path.display().to_string();
                    if *output {
                        self.out = text;
                    } else {
                        self.source = text;
                    }
                }
                self.picker = None;
            }
            Err(mpsc::TryRecvError::Disconnected) => self.picker = None,
            Err(mpsc::TryRecvError::Empty) => {}
        }
    }
}

/// Where the worker is, shared with the progress window.
#[derive(Default)]
struct Shared {
    stage: AtomicU8,
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
}

/// An import running on a worker thread.
pub struct Job {
    pub source: Source,
    pub out: PathBuf,
    pub started: std::time::Instant,
    shared: Arc<Shared>,
    rx: mpsc::Receiver<Result<ImportReport, SiteImportError>>,
}

impl Job {
    /// Reads, maps and writes on a worker thread.
    pub fn start(source: Source, out: PathBuf, replace: bool) -> Job {
        let shared = Arc::new(Shared::default());
        let (tx, rx) = mpsc::channel();
        let (worker, from, to) = (shared.clone(), source.clone(), out.clone());
        std::thread::spawn(move || {
            let mut progress = |stage: Stage, done: u64, total: u64| {
                worker.stage.store(stage as u8, Ordering::Relaxed);
                worker.done.store(done, Ordering::Relaxed);
                worker.total.store(total, Ordering::Relaxed);
                !worker.cancel.load(Ordering::Relaxed)
            };
            let result = site_import::import(&from, &mut progress).and_then(|imported| {
                // Cancel wins until the file is written, never after.
                if worker.cancel.load(Ordering::Relaxed) {
                    return Err(SiteImportError::Cancelled);
                }
                site_import::write(&imported, &to, replace, None).map(|()| imported.report)
            });
            let _ = tx.send(result);
        });
        Job {
            source,
            out,
            started: std::time::Instant::now(),
            shared,
            rx,
        }
    }

    /// The result, once the worker is done.
    pub fn poll(&self) -> Option<Result<ImportReport, SiteImportError>> {
        match self.rx.try_recv() {
            Ok(r) => Some(r),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err(SiteImportError::Invalid("the import stopped".into()))),
        }
    }

    /// Waits for the worker (tests; the GUI polls).
    pub fn wait(self) -> Result<ImportReport, SiteImportError> {
        self.rx
            .recv()
            .unwrap_or_else(|_| Err(SiteImportError::Invalid("the import stopped".into())))
    }

    pub fn cancel(&self) {
        self.shared.cancel.store(true, Ordering::Relaxed);
    }

    /// The stage's words and how far it is.
    pub fn progress(&self) -> (String, f32) {
        let stage = match self.shared.stage.load(Ordering::Relaxed) {
            1 => Stage::Mapping,
            2 => Stage::Checking,
            _ => Stage::Reading,
        };
        let (done, total) = (
            self.shared.done.load(Ordering::Relaxed),
            self.shared.total.load(Ordering::Relaxed),
        );
        let fraction = match stage {
            Stage::Reading if total > 0 => 0.8 * done as f32 / total as f32,
            Stage::Reading => 0.0,
            Stage::Mapping => 0.85,
            Stage::Checking => 0.95,
        };
        let detail = match stage {
            Stage::Reading if total > 1 => format!("{}: file {} of {total}…", stage.label(), done + 1),
            _ => format!("{}…", stage.label()),
        };
        (detail, fraction)
    }
}

/// The import report in a dialog; false once closed.
pub fn report_modal(ctx: &egui::Context, out: &std::path::Path, r: &ImportReport) -> bool {
    let mut keep = true;
    widgets::modal("site-import-report").show(ctx, |ui| {
        // As wide as the window allows, up to a comfortable reading width.
        ui.set_width((ui.ctx().content_rect().width() - 64.0).clamp(320.0, 680.0));
        ui.heading("Site imported");
        let c = &r.counts;
        ui.label(format!(
            "{} — {}, {}, {} ({}).",
            out.display(),
            count(c.users, "user", "users"),
            count(c.stations, "station", "stations"),
            count(c.workgroups, "workgroup", "workgroups"),
            count(c.allocations, "license allocation", "license allocations"),
        ));
        if c.records_skipped > 0 {
            ui.colored_label(
                widgets::warning_amber(ui),
                format!(
                    "{} of the export not imported (see Values not mapped).",
                    count(c.records_skipped, "record", "records")
                ),
            );
        }
        match &r.self_check {
            None => {
                ui.label("Self-check: not made — the export has no Licenses Allocation counts of the server.");
            }
            Some(check) if check.consistent => {
                ui.colored_label(
                    widgets::good_green(ui),
                    format!(
                        "Self-check: consistent with the server's Licenses Allocation ({} compared).",
                        count(check.keys_compared, "license", "licenses")
                    ),
                );
            }
            Some(check) => {
                ui.colored_label(
                    widgets::error_red(ui),
                    format!(
                        "Self-check: NOT consistent — {} differ from the server's Licenses Allocation.",
                        count(check.differences.len(), "count", "counts")
                    ),
                );
            }
        }
        ui.add_space(4.0);
        egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
            if let Some(check) = r.self_check.as_ref().filter(|c| !c.consistent) {
                egui::CollapsingHeader::new(format!("Differences ({})", check.differences.len()))
                    .default_open(true)
                    .show(ui, |ui| {
                        for d in &check.differences {
                            let column = if d.column == "assignable" {
                                "Assignable Configured"
                            } else {
                                "Concurrent Configured"
                            };
                            let server = d.server.map_or_else(
                                || "not listed".to_string(),
                                |n| crate::core::text::thousands(n as usize),
                            );
                            ui.label(format!(
                                "{} — {column}: server {server}, imported {}{}",
                                safe(&d.label),
                                crate::core::text::thousands(d.imported as usize),
                                if d.note.is_empty() {
                                    String::new()
                                } else {
                                    format!(" ({})", safe(&d.note))
                                }
                            ));
                        }
                    });
            }
            if !r.files_not_read.is_empty() {
                let more = r.files_not_read_more;
                egui::CollapsingHeader::new(format!("Files not read ({})", r.files_not_read.len() + more)).show(
                    ui,
                    |ui| {
                        for f in &r.files_not_read {
                            ui.label(format!("{} — {}", safe(&f.file), safe(&f.why)));
                        }
                        if more > 0 {
                            ui.label(format!("… and {more} more"));
                        }
                    },
                );
            }
            list(ui, "Values not mapped", &r.unmapped, r.unmapped_more);
            list(ui, "Warnings", &r.warnings, r.warnings_more);
            if !r.keys_not_read.is_empty() {
                egui::CollapsingHeader::new(format!(
                    "Registry keys not read ({})",
                    r.keys_not_read.iter().map(|k| k.keys).sum::<usize>()
                ))
                .show(ui, |ui| {
                    for k in &r.keys_not_read {
                        ui.label(format!(
                            "{} — {} (first: {})",
                            safe(&k.key),
                            count(k.keys, "key", "keys"),
                            safe(&k.place)
                        ));
                    }
                });
            }
            if !r.unknown_keys.is_empty() {
                egui::CollapsingHeader::new(format!(
                    "License keys this console does not know, kept ({})",
                    r.unknown_keys.len()
                ))
                .show(ui, |ui| {
                    for k in &r.unknown_keys {
                        ui.label(format!(
                            "{} — {} (first: {})",
                            safe(&k.key),
                            count(k.holders, "holder", "holders"),
                            safe(&k.example)
                        ));
                    }
                });
            }
            egui::CollapsingHeader::new(format!("Assumptions applied ({})", r.assumptions.len()))
                .default_open(true)
                .show(ui, |ui| {
                    for a in &r.assumptions {
                        ui.label(format!(
                            "{} — {} (first: {})",
                            safe(&a.text),
                            count(a.count, "record", "records"),
                            safe(&a.example)
                        ));
                    }
                });
        });
        ui.add_space(4.0);
        ui.label(
            "Load the site's own license (File › Open License…) to see its Licenses Allocation and warnings against \
             it. Help › Site import explains the mapping and each assumption.",
        );
        if widgets::default_button(ui, true, "Close").clicked() || widgets::enter_pressed(ui) {
            keep = false;
        }
    });
    keep
}

fn list(ui: &mut egui::Ui, title: &str, items: &[site_import::Unmapped], more: usize) {
    egui::CollapsingHeader::new(format!("{title} ({})", items.len() + more)).show(ui, |ui| {
        for u in items {
            ui.label(format!(
                "{} · {} · {} = {} — {}",
                safe(&u.place),
                safe(&u.record),
                safe(&u.field),
                safe(&u.value),
                safe(&u.reason)
            ));
        }
        if more > 0 {
            ui.label(format!("… and {more} more"));
        }
    });
}
