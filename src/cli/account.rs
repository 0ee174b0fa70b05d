//! `account show|generate|update|deactivate|upgrade`: the Activation File
//! Management Tool's account. Every change holds the account's lock from
//! reading to writing, and the account is written before the license file
//! (a crash in between leaves units drawn for a file not written, never a
//! license the account does not count).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use super::args::{AccountCommand, AccountFile, NewArgs, OutputFormat};
use super::output;
use super::{Failure, print_json, print_text};
use crate::core::account::{self, Account, AccountLock, SummaryRow};
use crate::core::license::signing::IssuerKey;
use crate::core::text::safe;

pub(super) fn run_account(cmd: AccountCommand) -> Result<ExitCode, Failure> {
    match cmd {
        AccountCommand::Show {
            file,
            install_site,
            format,
        } => show(&path_of(&file)?, install_site.as_deref(), format),
        AccountCommand::Generate(args) => generate(*args, None),
        AccountCommand::Update { id, new } => generate(*new, Some(id)),
        AccountCommand::Deactivate { file, id, format } => {
            let path = path_of(&file)?;
            let _lock = AccountLock::acquire(&path)?;
            let mut acct = account::load(&path)?;
            acct.deactivate(&id)?;
            account::save(&path, &acct)?;
            let id = acct.activation_file(&id).map_or(id, |f| f.id.clone());
            report(
                format,
                &Changed {
                    action: "deactivated",
                    activation_file: Some(&id),
                    license: None,
                    upgraded: Vec::new(),
                    mirrored: None,
                    regenerate: Vec::new(),
                    summary: acct.summary(None),
                },
                &format!("Deactivated {id}: its items are available again.\n"),
            )
        }
        AccountCommand::Upgrade {
            file,
            parts,
            all,
            mirror,
            format,
        } => {
            let path = path_of(&file)?;
            let _lock = AccountLock::acquire(&path)?;
            let mut acct = account::load(&path)?;
            let outcome = acct.upgrade(&parts, all, mirror)?;
            account::save(&path, &acct)?;
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
                    summary: acct.summary(None),
                },
                &text,
            )
        }
    }
}

fn path_of(file: &AccountFile) -> Result<PathBuf, Failure> {
    file.path
        .clone()
        .or_else(|| file.account.clone())
        .ok_or_else(|| Failure::refused("name the account file (ACCOUNT or --account FILE)"))
}

/// `account generate`, `account update` and `license new --account`.
pub(super) fn generate(args: NewArgs, replaces: Option<String>) -> Result<ExitCode, Failure> {
    let path = args
        .account
        .clone()
        .ok_or_else(|| Failure::refused("name the account to draw on: --account FILE"))?;
    let key = IssuerKey::from_path(&args.sign_key)?;
    let order = super::license::order_from(&args)?;
    let _lock = AccountLock::acquire(&path)?;
    let acct = account::load(&path)?;
    let drawn = account::draw(&acct, &order, &key, replaces.as_deref())?;
    let made = super::license::verify_generated(&drawn.license_text, &key, &args.sign_key)?;
    drawn.commit(&path, &args.out)?;
    if let Some(b) = made.signature.banner() {
        eprintln!("{b}");
    }
    eprintln!(
        "wrote {} ({}) and recorded it in {}",
        safe(&args.out.display().to_string()),
        drawn.activation_id,
        safe(&path.display().to_string())
    );
    let out = args.out.display().to_string();
    report(
        args.format,
        &Changed {
            action: if replaces.is_some() { "updated" } else { "generated" },
            activation_file: Some(&drawn.activation_id),
            license: Some(&out),
            upgraded: Vec::new(),
            mirrored: None,
            regenerate: Vec::new(),
            summary: drawn.account.summary(Some(order.install_site.trim())),
        },
        &summary_table(&drawn.account.summary(Some(order.install_site.trim()))),
    )
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
    summary: Vec<SummaryRow>,
}

fn report(format: OutputFormat, changed: &Changed<'_>, text: &str) -> Result<ExitCode, Failure> {
    match format {
        OutputFormat::Json => print_json(changed)?,
        OutputFormat::Table => print_text(text)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `account show --format json`.
#[derive(Serialize)]
struct Show<'a> {
    account: &'a str,
    support_option: &'a str,
    install_site: Option<&'a str>,
    install_sites: Vec<String>,
    summary: Vec<SummaryRow>,
    software_details: Vec<account::DetailRow>,
    activation_files: Vec<&'a account::ActivationFile>,
    upgrade_options: Vec<account::UpgradeOption>,
    parts_without_upgrade: Vec<SummaryRow>,
}

fn show(path: &Path, site: Option<&str>, format: OutputFormat) -> Result<ExitCode, Failure> {
    let acct: Account = account::load(path)?;
    let files: Vec<&account::ActivationFile> = acct
        .activation_files
        .iter()
        .filter(|f| site.is_none_or(|s| f.install_site.trim().eq_ignore_ascii_case(s.trim())))
        .collect();
    match format {
        OutputFormat::Json => print_json(&Show {
            account: &acct.account,
            support_option: &acct.support_option,
            install_site: site,
            install_sites: acct.install_sites(),
            summary: acct.summary(site),
            software_details: acct.details(site),
            activation_files: files,
            upgrade_options: acct.upgrade_options(),
            parts_without_upgrade: acct.parts_without_upgrade(),
        })?,
        OutputFormat::Table => {
            let mut out = format!(
                "Account Name: {}\nInstall Site: {}\n\nAccount Summary\n",
                safe(&acct.account),
                safe(site.unwrap_or("All Install Sites"))
            );
            out.push_str(&summary_table(&acct.summary(site)));
            out.push_str("\nActivation File Activity\n");
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

fn summary_table(rows: &[SummaryRow]) -> String {
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
