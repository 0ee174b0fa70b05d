//! The estimate: per Genesys Cloud billing period of the usage history,
//! billable named users per license, the billable concurrent peak (the
//! pool rule, `concurrent.rs`), hours logged in, the cost under each model
//! with overage against the contract, the cheapest model, today's
//! PureConnect cost for the same days, and the phased move. One function,
//! used by the CLI and the GUI.
//!
//! Only a whole billing period with usage history on every day is costed
//! (Genesys bills whole periods); the others are counted and say why they
//! are not costed. Periods without a day of history are left out, and the
//! range is cut to the history's days (docs/cloud-estimate.md).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::concurrent::{self, MinuteCounts};
use super::finish::{Context, finish};
use super::mapping::{Assignment, Compiled};
use super::output::*;
use super::prices::{CloudPrices, billing_period};
use super::pricing::{Counts, license_map, price, uncost};
use super::waves::Plan;
use super::{CloudLicense, CloudSettings, ESTIMATE_NOTE, Model};
use crate::analysis::cost::{self, Cents};
use crate::analysis::history::logons::{Logons, MINUTES_PER_DAY};
use crate::model::dates;
use crate::model::workspace::Workspace;

/// The most billing periods one estimate lists (fifty years of months): a
/// history with a mis-dated file must not make a run of hours.
pub const MAX_PERIODS: usize = 600;

/// What the estimate reads.
pub struct EstimateInput<'a> {
    pub ws: &'a Workspace,
    /// The mapping, prices and waves in force (the workspace's, or files').
    pub settings: &'a CloudSettings,
    /// The history's logged-on minutes and categories for `from..=to`.
    pub logons: &'a Logons,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The usage history's own first and last day (all of it, whatever
    /// the range): tells a period cut by the range asked for from one the
    /// history has only part of.
    pub history: (NaiveDate, NaiveDate),
}

/// What a history user maps to.
#[derive(Debug, Clone, Copy)]
struct HistUser {
    assignment: Assignment,
    ws_pos: Option<usize>,
}

impl HistUser {
    fn cx(&self) -> bool {
        self.assignment.level.is_some_and(|(l, _)| l.is_cx())
    }
}

/// The range cut to the days the history has, and the billing periods in
/// it that have a day of history.
pub(super) struct Range {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The history has no day in the range asked for.
    pub empty: bool,
    /// The range asked for reached past the history's days.
    pub cut: bool,
    pub periods: Vec<(NaiveDate, NaiveDate)>,
    /// Periods of the range without a day of history (left out).
    pub without_history: u64,
    /// More than `MAX_PERIODS` periods have history: the later ones are left out.
    pub truncated: bool,
}

/// Is there a day of the history (with logged-on times or not) in `lo..=hi`?
fn has_history(logons: &Logons, lo: NaiveDate, hi: NaiveDate) -> bool {
    let first = logons.days.partition_point(|d| d.date < lo);
    logons.days.get(first).is_some_and(|d| d.date <= hi) || logons.lacking.iter().any(|d| *d >= lo && *d <= hi)
}

fn range(input: &EstimateInput<'_>, start_day: u32) -> Range {
    let logons = input.logons;
    // The history's first and last day within the range asked for.
    let in_range = |d: &NaiveDate| *d >= input.from && *d <= input.to;
    let days = logons.days.iter().map(|d| d.date).chain(logons.lacking.iter().copied());
    let first = days.clone().filter(in_range).min();
    let last = days.filter(in_range).max();
    let mut out = Range {
        from: input.from,
        to: input.to,
        empty: true,
        cut: false,
        periods: Vec::new(),
        without_history: 0,
        truncated: false,
    };
    let (Some(first), Some(last)) = (first, last) else {
        return out;
    };
    if first > last {
        return out;
    }
    out.empty = false;
    out.cut = first > input.from || last < input.to;
    out.from = first.max(input.from);
    out.to = last.min(input.to);
    let mut day = Some(out.from);
    while let Some(d) = day.filter(|d| *d <= out.to) {
        let Some((start, end)) = billing_period(d, start_day) else {
            break;
        };
        if has_history(logons, start.max(out.from), end.min(out.to)) {
            if out.periods.len() == MAX_PERIODS {
                out.truncated = true;
                break;
            }
            out.periods.push((start, end));
        } else {
            out.without_history += 1;
        }
        day = dates::next_day(end).ok();
    }
    out
}

