//! Generating a license from ordered part numbers, like the Activation File
//! Management Tool's "New Activation File" tab.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde_json::Value;

use super::format::{
    FORMAT_VERSION, Level, LicenseEntry, LicenseFile, OrderedItem, PARTNER_DEVELOPMENT_DAYS, ServerInfo, Switchover,
    TRIAL_DAYS, VirtualCloud, last_day_of, last_day_of_year, perpetual_expiry,
};
use super::signing::IssuerKey;
use super::signing::KeyError;
use super::version::ACCEPTED_FORMS;

/// An order ("New Activation File") cannot be made into a license; each
/// says what to give instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    #[error("--non-ordered applies only to development licenses, not to level {0}")]
    NonOrderedNotDevelopment(&'static str),
    #[error(
        "unknown part number `{0}`: it is not in the catalogue of ordered items (the license parts command lists it)"
    )]
    UnknownPart(String),
    #[error("quantity too large")]
    QuantityTooLarge,
    #[error("`{0}` is not an I3_ license key")]
    NotAKey(String),
    #[error("{0} is a feature; give it with --feature")]
    AFeature(String),
    #[error(
        "{entry} gives both an assigned and a pooled count; a _CONCURRENT entry carries one count, the pooled count \
         of {key}"
    )]
    ConcurrentBoth { entry: String, key: String },
    #[error("{entry} cannot be pooled: {label} is never concurrent")]
    NeverConcurrent { entry: String, label: &'static str },
    #[error("{0} adds up to more than {max} licenses", max = super::MAX_COUNT)]
    TooMany(String),
    #[error("{} needs --ramp-date DATE and --grace-days N", catalog::FEATURE_VIRTUAL_CLOUD)]
    VirtualCloudWithoutRamp,
    #[error(
        "--ramp-date and --grace-days apply only with --feature {}",
        catalog::FEATURE_VIRTUAL_CLOUD
    )]
    RampWithoutVirtualCloud,
    #[error(
        "{feature} is available starting with PureConnect 2020 R2; product version {0} is earlier. Give \
         --product-version 2020 R2 or later, or leave out the virtual cloud feature",
        feature = catalog::FEATURE_VIRTUAL_CLOUD
    )]
    VirtualCloudTooEarly(String),
    #[error(
        "{feature} is available starting with PureConnect 2020 R2, and product version `{0}` is not one this tool \
         can compare ({ACCEPTED_FORMS}); give the version as 2020 R2 or later",
        feature = catalog::FEATURE_VIRTUAL_CLOUD
    )]
    VirtualCloudUnreadable(String),
    /// The usage tracking keys before 2018 R2 Patch 2 (the words name them).
    #[error("{0}. Give --product-version 2018 R2 Patch 2 or later, or leave out the usage tracking keys")]
    SubscriptionTooEarly(String),
    #[error(
        "{keys} belong to the subscription license model, introduced in PureConnect 2018 R2 Patch 2, and product \
         version `{version}` is not one this tool can compare ({ACCEPTED_FORMS}); give the version as 2018 R2 Patch \
         2 or later"
    )]
    SubscriptionUnreadable { keys: String, version: String },
    #[error(
        "the switchover server {0}; the switchover Host ID and Machine Name are those of the second IC server in the \
         switchover pair (run GetHostID on that server), or leave the switchover out and provide it at another time"
    )]
    SwitchoverSameServer(String),
    #[error("--host-id is required (only virtual-cloud licenses have no host ID)")]
    NoHostId,
    #[error("the generation date is out of range")]
    DateOutOfRange,
    #[error("cannot serialise the license: {0}")]
    Serialise(String),
    #[error(transparent)]
    Sign(#[from] KeyError),
}

/// A `--part` or `--license` value that is not NAME=ASSIGNED[+POOLED].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    #[error("`{0}`: expected NAME=ASSIGNED or NAME=ASSIGNED+POOLED")]
    Form(String),
    #[error("`{text}`: `{count}` is not a whole number")]
    NotANumber { text: String, count: String },
    #[error("`{text}`: {count} is more than {max} licenses", max = super::MAX_COUNT)]
    TooMany { text: String, count: u64 },
}
use crate::{model::catalog, model::parts};

/// One `--part PART=ASSIGNED[+POOLED]` or `--license KEY=ASSIGNED[+POOLED]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    pub name: String,
    pub assigned: u64,
    pub pooled: u64,
}

