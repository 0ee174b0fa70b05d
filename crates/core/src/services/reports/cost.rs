//! The cost estimate as CSV (Usage & Billing and Usage History › Export
//! cost CSV…): one line per period and category, Assignable license key,
//! workgroup, and the period's total.

use crate::analysis::cost::{Cents, CostEstimate};
use crate::services::reports::sheet::{Cell, Column, Sheet};

pub fn csv(cost: &CostEstimate) -> Result<String, super::ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "period_start",
        "period_end",
        "upload_due",
        "line",
        "name",
        "quantity",
        "unit_price",
        "amount",
        "currency",
    ])?;
    let cur = crate::model::text::csv_cell(&cost.currency).into_owned();
    for p in &cost.periods {
        let dates = [
            p.period_start.to_string(),
            p.period_end.to_string(),
            p.upload_due.to_string(),
        ];
        let mut row = |line: &str, name: &str, quantity: String, unit: String, amount: String| {
            let mut r: Vec<String> = dates.to_vec();
            r.extend([
                line.to_string(),
                crate::model::text::csv_cell(name).into_owned(),
                quantity,
                unit,
                amount,
                cur.clone(),
            ]);
            w.write_record(&r).map_err(super::ReportError::from)
        };
        for (code, l) in &p.by_category {
            row(
                "category",
                code,
                l.users.to_string(),
                // Unpriced: its price and amount are unknown, not 0.
                l.known_unit_price()
                    .map_or_else(String::new, |c| format!("{:.2}", c.amount())),
                l.known_amount()
                    .map_or_else(String::new, |c| format!("{:.2}", c.amount())),
            )?;
        }
        for (key, l) in &p.assignable_licenses {
            row(
                "assignable-license",
                key,
                l.licenses.to_string(),
                format!("{:.2}", l.unit_price.amount()),
                format!("{:.2}", l.amount.amount()),
            )?;
        }
        for (wg, amount) in &p.by_workgroup {
            row(
                "workgroup",
                wg,
                String::new(),
                String::new(),
                format!("{:.2}", amount.amount()),
            )?;
        }
        // Not workgroups: their own kinds, so a workgroup called
        // "(Stations)" stays apart.
        for (kind, label, amount) in [
            ("no-workgroup", crate::analysis::cost::NO_WORKGROUP, p.no_workgroup),
            ("stations", crate::analysis::cost::STATIONS, p.stations),
        ] {
            if amount.0 != 0 {
                row(
                    kind,
                    label,
                    String::new(),
                    String::new(),
                    format!("{:.2}", amount.amount()),
                )?;
            }
        }
        row(
            "total",
            "",
            String::new(),
            String::new(),
            format!("{:.2}", p.total.amount()),
        )?;
    }
    crate::model::text::csv_written(w)
}

/// The estimate as a sheet: the CSV's lines, in IA's words (a category by
/// its label, a license by its name), amounts as money.
pub fn sheet(cost: &CostEstimate) -> Sheet {
    use crate::model::catalog::{BillingCategory, label};
    let mut sheet = Sheet::new(
        "Estimated Cost",
        vec![
            Column::new("Period start"),
            Column::new("Period end"),
            Column::new("Upload due"),
            Column::new("Line"),
            Column::new("Name"),
            Column::new("Quantity"),
            Column::new("Unit price"),
            Column::new("Amount"),
            Column::new("Currency"),
        ],
    );
    for p in &cost.periods {
        let mut row = |line: &str, name: &str, quantity: Option<u64>, unit: Option<Cents>, amount: Option<Cents>| {
            sheet.push(vec![
                Cell::Date(p.period_start),
                Cell::Date(p.period_end),
                Cell::Date(p.upload_due),
                Cell::text(line),
                Cell::opt_text(name),
                quantity.map_or(Cell::Empty, Cell::count),
                unit.map_or(Cell::Empty, |u| Cell::Money(u.amount())),
                amount.map_or(Cell::Empty, |a| Cell::Money(a.amount())),
                Cell::text(&cost.currency),
            ]);
        };
        for (code, l) in &p.by_category {
            let name = BillingCategory::from_code(code).map_or(code.as_str(), |c| c.label());
            row(
                "Billing category",
                name,
                Some(l.users),
                l.known_unit_price(),
                l.known_amount(),
            );
        }
        for (key, l) in &p.assignable_licenses {
            row(
                "Assignable license",
                label(key),
                Some(l.licenses),
                Some(l.unit_price),
                Some(l.amount),
            );
        }
        for (wg, amount) in &p.by_workgroup {
            row("Workgroup", wg, None, None, Some(*amount));
        }
        for (line, name, amount) in [
            (
                "Not in a workgroup",
                crate::analysis::cost::NO_WORKGROUP,
                p.no_workgroup,
            ),
            ("Not in a workgroup", crate::analysis::cost::STATIONS, p.stations),
        ] {
            if amount.0 != 0 {
                row(line, name, None, None, Some(amount));
            }
        }
        row("Estimated total", "", None, None, Some(p.total));
    }
    sheet
}
