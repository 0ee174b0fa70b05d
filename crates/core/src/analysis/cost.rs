//! Estimated cost from the site's own price list (docs/cost.md): per billing
//! period, per category and per workgroup. Not an invoice: Genesys bills from
//! the uploaded usage files and the contract; this is what the counts cost at
//! the prices the administrator entered.
//!
//! Money is kept in cents (`Cents`) so totals add up exactly; a user's charge
//! shared between workgroups is split in whole cents (the remainder cents go
//! to the workgroups first in name order), so the workgroup rows always sum
//! to the period total.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use crate::analysis::usage::{CategorySet, billing_period};
use crate::model::catalog::BillingCategory;
pub use crate::model::workspace::price_list::{Cents, PriceList};
use crate::model::workspace::{Method, Workspace};

/// The workgroup row for users in no workgroup (or no longer in the workspace).
pub const NO_WORKGROUP: &str = "(No workgroup)";
/// The workgroup row for Assignable licenses held by stations.
pub const STATIONS: &str = "(Stations)";
/// What every cost figure is labelled with.
pub const ESTIMATE_NOTE: &str = "Estimate from this site's own price list, not an invoice: Genesys bills from the \
     uploaded usage data and your contract.";

/// One category's line of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryCost {
    pub users: u64,
    pub unit_price: Cents,
    pub amount: Cents,
    /// The price list has a price for the category; when not, the unit
    /// price and amount are 0 here (JSON: `null`, an amount nobody knows)
    /// and every total it is in is only a lower bound.
    pub priced: bool,
}

impl CategoryCost {
    /// The amount when the category is priced: an unpriced category's
    /// charge is unknown, not zero.
    pub fn known_amount(&self) -> Option<Cents> {
        self.priced.then_some(self.amount)
    }

    pub fn known_unit_price(&self) -> Option<Cents> {
        self.priced.then_some(self.unit_price)
    }
}

impl Serialize for CategoryCost {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("CategoryCost", 4)?;
        st.serialize_field("users", &self.users)?;
        st.serialize_field("unit_price", &self.known_unit_price())?;
        st.serialize_field("amount", &self.known_amount())?;
        st.serialize_field("priced", &self.priced)?;
        st.end()
    }
}

/// One key's Assignable line of a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LicenseCost {
    pub licenses: u64,
    pub unit_price: Cents,
    pub amount: Cents,
}

/// The estimate for one billing period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodCost {
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub upload_due: NaiveDate,
    pub by_category: BTreeMap<String, CategoryCost>,
    pub assignable_licenses: BTreeMap<String, LicenseCost>,
    /// Per workgroup of the workspace (real workgroups only: a workgroup
    /// may be called anything, so the two rows below are kept apart).
    pub by_workgroup: BTreeMap<String, Cents>,
    /// Users in no workgroup (or in none still in the workspace): *(No workgroup)*.
    pub no_workgroup: Cents,
    /// Station licenses: *(Stations)*.
    pub stations: Cents,
    pub total: Cents,
    /// Every category counted in the period has a price: the total is the
    /// whole charge (otherwise it is what the priced part comes to).
    pub complete: bool,
    /// Workgroups whose amount is only what the priced part comes to (a
    /// user of theirs had a category without a price): "at least".
    pub incomplete_workgroups: Vec<String>,
    /// *(No workgroup)*'s amount is the whole charge (see
    /// `incomplete_workgroups`).
    pub no_workgroup_complete: bool,
}

/// Where a share of a period's cost goes: a workgroup, or one of the two
/// rows that are not workgroups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Row<'a> {
    Workgroup(&'a str),
    NoWorkgroup,
    Stations,
}

/// Billing categories by code (as `CostEstimate::unpriced_categories` keeps
/// them, for JSON) in the users' words: "Multi Channel", not
/// `multi-channel`. A code no category has is shown as it is.
pub fn category_names(codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .map(|code| BillingCategory::from_code(code).map_or_else(|| code.clone(), |c| c.label().to_string()))
        .collect()
}

/// `"cost"` of `usage --format json` and the Usage & Billing cost table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CostEstimate {
    pub currency: String,
    pub note: &'static str,
    pub periods: Vec<PeriodCost>,
    pub total: Cents,
    /// Categories counted but missing from the price list (charged 0).
    pub unpriced_categories: Vec<String>,
    /// No category is missing from the price list: `total` is the whole
    /// charge, not only its priced part.
    pub complete: bool,
}

impl CostEstimate {
    /// The total as the user reads it: "at least …" when a counted
    /// category has no price.
    pub fn total_text(&self) -> String {
        lower_bound_text(self.total, self.complete)
    }
}

impl PeriodCost {
    /// The period's total as the user reads it (see `CostEstimate::total_text`).
    pub fn total_text(&self) -> String {
        lower_bound_text(self.total, self.complete)
    }

    /// Is a workgroup's amount the whole charge?
    pub fn workgroup_complete(&self, name: &str) -> bool {
        !self.incomplete_workgroups.iter().any(|w| w == name)
    }

