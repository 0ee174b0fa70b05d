//! `history import` and `history show`: the usage history next to the
//! workspace (docs/history.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;

use serde::Serialize;

use super::args::{HistoryCommand, OutputFormat, TrustArgs};
use super::{Failure, load_workspace, print_json, print_text};
use crate::core::catalog::{self, BillingCategory};
use crate::core::history::{self, History, HistoryDay, HistoryPeriod};
use crate::core::license::{License, LoadOptions};
use crate::core::text::{safe, thousands};

pub(super) fn run_history(cmd: HistoryCommand) -> Result<ExitCode, Failure> {
    match cmd {
        HistoryCommand::Import {
            workspace,
            events,
            license,
            history,
            format,
            trust,
        } => import(&workspace, &events, license.as_deref(), history, format, &trust),
        HistoryCommand::Show {
            workspace,
            from,
            to,
            history,
            format,
        } => show(&workspace, from, to, history, format),
    }
}

/// Reads and verifies a license, keeping the text that was verified.
fn license_text(path: &Path, trust: &TrustArgs) -> Result<(License, String), Failure> {
    let bytes = crate::core::fs::read_capped(path, crate::core::license::MAX_FILE_BYTES)?;
    let license = verify(&bytes, trust).map_err(|r| Failure::refused(format!("{}: {r}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|_| Failure::refused(format!("{} is not UTF-8", path.display())))?;
    Ok((license, text))
}

/// Why a license given with the history's files was not loaded: a
/// `--trust` key, or the license itself.
#[derive(Debug, thiserror::Error)]
pub(super) enum VerifyError {
    #[error(transparent)]
    Key(#[from] crate::core::license::signing::KeyError),
    #[error(transparent)]
    Refused(#[from] crate::core::license::Refusal),
}

pub(super) fn verify(bytes: &[u8], trust: &TrustArgs) -> Result<License, VerifyError> {
    let store = trust.trust_store()?;
    Ok(License::load_bytes(
        bytes,
        LoadOptions {
            trust: &store,
            allow_unsigned: trust.allow_unsigned,
        },
    )?)
}

#[derive(Serialize)]
struct Imported<'a> {
    /// The license the events were replayed against (as every command
    /// that reads a license).
    license: crate::core::license::Trust,
    history: String,
    #[serde(flatten)]
    report: &'a history::ImportReport,
}

fn import(
    workspace: &Path,
    events: &[PathBuf],
    license: Option<&Path>,
    history_path: Option<PathBuf>,
    format: OutputFormat,
    trust: &TrustArgs,
) -> Result<ExitCode, Failure> {
    let ws = load_workspace(workspace)?;
    let path = history_path.unwrap_or_else(|| history::path_for(workspace));
    let (license, text) = match license {
        Some(l) => license_text(l, trust)?,
        None => {
            let stored = if path.is_file() {
                History::open_read_only(&path).and_then(|h| h.stored_license())?
            } else {
                None
            };
            let Some(text) = stored else {
                return Err(Failure::refused(format!(
                    "{} has no license yet; give the license the events ran under with --license",
                    path.display()
                )));
            };
            let license = verify(text.as_bytes(), trust).map_err(|r| {
                Failure::refused(format!(
                    "the license stored in {} is refused ({r}); give the license with --license",
                    path.display()
                ))
            })?;
            (license, text)
        }
    };
    let cancel = AtomicBool::new(false);
    // A refused import leaves no history it made itself ("nothing was
    // imported" means no new file either).
    let existed = crate::core::fs::is_file(&path);
    let mut store = History::open(&path)?;
    let imported = store.import_files(
        Some(&text),
        &license,
        &ws,
        events,
        &cancel,
        &history::ImportProgress::default(),
    );
    let report = match imported {
        Ok(report) => report,
        Err(e) => {
            if !existed && matches!(store.span(), Ok(None)) {
                drop(store);
                for suffix in ["", "-wal", "-shm", "-journal"] {
                    let mut name = path.clone().into_os_string();
                    name.push(suffix);
                    let _ = crate::core::fs::remove_file(std::path::Path::new(&name));
                }
            }
            return Err(e.into());
        }
    };
    match format {
        OutputFormat::Json => print_json(&Imported {
            license: license.signature.trust(),
            history: path.display().to_string(),
            report: &report,
        })?,
        OutputFormat::Table => {
            let mut table = super::output::table(&["Events file", "From", "To", "Events"]);
            for f in &report.files {
                table.add_row(vec![
                    safe(&f.source).into_owned(),
                    f.first.to_string(),
                    f.last.to_string(),
                    thousands(f.events),
                ]);
            }
            super::output::align_right(&mut table, 3..4);
            let mut out = String::new();
            super::banner(&mut out, &[&license]);
            out.push_str(&format!(
                "{table}\nImported into {}: {} added, {} replaced.\n",
                safe(&path.display().to_string()),
                crate::core::text::count(report.days_added, "day", "days"),
                crate::core::text::count(report.days_replaced, "day", "days"),
            ));
            // How each file was read, then what was carried between them
            // and what could not be (sessions open at the end, logoffs
            // with no logon).
            for note in report
                .files
                .iter()
                .filter_map(|f| f.note.as_deref())
                .chain(report.notes.iter().map(String::as_str))
            {
                out.push_str(&format!("Note: {}\n", safe(note)));
            }
            print_text(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn show(
    workspace: &Path,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
    history_path: Option<PathBuf>,
    format: OutputFormat,
) -> Result<ExitCode, Failure> {
    // The workspace names the history; it must be a workspace file even
    // when --history says where the history is.
    crate::core::fs::open_regular(workspace)?;
    let path = history_path.unwrap_or_else(|| history::path_for(workspace));
    let store = History::open_read_only(&path)?;
    let shown = history::show(&store, &path, from, to)?;
    match format {
        OutputFormat::Json => print_json(&shown)?,
        OutputFormat::Table => print_text(&show_table(
            &path,
            shown.from.zip(shown.to),
            &shown.days,
            &shown.periods,
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn category_label(code: &str) -> &str {
    match BillingCategory::from_code(code) {
        Some(c) => c.label(),
        None => code,
    }
}

fn show_table(
    path: &Path,
    range: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    days: &[HistoryDay],
    periods: &[HistoryPeriod],
) -> String {
    let Some((from, to)) = range else {
        return format!(
            "{} has no days yet; import events with `ia-licensing history import`.\n",
            safe(&path.display().to_string())
        );
    };
    let mut out = format!(
        "Usage history {from} to {to} ({} with data)\n\n",
        crate::core::text::count(days.len(), "day", "days")
    );
    let mut table = super::output::table(&[
        "Date",
        "License",
        "Peak in use",
        "Concurrent allowed",
        "Peak wanted",
        "Denials",
    ]);
    for d in days {
        for (key, peak) in &d.peak {
            let allowance = d.allowance.get(key).copied().unwrap_or(0);
            let denials = d.denials.get(key).copied().unwrap_or(0);
            let wanted = d.peak_demand.get(key).copied().unwrap_or(0);
            table.add_row(vec![
                d.date.to_string(),
                safe(catalog::label(key)).into_owned(),
                thousands(*peak as usize),
                thousands(allowance as usize),
                thousands(wanted as usize),
                thousands(denials as usize),
            ]);
        }
    }
    super::output::align_right(&mut table, 2..6);
    out.push_str(&format!(
        "{table}\n\nDistinct users per billing category, per billing period (28th to 27th; upload due by the 4th)\n"
    ));
    let mut table = super::output::table(&["Period", "Upload due", "Days", "Users by category"]);
    for p in periods {
        let users: Vec<String> = p
            .users_by_category
            .iter()
            .map(|(c, n)| format!("{} {}", category_label(c), thousands(*n)))
            .collect();
        let length = (p.end - p.start).num_days() + 1;
        table.add_row(vec![
            format!("{} – {}", p.start, p.end),
            p.due.to_string(),
            format!("{} of {length}", p.days_covered),
            users.join(", "),
        ]);
    }
    out.push_str(&format!("{table}\n"));
    out
}
