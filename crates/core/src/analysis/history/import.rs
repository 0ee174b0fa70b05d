//! Writing imports: every file's days in one transaction, in file order (a
//! later file replaces the days an earlier one covered). `import_files`
//! reads the events files on up to two worker threads while the calling
//! thread writes each file's summary as soon as it and the files before it
//! are done, so only a few summaries are ever held, whatever the number and
//! size of the files.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Transaction, params};

use super::files::{self, ImportProgress};
use super::{
    FileSummary, History, HistoryError, ImportReport, ImportedFile, SCHEMA_VERSION, count_users, date_text, logons,
    period_sets, store, summary,
};
use crate::model::license::License;
use crate::model::workspace::Workspace;

fn cancelled() -> HistoryError {
    HistoryError::Cancelled
}

/// One import's transaction and what it has done so far.
struct Writing<'c> {
    tx: Transaction<'c>,
    users: HashMap<String, i64>,
    now: String,
    report: ImportReport,
    touched_periods: BTreeSet<NaiveDate>,
    /// Days this import has written: counted once as added or replaced,
    /// however many of its files cover them.
    counted: BTreeSet<NaiveDate>,
}

impl History {
    /// Writes every file's days in one transaction, in the order given (a
    /// later file replaces the days an earlier one covered). `cancel` is
    /// looked at between files: when set, nothing is written. The license
    /// text, when given, is kept for later imports that do not name one.
    pub fn import(
        &mut self,
        license_text: Option<&str>,
        files: &[(String, FileSummary)],
        cancel: &AtomicBool,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ImportReport, HistoryError> {
        let path = self.path.clone();
        let werr = |e: rusqlite::Error| store::write_error(&path, &e);
        let mut w = self.begin()?;
        for (i, (source, file)) in files.iter().enumerate() {
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled());
            }
            progress(i, files.len());
            w.file(source, file, None).map_err(werr)?;
        }
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        let report = w.finish(license_text).map_err(werr)?;
        self.version = SCHEMA_VERSION;
        progress(files.len(), files.len());
        Ok(report)
    }

    /// Reads the events files at `paths` and imports them in one
    /// transaction; a later file on the list replaces the days an earlier
    /// one covered. The files are read in time order (by their first
    /// event), one after the other on a worker thread, so that the
    /// sessions still open at the end of one go on into the next when it
    /// follows on (it starts on the same day or the next); each file is
    /// read as it goes (see `replay::read_file`) and summed up, and this
    /// thread writes each summary once the files before it on the list are
    /// written, and drops it. The first problem refuses the lot: nothing is
    /// imported from any file. Empty files contribute nothing. `progress`
    /// follows each file's bytes; `cancel` stops the reading and writes
    /// nothing.
    pub fn import_files(
        &mut self,
        license_text: Option<&str>,
        license: &License,
        ws: &Workspace,
        paths: &[PathBuf],
        cancel: &AtomicBool,
        progress: &ImportProgress,
    ) -> Result<ImportReport, HistoryError> {
        progress.start(paths);
        let path = self.path.clone();
        let werr = |e: rusqlite::Error| store::write_error(&path, &e);
        // Taken first: another import writing this history is said at
        // once, not after the files were read.
        let mut w = self.begin()?;
        // Time order: files that cannot be read come first (their problem
        // is said before anything else is read), then by first event, equal
        // times in list order.
        let firsts: Vec<Option<DateTime<Utc>>> = paths.iter().map(|p| files::first_event(p)).collect();
        let mut order: Vec<usize> = (0..paths.len()).collect();
        order.sort_by_key(|i| (firsts[*i], *i));
        // Read in list order, the reader stays at most this far ahead of
        // the writing (the summaries waiting are bounded); out of list
        // order it cannot wait for the writing, which waits for it.
        let in_order = order.iter().enumerate().all(|(k, i)| k == *i);
        let ahead = 2;
        let written = AtomicUsize::new(0);
        let stop = AtomicBool::new(false);
        // (place on the list, what was read, notes, the source named for
        // it: the files of a day read as one are named together).
        let (sender, results) = mpsc::channel::<(usize, files::FileRead, Vec<String>, Option<String>)>();
        let outcome = std::thread::scope(|scope| {
            let (written, stop, order, firsts) = (&written, &stop, &order, &firsts);
            scope.spawn(move || {
                let quit = || stop.load(Ordering::Relaxed) || cancel.load(Ordering::Relaxed);
                // The file before in time order: its path, last event and
                // the sessions open at its end.
                let mut before: Option<(usize, DateTime<Utc>, summary::Carry)> = None;
                // The file before in time order, its last event and the
                // first event of its last day.
                let mut previous: Option<(usize, DateTime<Utc>, DateTime<Utc>)> = None;
                let mut k = 0;
                while k < order.len() {
                    let i = order[k];
                    while in_order && k >= written.load(Ordering::Acquire) + ahead {
                        if quit() {
                            return;
                        }
                        std::thread::park_timeout(std::time::Duration::from_millis(20));
                    }
                    if quit() {
                        return;
                    }
                    let carry = match (&before, firsts[i]) {
                        (Some((_, last_at, open)), Some(first)) if summary::Summariser::follows(*last_at, first) => {
                            open.clone()
                        }
                        _ => summary::Carry::default(),
                    };
                    // The files that go on with one day are read as one
                    // (a chain); one out of time order ends the chain
                    // before it and is read on its own.
                    let mut most = usize::MAX;
                    let (result, n, joins) = loop {
                        match files::read_chain(
                            license,
                            ws,
                            paths,
                            (order, k, firsts),
                            carry.clone(),
                            most,
                            &quit,
                            progress,
                        ) {
                            files::Chain::Read(result, n, joins) => break (result, n.max(1), joins),
                            files::Chain::Unordered(n) => most = n.max(1),
                        }
                    };
                    let members = &order[k..(k + n).min(order.len())];
                    let last_member = members.last().copied().unwrap_or(i);
                    let next_first = order.get(k + n).and_then(|j| firsts[*j]);
                    // A day is summed up once: a file that goes on, after
                    // the last event of the file before, on that file's
                    // last day, but could not be read on into it (out of
                    // time order, its first line later than its first
                    // event) would replace the day with only its own part
                    // of it, and is refused with what to do. Judged on the
                    // events as read.
                    let result = refuse_overlaps(result, previous.as_ref(), paths, i);
                    if let Ok((Some(file), _)) = &result {
                        previous = Some((last_member, file.tail.last_at, file.tail.last_day_first_at));
                    }
                    let mut notes = Vec::new();
                    if let Ok((Some(file), _)) = &result {
                        let from = before.as_ref().map(|b| paths[b.0].as_path());
                        notes = ends_notes(&paths[i], &paths[last_member], file, from, next_first);
                        let goes_on = next_first.is_some_and(|n| summary::Summariser::follows(file.tail.last_at, n));
                        before = goes_on.then(|| (last_member, file.tail.last_at, file.tail.open.clone()));
                    }
                    notes.extend(joins);
                    let failed = result.is_err();
                    // The chain's summary is written in the place of its
                    // member latest on the list (a later file replaces the
                    // days an earlier one covered); the others add nothing.
                    let target = members.iter().copied().max().unwrap_or(i);
                    for &m in members.iter().filter(|m| **m != target) {
                        if sender.send((m, Ok((None, None)), Vec::new(), None)).is_err() {
                            return;
                        }
                    }
                    let label = (members.len() > 1).then(|| {
                        members
                            .iter()
                            .map(|m| paths[*m].display().to_string())
                            .collect::<Vec<_>>()
                            .join(" + ")
                    });
                    if sender.send((target, result, notes, label)).is_err() || failed {
                        return;
                    }
                    k += n;
                }
            });
            // Results come in time order; they are written in list order.
            let mut waiting: BTreeMap<usize, (files::FileRead, Vec<String>, Option<String>)> = BTreeMap::new();
            let mut at = 0;
            let mut write = || -> Result<(), HistoryError> {
                for (i, result, notes, label) in results.iter() {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(cancelled());
                    }
                    // The first problem refuses the lot.
                    let result = result?;
                    waiting.insert(i, (Ok(result), notes, label));
                    while let Some((result, notes, label)) = waiting.remove(&at) {
                        let (summary, note) = result?;
                        if let Some(file) = summary {
                            let source = label.unwrap_or_else(|| paths[at].display().to_string());
                            w.file(&source, &file, note).map_err(werr)?;
                        }
                        w.report.notes.extend(notes);
                        at += 1;
                        written.store(at, Ordering::Release);
                    }
                }
                if at < paths.len() {
                    // The reader ended without a result: cancelled.
                    return Err(cancelled());
                }
                Ok(())
            };
            let outcome = write();
            if outcome.is_err() {
                stop.store(true, Ordering::Relaxed);
            }
            outcome
        });
        outcome?;
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        let report = w.finish(license_text).map_err(werr)?;
        self.version = SCHEMA_VERSION;
        Ok(report)
    }

    /// Starts an import's transaction.
    fn begin(&mut self) -> Result<Writing<'_>, HistoryError> {
        // Nothing is added to a history its readers would refuse.
        self.check_values()?;
        let path = self.path.clone();
        let werr = |e: rusqlite::Error| store::write_error(&path, &e);
        // An import writes our own, checked tables for as long as the files
        // take: no time limit (a crafted schema was refused at open).
        self.limit.stop();
        let version = self.version;
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(werr)?;
        // An older history gets the new tables in this same transaction.
        store::migrate(&tx, version).map_err(werr)?;
        let users: HashMap<String, i64> = {
            let mut stmt = tx.prepare("SELECT id, name FROM users").map_err(werr)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, String>(1)?, r.get::<_, i64>(0)?)))
                .map_err(werr)?;
            rows.collect::<Result<_, _>>().map_err(werr)?
        };
        Ok(Writing {
            tx,
            users,
            now: chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            report: ImportReport {
                files: Vec::new(),
                days_replaced: 0,
                days_added: 0,
                notes: Vec::new(),
            },
            touched_periods: BTreeSet::new(),
            counted: BTreeSet::new(),
        })
    }
}

