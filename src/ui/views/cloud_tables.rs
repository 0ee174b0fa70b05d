//! The Genesys Cloud estimate's answer and tables: the headline (each
//! model's total over the whole billing periods, the cheapest, PureConnect
//! today) with what the reader must know right under it, the per-period
//! table, and the cost of running both systems. A figure with an unknown
//! part is shown as unknown ("–"), never as the known part alone.

use crate::core::cloud::{CloudEstimate, Model};
use crate::core::cost::Cents;
use crate::core::text::{count, thousands};

pub(super) fn money(c: Option<Cents>) -> String {
    c.map_or_else(|| "–".to_string(), Cents::format)
}

/// "2026-01-01 to 2026-01-31", and " (part)" for a period not costed.
pub(super) fn period_label(p: &crate::core::cloud::CloudPeriod) -> String {
    format!("{} to {}{}", p.start, p.end, if p.costed { "" } else { " (part)" })
}

/// The answer first: the range, the cheapest model over the whole periods,
/// then the notes that change how it reads (users left out, parts of
/// periods, currencies), prominently, before any figure.
pub(super) fn headline(ui: &mut egui::Ui, est: &CloudEstimate) {
    let n = est.periods.len();
    let t = &est.totals;
    let whole = match (t.periods, t.from, t.to) {
        (0, ..) => "none of them whole, so nothing is costed".to_string(),
        (k, _, _) if k as usize == n => "all whole".to_string(),
        (k, Some(a), Some(b)) => format!(
            "{} costed, {a} to {b}",
            count(k as usize, "whole period", "whole periods")
        ),
        (k, ..) => count(k as usize, "whole period", "whole periods"),
    };
    ui.label(format!(
        "{} from {} to {} ({}; {whole}).",
        count(n, "billing period", "billing periods"),
        est.from,
        est.to,
        if est.billing_start_day == 1 {
            "calendar months".to_string()
        } else {
            format!("starting on day {}", est.billing_start_day)
        }
    ));
    let cur = est.currency.as_deref().unwrap_or("");
    match t.cheapest {
        Some(m) => {
            let total = t.get(m);
            ui.heading(format!(
                "Cheapest on Genesys Cloud: {} — {cur} {} (estimate)",
                m.label(),
                money(total)
            ));
        }
        None if est.currency.is_none() => {
            ui.heading("Counts only: enter prices to compare the models");
        }
        None => {
            ui.heading("No model can be called the cheapest: see why below");
        }
    }
    let amber = crate::ui::widgets::warning_amber(ui);
    for n in &est.notes {
        ui.colored_label(amber, n);
    }
}

/// Each model's total over the whole periods against PureConnect's.
pub(super) fn summary(ui: &mut egui::Ui, est: &CloudEstimate) {
    let cur = est.currency.as_deref().unwrap_or("");
    let t = &est.totals;
    if est.pureconnect_currency.is_none() {
        ui.weak(
            "PureConnect today: the workspace has no PureConnect price list; enter it in Usage History › Price list \
             to compare.",
        );
    }
    let comparable = est
        .pureconnect_currency
        .as_deref()
        .is_none_or(|pc| pc.eq_ignore_ascii_case(cur));
    egui::Grid::new("cloud-summary").striped(true).show(ui, |ui| {
        ui.label("");
        for h in ["Named", "Concurrent", "Hourly"] {
            ui.strong(h);
        }
        match est.pureconnect_currency.as_deref().filter(|_| !comparable) {
            Some(pc) => ui.strong(format!("PureConnect today ({pc})")),
            None => ui.strong("PureConnect today"),
        };
        ui.end_row();
        ui.label(if cur.is_empty() {
            "Total".to_string()
        } else {
            format!("Total ({cur})")
        });
        for v in [t.named, t.concurrent, t.hourly, t.pureconnect] {
            ui.label(money(v));
        }
        ui.end_row();
        ui.label("Against PureConnect");
        for v in [t.named, t.concurrent, t.hourly] {
            let d = match (v, t.pureconnect) {
                (Some(a), Some(b)) if comparable => Some(Cents(a.0.saturating_sub(b.0))),
                _ => None,
            };
            ui.label(d.map_or("–".into(), |d| {
                format!("{}{}", if d.0 > 0 { "+" } else { "" }, d.format())
            }));
        }
        ui.label("");
        ui.end_row();
        let periods = est.periods.len().max(1) as u64;
        let named: u64 = est.periods.iter().map(|p| p.named_users).sum();
        let peak = est.periods.iter().map(|p| p.concurrent_peak).max().unwrap_or(0);
        // Each user's hours once (an add-on has its user's hours too).
        let minutes: u64 = est.periods.iter().map(|p| p.hours_logged_in.0).sum();
        ui.label("Users");
        ui.label(format!("{} a period on average", thousands((named / periods) as usize)));
        ui.label(format!("peak {}", thousands(peak as usize)));
        ui.label(format!("{} hours logged in", crate::core::cloud::Hours(minutes).text()));
        ui.label("");
        ui.end_row();
    });
}

pub(super) fn periods_table(ui: &mut egui::Ui, est: &CloudEstimate) {
    ui.add_space(6.0);
    let cur = est.currency.as_deref().map(|c| format!("{c}; ")).unwrap_or_default();
    ui.strong(format!("Per billing period ({cur}estimate, not a quote)"));
    ui.push_id("cloud-periods-scroll", |ui| {
        egui::Grid::new("cloud-periods").striped(true).show(ui, |ui| {
            for h in [
                "Period",
                "Named users",
                "Concurrent peak",
                "Hours logged in",
                "Named",
                "Concurrent",
                "Hourly",
                "PureConnect",
                "Cheapest",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for p in &est.periods {
                let label = ui.label(period_label(p));
                if let Some(why) = &p.not_costed {
                    label.on_hover_text(format!("Counted, not costed: {why}."));
                }
                ui.label(thousands(p.named_users as usize));
                ui.label(thousands(p.concurrent_peak as usize));
                // Two decimals, as the command line and the CSV give them.
                ui.label(p.hours_logged_in.text());
                for v in [p.cost.named, p.cost.concurrent, p.cost.hourly, p.cost.pureconnect] {
                    ui.label(money(v));
                }
                ui.label(p.cheapest.map_or("–", |m| m.label()));
                ui.end_row();
            }
        });
    });
}

/// Running both systems over the whole periods with Genesys Cloud under
/// `model`: unknown when a part is unknown in one of them (no PureConnect
/// price list, a model not priced) or the two are in different currencies.
pub(super) fn running_both(est: &CloudEstimate, model: Model) -> Option<Cents> {
    let same = match (&est.currency, &est.pureconnect_currency) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        _ => true,
    };
    let mut costed = est.periods.iter().filter(|p| p.costed).peekable();
    costed.peek()?;
    let total = costed.try_fold(Cents(0), |sum, p| {
        Some(sum + p.phased.genesys_cloud.get(model)? + p.phased.pureconnect?)
    })?;
    same.then_some(total)
}

/// Draws `add` no wider than `width` (the view's visible width). The page
/// scrolls both ways, and a table wider than the window widens what comes
/// after it: text there would wrap past the window's edge.
pub(super) fn fit<R>(ui: &mut egui::Ui, width: f32, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    ui.scope(|ui| {
        ui.set_max_width(width.max(200.0));
        add(ui)
    })
    .inner
}
