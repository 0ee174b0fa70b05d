//! Right-sizing the order: per key add, reduce or keep, with the reason and
//! a part to order, from the allocation and (when given) the session
//! history's peaks and denials.

use crate::analysis::replay::Replay;
use crate::edit::document::Document;
use crate::model::catalog;
use crate::model::parts;
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// With a usage history: the sizing from its daily peaks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history_sizing: Option<HistorySizing>,
}

/// Daily peaks of demand per key from a usage history, and the percentile
/// pools are sized on (docs/history.md, "Sizing pools").
#[derive(Debug, Clone, PartialEq)]
pub struct DailyPeaks {
    pub percentile: f64,
    /// Per key, the most sessions that wanted it at once, one entry per day.
    pub days: std::collections::BTreeMap<String, Vec<u32>>,
}

/// How a pool was sized from the history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistorySizing {
    pub percentile: f64,
    pub days: usize,
    /// The percentile of the daily peaks (nearest rank): the suggested pool.
    pub suggested_pool: u32,
    /// Denials the suggested pool would have caused over the history, at
    /// least: on each day, the peak wanted over the pool.
    pub denials_with_suggestion: u64,
    pub days_over_suggestion: usize,
}

/// The nearest-rank percentile: the smallest value with at least `p` % of
/// the values at or below it. `p` has at most two decimals (as parsed by
/// `parse_percentile`); the rank ⌈p·n/100⌉ is computed in integers, in
/// hundredths of a percent, so no rounding of `p / 100 * n` moves it.
pub fn percentile(values: &[u32], p: f64) -> Option<u32> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    let hundredths = (p * 100.0).round().clamp(0.0, 10_000.0) as u64;
    let n = sorted.len() as u64;
    let rank = (hundredths * n).div_ceil(10_000).max(1);
    let rank = usize::try_from(rank).unwrap_or(sorted.len()).min(sorted.len());
    sorted.get(rank - 1).copied()
}

/// A percentile as typed that is not one `--percentile` takes.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PercentileError {
    #[error("`{0}` is not a percentile; use a number from 50 to 100, e.g. 95")]
    NotANumber(String),
    #[error("`{0}` has more than two decimals; use e.g. 95 or 99.95")]
    Decimals(String),
    #[error("{0} is outside 50 to 100; pools are sized on a high percentile, e.g. 95")]
    OutOfRange(f64),
}

/// Reads a percentile as typed: a number from 50 to 100 with at most two
/// decimals ("95", "99.5", "99.95", "95%").
pub fn parse_percentile(text: &str) -> Result<f64, PercentileError> {
    let t = text.trim().trim_end_matches('%');
    let not_one = || PercentileError::NotANumber(text.to_string());
    let (whole, decimals) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !decimals.bytes().all(|b| b.is_ascii_digit())
        || (t.contains('.') && decimals.is_empty())
    {
        return Err(not_one());
    }
    if decimals.len() > 2 {
        return Err(PercentileError::Decimals(text.to_string()));
    }
    let p: f64 = t.parse().map_err(|_| not_one())?;
    if (50.0..=100.0).contains(&p) {
        Ok(p)
    } else {
        Err(PercentileError::OutOfRange(p))
    }
}

/// Sizes one pool on the history's daily peaks.
pub fn size_pool(peaks: &[u32], p: f64) -> Option<HistorySizing> {
    let suggested_pool = percentile(peaks, p)?;
    let over = peaks.iter().filter(|d| **d > suggested_pool);
    Some(HistorySizing {
        percentile: p,
        days: peaks.len(),
        suggested_pool,
        denials_with_suggestion: over.clone().map(|d| u64::from(d - suggested_pool)).sum(),
        days_over_suggestion: over.count(),
    })
}

/// Slack worth reducing: at least one license and a tenth of what is allowed.
fn worth_reducing(unused: u32, allowed: u32) -> bool {
    unused >= 1 && unused * 10 >= allowed
}

/// Per allocatable key: add, reduce or keep, with the reason in words.
pub fn recommend(doc: &Document, history: Option<&Replay>) -> Vec<Recommendation> {
    recommend_with(doc, history, None)
}

/// `recommend`, sizing pools on a usage history's daily peaks when given.
pub fn recommend_with(doc: &Document, history: Option<&Replay>, daily: Option<&DailyPeaks>) -> Vec<Recommendation> {
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
            let sizing = daily
                .filter(|_| c.concurrent > 0 || pa > 0)
                .and_then(|d| size_pool(d.days.get(&key).map_or(&[][..], Vec::as_slice), d.percentile));
            if let Some(s) = &sizing {
                let p = format_percentile(s.percentile);
                let effect = if s.denials_with_suggestion == 0 {
                    "no day of the history would have had a denial".to_string()
                } else {
                    format!(
                        "the history would have had at least {} denial{} on {} day{}",
                        s.denials_with_suggestion,
                        if s.denials_with_suggestion == 1 { "" } else { "s" },
                        s.days_over_suggestion,
                        if s.days_over_suggestion == 1 { "" } else { "s" }
                    )
                };
                let wanted = i64::from(s.suggested_pool) - i64::from(pa);
                if wanted > 0 || worth_reducing(pa.saturating_sub(s.suggested_pool), pa) {
                    pooled_delta = wanted;
                }
                reasons.push(format!(
                    "{p} of {} daily peaks is {} wanted at once (pooled {pa}); with a pool of {}, {effect}",
                    s.days, s.suggested_pool, s.suggested_pool
                ));
            }
            match (peak, demand, denials) {
                _ if sizing.is_some() => {}
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
                history_sizing: sizing,
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

/// 95 → "p95", 99.5 → "p99.5".
fn format_percentile(p: f64) -> String {
    if p.fract() == 0.0 {
        format!("p{}", p as u32)
    } else {
        format!("p{p}")
    }
}
