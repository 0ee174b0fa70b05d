//! Pricing a period's counts: the cost under each model per license, the
//! overage against the contract, and sums where an unknown part makes the
//! sum unknown.

use std::collections::BTreeMap;

use super::output::{Hours, LicenseLine, ModelCosts};
use super::prices::CloudPrices;
use super::{CloudLicense, Model};
use crate::analysis::cost::Cents;

pub(super) const N: usize = CloudLicense::ALL.len();

/// Per license: named users, concurrent users charged, minutes logged on;
/// the billable peak; users with a level, and their minutes (each user
/// once, add-ons not again).
#[derive(Debug, Clone, Default)]
pub(super) struct Counts {
    pub named: [u64; N],
    pub concurrent: [u64; N],
    pub minutes: [u64; N],
    pub peak: (u64, u64),
    pub users: u64,
    pub user_minutes: u64,
}

pub(super) fn license_map(v: &[u64; N]) -> BTreeMap<String, u64> {
    CloudLicense::ALL
        .into_iter()
        .filter(|l| v[l.index()] > 0)
        .map(|l| (l.code().to_string(), v[l.index()]))
        .collect()
}

pub(super) type Overage = BTreeMap<&'static str, BTreeMap<String, u64>>;

/// The cost of `c` under each model, per license, and the overage. Under
/// the concurrent and hourly models, Communicate and Collaborate users stay
/// named. A model with a used license that has no price is `None` (and
/// the license is added to `unpriced`).
pub(super) fn price(
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

/// The sum of the values: unknown (`None`) when any of them is, and when
/// there is none.
pub(super) fn sum(values: impl Iterator<Item = Option<Cents>>) -> Option<Cents> {
    let mut total = Cents(0);
    let mut any = false;
    for v in values {
        total += v?;
        any = true;
    }
    any.then_some(total)
}

/// A period's costs with every amount taken out (a period not costed keeps
/// its counts).
pub(super) fn uncost(lines: &mut BTreeMap<String, LicenseLine>) {
    for l in lines.values_mut() {
        l.named_cost = None;
        l.concurrent_cost = None;
        l.hourly_cost = None;
    }
}
