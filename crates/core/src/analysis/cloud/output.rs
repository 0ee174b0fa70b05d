//! What the estimate says (the JSON of `cloud estimate` after `license`,
//! and what the view draws): per period, totals, the mapping's use, the
//! phased move. Money in cents, hours in minutes shown with two decimals.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Serialize, Serializer};

use super::Model;
use crate::analysis::cost::Cents;

/// Hours from minutes, shown with two decimals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hours(pub u64);

impl Hours {
    /// Hundredths of an hour, rounded half up.
    pub fn hundredths(self) -> u64 {
        (self.0.saturating_mul(100) + 30) / 60
    }

    pub fn value(self) -> f64 {
        self.hundredths() as f64 / 100.0
    }

    /// "1,234.56": two decimals and thousands separators.
    pub fn text(self) -> String {
        let n = self.hundredths();
        format!(
            "{}.{:02}",
            crate::model::text::thousands(usize::try_from(n / 100).unwrap_or(usize::MAX)),
            n % 100
        )
    }

    /// Whole hours, rounded up: what Genesys bills ("rounded up to the
    /// nearest whole hour").
    pub fn billed(self) -> u64 {
        self.0.div_ceil(60)
    }
}

impl Serialize for Hours {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.value())
    }
}

/// One assumption in force (`{rule, text}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assumption {
    pub rule: String,
    pub text: String,
}

/// A mapping rule and the users it decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleUse {
    pub rule: String,
    pub license: &'static str,
    pub license_name: &'static str,
    pub assumption: bool,
    pub when: String,
    pub reason: String,
    /// Workspace users whose level (or, for an add-on, whose add-on) this
    /// rule decided.
    pub users: u64,
}

/// The cost of a period under each model (`null` without prices).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ModelCosts {
    pub named: Option<Cents>,
    pub concurrent: Option<Cents>,
    pub hourly: Option<Cents>,
}

impl ModelCosts {
    /// The same amount under each model.
    pub fn same(amount: Option<Cents>) -> ModelCosts {
        ModelCosts {
            named: amount,
            concurrent: amount,
            hourly: amount,
        }
    }

    pub fn get(&self, m: Model) -> Option<Cents> {
        match m {
            Model::Named => self.named,
            Model::Concurrent => self.concurrent,
            Model::Hourly => self.hourly,
        }
    }

    pub(super) fn set(&mut self, m: Model, v: Option<Cents>) {
        match m {
            Model::Named => self.named = v,
            Model::Concurrent => self.concurrent = v,
            Model::Hourly => self.hourly = v,
        }
    }

    /// The cheapest model (ties: named, concurrent, hourly), only when
    /// every model's cost is known: a model whose cost is unknown may be
    /// the cheapest, so none is named then.
    pub fn cheapest(&self) -> Option<Model> {
        if Model::ALL.into_iter().any(|m| self.get(m).is_none()) {
            return None;
        }
        self.cheapest_priced()
    }

    /// The cheapest of the models whose cost is known (ties: named,
    /// concurrent, hourly); what the phased plan prices the moved users
    /// with, and says so.
    pub fn cheapest_priced(&self) -> Option<Model> {
        let mut best: Option<(Model, Cents)> = None;
        for m in Model::ALL {
            if let Some(c) = self.get(m)
                && best.is_none_or(|(_, b)| c < b)
            {
                best = Some((m, c));
            }
        }
        best.map(|(m, _)| m)
    }
}

/// A period's cost per model plus PureConnect (`cost` in the JSON).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PeriodCosts {
    pub named: Option<Cents>,
    pub concurrent: Option<Cents>,
    pub hourly: Option<Cents>,
    /// Today's PureConnect subscription cost for the same days (the
    /// workspace's price list, docs/cost.md).
    pub pureconnect: Option<Cents>,
}

impl PeriodCosts {
    pub fn get(&self, m: Model) -> Option<Cents> {
        match m {
            Model::Named => self.named,
            Model::Concurrent => self.concurrent,
            Model::Hourly => self.hourly,
        }
    }
}

/// One license's line of a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LicenseLine {
    pub named: u64,
    pub concurrent: u64,
    pub hours: Hours,
    pub contracted: u64,
    pub named_cost: Option<Cents>,
    pub concurrent_cost: Option<Cents>,
    pub hourly_cost: Option<Cents>,
}

/// The phased move in one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PhasedPeriod {
    /// Users who logged on in the period, moved and still on PureConnect.
    pub moved_users: u64,
    pub staying_users: u64,
    /// The moved users' Genesys Cloud cost under each model (0 before the
    /// first wave).
    pub genesys_cloud: ModelCosts,
    /// The PureConnect cost of the users who have not moved.
    pub pureconnect: Option<Cents>,
    /// Both, under the plan's model.
    pub total: Option<Cents>,
}

