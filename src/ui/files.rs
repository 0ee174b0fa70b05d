//! Files the GUI touches on the user's behalf: the system file dialog (rfd,
//! which needs a desktop portal on Linux — where none exists it returns
//! nothing and the path field in the prompt is used instead) and the list of
//! recent files in the platform's data folder.

use std::path::{Path, PathBuf};

use super::app::FileKind;

const MAX_RECENT: usize = 8;

/// Opens the system file dialog for a kind of file (blocking: call it off
/// the UI thread).
pub fn pick(kind: FileKind) -> Option<PathBuf> {
    let dialog = rfd::FileDialog::new();
    match kind {
        FileKind::License | FileKind::CompareLicense => {
            dialog.add_filter("License file", &["I3Lic", "i3lic"]).pick_file()
        }
        FileKind::Workspace => dialog.add_filter("Workspace", &["ialws"]).pick_file(),
        FileKind::SaveWorkspaceAs => dialog.add_filter("Workspace", &["ialws"]).save_file(),
        FileKind::ImportCsv(_) => dialog.add_filter("CSV", &["csv"]).pick_file(),
        FileKind::Export(_, crate::ui::views::ExportFormat::Csv) => dialog.add_filter("CSV", &["csv"]).save_file(),
        FileKind::Export(_, crate::ui::views::ExportFormat::Excel) | FileKind::ExportReport => {
            dialog.add_filter("Excel workbook", &["xlsx"]).save_file()
        }
        FileKind::Events => dialog.add_filter("Events", &["json"]).pick_file(),
        FileKind::Account => dialog.add_filter("Account", &["ialacct"]).pick_file(),
    }
}

fn recent_file(data_dir: Option<&Path>) -> Option<PathBuf> {
    data_dir.map(|d| d.join("recent.json"))
}

/// The recent files, newest first (missing or unreadable list: none).
pub fn load_recent(data_dir: Option<&Path>) -> Vec<PathBuf> {
    recent_file(data_dir)
        .and_then(|p| crate::core::fs::read_capped(&p, 64 * 1024).ok())
        .and_then(|b| serde_json::from_slice::<Vec<PathBuf>>(&b).ok())
        .unwrap_or_default()
}

/// Puts a path at the top of the recent list and stores the list (best effort).
pub fn remember(data_dir: Option<&Path>, recent: &mut Vec<PathBuf>, path: &Path) {
    let path = crate::core::fs::canonical(path);
    recent.retain(|p| *p != path);
    recent.insert(0, path);
    recent.truncate(MAX_RECENT);
    if let Some(file) = recent_file(data_dir) {
        if let Some(dir) = file.parent() {
            let _ = crate::core::fs::create_dir_all(dir);
        }
        if let Ok(text) = serde_json::to_vec_pretty(recent) {
            let _ = crate::core::fs::atomic_write(&file, &text);
        }
    }
}
