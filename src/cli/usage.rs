//! `usage` and `recommend`: replaying sessions, billing, right-sizing.

use std::process::ExitCode;
use std::sync::Arc;

use super::args::{OutputFormat, RecommendArgs, UsageArgs};
use super::{Failure, banner, load_license, load_workspace, print_json, print_text, serde_plain, today};
use crate::core::document::Document;
use crate::core::replay::Session;
use crate::core::text::safe;

pub(super) fn run_recommend(args: RecommendArgs) -> Result<ExitCode, Failure> {
    use crate::core::recommend;
    let license = load_license(&args.license, &args.trust)?;
    let ws = load_workspace(&args.workspace)?;
    let history = match &args.events {
        Some(path) => Some(super::replay_events(&license, &ws, path)?),
        None => None,
    };
    let daily = match &args.history {
        Some(path) => {
            let store = crate::core::history::History::open_read_only(path)?;
            if store.span()?.is_none() {
                return Err(Failure::refused(format!(
                    "{} has no days yet; import events with `ia-licensing history import`",
                    path.display()
                )));
            }
            Some(store.daily_peaks(args.percentile)?)
        }
        None => None,
    };
    let doc = Document::new(Arc::new(license), ws, today());
    let keys = recommend::recommend_with(&doc, history.as_ref(), daily.as_ref());
    match args.format {
        OutputFormat::Json => print_json(&super::output::Recommend {
            license: doc.license().signature.trust(),
            keys,
        })?,
        OutputFormat::Table => {
            let mut out = String::new();
            banner(&mut out, &[doc.license()]);
            for r in &keys {
                let delta = match (r.assigned_delta, r.pooled_delta) {
                    (0, 0) => String::new(),
                    (a, 0) => format!(" {a:+} assigned"),
                    (0, p) => format!(" {p:+} pooled"),
                    (a, p) => format!(" {a:+} assigned, {p:+} pooled"),
                };
                let action = serde_plain(&r.action);
                out.push_str(&format!(
                    "{:<46} {action:<6}{delta}\n    {}\n",
                    safe(&r.label),
                    safe(&r.reason)
                ));
                if let Some(p) = &r.suggested_part {
                    out.push_str(&format!(
                        "    order {} {} ({} assigned + {} pooled units)\n",
                        p.part_number, p.description, p.assigned, p.pooled
                    ));
                }
            }
            print_text(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn run_usage(args: UsageArgs) -> Result<ExitCode, Failure> {
    use crate::core::{replay, usage};
    let license = load_license(&args.license, &args.trust)?;
    let ws = load_workspace(&args.workspace)?;
    // Read once before anything is written: a refused file writes nothing,
    // and the read says whether the events are in time order.
    let checked = replay::read_file(&args.events, &mut |_, _| true, &mut Discard)
        .map_err(|e| super::events_refused(&args.events, e))?;
    let run = UsageRun {
        license: &license,
        ws: &ws,
        path: &args.events,
        sorted: checked.sorted,
        collection: usage::Collection::of(&license),
        note: super::events_note(&args.events, &checked),
    };
    match args.format {
        OutputFormat::Json => {
            let out = UsageJson {
                run: &run,
                failure: std::cell::RefCell::new(None),
            };
            let printed = print_json(&out);
            if let Some(f) = out.failure.into_inner() {
                return Err(f);
            }
            printed?;
        }
        OutputFormat::Table => {
            // The first 50 sessions by logon, as the list has always shown.
            let mut first: std::collections::BTreeMap<usize, Session> = std::collections::BTreeMap::new();
            let mut count = 0usize;
            let done = run.replay(&mut |logon, s| {
                count += 1;
                if first.len() < 50 || first.last_key_value().is_some_and(|(k, _)| *k > logon) {
                    first.insert(logon, s.clone());
                    if first.len() > 50 {
                        first.pop_last();
                    }
                }
                true
            })?;
            print_text(&usage_text(&run, &done, count, first.values()))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// An event sink that keeps nothing (the first read only checks the file).
struct Discard;

impl crate::core::replay::EventSink for Discard {
    fn event(&mut self, _: crate::core::replay::Event) {}
    fn restart(&mut self) {}
}

/// The `usage` command's replay: the file read as it goes, each session
/// handed out as it closes (then those still open), billing gathered on
/// the way.
struct UsageRun<'x> {
    license: &'x crate::core::license::License,
    ws: &'x crate::core::workspace::Workspace,
    path: &'x std::path::Path,
    /// Not in time order: read whole and sorted.
    sorted: bool,
    collection: crate::core::usage::Collection,
    note: Option<String>,
}

/// What is left once every session has been handed out.
struct UsageDone {
    replay: crate::core::replay::Replay,
    users: crate::core::usage::UserCategories,
}

/// Hands each closed session to `each` (with its logon number) and
/// gathers what each user counted as; keeps the denials.
struct Gather<'f> {
    billed: bool,
    users: crate::core::usage::UserCategories,
    each: &'f mut dyn FnMut(usize, &Session) -> bool,
    /// `each` said stop (the output is closed): the reading stops too.
    stopped: &'f std::sync::atomic::AtomicBool,
    /// The file changed between the two reads.
    restarted: bool,
}

impl crate::core::replay::Take for Gather<'_> {
    fn take(&mut self, pending: &mut crate::core::replay::Replay) {
        let logons = std::mem::take(&mut pending.session_logons);
        for (s, logon) in pending.sessions.drain(..).zip(logons) {
            if self.billed {
                // A closed session's days are its own (the open end is
                // only for sessions still open at the end).
                self.users.add(&s, s.start.date_naive());
            }
            if !self.stopped.load(std::sync::atomic::Ordering::Relaxed) && !(self.each)(logon, &s) {
                self.stopped.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        pending.pool_points.clear();
        pending.demand_points.clear();
    }

    fn restart(&mut self) {
        self.restarted = true;
    }
}

impl UsageRun<'_> {
    /// Replays the file, handing out every session; `each` returns false
    /// to stop handing them out.
    fn replay(&self, each: &mut dyn FnMut(usize, &Session) -> bool) -> Result<UsageDone, Failure> {
        use crate::core::{replay, usage};
        let stopped = std::sync::atomic::AtomicBool::new(false);
        let mut gather = Gather {
            billed: self.collection != usage::Collection::None,
            users: usage::UserCategories::default(),
            each,
            stopped: &stopped,
            restarted: false,
        };
        let mut r = if self.sorted {
            let (events, _) = replay::load_file(self.path).map_err(|e| super::events_refused(self.path, e))?;
            replay::replay_taking(self.license, self.ws, events, &mut gather)
        } else {
            let (r, _) = replay::replay_file(
                self.license,
                self.ws,
                self.path,
                None,
                &mut |_, _| !stopped.load(std::sync::atomic::Ordering::Relaxed),
                &mut gather,
            )
            .map_err(|e| super::events_refused(self.path, e))?;
            r
        };
        if gather.restarted {
            return Err(Failure::refused(format!(
                "{} changed while it was read; run the command again",
                self.path.display()
            )));
        }
        // The sessions still open at the end (they run to the last event).
        let open_end = r.last_event.map_or_else(today, |t| t.date_naive());
        let logons = std::mem::take(&mut r.session_logons);
        for (s, logon) in std::mem::take(&mut r.sessions).into_iter().zip(logons) {
            if gather.billed {
                gather.users.add(&s, open_end);
            }
            if !stopped.load(std::sync::atomic::Ordering::Relaxed) && !(gather.each)(logon, &s) {
                stopped.store(true, std::sync::atomic::Ordering::Relaxed);
            }
        }
        Ok(UsageDone {
            replay: r,
            users: gather.users,
        })
    }
}

/// `usage --format json`, written as it goes: the sessions as they close
/// (those still open at the end last), then what the replay added up. The
/// fields and their order are those of the whole-list output before.
struct UsageJson<'x> {
    run: &'x UsageRun<'x>,
    /// Why the replay failed after the output began (a file changed
    /// between the two reads), for the exit code and message.
    failure: std::cell::RefCell<Option<Failure>>,
}

/// The sessions array, filled by the replay while it is written.
struct SessionsJson<'x> {
    run: &'x UsageRun<'x>,
    done: std::cell::RefCell<Option<Result<UsageDone, Failure>>>,
}

impl serde::Serialize for SessionsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(None)?;
        let mut error = None;
        let done = self.run.replay(&mut |_, s| match seq.serialize_element(s) {
            Ok(()) => true,
            Err(e) => {
                error = Some(e);
                false
            }
        });
        *self.done.borrow_mut() = Some(done);
        if let Some(e) = error {
            return Err(e);
        }
        seq.end()
    }
}

impl serde::Serialize for UsageJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeMap};
        let run = self.run;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("license", &run.license.signature.trust())?;
        let sessions = SessionsJson {
            run,
            done: std::cell::RefCell::new(None),
        };
        map.serialize_entry("sessions", &sessions)?;
        let done = match sessions.done.into_inner() {
            Some(Ok(done)) => done,
            Some(Err(f)) => {
                let message = f.to_string();
                *self.failure.borrow_mut() = Some(f);
                return Err(S::Error::custom(message));
            }
            None => return Err(S::Error::custom("the sessions were not written")),
        };
        let (daily, periods) = crate::core::usage::tally_users(&done.users);
        map.serialize_entry("peak_concurrent_in_use", &done.replay.peak)?;
        map.serialize_entry("denials", &done.replay.denials)?;
        map.serialize_entry("billing", &periods)?;
        map.serialize_entry("daily", &daily)?;
        map.serialize_entry("usage_collection", run.collection.code())?;
        map.serialize_entry(
            "usage_collection_note",
            &crate::core::usage::Collection::note_for(run.license),
        )?;
        if let Some(note) = done.users.billing_note() {
            map.serialize_entry("billing_note", &note)?;
        }
        map.serialize_entry("ignored", &done.replay.ignored)?;
        if let Some(cost) = usage_cost(run, &done) {
            map.serialize_entry("cost", &cost)?;
        }
        if let Some(note) = &run.note {
            map.serialize_entry("events_note", note)?;
        }
        map.end()
    }
}

