//! The change log's entries for what the document does: each change of a
//! command (credited to the labelled batch that made it), and license
//! replacements.

use std::sync::Arc;

use super::{Applied, Change, Document};
use crate::model::license::License;
use crate::model::subject::Subject;

impl Document {
    /// Logs what a command did, each change credited to the labelled batch
    /// that made it (`prefix` says "Redo: "): consecutive changes with one
    /// credit are one step of the log, their subjects listed once.
    pub(super) fn log_applied(&mut self, prefix: &str, summary: &str, applied: &Applied) {
        let changes = &applied.changes;
        let mut start = 0;
        while start < changes.len() {
            let label = applied.credit(start, summary);
            let mut end = start + 1;
            while end < changes.len() && applied.credit(end, summary) == label {
                end += 1;
            }
            let action = format!("{prefix}{label}");
            self.log_changes(&action, &changes[start..end]);
            start = end;
        }
    }

    pub(super) fn log_changes(&mut self, action: &str, changes: &[Change]) {
        Arc::make_mut(&mut self.log).push(
            self.now,
            &self.actor,
            action,
            changes
                .iter()
                .map(|c| (&c.subject, c.key.as_deref(), c.before.as_str(), c.after.as_str())),
        );
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
        let subject = Subject::server(new.file.server.machine_name.clone());
        let (before, after) = (describe(old), describe(new));
        Arc::make_mut(&mut self.log).push(
            self.now,
            &self.actor,
            action,
            [(&subject, None, before.as_str(), after.as_str())],
        );
    }
}
