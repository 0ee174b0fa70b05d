//! Product versions, read so they can be compared. A license's
//! `product_version` is free text; the releases PureConnect has shipped are
//! CIC 3.0 and 4.0, then year releases from 2015 R1 on (`2020 R2`, with an
//! optional `Patch N`: "Starting with PureConnect 2018 R2 Patch 2, …").
//! Two rules compare them (docs/seed-rules.md): seed, Appendix A: "Starting
//! with PureConnect 2020 R2, a virtual cloud licensing option is available"
//! (LTR-1614-virtual-cloud-from-2020-r2), and License Models:
//! "Subscription — Introduced in PureConnect 2018 R2 Patch 2"
//! (LTR-140-subscription-since-2018-r2-p2).
//!
//! Accepted (ignoring case, extra spaces and a leading `CIC`): `3.0`, `4.0`
//! (optionally `4.0 SU N`), and `YYYY Rn` or `YYYY Rn Patch N` with a year
//! from 2015 to 2099 and a release from 1 to 9. 3.0 and 4.0 come before
//! 2015 R1 (the change log: "the transition from version 4.0 SU# to CIC
//! 2015 R1"). Anything else is unreadable: the caller says so rather than
//! guessing.

use std::fmt;

/// A product version that can be ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProductVersion {
    /// CIC 3.0 or 4.0 (the service update, when given, is kept for display
    /// only: it does not change the order against year releases).
    Legacy { major: u8, su: Option<u16> },
    /// A year release: `2020 R2`, `2018 R2 Patch 2`.
    Release { year: u16, release: u8, patch: u16 },
}

/// The first release with virtual cloud licensing.
pub const VIRTUAL_CLOUD_FROM: ProductVersion = ProductVersion::Release {
    year: 2020,
    release: 2,
    patch: 0,
};

/// The first release with the subscription license model (its usage
/// tracking keys).
pub const SUBSCRIPTION_FROM: ProductVersion = ProductVersion::Release {
    year: 2018,
    release: 2,
    patch: 2,
};

/// The words every message about an unreadable version uses.
pub const ACCEPTED_FORMS: &str = "YYYY Rn (e.g. 2020 R2), YYYY Rn Patch N, 3.0 or 4.0";

impl ProductVersion {
    /// Reads a product version; `None` when it is not one of the accepted
    /// forms.
    pub fn parse(text: &str) -> Option<ProductVersion> {
        let words: Vec<String> = text.split_whitespace().map(str::to_ascii_uppercase).collect();
        let words: &[String] = match words.split_first() {
            Some((first, rest)) if first == "CIC" => rest,
            _ => &words,
        };
        match words {
            [v] => legacy(v, None),
            [v, su, n] if su == "SU" => legacy(v, Some(number(n)?)),
            [v, su] if su.starts_with("SU") => legacy(v, Some(number(&su[2..])?)),
            [year, release] => release_of(year, release, 0),
            [year, release, patch, n] if patch == "PATCH" => release_of(year, release, number(n)?),
            _ => None,
        }
    }

    /// Virtual cloud licensing exists from this version on.
    pub fn has_virtual_cloud(self) -> bool {
        self >= VIRTUAL_CLOUD_FROM
    }

    /// The subscription license model exists from this version on.
    pub fn has_subscription(self) -> bool {
        self >= SUBSCRIPTION_FROM
    }

    /// The product line of the version's ordered items: `3.0` for CIC 3.0,
    /// `4.0` for 4.0 and every year release after it (their part numbers
    /// stay `SW-001-4.0-…`; the change log speaks of "the transition from
    /// version 4.0 SU# to CIC 2015 R1").
    pub fn part_line(self) -> &'static str {
        match self {
            ProductVersion::Legacy { major: 3, .. } => "3.0",
            _ => "4.0",
        }
    }
}

fn number(text: &str) -> Option<u16> {
    if text.is_empty() || text.len() > 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn legacy(text: &str, su: Option<u16>) -> Option<ProductVersion> {
    let major = match text {
        "3.0" => 3,
        "4.0" => 4,
        _ => return None,
    };
    Some(ProductVersion::Legacy { major, su })
}

fn release_of(year: &str, release: &str, patch: u16) -> Option<ProductVersion> {
    if year.len() != 4 {
        return None;
    }
    let year = number(year)?;
    let release = release.strip_prefix('R').filter(|r| r.len() == 1).and_then(number)?;
    ((2015..=2099).contains(&year) && (1..=9).contains(&release)).then_some(ProductVersion::Release {
        year,
        release: release as u8,
        patch,
    })
}

impl fmt::Display for ProductVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ProductVersion::Legacy { major, su: None } => write!(f, "{major}.0"),
            ProductVersion::Legacy { major, su: Some(n) } => write!(f, "{major}.0 SU {n}"),
            ProductVersion::Release {
                year,
                release,
                patch: 0,
            } => write!(f, "{year} R{release}"),
            ProductVersion::Release { year, release, patch } => write!(f, "{year} R{release} Patch {patch}"),
        }
    }
}