/// With a price list in the workspace (and usage collected): the estimate.
fn usage_cost(run: &UsageRun, done: &UsageDone) -> Option<crate::core::cost::CostEstimate> {
    run.ws
        .price_list
        .as_ref()
        .filter(|_| run.collection != crate::core::usage::Collection::None)
        .map(|prices| crate::core::cost::estimate(prices, crate::core::cost::by_name(&done.users.by_period), run.ws))
}

/// `usage` as a table: `count` sessions, the first 50 by logon listed.
fn usage_text<'s>(run: &UsageRun, done: &UsageDone, count: usize, first: impl Iterator<Item = &'s Session>) -> String {
    let (license, collection, replay) = (run.license, run.collection, &done.replay);
    let (_, periods) = crate::core::usage::tally_users(&done.users);
    let cost = usage_cost(run, done);
    let mut out = String::new();
    banner(&mut out, &[license]);
    out += &format!(
        "Usage collection: {}\n  {}\n\n",
        collection.code(),
        collection.explanation()
    );
    if let Some(note) = crate::core::usage::Collection::note_for(license) {
        out += &format!("  Note: {note}\n\n");
    }
    if let Some(note) = &run.note {
        out += &format!("Note: {}\n\n", safe(note));
    }
    out.push_str(&format!("Sessions: {count}\n"));
    for s in first {
        let cats: Vec<&str> = s.categories.iter().map(|c| c.code()).collect();
        out.push_str(&format!(
            "  {:<20} {} → {}  {}\n",
            safe(&s.user),
            s.start.format("%Y-%m-%d %H:%M"),
            s.end
                .map_or("(active)".to_string(), |e| e.format("%Y-%m-%d %H:%M").to_string()),
            cats.join(", ")
        ));
    }
    if count > 50 {
        out.push_str(&format!("  … {} more\n", count - 50));
    }
    out.push_str("\nPeak concurrent in use\n");
    for (k, n) in &replay.peak {
        let pooled = license.allowance(k).map_or(0, |a| a.pooled);
        out.push_str(&format!(
            "  {:<46} {n} of {pooled}\n",
            safe(crate::core::catalog::label(k))
        ));
    }
    out.push_str(&format!("\nDenials: {}\n", replay.denials.len()));
    for d in replay.denials.iter().take(50) {
        out.push_str(&format!(
            "  {} {:<20} {}: {}\n",
            d.at.format("%Y-%m-%d %H:%M"),
            safe(&d.user),
            safe(&d.key),
            safe(&d.reason)
        ));
    }
    if !periods.is_empty() {
        out.push_str("\nBilling periods (distinct users per category)\n");
        for p in &periods {
            let cats: Vec<String> = p.users_by_category.iter().map(|(c, n)| format!("{c} {n}")).collect();
            out.push_str(&format!(
                "  {} to {} (upload due {}): {}\n",
                p.period_start,
                p.period_end,
                p.upload_due,
                cats.join(", ")
            ));
        }
        if let Some(note) = done.users.billing_note() {
            out.push_str(&format!("  Note: {}\n", safe(&note)));
        }
    }
    if let Some(cost) = &cost {
        out.push_str(&cost_text(cost));
    }
    out
}

