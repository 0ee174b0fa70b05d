//! `license verify|show|new|keygen|diff|keys|parts`: the license file.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use chrono::NaiveDate;

use super::args::{LicenseCommand, NewArgs, OutputFormat, TrustArgs};
use super::output;
use super::{Failure, banner, load_license, load_workspace, pretty_json, print_json, print_text, serde_plain, today};
use crate::core::catalog;
use crate::core::document::Document;
use crate::core::license::generate::{self, Order};
use crate::core::license::signing::{self, IssuerKey};
use crate::core::license::{License, format::Switchover};
use crate::core::parts;
use crate::core::reports::view_license;
use crate::core::text::safe;

pub(super) fn run_diff(
    old: &Path,
    new: &Path,
    workspace: Option<&Path>,
    format: OutputFormat,
    at: Option<NaiveDate>,
    trust: &TrustArgs,
) -> Result<ExitCode, Failure> {
    use crate::core::compare;
    let old_l = load_license(old, trust)?;
    let new_l = load_license(new, trust)?;
    let ws = workspace.map(load_workspace).transpose()?;
    let diff = compare::diff(&old_l, &new_l, ws.as_ref().map(|w| w.server.host_id.as_str()));
    let impact = ws.map(|ws| {
        let doc = Document::new(Arc::new(old_l.clone()), ws, at.unwrap_or_else(today));
        compare::impact(&doc, &new_l)
    });
    match format {
        OutputFormat::Json => {
            print_json(&super::output::Diff {
                old_license: old_l.signature.trust(),
                new_license: new_l.signature.trust(),
                diff,
                impact: impact.clone(),
            })?;
        }
        OutputFormat::Table => {
            let mut out = String::new();
            if let Some(line) = old_l.signature.banner() {
                out.push_str(&format!("Old license: {line}\n"));
            }
            if let Some(line) = new_l.signature.banner() {
                out.push_str(&format!("New license: {line}\n"));
            }
            let mut line = |k: &str, c: Option<String>| {
                if let Some(c) = c {
                    out.push_str(&format!("{k:<16}{}\n", safe(&c)));
                }
            };
            line(
                "Product",
                diff.product.as_ref().map(|c| format!("{} → {}", c.old, c.new)),
            );
            line(
                "Version",
                diff.product_version.as_ref().map(|c| format!("{} → {}", c.old, c.new)),
            );
            line("Level", diff.level.as_ref().map(|c| format!("{} → {}", c.old, c.new)));
            line(
                "Host ID",
                diff.host_id.as_ref().map(|_| {
                    format!(
                        "{} → {}",
                        compare::host_id_words(&old_l),
                        compare::host_id_words(&new_l)
                    )
                }),
            );
            line(
                "Machine",
                diff.machine_name.as_ref().map(|c| format!("{} → {}", c.old, c.new)),
            );
            line(
                "Expires",
                diff.expires.as_ref().map(|c| format!("{} → {}", c.old, c.new)),
            );
            for f in &diff.features_added {
                out.push_str(&format!("+ feature {}\n", safe(f)));
            }
            for f in &diff.features_removed {
                out.push_str(&format!("- feature {}\n", safe(f)));
            }
            for k in &diff.licenses {
                out.push_str(&format!(
                    "{} {:<44} assigned {} → {}, pooled {} → {}\n",
                    if k.is_reduction() { "-" } else { "+" },
                    safe(&k.label),
                    k.old_assigned,
                    k.new_assigned,
                    k.old_pooled,
                    k.new_pooled
                ));
            }
            for i in &diff.ordered_items {
                out.push_str(&format!(
                    "  item {} {}: {} → {}\n",
                    safe(&i.part_number),
                    safe(&i.description),
                    i.old_quantity,
                    i.new_quantity
                ));
            }
            for n in &diff.notes {
                out.push_str(&format!("note: {}\n", safe(n)));
            }
            if diff.is_empty() {
                out.push_str("The licenses are the same.\n");
            }
            if let Some(imp) = &impact {
                out.push_str(&format!(
                    "\nImpact on the workspace: {} new, {} resolved\n",
                    imp.new.len(),
                    imp.resolved.len()
                ));
                for (what, list) in [("new", &imp.new), ("resolved", &imp.resolved)] {
                    for d in list {
                        let (sev, code) = (d.severity.label(), &d.code);
                        out.push_str(&format!(
                            "  {what:<8} {sev:<8} {code:<28} {}: {}\n",
                            safe(&d.subject.to_string()),
                            safe(&d.message)
                        ));
                    }
                }
            }
            print_text(&out)?;
        }
    }
    Ok(if impact.as_ref().is_some_and(compare::Impact::has_new_errors) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub(super) fn run_license(cmd: LicenseCommand) -> Result<ExitCode, Failure> {
    match cmd {
        LicenseCommand::Verify { file, trust } => {
            let license = load_license(&file, &trust)?;
            let mut line = format!("{}: {}", safe(&file.display().to_string()), license.signature.code());
            if let Some(issuer) = license.signature.issuer() {
                line.push_str(&format!(", issuer {}", safe(issuer.name())));
            }
            if license.signature.is_demo() {
                line.push_str(" (DEMO: signed with the public demo key)");
            }
            if license.signature == crate::core::license::SignatureStatus::Unsigned {
                line.push_str(" (UNSIGNED: loaded in training mode)");
            }
            if license.is_expired(today()) {
                line.push_str(&format!(", expired on {}", license.file.expires));
            }
            if let Some(b) = license.signature.banner() {
                line = format!("{b}\n{}", safe(&line));
            }
            print_text(&format!("{line}\n"))?;
            for w in &license.warnings {
                eprintln!("warning: {}", safe(w));
            }
            Ok(ExitCode::SUCCESS)
        }
        LicenseCommand::Show {
            file,
            format,
            today: at,
            trust,
        } => {
            let license = load_license(&file, &trust)?;
            let at = at.unwrap_or_else(today);
            match format {
                OutputFormat::Json => print_json(&license_json(&license, at))?,
                OutputFormat::Table => {
                    let mut out = String::new();
                    banner(&mut out, &[&license]);
                    out.push_str(&license_table(&license, at));
                    print_text(&out)?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        LicenseCommand::New(args) => match &args.account {
            Some(_) => super::account::generate(*args, None),
            None => new_license(*args),
        },
        LicenseCommand::Keygen { out, key_id } => {
            let (secret, public) = signing::generate_key_pair(key_id.as_deref())?;
            crate::core::fs::create_dir_all(&out)?;
            let key_path = out.join("issuer.key");
            let pub_path = out.join("issuer.pub");
            // The secret key: only its owner may read it, created new (never
            // through a link, never over an existing file).
            crate::core::fs::create_new_file(&key_path, pretty_json(&secret)?.as_bytes(), 0o600)?;
            if let Err(e) = crate::core::fs::create_new_file(&pub_path, pretty_json(&public)?.as_bytes(), 0o644) {
                let _ = crate::core::fs::remove_file(&key_path);
                return Err(Failure::refused(e));
            }
            print_text(&format!("{}\n", public.key_id))?;
            eprintln!(
                "wrote {} (keep it secret) and {}",
                key_path.display(),
                pub_path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        LicenseCommand::Diff {
            old,
            new,
            workspace,
            format,
            today: at,
            trust,
        } => run_diff(&old, &new, workspace.as_deref(), format, at, &trust),
        LicenseCommand::Keys { format } => {
            match format {
                OutputFormat::Json => print_json(catalog::all())?,
                OutputFormat::Table => {
                    let mut table = output::table(&["Key", "Name", "Kind", "Holders", "Method", "Assumed"]);
                    for k in catalog::all() {
                        table.add_row(vec![
                            k.key.to_string(),
                            k.label.to_string(),
                            serde_plain(&k.kind),
                            serde_plain(&k.holders),
                            if k.concurrent {
                                "concurrent-ok"
                            } else {
                                "assignable-only"
                            }
                            .to_string(),
                            if k.assumed { "assumed" } else { "" }.to_string(),
                        ]);
                    }
                    print_text(&format!("{table}\n"))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        LicenseCommand::Parts { format } => {
            match format {
                OutputFormat::Json => print_json(parts::all())?,
                OutputFormat::Table => {
                    let mut table = output::table(&[
                        "Part number",
                        "Product",
                        "Description",
                        "Keys",
                        "Upgrades to",
                        "Assumed",
                    ]);
                    for p in parts::all() {
                        table.add_row(vec![
                            p.part_number.to_string(),
                            p.product_category.to_string(),
                            p.description.to_string(),
                            p.keys.join(" "),
                            p.upgrades_to.unwrap_or("").to_string(),
                            if p.assumed { "assumed" } else { "" }.to_string(),
                        ]);
                    }
                    print_text(&format!("{table}\n"))?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The order a `license new` / `account generate` describes.
pub(super) fn order_from(args: &NewArgs) -> Result<Order, Failure> {
    let switchover = match (&args.switchover_host_id, &args.switchover_machine) {
        (Some(host_id), Some(machine_name)) => Some(Switchover {
            host_id: host_id.clone(),
            machine_name: machine_name.clone(),
        }),
        (None, None) => None,
        _ => {
            return Err(Failure::refused(
                "give both --switchover-host-id and --switchover-machine, or neither",
            ));
        }
    };
    Ok(Order {
        level: args.level,
        product_version: args.product_version.clone(),
        host_id: args.host_id.clone(),
        machine: args.machine.clone(),
        switchover,
        system_type: args.system_type.clone(),
        mail_connector: args.mail_connector.clone(),
        company: args.company.clone(),
        install_site: args.install_site.clone(),
        generated_by: args.generated_by.clone(),
        generated: args.generated.unwrap_or_else(today),
        expires: args.expires,
        parts: args.parts.clone(),
        licenses: args.licenses.clone(),
        features: args.features.clone(),
        ramp_date: args.ramp_date,
        grace_days: args.grace_days,
        partner_development: args.non_ordered,
    })
}

/// The readings of the aliases among the keys of an order (`--license`
/// and `--feature`).
pub(super) fn given_readings(args: &NewArgs) -> Vec<&'static str> {
    let licenses = args.licenses.iter().map(|l| l.name.as_str());
    catalog::alias_readings(licenses.chain(args.features.iter().map(String::as_str)))
}

/// Checks that generated license text loads with the signing key trusted.
/// `license new` without an account.
fn new_license(args: NewArgs) -> Result<ExitCode, Failure> {
    let key = IssuerKey::from_path(&args.sign_key)?;
    let order = order_from(&args)?;
    let file = generate::build(&order)?;
    let text = generate::sign_to_text(&file, &key)?;
    let made = generate::verify_generated(&text, &key)
        .map_err(|r| Failure::refused(format!("the generated license does not verify: {r}")))?;
    crate::core::fs::atomic_write(&args.out, text.as_bytes())?;
    if let Some(b) = made.signature.banner() {
        eprintln!("{b}");
    }
    eprintln!("wrote {}", safe(&args.out.display().to_string()));
    // A key given as the seeds also spell it is written as license files
    // carry it: said, not silent.
    let readings = given_readings(&args);
    for r in &readings {
        eprintln!("Note: {r}; the file holds it under that name.");
    }
    if matches!(args.format, OutputFormat::Json) {
        print_json(&serde_json::json!({"wrote": args.out.display().to_string(), "notes": readings}))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The public half of a private key file, as public-key JSON.
/// `license show --format json`.
pub(super) fn license_json(license: &License, today: NaiveDate) -> output::LicenseShow<'_> {
    let f = &license.file;
    output::LicenseShow {
        license: license.signature.trust(),
        status: license.signature.code(),
        issuer: license.signature.issuer().map(|i| i.name().to_string()),
        demo: license.signature.is_demo(),
        expired: license.is_expired(today),
        perpetual: license.is_perpetual(),
        days_to_expiry: license.days_to_expiry(today),
        product: &f.product,
        product_version: &f.product_version,
        level: f.level.code(),
        level_note: f.level.note(),
        company: &f.company,
        install_site: &f.install_site,
        generated_by: &f.generated_by,
        generated: f.generated.to_string(),
        expires: f.expires.to_string(),
        server: output::Server {
            host_id: &f.server.host_id,
            machine_name: &f.server.machine_name,
            system_type: &f.server.system_type,
            mail_connector: &f.server.mail_connector,
            switchover: f.server.switchover.as_ref().map(|s| output::Switchover {
                host_id: &s.host_id,
                machine_name: &s.machine_name,
            }),
        },
        features: &f.features,
        feature_details: f
            .features
            .iter()
            .map(|k| output::FeatureDetail {
                key: k,
                label: catalog::label(k),
                known: catalog::lookup(k).is_some(),
            })
            .collect(),
        licenses: license
            .allowances()
            .iter()
            .map(|a| output::LicenseLine {
                key: &a.key,
                label: catalog::label(&a.key),
                kind: catalog::lookup(&a.key).map(|k| k.kind),
                assigned: a.assigned,
                pooled: a.pooled,
            })
            .collect(),
        ordered_items: f
            .ordered_items
            .iter()
            .map(|o| output::OrderedItemLine {
                part_number: &o.part_number,
                description: &o.description,
                quantity: o.quantity,
                product_category: parts::lookup(&o.part_number).map(|p| p.product_category),
            })
            .collect(),
        virtual_cloud: f.virtual_cloud.as_ref().map(|v| output::VirtualCloudTerms {
            ramp_date: v.ramp_date.to_string(),
            grace_period_days: v.grace_period_days,
        }),
        warnings: &license.warnings,
    }
}

/// `license show` as a table, laid out like the tool's View License page.
pub(super) fn license_table(license: &License, today: NaiveDate) -> String {
    let f = &license.file;
    let mut out = String::new();
    // Every value comes from the file: escaped so it stays on its row.
    for (k, v) in view_license::details(license, today) {
        out.push_str(&format!("{k:<18}{}\n", safe(&v)));
    }
    out.push_str("\nFeatures\n");
    for k in &f.features {
        out.push_str(&format!("  {:<46}{}\n", safe(k), safe(catalog::label(k))));
    }
    out.push_str("\nLicenses\n");
    for (text, label, _) in view_license::license_lines(license) {
        out.push_str(&format!("  {:<70}{}\n", safe(&text), safe(label)));
    }
    out.push_str("\nOrdered Items Used\n");
    for o in &f.ordered_items {
        out.push_str(&format!(
            "  {} {} ({})\n",
            safe(&o.part_number),
            safe(&o.description),
            o.quantity
        ));
    }
    if !license.warnings.is_empty() {
        out.push_str("\nWarnings\n");
        for w in &license.warnings {
            out.push_str(&format!("  {}\n", safe(w)));
        }
    }
    out
}