/// The estimate. `progress(done, total)` is told after each period.
pub fn estimate(input: &EstimateInput<'_>, progress: &dyn Fn(usize, usize)) -> CloudEstimate {
    let ws = input.ws;
    let rules = input.settings.mapping_in_force();
    let prices = input.settings.prices.as_ref();
    let compiled = Compiled::new(&rules, prices);
    let Assigned {
        assignments,
        rule_users,
        mut unmatched,
        user_assignments,
        add_on_only,
    } = assign_users(ws, &rules, &compiled);
    let logons = input.logons;
    let users = history_users(logons, ws, &assignments);
    let plan = Plan::new(ws, &input.settings.waves);
    let start_day = prices.map_or(1, CloudPrices::start_day);
    let range = range(input, start_day);
    // PureConnect's figures are only set against Genesys Cloud's in one
    // currency: a sum or difference of two currencies means nothing.
    let pc_currency = ws.price_list.as_ref().map(|pl| pl.currency.trim().to_string());
    let same_currency = match (prices, &pc_currency) {
        (Some(p), Some(c)) => p.currency.trim().eq_ignore_ascii_case(c),
        _ => true,
    };
    let mut out = CloudEstimate {
        note: ESTIMATE_NOTE,
        assignments: user_assignments,
        add_on_only,
        currency: prices.map(|p| p.currency.trim().to_string()),
        pureconnect_currency: pc_currency,
        prices_missing: prices.is_none(),
        billing_start_day: start_day,
        from: range.from,
        to: range.to,
        periods_without_history: range.without_history,
        ..Default::default()
    };
    let mut minutes = vec![0u64; users.len()];
    let mut seen_unknown = vec![false; users.len()];
    let mut seen_uncosted = vec![false; users.len()];
    let mut all = MinuteCounts::default();
    let mut moved_counts = MinuteCounts::default();
    let mut unpriced: BTreeMap<Model, Vec<CloudLicense>> = BTreeMap::new();
    let mut pc_unpriced: Vec<String> = Vec::new();
    for (i, (start, end)) in range.periods.iter().copied().enumerate() {
        let lo = start.max(range.from);
        let hi = end.min(range.to);
        let first = logons.days.partition_point(|d| d.date < lo);
        let last = logons.days.partition_point(|d| d.date <= hi);
        let days = &logons.days[first..last];
        let span_days = usize::try_from((hi - lo).num_days() + 1).unwrap_or(0);
        let room = span_days * usize::from(MINUTES_PER_DAY);
        all.reset(room);
        moved_counts.reset(room);
        let moved = |u: &HistUser| u.ws_pos.is_some_and(|p| plan.moved(p, start));
        let touched = add_days(days, lo, &users, &mut minutes, (&mut all, &mut moved_counts), &moved);
        let unmatched_logged_on = note_unmatched(
            &touched,
            &users,
            &logons.names,
            (&mut seen_uncosted, &mut seen_unknown),
            &mut unmatched,
        );
        let full = count(&touched, &users, &minutes, &logons.names, &all, |_| true);
        let moved_only = count(&touched, &users, &minutes, &logons.names, &moved_counts, |u| moved(u));
        let days_with_logons = days.len() as u64;
        // Genesys bills whole periods: a part of one (the range or the
        // history cuts it, or days lack logged-on times) is counted, not
        // costed. A period reaching past the calendar's last day is a part.
        let in_calendar = start >= dates::EARLIEST && end <= dates::LATEST;
        let whole = lo == start && hi == end && in_calendar;
        let complete = whole && days_with_logons == span_days as u64;
        let not_costed = not_costed_why(whole, complete, (lo, hi), span_days as u64, days_with_logons);
        let costed = complete;
        let started = plan.move_date.iter().any(|d| d.is_some_and(|d| d <= start));
        let (mut costs, mut by_license, overage) = price(&full, prices, &mut unpriced);
        let mut moved_costs = if started {
            price(&moved_only, prices, &mut BTreeMap::new()).0
        } else {
            // Nobody has moved yet: nothing is paid to Genesys Cloud.
            let zero = prices.map(|_| Cents(0));
            ModelCosts::same(zero)
        };
        let pc = ws.price_list.as_ref().filter(|_| costed).and_then(|pl| {
            let input = PcInput {
                ws,
                logons,
                users: &users,
                plan: &plan,
            };
            pureconnect_costs(pl, &input, (lo, hi), start, &mut pc_unpriced)
        });
        if !costed {
            costs = ModelCosts::default();
            moved_costs = ModelCosts::default();
            uncost(&mut by_license);
        }
        let difference = difference(&costs, pc.map(|p| p.0).filter(|_| same_currency));
        // Nobody with a level logged on: the models have nothing to compare
        // but the contract, and the users who did log on are not costed.
        let cheapest = if full.users > 0 { costs.cheapest() } else { None };
        out.periods.push(CloudPeriod {
            start: start.max(dates::EARLIEST),
            end: end.min(dates::LATEST),
            days: span_days as u64,
            days_with_logons,
            complete,
            costed,
            not_costed,
            named_users: full.users,
            named: license_map(&full.named),
            concurrent: license_map(&full.concurrent),
            concurrent_peak: full.peak.0,
            concurrent_peak_minutes: full.peak.1,
            hours: hours_per_license(&full),
            hours_logged_in: Hours(full.user_minutes),
            cost: PeriodCosts {
                named: costs.named,
                concurrent: costs.concurrent,
                hourly: costs.hourly,
                pureconnect: pc.map(|p| p.0),
            },
            cheapest,
            difference,
            overage,
            by_license,
            unmatched_logged_on,
            phased: PhasedPeriod {
                moved_users: moved_only.users,
                staying_users: full.users - moved_only.users,
                genesys_cloud: moved_costs,
                pureconnect: pc.map(|p| p.1),
                total: None,
            },
        });
        for &u in &touched {
            minutes[u as usize] = 0;
        }
        progress(i + 1, range.periods.len());
    }
    out.users_not_costed = seen_uncosted.iter().filter(|s| **s).count() as u64;
    finish(
        &mut out,
        &Context {
            input,
            rules: &rules,
            rule_users: &rule_users,
            plan: &plan,
            range: &range,
            same_currency,
            pc_unpriced,
        },
        unmatched,
        unpriced,
    );
    out
}