    /// A workgroup's amount as the user reads it ("at least …" when part
    /// of it has no price).
    pub fn workgroup_text(&self, name: &str, amount: Cents) -> String {
        lower_bound_text(amount, self.workgroup_complete(name))
    }

    /// *(No workgroup)*'s amount as the user reads it.
    pub fn no_workgroup_text(&self) -> String {
        lower_bound_text(self.no_workgroup, self.no_workgroup_complete)
    }
}

impl CategoryCost {
    /// The unit price, or "not priced".
    pub fn unit_text(&self) -> String {
        if self.priced {
            self.unit_price.format()
        } else {
            "not priced".to_string()
        }
    }
}

/// An amount as the user reads it: "at least …" when part of it has no price.
pub fn lower_bound_text(total: Cents, complete: bool) -> String {
    if complete {
        total.format()
    } else {
        format!("at least {}", total.format())
    }
}

/// Splits `amount` over `n` shares in whole cents: the first
/// `amount mod n` shares get one cent more.
fn split(amount: Cents, n: usize) -> impl Iterator<Item = Cents> {
    let n = n.max(1) as i64;
    let base = amount.0.div_euclid(n);
    let rest = amount.0.rem_euclid(n);
    (0..n).map(move |i| Cents(base + i64::from(i < rest)))
}

/// Adds `amount` to the rows of `groups` (split evenly), or to
/// *(No workgroup)*.
fn charge<'a>(rows: &mut BTreeMap<Row<'a>, Cents>, groups: &[Row<'a>], amount: Cents) {
    if amount.0 == 0 {
        return;
    }
    if groups.is_empty() {
        *rows.entry(Row::NoWorkgroup).or_default() += amount;
        return;
    }
    for (g, share) in groups.iter().zip(split(amount, groups.len())) {
        *rows.entry(*g).or_default() += share;
    }
}

