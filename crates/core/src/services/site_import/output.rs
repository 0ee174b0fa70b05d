//! Writing the imported workspace: the output is checked against the
//! export before anything is read or locked (never one of the files read,
//! nor a page of the ICWS export folder), never replaces a workspace
//! without `replace`, nor one someone is editing (its lock), nor one whose
//! crashed session left unsaved changes in its recovery journal unless
//! `discard_journal`; and it is written beside its name and renamed into
//! place, so a kill never leaves a partial workspace at the name.

use std::path::{Path, PathBuf};

use super::{Imported, SiteImportError, Source, file_name, icws};
use crate::edit::journal;
use crate::fs::{FileError, FileLock, LockError};
use crate::model::workspace::Workspace;

/// Refuses an output the import may not write, before anything is read or
/// locked (so a refusal leaves nothing behind, not even a lock file in the
/// export folder): one of the files read, an issuer secret key, or — for an
/// ICWS export — a file of the export folder named like a page, existing
/// or not (the workspace would replace a page, or be read as one by the
/// next import).
pub fn check_output(source: &Source, out: &Path) -> Result<(), SiteImportError> {
    match source {
        Source::Icws(dir) => {
            let full = crate::fs::canonical(out);
            let in_export = full.parent() == Some(crate::fs::canonical(dir).as_path());
            if in_export && icws::is_page_name(&file_name(&full)) {
                // A page there now is one of the files read: said as such.
                if crate::fs::exists(out) {
                    crate::fs::check_output(out, &[out])?;
                }
                return Err(SiteImportError::PageOfExport {
                    out: out.to_path_buf(),
                    export: dir.to_path_buf(),
                });
            }
            crate::fs::check_output(out, &[dir])?;
        }
        Source::Registry(file) => crate::fs::check_output(out, &[file])?,
    }
    Ok(())
}

/// Takes the lock of a workspace about to be replaced: the lock an editing
/// session (`ia-licensing session`, the GUI) holds and `csv import` takes,
/// so a site import never replaces a workspace someone is editing.
pub fn lock_output(out: &Path) -> Result<FileLock, SiteImportError> {
    FileLock::acquire(out, "ia-licensing site import").map_err(|e| match e {
        LockError::Held(holder) => SiteImportError::Locked {
            path: out.to_path_buf(),
            holder,
        },
        other => SiteImportError::Unlockable {
            path: out.to_path_buf(),
            why: other.to_string(),
        },
    })
}

/// How `write_with` writes.
#[derive(Debug, Default)]
pub struct WriteOptions<'a> {
    /// Replace an existing workspace (`--force`, the GUI's Replace box).
    pub replace: bool,
    /// Write even though a session on the workspace did not end cleanly
    /// and left unsaved changes in its recovery journal; the journal is
    /// then discarded (`--discard-journal`).
    pub discard_journal: bool,
    /// The workspace's lock, when the caller took it (`lock_output`)
    /// before reading.
    pub held: Option<&'a FileLock>,
    /// The data folder with the recovery journals (default: the app's,
    /// `journal::data_dir`).
    pub data_dir: Option<PathBuf>,
}

/// What a write did besides writing the workspace.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Written {
    /// The recovery journal discarded (`--discard-journal`), if any.
    pub discarded_journal: Option<DiscardedJournal>,
}

/// A recovery journal a write discarded, and how many unsaved changes it
/// held (`None`: it could not be read).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DiscardedJournal {
    pub journal: PathBuf,
    pub changes: Option<usize>,
}

/// Writes an imported workspace to `out` (`write_with` with `replace` as
/// `force` and the workspace's lock `held`).
pub fn write(imported: &Imported, out: &Path, force: bool, held: Option<&FileLock>) -> Result<(), SiteImportError> {
    write_with(
        imported,
        out,
        &WriteOptions {
            replace: force,
            held,
            ..WriteOptions::default()
        },
    )
    .map(|_| ())
}

