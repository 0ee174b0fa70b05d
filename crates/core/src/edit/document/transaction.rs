//! Transactions: parts applied one by one (a CSV import, a batch), then
//! committed as one undo step or rolled back as if never begun.

use super::*;

impl Document {
    /// Starts a command applied in parts (a large import, a few thousand
    /// rows per frame so the window stays responsive); `commit` makes the
    /// parts one undoable step, `rollback` undoes them.
    pub fn begin(&self, summary: impl Into<String>) -> Transaction {
        Transaction {
            summary: summary.into(),
            commands: Vec::new(),
            inverses: Vec::new(),
            changed: false,
            outcomes: Vec::new(),
            log_from: self.log.len(),
            mode: Mode::Normal,
            log_prefix: "",
            at: self.now,
        }
    }

    /// Applies one part; its outcomes (one per subject) are added to the
    /// transaction's, refused ones included.
    pub fn apply_part(&mut self, tx: &mut Transaction, command: Command) {
        if self.exec_part(tx, &command) {
            tx.commands.push(command);
        }
    }

    /// `apply_part` without keeping the part; false when every subject of
    /// it was refused (nothing changed).
    pub(super) fn exec_part(&mut self, tx: &mut Transaction, command: &Command) -> bool {
        match self.exec(command, tx.mode) {
            Ok(applied) => {
                // Logged part by part (the end of a 100k-row import would
                // otherwise log them all in one frame); a rollback drops them.
                // Each change is credited to the labelled batch that made it.
                // At the transaction's time: its parts are one entry.
                let now = std::mem::replace(&mut self.now, tx.at);
                self.log_applied(tx.log_prefix, &tx.summary, &applied);
                self.now = now;
                tx.changed |= !applied.changes.is_empty() || applied.changed() > 0;
                tx.outcomes.extend(applied.outcomes);
                tx.inverses.push(applied.inverse);
                true
            }
            // Nothing changed: every subject of the part was refused.
            Err(refused) => {
                tx.outcomes.extend(refused.outcomes);
                false
            }
        }
    }

    /// Undoes every part applied so far (nothing is recorded).
    pub fn rollback(&mut self, tx: Transaction) {
        for inverse in tx.inverses.iter().rev() {
            let _ = self.exec(inverse, Mode::Restore);
        }
        Arc::make_mut(&mut self.log).truncate(tx.log_from);
    }

    /// Makes the parts one undoable step (when anything changed); returns
    /// the command the step stands for (for the recovery journal).
    pub fn commit(&mut self, tx: Transaction) -> Option<Arc<Command>> {
        self.commit_as(tx, None)
    }

    /// `commit`, the parts' batch labelled `label`.
    pub(super) fn commit_as(&mut self, tx: Transaction, label: Option<String>) -> Option<Arc<Command>> {
        if !tx.changed {
            return None;
        }
        let command = Arc::new(Command::Batch {
            commands: tx.commands,
            label,
        });
        let inverse = Command::Batch {
            commands: tx
                .inverses
                .into_iter()
                .rev()
                .map(|i| Arc::try_unwrap(i).unwrap_or_else(|shared| (*shared).clone()))
                .collect(),
            label: None,
        };
        self.generation += 1;
        self.undo.push(Step {
            summary: tx.summary,
            command: command.clone(),
            inverse: Arc::new(inverse),
            license: None,
        });
        // A redo list made of a large undone step is freed off this thread
        // (a 90k-subject step is ~17 ms of frees: the end of a large run).
        let redo = std::mem::take(&mut self.redo);
        let records = redo.iter().map(|s| super::size(&s.command)).sum();
        super::drop_elsewhere(records, redo);
        Some(command)
    }
}
