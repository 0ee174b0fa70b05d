//! A CSV import in two stages, neither of which holds up the window: a
//! worker thread reads and checks the rows (no document needed), then the
//! rows are applied a few thousand per frame as parts of one transaction, so
//! the progress bar moves and Cancel works until the last part. The parts
//! become one undoable step; a refused row rolls every part back.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};

use crate::core::command::Command;
use crate::core::csv_io::{RowError, Rows, Table};
use chrono::{DateTime, Utc};

use crate::core::document::{Outcome, Transaction};
use crate::core::editing::{Session, TransactionEnd};

/// Rows applied per frame: about 10–20 ms of rule checks at 100k users.
pub const ROWS_PER_FRAME: usize = 4000;

/// Shared with the reading thread.
#[derive(Debug, Default)]
pub struct Shared {
    pub cancelled: AtomicBool,
    /// Rows read so far.
    pub read: AtomicU64,
    /// Bytes read so far and the file's size.
    pub bytes: AtomicU64,
    pub size: AtomicU64,
}

enum Stage {
    Reading(Receiver<Result<Option<Rows>, ImportError>>),
    Applying {
        rows: std::vec::IntoIter<crate::core::csv_io::Row>,
        numbers: Vec<usize>,
        total: usize,
        tx: Transaction,
    },
    Done,
}

/// An import in progress.
pub struct Import {
    pub table: Table,
    pub path: PathBuf,
    pub shared: Arc<Shared>,
    pub started: std::time::Instant,
    stage: Stage,
}

