//! `session` and `recover`: the scripted editing session and rebuilding
//! its work after a crash, both over `core::editing`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use serde_json::json;

use super::args::{RecoverArgs, SessionArgs};
use super::{Failure, load_license, load_workspace};
use crate::core::document::Document;
use crate::core::editing::JournalPlace;
use crate::core::text::count;

/// Where a CLI session keeps its journal: `--journal FILE`, or the data
/// folder (one journal per workspace).
fn journal_place(given: Option<PathBuf>) -> Result<JournalPlace, Failure> {
    match given {
        Some(path) => Ok(JournalPlace::File(path)),
        None => crate::core::journal::data_dir()
            .map(JournalPlace::DataDir)
            .ok_or_else(|| Failure::refused("no data folder for the recovery journal; give --journal FILE")),
    }
}

pub(super) fn run_session(args: SessionArgs) -> Result<ExitCode, Failure> {
    use crate::core::editing::{self, EditError, OpenArgs, Opened, Request, SaveError, Session, Target};
    use crate::core::journal::LicenseSource;
    use std::io::BufRead;
    let license = load_license(&args.license, &args.trust)?;
    let ws = load_workspace(&args.workspace)?;
    let now = chrono::Utc::now();
    // Standard output carries the replies; whose license it is goes first
    // on standard error.
    if let Some(b) = license.signature.banner() {
        eprintln!("{b}");
    }
    let doc = Document::new(Arc::new(license), ws, now.date_naive());
    let license_path = crate::core::fs::canonical(&args.license);
    let workspace_path = crate::core::fs::canonical(&args.workspace);
    let (mut session, opened) = Session::open(OpenArgs {
        doc,
        target: Target::File(workspace_path),
        license_source: LicenseSource::File { path: license_path },
        place: journal_place(args.journal)?,
        actor: crate::core::changelog::who_and_when().1,
        program: "ia-licensing session".into(),
        now,
    });
    match opened {
        Opened::Ready => {}
        Opened::HeldBy(holder) => {
            return Err(Failure::refused(format!(
                "{} is being edited by {holder}; close it there first",
                args.workspace.display()
            )));
        }
        Opened::Recovery(rec) if args.discard_journal => {
            eprintln!(
                "ia-licensing: discarding {} in {} (--discard-journal)",
                count(rec.unsaved_steps(), "unsaved change", "unsaved changes"),
                rec.path.display()
            );
            if let Opened::Unprotected(why) = session.discard_recovery(now) {
                return Err(Failure::refused(format!("unsaved changes cannot be protected: {why}")));
            }
        }
        Opened::Recovery(rec) => {
            return Err(Failure::refused(format!(
                "{} holds {} from a session that did not end cleanly; \
                 rebuild them with `ia-licensing recover --journal {}`, or start over with --discard-journal",
                rec.path.display(),
                count(rec.unsaved_steps(), "unsaved change", "unsaved changes"),
                rec.path.display()
            )));
        }
        Opened::Unprotected(why) => {
            return Err(Failure::refused(format!("unsaved changes cannot be protected: {why}")));
        }
        Opened::Locked(why) => {
            return Err(Failure::refused(format!(
                "{} cannot be edited: {why}",
                args.workspace.display()
            )));
        }
    }
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    let mut stopped = None;
    let error = |e: &dyn std::fmt::Display| json!({"ok": false, "error": e.to_string()});
    // Lines are read as bytes: a line that is not UTF-8 is answered with an
    // error like any other bad request, and the session goes on.
    for (number, bytes) in stdin.lock().split(b'\n').enumerate() {
        let bytes = bytes.map_err(|e| Failure::refused(format!("cannot read standard input ({e})")))?;
        let decoded = std::str::from_utf8(&bytes).map(|l| l.trim_end_matches('\r'));
        if decoded.is_ok_and(|l| l.trim().is_empty()) {
            continue;
        }
        let now = chrono::Utc::now();
        let reply = match decoded.map_err(|_| format!("line {} is not UTF-8 text; send JSON in UTF-8", number + 1)) {
            Err(e) => error(&e),
            Ok(line) => match editing::parse_request(line) {
                Err(e) => error(&e),
                Ok(Request::Undo) => match session.undo(now) {
                    Ok(r) => json!({"ok": r.is_some(), "undone": r}),
                    Err(e) => error(&e),
                },
                Ok(Request::Redo) => match session.redo(now) {
                    Ok(r) => json!({"ok": r.is_some(), "redone": r}),
                    Err(e) => error(&e),
                },
                Ok(Request::Save { overwrite }) => match session.save(overwrite, now) {
                    Ok(path) => json!({"ok": true, "saved": path}),
                    Err(e @ SaveError::ChangedOnDisk(_)) => {
                        json!({"ok": false, "error": e.to_string(), "changed_on_disk": true})
                    }
                    Err(e) => error(&e),
                },
                Ok(Request::Apply(command)) => match session.apply(*command, now) {
                    Ok(applied) => json!({"ok": true, "changed": applied.changed(), "outcomes": applied.outcomes}),
                    Err(EditError::Refused(refused)) => {
                        json!({"ok": false, "error": refused.reason, "outcomes": refused.outcomes})
                    }
                    Err(e) => error(&e),
                },
            },
        };
        // The reply is the acknowledgement: the step is journalled by now.
        let text = crate::core::text::to_safe_json_line(&reply)?;
        // A reader that went away (or a full disk) ends the session: no
        // more steps without their acknowledgement. The journal keeps what
        // was acknowledged.
        if let Err(e) = writeln!(out, "{text}").and_then(|()| out.flush()) {
            stopped = Some(Failure::from_write(e));
            break;
        }
    }
    if let Some(kept) = session.close() {
        eprintln!(
            "ia-licensing: unsaved changes are kept in {}; `ia-licensing recover --journal {}` rebuilds them",
            kept.display(),
            kept.display()
        );
    }
    match stopped {
        Some(failure) => Err(failure),
        None => Ok(ExitCode::SUCCESS),
    }
}

