//! The modals the app can show: dialogs, messages and prompts, as values
//! on the one modal stack (`modals.rs` draws the top one; `dialog_list.rs`
//! lists their kinds).

use super::*;

/// A finished large change (a CSV import, a change applied in slices)
/// waiting for its journal line, made on a worker: serialising a command
/// about 100,000 subjects takes a noticeable fraction of a second.
pub(super) struct Recording {
    pub(super) rx: mpsc::Receiver<Result<String, crate::core::journal::JournalError>>,
    /// The status bar once it is written ("Imported 12 rows from …").
    pub(super) done: String,
    /// What the change was, to say it could not be protected.
    pub(super) what: String,
}

/// What a file prompt (path field, or the system dialog) is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    License,
    Workspace,
    SaveWorkspaceAs,
    ImportCsv(Table),
    Events,
    Account,
    CompareLicense,
    /// A table as CSV or Excel.
    Export(views::Report, views::ExportFormat),
    /// The report pack (Excel).
    ExportReport,
}

impl FileKind {
    pub(super) fn title(self) -> &'static str {
        match self {
            FileKind::License => "Load License",
            FileKind::Workspace => "Open Workspace",
            FileKind::SaveWorkspaceAs => "Save Workspace As",
            FileKind::ImportCsv(_) => "Import CSV",
            FileKind::Events => "Open Events",
            FileKind::Account => "Open Account",
            FileKind::CompareLicense => "Compare with license file",
            FileKind::Export(report, format) => export_title(report, format),
            FileKind::ExportReport => "Export Report (Excel)",
        }
    }
    pub(super) fn hint(self) -> &'static str {
        use views::ExportFormat::{Csv, Excel};
        match self {
            FileKind::License | FileKind::CompareLicense => "/path/to/license.I3Lic",
            FileKind::Workspace | FileKind::SaveWorkspaceAs => "/path/to/site.ialws",
            FileKind::ImportCsv(_) | FileKind::Export(views::Report::Table(_), Csv) => "/path/to/users.csv",
            FileKind::Export(views::Report::Table(_), Excel) => "/path/to/users.xlsx",
            FileKind::Events => "/path/to/events.json",
            FileKind::Account => "/path/to/account.ialacct",
            FileKind::Export(_, Csv) => "/path/to/report.csv",
            FileKind::Export(_, Excel) | FileKind::ExportReport => "/path/to/report.xlsx",
        }
    }
    /// What File › Open…, Save As… and the exports ask the dialog for.
    pub(super) fn pick(self) -> crate::ui::files::Pick {
        use crate::ui::files::Pick;
        match self {
            FileKind::License | FileKind::CompareLicense => Pick::Open("License file", &["I3Lic", "i3lic"]),
            FileKind::Workspace => Pick::Open("Workspace", &["ialws"]),
            FileKind::SaveWorkspaceAs => Pick::Save("Workspace", &["ialws"]),
            FileKind::ImportCsv(_) => Pick::Open("CSV", &["csv"]),
            FileKind::Export(_, crate::ui::views::ExportFormat::Csv) => Pick::Save("CSV", &["csv"]),
            FileKind::Export(_, crate::ui::views::ExportFormat::Excel) | FileKind::ExportReport => {
                Pick::Save("Excel workbook", &["xlsx"])
            }
            FileKind::Events => Pick::Open("Events", &["json"]),
            FileKind::Account => Pick::Open("Account", &["ialacct"]),
        }
    }

    pub(super) fn saves(self) -> bool {
        matches!(
            self,
            FileKind::SaveWorkspaceAs | FileKind::Export(..) | FileKind::ExportReport
        )
    }
}

/// The file prompt: a path field, plus Browse… where a system dialog can open.
#[derive(Debug, Clone)]
pub struct OpenPrompt {
    pub kind: FileKind,
    pub path: String,
}

/// A message in a modal (a refused file, a failed save).
#[derive(Debug, Clone)]
pub struct ErrorModal {
    pub title: String,
    pub message: String,
}

pub use crate::ui::views::Nav;

/// Something waiting for the user to decide about unsaved changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Quit,
    OpenWorkspace(PathBuf),
    /// A built-in training scenario (index into `simulation::SCENARIOS`).
    LoadScenario(usize),
}

/// Something the user must answer before going on.
pub enum Modal {
    /// A configuration or confirmation dialog.
    Dialog(Dialog),
    Error(ErrorModal),
    /// IA's information message (OK only).
    Notice(String),
    /// Unsaved changes: Save, Don't Save or Cancel before going on.
    Unsaved(Pending),
    /// A view holds changes that are not in the document (the Genesys
    /// Cloud estimate's what-if): quit without them, go to them, or Cancel.
    Held(Nav, &'static str),
    /// A file path to type (or Browse…).
    Path(OpenPrompt),
    /// Save over a file changed on disk?
    Overwrite(PathBuf),
    /// Unsaved changes found in the journal; the second part says the
    /// license changed since (the user decides before replay).
    Recovery(Box<Recovered>, Option<String>),
    /// File › Import site…: the export and the workspace to write.
    SiteImport(Box<crate::ui::site_import::SiteImportForm>),
    /// A finished site import's report (the workspace it wrote).
    SiteReport(PathBuf, Box<crate::core::site_import::ImportReport>),
    /// A change applied in part: what was refused, in full.
    AppliedInPart(Box<crate::core::plan::AppliedInPart>),
    /// Account › Install Sites: Install Site Details (New Install Site, Edit).
    InstallSite(Box<dialogs::install_site::SiteDetails>),
    /// Virtual-cloud stage 3 and beyond: the obtrusive warning.
    CloudWarning(Box<CloudWarning>),
}

/// The virtual-cloud warning (stage 3 and beyond), at start and whenever
/// the stage advances; dismissing it lasts until the next stage.
#[derive(Debug, Clone)]
pub struct CloudWarning {
    pub status: crate::core::enforcement::Status,
    /// The instant the status is for (the words count days from it).
    pub now: chrono::DateTime<chrono::Utc>,
    /// Opened by the clock: kept up to date, and closed when the stage
    /// falls below 3 again (a trainer's clock moved back). A sample shown
    /// on other data stays until dismissed.
    pub follows_clock: bool,
}

/// The open dialog, if any (one at a time, like IA's modal dialogs).
pub enum Dialog {
    User(Box<dialogs::user::UserDialog>),
    Station(Box<dialogs::station::StationDialog>),
    License(dialogs::license_config::LicenseConfigDialog),
    Bulk(dialogs::bulk::BulkDialog),
    ConfirmRemove(SubjectKind, Vec<String>),
    Compare(Box<dialogs::compare::CompareDialog>),
    About,
    /// "Apply N changes to M users?" before a large change; the dialog it
    /// came from (a bulk change) comes back on Cancel.
    Confirm(Box<dialogs::confirm::ConfirmDialog>, Option<Box<Dialog>>),
}