/// Why an import failed as a whole (not row by row): the words the
/// "Import failed" message shows.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    File(#[from] crate::core::error::FileError),
    #[error("{} is not UTF-8 text", .0.display())]
    NotUtf8(PathBuf),
    #[error(transparent)]
    Csv(#[from] crate::core::csv_io::CsvError),
    #[error(transparent)]
    Edit(#[from] crate::core::editing::EditError),
    #[error("cannot start the import ({0}); try again")]
    NotStarted(#[source] std::io::Error),
    #[error("the import stopped unexpectedly; try again")]
    Stopped,
}

/// How an import ended.
pub enum Finished {
    /// Applied as one step; the command is for the recovery journal.
    Imported {
        rows: usize,
        command: Option<Arc<Command>>,
    },
    /// Nothing imported: these rows are bad (unreadable or refused).
    Refused(Vec<RowError>),
    Cancelled,
    Failed(ImportError),
}

impl Import {
    /// Starts reading `path` on a worker thread.
    pub fn start(table: Table, path: PathBuf) -> Import {
        let shared = Arc::new(Shared::default());
        let (tx, rx) = std::sync::mpsc::channel();
        let worker = shared.clone();
        let file = path.clone();
        let spawned = std::thread::Builder::new().name("csv-import".into()).spawn(move || {
            let _ = tx.send(read(table, &file, &worker));
        });
        let stage = match spawned {
            Ok(_) => Stage::Reading(rx),
            Err(e) => {
                let (tx, rx) = std::sync::mpsc::channel();
                let _ = tx.send(Err(ImportError::NotStarted(e)));
                Stage::Reading(rx)
            }
        };
        Import {
            table,
            path,
            shared,
            started: std::time::Instant::now(),
            stage,
        }
    }

    /// What the progress window says, and how far along it is (0 to 1).
    pub fn progress(&self) -> (String, f32) {
        match &self.stage {
            Stage::Reading(_) => {
                let (done, size) = (
                    self.shared.bytes.load(Ordering::Relaxed),
                    self.shared.size.load(Ordering::Relaxed),
                );
                let read = self.shared.read.load(Ordering::Relaxed);
                let fraction = if size > 0 { done as f32 / size as f32 } else { 0.0 };
                if read > 0 {
                    (format!("Checking rows: {read} read"), 0.1 + 0.2 * fraction.min(1.0))
                } else {
                    (
                        format!(
                            "Reading the file: {:.1} of {:.1} MB",
                            done as f64 / 1e6,
                            size as f64 / 1e6
                        ),
                        0.1 * fraction.min(1.0),
                    )
                }
            }
            Stage::Applying { tx, total, .. } => {
                let done = tx.outcomes().len();
                (
                    format!("Applying the allocation rules: {done} of {total} rows"),
                    0.3 + 0.7 * done as f32 / (*total).max(1) as f32,
                )
            }
            Stage::Done => ("Finishing".into(), 1.0),
        }
    }

    /// Moves the import on by one frame's worth of work. `Some` when done.
    pub fn step(&mut self, session: &mut Session, now: DateTime<Utc>) -> Option<Finished> {
        if let Stage::Reading(rx) = &self.stage {
            let read = match rx.try_recv() {
                Ok(r) => r,
                Err(TryRecvError::Empty) => return None,
                Err(TryRecvError::Disconnected) => Err(ImportError::Stopped),
            };
            return self.read_done(read, session, now);
        }
        let Stage::Applying { rows, tx, .. } = &mut self.stage else {
            return None;
        };
        let part: Vec<Command> = rows
            .by_ref()
            .take(ROWS_PER_FRAME)
            .map(|r| r.command(session.doc().workspace()))
            .collect();
        if !part.is_empty() {
            session.apply_part(
                tx,
                Command::Batch {
                    commands: part,
                    label: None,
                },
            );
        }
        if rows.len() > 0 {
            return None;
        }
        let Stage::Applying { numbers, tx, .. } = std::mem::replace(&mut self.stage, Stage::Done) else {
            return None;
        };
        // One step: every row in, or none (the session says which).
        match session.end_transaction(tx) {
            TransactionEnd::Committed { outcomes, command } => Some(Finished::Imported {
                rows: outcomes,
                command,
            }),
            TransactionEnd::RolledBack { outcomes } => Some(Finished::Refused(
                outcomes
                    .iter()
                    .enumerate()
                    .filter_map(|(i, o)| match &o.outcome {
                        Outcome::Refused { reason, .. } => Some(RowError {
                            row: numbers.get(i).copied().unwrap_or(0),
                            message: reason.clone(),
                        }),
                        _ => None,
                    })
                    .collect(),
            )),
        }
    }

    /// The worker's rows are in: bad rows end the import, good ones start
    /// the applying stage.
    fn read_done(
        &mut self,
        read: Result<Option<Rows>, ImportError>,
        session: &mut Session,
        now: DateTime<Utc>,
    ) -> Option<Finished> {
        let rows = match read {
            Ok(Some(rows)) => rows,
            Ok(None) => return Some(Finished::Cancelled),
            Err(e) => return Some(Finished::Failed(e)),
        };
        if !rows.errors.is_empty() {
            return Some(Finished::Refused(rows.errors));
        }
        let name = self
            .path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        let total = rows.rows.len();
        let begun = session.begin(
            format!(
                "Import {} {} from {name}",
                crate::core::text::thousands(total),
                table_word(self.table)
            ),
            now,
        );
        let tx = match begun {
            Ok(tx) => tx,
            Err(e) => return Some(Finished::Failed(e.into())),
        };
        self.stage = Stage::Applying {
            numbers: rows.rows.iter().map(|r| r.row).collect(),
            rows: rows.rows.into_iter(),
            total,
            tx,
        };
        None
    }

    /// Stops the import; whatever was applied is undone.
    pub fn cancel(self, session: &mut Session) {
        self.shared.cancelled.store(true, Ordering::Relaxed);
        if let Stage::Applying { tx, .. } = self.stage {
            session.roll_back(tx);
        }
    }

    /// Runs the import to its end (tests; the GUI steps it once per frame).
    pub fn finish(mut self, session: &mut Session, now: DateTime<Utc>) -> Finished {
        loop {
            if let Stage::Reading(rx) = &self.stage {
                // Wait for the worker instead of polling.
                let read = rx.recv().unwrap_or(Err(ImportError::Stopped));
                if let Some(done) = self.read_done(read, session, now) {
                    return done;
                }
            }
            if let Some(done) = self.step(session, now) {
                return done;
            }
        }
    }
}

fn table_word(table: Table) -> &'static str {
    match table {
        Table::Users => "users",
        Table::Stations => "stations",
        Table::Workgroups => "workgroups",
    }
}

/// The worker: the file's text, then its rows (`None`: cancelled).
fn read(table: Table, path: &std::path::Path, shared: &Shared) -> Result<Option<Rows>, ImportError> {
    const MAX: u64 = 256 * 1024 * 1024;
    let read = crate::core::fs::read_capped_with(path, MAX, &mut |done, size| {
        shared.bytes.store(done, Ordering::Relaxed);
        shared.size.store(size, Ordering::Relaxed);
        !shared.cancelled.load(Ordering::Relaxed)
    })?;
    let Some(bytes) = read else { return Ok(None) };
    let text = String::from_utf8(bytes).map_err(|_| ImportError::NotUtf8(path.to_path_buf()))?;
    Ok(crate::core::csv_io::read_rows(table, &text, &mut |n| {
        shared.read.store(n as u64, Ordering::Relaxed);
        !shared.cancelled.load(Ordering::Relaxed)
    })?)
}