/// Which journal `recover` reads: the one given, the one of `--workspace`,
/// or the only one in the data folder with unsaved changes.
fn recover_journal(args: &RecoverArgs) -> Result<PathBuf, Failure> {
    use crate::core::journal;
    if let Some(path) = &args.journal {
        return Ok(path.clone());
    }
    let dir = journal::data_dir().ok_or_else(|| Failure::refused("no data folder; give --journal FILE"))?;
    if let Some(ws) = &args.workspace {
        return Ok(journal::path_for(&dir, &journal::JournalOf::File(ws)));
    }
    let pending: Vec<PathBuf> = journal::journals_in(&dir)
        .into_iter()
        .filter(|p| journal::read(p).ok().flatten().is_some_and(|r| r.unsaved_steps() > 0))
        .collect();
    match pending.as_slice() {
        [] => Err(Failure::refused(format!(
            "there are no unsaved changes to recover in {}",
            dir.join("journals").display()
        ))),
        [one] => Ok(one.clone()),
        many => Err(Failure::refused(format!(
            "{} journals hold unsaved changes; choose one with --journal: {}",
            many.len(),
            many.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub(super) fn run_recover(args: RecoverArgs) -> Result<ExitCode, Failure> {
    use crate::core::fs::FileLock;
    use crate::core::journal::{self, LicenseSource, RestoreError};
    let path = recover_journal(&args)?;
    // A journal still being written is not recovered from under its session.
    let _lock = FileLock::acquire(&path, "ia-licensing recover")?;
    let Some(recovered) = journal::read(&path)? else {
        return Err(Failure::refused(format!(
            "{}: there are no unsaved changes to recover",
            path.display()
        )));
    };
    let store = args.trust.trust_store()?;
    let allow_unsigned = args.trust.allow_unsigned;
    let load = |source: &LicenseSource| journal::load_source(source, &store, allow_unsigned);
    let restored = match journal::restore(&recovered, &load, args.accept_license_change) {
        Ok(r) => r,
        Err(RestoreError::LicenseChanged(changed)) => {
            return Err(Failure::refused(format!(
                "{changed}. Put the previous license file back, or run again with --accept-license-change to replay \
                    against the current one"
            )));
        }
        Err(e) => {
            return Err(Failure::refused(format!(
                "{}: {e}; nothing was recovered and the journal is kept",
                path.display()
            )));
        }
    };
    if let Some(b) = restored.doc.license().signature.banner() {
        eprintln!("{b}");
    }
    let text = restored.doc.to_file_json();
    match &args.out {
        Some(out) => crate::core::fs::atomic_write(out, text.as_bytes())?,
        None => {
            // Written and flushed in full, or the journal stays.
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|e| {
                    Failure::refused(format!(
                        "cannot write the recovered workspace ({e}); the journal is kept"
                    ))
                })?;
        }
    }
    eprintln!(
        "recovered {} ({} unsaved) from {}",
        count(recovered.steps.len(), "step", "steps"),
        recovered.unsaved_steps(),
        path.display()
    );
    if args.discard {
        crate::core::fs::remove_file(&path)?;
    }
    Ok(ExitCode::SUCCESS)
}
