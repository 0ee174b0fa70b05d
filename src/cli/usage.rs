//! `usage` and `recommend`: replaying sessions, billing, right-sizing.

use std::process::ExitCode;
use std::sync::Arc;

use super::args::{OutputFormat, RecommendArgs, UsageArgs};
use super::{Failure, banner, load_events, load_license, load_workspace, print_json, print_text, serde_plain, today};
use crate::core::document::Document;
use crate::core::text::safe;

pub(super) fn run_recommend(args: RecommendArgs) -> Result<ExitCode, Failure> {
    use crate::core::recommend;
    let license = load_license(&args.license, &args.trust)?;
    let ws = load_workspace(&args.workspace)?;
    let history = match &args.events {
        Some(path) => Some(crate::core::replay::replay(&license, &ws, &load_events(path)?, None)),
        None => None,
    };
    let daily = match &args.history {
        Some(path) => {
            let store = crate::core::history::History::open_read_only(path).map_err(|e| Failure::refused(e.0))?;
            if store.span().map_err(|e| Failure::refused(e.0))?.is_none() {
                return Err(Failure::refused(format!(
                    "{} has no days yet; import events with `ia-licensing history import`",
                    path.display()
                )));
            }
            Some(store.daily_peaks(args.percentile).map_err(|e| Failure::refused(e.0))?)
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
    let events = load_events(&args.events)?;
    let replay = replay::replay(&license, &ws, &events, None);
    let report = crate::core::reports::usage::UsageReport::of(&license, &ws, &replay, today());
    let (collection, periods, cost) = (report.collection, &report.periods, &report.cost);
    match args.format {
        OutputFormat::Json => print_json(&report.json(&license))?,
        OutputFormat::Table => {
            let mut out = String::new();
            banner(&mut out, &[&license]);
            out += &format!(
                "Usage collection: {}\n  {}\n\n",
                collection.code(),
                collection.explanation()
            );
            if let Some(note) = usage::Collection::note_for(&license) {
                out += &format!("  Note: {note}\n\n");
            }
            out.push_str(&format!("Sessions: {}\n", replay.sessions.len()));
            for s in replay.sessions.iter().take(50) {
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
            if replay.sessions.len() > 50 {
                out.push_str(&format!("  … {} more\n", replay.sessions.len() - 50));
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
                for p in periods {
                    let cats: Vec<String> = p.users_by_category.iter().map(|(c, n)| format!("{c} {n}")).collect();
                    out.push_str(&format!(
                        "  {} to {} (upload due {}): {}\n",
                        p.period_start,
                        p.period_end,
                        p.upload_due,
                        cats.join(", ")
                    ));
                }
            }
            if let Some(cost) = cost {
                out.push_str(&cost_text(cost));
            }
            print_text(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `reclaim --format json`.
#[derive(serde::Serialize)]
struct Reclaim<'a> {
    license: crate::core::license::Trust,
    as_of: String,
    idle_days: i64,
    candidates: &'a [crate::core::reclaim::Candidate],
    replay_after: crate::core::reclaim::ReplayAfter,
}

pub(super) fn run_reclaim(args: super::args::ReclaimArgs) -> Result<ExitCode, Failure> {
    use crate::core::reclaim;
    if args.idle_days < 0 {
        return Err(Failure::refused("--idle-days must be 0 or more"));
    }
    let license = load_license(&args.license, &args.trust)?;
    let ws = load_workspace(&args.workspace)?;
    let histories: Vec<Vec<crate::core::replay::Event>> =
        args.events.iter().map(|p| load_events(p)).collect::<Result<_, _>>()?;
    let last_event = histories.iter().filter_map(|h| h.last().map(|e| e.at)).max();
    let as_of = match (args.as_of, last_event) {
        (Some(d), _) => {
            // The last second of the day.
            let next = crate::core::dates::next_day(d)?;
            crate::core::dates::shift(
                crate::core::enforcement::midnight(next),
                crate::core::dates::seconds(-1),
            )?
        }
        (None, Some(t)) => t,
        (None, None) => return Err(Failure::refused("the events files hold no events; give --as-of DATE")),
    };
    // Judged before anything happened, every license would look idle.
    let first_event = histories.iter().filter_map(|h| h.first().map(|e| e.at)).min();
    if let Some(first) = first_event
        && as_of < first
    {
        return Err(Failure::refused(format!(
            "--as-of {} is before the first event ({}); judge from a day the events cover",
            as_of.format("%Y-%m-%d"),
            first.format("%Y-%m-%d %H:%M")
        )));
    }
    let candidates = reclaim::candidates(&license, &ws, &histories, args.idle_days, as_of);
    let after = reclaim::replay_after(&license, &ws, &histories, &candidates);
    match args.format {
        OutputFormat::Json => print_json(&Reclaim {
            license: license.signature.trust(),
            as_of: as_of.format("%Y-%m-%dT%H:%M:%S").to_string(),
            idle_days: args.idle_days,
            candidates: &candidates,
            replay_after: after,
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
            p.total.format()
        ));
        for (code, line) in &p.by_category {
            let name = BillingCategory::from_code(code).map_or(code.as_str(), |c| c.label());
            out.push_str(&format!(
                "    {name:<28} {:>7} users × {} = {}\n",
                line.users,
                line.unit_price.format(),
                line.amount.format()
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
            out.push_str(&format!("      {:<26} {}\n", safe(wg), amount.format()));
        }
        // Not workgroups, under a heading of their own (a workgroup may be
        // called anything, "(Stations)" included).
        if p.no_workgroup.0 != 0 || p.stations.0 != 0 {
            out.push_str("    not in a workgroup:\n");
            for (row, amount) in [
                ("users in no workgroup", p.no_workgroup),
                ("station licenses", p.stations),
            ] {
                if amount.0 != 0 {
                    out.push_str(&format!("      {row:<26} {}\n", amount.format()));
                }
            }
        }
    }
    if !cost.unpriced_categories.is_empty() {
        out.push_str(&format!(
            "  Not in the price list (counted at 0): {}\n",
            crate::core::cost::category_names(&cost.unpriced_categories).join(", ")
        ));
    }
    out.push_str(&format!("  Total: {cur} {}\n", cost.total.format()));
    out
}
