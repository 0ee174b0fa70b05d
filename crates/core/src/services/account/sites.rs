//! The Install Sites tab. Seed: "The Install Sites tab allows you to view,
//! edit, create, and deactivate install sites"; "New Install Site: Opens
//! the Install Site Details dialog box to allow you to create an install
//! site"; "Edit: … To deactivate an install site, clear the Active check
//! box". Install Site Details: Name * (required), Address Line 1-3, City,
//! State, Country, Postal Code, Active.
//!
//! An install site named by ordered items but without a record is shown
//! as active with no address; editing it makes its record. A deactivated
//! site keeps its ordered items and activation files, but no new activation
//! file is generated for it until it is active again.

use serde::{Deserialize, Serialize};

use super::{Account, AccountError, same};
use crate::rules::AfmtRefusal;

/// The longest text an Install Site Details field takes.
pub const MAX_FIELD_CHARS: usize = 256;

/// One install site (Install Site Details).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstallSite {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address_line_1: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address_line_2: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address_line_3: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub city: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub country: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub postal_code: String,
    #[serde(default = "super::yes")]
    pub active: bool,
}

impl InstallSite {
    /// A new, active site with only a name.
    pub fn named(name: &str) -> InstallSite {
        InstallSite {
            name: name.trim().to_string(),
            address_line_1: String::new(),
            address_line_2: String::new(),
            address_line_3: String::new(),
            city: String::new(),
            state: String::new(),
            country: String::new(),
            postal_code: String::new(),
            active: true,
        }
    }

    /// The tab's Address column: the address lines that are given.
    pub fn address(&self) -> String {
        [&self.address_line_1, &self.address_line_2, &self.address_line_3]
            .into_iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Every field with its Install Site Details label.
    fn fields(&self) -> [(&'static str, &str); 8] {
        [
            ("Name", &self.name),
            ("Address Line 1", &self.address_line_1),
            ("Address Line 2", &self.address_line_2),
            ("Address Line 3", &self.address_line_3),
            ("City", &self.city),
            ("State", &self.state),
            ("Country", &self.country),
            ("Postal Code", &self.postal_code),
        ]
    }

    /// The dialog's checks: the name is required; no field is longer than
    /// `MAX_FIELD_CHARS` or holds a control character.
    pub fn check(&self) -> Result<(), AfmtRefusal> {
        if self.name.trim().is_empty() {
            return Err(AfmtRefusal::InstallSiteNameRequired);
        }
        for (field, value) in self.fields() {
            if value.chars().count() > MAX_FIELD_CHARS {
                return Err(AfmtRefusal::InstallSiteField {
                    field,
                    why: format!("is longer than {MAX_FIELD_CHARS} characters"),
                });
            }
            if value.chars().any(char::is_control) {
                return Err(AfmtRefusal::InstallSiteField {
                    field,
                    why: "holds a control character".into(),
                });
            }
        }
        Ok(())
    }

    fn tidy(mut self) -> InstallSite {
        for f in [
            &mut self.name,
            &mut self.address_line_1,
            &mut self.address_line_2,
            &mut self.address_line_3,
            &mut self.city,
            &mut self.state,
            &mut self.country,
            &mut self.postal_code,
        ] {
            *f = f.trim().to_string();
        }
        self
    }
}

/// What an edit changes (`None`: as it was).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteChange {
    pub new_name: Option<String>,
    pub address_line_1: Option<String>,
    pub address_line_2: Option<String>,
    pub address_line_3: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub postal_code: Option<String>,
    pub active: Option<bool>,
}

impl SiteChange {
    fn apply(&self, site: &mut InstallSite) {
        let set = |to: &mut String, from: &Option<String>| {
            if let Some(v) = from {
                *to = v.clone();
            }
        };
        set(&mut site.name, &self.new_name);
        set(&mut site.address_line_1, &self.address_line_1);
        set(&mut site.address_line_2, &self.address_line_2);
        set(&mut site.address_line_3, &self.address_line_3);
        set(&mut site.city, &self.city);
        set(&mut site.state, &self.state);
        set(&mut site.country, &self.country);
        set(&mut site.postal_code, &self.postal_code);
        if let Some(a) = self.active {
            site.active = a;
        }
    }
}

impl Account {
    /// The Install Sites tab's rows: every site with a record, and every
    /// site the ordered items or activation files name without one (active,
    /// no address), sorted by name.
    pub fn site_rows(&self) -> Vec<InstallSite> {
        let mut rows: Vec<InstallSite> = self.site_records.clone();
        let named = self
            .ordered_items
            .iter()
            .map(|i| i.install_site.as_str())
            .chain(self.activation_files.iter().map(|f| f.install_site.as_str()));
        for name in named {
            if !rows.iter().any(|r| same(&r.name, name)) {
                rows.push(InstallSite::named(name));
            }
        }
        rows.sort_by_cached_key(|r| r.name.trim().to_lowercase());
        rows
    }

    /// One site's details (a record, or a site the items name).
    pub fn site(&self, name: &str) -> Option<InstallSite> {
        self.site_rows().into_iter().find(|r| same(&r.name, name))
    }

    /// Is the site active? (A site without a record is.)
    pub fn site_is_active(&self, name: &str) -> bool {
        self.site_records
            .iter()
            .find(|r| same(&r.name, name))
            .is_none_or(|r| r.active)
    }

    /// New Install Site.
    pub fn add_site(&mut self, site: InstallSite) -> Result<InstallSite, AccountError> {
        let site = site.tidy();
        site.check()?;
        if self.site(&site.name).is_some() {
            return Err(AfmtRefusal::InstallSiteTaken { name: site.name }.into());
        }
        self.site_records.push(site.clone());
        Ok(site)
    }

    /// Edit (Install Site Details in edit mode). A new name renames the
    /// site everywhere: its ordered items and activation files follow.
    pub fn edit_site(&mut self, name: &str, change: &SiteChange) -> Result<InstallSite, AccountError> {
        let mut site = self.site(name).ok_or_else(|| AfmtRefusal::NoSuchInstallSite {
            name: name.trim().to_string(),
        })?;
        let old_name = site.name.clone();
        change.apply(&mut site);
        let site = site.tidy();
        site.check()?;
        if !same(&site.name, &old_name) && self.site(&site.name).is_some() {
            return Err(AfmtRefusal::InstallSiteTaken { name: site.name }.into());
        }
        if site.name != old_name {
            for i in self
                .ordered_items
                .iter_mut()
                .filter(|i| same(&i.install_site, &old_name))
            {
                i.install_site = site.name.clone();
            }
            for f in self
                .activation_files
                .iter_mut()
                .filter(|f| same(&f.install_site, &old_name))
            {
                f.install_site = site.name.clone();
            }
        }
        match self.site_records.iter_mut().find(|r| same(&r.name, &old_name)) {
            Some(r) => *r = site.clone(),
            None => self.site_records.push(site.clone()),
        }
        Ok(site)
    }

    /// Deactivate: clears Active.
    pub fn deactivate_site(&mut self, name: &str) -> Result<InstallSite, AccountError> {
        let site = self.site(name).ok_or_else(|| AfmtRefusal::NoSuchInstallSite {
            name: name.trim().to_string(),
        })?;
        if !site.active {
            return Err(AfmtRefusal::InstallSiteInactive { name: site.name }.into());
        }
        self.edit_site(
            name,
            &SiteChange {
                active: Some(false),
                ..SiteChange::default()
            },
        )
    }
}
