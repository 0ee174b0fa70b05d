//! Saving the session's document: File › Save (checking the disk stamp and
//! asking before a file changed on disk is overwritten) and Save As,
//! atomically with a `.bak`, the journal then emptied.
//!
//! A save is in three parts so that a face can write the file on a worker
//! (a 100k-user workspace is 33 MB and a quarter of a second): `begin_save`
//! or `begin_save_as` on the session's thread checks what may be saved and
//! takes the document's saved form (shared, not copied); `SaveWriter::write`
//! checks it as the loader would and writes it, anywhere; `finish_save`
//! records it (the saved generation, the disk stamp, the journal's marker,
//! Save As's new file). Until then the session refuses changes
//! (`EditError::Saving`): what is written is the document as it was when
//! the save began, and the journal's marker stays true. `save` and
//! `save_as` do all three at once.

use super::*;
use crate::edit::document::SaveForm;

/// A save begun: `writer` writes the file, `ticket` ends it
/// (`Session::finish_save`, with what the writer said).
pub struct PendingSave {
    pub writer: SaveWriter,
    pub ticket: SaveTicket,
}

/// Writes a save's file (on a worker, or at once).
pub struct SaveWriter {
    path: PathBuf,
    follow: crate::fs::Follow,
    form: SaveForm,
}

/// What the session needs to record a save once its file is written.
pub struct SaveTicket {
    path: PathBuf,
    /// The document's generation the save began with (what the file holds).
    generation: u64,
    /// Save As: the file that becomes the workspace's, with its journal.
    renamed: Option<Renamed>,
}

struct Renamed {
    target: Target,
    /// The journal moves from `old` to `new`, whose lock is held already.
    journal: Option<(PathBuf, PathBuf, FileLock)>,
}

impl SaveWriter {
    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Checks the saved form as the loader would and writes it atomically,
    /// with a `.bak` of the file it replaces. The document's share of the
    /// workspace is let go of before this returns.
    pub fn write(self) -> Result<(), SaveError> {
        self.write_reporting(&crate::model::progress::Progress::default())
    }

    /// `write`, saying how far it has come: checking, then writing (bytes
    /// written of the size of the file it replaces, when there is one).
    pub fn write_reporting(self, progress: &crate::model::progress::Progress) -> Result<(), SaveError> {
        progress.stage_begins("Checking the workspace", 0);
        let form = self.form.checked().map_err(SaveError::Invalid)?;
        let before = crate::fs::size_of(&self.path);
        progress.stage_begins("Writing", usize::try_from(before).unwrap_or(usize::MAX));
        crate::fs::write_temporary(&self.path, self.follow, |w| {
            form.write(&mut Counted {
                inner: w,
                written: 0,
                progress,
            })
        })
        .and_then(|t| t.persist(true))?;
        Ok(())
    }
}

/// A writer that tells a progress how many bytes went through it.
struct Counted<'a> {
    inner: &'a mut dyn std::io::Write,
    written: usize,
    progress: &'a crate::model::progress::Progress,
}

