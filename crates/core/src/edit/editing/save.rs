//! Saving the session's document: File › Save (checking the disk stamp and
//! asking before a file changed on disk is overwritten) and Save As,
//! atomically with a `.bak`, the journal then emptied.

use super::*;

impl Session {
    /// Saves to the workspace's file. A file changed on disk since it was
    /// opened or saved is not overwritten unless `overwrite`.
    pub fn save(&mut self, overwrite: bool, at: DateTime<Utc>) -> Result<PathBuf, SaveError> {
        let Target::File(path) = self.target.clone() else {
            return Err(SaveError::NoFile);
        };
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
        self.write_to(&path, crate::fs::Follow::InPlace, at)?;
        Ok(path)
    }

    /// Saves to another file, which becomes the workspace's file; the
    /// journal moves with it (its history stays whole).
    pub fn save_as(&mut self, path: &Path, at: DateTime<Utc>) -> Result<(), SaveError> {
        // Saving over the open workspace file is a plain save; over the
        // license (or a key) it would destroy it.
        if let LicenseSource::File { path: license } = &self.license_source {
            crate::fs::check_output(path, &[license])?;
        }
        let new_target = Target::File(path.to_path_buf());
        let moved = self.place.path_for(&new_target);
        let old = self.journal.as_ref().map(|j| j.path().to_path_buf());
        // Lock the journal the new file will have before writing anything.
        let new_lock = match (&moved, &old) {
            (Some(new), Some(old)) if new != old => Some(FileLock::acquire(new, &self.program)?),
            _ => None,
        };
        // Save As names a new file: a link there is refused.
        let follow = if self.target == new_target {
            crate::fs::Follow::InPlace
        } else {
            crate::fs::Follow::Never
        };
        self.write_to(path, follow, at)?;
        self.target = new_target;
        if let (Some(new), Some(old), Some(lock)) = (moved, old, new_lock) {
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
        Ok(())
    }

    pub(super) fn write_to(
        &mut self,
        path: &Path,
        follow: crate::fs::Follow,
        at: DateTime<Utc>,
    ) -> Result<(), SaveError> {
        if let Some(why) = self.why_read_only() {
            return Err(SaveError::ReadOnly(why));
        }
        // Never over the license (or a key), however the path came to
        // name it since the session opened.
        if let LicenseSource::File { path: license } = &self.license_source {
            crate::fs::check_output(path, &[license])?;
        }
        self.doc.check_saveable().map_err(SaveError::Invalid)?;
        crate::fs::write_temporary(path, follow, |w| self.doc.write_file_json(w)).and_then(|t| t.persist(true))?;
        self.saved_generation = self.doc.generation();
        self.disk_stamp = DiskStamp::of(path);
        let full = crate::fs::canonical(path);
        if let Some(j) = &mut self.journal
            && let Err(e) = j.record(&Step::Saved { at, path: full })
        {
            // The file is saved; only the marker is missing, so a recovery
            // would offer changes that are already on disk. Say so.
            self.unprotected = Some(e.to_string());
        }
        Ok(())
    }
}