/// The history's users, each with its place in the workspace (if it has
/// it) and the license the mapping gives it there.
fn history_users(logons: &Logons, ws: &Workspace, assignments: &[Assignment]) -> Vec<HistUser> {
    logons
        .names
        .iter()
        .map(|name| {
            let ws_pos = ws.user_pos(name);
            HistUser {
                assignment: ws_pos.map(|p| assignments[p]).unwrap_or_default(),
                ws_pos,
            }
        })
        .collect()
}

/// Each model's cost less PureConnect's (`pc`, none when unknown or in
/// another currency).
fn difference(costs: &ModelCosts, pc: Option<Cents>) -> ModelCosts {
    let mut difference = ModelCosts::default();
    for m in Model::ALL {
        let d = match (costs.get(m), pc) {
            (Some(c), Some(p)) => Some(Cents(c.0.saturating_sub(p.0))),
            _ => None,
        };
        difference.set(m, d);
    }
    difference
}

/// The users of a period no level rule matched: counted, marked as not
/// costed, and (once) named when the workspace does not have them.
fn note_unmatched(
    touched: &[u32],
    users: &[HistUser],
    names: &[String],
    (seen_uncosted, seen_unknown): (&mut [bool], &mut [bool]),
    unmatched: &mut Vec<String>,
) -> u64 {
    let mut unmatched_logged_on = 0;
    for &u in touched {
        let ui = u as usize;
        let user = &users[ui];
        if user.assignment.level.is_none() {
            unmatched_logged_on += 1;
            seen_uncosted[ui] = true;
            if user.ws_pos.is_none() && !seen_unknown[ui] {
                seen_unknown[ui] = true;
                unmatched.push(names[ui].clone());
            }
        }
    }
    unmatched_logged_on
}

