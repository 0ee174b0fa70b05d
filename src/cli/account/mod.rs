//! `account show|generate|update|deactivate|upgrade|sign|site|request`: the Activation
//! File Management Tool's account. The work is the core's (`core::account`:
//! lock, verify, change, sign, write; generate as one transaction); this
//! module parses, calls it and prints.

mod request;
mod sites;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use super::args::{
    AccountCommand, AccountFile, AccountSigning, AccountTrustArgs, ActiveArg, ActivityArgs, NewArgs, OutputFormat,
};
use super::output;
use super::{Failure, print_json, print_text};
use crate::core::account::{self, Account, ActiveFilter, ActivityFilter, Signer, SummaryRow};
use crate::core::license::TrustStore;
use crate::core::license::signing::IssuerKey;
use crate::core::text::safe;

pub(super) fn run_account(cmd: AccountCommand) -> Result<ExitCode, Failure> {
    match cmd {
        AccountCommand::Show {
            file,
            trust,
            install_site,
            activity,
            format,
        } => show_account(file, trust, install_site, activity, format),
        AccountCommand::Site(cmd) => sites::run(cmd),
        AccountCommand::Request(args) => request::run(*args),
        AccountCommand::Generate(args) => generate(*args, None),
        AccountCommand::Update { id, new } => generate(*new, Some(id)),
        AccountCommand::Deactivate {
            file,
            id,
            signing,
            format,
        } => deactivate(file, id, signing, format),
        AccountCommand::Upgrade {
            file,
            parts,
            all,
            mirror,
            signing,
            format,
        } => upgrade(file, parts, all, mirror, signing, format),
        AccountCommand::Sign {
            file,
            sign_key,
            trust,
            format,
        } => sign(file, sign_key, trust, format),
    }
}

/// `account show`: the account, filtered as Activation File Activity filters.
fn show_account(
    file: AccountFile,
    trust: Vec<PathBuf>,
    install_site: Option<String>,
    activity: ActivityArgs,
    format: OutputFormat,
) -> Result<ExitCode, Failure> {
    let store = AccountTrustArgs {
        trust,
        allow_unsigned_account: false,
    }
    .trust_store()?;
    if let (Some(from), Some(to)) = (activity.generated_from, activity.generated_to)
        && from > to
    {
        return Err(Failure::refused(format!(
            "--generated-from {from} is after --generated-to {to}; give a range that runs forward"
        )));
    }
    let filter = ActivityFilter {
        install_site: install_site.clone(),
        generated_from: activity.generated_from,
        generated_to: activity.generated_to,
        active: match activity.active {
            ActiveArg::Yes => ActiveFilter::Yes,
            ActiveArg::No => ActiveFilter::No,
            ActiveArg::All => ActiveFilter::All,
        },
        product_line: activity.product_line,
        license_type: activity.license_type,
        generated_by: activity.generated_by,
        machine: activity.machine,
    };
    show(&path_of(&file)?, &store, install_site.as_deref(), &filter, format)
}

/// `account deactivate`: its items are available again.
fn deactivate(
    file: AccountFile,
    id: String,
    signing: AccountSigning,
    format: OutputFormat,
) -> Result<ExitCode, Failure> {
    let path = path_of(&file)?;
    let edited = with_signer(&signing.sign_key, &signing.trust, |signer| {
        Ok(account::edit(&path, signer, |acct| {
            acct.deactivate(&id)?;
            Ok(acct.activation_file(&id).map_or_else(|| id.clone(), |f| f.id.clone()))
        })?)
    })?;
    let id = edited.value.clone();
    report(
        format,
        &Changed {
            account: &edited.trust,
            action: "deactivated",
            activation_file: Some(&id),
            license: None,
            upgraded: Vec::new(),
            mirrored: None,
            regenerate: Vec::new(),
            notes: &[],
            summary: edited.account.summary(None),
        },
        &edited.trust.banner().into_iter().collect::<Vec<_>>(),
        &format!("Deactivated {id}: its items are available again.\n"),
    )
}

