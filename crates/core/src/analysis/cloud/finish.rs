//! After the periods: the totals over the costed periods, the phased plan,
//! the mapping's use, and what the reader must know to read the figures
//! (`notes`, most important first) and the assumptions in force.

use std::collections::BTreeMap;

use super::estimate::{EstimateInput, Range};
use super::output::*;
use super::pricing::sum;
use super::waves::Plan;
use super::{CloudLicense, Model, Rule, listing};
use crate::analysis::cost::Cents;
use crate::model::text::count;

/// What `finish` reads besides the estimate.
pub(super) struct Context<'a> {
    pub input: &'a EstimateInput<'a>,
    pub rules: &'a [Rule],
    pub rule_users: &'a [u64],
    pub plan: &'a Plan,
    pub range: &'a Range,
    /// The PureConnect price list and the Genesys Cloud prices are in one
    /// currency (or one of them is missing).
    pub same_currency: bool,
    /// PureConnect categories counted without a price.
    pub pc_unpriced: Vec<String>,
}

/// Takes a saturated amount out (it is larger than can be held, so
/// unknown); says whether it did.
fn forget_saturated(c: &mut Option<Cents>) -> bool {
    let saturated = c.is_some_and(Cents::is_saturated);
    if saturated {
        *c = None;
    }
    saturated
}