/// Hours logged on per license, those with any.
fn hours_per_license(full: &Counts) -> BTreeMap<String, Hours> {
    CloudLicense::ALL
        .into_iter()
        .filter(|l| full.minutes[l.index()] > 0)
        .map(|l| (l.code().to_string(), Hours(full.minutes[l.index()])))
        .collect()
}

/// Adds the logged-on minutes of `days` (from `lo`) to each user's total
/// and, for CX users, to the minute counts (all, and of those moved);
/// gives the users seen, in the order first seen.
fn add_days(
    days: &[crate::analysis::history::logons::DayLogons],
    lo: NaiveDate,
    users: &[HistUser],
    minutes: &mut [u64],
    (all, moved_counts): (&mut MinuteCounts, &mut MinuteCounts),
    moved: &dyn Fn(&HistUser) -> bool,
) -> Vec<u32> {
    let mut touched: Vec<u32> = Vec::new();
    for d in days {
        let offset = usize::try_from((d.date - lo).num_days()).unwrap_or(0) * usize::from(MINUTES_PER_DAY);
        for (u, spans) in d.iter() {
            let ui = u as usize;
            let Some(user) = users.get(ui) else { continue };
            let total: u64 = spans.iter().map(|[a, b]| u64::from(b - a)).sum();
            if minutes[ui] == 0 {
                touched.push(u);
            }
            minutes[ui] += total;
            if user.cx() {
                let is_moved = moved(user);
                for [a, b] in spans {
                    let (a, b) = (offset + usize::from(*a), offset + usize::from(*b));
                    all.add(a, b);
                    if is_moved {
                        moved_counts.add(a, b);
                    }
                }
            }
        }
    }
    touched
}

/// What PureConnect's side of a period reads: the site, its history's
/// users and the phased move.
struct PcInput<'a> {
    ws: &'a Workspace,
    logons: &'a Logons,
    users: &'a [HistUser],
    plan: &'a Plan,
}

/// PureConnect's cost of a period from the site's price list (all of it,
/// and the users staying), or none when a category has no price (named in
/// `pc_unpriced`).
fn pureconnect_costs(
    pl: &crate::model::workspace::PriceList,
    input: &PcInput<'_>,
    (lo, hi): (NaiveDate, NaiveDate),
    start: NaiveDate,
    pc_unpriced: &mut Vec<String>,
) -> Option<(Cents, Cents)> {
    let PcInput {
        ws,
        logons,
        users,
        plan,
    } = *input;
    let moved = |u: &HistUser| u.ws_pos.is_some_and(|p| plan.moved(p, start));
    let cats = logons.categories_between(lo, hi);
    let named = cats.iter().map(|(u, set)| (logons.names[*u as usize].as_str(), *set));
    let whole = cost::estimate(pl, [(lo, named)], ws);
    let staying = cats
        .iter()
        .filter(|(u, _)| !moved(&users[*u as usize]))
        .map(|(u, set)| (logons.names[*u as usize].as_str(), *set));
    let stays = |user: &crate::model::workspace::User| ws.user_pos(&user.id).is_none_or(|p| !plan.moved(p, start));
    let part = cost::estimate_where(pl, [(lo, staying)], ws, &stays, !plan.all_moved(start));
    // A category counted without a price makes PureConnect's cost
    // unknown (docs/cost.md charges it 0; here it would be compared).
    let missing: Vec<String> = whole
        .unpriced_categories
        .iter()
        .chain(&part.unpriced_categories)
        .cloned()
        .collect();
    for c in &missing {
        if !pc_unpriced.contains(c) {
            pc_unpriced.push(c.clone());
        }
    }
    (missing.is_empty()).then_some((whole.total, part.total))
}

