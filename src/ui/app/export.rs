//! Exports: every table the app exports, as CSV or as an Excel workbook
//! (both from the same rows), and File › Export report…, the report pack
//! `ia-licensing report` writes for the same files. Every file goes through
//! the guarded write (`core::fs::atomic_write`), after `open_file` has
//! refused an output that is one of the open files.

use std::path::Path;
use std::sync::Arc;

use super::{App, ErrorModal, Modal, Nav};
use crate::core::csv_io::{self, Table};
use crate::core::document::Document;
use crate::core::reports::sheet::Sheet;
use crate::core::reports::{self, pack, xlsx};
use crate::ui::views::{self, ExportFormat, Report};

/// The file prompt's title for an export.
pub(super) fn export_title(report: Report, format: ExportFormat) -> &'static str {
    use ExportFormat::{Csv, Excel};
    match (report, format) {
        (Report::Table(Table::Users), Csv) => "Export Users as CSV",
        (Report::Table(Table::Users), Excel) => "Export Users as Excel",
        (Report::Table(Table::Stations), Csv) => "Export Stations as CSV",
        (Report::Table(Table::Stations), Excel) => "Export Stations as Excel",
        (Report::Table(Table::Workgroups), Csv) => "Export Workgroups as CSV",
        (Report::Table(Table::Workgroups), Excel) => "Export Workgroups as Excel",
        (Report::Statistics, Csv) => "Export License Statistics as CSV",
        (Report::Statistics, Excel) => "Export License Statistics as Excel",
        (Report::ChangeLog, Csv) => "Export Change Log as CSV",
        (Report::ChangeLog, Excel) => "Export Change Log as Excel",
        (Report::Usage, Csv) => "Export Usage as CSV",
        (Report::Usage, Excel) => "Export Usage as Excel",
        (Report::Cost, Csv) => "Export Estimated Cost as CSV",
        (Report::Cost, Excel) => "Export Estimated Cost as Excel",
    }
}

