//! One file per view; each holds only its own view state and reports what
//! the user asked for as `Action`s, which the app carries out.

pub mod account;
pub mod allocation;
pub mod changelog;
pub mod cloud;
mod cloud_charts;
pub mod cloud_edit;
mod cloud_forms;
mod cloud_tables;
pub mod cost;
pub mod enforcement;
pub mod history;
mod history_read;
pub mod license;
pub mod policies;
pub mod reclaim;
mod registry;
pub mod roles;
pub mod stations;
pub mod statistics;
pub mod usage;
pub mod users;
pub mod warnings;
pub mod workgroups;

pub use registry::{Nav, UnknownView, Views, parse_view_name};

use crate::core::command::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkKind {
    Assign,
    Remove,
    SetMethod,
    /// Give users a role, or take it away.
    Roles,
}

/// What a view reads and may change besides its own state: the document
/// (read only: changes go out as `Action`s), whether editing is locked,
/// the trainer's clock and the simulation.
pub struct ViewContext<'a> {
    pub doc: &'a crate::core::document::Document,
    pub locked: bool,
    /// Why nothing may change at all (a read-only session), if so: what
    /// would change the document is shown off, with this on hover.
    pub read_only: Option<&'a str>,
    /// The view may take the keyboard: no dialog, message or menu is in
    /// front of it (those own the keyboard while open).
    pub keys: bool,
    pub clock: &'a mut enforcement::Clock,
    pub simulation: Option<&'a mut crate::ui::simulation::Simulation>,
    /// Where the workspace's usage history is kept (`None`: nowhere yet).
    pub history_path: Option<&'a std::path::Path>,
    /// Where the open license came from (an import keeps its text).
    pub license_source: Option<&'a crate::core::journal::LicenseSource>,
    /// How much work a view may do at once on the window's thread (what
    /// is larger goes to a worker, `ui::job`).
    pub limits: &'a crate::ui::job::Limits,
}

/// A screen of the console: it draws itself from the context and reports
/// what the user asked for. Each one can be drawn (and snapshotted) alone.
pub trait View {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut ViewContext<'_>, out: &mut Vec<Action>);

    /// Changes this view holds that are not in the document (so the
    /// unsaved-changes check does not see them), in words for the user:
    /// quitting asks about them first.
    fn held_changes(&self) -> Option<&'static str> {
        None
    }
}

/// A table the app offers to export (a view's, or File › Export CSV… /
/// Export Excel…'s).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// Users, stations or workgroups of the workspace.
    Table(crate::core::csv_io::Table),
    Statistics,
    ChangeLog,
    Usage,
    /// The cost estimate of the view on show (Usage & Billing or Usage History).
    Cost,
}

/// How a table is exported: every table export offers both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    /// An Excel workbook (.xlsx): numbers and dates as such, header frozen.
    Excel,
}

impl ExportFormat {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Excel => "xlsx",
        }
    }
}

/// "Export CSV…" and "Export Excel…" side by side (`what` names the table
/// where a view has more than one: "cost"); the one clicked.
pub fn export_buttons(ui: &mut egui::Ui, what: Option<&str>) -> Option<ExportFormat> {
    let label = |format: &str| match what {
        Some(w) => format!("Export {w} {format}…"),
        None => format!("Export {format}…"),
    };
    let mut clicked = None;
    ui.horizontal(|ui| {
        if ui.button(label("CSV")).clicked() {
            clicked = Some(ExportFormat::Csv);
        }
        if ui.button(label("Excel")).clicked() {
            clicked = Some(ExportFormat::Excel);
        }
    });
    clicked
}

/// What a view asks the app to do.
#[derive(Debug, Clone)]
pub enum Action {
    Command(Box<Command>),
    /// Apply a large change after asking ("Apply N changes to M users?",
    /// with its plan): Apply policies, Reclaim › Apply.
    Confirm(Box<Command>),
    OpenUser(String),
    OpenStation(String),
    OpenLicense(String),
    Bulk {
        kind: BulkKind,
        users: Vec<String>,
        stations: Vec<String>,
    },
    /// Remove these users, stations or workgroups, after asking.
    ConfirmRemove {
        kind: crate::core::subject::SubjectKind,
        ids: Vec<String>,
    },
    /// Load License… (`compare_only`: Compare with file…).
    LoadLicense {
        compare_only: bool,
    },
    /// Export a table as CSV or Excel (asks where).
    Export(Report, ExportFormat),
    /// Select and show a diagnostic's subject.
    Reveal(crate::core::subject::Subject),
    /// Open or change the AFMT account.
    Account(account::AccountAction),
}
