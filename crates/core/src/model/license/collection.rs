//! How usage data leaves the site (`Collection`), read from the license's
//! feature keys, and the keys that contradict each other (`Conflict`):
//! Usage & Billing, `usage` and the rules all read it.

use serde::Serialize;

use super::License;
use crate::model::catalog;

/// How usage data leaves the site, from the license's feature keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Collection {
    /// `I3_FEATURE_USAGE_TRACKING_UPLOAD`: automated upload to us-east-2.
    Automated,
    /// `I3_FEATURE_USAGE_TRACKING_LOCAL`: manual upload from the portal.
    Local,
    /// `I3_FEATURE_VIRTUAL_CLOUD`: automated upload to us-east-1.
    VirtualCloud,
    /// `I3_FEATURE_USAGE_TRACKING` and none of the three above: usage files
    /// are collected, but the seeds disagree on how they leave the site.
    Tracking,
    /// None of those keys: no usage data is collected.
    None,
}

/// Usage-collection keys that contradict each other in one license.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Conflict {
    /// I3_FEATURE_USAGE_TRACKING_UPLOAD and I3_FEATURE_USAGE_TRACKING_LOCAL:
    /// read as the manual upload (LOCAL "prevents the automatic upload").
    UploadAndLocal,
    /// I3_FEATURE_VIRTUAL_CLOUD and I3_FEATURE_USAGE_TRACKING_LOCAL: virtual
    /// cloud needs the automated upload that LOCAL prevents.
    VirtualCloudLocal,
}

impl Conflict {
    /// What the output says, in the seeds' words.
    pub fn words(self) -> &'static str {
        match self {
            Conflict::UploadAndLocal => {
                "The license has both I3_FEATURE_USAGE_TRACKING_UPLOAD (automated upload) and \
                    I3_FEATURE_USAGE_TRACKING_LOCAL, which \"prevents the automatic upload of usage data\" (the \
                    subscription usage page): usage is read as uploaded manually from the Customer Care Portal \
                    by the 4th of each month. Confirm the upload method with Genesys."
            }
            Conflict::VirtualCloudLocal => {
                "The license has I3_FEATURE_VIRTUAL_CLOUD, and \"Virtual cloud licensing requires the automated \
                    upload method\", but also I3_FEATURE_USAGE_TRACKING_LOCAL, which \"prevents the automatic \
                    upload of usage data\": the two keys contradict each other, and usage cannot be uploaded the \
                    way virtual cloud licensing requires."
            }
        }
    }
}

impl Collection {
    /// Where the license's usage-collection keys contradict each other.
    pub fn conflict(license: &License) -> Option<Conflict> {
        if !license.has_feature(catalog::FEATURE_USAGE_LOCAL) {
            None
        } else if license.has_feature(catalog::FEATURE_VIRTUAL_CLOUD) {
            Some(Conflict::VirtualCloudLocal)
        } else if license.has_feature(catalog::FEATURE_USAGE_UPLOAD) {
            Some(Conflict::UploadAndLocal)
        } else {
            None
        }
    }

    /// What Usage & Billing and `usage` add about the license's keys: a
    /// contradiction between them, or where the seeds disagree.
    pub fn note_for(license: &License) -> Option<&'static str> {
        Collection::conflict(license)
            .map(Conflict::words)
            .or_else(|| Collection::too_early(license))
            .or_else(|| Collection::of(license).seed_note())
    }

    /// Usage tracking keys on a product version before the subscription
    /// model existed (seed: "Subscription - Introduced in PureConnect 2018
    /// R2 Patch 2", LTR-140-subscription-since-2018-r2-p2).
    fn too_early(license: &License) -> Option<&'static str> {
        use crate::model::license::version::{VersionCheck, subscription_at};
        let early = !license.is_virtual_cloud()
            && !license.usage_tracking_keys().is_empty()
            && matches!(
                subscription_at(&license.file.product_version),
                VersionCheck::TooEarly(_)
            );
        early.then_some(
            "The license's product version is earlier than PureConnect 2018 R2 Patch 2, which introduced the \
             subscription license model its usage tracking keys belong to: ask for a license for 2018 R2 Patch 2 \
             or later.",
        )
    }

    pub fn of(license: &License) -> Collection {
        if license.has_feature(catalog::FEATURE_VIRTUAL_CLOUD) {
            Collection::VirtualCloud
        } else if license.has_feature(catalog::FEATURE_USAGE_LOCAL) {
            // With I3_FEATURE_USAGE_TRACKING_UPLOAD too, LOCAL "prevents the
            // automatic upload of usage data" (Conflict::UploadAndLocal).
            Collection::Local
        } else if license.has_feature(catalog::FEATURE_USAGE_UPLOAD) {
            Collection::Automated
        } else if license.has_feature(catalog::FEATURE_USAGE_TRACKING) {
            Collection::Tracking
        } else {
            Collection::None
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Collection::Automated => "automated",
            Collection::Local => "local",
            Collection::VirtualCloud => "virtual-cloud",
            Collection::Tracking => "usage-tracking",
            Collection::None => "none",
        }
    }

    /// What the Usage & Billing view says about it.
    pub fn explanation(self) -> &'static str {
        match self {
            Collection::Automated => {
                "Usage tracking upload license (I3_FEATURE_USAGE_TRACKING_UPLOAD): usage files upload automatically \
                    each day to the Genesys Amazon S3 location us-east-2."
            }
            Collection::Local => {
                "Local usage tracking (I3_FEATURE_USAGE_TRACKING_LOCAL): upload the usage files manually from the \
                    Customer Care Portal by the 4th of the month after each billing period. The subscription usage \
                    page disagrees with itself (\"before the 4th of each month\", and in its example \"by June 4th\"): \
                    the 4th is read as the last day (the upload due date shown), so upload earlier to be safe."
            }
            Collection::VirtualCloud => {
                "Virtual cloud license (I3_FEATURE_VIRTUAL_CLOUD): usage files upload automatically to Genesys \
                    Cloud, Amazon S3 location us-east-1."
            }
            Collection::Tracking => {
                "Usage tracking license (I3_FEATURE_USAGE_TRACKING): the usage subsystem creates usage files \
                    daily; see the note on how they are uploaded."
            }
            Collection::None => {
                "No usage data is collected: the license has none of I3_FEATURE_USAGE_TRACKING_UPLOAD, \
                    I3_FEATURE_USAGE_TRACKING_LOCAL, I3_FEATURE_USAGE_TRACKING or I3_FEATURE_VIRTUAL_CLOUD, so \
                    this system is not on subscription billing."
            }
        }
    }

    /// Where the seeds disagree about this license's keys, what each says
    /// (docs/seed-decisions.md); `None` where they agree.
    pub fn seed_note(self) -> Option<&'static str> {
        match self {
            Collection::Tracking => Some(
                "The sources disagree. The PureConnect Licensing Technical Reference lists \
                    I3_FEATURE_USAGE_TRACKING for usage tracking upload licensing but says automated uploads need \
                    I3_FEATURE_USAGE_TRACKING_UPLOAD; the subscription usage page says either \
                    I3_FEATURE_USAGE_TRACKING or I3_FEATURE_USAGE_TRACKING_LOCAL is enough. This console counts \
                    the usage; confirm the upload method with Genesys.",
            ),
            _ => None,
        }
    }
}