/// `account upgrade`: software versions upgraded (and mirrored).
fn upgrade(
    file: AccountFile,
    parts: Vec<String>,
    all: bool,
    mirror: bool,
    signing: AccountSigning,
    format: OutputFormat,
) -> Result<ExitCode, Failure> {
    let path = path_of(&file)?;
    let edited = with_signer(&signing.sign_key, &signing.trust, |signer| {
        Ok(account::edit(&path, signer, |acct| acct.upgrade(&parts, all, mirror))?)
    })?;
    let outcome = &edited.value;
    let mut text = String::new();
    for (from, to, n) in &outcome.upgraded {
        text.push_str(&format!("Upgraded {from} -> {to} ({n})\n"));
    }
    if !outcome.regenerate.is_empty() {
        text.push_str(&format!(
            "Regenerate these activation files to carry the new version: {}\n",
            outcome.regenerate.join(", ")
        ));
    }
    report(
        format,
        &Changed {
            account: &edited.trust,
            action: "upgraded",
            activation_file: None,
            license: None,
            upgraded: outcome
                .upgraded
                .iter()
                .map(|(from, to, quantity)| Upgraded {
                    from,
                    to,
                    quantity: *quantity,
                })
                .collect(),
            mirrored: Some(outcome.mirrored),
            regenerate: outcome.regenerate.clone(),
            notes: &[],
            summary: edited.account.summary(None),
        },
        &edited.trust.banner().into_iter().collect::<Vec<_>>(),
        &text,
    )
}

/// `account sign`: the account signed again with a key, the old file kept.
fn sign(file: AccountFile, sign_key: PathBuf, trust: Vec<PathBuf>, format: OutputFormat) -> Result<ExitCode, Failure> {
    let path = path_of(&file)?;
    let key = IssuerKey::from_path(&sign_key)?;
    let store = AccountTrustArgs {
        trust,
        allow_unsigned_account: true,
    }
    .trust_store()?;
    let signer = Signer {
        key: &key,
        trust: &store,
        allow_unsigned: true,
    };
    let signed = account::sign(&path, &signer)?;
    let before = match (&signed.trust.status, &signed.trust.issuer, &signed.trust.note) {
        (account::AccountStatus::Valid, Some(by), _) => format!("signed by {}", safe(by)),
        (account::AccountStatus::Demo, ..) => "signed with the demo key".to_string(),
        (account::AccountStatus::Unsigned, _, Some(note)) => note.clone(),
        (status, ..) => status.word().to_string(),
    };
    let after = account::load(&path, &signer.store())?.1;
    let banners: Vec<String> = after.banner().into_iter().collect();
    let mut bak = path.as_os_str().to_owned();
    bak.push(".bak");
    let bak = PathBuf::from(bak);
    report(
        format,
        &serde_json::json!({
            "account": after,
            "action": "signed",
            "previous_status": signed.trust.status.word(),
            "previous_issuer": signed.trust.issuer,
            "backup": bak.display().to_string(),
        }),
        &banners,
        &format!(
            "Signed {} with the key {} (it was {before}); the previous file is kept as {}.\n",
            safe(&path.display().to_string()),
            safe(&key.key_id),
            safe(&bak.display().to_string())
        ),
    )
}

pub(super) fn path_of(file: &AccountFile) -> Result<PathBuf, Failure> {
    file.path
        .clone()
        .or_else(|| file.account.clone())
        .ok_or_else(|| Failure::refused("name the account file (ACCOUNT or --account FILE)"))
}

