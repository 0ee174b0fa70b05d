//! The site's own Genesys Cloud prices: per license, a price per named
//! user per billing period, per concurrent user per billing period and per
//! hour logged in, with the contracted quantity (for overage). No price is
//! built in: `assets/cloud-prices.example.json` is an example, and says so.
//! Genesys Cloud billing periods are calendar months unless a billing start
//! day (1–28) is set.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{CloudLicense, Model};
use crate::model::dates;
use crate::model::workspace::Cents;

/// `assets/cloud-prices.example.json`: example prices for trying the
/// estimate, which say they are an example (not Genesys' prices).
pub const EXAMPLE: &str = include_str!("../../../../../../assets/cloud-prices.example.json");

/// The example prices, parsed and checked like any price list file.
pub fn example() -> Result<CloudPrices, super::files::TextError> {
    let p: CloudPrices = super::files::parse(EXAMPLE, "example price list")?;
    match p.problems("$").into_iter().next() {
        Some((at, why)) => Err(super::files::TextError::At { at, why }),
        None => Ok(p),
    }
}

/// The most a contracted quantity may be (a typo guard).
pub const MAX_CONTRACTED: u32 = 10_000_000;

/// The workspace's `cloud.prices` (or a `--prices` file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudPrices {
    /// Shown beside every amount (1–8 characters: USD, EUR, …).
    pub currency: String,
    /// The day of the month billing periods start (1–28); default 1, the
    /// calendar month.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_start_day: Option<u32>,
    /// Per Genesys Cloud license code (`cx1`, `communicate`, …).
    #[serde(default)]
    pub licenses: BTreeMap<String, LicensePrice>,
    /// Free text shown with the prices (the example file says it is one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One license's prices and contract; any of them may be left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicensePrice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_named_user: Option<Cents>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_concurrent_user: Option<Cents>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_hour: Option<Cents>,
    /// Users contracted (paid each period whether used or not); usage
    /// above it is overage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contracted: Option<u32>,
}

impl CloudPrices {
    pub fn entry(&self, l: CloudLicense) -> Option<&LicensePrice> {
        self.licenses.get(l.code())
    }

    /// The price of one unit of `l` under `model` (a user per period, or
    /// an hour).
    pub fn price(&self, l: CloudLicense, model: Model) -> Option<Cents> {
        let e = self.entry(l)?;
        match model {
            Model::Named => e.per_named_user,
            Model::Concurrent => e.per_concurrent_user,
            Model::Hourly => e.per_hour,
        }
    }

    pub fn contracted(&self, l: CloudLicense) -> u64 {
        self.entry(l).and_then(|e| e.contracted).map_or(0, u64::from)
    }

    pub fn start_day(&self) -> u32 {
        self.billing_start_day.unwrap_or(1)
    }

    /// Problems as (JSON path, why), paths under `at`.
    pub fn problems(&self, at: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let currency = self.currency.trim();
        if currency.is_empty() || currency.chars().count() > 8 || currency.chars().any(crate::model::text::is_unsafe) {
            out.push((
                format!("{at}.currency"),
                "give the currency as a short code such as USD or EUR".into(),
            ));
        }
        if let Some(why) = self.note.as_deref().and_then(|n| super::check_text(n, 500, "the note")) {
            out.push((format!("{at}.note"), why));
        }
        if let Some(day) = self.billing_start_day
            && !(1..=28).contains(&day)
        {
            out.push((
                format!("{at}.billing_start_day"),
                format!("{day} is not a billing start day; use a day from 1 to 28"),
            ));
        }
        for (code, e) in &self.licenses {
            let path = format!(
                "{at}.licenses.{}",
                crate::model::text::safe(&code.chars().take(40).collect::<String>())
            );
            if CloudLicense::from_code(code).is_none() {
                let known: Vec<&str> = CloudLicense::ALL.iter().map(|l| l.code()).collect();
                out.push((
                    path,
                    format!("not a Genesys Cloud license; use one of {}", known.join(", ")),
                ));
                continue;
            }
            if let Some(n) = e.contracted
                && n > MAX_CONTRACTED
            {
                out.push((
                    format!("{path}.contracted"),
                    format!("{n} is more than {MAX_CONTRACTED}; check the quantity"),
                ));
            }
        }
        out
    }
}

/// The Genesys Cloud billing period holding `day`: from `start_day` of a
/// month to the day before `start_day` of the next (`None` only at the end
/// of the calendar, which checked dates never reach).
pub fn billing_period(day: NaiveDate, start_day: u32) -> Option<(NaiveDate, NaiveDate)> {
    let start_day = start_day.clamp(1, 28);
    let start = if day.day() >= start_day {
        day.with_day(start_day)?
    } else {
        dates::sub_months(day.with_day(1)?, 1).ok()?.with_day(start_day)?
    };
    let end = dates::previous_day(dates::add_months(start, 1).ok()?).ok()?;
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn calendar_months_unless_a_start_day_is_set() {
        assert_eq!(billing_period(d(2026, 2, 14), 1), Some((d(2026, 2, 1), d(2026, 2, 28))));
        assert_eq!(billing_period(d(2028, 2, 29), 1), Some((d(2028, 2, 1), d(2028, 2, 29))));
        assert_eq!(
            billing_period(d(2026, 1, 14), 15),
            Some((d(2025, 12, 15), d(2026, 1, 14)))
        );
        assert_eq!(
            billing_period(d(2026, 1, 15), 15),
            Some((d(2026, 1, 15), d(2026, 2, 14)))
        );
        assert_eq!(
            billing_period(d(2026, 3, 27), 28),
            Some((d(2026, 2, 28), d(2026, 3, 27)))
        );
    }

    #[test]
    fn the_example_says_it_is_one_and_prices_every_license() {
        let p = example().expect("example");
        assert!(p.note.as_deref().is_some_and(|n| n.starts_with("EXAMPLE")));
        for l in CloudLicense::ALL {
            assert!(p.price(l, Model::Named).is_some(), "{l:?}");
        }
    }

    #[test]
    fn problems_name_their_place() {
        let p: CloudPrices = serde_json::from_value(serde_json::json!({
            "currency": "", "billing_start_day": 31,
            "licenses": {"cx9": {}, "cx1": {"contracted": 20000000}}}))
        .unwrap_or_default();
        let paths: Vec<String> = p.problems("$").into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            paths,
            vec![
                "$.currency",
                "$.billing_start_day",
                "$.licenses.cx1.contracted",
                "$.licenses.cx9"
            ]
        );
    }
}
