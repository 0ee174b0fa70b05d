//! Beyond IA: what this site would cost on Genesys Cloud, from its own usage
//! history (docs/cloud-estimate.md).
//!
//! - `mapping`: rules from what a user holds in PureConnect (licenses, ACD
//!   interaction types, roles, workgroups) to a Genesys Cloud license; a
//!   default mapping ships, every row an assumption with its reason.
//! - `prices`: the site's own Genesys Cloud prices per license and counting
//!   model, the contracted quantities and the billing start day.
//! - `waves`: a phased move (a name, a date, the workgroups or users).
//! - `concurrent`: Genesys' concurrent pool rule (the 30-minute peak).
//! - `estimate`: the one function both faces call (`pricing` prices a
//!   period, `finish` adds the totals and notes); `output`: what it says.
//! - `files`: `--mapping`, `--prices` and `--waves` files, read strictly.
//!
//! The workspace keeps all three in its `cloud` section
//! (`CloudSettings`); a section left at its defaults is not written.

pub mod concurrent;
mod estimate;
mod finish;
mod output;
mod pricing;

pub use crate::model::workspace::cloud::{
    CloudLicense, CloudSettings, Conditions, Model, Rule, default_mapping, files, listing, mapping, prices, waves,
};
pub use crate::model::workspace::cloud::{CloudPrices, LicensePrice, Wave};
pub use estimate::{EstimateInput, MAX_PERIODS, estimate};
pub use output::{
    AddOnOnly, Assumption, CloudEstimate, CloudPeriod, Hours, LicenseLine, ModelCosts, PeriodCosts, PhasedPeriod,
    PhasedTotals, RuleUse, Totals, UserAssignment, WaveUse,
};

/// Every figure of the estimate is labelled with this.
pub const ESTIMATE_NOTE: &str = "Estimate, not a quote: counted from this site's own usage history with the \
     mapping and prices entered here. Genesys bills from its own usage data and your contract.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_order() {
        for l in CloudLicense::ALL {
            assert_eq!(CloudLicense::from_code(l.code()), Some(l));
            assert_eq!(CloudLicense::ALL[l.index()], l);
            let json = serde_json::to_string(&l).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", l.code()));
        }
        assert!(CloudLicense::Cx2Digital.is_cx());
        assert!(!CloudLicense::Communicate.is_cx());
        assert!(CloudLicense::WemAddOn.follows_cx());
        assert_eq!(CloudLicense::Cx2Digital.short(), "CX 2 Digital");
    }

    #[test]
    fn default_settings_are_not_written() {
        let s = CloudSettings::default();
        assert!(s.is_default());
        assert_eq!(serde_json::to_string(&s).unwrap_or_default(), "{}");
    }
}
