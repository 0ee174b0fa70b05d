//! The cost estimate as CSV (Usage & Billing and Usage History › Export
//! cost CSV…): one line per period and category, Assignable license key,
//! workgroup, and the period's total.

use crate::core::cost::CostEstimate;

pub fn csv(cost: &CostEstimate) -> Result<String, super::ReportError> {
    csv_text(cost).map_err(super::ReportError)
}

fn csv_text(cost: &CostEstimate) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let e = |e: csv::Error| e.to_string();
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
    ])
    .map_err(e)?;
    let cur = crate::core::text::csv_cell(&cost.currency).into_owned();
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
                crate::core::text::csv_cell(name).into_owned(),
                quantity,
                unit,
                amount,
                cur.clone(),
            ]);
            w.write_record(&r).map_err(e)
        };
        for (code, l) in &p.by_category {
            row(
                "category",
                code,
                l.users.to_string(),
                format!("{:.2}", l.unit_price.amount()),
                format!("{:.2}", l.amount.amount()),
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
            ("no-workgroup", crate::core::cost::NO_WORKGROUP, p.no_workgroup),
            ("stations", crate::core::cost::STATIONS, p.stations),
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
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}
