//! `cloud estimate`: what this site would cost on Genesys Cloud, from the
//! usage history next to the workspace (docs/cloud-estimate.md).

use std::process::ExitCode;

use serde::Serialize;

use super::args::{CloudCommand, CloudEstimateArgs, EstimateFormat};
use super::{Failure, banner, load_license, load_workspace, print_json, print_text};
use crate::core::cloud::{self, CloudEstimate, CloudLicense, EstimateInput, files};
use crate::core::cost::Cents;
use crate::core::history::{self, History};
use crate::core::license::{License, Trust};
use crate::core::text::{safe, thousands};

pub(super) fn run_cloud(cmd: CloudCommand) -> Result<ExitCode, Failure> {
    match cmd {
        CloudCommand::Estimate(args) => estimate(&args),
    }
}

/// `cloud estimate --format json`: whose license, then the estimate.
#[derive(Serialize)]
struct EstimateJson<'a> {
    license: Trust,
    history: String,
    #[serde(flatten)]
    estimate: &'a CloudEstimate,
}

fn estimate(args: &CloudEstimateArgs) -> Result<ExitCode, Failure> {
    let ws = load_workspace(&args.workspace)?;
    let path = args
        .history
        .clone()
        .unwrap_or_else(|| history::path_for(&args.workspace));
    let store = History::open_read_only(&path)?;
    let license = match &args.license {
        Some(l) => load_license(l, &args.trust)?,
        None => stored_license(&store, &path, &args.trust)?,
    };
    let Some((first, last)) = store.span()? else {
        return Err(Failure::refused(format!(
            "{} has no days yet; import events with `ia-licensing history import`",
            path.display()
        )));
    };
    let (from, to) = (args.from.unwrap_or(first), args.to.unwrap_or(last));
    if from > to {
        // Name what was given: a bound not given is the history's.
        let why = match (args.from, args.to) {
            (Some(_), Some(_)) => format!("--from {from} is after --to {to}; give the first day first"),
            (Some(_), None) => {
                format!("--from {from} is after the usage history's last day, {last}; give an earlier --from")
            }
            _ => format!("--to {to} is before the usage history's first day, {first}; give a later --to"),
        };
        return Err(Failure::refused(why));
    }
    let mut settings = ws.cloud.clone();
    if let Some(p) = &args.mapping {
        settings.mapping = Some(files::read_mapping(p)?);
    }
    if let Some(p) = &args.prices {
        settings.prices = Some(files::read_prices(p)?);
    }
    if let Some(p) = &args.waves {
        settings.waves = files::read_waves(p)?;
    }
    let logons = store.logons(from, to)?;
    let est = cloud::estimate(
        &EstimateInput {
            ws: &ws,
            settings: &settings,
            logons: &logons,
            from,
            to,
            history: (first, last),
        },
        &|_, _| {},
    );
    match args.format {
        EstimateFormat::Json => print_json(&EstimateJson {
            license: license.signature.trust(),
            history: path.display().to_string(),
            estimate: &est,
        })?,
        EstimateFormat::Csv => print_text(&crate::core::reports::cloud::csv(&est)?)?,
        EstimateFormat::Table => print_text(&table(&license, &est))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The license the history's last import used, verified again.
fn stored_license(store: &History, path: &std::path::Path, trust: &super::args::TrustArgs) -> Result<License, Failure> {
    let Some(text) = store.stored_license()? else {
        return Err(Failure::refused(format!(
            "{} has no license recorded; give the license with --license",
            path.display()
        )));
    };
    super::history::verify(text.as_bytes(), trust).map_err(|r| {
        Failure::refused(format!(
            "the license stored in {} is refused ({r}); give the license with --license",
            path.display()
        ))
    })
}

fn money(c: Option<Cents>) -> String {
    c.map_or_else(|| "–".to_string(), Cents::format)
}

fn label(code: &str) -> &str {
    CloudLicense::from_code(code).map_or(code, |l| l.short())
}

/// A period as the tables show it: "(part)" when it is not costed.
fn period_text(p: &cloud::CloudPeriod) -> String {
    format!("{} – {}{}", p.start, p.end, if p.costed { "" } else { " (part)" })
}

/// The estimate as text: notes first, periods, licenses, mapping, waves,
/// assumptions.
fn table(license: &License, est: &CloudEstimate) -> String {
    let mut out = String::new();
    banner(&mut out, &[license]);
    let cur = est.currency.as_deref().map(safe).unwrap_or_default();
    let pc_cur = est.pureconnect_currency.as_deref().map(safe).unwrap_or_default();
    let period_words = if est.billing_start_day == 1 {
        "calendar months".to_string()
    } else {
        format!("periods from the {}", ordinal(est.billing_start_day))
    };
    out.push_str(&format!(
        "Genesys Cloud estimate, {} to {} ({period_words})\n{}\n",
        est.from, est.to, est.note
    ));
    // What changes how the figures read comes before them.
    for n in &est.notes {
        out.push_str(&format!("Note: {}\n", safe(n)));
    }
    if let Some(n) = &est.prices_note {
        out.push_str(&format!("{n}\n"));
    }
    if let Some(n) = &est.days_without_logons_note {
        out.push_str(&format!("{n}\n"));
    }
    let head = money_heading;
    let money_head = |what: &str| head(what, &cur);
    let mut t = super::output::table(&[
        "Period",
        "Named users",
        "Concurrent peak",
        "Hours logged in",
        &money_head("Named"),
        &money_head("Concurrent"),
        &money_head("Hourly"),
        &money_heading("PureConnect", &pc_cur),
        "Cheapest",
    ]);
    for p in &est.periods {
        t.add_row(vec![
            period_text(p),
            thousands(p.named_users as usize),
            thousands(p.concurrent_peak as usize),
            p.hours_logged_in.text(),
            money(p.cost.named),
            money(p.cost.concurrent),
            money(p.cost.hourly),
            money(p.cost.pureconnect),
            p.cheapest.map_or("–", |m| m.label()).to_string(),
        ]);
    }
    let total_label = match est.totals.periods {
        0 => "Total (no whole period)".to_string(),
        n if n as usize == est.periods.len() => "Total".to_string(),
        n => format!(
            "Total ({})",
            crate::core::text::count(n as usize, "whole period", "whole periods")
        ),
    };
    t.add_row(vec![
        total_label,
        String::new(),
        String::new(),
        String::new(),
        money(est.totals.named),
        money(est.totals.concurrent),
        money(est.totals.hourly),
        money(est.totals.pureconnect),
        est.totals.cheapest.map_or("–", |m| m.label()).to_string(),
    ]);
    super::output::align_right(&mut t, 1..8);
    out.push_str(&format!("\n{t}\n"));
    for p in est.periods.iter().filter(|p| !p.costed) {
        if let Some(why) = &p.not_costed {
            out.push_str(&format!("{} – {} is not costed: {why}.\n", p.start, p.end));
        }
    }
    let mut t = super::output::table(&[
        "Period",
        "License",
        "Named",
        "Concurrent",
        "Hours",
        "Contracted",
        "Named overage",
        "Concurrent overage",
    ]);
    for p in &est.periods {
        let over = |m: cloud::Model, code: &str| {
            p.overage
                .get(m.code())
                .and_then(|per| per.get(code))
                .map_or_else(String::new, |n| thousands(*n as usize))
        };
        for (code, line) in &p.by_license {
            t.add_row(vec![
                period_text(p),
                safe(label(code)).into_owned(),
                thousands(line.named as usize),
                thousands(line.concurrent as usize),
                line.hours.text(),
                thousands(line.contracted as usize),
                over(cloud::Model::Named, code),
                over(cloud::Model::Concurrent, code),
            ]);
        }
    }
    super::output::align_right(&mut t, 2..8);
    out.push_str(&format!(
        "\nPer license (overage: users above the contract, per model)\n{t}\n"
    ));
    out.push_str(&mapping_text(est));
    out.push_str(&phased_text(est, &pc_cur, &cur));
    out.push_str("\nAssumptions in force\n");
    for a in &est.assumptions {
        out.push_str(&format!("  - {}: {}\n", safe(&a.rule), safe(&a.text)));
    }
    out
}

/// The mapping as it applies now, and the users no rule matches.
fn mapping_text(est: &CloudEstimate) -> String {
    let mut out = String::new();
    let mut t = super::output::table(&["Rule", "Genesys Cloud license", "Users", "Assumption"]);
    for r in &est.mapping {
        t.add_row(vec![
            safe(&r.rule).into_owned(),
            r.license_name.to_string(),
            thousands(r.users as usize),
            if r.assumption { "assumption" } else { "" }.to_string(),
        ]);
    }
    super::output::align_right(&mut t, 2..3);
    out.push_str(&format!("\nMapping (licenses as the workspace has them now)\n{t}\n"));
    if !est.unmatched_users.is_empty() {
        let shown: Vec<String> = est
            .unmatched_users
            .iter()
            .take(20)
            .map(|u| safe(u).into_owned())
            .collect();
        out.push_str(&format!(
            "Users who match no rule ({}): {}{}\n",
            thousands(est.unmatched_users.len()),
            shown.join(", "),
            if est.unmatched_users.len() > 20 { ", …" } else { "" }
        ));
    }
    out
}

/// The phased move: its waves and both systems' cost per period.
fn phased_text(est: &CloudEstimate, pc_cur: &str, cur: &str) -> String {
    let mut out = String::new();
    let money_head = |what: &str| money_heading(what, cur);
    if !est.waves.is_empty() {
        out.push_str("\nPhased move");
        if let Some(m) = est.phased.model {
            out.push_str(&format!(" (Genesys Cloud costed as {})", m.label()));
        }
        let mut t = super::output::table(&["Wave", "Date", "Users"]);
        for w in &est.waves {
            t.add_row(vec![
                safe(&w.name).into_owned(),
                w.date.to_string(),
                thousands(w.users.len()),
            ]);
        }
        out.push_str(&format!("\n{t}\n"));
        let mut t = super::output::table(&[
            "Period",
            "Moved",
            "On PureConnect",
            &money_heading("PureConnect", pc_cur),
            &money_head("Genesys Cloud"),
            &money_head("Both"),
        ]);
        for p in &est.periods {
            let cloud = est.phased.model.and_then(|m| p.phased.genesys_cloud.get(m));
            t.add_row(vec![
                period_text(p),
                thousands(p.phased.moved_users as usize),
                thousands(p.phased.staying_users as usize),
                money(p.phased.pureconnect),
                money(cloud),
                money(p.phased.total),
            ]);
        }
        super::output::align_right(&mut t, 1..6);
        out.push_str(&format!(
            "{t}\nRunning both systems over the whole periods: {}\n",
            money(est.phased.total)
        ));
    }
    out
}

/// A column heading with its currency, when there is one.
fn money_heading(what: &str, cur: &str) -> String {
    if cur.is_empty() {
        what.to_string()
    } else {
        format!("{what} ({cur})")
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
