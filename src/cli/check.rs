//! `check`: Licenses Allocation counts and diagnostics of a workspace.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::NaiveDate;

use super::args::{CheckArgs, FailOn, OutputFormat, TrustArgs};
use super::{Failure, banner, load_license, load_workspace, print_json, print_text};
use crate::core::document::Document;
use crate::core::license::LoadOptions;
use crate::core::replay::Replay;
use crate::core::text::safe;

pub(super) fn run_check(args: CheckArgs) -> Result<ExitCode, Failure> {
    let (doc, _) = check_document(
        &args.license,
        &args.workspace,
        &args.trust,
        args.events.as_deref(),
        Sessions::Dropped,
        args.today,
    )?;
    let engine = doc.engine();
    let counts = engine.counts(doc.license());
    let diags = engine.diagnostics();
    match args.format {
        OutputFormat::Json => print_json(&check_json(&doc))?,
        OutputFormat::Table => {
            let mut out = String::new();
            banner(&mut out, &[doc.license()]);
            out.push_str("Licenses Allocation\n");
            // IA's columns (Assignable Allowed / Configured, Concurrent
            // Allowed / Configured / in Use, Notes).
            let mut table = super::output::table(&[
                "Name",
                "Assignable\nAllowed",
                "Assignable\nConfigured",
                "Concurrent\nAllowed",
                "Concurrent\nConfigured",
                "Concurrent\nin Use",
                "Notes",
            ]);
            for c in &counts {
                table.add_row(vec![
                    safe(&c.label).into_owned(),
                    c.assignable_allowed.to_string(),
                    c.assignable_configured.to_string(),
                    c.concurrent_allowed.to_string(),
                    c.concurrent_configured.to_string(),
                    c.concurrent_in_use.to_string(),
                    safe(&c.notes).into_owned(),
                ]);
            }
            super::output::align_right(&mut table, 1..6);
            out.push_str(&format!("{table}\n"));
            let (e, w, i) = engine.totals();
            out.push_str(&format!("\nDiagnostics: {e} errors, {w} warnings, {i} info\n"));
            for d in &diags {
                out.push_str(&format!(
                    "  {:<8} {:<30} {}: {}\n           hint: {}\n",
                    d.severity.label(),
                    d.code,
                    safe(&d.subject.to_string()),
                    safe(&d.message),
                    safe(&d.hint)
                ));
            }
            print_text(&out)?;
        }
    }
    let fail = fails(args.fail_on, engine.totals());
    // The process ends right after this: freeing a 100k-user document
    // (hundreds of thousands of small allocations) would take a tenth of
    // the run, and the operating system takes the memory back at exit.
    drop((counts, diags));
    std::mem::forget(doc);
    Ok(if fail { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `check --format json`.
pub(super) fn check_json(doc: &Document) -> super::output::Check<'_> {
    super::output::Check::of(doc)
}

/// Does a check with these (errors, warnings, info) totals fail at
/// `--fail-on`? (`check` and `report` exit 1 when it does.)
pub(super) fn fails(fail_on: FailOn, (errors, warnings, _): (usize, usize, usize)) -> bool {
    match fail_on {
        FailOn::Error => errors > 0,
        FailOn::Warning => errors + warnings > 0,
    }
}

/// Whether the replay handed back keeps its sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sessions {
    Kept,
    /// Not kept: the file is read as it goes, in little memory.
    Dropped,
}

/// The document `check` judges: the license and workspace, with the
/// licenses of the workspace's media servers (files beside it) and, with
/// an events file, the pools' replayed peaks (the pool alerts follow).
/// The replay is handed back for the commands that report it (`report`).
pub(super) fn check_document(
    license: &Path,
    workspace: &Path,
    trust: &TrustArgs,
    events: Option<&Path>,
    sessions: Sessions,
    today: Option<NaiveDate>,
) -> Result<(Document, Option<Replay>), Failure> {
    let license = load_license(license, trust)?;
    let ws = load_workspace(workspace)?;
    let media = if ws.media_servers.is_empty() {
        Vec::new()
    } else {
        let store = trust.trust_store()?;
        let dir = workspace.parent().map(Path::to_path_buf).unwrap_or_default();
        crate::core::license::media_server_statuses(
            &ws,
            &dir,
            LoadOptions {
                trust: &store,
                allow_unsigned: trust.allow_unsigned,
            },
        )
    };
    let replay = match events {
        // The report's sheets list the sessions: every one is kept.
        Some(path) if sessions == Sessions::Kept => {
            let (events, stats) = crate::core::replay::load_file(path).map_err(|e| super::events_refused(path, e))?;
            if let Some(note) = super::events_note(path, &stats) {
                eprintln!("Note: {}", safe(&note));
            }
            Some(crate::core::replay::replay(&license, &ws, &events, None))
        }
        // The pools' peaks only: the file is read as it goes.
        Some(path) => Some(super::replay_events(&license, &ws, path)?),
        None => None,
    };
    let mut doc = Document::new(Arc::new(license), ws, today.unwrap_or_else(super::today));
    if let Some(r) = &replay {
        doc.set_peaks(r.peak.clone());
    }
    if !media.is_empty() {
        doc.set_media_servers(media);
    }
    Ok((doc, replay))
}
