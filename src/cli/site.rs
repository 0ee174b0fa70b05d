//! `site import`: reads an ICWS or registry export through the core
//! (`core::site_import`), writes the new workspace and prints the report
//! (docs/site-import.md).

use std::process::ExitCode;

use serde::Serialize;

use super::args::{OutputFormat, SiteCommand, SiteImportArgs};
use super::{Failure, print_json, print_text};
use crate::core::site_import::{self, DiscardedJournal, ImportReport, SiteImportError, Source, Unmapped, WriteOptions};
use crate::core::text::{count, safe, thousands};

pub(super) fn run_site(cmd: SiteCommand) -> Result<ExitCode, Failure> {
    match cmd {
        SiteCommand::Import(args) => import(args),
    }
}

/// `site import --format json`.
#[derive(Serialize)]
struct Imported<'a> {
    workspace: String,
    /// The self-check's verdict (`null` without license-allocations).
    consistent: Option<bool>,
    /// The recovery journal `--discard-journal` discarded (`null`: none).
    discarded_journal: Option<&'a DiscardedJournal>,
    #[serde(flatten)]
    report: &'a ImportReport,
}

fn import(args: SiteImportArgs) -> Result<ExitCode, Failure> {
    let source = match (args.icws, args.registry) {
        (Some(dir), None) => Source::Icws(dir),
        (None, Some(file)) => Source::Registry(file),
        // clap's group makes exactly one of them required.
        _ => return Err(Failure::refused("give either --icws DIR or --registry FILE")),
    };
    // Refused before anything is read or locked: an output inside the
    // export folder, or one of the files read (no lock file is ever made
    // in the export).
    site_import::check_output(&source, &args.out)?;
    // A file already there is never replaced without --force (checked
    // again, exclusively, when writing).
    let exists = |out: &std::path::Path| {
        Failure::refused(format!(
            "{} already exists; choose a new file for the imported workspace, or give --force to replace it",
            out.display()
        ))
    };
    let refused = |e: SiteImportError| {
        if let SiteImportError::UnsavedChanges { path, .. } = &e {
            // The core's words name no command (the GUI shows them too).
            return Failure::refused(format!(
                "{e}. To keep the work in another file: ia-licensing recover --workspace {} -o OTHER.ialws \
                 --discard; to discard it and write the import anyway: give --discard-journal",
                path.display()
            ));
        }
        match e {
            SiteImportError::Exists(path) => exists(&path),
            other => other.into(),
        }
    };
    if !args.force && crate::core::fs::exists(&args.out) {
        return Err(exists(&args.out));
    }
    // Replacing a workspace: under the lock a session editing it holds
    // (as `csv import` writes in place), from before reading to written.
    let lock = if args.force && crate::core::fs::exists(&args.out) {
        Some(super::lock_workspace(&args.out, "ia-licensing site import")?)
    } else {
        None
    };
    let opts = WriteOptions {
        replace: args.force,
        discard_journal: args.discard_journal,
        held: lock.as_ref(),
        data_dir: None,
    };
    // A crashed session's unsaved changes refuse the import before the
    // export is read (checked again when writing).
    site_import::check_journal(&args.out, &opts).map_err(refused)?;
    let imported = site_import::import(&source, &mut |_, _, _| true)?;
    let written = site_import::write_with(&imported, &args.out, &opts).map_err(refused)?;
    if let Some(d) = &written.discarded_journal {
        eprintln!(
            "ia-licensing: discarded {} in {} (--discard-journal)",
            d.changes.map_or_else(
                || "a recovery journal that could not be read".to_string(),
                |n| count(n, "unsaved change", "unsaved changes")
            ),
            safe(&d.journal.display().to_string())
        );
    }
    let report = &imported.report;
    match args.format {
        OutputFormat::Json => print_json(&Imported {
            workspace: args.out.display().to_string(),
            consistent: report.self_check.as_ref().map(|s| s.consistent),
            discarded_journal: written.discarded_journal.as_ref(),
            report,
        })?,
        OutputFormat::Table => print_text(&table(&source, &args.out, report))?,
    }
    Ok(ExitCode::SUCCESS)
}

