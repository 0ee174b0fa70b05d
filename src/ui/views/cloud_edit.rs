//! The Genesys Cloud estimate's settings as the user edits them: the
//! mapping table, the price list and contract, and the waves. The fields
//! are a draft made from the workspace's `cloud` section; the estimate runs
//! on the draft (a what-if) and *Save to workspace* sends it as one
//! undoable command. Read-only mode edits the draft too, never saved.

use crate::core::catalog;
use crate::core::cloud::{
    CloudLicense, CloudPrices, CloudSettings, Conditions, LicensePrice, Rule, Wave, default_mapping,
};
use crate::core::workspace::MediaType;

/// What is wrong with the draft, in the words the view shows at the field
/// and at the top.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DraftError {
    #[error("“{0}” is not a license; type its key (I3_ACCESS_CLIENT) or its name (Client Access)")]
    NotALicense(String),
    #[error("Mapping rule {number} ({name}): {source}")]
    Rule {
        number: usize,
        name: String,
        #[source]
        source: Box<DraftError>,
    },
    #[error(transparent)]
    Price(#[from] super::cost::PriceFieldError),
    #[error("{license} contracted: “{text}” is not a number of users")]
    Contracted { license: &'static str, text: String },
    #[error("Billing start day: “{0}” is not a day; use 1 to 28")]
    StartDay(String),
    #[error("Wave {number}: “{text}” is not a date; use YYYY-MM-DD")]
    WaveDate { number: usize, text: String },
    /// The first problem the core's checks find, placed in words ("Wave
    /// 2", "Prices, CX 1"); the checks give their findings as words.
    #[error("{place}: {why}")]
    Settings { place: String, why: String },
}

/// One mapping rule as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDraft {
    pub name: String,
    pub license: CloudLicense,
    pub reason: String,
    pub assumption: bool,
    pub holds_any: String,
    pub holds_only: String,
    pub media_any: [bool; 4],
    pub media_all: [bool; 4],
    pub media_none: [bool; 4],
    pub roles: String,
    pub workgroups: String,
}

/// One wave as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaveDraft {
    pub name: String,
    pub date: String,
    pub workgroups: String,
    pub users: String,
}

/// The draft of the whole section.
#[derive(Debug, Clone, Default)]
pub struct Editor {
    /// The document generation the draft was made from.
    made_for: Option<u64>,
    /// Changed since it was made (a what-if until saved).
    pub edited: bool,
    pub rules: Vec<RuleDraft>,
    pub selected: Option<usize>,
    pub currency: String,
    pub start_day: String,
    pub note: Option<String>,
    /// Per license: per named user, per concurrent user, per hour, contracted.
    pub prices: Vec<(CloudLicense, [String; 4])>,
    pub waves: Vec<WaveDraft>,
}

fn join(list: &[String]) -> String {
    list.join(", ")
}

