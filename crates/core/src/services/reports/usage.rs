//! `usage`: sessions replayed from an events file, pool peaks and denials,
//! distinct users per billing category per day and per billing period,
//! and with a price list the estimated cost — worked out once here for
//! `usage --format json` and the report pack's License Statistics, Denials,
//! Usage & Billing, Daily Usage and Estimated Cost sheets; and Usage &
//! Billing's daily counts as CSV.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::analysis::cost::CostEstimate;
use crate::analysis::replay::{Denial, Replay, Session};
use crate::analysis::usage::{self, Collection, DayUsage, PeriodUsage};
use crate::model::catalog::BillingCategory;
use crate::model::license::{License, Trust};
use crate::model::workspace::Workspace;
use crate::services::reports::sheet::{Cell, Column, Sheet};

/// What `usage` reports on a replay.
pub struct UsageReport<'a> {
    pub replay: &'a Replay,
    pub collection: Collection,
    pub daily: Vec<DayUsage>,
    pub periods: Vec<PeriodUsage>,
    /// With a price list in the workspace (and usage collected).
    pub cost: Option<CostEstimate>,
    /// `UserCategories::billing_note`.
    pub billing_note: Option<String>,
}

impl<'a> UsageReport<'a> {
    /// `today` ends a session still open when the events end without any
    /// event (never, for a replay of a non-empty file).
    pub fn of(license: &License, ws: &Workspace, replay: &'a Replay, today: NaiveDate) -> UsageReport<'a> {
        let collection = Collection::of(license);
        let open_end = replay.last_event.map_or(today, |t| t.date_naive());
        let users = if collection == Collection::None {
            usage::UserCategories::default()
        } else {
            usage::UserCategories::of(&replay.sessions, open_end)
        };
        let (daily, periods) = usage::tally_users(&users);
        let cost = ws
            .price_list
            .as_ref()
            .filter(|_| collection != Collection::None)
            .map(|prices| {
                crate::analysis::cost::estimate(prices, crate::analysis::cost::by_name(&users.by_period), ws)
            });
        UsageReport {
            replay,
            collection,
            daily,
            periods,
            cost,
            billing_note: users.billing_note(),
        }
    }

    /// `usage --format json`.
    pub fn json(&self, license: &License) -> Usage<'_> {
        Usage {
            license: license.signature.trust(),
            sessions: &self.replay.sessions,
            peak_concurrent_in_use: &self.replay.peak,
            denials: &self.replay.denials,
            billing: self.periods.clone(),
            daily: self.daily.clone(),
            usage_collection: self.collection.code(),
            usage_collection_note: Collection::note_for(license),
            billing_note: self.billing_note.clone(),
            ignored: &self.replay.ignored,
            cost: self.cost.as_ref(),
        }
    }
}

/// `usage --format json`.
#[derive(Serialize)]
pub struct Usage<'a> {
    pub license: Trust,
    pub sessions: &'a [Session],
    pub peak_concurrent_in_use: &'a BTreeMap<String, u32>,
    pub denials: &'a [Denial],
    /// Distinct users per category, per billing period (28th–27th).
    pub billing: Vec<PeriodUsage>,
    pub daily: Vec<DayUsage>,
    pub usage_collection: &'static str,
    /// Set where the seeds disagree about the collection method.
    pub usage_collection_note: Option<&'static str>,
    /// Set when a session logged off at exactly the start of a billing
    /// period (`UserCategories::billing_note`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_note: Option<String>,
    pub ignored: &'a [String],
    /// With a price list in the workspace: the estimated charge.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<&'a CostEstimate>,
}

pub fn csv(daily: &[DayUsage]) -> Result<String, super::ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["day".to_string()];
    header.extend(BillingCategory::ALL.iter().map(|c| c.code().to_string()));
    w.write_record(&header)?;
    for d in daily {
        let mut row = vec![d.day.to_string()];
        row.extend(
            BillingCategory::ALL
                .iter()
                .map(|c| d.users_by_category.get(c.code()).copied().unwrap_or(0).to_string()),
        );
        w.write_record(&row)?;
    }
    crate::model::text::csv_written(w)
}