/// Each workspace user's Genesys Cloud license by the mapping, with what
/// the estimate says of it.
struct Assigned {
    assignments: Vec<Assignment>,
    /// Users per rule.
    rule_users: Vec<u64>,
    /// Users no level rule matched.
    unmatched: Vec<String>,
    user_assignments: Vec<UserAssignment>,
    add_on_only: Vec<AddOnOnly>,
}

fn assign_users(ws: &Workspace, rules: &[super::Rule], compiled: &Compiled<'_>) -> Assigned {
    let assignments: Vec<Assignment> = ws.users().iter().map(|u| compiled.assign(ws, u)).collect();
    let mut rule_users = vec![0u64; rules.len()];
    let mut unmatched: Vec<String> = Vec::new();
    let mut user_assignments = Vec::new();
    let mut add_on_only = Vec::new();
    for (u, a) in ws.users().iter().zip(&assignments) {
        // The add-on rules count their users whether or not a level rule
        // matched too (a user with add-ons only is named below).
        let mut add_on_rules = Vec::new();
        for add_on in a.add_ons() {
            if let Some(r) = compiled.add_on_rule(ws, u, add_on) {
                rule_users[r] += 1;
                add_on_rules.push(rules[r].name.trim().to_string());
            }
        }
        match a.level {
            Some((level, r)) => {
                rule_users[r] += 1;
                user_assignments.push(UserAssignment {
                    user: u.id.clone(),
                    license: level.code(),
                    rule: rules[r].name.trim().to_string(),
                    add_ons: a.add_ons().map(CloudLicense::code).collect(),
                });
            }
            None => {
                unmatched.push(u.id.clone());
                if !add_on_rules.is_empty() {
                    add_on_only.push(AddOnOnly {
                        user: u.id.clone(),
                        rules: add_on_rules,
                    });
                }
            }
        }
    }
    user_assignments.sort_unstable_by(|a, b| a.user.cmp(&b.user));
    add_on_only.sort_unstable_by(|a, b| a.user.cmp(&b.user));
    Assigned {
        assignments,
        rule_users,
        unmatched,
        user_assignments,
        add_on_only,
    }
}

/// Why a period is counted and not costed: only part of it is in the
/// range, or some of its days have no logged-on times.
fn not_costed_why(
    whole: bool,
    complete: bool,
    (lo, hi): (NaiveDate, NaiveDate),
    span_days: u64,
    days_with_logons: u64,
) -> Option<String> {
    if !whole {
        Some(format!(
            "only {lo} to {hi} of this billing period is in the estimate's range"
        ))
    } else if !complete {
        Some(format!(
            "{} of its {} days {} no logged-on times in the usage history",
            span_days - days_with_logons,
            span_days,
            if span_days - days_with_logons == 1 {
                "has"
            } else {
                "have"
            }
        ))
    } else {
        None
    }
}

/// Named, concurrent and minutes per license over the users `keep` keeps.
fn count(
    touched: &[u32],
    users: &[HistUser],
    minutes: &[u64],
    names: &[String],
    counts: &MinuteCounts,
    keep: impl Fn(&HistUser) -> bool,
) -> Counts {
    let mut c = Counts::default();
    let mut pool: Vec<(u64, &str, Assignment)> = Vec::new();
    for &u in touched {
        let user = &users[u as usize];
        let Some((level, _)) = user.assignment.level else {
            continue;
        };
        if !keep(user) {
            continue;
        }
        let m = minutes[u as usize];
        c.users += 1;
        c.user_minutes += m;
        for l in std::iter::once(level).chain(user.assignment.add_ons()) {
            c.named[l.index()] += 1;
            c.minutes[l.index()] += m;
        }
        if level.is_cx() {
            pool.push((m, names[u as usize].as_str(), user.assignment));
        }
    }
    c.peak = counts.billable_peak();
    concurrent::charged(&mut pool, c.peak.0);
    for (_, _, a) in &pool {
        if let Some((level, _)) = a.level {
            for l in std::iter::once(level).chain(a.add_ons()) {
                c.concurrent[l.index()] += 1;
            }
        }
    }
    c
}
