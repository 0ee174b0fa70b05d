//! The workspace's `cloud` section (`CloudSettings`): the mapping to
//! Genesys Cloud licenses, the site's cloud prices and the waves of a
//! phased move, as data with their checks. The estimate made from them is
//! `cloud` (analysis).
//!
//! - `mapping`: rules from what a user holds in PureConnect (licenses, ACD
//!   interaction types, roles, workgroups) to a Genesys Cloud license; a
//!   default mapping ships, every row an assumption with its reason.
//! - `prices`: the site's own Genesys Cloud prices per license and counting
//!   model, the contracted quantities and the billing start day.
//! - `waves`: a phased move (a name, a date, the workgroups or users).

pub mod files;
pub mod mapping;
pub mod prices;
pub mod waves;

use serde::{Deserialize, Serialize};

pub use mapping::{Conditions, Rule, default_mapping};
pub use prices::{CloudPrices, LicensePrice};
pub use waves::Wave;

/// A Genesys Cloud license the estimate can map users to: the levels
/// (Communicate to CX 4) and two add-ons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum CloudLicense {
    #[serde(rename = "communicate")]
    Communicate,
    #[serde(rename = "collaborate")]
    Collaborate,
    #[serde(rename = "cx1")]
    Cx1,
    #[serde(rename = "cx2")]
    Cx2,
    #[serde(rename = "cx2-digital")]
    Cx2Digital,
    #[serde(rename = "cx3")]
    Cx3,
    #[serde(rename = "cx4")]
    Cx4,
    #[serde(rename = "digital-add-on")]
    DigitalAddOn,
    #[serde(rename = "wem-add-on")]
    WemAddOn,
}

impl CloudLicense {
    pub const ALL: [CloudLicense; 9] = [
        CloudLicense::Communicate,
        CloudLicense::Collaborate,
        CloudLicense::Cx1,
        CloudLicense::Cx2,
        CloudLicense::Cx2Digital,
        CloudLicense::Cx3,
        CloudLicense::Cx4,
        CloudLicense::DigitalAddOn,
        CloudLicense::WemAddOn,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn code(self) -> &'static str {
        match self {
            CloudLicense::Communicate => "communicate",
            CloudLicense::Collaborate => "collaborate",
            CloudLicense::Cx1 => "cx1",
            CloudLicense::Cx2 => "cx2",
            CloudLicense::Cx2Digital => "cx2-digital",
            CloudLicense::Cx3 => "cx3",
            CloudLicense::Cx4 => "cx4",
            CloudLicense::DigitalAddOn => "digital-add-on",
            CloudLicense::WemAddOn => "wem-add-on",
        }
    }

    /// Genesys' name for it.
    pub fn label(self) -> &'static str {
        match self {
            CloudLicense::Communicate => "Genesys Cloud Communicate",
            CloudLicense::Collaborate => "Genesys Cloud Collaborate",
            CloudLicense::Cx1 => "Genesys Cloud CX 1",
            CloudLicense::Cx2 => "Genesys Cloud CX 2",
            CloudLicense::Cx2Digital => "Genesys Cloud CX 2 Digital",
            CloudLicense::Cx3 => "Genesys Cloud CX 3",
            CloudLicense::Cx4 => "Genesys Cloud CX 4",
            CloudLicense::DigitalAddOn => "Genesys Cloud Digital Add-on",
            CloudLicense::WemAddOn => "Genesys Cloud WEM Add-on",
        }
    }

    /// A short name for narrow columns ("CX 2 Digital").
    pub fn short(self) -> &'static str {
        self.label().trim_start_matches("Genesys Cloud ")
    }

    pub fn from_code(code: &str) -> Option<CloudLicense> {
        CloudLicense::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The CX levels: the only licenses Genesys counts as concurrent or by
    /// the hour (Communicate and Collaborate users stay named).
    pub fn is_cx(self) -> bool {
        matches!(
            self,
            CloudLicense::Cx1 | CloudLicense::Cx2 | CloudLicense::Cx2Digital | CloudLicense::Cx3 | CloudLicense::Cx4
        )
    }

    /// Add-ons come on top of a user's level (a user may have several);
    /// they follow the counting model of the user's CX level.
    pub fn is_add_on(self) -> bool {
        matches!(self, CloudLicense::DigitalAddOn | CloudLicense::WemAddOn)
    }

    /// Licenses that are counted under the CX models (concurrent, hourly):
    /// the CX levels and the add-ons.
    pub fn follows_cx(self) -> bool {
        self.is_cx() || self.is_add_on()
    }
}

