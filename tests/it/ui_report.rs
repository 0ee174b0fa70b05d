//! File › Export report… and the Excel beside every CSV export in the GUI:
//! the app's report pack equals `ia-licensing report` on the same files
//! (cover's time and user aside), and a table exported as Excel holds the
//! rows its CSV holds.

use std::path::PathBuf;

use calamine::{Data, Reader, Xlsx, open_workbook};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::csv_io::Table;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, FileKind, Startup};
use ia_licensing::ui::views::{ExportFormat, Report};

use crate::report::{sheet, sheet_names, site};
use crate::util::{bin, s};

fn harness(license: PathBuf, workspace: PathBuf) -> Harness<'static, App> {
    crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup {
            file: Some(license),
            workspace: Some(workspace),
            ..Startup::demo(TrustStore::with_demo())
        },
    )
}

fn all_cells(path: &std::path::Path, name: &str) -> Vec<Vec<Data>> {
    let mut book: Xlsx<_> = open_workbook(path).expect("open");
    book.worksheet_range(name)
        .expect("sheet")
        .rows()
        .map(<[Data]>::to_vec)
        .collect()
}

#[test]
fn export_report_in_the_app_equals_the_report_command() {
    let site = site("shift-change");
    let mut h = harness(site.lic.clone(), site.ws.clone());
    // The workspace loads on a worker: one frame starts it.
    h.step();
    h.state_mut().wait_for_loading();
    h.run();
    h.state_mut().open_events(&site.events);
    h.run();
    // Through the menu: File › Export report… asks where.
    h.key_press(egui::Key::F10);
    h.run();
    h.run();
    h.get_by_label("Export report…").click();
    h.run();
    h.run();
    h.get_by_label("Export Report (Excel)");
    let app_out = site.dir.path().join("app.xlsx");
    h.state_mut().open_file(FileKind::ExportReport, app_out.clone());
    h.run();
    assert!(app_out.is_file(), "the app wrote no report");
    let cli_out = site.dir.path().join("cli.xlsx");
    let today = chrono::Local::now().date_naive().to_string();
    let ran = bin()
        .args([
            "report",
            "--license",
            s(&site.lic),
            "--workspace",
            s(&site.ws),
            "--events",
            s(&site.events),
            "--today",
            &today,
            "-o",
            s(&cli_out),
        ])
        .output()
        .expect("run");
    assert!(
        ran.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&ran.stderr)
    );
    let names = sheet_names(&cli_out);
    assert_eq!(sheet_names(&app_out), names);
    assert!(names.contains(&"Usage History".to_string()) && names.contains(&"Denials".to_string()));
    for name in names.iter().skip(1) {
        assert_eq!(all_cells(&app_out, name), all_cells(&cli_out, name), "{name} differs");
    }
    // The cover differs only in who made it, when, and how the files are named.
    let cover = |p: &std::path::Path| -> Vec<Vec<Data>> {
        all_cells(p, "Cover")
            .into_iter()
            .filter(|r| {
                !matches!(r.first(), Some(Data::String(l)) if l.starts_with("Made ") || l.ends_with("file")
                    || l == "Workspace" || l == "Usage history")
            })
            .collect()
    };
    assert_eq!(cover(&app_out), cover(&cli_out));
}

/// The workspace's own usage history, before it exists, is no place for a
/// report, a table export or Save As: refused, saying what the file is,
/// and nothing is written there (issue #34 retrial: an .xlsx named
/// `site.ialhist` left the workspace with a history nothing could read).
#[test]
fn no_export_is_written_as_the_workspaces_history_before_it_exists() {
    let site = site("shift-change");
    let own = site.ws.with_extension("ialhist");
    std::fs::remove_file(&own).expect("no history yet");
    let mut h = harness(site.lic.clone(), site.ws.clone());
    h.step();
    h.state_mut().wait_for_loading();
    h.run();
    for kind in [
        FileKind::ExportReport,
        FileKind::Export(Report::Table(Table::Users), ExportFormat::Excel),
        FileKind::SaveWorkspaceAs,
    ] {
        h.state_mut().open_file(kind, own.clone());
        h.run();
        assert!(!own.exists(), "{kind:?} wrote the workspace's own history");
        h.get_by_label_contains("is the usage history of");
        h.key_press(egui::Key::Escape);
        h.run();
    }
}

#[test]
fn every_table_export_offers_excel_beside_csv_with_the_same_rows() {
    let site = site("shift-change");
    let mut h = harness(site.lic.clone(), site.ws.clone());
    h.step();
    h.state_mut().wait_for_loading();
    h.run();
    for table in [Table::Users, Table::Stations, Table::Workgroups] {
        let csv = site.dir.path().join(format!("{table:?}.csv"));
        let xlsx = site.dir.path().join(format!("{table:?}.xlsx"));
        h.state_mut()
            .open_file(FileKind::Export(Report::Table(table), ExportFormat::Csv), csv.clone());
        h.state_mut().open_file(
            FileKind::Export(Report::Table(table), ExportFormat::Excel),
            xlsx.clone(),
        );
        h.run();
        let name = sheet_names(&xlsx).remove(0);
        let (_, rows) = sheet(&xlsx, &name);
        let mut reader = csv::Reader::from_path(&csv).expect("csv");
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), records.len(), "{table:?}");
        for (row, record) in rows.iter().zip(&records) {
            for (cell, field) in row.iter().zip(record.iter()) {
                let field = ia_licensing::core::text::from_csv_cell(field);
                match cell {
                    Data::String(t) => assert_eq!(t, field),
                    Data::Empty => assert_eq!(field, ""),
                    other => panic!("{table:?}: {other:?} for {field:?}"),
                }
            }
        }
    }
    // The views' buttons: License Statistics and Change Log offer both.
    for nav in [
        ia_licensing::ui::app::Nav::LicenseStatistics,
        ia_licensing::ui::app::Nav::ChangeLog,
    ] {
        h.state_mut().set_nav(nav);
        h.run();
        h.get_by_label("Export CSV…");
        h.get_by_label("Export Excel…").click();
        h.run();
        h.run();
        h.get_by_label_contains("as Excel");
        h.key_press(egui::Key::Escape);
        h.run();
    }
    // License Statistics as Excel: counts as numbers.
    let stats = site.dir.path().join("stats.xlsx");
    h.state_mut()
        .open_file(FileKind::Export(Report::Statistics, ExportFormat::Excel), stats.clone());
    h.run();
    let (header, rows) = sheet(&stats, "License Statistics");
    assert_eq!(header[2], "Assignable Allowed");
    assert!(!rows.is_empty() && rows.iter().all(|r| matches!(r[2], Data::Float(_))));
}