impl std::io::Write for Counted<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n;
        self.progress.advance(self.written);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl SaveTicket {
    /// The file being written.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Session {
    /// Saves to the workspace's file. A file changed on disk since it was
    /// opened or saved is not overwritten unless `overwrite`.
    pub fn save(&mut self, overwrite: bool, at: DateTime<Utc>) -> Result<PathBuf, SaveError> {
        let PendingSave { writer, ticket } = self.begin_save(overwrite)?;
        let written = writer.write();
        self.finish_save(ticket, written, at)
    }

    /// Saves to another file, which becomes the workspace's file; the
    /// journal moves with it (its history stays whole).
    pub fn save_as(&mut self, path: &Path, at: DateTime<Utc>) -> Result<(), SaveError> {
        let PendingSave { writer, ticket } = self.begin_save_as(path)?;
        let written = writer.write();
        self.finish_save(ticket, written, at).map(|_| ())
    }

    /// Is a save under way (begun, not yet finished)?
    pub fn is_saving(&self) -> bool {
        self.saving
    }

    /// Begins File › Save (see `save`): the file is written by the
    /// returned writer, then `finish_save`.
    pub fn begin_save(&mut self, overwrite: bool) -> Result<PendingSave, SaveError> {
        let Target::File(path) = self.target.clone() else {
            return Err(SaveError::NoFile);
        };
        self.not_saving()?;
        let now_on_disk = DiskStamp::of(&path);
        // Another file now stands at the path (a link or a copy swapped in):
        // saving would write over something the user never opened.
        if let (Some(then), Some(now)) = (&self.disk_stamp, &now_on_disk)
            && !then.same_file_as(now)
        {
            return Err(SaveError::Replaced(path));
        }
        if !overwrite && self.disk_stamp.is_some() && now_on_disk != self.disk_stamp {
            return Err(SaveError::ChangedOnDisk(path));
        }
        self.begin_write(path, crate::fs::Follow::InPlace, None)
    }

    /// Begins Save As (see `save_as`).
    pub fn begin_save_as(&mut self, path: &Path) -> Result<PendingSave, SaveError> {
        self.not_saving()?;
        // Saving over the open workspace file is a plain save; over the
        // license (or a key) it would destroy it.
        if let LicenseSource::File { path: license } = &self.license_source {
            crate::fs::check_output(path, &[license])?;
        }
        let new_target = Target::File(path.to_path_buf());
        let moved = self.place.path_for(&new_target);
        self.settle_journal();
        let old = self.journal.as_ref().map(|j| j.path().to_path_buf());
        // Lock the journal the new file will have before writing anything.
        let journal = match (moved, old) {
            (Some(new), Some(old)) if new != old => {
                let lock = FileLock::acquire(&new, &self.program)?;
                Some((old, new, lock))
            }
            _ => None,
        };
        // Save As names a new file: a link there is refused.
        let follow = if self.target == new_target {
            crate::fs::Follow::InPlace
        } else {
            crate::fs::Follow::Never
        };
        let renamed = Renamed {
            target: new_target,
            journal,
        };
        self.begin_write(path.to_path_buf(), follow, Some(renamed))
    }

    fn not_saving(&self) -> Result<(), SaveError> {
        if self.saving {
            return Err(SaveError::Busy);
        }
        Ok(())
    }

    fn begin_write(
        &mut self,
        path: PathBuf,
        follow: crate::fs::Follow,
        renamed: Option<Renamed>,
    ) -> Result<PendingSave, SaveError> {
        if let Some(why) = self.why_read_only() {
            return Err(SaveError::ReadOnly(why));
        }
        // Never over the license (or a key), however the path came to
        // name it since the session opened.
        if let LicenseSource::File { path: license } = &self.license_source {
            crate::fs::check_output(&path, &[license])?;
        }
        self.saving = true;
        Ok(PendingSave {
            writer: SaveWriter {
                path: path.clone(),
                follow,
                form: self.doc.save_form(),
            },
            ticket: SaveTicket {
                path,
                generation: self.doc.generation(),
                renamed,
            },
        })
    }

    /// Ends a save with what its writer said: once written, the document
    /// is saved as of the generation the save began with, the journal
    /// marks it, and Save As's file becomes the workspace's (its journal
    /// moving with it). A failed save changes nothing.
    pub fn finish_save(
        &mut self,
        ticket: SaveTicket,
        written: Result<(), SaveError>,
        at: DateTime<Utc>,
    ) -> Result<PathBuf, SaveError> {
        self.saving = false;
        written?;
        let SaveTicket {
            path,
            generation,
            renamed,
        } = ticket;
        self.saved_generation = generation;
        self.disk_stamp = DiskStamp::of(&path);
        let full = crate::fs::canonical(&path);
        self.settle_journal();
        if let Some(j) = &mut self.journal
            && let Err(e) = j.record(&Step::Saved { at, path: full })
        {
            // The file is saved; only the marker is missing, so a recovery
            // would offer changes that are already on disk. Say so.
            self.unprotected = Some(e.to_string());
        }
        if let Some(Renamed { target, journal }) = renamed {
            self.target = target;
            if let Some((old, new, lock)) = journal {
                let steps = self.journal.as_ref().map_or(0, Journal::steps);
                match crate::fs::rename(&old, &new)
                    .map_err(journal::JournalError::from)
                    .and_then(|()| Journal::resume(&new, steps))
                {
                    Ok(j) => {
                        self.journal = Some(j);
                        self.lock = Some(lock);
                    }
                    Err(e) => {
                        self.journal = None;
                        self.unprotected = Some(format!("the recovery journal could not follow the file ({e})"));
                    }
                }
            }
        }
        Ok(path)
    }
}
