//! License Statistics (Interaction Supervisor's System Status › License
//! Statistics) as rows: per license allowed, configured, in use, peak,
//! denials and utilisation; and the same as CSV.

use crate::analysis::replay::Replay;
use crate::edit::document::Document;
use crate::model::catalog;
use crate::services::reports::sheet::{Cell, Column, Sheet};

/// One row of the statistics table.
#[derive(Debug, Clone, PartialEq)]
pub struct StatRow {
    pub key: String,
    pub label: String,
    pub assignable_allowed: u32,
    pub concurrent_allowed: u32,
    pub configured: u32,
    pub in_use: u32,
    /// Of `in_use`, the concurrent licenses held at the clock's time (the
    /// rest are Assignable, in use from assignment on).
    pub in_use_concurrent: u32,
    pub peak: u32,
    pub denials: usize,
    pub utilisation: f64,
}

/// Statistics at the simulation clock (`replay` = events up to now).
pub fn rows(doc: &Document, replay: Option<&Replay>) -> Vec<StatRow> {
    doc.license()
        .allowances()
        .iter()
        .filter(|a| catalog::is_allocatable(&a.key))
        .map(|a| {
            let c = doc.engine().configured(&a.key);
            let pooled_now = replay.and_then(|r| r.in_use.get(&a.key).copied()).unwrap_or(0);
            let pooled_peak = replay.and_then(|r| r.peak.get(&a.key).copied()).unwrap_or(0);
            // Assignable licenses are in use from assignment on.
            let in_use = c.assignable + pooled_now;
            let allowed = a.assigned + a.pooled;
            StatRow {
                key: a.key.clone(),
                label: catalog::label(&a.key).to_string(),
                assignable_allowed: a.assigned,
                concurrent_allowed: a.pooled,
                configured: c.assignable + c.concurrent,
                in_use,
                in_use_concurrent: pooled_now,
                peak: c.assignable + pooled_peak,
                denials: replay.map_or(0, |r| r.denials.iter().filter(|d| d.key == a.key).count()),
                utilisation: if allowed == 0 {
                    0.0
                } else {
                    100.0 * f64::from(in_use) / f64::from(allowed)
                },
            }
        })
        .collect()
}

pub fn csv(rows: &[StatRow]) -> Result<String, super::ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "key",
        "name",
        "assignable_allowed",
        "concurrent_allowed",
        "configured",
        "in_use",
        "peak_in_use",
        "denials",
        "utilisation_percent",
    ])?;
    for r in rows {
        w.write_record([
            crate::model::text::csv_cell(&r.key).into_owned(),
            crate::model::text::csv_cell(&r.label).into_owned(),
            r.assignable_allowed.to_string(),
            r.concurrent_allowed.to_string(),
            r.configured.to_string(),
            r.in_use.to_string(),
            r.peak.to_string(),
            r.denials.to_string(),
            format!("{:.1}", r.utilisation),
        ])?;
    }
    crate::model::text::csv_written(w)
}

/// The statistics as a sheet (License Statistics › Export Excel…): the
/// CSV's columns in IA's words, counts as numbers.
pub fn sheet(rows: &[StatRow]) -> Sheet {
    let mut sheet = Sheet::new(
        "License Statistics",
        vec![
            Column::new("Name"),
            Column::new("License key"),
            Column::new("Assignable Allowed"),
            Column::new("Concurrent Allowed"),
            Column::new("Configured"),
            Column::new("In Use"),
            Column::new("Peak in Use"),
            Column::new("Denials"),
            Column::new("Utilisation %"),
        ],
    );
    for r in rows {
        sheet.push(vec![
            Cell::text(&r.label),
            Cell::text(&r.key),
            Cell::count(r.assignable_allowed),
            Cell::count(r.concurrent_allowed),
            Cell::count(r.configured),
            Cell::count(r.in_use),
            Cell::count(r.peak),
            Cell::count(r.denials),
            Cell::Decimal(r.utilisation),
        ]);
    }
    sheet
}
