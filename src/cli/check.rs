//! `check`: Licenses Allocation counts and diagnostics of a workspace.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use super::args::{CheckArgs, OutputFormat};
use super::{Failure, banner, load_license, load_workspace, print_json, print_text, today};
use crate::core::document::Document;
use crate::core::license::LoadOptions;
use crate::core::text::safe;

pub(super) fn run_check(args: CheckArgs) -> Result<ExitCode, Failure> {
    let license = load_license(&args.license, &args.trust)?;
    let ws = load_workspace(&args.workspace)?;
    let media = if ws.media_servers.is_empty() {
        Vec::new()
    } else {
        let store = args.trust.trust_store()?;
        let dir = args.workspace.parent().map(Path::to_path_buf).unwrap_or_default();
        crate::core::license::media_server_statuses(
            &ws,
            &dir,
            LoadOptions {
                trust: &store,
                allow_unsigned: args.trust.allow_unsigned,
            },
        )
    };
    let peaks = match &args.events {
        Some(path) => Some(super::replay_events(&license, &ws, path)?.peak),
        None => None,
    };
    let mut doc = Document::new(Arc::new(license), ws, args.today.unwrap_or_else(today));
    if let Some(peaks) = peaks {
        doc.set_peaks(peaks);
    }
    if !media.is_empty() {
        doc.set_media_servers(media);
    }
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
    let (errors, warnings, _) = engine.totals();
    let fail = match args.fail_on {
        super::args::FailOn::Error => errors > 0,
        super::args::FailOn::Warning => errors + warnings > 0,
    };
    // The process ends right after this: freeing a 100k-user document
    // (hundreds of thousands of small allocations) would take a tenth of
    // the run, and the operating system takes the memory back at exit.
    drop((counts, diags));
    std::mem::forget(doc);
    Ok(if fail { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// `check --format json`.
pub(super) fn check_json(doc: &Document) -> super::output::Check<'_> {
    let engine = doc.engine();
    super::output::Check {
        license: doc.license().signature.trust(),
        counts: engine.counts(doc.license()),
        diagnostics: engine.diagnostics(),
        ordered_items: crate::core::reports::view_license::ordered_items_used(doc.license()),
    }
}