impl Writing<'_> {
    /// Replaces the days `file` covers with its days.
    fn file(&mut self, source: &str, file: &FileSummary, note: Option<String>) -> rusqlite::Result<()> {
        let tx = &self.tx;
        let (first, last) = (date_text(file.first), date_text(file.last));
        // The days the history had before this import (not those an earlier
        // file of it wrote), each counted once for the whole import.
        let existing: BTreeSet<String> = {
            let mut stmt = tx.prepare_cached("SELECT day FROM days WHERE day BETWEEN ?1 AND ?2")?;
            let rows = stmt.query_map(params![first, last], |r| r.get::<_, String>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for day in &file.days {
            if self.counted.insert(day.date) {
                if existing.contains(&date_text(day.date)) {
                    self.report.days_replaced += 1;
                } else {
                    self.report.days_added += 1;
                }
            }
        }
        for table in ["days", "day_key", "day_category", "day_logons"] {
            tx.execute(
                &format!("DELETE FROM {table} WHERE day BETWEEN ?1 AND ?2"),
                params![first, last],
            )?;
        }
        // Clear the replaced days' bits in their periods.
        let mut clear: BTreeMap<NaiveDate, i64> = BTreeMap::new();
        for day in file.first.iter_days().take_while(|d| *d <= file.last) {
            let (period, bit) = summary::period_bit(day);
            *clear.entry(period).or_default() |= 1 << bit;
        }
        for (period, mask) in &clear {
            let p = date_text(*period);
            tx.execute(
                "UPDATE period_user SET days = days & ~?2 WHERE period = ?1",
                params![p, mask],
            )?;
            tx.execute("DELETE FROM period_user WHERE period = ?1 AND days = 0", params![p])?;
            self.touched_periods.insert(*period);
        }
        {
            let mut day_stmt = tx.prepare_cached("INSERT INTO days VALUES (?1, ?2, ?3, ?4)")?;
            let mut key_stmt = tx.prepare_cached("INSERT INTO day_key VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")?;
            let mut cat_stmt = tx.prepare_cached("INSERT INTO day_category VALUES (?1, ?2, ?3)")?;
            for day in &file.days {
                let date = date_text(day.date);
                day_stmt.execute(params![date, day.events as i64, source, self.now])?;
                for (key, k) in &day.keys {
                    key_stmt.execute(params![
                        date,
                        key,
                        k.peak,
                        k.demand,
                        k.denials,
                        k.minutes as i64,
                        k.allowance
                    ])?;
                }
                for (cat, n) in &day.users_by_category {
                    cat_stmt.execute(params![date, cat, *n as i64])?;
                }
            }
        }
        // Each user's categories: one row per (period, user, category)
        // with a bit per day of the period.
        let mut bits: rustc_hash::FxHashMap<(NaiveDate, i64, usize), i64> = Default::default();
        {
            let users = &mut self.users;
            let mut add_user = tx.prepare_cached("INSERT INTO users (name) VALUES (?1)")?;
            let mut id_of = |user: &str| -> rusqlite::Result<i64> {
                if let Some(id) = users.get(user) {
                    return Ok(*id);
                }
                add_user.execute(params![user])?;
                let id = tx.last_insert_rowid();
                users.insert(user.to_string(), id);
                Ok(id)
            };
            // Users are numbered in the order they first count (by day,
            // then name), as before the summaries kept names once.
            let mut ids: Vec<Option<i64>> = vec![None; file.logons.names.len()];
            for (user, day, set) in &file.user_days {
                let u = *user as usize;
                let id = match ids.get(u).copied().flatten() {
                    Some(id) => id,
                    None => {
                        let id = id_of(file.logons.names.get(u).map_or("", String::as_str))?;
                        if let Some(slot) = ids.get_mut(u) {
                            *slot = Some(id);
                        }
                        id
                    }
                };
                let (period, bit) = summary::period_bit(*day);
                for c in set.iter() {
                    *bits.entry((period, id, c.index())).or_default() |= 1 << bit;
                }
            }
            // Each user's logged-on minutes, a row per day (empty days too).
            let mut day_stmt = tx.prepare_cached("INSERT INTO day_logons VALUES (?1, ?2)")?;
            let ids = file
                .logons
                .names
                .iter()
                .zip(ids)
                .map(|(n, id)| id.map_or_else(|| id_of(n), Ok))
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            let mut rows: Vec<(i64, &[logons::Span])> = Vec::new();
            for day in &file.logons.days {
                rows.clear();
                rows.extend(day.iter().map(|(u, spans)| (ids[u as usize], spans)));
                rows.sort_unstable_by_key(|r| r.0);
                day_stmt.execute(params![date_text(day.date), logons::encode(&rows)])?;
            }
        }
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO period_user VALUES (?1, ?2, ?3, ?4) ON CONFLICT (period, user, category) DO UPDATE SET \
                 days = days | excluded.days",
            )?;
            let mut rows: Vec<_> = bits.into_iter().collect();
            rows.sort_unstable();
            // Rows come by period: its text is made once per period.
            let mut text = (NaiveDate::MIN, String::new());
            for ((period, user, cat), mask) in rows {
                if text.0 != period {
                    text = (period, date_text(period));
                }
                stmt.execute(params![text.1, user, cat as i64, mask])?;
            }
        }
        self.report.files.push(ImportedFile {
            source: source.to_string(),
            first: file.first,
            last: file.last,
            events: file.events,
            note,
        });
        Ok(())
    }

    /// Counts the touched periods again, keeps the license and commits.
    fn finish(self, license_text: Option<&str>) -> rusqlite::Result<ImportReport> {
        let tx = self.tx;
        // Whole-period counts of the periods the import touched.
        for period in self.touched_periods {
            let p = date_text(period);
            let sets = period_sets(&tx, &p, None)?;
            tx.execute("DELETE FROM period_category WHERE period = ?1", params![p])?;
            for (cat, n) in count_users(sets.values()) {
                tx.execute(
                    "INSERT INTO period_category VALUES (?1, ?2, ?3)",
                    params![p, cat, n as i64],
                )?;
            }
        }
        if let Some(text) = license_text {
            tx.execute(
                "INSERT INTO meta VALUES ('license', ?1) ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                params![text],
            )?;
        }
        tx.commit()?;
        Ok(self.report)
    }
}

