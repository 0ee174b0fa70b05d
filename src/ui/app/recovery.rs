//! Opening what the editing session gives back, and crash recovery:
//! restoring the journalled steps (after their license is checked) or
//! discarding them.

use super::*;

impl App {
    /// What opening a session found: unsaved changes to offer, another
    /// process editing the workspace, or a journal that cannot be kept.
    pub(super) fn opened(&mut self, opened: Opened) {
        match opened {
            Opened::Ready => {}
            Opened::Recovery(rec) => self.open_modal(Modal::Recovery(rec, None)),
            Opened::HeldBy(holder) => {
                self.open_modal(Modal::Notice(format!(
                    "This workspace is being edited by {holder}. It is open read-only here; close it there to edit it."
                )));
            }
            Opened::Unprotected(why) => {
                self.status_message = Some((false, format!("Unsaved changes cannot be protected: {why}")));
            }
            Opened::Locked(why) => {
                self.open_modal(Modal::Notice(format!(
                    "This workspace is open read-only here: it cannot be locked for editing ({why})."
                )));
            }
        }
    }

    pub(super) fn load_source(&self) -> impl Fn(&LicenseSource) -> Result<License, journal::JournalError> + use<> {
        let trust = self.trust.clone();
        let allow_unsigned = self.allow_unsigned;
        move |source: &LicenseSource| journal::load_source(source, &trust, allow_unsigned)
    }

    /// Rebuilds the unsaved changes found in the journal.
    pub fn restore_recovery(&mut self) {
        let Some(at) = self.modals.iter().position(|m| matches!(m, Modal::Recovery(..))) else {
            return;
        };
        if let Modal::Recovery(rec, changed) = self.modals.remove(at) {
            self.restore_recovery_with(rec, changed.is_some());
        }
    }

    /// Replays the unsaved changes; `accept_license_change` replays against
    /// a license file that changed since the journal was written.
    pub(super) fn restore_recovery_with(&mut self, rec: Box<Recovered>, accept_license_change: bool) {
        let load = self.load_source();
        match self.session.restore(&rec, &load, accept_license_change) {
            Ok(()) => {
                self.load_media_servers();
                let n = rec.unsaved_steps();
                let what = crate::core::text::count(n, "unsaved change", "unsaved changes");
                self.status_message = Some((true, format!("Restored {what}")));
            }
            Err(journal::RestoreError::LicenseChanged(changed)) => {
                // Asked again, now saying what changed.
                self.open_modal(Modal::Recovery(rec, Some(changed.to_string())));
            }
            Err(e) => {
                self.open_modal(Modal::Error(ErrorModal {
                    title: "Unsaved changes could not be restored".into(),
                    message: format!(
                        "{e}\n\nThe changes are kept in the recovery journal in the data folder, which \
                         is left as it is: open the same workspace again to be asked once more (Help › Files, \
                         After a crash)."
                    ),
                }));
            }
        }
    }

    pub fn discard_recovery(&mut self) {
        self.modals.retain(|m| !matches!(m, Modal::Recovery(..)));
        let opened = self.session.discard_recovery(self.clock.now());
        self.opened(opened);
    }
}
