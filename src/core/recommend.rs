//! Right-sizing the order: per key add, reduce or keep, with the reason and
//! a part to order, from the allocation and (when given) the session
//! history's peaks and denials.

use super::catalog;
use super::document::Document;
use super::parts;
use super::replay::Replay;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Add,
    Reduce,
    Keep,
}

/// A part that would supply a key, with how many units to order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuggestedPart {
    pub part_number: String,
    pub description: String,
    pub assigned: i64,
    pub pooled: i64,
}

/// One key of the right-sizing report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    pub key: String,
    pub label: String,
    pub assignable_allowed: u32,
    pub assignable_configured: u32,
    pub concurrent_allowed: u32,
    pub concurrent_configured: u32,
    pub peak_concurrent_in_use: Option<u32>,
    pub denials: Option<usize>,
    pub action: Action,
    pub assigned_delta: i64,
    pub pooled_delta: i64,
    pub reason: String,
    pub suggested_part: Option<SuggestedPart>,
}

/// Slack worth reducing: at least one license and a tenth of what is allowed.
fn worth_reducing(unused: u32, allowed: u32) -> bool {
    unused >= 1 && unused * 10 >= allowed
}

/// Per allocatable key: add, reduce or keep, with the reason in words.
pub fn recommend(doc: &Document, history: Option<&Replay>) -> Vec<Recommendation> {
    let license = doc.license();
    let engine = doc.engine();
    let mut keys: Vec<String> = license
        .allowances()
        .iter()
        .filter(|a| catalog::is_allocatable(&a.key))
        .map(|a| a.key.clone())
        .collect();
    for row in engine.counts(license) {
        if !keys.contains(&row.key) && catalog::is_allocatable(&row.key) {
            keys.push(row.key);
        }
    }
    keys.into_iter()
        .map(|key| {
            let c = engine.configured(&key);
            let (aa, pa) = license.allowance(&key).map_or((0, 0), |a| (a.assigned, a.pooled));
            let label = catalog::label(&key).to_string();
            let peak = history.map(|h| h.peak.get(&key).copied().unwrap_or(0));
            let demand = history.map(|h| h.peak_demand.get(&key).copied().unwrap_or(0));
            let denials = history.map(|h| h.denials.iter().filter(|d| d.key == key).count());
            let full_days = history.map_or(0, |h| h.full_days.get(&key).map_or(0, |d| d.len()));
            let mut reasons = Vec::new();
            // Assignable: what is configured must be allowed.
            let mut assigned_delta = 0i64;
            // Too few configured-vs-allowed (add) or slack worth returning (reduce).
            if c.assignable > aa || worth_reducing(aa - c.assignable, aa) {
                assigned_delta = i64::from(c.assignable) - i64::from(aa);
                reasons.push(format!("assignable {aa} allowed, {} configured", c.assignable));
            }
            // Pooled: from the session history, when there is one.
            let mut pooled_delta = 0i64;
            match (peak, demand, denials) {
                (Some(peak), Some(demand), Some(denials)) if c.concurrent > 0 || pa > 0 => {
                    if denials > 0 && demand > pa {
                        pooled_delta = i64::from(demand) - i64::from(pa);
                        reasons.push(format!(
                            "{denials} denials at peak; pooled {peak} of {pa} in use on {full_days} day{}; up to \
                                {demand} wanted at once",
                            if full_days == 1 { "" } else { "s" }
                        ));
                    } else if worth_reducing(pa.saturating_sub(peak), pa) {
                        pooled_delta = i64::from(peak) - i64::from(pa);
                        reasons.push(format!("pooled {pa} allowed, peak {peak} in use, no denials"));
                    }
                }
                (None, _, _) if c.concurrent > pa && pa > 0 => {
                    reasons.push(format!(
                        "{} concurrent users configured for {pa} pooled; load session history to see whether the \
                            pool suffices",
                        c.concurrent
                    ));
                }
                _ => {}
            }
            let action = if assigned_delta > 0 || pooled_delta > 0 {
                Action::Add
            } else if assigned_delta < 0 || pooled_delta < 0 {
                Action::Reduce
            } else {
                Action::Keep
            };
            if reasons.is_empty() {
                reasons.push(match peak {
                    Some(p) => format!(
                        "assignable {aa} allowed, {} configured; pooled {pa}, peak {p} in use",
                        c.assignable
                    ),
                    None => format!("assignable {aa} allowed, {} configured; pooled {pa}", c.assignable),
                });
            }
            let suggested_part = (action == Action::Add)
                .then(|| suggest_part(&key, assigned_delta, pooled_delta))
                .flatten();
            Recommendation {
                key,
                label,
                assignable_allowed: aa,
                assignable_configured: c.assignable,
                concurrent_allowed: pa,
                concurrent_configured: c.concurrent,
                peak_concurrent_in_use: peak,
                denials,
                action,
                assigned_delta,
                pooled_delta,
                reason: reasons.join("; "),
                suggested_part,
            }
        })
        .collect()
}

/// The 4.0 part with the fewest keys that covers a key.
fn suggest_part(key: &str, assigned: i64, pooled: i64) -> Option<SuggestedPart> {
    parts::parts_providing(key)
        .filter(|p| p.product_category == "CIC 4.0")
        .min_by_key(|p| p.keys.len())
        .map(|p| SuggestedPart {
            part_number: p.part_number.to_string(),
            description: p.description.to_string(),
            assigned: assigned.max(0),
            pooled: pooled.max(0),
        })
}