/// What the import says about a file's ends: sessions carried in from the
/// file before (`from`), logoffs that found the user logged off, and
/// sessions still open at the end that do not go on into a next file.
fn ends_notes(
    path: &std::path::Path,
    last_path: &std::path::Path,
    file: &FileSummary,
    from: Option<&std::path::Path>,
    next_first: Option<DateTime<Utc>>,
) -> Vec<String> {
    use crate::model::text::count;
    let source = path.display();
    let tail = &file.tail;
    let mut notes = Vec::new();
    if let Some(from) = from.filter(|_| tail.carried_in > 0) {
        notes.push(format!(
            "{} open at the end of {} went on into {source} and {} counted whole.",
            count(tail.carried_in, "session", "sessions"),
            from.display(),
            if tail.carried_in == 1 { "is" } else { "are" }
        ));
    }
    if tail.orphan_logoffs > 0 {
        notes.push(format!(
            "{source}: {} found the user logged off (a session begun in an earlier events file?): import the files \
             together, in one import, to count those sessions.",
            count(tail.orphan_logoffs, "logoff", "logoffs")
        ));
    }
    let source = last_path.display();
    let open = tail.open.sessions();
    let goes_on = next_first.is_some_and(|n| summary::Summariser::follows(tail.last_at, n));
    if open > 0 && !goes_on {
        notes.push(format!(
            "{source}: {} still open at its last event ({}) {} counted up to it{}.",
            count(open, "session", "sessions"),
            tail.last_at.format("%Y-%m-%d %H:%M:%S"),
            if open == 1 { "is" } else { "are" },
            if next_first.is_some() {
                "; the next events file does not start on that day or the next"
            } else {
                ""
            }
        ));
    }
    notes
}