impl std::str::FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(text: &str) -> Result<Self, QuantityError> {
        let (name, counts) = text
            .split_once('=')
            .ok_or_else(|| QuantityError::Form(text.to_string()))?;
        let (a, p) = counts.split_once('+').unwrap_or((counts, "0"));
        let parse = |s: &str| -> Result<u64, QuantityError> {
            let n: u64 = s.trim().parse().map_err(|_| QuantityError::NotANumber {
                text: text.to_string(),
                count: s.to_string(),
            })?;
            if n > super::MAX_COUNT as u64 {
                return Err(QuantityError::TooMany {
                    text: text.to_string(),
                    count: n,
                });
            }
            Ok(n)
        };
        Ok(Quantity {
            name: name.trim().to_string(),
            assigned: parse(a)?,
            pooled: parse(p)?,
        })
    }
}

/// Everything the generator needs.
#[derive(Debug, Clone)]
pub struct Order {
    pub level: Level,
    pub product_version: String,
    pub host_id: String,
    pub machine: String,
    pub switchover: Option<Switchover>,
    pub system_type: String,
    pub mail_connector: String,
    pub company: String,
    pub install_site: String,
    pub generated_by: String,
    pub generated: NaiveDate,
    pub expires: Option<NaiveDate>,
    pub parts: Vec<Quantity>,
    pub licenses: Vec<Quantity>,
    pub features: Vec<String>,
    pub ramp_date: Option<NaiveDate>,
    pub grace_days: Option<i64>,
    /// A certified partner's 30-day non-ordered development license (else a
    /// development license runs the ordered term, one year).
    pub partner_development: bool,
}

/// What an order says when nobody says otherwise; the CLI's flags and the
/// GUI's form both start from these.
pub const DEFAULT_PRODUCT_VERSION: &str = "2020 R2";
pub const DEFAULT_SYSTEM_TYPE: &str = "Media Server Based";
pub const DEFAULT_MAIL_CONNECTOR: &str = "Microsoft Exchange Server";
pub const DEFAULT_GENERATED_BY: &str = "ia-licensing";

impl Default for Order {
    /// A production license of the defaults above, generated on the
    /// first day dates take (time is an input: the caller sets
    /// `generated`), drawing nothing.
    fn default() -> Order {
        Order {
            level: Level::Production,
            product_version: DEFAULT_PRODUCT_VERSION.into(),
            host_id: String::new(),
            machine: String::new(),
            switchover: None,
            system_type: DEFAULT_SYSTEM_TYPE.into(),
            mail_connector: DEFAULT_MAIL_CONNECTOR.into(),
            company: String::new(),
            install_site: String::new(),
            generated_by: DEFAULT_GENERATED_BY.into(),
            generated: NaiveDate::default(),
            expires: None,
            parts: Vec::new(),
            licenses: Vec::new(),
            features: Vec::new(),
            ramp_date: None,
            grace_days: None,
            partner_development: false,
        }
    }
}