/// Loads the signing key and the trusted keys, then runs `f` with them;
/// the first line says when the account was not vouched for.
pub(super) fn with_signer<T>(
    key_path: &Path,
    trust: &AccountTrustArgs,
    f: impl FnOnce(&Signer<'_>) -> Result<account::Edited<T>, Failure>,
) -> Result<account::Edited<T>, Failure> {
    let key = IssuerKey::from_path(key_path)?;
    let store = trust.trust_store()?;
    let signer = Signer {
        key: &key,
        trust: &store,
        allow_unsigned: trust.allow_unsigned_account,
    };
    f(&signer)
}

/// `account generate`, `account update` and `license new --account`.
pub(super) fn generate(args: NewArgs, replaces: Option<String>) -> Result<ExitCode, Failure> {
    let path = args
        .account
        .clone()
        .ok_or_else(|| Failure::refused("name the account to draw on: --account FILE"))?;
    let order = super::license::order_from(&args)?;
    let mut inputs: Vec<&Path> = vec![&args.sign_key];
    inputs.extend(args.account_trust.trust.iter().map(PathBuf::as_path));
    let generated = {
        let key = IssuerKey::from_path(&args.sign_key)?;
        let store = args.account_trust.trust_store()?;
        let signer = Signer {
            key: &key,
            trust: &store,
            allow_unsigned: args.account_trust.allow_unsigned_account,
        };
        account::generate(&path, &signer, &order, replaces.as_deref(), &args.out, &inputs)?
    };
    let banners: Vec<String> = generated
        .trust
        .banner()
        .into_iter()
        .chain(generated.license.signature.banner().map(str::to_string))
        .collect();
    let drawn = &generated.drawn;
    let out = args.out.display().to_string();
    let summary = drawn.account.summary(Some(order.install_site.trim()));
    // What the tool says of the order, and the readings of keys given as
    // the seeds also spell them.
    let notes: Vec<String> = drawn
        .notes
        .iter()
        .cloned()
        .chain(
            super::license::given_readings(&args)
                .into_iter()
                .map(|r| format!("{r}; the file holds it under that name.")),
        )
        .collect();
    let mut text = String::new();
    for note in &notes {
        text.push_str(&format!("Note: {note}\n\n"));
    }
    text.push_str(&summary_table(&summary));
    let code = report(
        args.format,
        &Changed {
            account: &generated.trust,
            action: if replaces.is_some() { "updated" } else { "generated" },
            activation_file: Some(&drawn.activation_id),
            license: Some(&out),
            upgraded: Vec::new(),
            mirrored: None,
            regenerate: Vec::new(),
            notes: &notes,
            summary,
        },
        &banners,
        &text,
    )?;
    eprintln!(
        "wrote {} ({}) and recorded it in {}",
        safe(&args.out.display().to_string()),
        drawn.activation_id,
        safe(&path.display().to_string())
    );
    Ok(code)
}

#[derive(Serialize)]
struct Upgraded<'a> {
    from: &'a str,
    to: &'a str,
    quantity: i64,
}

/// What a change did, and the Account Summary after it.
#[derive(Serialize)]
struct Changed<'a> {
    /// How far the account was trusted when it was read.
    account: &'a account::AccountTrust,
    action: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    activation_file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    license: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    upgraded: Vec<Upgraded<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mirrored: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    regenerate: Vec<String>,
    /// What the administrator should know about the result, in words.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    summary: Vec<SummaryRow>,
}

