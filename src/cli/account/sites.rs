//! `account site add|edit|deactivate`: the Install Sites tab. Every change
//! goes through `core::account::edit` (lock, verify, change, sign, write).

use std::process::ExitCode;

use serde::Serialize;

use super::super::Failure;
use super::super::args::{AccountSiteCommand, OutputFormat, SiteArgs, YesNo};
use super::{path_of, with_signer};
use crate::core::account::{self, InstallSite, SiteChange};
use crate::core::text::safe;

/// What a site change did, and the Install Sites tab after it.
#[derive(Serialize)]
struct SiteChanged<'a> {
    account: &'a account::AccountTrust,
    action: &'static str,
    install_site: &'a InstallSite,
    install_sites: Vec<InstallSite>,
}

fn change_of(details: SiteArgs) -> SiteChange {
    SiteChange {
        new_name: None,
        address_line_1: details.address,
        address_line_2: details.address2,
        address_line_3: details.address3,
        city: details.city,
        state: details.state,
        country: details.country,
        postal_code: details.postal_code,
        active: None,
    }
}

pub(super) fn run(cmd: AccountSiteCommand) -> Result<ExitCode, Failure> {
    let (file, signing, format, action, apply): (_, _, OutputFormat, &'static str, Box<SiteEdit>) = match cmd {
        AccountSiteCommand::Add {
            file,
            name,
            details,
            signing,
            format,
        } => {
            let change = change_of(details);
            let apply: Box<SiteEdit> = Box::new(move |acct: &mut account::Account| {
                let mut site = InstallSite::named(&name);
                change_into(&change, &mut site);
                acct.add_site(site)
            });
            (file, signing, format, "added", apply)
        }
        AccountSiteCommand::Edit {
            file,
            name,
            new_name,
            details,
            active,
            signing,
            format,
        } => {
            let mut change = change_of(details);
            change.new_name = new_name;
            change.active = active.map(|a| a == YesNo::Yes);
            let apply: Box<SiteEdit> = Box::new(move |acct: &mut account::Account| acct.edit_site(&name, &change));
            (file, signing, format, "edited", apply)
        }
        AccountSiteCommand::Deactivate {
            file,
            name,
            signing,
            format,
        } => {
            let apply: Box<SiteEdit> = Box::new(move |acct: &mut account::Account| acct.deactivate_site(&name));
            (file, signing, format, "deactivated", apply)
        }
    };
    let path = path_of(&file)?;
    let edited = with_signer(&signing.sign_key, &signing.trust, |signer| {
        Ok(account::edit(&path, signer, |acct| apply(acct))?)
    })?;
    let site = &edited.value;
    let text = format!(
        "Install site {} {action}: {}{}\n",
        safe(&site.name),
        if site.active { "active" } else { "not active" },
        if site.address().is_empty() {
            String::new()
        } else {
            format!(", {}", safe(&site.address()))
        }
    );
    // The account's status first, as every account command says it.
    let banners: Vec<String> = edited.trust.banner().into_iter().collect();
    super::report(
        format,
        &SiteChanged {
            account: &edited.trust,
            action,
            install_site: site,
            install_sites: edited.account.site_rows(),
        },
        &banners,
        &text,
    )
}

type SiteEdit = dyn FnOnce(&mut account::Account) -> Result<InstallSite, account::AccountError>;

/// The address fields `change` gives, for a new site.
fn change_into(change: &SiteChange, site: &mut InstallSite) {
    for (to, from) in [
        (&mut site.address_line_1, &change.address_line_1),
        (&mut site.address_line_2, &change.address_line_2),
        (&mut site.address_line_3, &change.address_line_3),
        (&mut site.city, &change.city),
        (&mut site.state, &change.state),
        (&mut site.country, &change.country),
        (&mut site.postal_code, &change.postal_code),
    ] {
        if let Some(v) = from {
            to.clone_from(v);
        }
    }
}