/// A file whose day the file before (in time order) already holds in part
/// is refused with what to do: one that starts inside that part (the two
/// overlap), or one that goes on from it on the same day but could not be
/// read on into it (out of time order). A day is summed up once; judged on
/// the events as read. `previous`: the file before, its last event and the
/// first event of its last day.
fn refuse_overlaps(
    result: files::FileRead,
    previous: Option<&(usize, DateTime<Utc>, DateTime<Utc>)>,
    paths: &[PathBuf],
    i: usize,
) -> files::FileRead {
    match result {
        // Starts inside the part of a day the file before
        // holds (after its first event that day, before its
        // last): neither holds the whole day, and one would
        // replace the other's part of it.
        Ok((Some(file), _))
            if previous.is_some_and(|(_, last_at, day_first)| {
                let b = file.tail.first_at;
                b.date_naive() == last_at.date_naive() && b < *last_at && b > *day_first
            }) =>
        {
            let (p, last_at, day_first) = previous.map_or((i, file.tail.first_at, file.tail.first_at), |x| *x);
            Err(HistoryError::Overlap(Box::new(super::Overlap {
                file: paths[i].clone(),
                other: paths[p].clone(),
                day: last_at.date_naive(),
                starts: file.tail.first_at.format("%H:%M:%S").to_string(),
                other_from: day_first.format("%H:%M:%S").to_string(),
                other_to: last_at.format("%H:%M:%S").to_string(),
            })))
        }
        Ok((Some(file), _))
            if previous.is_some_and(|(_, last_at, _)| files::goes_on_same_day(*last_at, file.tail.first_at)) =>
        {
            let (p, last_at) = previous.map_or((i, file.tail.first_at), |(p, t, _)| (*p, *t));
            Err(HistoryError::NotInOrder {
                file: paths[i].clone(),
                other: paths[p].clone(),
                day: last_at.date_naive(),
            })
        }
        other => other,
    }
}
