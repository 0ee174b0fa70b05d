//! The estimate: per Genesys Cloud billing period of the usage history,
//! billable named users per license, the billable concurrent peak (the
//! pool rule, `concurrent.rs`), hours logged in, the cost under each model
//! with overage against the contract, the cheapest model, today's
//! PureConnect cost for the same days, and the phased move. One function,
//! used by the CLI and the GUI.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::concurrent::{self, MinuteCounts};
use super::mapping::{Assignment, Compiled};
use super::output::*;
use super::prices::{CloudPrices, billing_period};
use super::waves::Plan;
use super::{CloudLicense, CloudSettings, ESTIMATE_NOTE, Model};
use crate::core::cost::{self, Cents};
use crate::core::history::logons::{Logons, MINUTES_PER_DAY};
use crate::core::workspace::Workspace;

const N: usize = CloudLicense::ALL.len();

/// What the estimate reads.
pub struct EstimateInput<'a> {
    pub ws: &'a Workspace,
    /// The mapping, prices and waves in force (the workspace's, or files').
    pub settings: &'a CloudSettings,
    /// The history's logged-on minutes and categories for `from..=to`.
    pub logons: &'a Logons,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Per license: named users, concurrent users charged, minutes logged on.
#[derive(Debug, Clone, Default)]
struct Counts {
    named: [u64; N],
    concurrent: [u64; N],
    minutes: [u64; N],
    peak: (u64, u64),
    users: u64,
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

/// The estimate. `progress(done, total)` is told after each period.
pub fn estimate(input: &EstimateInput<'_>, progress: &dyn Fn(usize, usize)) -> CloudEstimate {
    let ws = input.ws;
    let rules = input.settings.mapping_in_force();
    let prices = input.settings.prices.as_ref();
    let compiled = Compiled::new(&rules, prices);
    let assignments: Vec<Assignment> = ws.users().iter().map(|u| compiled.assign(ws, u)).collect();
    let mut rule_users = vec![0u64; rules.len()];
    let mut unmatched: Vec<String> = Vec::new();
    let mut user_assignments = Vec::new();
    for (u, a) in ws.users().iter().zip(&assignments) {
        match a.level {
            Some((level, r)) => {
                rule_users[r] += 1;
                user_assignments.push(UserAssignment {
                    user: u.id.clone(),
                    license: level.code(),
                    rule: rules[r].name.trim().to_string(),
                    add_ons: a.add_ons().map(CloudLicense::code).collect(),
                });
                for add_on in a.add_ons() {
                    if let Some(r) = compiled.add_on_rule(ws, u, add_on) {
                        rule_users[r] += 1;
                    }
                }
            }
            None => unmatched.push(u.id.clone()),
        }
    }
    user_assignments.sort_unstable_by(|a, b| a.user.cmp(&b.user));
    let logons = input.logons;
    let users: Vec<HistUser> = logons
        .names
        .iter()
        .map(|name| {
            let ws_pos = ws.user_pos(name);
            HistUser {
                assignment: ws_pos.map(|p| assignments[p]).unwrap_or_default(),
                ws_pos,
            }
        })
        .collect();
    let plan = Plan::new(ws, &input.settings.waves);
    let start_day = prices.map_or(1, CloudPrices::start_day);
    let mut periods_list = Vec::new();
    let mut day = Some(input.from);
    while let Some(d) = day.filter(|d| *d <= input.to) {
        let Some((start, end)) = billing_period(d, start_day) else {
            break;
        };
        periods_list.push((start, end));
        day = crate::core::dates::next_day(end).ok();
    }
    let mut out = CloudEstimate {
        note: ESTIMATE_NOTE,
        assignments: user_assignments,
        currency: prices.map(|p| p.currency.trim().to_string()),
        prices_missing: prices.is_none(),
        billing_start_day: start_day,
        from: input.from,
        to: input.to,
        ..Default::default()
    };
    let mut minutes = vec![0u64; users.len()];
    let mut seen_unknown = vec![false; users.len()];
    let mut all = MinuteCounts::default();
    let mut moved_counts = MinuteCounts::default();
    let mut unpriced: BTreeMap<Model, Vec<CloudLicense>> = BTreeMap::new();
    for (i, (start, end)) in periods_list.iter().copied().enumerate() {
        let lo = start.max(input.from);
        let hi = end.min(input.to);
        let first = logons.days.partition_point(|d| d.date < lo);
        let last = logons.days.partition_point(|d| d.date <= hi);
        let days = &logons.days[first..last];
        let span_days = usize::try_from((hi - lo).num_days() + 1).unwrap_or(0);
        let room = span_days * usize::from(MINUTES_PER_DAY);
        all.reset(room);
        moved_counts.reset(room);
        let moved = |u: &HistUser| u.ws_pos.is_some_and(|p| plan.moved(p, start));
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
        let mut unmatched_logged_on = 0;
        for &u in &touched {
            let user = &users[u as usize];
            if user.assignment.level.is_none() {
                unmatched_logged_on += 1;
                if user.ws_pos.is_none() && !seen_unknown[u as usize] {
                    seen_unknown[u as usize] = true;
                    unmatched.push(logons.names[u as usize].clone());
                }
            }
        }
        let full = count(&touched, &users, &minutes, &logons.names, &all, |_| true);
        let moved_only = count(&touched, &users, &minutes, &logons.names, &moved_counts, |u| moved(u));
        let started = plan.move_date.iter().any(|d| d.is_some_and(|d| d <= start));
        let (costs, by_license, overage) = price(&full, prices, &mut unpriced);
        let (moved_costs, _, _) = if started {
            price(&moved_only, prices, &mut BTreeMap::new())
        } else {
            let zero = prices.map(|_| Cents(0));
            (
                ModelCosts {
                    named: zero,
                    concurrent: zero,
                    hourly: zero,
                },
                BTreeMap::new(),
                BTreeMap::new(),
            )
        };
        let pc = ws.price_list.as_ref().map(|pl| {
            let cats = logons.categories_between(lo, hi);
            let named = cats.iter().map(|(u, set)| (logons.names[*u as usize].as_str(), *set));
            let whole = cost::estimate(pl, [(lo, named)], ws).total;
            let staying = cats
                .iter()
                .filter(|(u, _)| !moved(&users[*u as usize]))
                .map(|(u, set)| (logons.names[*u as usize].as_str(), *set));
            let stays =
                |user: &crate::core::workspace::User| ws.user_pos(&user.id).is_none_or(|p| !plan.moved(p, start));
            let part = cost::estimate_where(pl, [(lo, staying)], ws, &stays, !plan.all_moved(start)).total;
            (whole, part)
        });
        let mut difference = ModelCosts::default();
        for m in Model::ALL {
            let d = match (costs.get(m), pc) {
                (Some(c), Some((p, _))) => Some(Cents(c.0.saturating_sub(p.0))),
                _ => None,
            };
            difference.set(m, d);
        }
        let days_with_logons = days.len() as u64;
        out.periods.push(CloudPeriod {
            start,
            end,
            days: span_days as u64,
            days_with_logons,
            complete: lo == start && hi == end && days_with_logons == span_days as u64,
            named_users: full.users,
            named: license_map(&full.named),
            concurrent: license_map(&full.concurrent),
            concurrent_peak: full.peak.0,
            concurrent_peak_minutes: full.peak.1,
            hours: CloudLicense::ALL
                .into_iter()
                .filter(|l| full.minutes[l.index()] > 0)
                .map(|l| (l.code().to_string(), Hours(full.minutes[l.index()])))
                .collect(),
            cost: PeriodCosts {
                named: costs.named,
                concurrent: costs.concurrent,
                hourly: costs.hourly,
                pureconnect: pc.map(|p| p.0),
            },
            cheapest: costs.cheapest(),
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
        progress(i + 1, periods_list.len());
    }
    finish(&mut out, input, &rules, &rule_users, &plan, unmatched, unpriced);
    out
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

fn license_map(v: &[u64; N]) -> BTreeMap<String, u64> {
    CloudLicense::ALL
        .into_iter()
        .filter(|l| v[l.index()] > 0)
        .map(|l| (l.code().to_string(), v[l.index()]))
        .collect()
}

type Overage = BTreeMap<&'static str, BTreeMap<String, u64>>;

/// The cost of `c` under each model, per license, and the overage. Under
/// the concurrent and hourly models, Communicate and Collaborate users stay
/// named. A model with a used license that has no price is `None` (and
/// the license is added to `unpriced`).
fn price(
    c: &Counts,
    prices: Option<&CloudPrices>,
    unpriced: &mut BTreeMap<Model, Vec<CloudLicense>>,
) -> (ModelCosts, BTreeMap<String, LicenseLine>, Overage) {
    let mut lines = BTreeMap::new();
    // Every model has its entry (hourly has no contracted quantity, so
    // its map stays empty).
    let mut overage: Overage = Model::ALL.into_iter().map(|m| (m.code(), BTreeMap::new())).collect();
    let Some(p) = prices else {
        for l in CloudLicense::ALL {
            let i = l.index();
            if c.named[i] > 0 {
                lines.insert(
                    l.code().to_string(),
                    LicenseLine {
                        named: c.named[i],
                        concurrent: c.concurrent[i],
                        hours: Hours(c.minutes[i]),
                        ..Default::default()
                    },
                );
            }
        }
        return (ModelCosts::default(), lines, overage);
    };
    let mut totals = [Some(Cents(0)); 3];
    for l in CloudLicense::ALL {
        let i = l.index();
        let contracted = p.contracted(l);
        if c.named[i] == 0 && contracted == 0 {
            continue;
        }
        let named_units = c.named[i].max(contracted);
        let cost_of = |model: Model, units: u64| -> Option<Cents> {
            if units == 0 {
                Some(Cents(0))
            } else {
                p.price(l, model).map(|price| price.times(units))
            }
        };
        let named = cost_of(Model::Named, named_units);
        let (concurrent, hourly) = if l.follows_cx() {
            (
                cost_of(Model::Concurrent, c.concurrent[i].max(contracted)),
                cost_of(Model::Hourly, Hours(c.minutes[i]).billed()),
            )
        } else {
            (named, named)
        };
        for (k, (m, v)) in [
            (Model::Named, named),
            (Model::Concurrent, concurrent),
            (Model::Hourly, hourly),
        ]
        .into_iter()
        .enumerate()
        {
            match v {
                Some(v) => totals[k] = totals[k].map(|t| t + v),
                None => {
                    totals[k] = None;
                    let list = unpriced.entry(m).or_default();
                    if !list.contains(&l) {
                        list.push(l);
                    }
                }
            }
        }
        if contracted > 0 {
            overage
                .entry(Model::Named.code())
                .or_default()
                .insert(l.code().to_string(), c.named[i].saturating_sub(contracted));
            let used = if l.follows_cx() { c.concurrent[i] } else { c.named[i] };
            overage
                .entry(Model::Concurrent.code())
                .or_default()
                .insert(l.code().to_string(), used.saturating_sub(contracted));
        }
        lines.insert(
            l.code().to_string(),
            LicenseLine {
                named: c.named[i],
                concurrent: c.concurrent[i],
                hours: Hours(c.minutes[i]),
                contracted,
                named_cost: named,
                concurrent_cost: concurrent,
                hourly_cost: hourly,
            },
        );
    }
    let costs = ModelCosts {
        named: totals[0],
        concurrent: totals[1],
        hourly: totals[2],
    };
    (costs, lines, overage)
}

fn sum(values: impl Iterator<Item = Option<Cents>>) -> Option<Cents> {
    let mut total = Cents(0);
    let mut any = false;
    for v in values {
        total += v?;
        any = true;
    }
    any.then_some(total)
}

/// Totals, the phased plan, the mapping's use and the assumptions in force.
fn finish(
    out: &mut CloudEstimate,
    input: &EstimateInput<'_>,
    rules: &[super::Rule],
    rule_users: &[u64],
    plan: &Plan,
    mut unmatched: Vec<String>,
    unpriced: BTreeMap<Model, Vec<CloudLicense>>,
) {
    let mut totals = Totals {
        named: sum(out.periods.iter().map(|p| p.cost.named)),
        concurrent: sum(out.periods.iter().map(|p| p.cost.concurrent)),
        hourly: sum(out.periods.iter().map(|p| p.cost.hourly)),
        pureconnect: sum(out.periods.iter().map(|p| p.cost.pureconnect)),
        cheapest: None,
    };
    totals.cheapest = ModelCosts {
        named: totals.named,
        concurrent: totals.concurrent,
        hourly: totals.hourly,
    }
    .cheapest();
    out.totals = totals;
    let model = out.totals.cheapest;
    for p in &mut out.periods {
        let cloud = model.and_then(|m| p.phased.genesys_cloud.get(m));
        p.phased.total = match (cloud, p.phased.pureconnect) {
            (Some(c), Some(pc)) => Some(c + pc),
            (Some(c), None) if input.ws.price_list.is_none() => Some(c),
            _ => None,
        };
    }
    out.phased = PhasedTotals {
        model,
        pureconnect: sum(out.periods.iter().map(|p| p.phased.pureconnect)),
        genesys_cloud: sum(out
            .periods
            .iter()
            .map(|p| model.and_then(|m| p.phased.genesys_cloud.get(m)))),
        total: sum(out.periods.iter().map(|p| p.phased.total)),
    };
    out.waves = input
        .settings
        .waves
        .iter()
        .zip(&plan.users)
        .map(|(w, users)| WaveUse {
            name: w.name.trim().to_string(),
            date: w.date,
            users: users.clone(),
        })
        .collect();
    out.notes = plan.notes.clone();
    out.mapping = rules
        .iter()
        .zip(rule_users)
        .map(|(r, n)| RuleUse {
            rule: r.name.trim().to_string(),
            license: r.license.code(),
            license_name: r.license.label(),
            assumption: r.assumption,
            when: r.when.describe(),
            reason: r.reason.trim().to_string(),
            users: *n,
        })
        .collect();
    unmatched.sort_unstable();
    unmatched.dedup();
    out.unmatched_users = unmatched;
    out.days_without_logons = input.logons.lacking.clone();
    if let (Some(first), Some(last)) = (out.days_without_logons.first(), out.days_without_logons.last()) {
        out.days_without_logons_note = Some(format!(
            "{} of the history ({first} to {last}) were imported before it kept logged-on times: the Genesys Cloud \
             counts leave them out. Import their events again (Usage History › Import events, or the command \
             line's history import).",
            crate::core::text::count(out.days_without_logons.len(), "day", "days")
        ));
    }
    if out.prices_missing {
        out.prices_note = Some(
            "No Genesys Cloud prices are entered: the counts are shown, the costs are empty. Enter your prices (in \
             the workspace, or a price list file) to compare the models."
                .into(),
        );
    } else if !unpriced.is_empty() {
        let parts: Vec<String> = unpriced
            .iter()
            .map(|(m, ls)| {
                let names: Vec<&str> = ls.iter().map(|l| l.short()).collect();
                format!("{} ({})", m.label().to_lowercase(), names.join(", "))
            })
            .collect();
        out.prices_note = Some(format!(
            "Some licenses in use have no price, so these models are not costed: {}.",
            parts.join("; ")
        ));
    }
    out.assumptions = assumptions(input, rules, plan);
}

/// The assumptions in force: the estimate's own, then the mapping's rows
/// marked as assumptions.
fn assumptions(input: &EstimateInput<'_>, rules: &[super::Rule], plan: &Plan) -> Vec<Assumption> {
    let a = |rule: &str, text: &str| Assumption {
        rule: rule.to_string(),
        text: text.to_string(),
    };
    let mut out = vec![
        a(
            "Licenses as they are now",
            "Licenses are mapped from the workspace as it is now: the usage history keeps no past allocations, so \
             each user has one Genesys Cloud level for the whole range.",
        ),
        a(
            "Whole minutes",
            "Logged-on time is counted in whole minutes: a user is logged on in a minute when a session is open at \
             any moment of it. Concurrent peaks are counted minute by minute.",
        ),
        a(
            "One region",
            "The site is one Genesys Cloud region: concurrent users are counted in one pool.",
        ),
        a(
            "Hourly Logged In",
            "Hourly is estimated as Hourly Logged In (time online), rounded up to whole hours per license and \
             period: the events carry logons, not time on interactions (Hourly Interacting).",
        ),
        a(
            "Contract and overage",
            "Contracted users are paid every period whether used or not; overage is charged at the same price per \
             user (contracts often charge overage at another rate). The hourly model has no contracted quantity.",
        ),
        a(
            "Add-ons",
            "Add-ons follow the counting model of the user's CX level; Communicate and Collaborate users are \
             named under every model.",
        ),
    ];
    if !input.settings.waves.is_empty() {
        out.push(a(
            "Waves",
            "In each period, users whose wave date is on or before its first day are on Genesys Cloud; the others \
             stay on PureConnect. Genesys Cloud is paid (contract included) from the first wave's period; station \
             licenses stay on PureConnect until every user has moved.",
        ));
    }
    let _ = plan;
    for r in rules.iter().filter(|r| r.assumption) {
        out.push(a(r.name.trim(), r.reason.trim()));
    }
    out
}
