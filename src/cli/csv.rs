//! `csv export` and `csv import`.

use std::process::ExitCode;

use super::args::CsvCommand;
use super::{Failure, load_license, load_workspace, print_text};
use crate::core::csv_io;
use crate::core::text::safe;

pub(super) fn run_csv(cmd: CsvCommand) -> Result<ExitCode, Failure> {
    match cmd {
        CsvCommand::Export { workspace, table, out } => {
            let ws = load_workspace(&workspace)?;
            let text = csv_io::export(&ws, table)?;
            match out {
                Some(path) => crate::core::fs::atomic_write(&path, text.as_bytes())?,
                // Printed, escaped like everything printed (no control
                // character reaches a terminal); `-o` writes the exact text,
                // which `csv import` reads back unchanged.
                None => print_text(&text)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        CsvCommand::Import {
            license,
            workspace,
            table,
            from,
            skip_bad_rows,
            out,
            trust,
        } => {
            // Written in place: held from reading to writing, as a session would.
            let _lock = if out.is_none() {
                Some(super::lock_workspace(&workspace, "ia-licensing csv import")?)
            } else {
                None
            };
            let license = load_license(&license, &trust)?;
            super::allocation_open(&license)?;
            let ws = load_workspace(&workspace)?;
            let bytes = crate::core::fs::read_capped(&from, 256 * 1024 * 1024)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Failure::refused(format!("{} is not UTF-8 text", from.display())))?;
            let mut doc = super::editable_document(license, ws);
            if let Some(b) = doc.license().signature.banner() {
                eprintln!("{b}");
            }
            let report = csv_io::import(&mut doc, table, &text, skip_bad_rows)?;
            for e in &report.errors {
                eprintln!("{}: {}", safe(&from.display().to_string()), safe(&e.to_string()));
            }
            if !report.errors.is_empty() && !skip_bad_rows {
                return Err(Failure::refused(format!(
                    "{} bad row{}; nothing imported (fix them, or use --skip-bad-rows)",
                    report.errors.len(),
                    if report.errors.len() == 1 { "" } else { "s" }
                )));
            }
            let target = super::write_workspace(&doc, workspace, out)?;
            eprintln!(
                "imported {} row{} into {}",
                report.imported,
                if report.imported == 1 { "" } else { "s" },
                target.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