fn split(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn flags(list: &[MediaType]) -> [bool; 4] {
    MediaType::ALL.map(|m| list.contains(&m))
}

fn media(flags: &[bool; 4]) -> Vec<MediaType> {
    MediaType::ALL
        .into_iter()
        .zip(flags)
        .filter(|(_, on)| **on)
        .map(|(m, _)| m)
        .collect()
}

/// A license named by its key or its label (ignoring case).
fn key_of(text: &str) -> Result<String, DraftError> {
    let t = text.trim();
    // A misspelt key would match nobody: only keys PureConnect has.
    if catalog::is_well_formed(t) && catalog::lookup(t).is_some() {
        return Ok(catalog::canonical(t).to_string());
    }
    catalog::all()
        .iter()
        .find(|k| k.label.eq_ignore_ascii_case(t))
        .map(|k| k.key.to_string())
        .ok_or_else(|| DraftError::NotALicense(t.to_string()))
}

impl RuleDraft {
    pub fn of(r: &Rule) -> RuleDraft {
        RuleDraft {
            name: r.name.clone(),
            license: r.license,
            reason: r.reason.clone(),
            assumption: r.assumption,
            holds_any: join(&r.when.holds_any),
            holds_only: join(&r.when.holds_only),
            media_any: flags(&r.when.media_any),
            media_all: flags(&r.when.media_all),
            media_none: flags(&r.when.media_none),
            roles: join(&r.when.roles_any),
            workgroups: join(&r.when.workgroups_any),
        }
    }

    pub fn rule(&self) -> Result<Rule, DraftError> {
        let keys = |text: &str| split(text).iter().map(|k| key_of(k)).collect::<Result<Vec<_>, _>>();
        Ok(Rule {
            name: self.name.trim().to_string(),
            license: self.license,
            reason: self.reason.trim().to_string(),
            assumption: self.assumption,
            when: Conditions {
                holds_any: keys(&self.holds_any)?,
                holds_only: keys(&self.holds_only)?,
                media_any: media(&self.media_any),
                media_all: media(&self.media_all),
                media_none: media(&self.media_none),
                roles_any: split(&self.roles),
                workgroups_any: split(&self.workgroups),
            },
        })
    }
}

fn amount(c: Option<crate::core::cost::Cents>) -> String {
    c.map(|c| format!("{:.2}", c.amount())).unwrap_or_default()
}

impl Editor {
    /// Is the draft made from this generation of the document?
    pub fn made_for(&self) -> Option<u64> {
        self.made_for
    }

    /// Drops the draft: the next frame makes it again from the workspace
    /// (after a save).
    pub fn forget(&mut self) {
        self.made_for = None;
        self.edited = false;
    }

    /// A fresh draft from the settings in force.
    pub fn reset(&mut self, settings: &CloudSettings, generation: u64) {
        self.rules = settings.mapping_in_force().iter().map(RuleDraft::of).collect();
        self.selected = None;
        self.set_prices(settings.prices.as_ref());
        self.waves = settings
            .waves
            .iter()
            .map(|w| WaveDraft {
                name: w.name.clone(),
                date: w.date.to_string(),
                workgroups: join(&w.workgroups),
                users: join(&w.users),
            })
            .collect();
        self.edited = false;
        self.made_for = Some(generation);
    }

    pub fn set_prices(&mut self, prices: Option<&CloudPrices>) {
        self.currency = prices.map_or_else(|| "USD".to_string(), |p| p.currency.clone());
        self.start_day = prices
            .and_then(|p| p.billing_start_day)
            .map(|d| d.to_string())
            .unwrap_or_default();
        self.note = prices.and_then(|p| p.note.clone());
        self.prices = CloudLicense::ALL
            .into_iter()
            .map(|l| {
                let e = prices.and_then(|p| p.entry(l)).cloned().unwrap_or_default();
                (
                    l,
                    [
                        amount(e.per_named_user),
                        amount(e.per_concurrent_user),
                        amount(e.per_hour),
                        e.contracted.map(|n| n.to_string()).unwrap_or_default(),
                    ],
                )
            })
            .collect();
    }

    /// The settings the draft says, or what is wrong with it (in words).
    pub fn settings(&self) -> Result<CloudSettings, DraftError> {
        let mut rules = Vec::with_capacity(self.rules.len());
        for (i, r) in self.rules.iter().enumerate() {
            rules.push(r.rule().map_err(|e| DraftError::Rule {
                number: i + 1,
                name: r.name.trim().to_string(),
                source: Box::new(e),
            })?);
        }
        let mapping = if rules == default_mapping() { None } else { Some(rules) };
        let settings = CloudSettings {
            mapping,
            prices: self.prices()?,
            waves: self.waves()?,
        };
        match settings.problems("$").into_iter().next() {
            Some((path, why)) => Err(DraftError::Settings {
                place: place(&path, &settings),
                why,
            }),
            None => Ok(settings),
        }
    }

    fn prices(&self) -> Result<Option<CloudPrices>, DraftError> {
        let mut licenses = std::collections::BTreeMap::new();
        for (l, [named, conc, hour, contracted]) in &self.prices {
            let p = |what: &str, text: &str| super::cost::parse_price(&format!("{} {what}", l.short()), text);
            let contracted = contracted.trim().replace(',', "");
            let entry = LicensePrice {
                per_named_user: p("per named user", named)?,
                per_concurrent_user: p("per concurrent user", conc)?,
                per_hour: p("per hour", hour)?,
                contracted: if contracted.is_empty() {
                    None
                } else {
                    Some(contracted.parse::<u32>().map_err(|_| DraftError::Contracted {
                        license: l.short(),
                        text: contracted.clone(),
                    })?)
                },
            };
            if entry != LicensePrice::default() {
                licenses.insert(l.code().to_string(), entry);
            }
        }
        let start = self.start_day.trim();
        let billing_start_day = if start.is_empty() {
            None
        } else {
            Some(
                start
                    .parse::<u32>()
                    .map_err(|_| DraftError::StartDay(start.to_string()))?,
            )
        };
        if licenses.is_empty() && billing_start_day.is_none() {
            return Ok(None);
        }
        Ok(Some(CloudPrices {
            currency: self.currency.trim().to_string(),
            billing_start_day,
            licenses,
            note: self.note.clone(),
        }))
    }

    fn waves(&self) -> Result<Vec<Wave>, DraftError> {
        self.waves
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let date = crate::core::dates::parse_arg_date(&w.date).map_err(|_| DraftError::WaveDate {
                    number: i + 1,
                    text: w.date.trim().to_string(),
                })?;
                Ok(Wave {
                    name: w.name.trim().to_string(),
                    date,
                    workgroups: split(&w.workgroups),
                    users: split(&w.users),
                })
            })
            .collect()
    }
}

/// Where a problem is, in words ("Mapping rule 3", "Prices, CX 1", "Wave 2").
fn place(path: &str, s: &CloudSettings) -> String {
    let index = |prefix: &str| {
        path.strip_prefix(prefix)
            .and_then(|rest| rest.split(']').next())
            .and_then(|n| n.parse::<usize>().ok())
    };
    if let Some(i) = index("$.mapping[") {
        let name = s
            .mapping
            .as_ref()
            .and_then(|m| m.get(i))
            .map(|r| r.name.trim())
            .unwrap_or("");
        return format!("Mapping rule {} ({name})", i + 1);
    }
    if let Some(i) = index("$.waves[") {
        return format!("Wave {}", i + 1);
    }
    if let Some(rest) = path.strip_prefix("$.prices.licenses.") {
        let code = rest.split('.').next().unwrap_or(rest);
        return format!("Prices, {}", CloudLicense::from_code(code).map_or(code, |l| l.short()));
    }
    "Prices".to_string()
}
