//! Opening a history file: our own schema and nothing else. A `.ialhist`
//! may come from anywhere (a shared folder, a mail), and SQLite runs what
//! a database's schema says — a view or trigger can loop forever or read
//! other files. So the file is opened through `core::fs` (a regular file,
//! no links), with `trusted_schema` off, every object in `sqlite_master`
//! must be one this build created, and every read is interrupted after
//! `QUERY_LIMIT`.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::{History, HistoryError, damaged};
use crate::fs;

/// The schema this build writes and reads (`PRAGMA user_version`). Schema
/// 1 lacks `day_logons`: it is read as it is, and the next import adds the
/// table and sets 2 in its transaction.
pub const SCHEMA_VERSION: i32 = 2;
/// `PRAGMA application_id`: "IALH", so a history is told from other SQLite files.
const APPLICATION_ID: i32 = 0x4941_4C48;
/// The longest one read may take before it is interrupted. Reading a year
/// of 10k users takes well under 100 ms; only a crafted file gets near it.
pub const QUERY_LIMIT: Duration = Duration::from_secs(2);
/// How long an open or a read waits for another process's import.
const BUSY_WAIT: Duration = Duration::from_secs(5);

const SCHEMA_1: &str = "
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS days (
    day TEXT PRIMARY KEY, events INTEGER NOT NULL, source TEXT NOT NULL, imported_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS day_key (
    day TEXT NOT NULL, key TEXT NOT NULL, peak INTEGER NOT NULL, demand INTEGER NOT NULL,
    denials INTEGER NOT NULL, minutes INTEGER NOT NULL, allowance INTEGER NOT NULL,
    PRIMARY KEY (day, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS day_category (
    day TEXT NOT NULL, category TEXT NOT NULL, users INTEGER NOT NULL, PRIMARY KEY (day, category)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS period_user (
    period TEXT NOT NULL, user INTEGER NOT NULL, category INTEGER NOT NULL, days INTEGER NOT NULL,
    PRIMARY KEY (period, user, category)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS period_category (
    period TEXT NOT NULL, category TEXT NOT NULL, users INTEGER NOT NULL, PRIMARY KEY (period, category)
) WITHOUT ROWID;
";

/// What schema 2 adds: each user's logged-on minutes per day, one BLOB a
/// day (`logons.rs`). A rowid table: its rows are tens of kilobytes.
const SCHEMA_2: &str = "
CREATE TABLE IF NOT EXISTS day_logons (day TEXT PRIMARY KEY, data BLOB NOT NULL);
";

/// The statements that make a history of `version` from nothing.
fn schema(version: i32) -> Option<String> {
    match version {
        1 => Some(SCHEMA_1.to_string()),
        2 => Some(format!("{SCHEMA_1}{SCHEMA_2}")),
        _ => None,
    }
}

/// Brings a history of `version` up to `SCHEMA_VERSION` inside the
/// caller's (import's) transaction: a rollback leaves it as it was.
pub fn migrate(tx: &rusqlite::Transaction<'_>, version: i32) -> rusqlite::Result<()> {
    if version < 2 {
        tx.execute_batch(SCHEMA_2)?;
    }
    if version < SCHEMA_VERSION {
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
    }
    Ok(())
}

/// One row of `sqlite_master`: type, name, table, SQL.
type SchemaObject = (String, String, String, Option<String>);

/// What `sqlite_master` holds in a history of schema `version`: made once
/// by creating the schema in memory, so it is exactly what SQLite stores.
fn expected_objects(path: &Path, version: i32) -> Result<Vec<SchemaObject>, HistoryError> {
    let schema = schema(version).ok_or_else(|| damaged(path, format!("unknown schema {version}")))?;
    let conn = fs::open_in_memory().map_err(|e| damaged(path, e))?;
    conn.execute_batch(&schema).map_err(|e| damaged(path, e))?;
    objects(&conn).map_err(|e| damaged(path, e))
}

fn objects(conn: &Connection) -> rusqlite::Result<Vec<SchemaObject>> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    rows.collect()
}

/// Interrupts a read that runs past its deadline (a progress handler
/// looks every few thousand steps). `start` arms it for one read; `stop`
/// disarms it for an import's writes.
#[derive(Debug, Clone, Default)]
pub struct QueryLimit {
    /// Milliseconds after `epoch()` when the read must stop; 0 = no limit.
    deadline: Arc<AtomicU64>,
}

fn epoch() -> Instant {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn millis_now() -> u64 {
    u64::try_from(epoch().elapsed().as_millis()).unwrap_or(u64::MAX)
}

impl QueryLimit {
    pub fn start(&self) {
        let limit = u64::try_from(QUERY_LIMIT.as_millis()).unwrap_or(u64::MAX);
        self.deadline
            .store(millis_now().saturating_add(limit).max(1), Ordering::Relaxed);
    }

    pub fn stop(&self) {
        self.deadline.store(0, Ordering::Relaxed);
    }

    fn install(&self, conn: &Connection) {
        let deadline = Arc::clone(&self.deadline);
        conn.progress_handler(
            10_000,
            Some(move || {
                let d = deadline.load(Ordering::Relaxed);
                d != 0 && millis_now() > d
            }),
        );
    }
}

/// An SQLite error on reading, in the user's terms.
pub fn sql_error(path: &Path, e: &rusqlite::Error) -> HistoryError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => busy(path),
        Some(rusqlite::ErrorCode::OperationInterrupted) => HistoryError::TooSlow(path.to_path_buf()),
        _ => damaged(path, e),
    }
}

/// An SQLite error while importing: the transaction is rolled back.
pub fn write_error(path: &Path, e: &rusqlite::Error) -> HistoryError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => busy(path),
        _ => HistoryError::Write {
            path: path.to_path_buf(),
            why: e.to_string(),
        },
    }
}

fn busy(path: &Path) -> HistoryError {
    HistoryError::Busy(path.to_path_buf())
}

impl History {
    /// Opens the history at `path`, creating it when it does not exist.
    pub fn open(path: &Path) -> Result<History, HistoryError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        History::open_with(path, flags)
    }

    /// Opens an existing history without writing to it.
    pub fn open_read_only(path: &Path) -> Result<History, HistoryError> {
        if !fs::exists(path) {
            return Err(HistoryError::NoHistory(path.to_path_buf()));
        }
        // Read-write (never created) where allowed: after a crash in the
        // middle of an import, the first reader must roll the leftover
        // journal back, which a read-only connection cannot do. Nothing is
        // written otherwise.
        History::open_with(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .or_else(|first| {
            // Busy is busy either way: waiting again would double the wait.
            if matches!(first, HistoryError::Busy(_)) {
                return Err(first);
            }
            History::open_with(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|_| first)
        })
    }

    fn open_with(path: &Path, flags: OpenFlags) -> Result<History, HistoryError> {
        let conn = fs::open_database(path, flags)?;
        conn.busy_timeout(BUSY_WAIT).map_err(|e| damaged(path, e))?;
        // Functions a schema names are not run unless marked innocuous.
        conn.pragma_update(None, "trusted_schema", false)
            .map_err(|e| damaged(path, e))?;
        let limit = QueryLimit::default();
        limit.install(&conn);
        limit.start();
        // One statement, so one consistent view of the file: another
        // process may be creating the tables at this very moment.
        let (app, version, tables): (i32, i32, i64) = conn
            .query_row(
                "SELECT (SELECT application_id FROM pragma_application_id), \
                        (SELECT user_version FROM pragma_user_version), \
                        (SELECT count(*) FROM sqlite_master)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .map_err(|e| sql_error(path, &e))?;
        let mut history = History {
            conn,
            path: path.to_path_buf(),
            limit,
            version,
        };
        if app == 0 && version == 0 && tables == 0 {
            if !flags.contains(OpenFlags::SQLITE_OPEN_CREATE) {
                return Err(damaged(path, "it is empty"));
            }
            history.create()?;
            history.version = SCHEMA_VERSION;
            return Ok(history);
        }
        if app != APPLICATION_ID {
            return Err(damaged(path, "it is some other SQLite database"));
        }
        if version > SCHEMA_VERSION {
            return Err(HistoryError::Newer {
                path: path.to_path_buf(),
                version,
            });
        }
        if version < 1 {
            return Err(damaged(path, format!("unknown schema {version}")));
        }
        history.check_objects(version)?;
        Ok(history)
    }

    /// Every table, index, view and trigger in the file is one this build
    /// made for `version`, defined exactly so.
    fn check_objects(&self, version: i32) -> Result<(), HistoryError> {
        let expected = expected_objects(&self.path, version)?;
        self.limit.start();
        let found = objects(&self.conn).map_err(|e| sql_error(&self.path, &e))?;
        if let Some(extra) = found.iter().find(|o| !expected.contains(o)) {
            return Err(damaged(
                &self.path,
                format!(
                    "it holds a {} `{}` that ia-licensing did not create",
                    crate::model::text::safe(&extra.0),
                    crate::model::text::safe(&extra.1)
                ),
            ));
        }
        if let Some(missing) = expected.iter().find(|o| !found.contains(o)) {
            return Err(damaged(
                &self.path,
                format!("its {} `{}` is missing", missing.0, missing.1),
            ));
        }
        Ok(())
    }

    /// Every value in the file is one this build writes: dates that are
    /// dates, counts that are whole numbers of 0 or more, known categories.
    /// Run before an import, so nothing is added to a history whose
    /// readers would refuse it.
    pub(super) fn check_values(&self) -> Result<(), HistoryError> {
        let categories: Vec<String> = crate::model::catalog::BillingCategory::ALL
            .iter()
            .map(|c| format!("'{}'", c.code()))
            .collect();
        let known = categories.join(", ");
        let last = crate::model::catalog::BillingCategory::ALL.len().saturating_sub(1);
        let count = |c: &str| format!("(typeof({c}) != 'integer' OR {c} < 0)");
        let checks = [
            (
                "a day",
                format!(
                    "SELECT day FROM days WHERE typeof(day) != 'text' OR date(day) IS NOT day OR {}",
                    count("events")
                ),
            ),
            (
                "a license day",
                format!(
                    "SELECT day FROM day_key WHERE date(day) IS NOT day OR {} OR {} OR {} OR {} OR {}",
                    count("peak"),
                    count("demand"),
                    count("denials"),
                    count("minutes"),
                    count("allowance")
                ),
            ),
            (
                "a category day",
                format!(
                    "SELECT day FROM day_category WHERE date(day) IS NOT day OR category NOT IN ({known}) OR {}",
                    count("users")
                ),
            ),
            (
                "a user's period",
                format!(
                    "SELECT period FROM period_user WHERE date(period) IS NOT period OR typeof(category) != 'integer' \
                     OR category NOT BETWEEN 0 AND {last} OR {} OR typeof(user) != 'integer'",
                    count("days")
                ),
            ),
            (
                "a period",
                format!(
                    "SELECT period FROM period_category WHERE date(period) IS NOT period OR category NOT IN ({known}) OR {}",
                    count("users")
                ),
            ),
            (
                "a user",
                "SELECT id FROM users WHERE typeof(name) != 'text'".to_string(),
            ),
        ];
        for (what, sql) in checks {
            self.limit.start();
            let bad: Option<rusqlite::types::Value> = self
                .conn
                .query_row(&format!("{sql} LIMIT 1"), [], |r| r.get(0))
                .optional()
                .map_err(|e| sql_error(&self.path, &e))?;
            if let Some(v) = bad {
                let shown = match v {
                    rusqlite::types::Value::Text(t) => crate::model::text::safe(&t).into_owned(),
                    rusqlite::types::Value::Integer(i) => i.to_string(),
                    _ => "a row".to_string(),
                };
                return Err(damaged(
                    &self.path,
                    format!("{what} holds a value ia-licensing never writes ({shown})"),
                ));
            }
        }
        Ok(())
    }

    /// Makes the tables of a new history. Two processes may both find the
    /// file empty: the write lock (`BEGIN IMMEDIATE`) puts them one after
    /// the other, and `IF NOT EXISTS` makes the second a no-op.
    fn create(&self) -> Result<(), HistoryError> {
        let schema = schema(SCHEMA_VERSION).unwrap_or_default();
        let sql = format!(
            "BEGIN IMMEDIATE; {schema} PRAGMA application_id = {APPLICATION_ID}; \
             PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        );
        self.limit.stop();
        self.conn.execute_batch(&sql).map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => busy(&self.path),
            _ => HistoryError::Create {
                path: self.path.clone(),
                why: e.to_string(),
            },
        })?;
        // The other process may have made something else than our schema.
        self.check_objects(SCHEMA_VERSION)
    }
}