/// What a product version says about something introduced in a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionCheck {
    /// That release or later.
    Supported,
    /// Before that release.
    TooEarly(ProductVersion),
    /// Not a version this console reads.
    Unreadable,
}

/// The virtual cloud rule's name for the check (2020 R2).
pub type VirtualCloudVersion = VersionCheck;

fn available_from(text: &str, from: ProductVersion) -> VersionCheck {
    match ProductVersion::parse(text) {
        Some(v) if v >= from => VersionCheck::Supported,
        Some(v) => VersionCheck::TooEarly(v),
        None => VersionCheck::Unreadable,
    }
}

/// Is virtual cloud licensing available at this product version?
pub fn virtual_cloud_at(text: &str) -> VirtualCloudVersion {
    available_from(text, VIRTUAL_CLOUD_FROM)
}

/// The words every refusal and diagnostic of a usage tracking key before
/// 2018 R2 Patch 2 uses (`keys` as the license names them).
pub fn subscription_too_early(keys: &[&str], version: &str) -> String {
    format!(
        "The license has {} for product version {version}, but the subscription license model, which these usage \
         tracking keys belong to, was introduced in PureConnect 2018 R2 Patch 2",
        keys.join(" and ")
    )
}

/// Is the subscription license model (usage tracking) available at this
/// product version?
pub fn subscription_at(text: &str) -> VersionCheck {
    available_from(text, SUBSCRIPTION_FROM)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> ProductVersion {
        ProductVersion::parse(text).unwrap_or_else(|| panic!("`{text}` should parse"))
    }

    #[test]
    fn releases_order_as_shipped() {
        let order = [
            "3.0",
            "4.0",
            "4.0 SU 6",
            "2015 R1",
            "2018 R2",
            "2018 R2 Patch 2",
            "2019 R4",
            "2020 R1",
            "2020 R1 Patch 9",
            "2020 R2",
            "2020 R2 Patch 3",
            "2020 R3",
            "2021 R1",
        ];
        for pair in order.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("cic 2020 r2 patch 3"), v("2020 R2 Patch 3"));
        assert_eq!(v("  2020   R2 "), v("2020 R2"));
        assert_eq!(v("2020 R2 Patch 0"), v("2020 R2"));
        assert_eq!(v("4.0 SU6").to_string(), "4.0 SU 6");
        assert_eq!(v("2020 R2 Patch 3").to_string(), "2020 R2 Patch 3");
    }

    #[test]
    fn garbage_is_unreadable() {
        for text in [
            "",
            " ",
            "2020",
            "R2",
            "2020 R",
            "2020 R10",
            "2020 R0",
            "2014 R1",
            "20202 R1",
            "2020 R2 Patch",
            "2020 R2 Patch x",
            "2020 R2 Patch 3 extra",
            "2020 R2 SP1",
            "5.0",
            "4",
            "4.0.1",
            "latest",
            "2020-R2",
            "２０２０ R2",
            "2020 R2 Patch 99999",
        ] {
            assert_eq!(ProductVersion::parse(text), None, "`{text}`");
        }
    }

    #[test]
    fn virtual_cloud_from_2020_r2() {
        assert_eq!(virtual_cloud_at("2020 R2"), VirtualCloudVersion::Supported);
        assert_eq!(virtual_cloud_at("2020 R2 Patch 3"), VirtualCloudVersion::Supported);
        assert_eq!(virtual_cloud_at("2023 R3"), VirtualCloudVersion::Supported);
        assert!(matches!(virtual_cloud_at("2020 R1"), VirtualCloudVersion::TooEarly(_)));
        assert!(matches!(
            virtual_cloud_at("2020 R1 Patch 9"),
            VirtualCloudVersion::TooEarly(_)
        ));
        assert!(matches!(virtual_cloud_at("4.0"), VirtualCloudVersion::TooEarly(_)));
        assert_eq!(virtual_cloud_at("next year"), VirtualCloudVersion::Unreadable);
    }

    #[test]
    fn subscription_from_2018_r2_patch_2() {
        for ok in ["2018 R2 Patch 2", "2018 R2 Patch 3", "2018 R3", "2019 R1", "2020 R2"] {
            assert_eq!(subscription_at(ok), VersionCheck::Supported, "{ok}");
        }
        for early in ["2018 R2 Patch 1", "2018 R2", "2018 R1 Patch 9", "2015 R1", "4.0", "3.0"] {
            assert!(matches!(subscription_at(early), VersionCheck::TooEarly(_)), "{early}");
        }
        assert_eq!(subscription_at("soon"), VersionCheck::Unreadable);
    }

    #[test]
    fn part_lines() {
        assert_eq!(v("3.0").part_line(), "3.0");
        assert_eq!(v("4.0 SU 6").part_line(), "4.0");
        assert_eq!(v("2020 R2").part_line(), "4.0");
    }
}
