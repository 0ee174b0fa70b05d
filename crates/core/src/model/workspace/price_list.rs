//! The workspace's price list (`price_list`): amounts in cents, and the
//! site's own prices per billing category and per license. The costing
//! itself is `cost` (analysis); this is the data the workspace keeps.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::catalog::{self, BillingCategory};

/// An amount of money in hundredths of the currency unit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(pub i64);

/// The most a single price may be (a typo guard: ten million a unit).
const MAX_PRICE_CENTS: i64 = 1_000_000_000;

/// A number that is not a price, in the words a price list's problems use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PriceError {
    /// Negative or not a number (as written).
    #[error("{0} is not a price; use a number of 0 or more")]
    NotAPrice(String),
    /// Over ten million (shown short when huge).
    #[error("{0} is more than 10,000,000; check the price")]
    TooLarge(String),
    #[error("{0} has more than two decimals; prices are in whole cents")]
    Decimals(String),
}

impl Cents {
    /// `1234.5` → 123450 cents; refuses negative, non-finite, over ten
    /// million, or more than two decimals.
    pub fn from_amount(amount: f64) -> Result<Cents, PriceError> {
        if !amount.is_finite() || amount < 0.0 {
            return Err(PriceError::NotAPrice(amount.to_string()));
        }
        let cents = (amount * 100.0).round();
        if cents > MAX_PRICE_CENTS as f64 {
            // 1e308 written out is 309 digits: shown short.
            let shown = if amount < 1e12 {
                format!("{amount}")
            } else {
                format!("{amount:e}")
            };
            return Err(PriceError::TooLarge(shown));
        }
        // The shortest text that reads back as this number is the number
        // as written (a JSON literal or a typed price), so its decimals are
        // counted exactly; a tolerance would let 123456.789 through at any
        // size and round it.
        let written = format!("{amount}");
        if written.split_once('.').is_some_and(|(_, decimals)| decimals.len() > 2) {
            return Err(PriceError::Decimals(written));
        }
        Ok(Cents(cents as i64))
    }

    pub fn amount(self) -> f64 {
        self.0 as f64 / 100.0
    }

    pub fn times(self, n: u64) -> Cents {
        Cents(self.0.saturating_mul(i64::try_from(n).unwrap_or(i64::MAX)))
    }

    /// At the edge of what can be held (sums and products saturate there):
    /// the true amount is larger, so the figure must not be shown as one.
    pub fn is_saturated(self) -> bool {
        self.0 == i64::MAX || self.0 == i64::MIN
    }

    /// "1,234.50" (two decimals, thousands separators).
    pub fn format(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!(
            "{sign}{}.{:02}",
            crate::model::text::thousands((abs / 100) as usize),
            abs % 100
        )
    }
}

impl std::ops::Add for Cents {
    type Output = Cents;
    fn add(self, o: Cents) -> Cents {
        Cents(self.0.saturating_add(o.0))
    }
}

impl std::ops::AddAssign for Cents {
    fn add_assign(&mut self, o: Cents) {
        *self = *self + o;
    }
}

impl Serialize for Cents {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.amount())
    }
}

impl<'de> Deserialize<'de> for Cents {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Cents, D::Error> {
        Cents::from_amount(f64::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// The workspace's `price_list`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PriceList {
    /// ISO 4217 code or symbol shown beside every amount (USD, EUR, …).
    pub currency: String,
    /// Price per user counted in a billing category, per billing period
    /// (`agent`, `business-user`, `multi-channel`, …).
    #[serde(default)]
    pub per_user_per_period: BTreeMap<String, Cents>,
    /// Optional: price per Assignable license of a key, per month (one
    /// billing period), for the licenses allocated in the workspace.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub per_assignable_license_per_month: BTreeMap<String, Cents>,
}

impl PriceList {
    /// Problems as (JSON path, why), for the loader.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let currency = self.currency.trim();
        if currency.is_empty() || currency.chars().count() > 8 || currency.chars().any(char::is_control) {
            out.push((
                "$.price_list.currency".into(),
                "give the currency as a short code such as USD or EUR".into(),
            ));
        }
        for code in self.per_user_per_period.keys() {
            if BillingCategory::from_code(code).is_none() {
                let known: Vec<&str> = BillingCategory::ALL.iter().map(|c| c.code()).collect();
                out.push((
                    format!("$.price_list.per_user_per_period.{code}"),
                    format!("not a billing category; use one of {}", known.join(", ")),
                ));
            }
        }
        for key in self.per_assignable_license_per_month.keys() {
            if catalog::lookup(key).is_none() || !catalog::is_allocatable(key) {
                out.push((
                    format!("$.price_list.per_assignable_license_per_month.{key}"),
                    "not a license key that can be allocated (I3_ACCESS_CLIENT, I3_LICENSE_BASIC_STATION, …)".into(),
                ));
            }
        }
        out
    }

    pub fn category_price(&self, c: BillingCategory) -> Option<Cents> {
        self.per_user_per_period.get(c.code()).copied()
    }
}