/// Builds the (unsigned) license document from an order.
pub fn build(order: &Order) -> Result<LicenseFile, OrderError> {
    if order.partner_development && !order.level.is_development() {
        return Err(OrderError::NonOrderedNotDevelopment(order.level.code()));
    }
    // Keys in first-seen order, counts summed.
    let mut order_of_keys: Vec<String> = Vec::new();
    let mut counts: BTreeMap<String, parts::Counts> = BTreeMap::new();
    let mut note = |key: &str, counts: &BTreeMap<String, parts::Counts>| {
        if !counts.contains_key(key) && !order_of_keys.iter().any(|k| k == key) {
            order_of_keys.push(key.to_string());
        }
    };
    let mut ordered_items = Vec::new();
    for q in &order.parts {
        let part = parts::lookup(&q.name).ok_or_else(|| OrderError::UnknownPart(q.name.clone()))?;
        for key in part.keys {
            note(key, &counts);
        }
        parts::expand_into(part, q.assigned, q.pooled, &mut counts);
        ordered_items.push(OrderedItem {
            part_number: part.part_number.to_string(),
            description: part.description.to_string(),
            quantity: i64::try_from(q.assigned + q.pooled).map_err(|_| OrderError::QuantityTooLarge)?,
        });
    }
    for q in &order.licenses {
        let key = catalog::canonical(q.name.trim_end_matches(catalog::CONCURRENT_SUFFIX)).to_string();
        if !catalog::is_well_formed(&key) {
            return Err(OrderError::NotAKey(q.name.clone()));
        }
        if catalog::lookup(&key).is_some_and(|k| k.kind == catalog::KeyKind::Feature) {
            return Err(OrderError::AFeature(key));
        }
        // The same content is judged as the loader judges it: a _CONCURRENT
        // entry carries one count, the pooled count of its base key, and a
        // key that is never concurrent cannot be pooled.
        let concurrent_entry = q.name.ends_with(catalog::CONCURRENT_SUFFIX);
        if concurrent_entry && q.assigned > 0 && q.pooled > 0 {
            return Err(OrderError::ConcurrentBoth {
                entry: q.name.clone(),
                key,
            });
        }
        let (assigned, pooled) = if concurrent_entry {
            (0, q.assigned.max(q.pooled))
        } else {
            (q.assigned, q.pooled)
        };
        if let Some(info) = catalog::lookup(&key).filter(|k| pooled > 0 && !k.concurrent) {
            return Err(OrderError::NeverConcurrent {
                entry: q.name.clone(),
                label: info.label,
            });
        }
        note(&key, &counts);
        parts::add_key(&key, assigned, pooled, &mut counts);
    }
    let mut features: Vec<String> = Vec::new();
    for f in &order.features {
        let f = catalog::canonical(f).to_string();
        if !features.contains(&f) {
            features.push(f);
        }
    }
    // Development licenses include all features and 8/30 of each Access and
    // Session license ("A small ordered development license includes all
    // Feature Licenses; and Access and Sessions licenses (8 of each)"):
    // with the parts ordered (the development system's server item, add-ons
    // on top of the bundle) too; only an order that sets license counts
    // itself (the issuer's own tool, `license new --license`) gets those.
    if let Some(size) = order.level.development_size() {
        if order.licenses.is_empty() {
            for info in catalog::all() {
                if matches!(info.kind, catalog::KeyKind::Access | catalog::KeyKind::Session) {
                    note(info.key, &counts);
                    parts::add_key(info.key, u64::from(size), 0, &mut counts);
                }
            }
        }
        if order.features.is_empty() {
            features = catalog::all()
                .iter()
                .filter(|k| k.kind == catalog::KeyKind::Feature)
                .filter(|k| {
                    ![
                        catalog::FEATURE_VIRTUAL_CLOUD,
                        catalog::FEATURE_USAGE_UPLOAD,
                        catalog::FEATURE_USAGE_LOCAL,
                        "I3_FEATURE_USAGE_TRACKING",
                    ]
                    .contains(&k.key)
                })
                .map(|k| k.key.to_string())
                .collect();
        }
    }
    let mut licenses = Vec::new();
    for key in &order_of_keys {
        let c = counts.get(key).copied().unwrap_or_default();
        if c.assigned > super::MAX_COUNT as u64 || c.pooled > super::MAX_COUNT as u64 {
            return Err(OrderError::TooMany(key.clone()));
        }
        licenses.push(LicenseEntry {
            key: key.clone(),
            assigned: c.assigned as i64,
            pooled: c.pooled as i64,
        });
    }
    let virtual_cloud = features.iter().any(|f| f == catalog::FEATURE_VIRTUAL_CLOUD);
    let vc = virtual_cloud_of(order, virtual_cloud)?;
    check_product_version(order, &features, virtual_cloud)?;
    check_switchover(order)?;
    if !virtual_cloud && order.host_id.trim().is_empty() {
        return Err(OrderError::NoHostId);
    }
    let expires = match (order.expires, order.level) {
        (Some(d), _) => d,
        (None, Level::Trial) => last_day_of(order.generated, TRIAL_DAYS).ok_or(OrderError::DateOutOfRange)?,
        (None, Level::DevelopmentSmall | Level::DevelopmentLarge) if order.partner_development => {
            last_day_of(order.generated, PARTNER_DEVELOPMENT_DAYS).ok_or(OrderError::DateOutOfRange)?
        }
        (None, Level::DevelopmentSmall | Level::DevelopmentLarge) => {
            last_day_of_year(order.generated).ok_or(OrderError::DateOutOfRange)?
        }
        (None, _) => perpetual_expiry(),
    };
    Ok(LicenseFile {
        format: FORMAT_VERSION,
        product: "CIC".into(),
        product_version: order.product_version.clone(),
        level: order.level,
        company: order.company.clone(),
        install_site: order.install_site.clone(),
        generated_by: order.generated_by.clone(),
        generated: order.generated,
        expires,
        server: ServerInfo {
            host_id: order.host_id.clone(),
            machine_name: order.machine.clone(),
            system_type: order.system_type.clone(),
            mail_connector: order.mail_connector.clone(),
            switchover: order.switchover.clone(),
        },
        features,
        licenses,
        ordered_items,
        virtual_cloud: vc,
        signature: None,
    })
}