/// Prints what a change did: as a table, the DEMO/UNSIGNED/TAMPERED lines
/// first on standard output; as JSON (which says it in `account`), those
/// lines on standard error.
pub(super) fn report(
    format: OutputFormat,
    changed: &impl Serialize,
    banners: &[String],
    text: &str,
) -> Result<ExitCode, Failure> {
    match format {
        OutputFormat::Json => {
            for b in banners {
                eprintln!("{b}");
            }
            print_json(changed)?;
        }
        OutputFormat::Table => {
            let mut out = String::new();
            for b in banners {
                out.push_str(b);
                out.push('\n');
            }
            out.push_str(text);
            print_text(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `account show --format json`.
#[derive(Serialize)]
struct Show<'a> {
    /// The account's signature status (`status`, `issuer`).
    account: &'a account::AccountTrust,
    /// AFMT's "Account Name".
    account_name: &'a str,
    support_option: &'a str,
    install_site: Option<&'a str>,
    /// The install sites' names (records and those the ordered items name).
    install_sites: Vec<String>,
    /// The Install Sites tab: name, address, city, …, active.
    install_site_details: Vec<account::InstallSite>,
    summary: Vec<SummaryRow>,
    software_details: Vec<account::DetailRow>,
    /// Activation File Activity's filters as applied.
    activity_filter: &'a ActivityFilter,
    activation_files: Vec<&'a account::ActivationFile>,
    upgrade_options: Vec<account::UpgradeOption>,
    parts_without_upgrade: Vec<SummaryRow>,
}

fn show(
    path: &Path,
    trust: &TrustStore,
    site: Option<&str>,
    filter: &ActivityFilter,
    format: OutputFormat,
) -> Result<ExitCode, Failure> {
    let (acct, status): (Account, account::AccountTrust) = account::load(path, trust)?;
    if let Some(s) = site
        && !acct
            .install_sites()
            .iter()
            .any(|x| x.trim().eq_ignore_ascii_case(s.trim()))
    {
        return Err(Failure::refused(format!(
            "the account has no install site `{}`; its sites are {}",
            safe(s),
            acct.install_sites()
                .iter()
                .map(|x| safe(x).into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let files: Vec<&account::ActivationFile> = acct.activity(filter).collect();
    match format {
        OutputFormat::Json => print_json(&Show {
            account: &status,
            account_name: &acct.account,
            support_option: &acct.support_option,
            install_site: site,
            install_sites: acct.install_sites(),
            install_site_details: acct.site_rows(),
            summary: acct.summary(site),
            software_details: acct.details(site),
            activity_filter: filter,
            activation_files: files,
            upgrade_options: acct.upgrade_options(),
            parts_without_upgrade: acct.parts_without_upgrade(),
        })?,
        OutputFormat::Table => {
            let mut out = status.banner().map_or_else(String::new, |b| format!("{b}\n"));
            out.push_str(&format!(
                "Account Name: {}\nInstall Site: {}\n\nAccount Summary\n",
                safe(&acct.account),
                safe(site.unwrap_or("All Install Sites"))
            ));
            out.push_str(&summary_table(&acct.summary(site)));
            out.push_str(&format!(
                "\nActivation File Activity (Active: {}) — Number of Total Results # {}\n",
                filter.active.label(),
                files.len()
            ));
            let mut t = output::table(&[
                "ID",
                "Generated Date",
                "Expiration Date",
                "Active",
                "Install Site",
                "Generated By",
                "Machine",
                "Product",
                "Type",
            ]);
            for f in &files {
                t.add_row(vec![
                    safe(&f.id).into_owned(),
                    f.generated.to_string(),
                    f.expires.to_string(),
                    if f.active { "Yes" } else { "No" }.to_string(),
                    safe(&f.install_site).into_owned(),
                    safe(&f.generated_by).into_owned(),
                    safe(&f.machine).into_owned(),
                    safe(&f.product).into_owned(),
                    crate::core::license::Level::parse(&f.level)
                        .map_or_else(|| safe(&f.level).into_owned(), |l| l.label().to_string()),
                ]);
            }
            out.push_str(&format!("{t}\n"));
            out.push_str("\nInstall Sites\n");
            let mut t = output::table(&["Name", "Address", "City", "State", "Country", "Postal Code", "Active"]);
            for r in acct.site_rows() {
                t.add_row(vec![
                    safe(&r.name).into_owned(),
                    safe(&r.address()).into_owned(),
                    safe(&r.city).into_owned(),
                    safe(&r.state).into_owned(),
                    safe(&r.country).into_owned(),
                    safe(&r.postal_code).into_owned(),
                    if r.active { "Yes" } else { "No" }.to_string(),
                ]);
            }
            out.push_str(&format!("{t}\n"));
            let options = acct.upgrade_options();
            if !options.is_empty() {
                out.push_str("\nParts with Upgrade Options\n");
                let mut t = output::table(&["Part Number", "Description", "Upgrade Options", "Mirroring Available"]);
                for o in &options {
                    t.add_row(vec![
                        o.part_number.clone(),
                        o.description.clone(),
                        format!("3.0 -> 4.0 ({})", o.upgrades_to),
                        if o.mirroring_available { "Yes" } else { "No" }.to_string(),
                    ]);
                }
                out.push_str(&format!("{t}\n"));
            }
            print_text(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn summary_table(rows: &[SummaryRow]) -> String {
    let mut t = output::table(&[
        "Part Number",
        "Product Category",
        "Description",
        "Total",
        "Used",
        "Available",
    ]);
    for r in rows {
        t.add_row(vec![
            safe(&r.part_number).into_owned(),
            r.product_category.clone(),
            safe(&r.description).into_owned(),
            r.total.to_string(),
            r.used.to_string(),
            r.available.to_string(),
        ]);
    }
    output::align_right(&mut t, 3..6);
    format!("{t}\n")
}