/// Writes an imported workspace to `out`: never over one of the files read
/// nor as a page of the export folder (refused before any lock is taken),
/// never over an existing file unless `replace`, never over a workspace being
/// edited (its lock: `held`, when the caller took it with `lock_output`
/// before reading, else taken here), never where a session that did not
/// end cleanly left unsaved changes unless `discard_journal`, and only once
/// the text reads back through the workspace loader. The file is written
/// beside its name and renamed into place, so a kill never leaves a
/// partial workspace at the name.
pub fn write_with(imported: &Imported, out: &Path, opts: &WriteOptions) -> Result<Written, SiteImportError> {
    if let Some(source) = &imported.source {
        check_output(source, out)?;
    }
    let inputs: Vec<&Path> = imported.inputs.iter().map(PathBuf::as_path).collect();
    crate::fs::check_output(out, &inputs)?;
    if !opts.replace && crate::fs::exists(out) {
        return Err(SiteImportError::Exists(out.to_path_buf()));
    }
    let text = imported.workspace.to_json();
    // The file must open like any other workspace: checked before it exists.
    Workspace::from_json(&text)?;
    // Only under the workspace's lock, held until written (and the
    // journal checked under it, so no session starts meanwhile). Nothing
    // there yet and not replacing: no lock file is left beside a new file.
    let mine = match opts.held {
        Some(lock) if lock.path() == crate::fs::lock_path(out) => None,
        _ if !crate::fs::exists(out) => None,
        _ => Some(lock_output(out)?),
    };
    let pending = check_journal(out, opts)?;
    // The pending journal's own lock: no session may open it meanwhile.
    let journal_lock = match &pending {
        Some(p) => Some(lock_output(&p.journal)?),
        None => None,
    };
    if opts.replace {
        crate::fs::atomic_write(out, text.as_bytes())?;
    } else {
        // Written beside the name and given it only if it is still free: a
        // file that appeared meanwhile is not replaced, and a kill leaves
        // nothing at the name.
        crate::fs::create_new_atomic(out, text.as_bytes()).map_err(|e| match e {
            FileError::Exists { path } => SiteImportError::Exists(path),
            other => SiteImportError::File(other),
        })?;
    }
    if let Some(p) = &pending {
        crate::fs::remove_file(&p.journal)?;
    }
    drop(journal_lock);
    drop(mine);
    Ok(Written {
        discarded_journal: pending,
    })
}

/// The recovery journal a session that did not end cleanly left for the
/// workspace at `out`: refused unless `opts.discard_journal` (then it is
/// handed back, to be discarded once the import is written). A journal
/// with every change saved is no concern: the next session starts afresh.
pub fn check_journal(out: &Path, opts: &WriteOptions) -> Result<Option<DiscardedJournal>, SiteImportError> {
    let Some(dir) = opts.data_dir.clone().or_else(journal::data_dir) else {
        return Ok(None);
    };
    let path = journal::path_for(&dir, &journal::JournalOf::File(out));
    if !crate::fs::exists(&path) {
        return Ok(None);
    }
    let changes = match journal::read(&path) {
        Ok(Some(rec)) if rec.unsaved_steps() > 0 => Some(rec.unsaved_steps()),
        Ok(_) => return Ok(None),
        Err(_) => None,
    };
    if !opts.discard_journal {
        return Err(SiteImportError::UnsavedChanges {
            path: out.to_path_buf(),
            journal: path,
            changes,
        });
    }
    Ok(Some(DiscardedJournal { journal: path, changes }))
}

pub(super) fn unsaved_message(path: &Path, journal: &Path, changes: Option<usize>) -> String {
    let held = match changes {
        Some(n) => format!(
            "has {} from a session that did not end cleanly, kept in its recovery journal {}",
            crate::model::text::count(n, "unsaved change", "unsaved changes"),
            journal.display()
        ),
        None => format!(
            "has a recovery journal that cannot be read ({}); it may hold unsaved changes",
            journal.display()
        ),
    };
    format!(
        "{} {held}. Writing the import there would lose that unsaved work: open the workspace to restore or \
         discard it first, or write the import to another file",
        path.display()
    )
}