/// One Genesys Cloud billing period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CloudPeriod {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Days of the period within the range, and those with logged-on times.
    pub days: u64,
    pub days_with_logons: u64,
    /// The whole billing period is in the range and every day of it has
    /// logged-on times.
    pub complete: bool,
    /// Costed: only a complete period is (Genesys bills whole periods; a
    /// part of one says nothing of its bill). A period that is not has its
    /// counts, and `null` costs, cheapest, difference and phased costs.
    pub costed: bool,
    /// Why the period is not costed, in words (`None` when it is).
    pub not_costed: Option<String>,
    /// Users who logged on and map to a Genesys Cloud level: the named
    /// users of every level together (add-ons are counted per license).
    pub named_users: u64,
    pub named: BTreeMap<String, u64>,
    pub concurrent: BTreeMap<String, u64>,
    /// The billable concurrent peak (all CX levels) and the minutes at it.
    pub concurrent_peak: u64,
    pub concurrent_peak_minutes: u64,
    pub hours: BTreeMap<String, Hours>,
    /// Hours logged in by the users with a level, each user once (`hours`
    /// is per license: a user's add-ons count their hours again there).
    pub hours_logged_in: Hours,
    pub cost: PeriodCosts,
    pub cheapest: Option<Model>,
    /// Genesys Cloud minus PureConnect, per model.
    pub difference: ModelCosts,
    pub overage: BTreeMap<&'static str, BTreeMap<String, u64>>,
    pub by_license: BTreeMap<String, LicenseLine>,
    /// Users who logged on but map to no Genesys Cloud level: not in the
    /// Genesys Cloud figures (PureConnect's cost counts them).
    pub unmatched_logged_on: u64,
    pub phased: PhasedPeriod,
}

/// Sums over the costed (complete) periods: a sum with an unknown part is
/// unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub named: Option<Cents>,
    pub concurrent: Option<Cents>,
    pub hourly: Option<Cents>,
    pub pureconnect: Option<Cents>,
    pub cheapest: Option<Model>,
    /// How many periods the sums cover (the costed ones), and their days.
    pub periods: u64,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Totals {
    /// A model's total over the costed periods.
    pub fn get(&self, m: Model) -> Option<Cents> {
        match m {
            Model::Named => self.named,
            Model::Concurrent => self.concurrent,
            Model::Hourly => self.hourly,
        }
    }
}

/// The phased move over every period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PhasedTotals {
    /// The model the plan is costed with: the cheapest for the whole move.
    pub model: Option<Model>,
    pub pureconnect: Option<Cents>,
    pub genesys_cloud: Option<Cents>,
    /// What running both systems costs over the costed periods (`null`
    /// when either part is unknown in one of them).
    pub total: Option<Cents>,
}

/// What one workspace user maps to, and the rule that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserAssignment {
    pub user: String,
    pub license: &'static str,
    pub rule: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub add_ons: Vec<&'static str>,
}

/// A user who matches only add-on rules: no level, so not costed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddOnOnly {
    pub user: String,
    /// The add-on rules the user matches.
    pub rules: Vec<String>,
}

/// A wave and the users who move with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaveUse {
    pub name: String,
    pub date: NaiveDate,
    pub users: Vec<String>,
}

/// The whole estimate (`cloud estimate --format json` after `license`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CloudEstimate {
    pub note: &'static str,
    pub currency: Option<String>,
    /// True when a price the estimate needs is missing: no price list, or
    /// a license in use without a price under some model
    /// (`missing_prices` says which).
    pub prices_missing: bool,
    /// Per model, the licenses in use that have no price under it.
    pub missing_prices: BTreeMap<&'static str, Vec<&'static str>>,
    /// What the prices leave out, in words.
    pub prices_note: Option<String>,
    /// The currency of the workspace's PureConnect price list. When it is
    /// not the Genesys Cloud prices' currency, the PureConnect figures are
    /// in this one and nothing adds or subtracts the two.
    pub pureconnect_currency: Option<String>,
    pub billing_start_day: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub assumptions: Vec<Assumption>,
    pub mapping: Vec<RuleUse>,
    /// Each workspace user with a level: the license and the deciding rule.
    pub assignments: Vec<UserAssignment>,
    pub unmatched_users: Vec<String>,
    /// Users (of `unmatched_users`) who match only add-on rules.
    pub add_on_only: Vec<AddOnOnly>,
    /// Users who logged on in a costed period with no Genesys Cloud level:
    /// the Genesys Cloud costs leave them out, PureConnect's counts them, so
    /// the comparison is incomplete.
    pub users_not_costed: u64,
    /// Billing periods of the range without a day of usage history: not
    /// listed in `periods`.
    pub periods_without_history: u64,
    /// Days of the history imported before it kept logged-on times.
    pub days_without_logons: Vec<NaiveDate>,
    pub days_without_logons_note: Option<String>,
    pub periods: Vec<CloudPeriod>,
    pub totals: Totals,
    pub waves: Vec<WaveUse>,
    pub phased: PhasedTotals,
    /// What the reader must know to read the figures, most important first:
    /// users left out, periods not costed, the range cut to the history,
    /// currencies that differ, names the workspace does not have.
    pub notes: Vec<String>,
}