/// The virtual-cloud settings of an order: its ramp date and grace period
/// with the virtual cloud feature, neither without it.
fn virtual_cloud_of(order: &Order, virtual_cloud: bool) -> Result<Option<VirtualCloud>, OrderError> {
    let vc = match (virtual_cloud, order.ramp_date, order.grace_days) {
        (true, Some(ramp_date), Some(grace_period_days)) => Some(VirtualCloud {
            ramp_date,
            grace_period_days,
        }),
        (true, _, _) => {
            return Err(OrderError::VirtualCloudWithoutRamp);
        }
        (false, None, None) => None,
        (false, _, _) => {
            return Err(OrderError::RampWithoutVirtualCloud);
        }
    };
    Ok(vc)
}

/// The product version an order's licensing model needs: virtual cloud from
/// 2020 R2, usage tracking (subscription) from 2018 R2 Patch 2.
fn check_product_version(order: &Order, features: &[String], virtual_cloud: bool) -> Result<(), OrderError> {
    // Seed, Appendix A: "Starting with PureConnect 2020 R2, a virtual cloud
    // licensing option is available" (LTR-1614-virtual-cloud-from-2020-r2).
    if virtual_cloud {
        use super::version::{VirtualCloudVersion, virtual_cloud_at};
        match virtual_cloud_at(&order.product_version) {
            VirtualCloudVersion::Supported => {}
            VirtualCloudVersion::TooEarly(v) => {
                return Err(OrderError::VirtualCloudTooEarly(v.to_string()));
            }
            VirtualCloudVersion::Unreadable => {
                return Err(OrderError::VirtualCloudUnreadable(
                    order.product_version.trim().to_string(),
                ));
            }
        }
    }
    // Seed, License Models: "Subscription - Introduced in PureConnect 2018 R2
    // Patch 2" (LTR-140-subscription-since-2018-r2-p2).
    let usage: Vec<&str> = catalog::USAGE_TRACKING_FEATURES
        .iter()
        .copied()
        .filter(|k| features.iter().any(|f| f == k))
        .collect();
    if !virtual_cloud && !usage.is_empty() {
        use super::version::{VersionCheck, subscription_at, subscription_too_early};
        match subscription_at(&order.product_version) {
            VersionCheck::Supported => {}
            VersionCheck::TooEarly(v) => {
                return Err(OrderError::SubscriptionTooEarly(subscription_too_early(
                    &usage,
                    &v.to_string(),
                )));
            }
            VersionCheck::Unreadable => {
                return Err(OrderError::SubscriptionUnreadable {
                    keys: usage.join(" and "),
                    version: order.product_version.trim().to_string(),
                });
            }
        }
    }
    Ok(())
}

/// The switchover server of an order is another server than the first.
fn check_switchover(order: &Order) -> Result<(), OrderError> {
    // Seed, Generate a Production License: the switchover is "the second IC
    // server in the switchover pair" (LTR-1044-switchover-second-server).
    if let Some(sw) = &order.switchover {
        let server = ServerInfo {
            host_id: order.host_id.clone(),
            machine_name: order.machine.clone(),
            system_type: String::new(),
            mail_connector: String::new(),
            switchover: Some(sw.clone()),
        };
        if let Some(why) = server.switchover_same_server() {
            return Err(OrderError::SwitchoverSameServer(why.to_string()));
        }
    }
    Ok(())
}

/// Signs a license document and returns the pretty JSON text to write.
pub fn sign_to_text(file: &LicenseFile, key: &IssuerKey) -> Result<String, OrderError> {
    let mut file = file.clone();
    file.signature = None;
    // string-error: serde's error is neither Clone nor Eq, as this error type is; its words (with the position) are what is kept.
    let value: Value = serde_json::to_value(&file).map_err(|e| OrderError::Serialise(e.to_string()))?;
    file.signature = Some(key.sign(&value)?);
    // string-error: serde's error is neither Clone nor Eq, as this error type is; its words (with the position) are what is kept.
    let mut text = serde_json::to_string_pretty(&file).map_err(|e| OrderError::Serialise(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Loads a license just generated, trusting the key that signed it: what
/// is written is checked to load first (a license the tool would refuse is
/// never written).
pub fn verify_generated(text: &str, key: &IssuerKey) -> Result<super::License, super::Refusal> {
    let store = key.trust_store();
    super::License::load_bytes(
        text.as_bytes(),
        super::LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_parse() {
        let q: Quantity = "SW-001-4.0-AL04=5+25".parse().expect("parse");
        assert_eq!((q.name.as_str(), q.assigned, q.pooled), ("SW-001-4.0-AL04", 5, 25));
        let q: Quantity = "X=7".parse().expect("parse");
        assert_eq!((q.assigned, q.pooled), (7, 0));
        assert!("X".parse::<Quantity>().is_err());
        assert!("X=-1".parse::<Quantity>().is_err());
        assert!("X=99999999999".parse::<Quantity>().is_err());
    }
}