/// Why an export could not be made or written (the message the user reads).
#[derive(Debug, thiserror::Error)]
pub(super) enum ExportError {
    #[error(transparent)]
    Csv(#[from] crate::core::csv_io::CsvError),
    #[error(transparent)]
    Report(#[from] crate::core::error::ReportError),
    #[error(transparent)]
    Workbook(#[from] crate::core::error::WorkbookError),
    #[error(transparent)]
    File(#[from] crate::core::error::FileError),
    #[error(transparent)]
    History(#[from] crate::core::history::HistoryError),
    #[error(transparent)]
    Filter(#[from] views::changelog::FilterDateError),
    #[error("There is no cost estimate to export: the workspace has no price list, or no usage is loaded")]
    NoCostEstimate,
    #[error("No session history is loaded; there is no usage to export")]
    NoUsage,
}

/// A table's CSV text and its sheet come from the same rows; only the
/// chosen one is made.
enum Made {
    Csv(String),
    Sheet(Box<Sheet>),
}

impl App {
    /// Exports a table in the chosen format.
    pub(super) fn export(&mut self, report: Report, format: ExportFormat, path: &Path) {
        let bytes = self.made(report, format == ExportFormat::Excel).and_then(|m| match m {
            Made::Csv(text) => Ok(text.into_bytes()),
            Made::Sheet(sheet) => Ok(xlsx::workbook(None, std::slice::from_ref(&*sheet))?),
        });
        self.write_export(path, bytes);
    }

    /// The table's rows, as CSV text or as a sheet.
    fn made(&self, report: Report, excel: bool) -> Result<Made, ExportError> {
        match report {
            Report::Table(table) => {
                let doc = self.session.doc();
                if excel {
                    let check = reports::check::Check::of(doc);
                    Ok(Made::Sheet(Box::new(pack::sheets::subjects(
                        doc.workspace(),
                        table,
                        &check,
                    ))))
                } else {
                    Ok(Made::Csv(csv_io::export(doc.workspace(), table)?))
                }
            }
            Report::Statistics => {
                let rows = views::statistics::rows(self.session.doc(), self.simulation.as_ref().map(|s| &*s.current));
                if excel {
                    Ok(Made::Sheet(Box::new(reports::statistics::sheet(&rows))))
                } else {
                    Ok(Made::Csv(reports::statistics::csv(&rows)?))
                }
            }
            Report::ChangeLog => self
                .views
                .changelog_view
                .filter()
                .map_err(ExportError::from)
                .and_then(|f| {
                    let entries = self.session.doc().change_log().iter().filter(move |e| f.matches(e));
                    if excel {
                        Ok(Made::Sheet(Box::new(reports::change_log::sheet(entries))))
                    } else {
                        Ok(Made::Csv(crate::core::changelog::csv(entries)?))
                    }
                }),
            Report::Cost => {
                let estimate = if self.nav == Nav::UsageHistory {
                    self.views.history_view.loaded().and_then(|l| l.cost.as_ref())
                } else {
                    self.views.usage_view.cost()
                };
                match estimate {
                    Some(cost) if excel => Ok(Made::Sheet(Box::new(reports::cost::sheet(cost)))),
                    Some(cost) => Ok(Made::Csv(reports::cost::csv(cost)?)),
                    None => Err(ExportError::NoCostEstimate),
                }
            }
            Report::Usage => match &self.simulation {
                Some(sim) if excel => Ok(Made::Sheet(Box::new(reports::usage::daily_sheet(sim.usage().0)))),
                Some(sim) => Ok(Made::Csv(reports::usage::csv(sim.usage().0)?)),
                None => Err(ExportError::NoUsage),
            },
        }
    }

    /// Writes an export through the guarded path, saying so in the status
    /// bar, or why not in a message.
    pub(super) fn write_export(&mut self, path: &Path, bytes: Result<Vec<u8>, ExportError>) {
        match bytes.and_then(|b| Ok(crate::core::fs::atomic_write(path, &b)?)) {
            Ok(()) => self.status_message = Some((true, format!("Exported to {}", path.display()))),
            Err(e) => self.open_modal(Modal::Error(ErrorModal {
                title: "Export failed".into(),
                message: e.to_string(),
            })),
        }
    }

    /// File › Export report…: the report pack of the open license and
    /// workspace (as edited), the loaded events file (all of it, as
    /// `report --events` replays it) and the usage history beside the
    /// workspace — the workbook `ia-licensing report` writes for them.
    pub(super) fn export_report(&mut self, path: &Path) {
        let history_path =
            super::history_path(self.session.target(), self.data_dir.as_deref()).filter(|p| crate::core::fs::exists(p));
        if let Some(h) = &history_path
            && let Err(e) = crate::core::fs::check_output(path, &[h.as_path()])
        {
            self.open_modal(Modal::Error(ErrorModal {
                title: "Export Report refused".into(),
                message: e.to_string(),
            }));
            return;
        }
        let bytes = self.report_pack(history_path.as_deref());
        self.write_export(path, bytes);
    }

    fn report_pack(&self, history_path: Option<&Path>) -> Result<Vec<u8>, ExportError> {
        let open = self.session.doc();
        let license = Arc::clone(open.license());
        let ws = open.workspace().clone();
        // The document as `check` judges it: the pools' peaks of the whole
        // events file, not of the simulation's clock.
        let replay = self
            .simulation
            .as_ref()
            .map(|sim| crate::core::replay::replay(&license, &ws, &sim.events, None));
        let mut doc = Document::new(license, ws, open.today());
        if let Some(r) = &replay {
            doc.set_peaks(r.peak.clone());
        }
        let media = open.engine().media_servers().to_vec();
        if !media.is_empty() {
            doc.set_media_servers(media);
        }
        let store = match history_path {
            Some(p) => Some(crate::core::history::History::open_read_only(p)?),
            None => None,
        };
        let shown = match (&store, history_path) {
            (Some(store), Some(p)) => Some(crate::core::history::show(store, p, None, None)?),
            _ => None,
        };
        let has_days = shown.as_ref().is_some_and(|s| s.from.is_some());
        let daily = match &store {
            Some(store) if has_days => Some(store.daily_peaks(95.0)?),
            _ => None,
        };
        let license_file = match self.session.license_source() {
            crate::core::journal::LicenseSource::File { path } => path.display().to_string(),
            crate::core::journal::LicenseSource::Demo => "the built-in demo license".to_string(),
            crate::core::journal::LicenseSource::Builtin { name } => format!("the built-in scenario {name}"),
        };
        let workspace_file = match self.session.target() {
            crate::core::editing::Target::File(p) if self.dirty() => {
                format!("{} (with unsaved changes)", p.display())
            }
            crate::core::editing::Target::File(p) => p.display().to_string(),
            crate::core::editing::Target::Demo => "the built-in demo workspace".to_string(),
            crate::core::editing::Target::Scenario(name) => format!("the built-in scenario {name}"),
        };
        let history_file = history_path.map(|p| p.display().to_string());
        let (made, _) = crate::core::changelog::who_and_when();
        let built = pack::build(&pack::Sources {
            doc: &doc,
            replay: replay.as_ref(),
            history: shown.as_ref().filter(|_| has_days).map(|shown| pack::HistoryInput {
                shown,
                daily_peaks: daily.as_ref(),
            }),
            no_history: if shown.is_some() {
                "the usage history has no days yet"
            } else {
                "the workspace has no usage history beside it (Usage History › Import… makes one)"
            },
            license_file: &license_file,
            workspace_file: &workspace_file,
            events_file: self.simulation.as_ref().map(|s| s.name.as_str()),
            history_file: history_file.as_deref(),
            from: None,
            to: None,
            made,
            made_by: &self.actor,
        });
        Ok(built.bytes()?)
    }
}
