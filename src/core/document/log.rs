//! The change log's entries for what the document does: each change of a
//! command (credited to the labelled batch that made it), and license
//! replacements.

use super::{Applied, Change, Document};
use crate::core::changelog::LogEntry;
use crate::core::license::License;
use crate::core::subject::Subject;

impl Document {
    /// Logs what a command did, each change credited to the labelled batch
    /// that made it (`prefix` says "Redo: ").
    pub(super) fn log_applied(&mut self, prefix: &str, summary: &str, applied: &Applied) {
        for (i, c) in applied.changes.iter().enumerate() {
            self.log.push(LogEntry {
                time: self.now,
                user: self.actor.clone(),
                action: format!("{prefix}{}", applied.credit(i, summary)),
                subject: c.subject.clone(),
                key: c.key.clone(),
                before: c.before.clone(),
                after: c.after.clone(),
            });
        }
    }

    pub(super) fn log_changes(&mut self, action: &str, changes: &[Change]) {
        for c in changes {
            self.log.push(LogEntry {
                time: self.now,
                user: self.actor.clone(),
                action: action.to_string(),
                subject: c.subject.clone(),
                key: c.key.clone(),
                before: c.before.clone(),
                after: c.after.clone(),
            });
        }
    }

    pub(super) fn log_license(&mut self, action: &str, old: &License, new: &License) {
        let describe = |l: &License| {
            format!(
                "{} {} {} ({})",
                l.file.product,
                l.file.product_version,
                l.file.level.code(),
                l.file.server.host_id
            )
        };
        self.log.push(LogEntry {
            time: self.now,
            user: self.actor.clone(),
            action: action.to_string(),
            subject: Subject::server(new.file.server.machine_name.clone()),
            key: None,
            before: describe(old),
            after: describe(new),
        });
    }
}