/// Genesys Cloud's counting models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    Named,
    Concurrent,
    Hourly,
}

impl Model {
    pub const ALL: [Model; 3] = [Model::Named, Model::Concurrent, Model::Hourly];

    pub fn label(self) -> &'static str {
        match self {
            Model::Named => "Named",
            Model::Concurrent => "Concurrent",
            Model::Hourly => "Hourly",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Model::Named => "named",
            Model::Concurrent => "concurrent",
            Model::Hourly => "hourly",
        }
    }
}

/// The workspace's `cloud` section: the mapping (`None`: the default one),
/// the prices and contract, and the waves of a phased move.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloudSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapping: Option<Vec<Rule>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prices: Option<CloudPrices>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waves: Vec<Wave>,
}

impl CloudSettings {
    /// Nothing entered: the section is not written.
    pub fn is_default(&self) -> bool {
        self.mapping.is_none() && self.prices.is_none() && self.waves.is_empty()
    }

    /// The mapping in force (the default one unless the workspace has its own).
    pub fn mapping_in_force(&self) -> std::borrow::Cow<'_, [Rule]> {
        match &self.mapping {
            Some(m) => std::borrow::Cow::Borrowed(m),
            None => std::borrow::Cow::Owned(default_mapping()),
        }
    }

    /// Problems as (JSON path, why), the path starting at `at` (`$.cloud`).
    pub fn problems(&self, at: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if let Some(m) = &self.mapping {
            out.extend(mapping::problems(m, &format!("{at}.mapping")));
        }
        if let Some(p) = &self.prices {
            out.extend(p.problems(&format!("{at}.prices")));
        }
        out.extend(waves::problems(&self.waves, &format!("{at}.waves")));
        out
    }

    /// A short description for the change log ("12 rules, prices in USD, 2 waves").
    pub fn describe(&self) -> String {
        use crate::model::text::count;
        let mapping = match &self.mapping {
            None => "the default mapping".to_string(),
            Some(m) => count(m.len(), "mapping rule", "mapping rules"),
        };
        let prices = match &self.prices {
            None => "no prices".to_string(),
            Some(p) => format!("prices in {}", p.currency.trim()),
        };
        format!("{mapping}, {prices}, {}", count(self.waves.len(), "wave", "waves"))
    }
}

/// Text typed into a settings field: not blank, not too long, no control
/// characters. `what` names the field in the message.
pub(crate) fn check_text(text: &str, max: usize, what: &str) -> Option<String> {
    if text.trim().is_empty() {
        Some(format!("{what} cannot be blank"))
    } else if text.chars().count() > max {
        Some(format!("{what} is longer than {max} characters"))
    } else if text.chars().any(crate::model::text::is_unsafe) {
        Some(format!("{what} contains a control character"))
    } else {
        None
    }
}

/// How many names a note lists before "and N more".
const NAMED_IN_A_NOTE: usize = 5;

/// "a, b and c", or "a, b, c, d, e and 7 more".
pub fn listing(items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(NAMED_IN_A_NOTE).map(String::as_str).collect();
    let rest = items.len().saturating_sub(shown.len());
    match (shown.split_last(), rest) {
        (None, _) => String::new(),
        (Some((last, [])), 0) => (*last).to_string(),
        (Some((last, init)), 0) => format!("{} and {last}", init.join(", ")),
        (Some(_), rest) => format!("{} and {} more", shown.join(", "), crate::model::text::thousands(rest)),
    }
}