/// Totals, the phased plan, the mapping's use, notes and assumptions.
pub(super) fn finish(
    out: &mut CloudEstimate,
    cx: &Context<'_>,
    mut unmatched: Vec<String>,
    unpriced: BTreeMap<Model, Vec<CloudLicense>>,
) {
    // An amount at the edge of what can be held is larger than shown: it
    // is unknown, and said (a trial found such totals shown as figures).
    let mut too_large = false;
    for p in &mut out.periods {
        for c in [
            &mut p.cost.named,
            &mut p.cost.concurrent,
            &mut p.cost.hourly,
            &mut p.cost.pureconnect,
            &mut p.difference.named,
            &mut p.difference.concurrent,
            &mut p.difference.hourly,
        ] {
            too_large |= forget_saturated(c);
        }
        if Model::ALL.into_iter().any(|m| p.cost.get(m).is_none()) {
            p.cheapest = None;
        }
    }
    // Only whole periods are costed; a sum with an unknown part is unknown.
    let costed = || out.periods.iter().filter(|p| p.costed);
    let mut totals = Totals {
        named: sum(costed().map(|p| p.cost.named)),
        concurrent: sum(costed().map(|p| p.cost.concurrent)),
        hourly: sum(costed().map(|p| p.cost.hourly)),
        pureconnect: sum(costed().map(|p| p.cost.pureconnect)),
        cheapest: None,
        periods: costed().count() as u64,
        from: costed().next().map(|p| p.start),
        to: costed().next_back().map(|p| p.end),
    };
    for c in [
        &mut totals.named,
        &mut totals.concurrent,
        &mut totals.hourly,
        &mut totals.pureconnect,
    ] {
        too_large |= forget_saturated(c);
    }
    // No user with a level logged on: nothing to compare but contracts.
    let anyone = costed().any(|p| p.named_users > 0);
    let model_totals = ModelCosts {
        named: totals.named,
        concurrent: totals.concurrent,
        hourly: totals.hourly,
    };
    if anyone {
        totals.cheapest = model_totals.cheapest();
    }
    out.totals = totals;
    // The phased plan is priced with the cheapest model, or, while a
    // model's cost is unknown, the cheapest of those known (its `model`
    // names it, and a note says why it is not called the cheapest).
    let model = if anyone { model_totals.cheapest_priced() } else { None };
    for p in out.periods.iter_mut().filter(|p| p.costed) {
        let cloud = model.and_then(|m| p.phased.genesys_cloud.get(m));
        p.phased.total = match (cloud, p.phased.pureconnect) {
            (Some(c), Some(pc)) if cx.same_currency => Some(c + pc),
            _ => None,
        };
    }
    let costed = || out.periods.iter().filter(|p| p.costed);
    out.phased = PhasedTotals {
        model,
        pureconnect: sum(costed().map(|p| p.phased.pureconnect)),
        genesys_cloud: sum(costed().map(|p| model.and_then(|m| p.phased.genesys_cloud.get(m)))),
        total: sum(costed().map(|p| p.phased.total)),
    };
    let settings = cx.input.settings;
    out.waves = settings
        .waves
        .iter()
        .zip(&cx.plan.users)
        .map(|(w, users)| WaveUse {
            name: w.name.trim().to_string(),
            date: w.date,
            users: users.clone(),
        })
        .collect();
    out.mapping = cx
        .rules
        .iter()
        .zip(cx.rule_users)
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
    out.days_without_logons = cx.input.logons.lacking.clone();
    if let (Some(first), Some(last)) = (out.days_without_logons.first(), out.days_without_logons.last()) {
        let n = out.days_without_logons.len();
        out.days_without_logons_note = Some(format!(
            "{} of the history ({first} to {last}) {} imported before it kept logged-on times: the Genesys Cloud \
             counts leave {} out. Import {} events again (Usage History › Import events, or the command \
             line's history import).",
            count(n, "day", "days"),
            if n == 1 { "was" } else { "were" },
            if n == 1 { "it" } else { "them" },
            if n == 1 { "its" } else { "their" },
        ));
    }
    out.missing_prices = unpriced
        .iter()
        .map(|(m, ls)| (m.code(), ls.iter().map(|l| l.code()).collect()))
        .collect();
    // A price the estimate needs is missing: no price list, or a license
    // in use without a price under a model.
    out.prices_missing = settings.prices.is_none() || !unpriced.is_empty();
    if settings.prices.is_none() {
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
    out.notes = notes(out, cx);
    if too_large {
        out.notes.insert(
            0,
            "Some amounts are too large to compute (above 92 thousand trillion in cents): they are not given, nor \
             any total or comparison they are in. Check the prices and contracted quantities."
                .to_string(),
        );
    }
    out.assumptions = assumptions(cx.input, cx.rules);
}

/// What the reader must know, most important first.
fn notes(out: &CloudEstimate, cx: &Context<'_>) -> Vec<String> {
    let mut notes = Vec::new();
    let ws = cx.input.ws;
    // Users left out of the Genesys Cloud figures.
    if out.users_not_costed > 0 {
        if cx.rules.is_empty() {
            notes.push(
                "The mapping has no rules: no user has a Genesys Cloud level, so nothing is costed on Genesys Cloud \
                 and no model is the cheapest. Add rules (or go back to the default mapping)."
                    .to_string(),
            );
        } else {
            notes.push(format!(
                "{} who logged on {} no Genesys Cloud level (they match no rule): the Genesys Cloud figures leave \
                 them out while PureConnect's cost counts them, so the comparison is incomplete. Add rules for \
                 them (see the users who match no rule).",
                count(out.users_not_costed as usize, "user", "users"),
                if out.users_not_costed == 1 { "has" } else { "have" }
            ));
        }
    }
    if !out.add_on_only.is_empty() {
        let mut rules: Vec<String> = out.add_on_only.iter().flat_map(|a| a.rules.iter().cloned()).collect();
        rules.sort_unstable();
        rules.dedup();
        let quoted: Vec<String> = rules.iter().map(|r| format!("“{r}”")).collect();
        notes.push(format!(
            "{} {} only an add-on rule ({}): an add-on comes on top of a Genesys Cloud level, so they have no \
             level and are not costed. Give them a level with another rule.",
            count(out.add_on_only.len(), "user", "users"),
            if out.add_on_only.len() == 1 { "matches" } else { "match" },
            listing(&quoted),
        ));
    }
    // A model whose cost is unknown may be the cheapest: none is named.
    let t = &out.totals;
    let unknown: Vec<String> = Model::ALL
        .into_iter()
        .filter(|m| t.get(*m).is_none())
        .map(|m| m.label().to_lowercase())
        .collect();
    if cx.input.settings.prices.is_some()
        && t.periods > 0
        && t.cheapest.is_none()
        && unknown.len() < 3
        && let Some(m) = out.phased.model
    {
        notes.push(format!(
            "No model is called the cheapest: the {} cost is unknown (see the prices missing), and it could be the \
             cheapest. Of the models with a known cost, {} is the lowest{}.",
            listing(&unknown),
            m.label().to_lowercase(),
            if cx.input.settings.waves.is_empty() {
                ""
            } else {
                "; the phased move is priced with it"
            }
        ));
    }
    range_notes(out, cx, &mut notes);
    // PureConnect's side.
    if let (false, Some(gc), Some(pc)) = (cx.same_currency, &out.currency, &out.pureconnect_currency) {
        notes.push(format!(
            "The PureConnect price list is in {pc} and the Genesys Cloud prices in {gc}: the two are shown side by \
             side, never subtracted or added (no difference, no cost of running both). Enter both in one \
             currency to compare."
        ));
    }
    if !cx.pc_unpriced.is_empty() {
        let labels: Vec<String> = cx
            .pc_unpriced
            .iter()
            .map(|c| {
                crate::model::catalog::BillingCategory::from_code(c)
                    .map_or(c.as_str(), |c| c.label())
                    .to_string()
            })
            .collect();
        notes.push(format!(
            "The PureConnect price list has no price for {}: PureConnect's cost is not given, nor any comparison \
             with it.",
            listing(&labels)
        ));
    }
    if !cx.input.settings.waves.is_empty() && out.totals.periods > 0 && out.phased.total.is_none() {
        let why = if ws.price_list.is_none() {
            "PureConnect's cost is unknown (the workspace has no PureConnect price list)"
        } else if !cx.same_currency {
            "the two systems' prices are in different currencies"
        } else if out.phased.pureconnect.is_none() {
            "PureConnect's cost is unknown in some period"
        } else {
            "Genesys Cloud's cost is unknown (no model is fully priced)"
        };
        notes.push(format!("The cost of running both systems is not given: {why}."));
    }
    name_notes(cx, &mut notes);
    notes
}

/// Periods counted but not costed, and the range asked for.
fn range_notes(out: &CloudEstimate, cx: &Context<'_>, notes: &mut Vec<String>) {
    // Periods counted but not costed, and the range.
    let range = cx.range;
    if range.empty {
        notes.push(format!(
            "The usage history has no days from {} to {}: there is nothing to estimate.",
            cx.input.from, cx.input.to
        ));
    } else if range.cut {
        notes.push(format!(
            "The usage history has days from {} to {} only: the estimate covers those, not {} to {}.",
            range.from, range.to, cx.input.from, cx.input.to
        ));
    }
    // A part of a period is the range's doing when the history has days
    // beyond the range's bound inside the period; otherwise the history's.
    let (h_first, h_last) = cx.input.history;
    // Only when the range is the one cause: widening it would make the
    // period whole (a side the history also cuts is the history's).
    let by_range = |p: &CloudPeriod| {
        let start_by_range = p.start < cx.input.from && h_first <= p.start;
        let end_by_range = p.end > cx.input.to && h_last >= p.end;
        let by_history = h_first > p.start || h_last < p.end;
        (start_by_range || end_by_range) && !by_history
    };
    let range_parts: Vec<String> = out
        .periods
        .iter()
        .filter(|p| !p.costed && by_range(p))
        .map(|p| format!("{} to {}", p.start, p.end))
        .collect();
    let parts: Vec<String> = out
        .periods
        .iter()
        .filter(|p| !p.costed && !by_range(p))
        .map(|p| format!("{} to {}", p.start, p.end))
        .collect();
    if !range_parts.is_empty() {
        notes.push(format!(
            "{} ({}) {} only partly in the range of days asked for ({} to {}): counted but not costed, and left \
             out of the totals and the cheapest model (Genesys bills whole billing periods). Widen the range to \
             whole periods to cost {}.",
            count(range_parts.len(), "billing period", "billing periods"),
            listing(&range_parts),
            if range_parts.len() == 1 { "is" } else { "are" },
            cx.input.from,
            cx.input.to,
            if range_parts.len() == 1 { "it" } else { "them" },
        ));
    }
    if !out.periods.is_empty() && out.totals.periods == 0 && range_parts.is_empty() {
        notes.push(format!(
            "No billing period is wholly in the usage history, so nothing is costed: Genesys bills whole billing \
             periods ({}). The counts are shown; import the events of whole periods to compare costs.",
            if out.billing_start_day == 1 {
                "calendar months".to_string()
            } else {
                format!("from day {} of each month", out.billing_start_day)
            }
        ));
    } else if !parts.is_empty() {
        notes.push(format!(
            "{} ({}) {} only partly in the usage history: counted but not costed, and left out of the totals and \
             the cheapest model (Genesys bills whole billing periods).",
            count(parts.len(), "billing period", "billing periods"),
            listing(&parts),
            if parts.len() == 1 { "is" } else { "are" }
        ));
    }
    if range.without_history > 0 {
        notes.push(format!(
            "{} of the range {} no day of usage history: left out.",
            count(range.without_history as usize, "billing period", "billing periods"),
            if range.without_history == 1 { "has" } else { "have" }
        ));
    }
    if range.truncated {
        notes.push(format!(
            "The range holds more than {} billing periods with usage history: the estimate stops at {}. Give a \
             shorter range.",
            super::estimate::MAX_PERIODS,
            out.periods.last().map_or(range.to, |p| p.end)
        ));
    }
}

/// Names the rules give that the workspace does not have (roles,
/// workgroups).
fn name_notes(cx: &Context<'_>, notes: &mut Vec<String>) {
    let ws = cx.input.ws;
    let roles: Vec<String> = crate::model::workspace::roles::roles(ws)
        .into_iter()
        .map(|r| r.name.to_lowercase())
        .collect();
    // The shipped rows are generic (a site without supervisors keeps the
    // Supervisor role row): only the site's own rows are looked at.
    let shipped = super::default_mapping();
    for (r, n) in cx.rules.iter().zip(cx.rule_users) {
        if *n > 0 || shipped.iter().any(|d| d.when == r.when) {
            continue;
        }
        let unknown_roles: Vec<String> = r
            .when
            .roles_any
            .iter()
            .filter(|x| !roles.contains(&x.trim().to_lowercase()))
            .map(|x| format!("“{}”", x.trim()))
            .collect();
        let unknown_groups: Vec<String> = r
            .when
            .workgroups_any
            .iter()
            .filter(|g| ws.workgroup(g.trim()).is_none())
            .map(|g| format!("“{}”", g.trim()))
            .collect();
        if !unknown_roles.is_empty() {
            notes.push(format!(
                "Rule “{}” names the role {}, which no user holds: it matches nobody.",
                r.name.trim(),
                listing(&unknown_roles)
            ));
        }
        if !unknown_groups.is_empty() {
            notes.push(format!(
                "Rule “{}” names the workgroup {}, which is not in the workspace: it matches nobody.",
                r.name.trim(),
                listing(&unknown_groups)
            ));
        }
    }
    notes.extend(cx.plan.notes.iter().cloned());
}

/// The assumptions in force: the estimate's own, then the mapping's rows
/// marked as assumptions.
fn assumptions(input: &EstimateInput<'_>, rules: &[Rule]) -> Vec<Assumption> {
    let a = |rule: &str, text: &str| Assumption {
        rule: rule.to_string(),
        text: text.to_string(),
    };
    let mut out = vec![
        a(
            "Whole billing periods",
            "Only a whole billing period with usage history on every day is costed: Genesys bills whole periods, \
             and part of one says nothing of its bill (a user logging on in the rest of it would be billed too). \
             Parts of periods are counted, not costed, and left out of the totals.",
        ),
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
    for r in rules.iter().filter(|r| r.assumption) {
        out.push(a(r.name.trim(), r.reason.trim()));
    }
    out
}