/// `reclaim --format json`.
#[derive(serde::Serialize)]
struct Reclaim<'a> {
    license: crate::core::license::Trust,
    as_of: String,
    idle_days: i64,
    candidates: &'a [crate::core::reclaim::Candidate],
    replay_after: crate::core::reclaim::ReplayAfter,
    /// Events files that were not in time order, said (read whole).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    events_notes: &'a [String],
}

/// The last second of a day.
fn end_of_day(d: chrono::NaiveDate) -> Result<chrono::DateTime<chrono::Utc>, Failure> {
    let next = crate::core::dates::next_day(d)?;
    Ok(crate::core::dates::shift(
        crate::core::enforcement::midnight(next),
        crate::core::dates::seconds(-1),
    )?)
}

pub(super) fn run_reclaim(args: super::args::ReclaimArgs) -> Result<ExitCode, Failure> {
    use crate::core::reclaim;
    if args.idle_days < 0 {
        return Err(Failure::refused("--idle-days must be 0 or more"));
    }
    let license = load_license(&args.license, &args.trust)?;
    let ws = load_workspace(&args.workspace)?;
    // Each file read as it goes, twice: for each user's last session, then
    // replayed with the suggestions carried out.
    let mut last = reclaim::LastSessions::default();
    let mut first_event: Option<chrono::DateTime<chrono::Utc>> = None;
    let mut last_event = None;
    let mut notes = Vec::new();
    for path in &args.events {
        let mut taken = reclaim::LastSessions::default();
        let until = args.as_of.map(end_of_day).transpose()?;
        let (_, stats) = crate::core::replay::replay_file(&license, &ws, path, until, &mut |_, _| true, &mut taken)
            .map_err(|e| super::events_refused(path, e))?;
        last.merge(taken);
        first_event = match (first_event, stats.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        last_event = last_event.max(stats.last);
        notes.extend(super::events_note(path, &stats));
    }
    let as_of = match (args.as_of, last_event) {
        (Some(d), _) => end_of_day(d)?,
        (None, Some(t)) => t,
        (None, None) => return Err(Failure::refused("the events files hold no events; give --as-of DATE")),
    };
    // Judged before anything happened, every license would look idle.
    if let Some(first) = first_event
        && as_of < first
    {
        return Err(Failure::refused(format!(
            "--as-of {} is before the first event ({}); judge from a day the events cover",
            as_of.format("%Y-%m-%d"),
            first.format("%Y-%m-%d %H:%M")
        )));
    }
    let candidates = reclaim::candidates_from(&ws, &last.at(as_of), args.idle_days, as_of);
    let changed = reclaim::workspace_after(&ws, &candidates);
    let mut after = reclaim::ReplayAfter::default();
    for path in &args.events {
        let mut denials = reclaim::DenialCount::default();
        let (r, _) = crate::core::replay::replay_file(&license, &changed, path, None, &mut |_, _| true, &mut denials)
            .map_err(|e| super::events_refused(path, e))?;
        after.add(denials.denials, denials.logons, &r);
    }
    match args.format {
        OutputFormat::Json => print_json(&Reclaim {
            license: license.signature.trust(),
            as_of: as_of.format("%Y-%m-%dT%H:%M:%S").to_string(),
            idle_days: args.idle_days,
            candidates: &candidates,
            replay_after: after,
            events_notes: &notes,
        })?,
        OutputFormat::Table => {
            let mut out = String::new();
            banner(&mut out, &[&license]);
            out.push_str(&format!(
                "Idle {} or more as of {}: {}\n",
                crate::core::text::count(usize::try_from(args.idle_days).unwrap_or(0), "day", "days"),
                as_of.format("%Y-%m-%d %H:%M"),
                crate::core::text::count(candidates.len(), "candidate", "candidates")
            ));
            let mut t = super::output::table(&["User", "Licenses", "Last session", "Suggest", "Why"]);
            for c in &candidates {
                t.add_row(vec![
                    safe(&c.user).into_owned(),
                    c.keys
                        .iter()
                        .map(|k| crate::core::catalog::label(k))
                        .collect::<Vec<_>>()
                        .join(", "),
                    c.last_session
                        .map_or("never".into(), |t| t.format("%Y-%m-%d").to_string()),
                    serde_plain(&c.suggest),
                    c.reason.clone(),
                ]);
            }
            out.push_str(&format!("{t}\n"));
            out.push_str(&format!(
                "Replayed with these changes: {} ({})\n",
                crate::core::text::count(after.denials, "denial", "denials"),
                crate::core::text::count(after.denied_logons, "logon", "logons")
            ));
            for (k, need) in &after.pool_needed {
                out.push_str(&format!(
                    "  {}: peak {} in use; a pool of {need} would deny nobody\n",
                    crate::core::catalog::label(k),
                    after.peak_concurrent_in_use.get(k).copied().unwrap_or(0)
                ));
            }
            for note in &notes {
                out.push_str(&format!("Note: {}\n", safe(note)));
            }
            print_text(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The cost estimate as text: per period, its categories, Assignable
/// licenses and workgroups.
fn cost_text(cost: &crate::core::cost::CostEstimate) -> String {
    use crate::core::catalog::{BillingCategory, label};
    let cur = safe(&cost.currency);
    let mut out = format!("\nEstimated cost ({cur})\n  {}\n", cost.note);
    for p in &cost.periods {
        out.push_str(&format!(
            "  {} to {}: {cur} {}\n",
            p.period_start,
            p.period_end,
            p.total_text()
        ));
        for (code, line) in &p.by_category {
            let name = BillingCategory::from_code(code).map_or(code.as_str(), |c| c.label());
            out.push_str(&format!(
                "    {name:<28} {:>7} users × {} = {}\n",
                line.users,
                line.unit_text(),
                line.known_amount()
                    .map_or_else(|| "unknown".to_string(), |a| a.format())
            ));
        }
        for (key, line) in &p.assignable_licenses {
            out.push_str(&format!(
                "    {:<28} {:>7} Assignable × {} = {}\n",
                safe(label(key)),
                line.licenses,
                line.unit_price.format(),
                line.amount.format()
            ));
        }
        out.push_str("    by workgroup:\n");
        for (wg, amount) in &p.by_workgroup {
            out.push_str(&format!("      {:<26} {}\n", safe(wg), p.workgroup_text(wg, *amount)));
        }
        // Not workgroups, under a heading of their own (a workgroup may be
        // called anything, "(Stations)" included).
        let no_group = p.no_workgroup.0 != 0 || !p.no_workgroup_complete;
        if no_group || p.stations.0 != 0 {
            out.push_str("    not in a workgroup:\n");
            if no_group {
                out.push_str(&format!(
                    "      {:<26} {}\n",
                    "users in no workgroup",
                    p.no_workgroup_text()
                ));
            }
            if p.stations.0 != 0 {
                out.push_str(&format!("      {:<26} {}\n", "station licenses", p.stations.format()));
            }
        }
    }
    if !cost.unpriced_categories.is_empty() {
        out.push_str(&format!(
            "  Not in the price list (counted, not costed: the totals are what the priced part comes to): {}\n",
            crate::core::cost::category_names(&cost.unpriced_categories).join(", ")
        ));
    }
    out.push_str(&format!("  Total: {cur} {}\n", cost.total_text()));
    out
}