/// The billing categories counted in any of these tallies, in IA's order:
/// a sheet's columns (the view shows only these too).
pub fn used_categories<'a>(tallies: impl IntoIterator<Item = &'a BTreeMap<String, usize>>) -> Vec<BillingCategory> {
    let mut used = [false; BillingCategory::ALL.len()];
    for t in tallies {
        for code in t.keys() {
            if let Some(c) = BillingCategory::from_code(code) {
                used[c.index()] = true;
            }
        }
    }
    BillingCategory::ALL.into_iter().filter(|c| used[c.index()]).collect()
}

/// A tally's users per category as cells, one per category.
pub fn category_cells(tally: &BTreeMap<String, usize>, categories: &[BillingCategory]) -> Vec<Cell> {
    categories
        .iter()
        .map(|c| Cell::count(tally.get(c.code()).copied().unwrap_or(0)))
        .collect()
}

impl UsageReport<'_> {
    /// License Statistics: per license with sessions or denials, its pooled
    /// allowance, the most held at once and the logons denied.
    pub fn statistics_sheet(&self, license: &License) -> Sheet {
        let mut sheet = Sheet::new(
            "License Statistics",
            vec![
                Column::new("Name"),
                Column::new("License key"),
                Column::new("Concurrent Allowed"),
                Column::new("Peak Concurrent in Use"),
                Column::new("Denials"),
            ],
        );
        let mut keys: Vec<&str> = self.replay.peak.keys().map(String::as_str).collect();
        for d in &self.replay.denials {
            if !keys.contains(&d.key.as_str()) {
                keys.push(&d.key);
            }
        }
        for key in keys {
            sheet.push(vec![
                Cell::text(crate::model::catalog::label(key)),
                Cell::text(key),
                Cell::count(license.allowance(key).map_or(0, |a| a.pooled)),
                Cell::count(self.replay.peak.get(key).copied().unwrap_or(0)),
                Cell::count(self.replay.denials.iter().filter(|d| d.key == key).count()),
            ]);
        }
        sheet
    }

    /// Every logon denied, when, to whom, for which license and why.
    pub fn denials_sheet(&self) -> Sheet {
        let mut sheet = Sheet::new(
            "Denials",
            vec![
                Column::new("Time (UTC)"),
                Column::new("User"),
                Column::new("Name"),
                Column::new("License key"),
                Column::wrapped("Reason"),
            ],
        );
        for d in &self.replay.denials {
            sheet.push(vec![
                Cell::Time(d.at),
                Cell::text(&d.user),
                Cell::text(crate::model::catalog::label(&d.key)),
                Cell::text(&d.key),
                Cell::text(&d.reason),
            ]);
        }
        sheet
    }

    /// Usage & Billing: distinct users per category per billing period,
    /// and with a price list the period's estimated cost.
    pub fn billing_sheet(&self) -> Sheet {
        let categories = used_categories(self.periods.iter().map(|p| &p.users_by_category));
        let mut columns = vec![
            Column::new("Period start"),
            Column::new("Period end"),
            Column::new("Upload due"),
        ];
        columns.extend(categories.iter().map(|c| Column::new(c.label())));
        if let Some(cost) = &self.cost {
            columns.push(Column::new(format!("Estimated cost ({})", cost.currency)));
        }
        let mut sheet = Sheet::new("Usage & Billing", columns);
        for p in &self.periods {
            let mut row = vec![
                Cell::Date(p.period_start),
                Cell::Date(p.period_end),
                Cell::Date(p.upload_due),
            ];
            row.extend(category_cells(&p.users_by_category, &categories));
            if let Some(cost) = &self.cost {
                let total = cost
                    .periods
                    .iter()
                    .find(|c| c.period_start == p.period_start)
                    .map_or(Cell::Money(0.0), |c| Cell::Money(c.total.amount()));
                row.push(total);
            }
            sheet.push(row);
        }
        sheet
    }
}

/// Usage & Billing's distinct users per category per day (its Export
/// CSV… as a sheet, and the report pack's Daily Usage).
pub fn daily_sheet(daily: &[DayUsage]) -> Sheet {
    let categories = used_categories(daily.iter().map(|d| &d.users_by_category));
    let mut columns = vec![Column::new("Day")];
    columns.extend(categories.iter().map(|c| Column::new(c.label())));
    let mut sheet = Sheet::new("Daily Usage", columns);
    for d in daily {
        let mut row = vec![Cell::Date(d.day)];
        row.extend(category_cells(&d.users_by_category, &categories));
        sheet.push(row);
    }
    sheet
}
