//! `report`: the Excel report pack (core::reports::pack) for a license, a
//! workspace and optionally an events file and a usage history; exit codes
//! follow `check --fail-on`, for scheduled runs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use super::args::{OutputFormat, ReportArgs};
use super::{Failure, banner, print_json, print_text};
use crate::core::history::{self, History};
use crate::core::reports::pack::{self, HistoryInput, Sources};
use crate::core::text::safe;

/// `report --format json`: what was written.
#[derive(Serialize)]
struct Written<'a> {
    license: crate::core::license::Trust,
    report: String,
    sheets: Vec<&'a str>,
    left_out: Vec<LeftOut<'a>>,
    errors: usize,
    warnings: usize,
    info: usize,
}

#[derive(Serialize)]
struct LeftOut<'a> {
    sheet: &'a str,
    reason: &'a str,
}

/// The history the report shows: the one given, or the workspace's when it
/// exists.
fn history_path(args: &ReportArgs) -> Option<PathBuf> {
    args.history.clone().or_else(|| {
        let own = history::path_for(&args.workspace);
        crate::core::fs::exists(&own).then_some(own)
    })
}

pub(super) fn run_report(args: ReportArgs) -> Result<ExitCode, Failure> {
    if let (Some(from), Some(to)) = (args.from, args.to)
        && from > to
    {
        return Err(Failure::refused(format!(
            "the range starts on {from} after it ends on {to}; give the first day first"
        )));
    }
    // The workspace's own history, whether it exists or not, is never the
    // output: the guard refuses it before the command runs (cli/guard.rs).
    let history_path = history_path(&args);
    let (doc, replay) = super::check::check_document(
        &args.license,
        &args.workspace,
        &args.trust,
        args.events.as_deref(),
        super::check::Sessions::Kept,
        args.today,
    )?;
    let store = match &history_path {
        Some(p) => Some(History::open_read_only(p)?),
        None => None,
    };
    let shown = match (&store, &history_path) {
        (Some(store), Some(path)) => Some(history::show(store, path, args.from, args.to)?),
        _ => None,
    };
    let has_days = shown.as_ref().is_some_and(|s| s.from.is_some());
    let daily = match &store {
        Some(store) if has_days => Some(store.daily_peaks(args.percentile)?),
        _ => None,
    };
    let no_history = if shown.is_some() {
        "the usage history has no days yet"
    } else {
        "no usage history was given, and the workspace has none beside it"
    };
    let (made, made_by) = crate::core::changelog::who_and_when();
    let name = |p: &Path| p.display().to_string();
    let (license_file, workspace_file) = (name(&args.license), name(&args.workspace));
    let events_file = args.events.as_deref().map(name);
    let history_file = history_path.as_deref().map(name);
    let built = pack::build(&Sources {
        doc: &doc,
        replay: replay.as_ref(),
        history: shown.as_ref().filter(|_| has_days).map(|shown| HistoryInput {
            shown,
            daily_peaks: daily.as_ref(),
        }),
        no_history,
        license_file: &license_file,
        workspace_file: &workspace_file,
        events_file: events_file.as_deref(),
        history_file: history_file.as_deref(),
        from: args.from,
        to: args.to,
        made,
        made_by: &made_by,
    });
    let bytes = built.bytes()?;
    crate::core::fs::atomic_write(&args.out, &bytes)?;
    let totals = doc.engine().totals();
    let included: Vec<&str> = built.sheets.iter().map(|s| s.name.as_str()).collect();
    let left_out: Vec<LeftOut<'_>> = built
        .cover
        .contents
        .iter()
        .filter(|c| !c.included)
        .map(|c| LeftOut {
            sheet: &c.sheet,
            reason: &c.note,
        })
        .collect();
    match args.format {
        OutputFormat::Json => print_json(&Written {
            license: doc.license().signature.trust(),
            report: args.out.display().to_string(),
            sheets: included,
            left_out,
            errors: totals.0,
            warnings: totals.1,
            info: totals.2,
        })?,
        OutputFormat::Table => {
            let mut out = String::new();
            banner(&mut out, &[doc.license()]);
            out.push_str(&format!(
                "Report written to {}: {}\n  {}\n",
                safe(&args.out.display().to_string()),
                crate::core::text::count(included.len() + 1, "sheet", "sheets"),
                std::iter::once("Cover")
                    .chain(included.iter().copied())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            for l in &left_out {
                out.push_str(&format!("  Left out: {} ({})\n", l.sheet, l.reason));
            }
            out.push_str(&format!(
                "Diagnostics: {} errors, {} warnings, {} info\n",
                totals.0, totals.1, totals.2
            ));
            print_text(&out)?;
        }
    }
    let fail = super::check::fails(args.fail_on, totals);
    // As `check`: the process ends here; the operating system takes the
    // memory back faster than freeing a large document would.
    std::mem::forget(doc);
    Ok(if fail { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