fn table(source: &Source, out: &std::path::Path, r: &ImportReport) -> String {
    let from = match source {
        Source::Icws(_) => "the ICWS export",
        Source::Registry(_) => "the registry export",
    };
    let c = &r.counts;
    let mut text = format!(
        "Imported {from} {} into {}: {}, {}, {} ({}).\n",
        safe(&source.path().display().to_string()),
        safe(&out.display().to_string()),
        count(c.users, "user", "users"),
        count(c.stations, "station", "stations"),
        count(c.workgroups, "workgroup", "workgroups"),
        count(c.allocations, "license allocation", "license allocations"),
    );
    if c.records_skipped > 0 {
        text.push_str(&format!(
            "{} of the export not imported (listed below).\n",
            count(c.records_skipped, "record", "records")
        ));
    }
    text.push_str(&format!("Files read: {}.\n", site_import::files_read(r)));
    if !r.files_not_read.is_empty() {
        // The first ten by name (a folder may hold thousands); JSON lists
        // the first 5,000.
        let total = r.files_not_read.len() + r.files_not_read_more;
        text.push_str(&format!(
            "Files not read ({}; nothing of them is imported):\n",
            thousands(total)
        ));
        let mut t = super::output::table(&["File", "Why"]);
        for f in r.files_not_read.iter().take(10) {
            t.add_row(vec![safe(&f.file).into_owned(), safe(&f.why).into_owned()]);
        }
        text.push_str(&format!("{t}\n"));
        if total > 10 {
            text.push_str(&format!(
                "… and {} more (--format json lists them).\n",
                thousands(total - 10)
            ));
        }
    }
    text.push('\n');
    match &r.self_check {
        None => text.push_str(
            "Self-check: not made (the export has no license-allocations; it is the server's own Licenses \
             Allocation counts).\n",
        ),
        Some(check) if check.consistent => text.push_str(&format!(
            "Self-check against the server's Licenses Allocation: consistent ({} compared, no count differs).\n",
            count(check.keys_compared, "license", "licenses")
        )),
        Some(check) => {
            text.push_str(&format!(
                "Self-check against the server's Licenses Allocation: NOT consistent — {} of {} differ.\n",
                count(check.differences.len(), "count", "counts"),
                count(check.keys_compared, "license", "licenses")
            ));
            let mut t = super::output::table(&["License", "Column", "Server", "Imported", "Note"]);
            for d in &check.differences {
                t.add_row(vec![
                    format!("{} ({})", safe(&d.label), safe(&d.key)),
                    if d.column == "assignable" {
                        "Assignable Configured".into()
                    } else {
                        "Concurrent Configured".into()
                    },
                    d.server.map_or_else(|| "not listed".into(), |n| thousands(n as usize)),
                    thousands(d.imported as usize),
                    safe(&d.note).into_owned(),
                ]);
            }
            super::output::align_right(&mut t, 2..4);
            text.push_str(&format!("{t}\n"));
        }
    }
    section(
        &mut text,
        "Values that could not be mapped",
        &r.unmapped,
        r.unmapped_more,
    );
    section(&mut text, "Warnings", &r.warnings, r.warnings_more);
    if !r.keys_not_read.is_empty() {
        text.push_str(&format!(
            "\nRegistry keys not read ({}; nothing of them is imported):\n",
            thousands(r.keys_not_read.iter().map(|k| k.keys).sum::<usize>())
        ));
        let mut t = super::output::table(&["Key", "Keys", "First"]);
        for k in &r.keys_not_read {
            t.add_row(vec![
                safe(&k.key).into_owned(),
                thousands(k.keys),
                safe(&k.place).into_owned(),
            ]);
        }
        super::output::align_right(&mut t, 1..2);
        text.push_str(&format!("{t}\n"));
    }
    if !r.unknown_keys.is_empty() {
        text.push_str(&format!(
            "\nLicense keys this console does not know, kept as they are ({}):\n",
            thousands(r.unknown_keys.len())
        ));
        let mut t = super::output::table(&["Key", "Holders", "First holder"]);
        for k in &r.unknown_keys {
            t.add_row(vec![
                safe(&k.key).into_owned(),
                thousands(k.holders),
                safe(&k.example).into_owned(),
            ]);
        }
        super::output::align_right(&mut t, 1..2);
        text.push_str(&format!("{t}\n"));
    }
    text.push_str(&format!(
        "\nAssumptions applied ({}; docs/site-import.md explains each):\n",
        thousands(r.assumptions.len())
    ));
    if r.assumptions.is_empty() {
        text.push_str("None.\n");
    } else {
        let mut t = super::output::table(&["Assumed", "Records", "First record", "Code"]);
        for a in &r.assumptions {
            t.add_row(vec![
                safe(&a.text).into_owned(),
                thousands(a.count),
                safe(&a.example).into_owned(),
                a.code.clone(),
            ]);
        }
        super::output::align_right(&mut t, 1..2);
        text.push_str(&format!("{t}\n"));
    }
    text
}

fn section(text: &mut String, title: &str, items: &[Unmapped], more: usize) {
    if items.is_empty() {
        text.push_str(&format!("\n{title}: none.\n"));
        return;
    }
    text.push_str(&format!("\n{title} ({}):\n", thousands(items.len() + more)));
    let mut t = super::output::table(&["Place", "Record", "Field", "Value", "What was done"]);
    for u in items {
        t.add_row(vec![
            safe(&u.place).into_owned(),
            safe(&u.record).into_owned(),
            safe(&u.field).into_owned(),
            safe(&u.value).into_owned(),
            safe(&u.reason).into_owned(),
        ]);
    }
    text.push_str(&format!("{t}\n"));
    if more > 0 {
        text.push_str(&format!(
            "… and {} more (the report lists the first 5,000).\n",
            thousands(more)
        ));
    }
}