/// The estimate for the given periods: each item is a period (any day of
/// it) with each user's categories in it (`usage::UserCategories::
/// by_period`, or the history's `UserPeriods`). Assignable license prices
/// use the workspace's allocation as it is now (the history does not
/// record past allocations).
pub fn estimate<'a, P, U>(prices: &PriceList, periods: P, ws: &'a Workspace) -> CostEstimate
where
    P: IntoIterator<Item = (NaiveDate, U)>,
    U: IntoIterator<Item = (&'a str, CategorySet)>,
{
    estimate_where(prices, periods, ws, &|_| true, true)
}

/// `estimate` for part of the site (the Genesys Cloud estimate's phased
/// move: the users still on PureConnect): Assignable licenses are charged
/// for the users `stays` keeps, and station licenses only when `stations`.
/// The users' categories are the caller's to filter.
pub fn estimate_where<'a, P, U>(
    prices: &PriceList,
    periods: P,
    ws: &'a Workspace,
    stays: &dyn Fn(&crate::model::workspace::User) -> bool,
    stations: bool,
) -> CostEstimate
where
    P: IntoIterator<Item = (NaiveDate, U)>,
    U: IntoIterator<Item = (&'a str, CategorySet)>,
{
    const N: usize = BillingCategory::ALL.len();
    let unit: [Option<Cents>; N] = BillingCategory::ALL.map(|c| prices.category_price(c));
    let mut unpriced = [false; N];
    // Assignable licenses per holder now: (workgroups, amount per period).
    let mut assignable_counts: BTreeMap<&str, u64> = BTreeMap::new();
    let mut holder_charges: Vec<(Vec<Row<'_>>, Cents)> = Vec::new();
    if !prices.per_assignable_license_per_month.is_empty() {
        for u in ws.users().iter().filter(|u| u.method == Method::Assignable && stays(u)) {
            let mut amount = Cents(0);
            for key in u.licenses.iter() {
                if let Some((k, p)) = prices.per_assignable_license_per_month.get_key_value(&**key) {
                    *assignable_counts.entry(k.as_str()).or_default() += 1;
                    amount += *p;
                }
            }
            if amount.0 != 0 {
                holder_charges.push((u.workgroups.iter().map(|g| Row::Workgroup(g)).collect(), amount));
            }
        }
        let mut station_amount = Cents(0);
        for s in ws.stations().iter().filter(|_| stations) {
            for key in s.licenses.iter() {
                if let Some((k, p)) = prices.per_assignable_license_per_month.get_key_value(&**key) {
                    *assignable_counts.entry(k.as_str()).or_default() += 1;
                    station_amount += *p;
                }
            }
        }
        holder_charges.push((vec![Row::Stations], station_amount));
    }
    let mut out = Vec::new();
    let mut total = Cents(0);
    for (day, users) in periods {
        let (period_start, period_end, upload_due) = billing_period(day);
        let mut counts = [0u64; N];
        let mut by_row: BTreeMap<Row<'_>, Cents> = BTreeMap::new();
        let mut period_total = Cents(0);
        let mut groups: Vec<Row<'_>> = Vec::new();
        // Rows a user with an unpriced category is charged to: their
        // amount is a lower bound.
        let mut incomplete: BTreeSet<Row<'_>> = BTreeSet::new();
        for (user, set) in users {
            let mut amount = Cents(0);
            let mut whole = true;
            for c in set.billed().iter() {
                let i = c.index();
                counts[i] += 1;
                match unit[i] {
                    Some(p) => amount += p,
                    None => {
                        unpriced[i] = true;
                        whole = false;
                    }
                }
            }
            groups.clear();
            if let Some(u) = ws.user(user) {
                groups.extend(u.workgroups.iter().map(|g| Row::Workgroup(g)));
            }
            charge(&mut by_row, &groups, amount);
            if !whole {
                // The row is shown ("at least 0.00") even when nothing of
                // it is priced.
                if groups.is_empty() {
                    groups.push(Row::NoWorkgroup);
                }
                for g in &groups {
                    by_row.entry(*g).or_default();
                    incomplete.insert(*g);
                }
            }
            period_total += amount;
        }
        let by_category: BTreeMap<String, CategoryCost> = BillingCategory::ALL
            .into_iter()
            .filter(|c| counts[c.index()] > 0)
            .map(|c| {
                let price = unit[c.index()].unwrap_or_default();
                let users = counts[c.index()];
                (
                    c.code().to_string(),
                    CategoryCost {
                        users,
                        unit_price: price,
                        amount: price.times(users),
                        priced: unit[c.index()].is_some(),
                    },
                )
            })
            .collect();
        let mut assignable_licenses = BTreeMap::new();
        for (key, n) in &assignable_counts {
            let unit = prices.per_assignable_license_per_month[*key];
            let amount = unit.times(*n);
            assignable_licenses.insert(
                key.to_string(),
                LicenseCost {
                    licenses: *n,
                    unit_price: unit,
                    amount,
                },
            );
            period_total += amount;
        }
        for (groups, amount) in &holder_charges {
            charge(&mut by_row, groups, *amount);
        }
        total += period_total;
        out.push(PeriodCost {
            period_start,
            period_end,
            upload_due,
            by_category,
            assignable_licenses,
            by_workgroup: by_row
                .iter()
                .filter_map(|(r, a)| match r {
                    Row::Workgroup(g) => Some((g.to_string(), *a)),
                    _ => None,
                })
                .collect(),
            no_workgroup: by_row.get(&Row::NoWorkgroup).copied().unwrap_or_default(),
            stations: by_row.get(&Row::Stations).copied().unwrap_or_default(),
            total: period_total,
            complete: BillingCategory::ALL
                .into_iter()
                .all(|c| counts[c.index()] == 0 || unit[c.index()].is_some()),
            incomplete_workgroups: incomplete
                .iter()
                .filter_map(|r| match r {
                    Row::Workgroup(g) => Some(g.to_string()),
                    _ => None,
                })
                .collect(),
            no_workgroup_complete: !incomplete.contains(&Row::NoWorkgroup),
        });
    }
    CostEstimate {
        currency: prices.currency.trim().to_string(),
        note: ESTIMATE_NOTE,
        periods: out,
        total,
        unpriced_categories: BillingCategory::ALL
            .into_iter()
            .filter(|c| unpriced[c.index()])
            .map(|c| c.code().to_string())
            .collect(),
        complete: !unpriced.iter().any(|u| *u),
    }
}

/// `estimate`'s input from users' categories keyed by name per period.
pub fn by_name(
    periods: &BTreeMap<NaiveDate, BTreeMap<String, CategorySet>>,
) -> impl Iterator<Item = (NaiveDate, impl Iterator<Item = (&str, CategorySet)>)> {
    periods
        .iter()
        .map(|(d, users)| (*d, users.iter().map(|(u, s)| (u.as_str(), *s))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_are_whole_cents() {
        assert_eq!(Cents::from_amount(12.5), Ok(Cents(1250)));
        assert_eq!(Cents::from_amount(0.3), Ok(Cents(30)));
        assert_eq!(Cents::from_amount(1234567.89), Ok(Cents(123456789)));
        assert!(Cents::from_amount(1.005).is_err());
        // Three decimals are refused at any size, not rounded.
        assert!(Cents::from_amount(123456.789).is_err());
        assert!(Cents::from_amount(9999999.999).is_err());
        assert!(Cents::from_amount(0.001).is_err());
        assert!(Cents::from_amount(-1.0).is_err());
        assert!(Cents::from_amount(f64::NAN).is_err());
        assert!(Cents::from_amount(2e7).is_err());
        assert_eq!(Cents(123456789).format(), "1,234,567.89");
    }

    #[test]
    fn a_split_adds_up_to_the_amount() {
        let parts: Vec<i64> = split(Cents(1000), 3).map(|c| c.0).collect();
        assert_eq!(parts, vec![334, 333, 333]);
        assert_eq!(split(Cents(7), 7).map(|c| c.0).sum::<i64>(), 7);
    }
}
