//! The Genesys Cloud estimate as CSV (`cloud estimate --format csv` and the
//! view's *Export CSV…*): one row per billing period and license used or
//! contracted in it, and one row with no license for a period without any
//! (so every period of the JSON has its rows and its PureConnect cost).

use crate::analysis::cloud::{CloudEstimate, CloudLicense};
use crate::analysis::cost::Cents;

/// `period_pureconnect_cost` and `period_cheapest` are the period's, on each
/// of its rows (PureConnect's cost is not split by Genesys Cloud license).
/// `period_costed` is `no` for a part of a billing period (counted, not costed).
/// `pureconnect_currency` is that of `period_pureconnect_cost` (the
/// workspace's PureConnect price list), which need not be `currency`.
pub const HEADER: [&str; 16] = [
    "period_start",
    "period_end",
    "license",
    "license_name",
    "named_users",
    "concurrent_users",
    "hours",
    "contracted",
    "named_cost",
    "concurrent_cost",
    "hourly_cost",
    "period_pureconnect_cost",
    "period_cheapest",
    "currency",
    "period_costed",
    "pureconnect_currency",
];

fn money(c: Option<Cents>) -> String {
    c.map(|c| format!("{:.2}", c.amount())).unwrap_or_default()
}

pub fn csv(estimate: &CloudEstimate) -> Result<String, super::ReportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADER)?;
    let currency = crate::model::text::csv_cell(estimate.currency.as_deref().unwrap_or("")).into_owned();
    let pc_currency = crate::model::text::csv_cell(estimate.pureconnect_currency.as_deref().unwrap_or("")).into_owned();
    let none = crate::analysis::cloud::LicenseLine::default();
    for p in &estimate.periods {
        // A period with no license used or contracted still has its row.
        let lines: Vec<(&str, &crate::analysis::cloud::LicenseLine)> = if p.by_license.is_empty() {
            vec![("", &none)]
        } else {
            p.by_license.iter().map(|(c, l)| (c.as_str(), l)).collect()
        };
        for (code, line) in lines {
            let name = CloudLicense::from_code(code).map_or(code, |l| l.label());
            w.write_record([
                p.start.to_string(),
                p.end.to_string(),
                crate::model::text::csv_cell(code).into_owned(),
                crate::model::text::csv_cell(name).into_owned(),
                line.named.to_string(),
                line.concurrent.to_string(),
                format!("{:.2}", line.hours.value()),
                line.contracted.to_string(),
                money(line.named_cost),
                money(line.concurrent_cost),
                money(line.hourly_cost),
                money(p.cost.pureconnect),
                p.cheapest.map(|m| m.code()).unwrap_or_default().to_string(),
                currency.clone(),
                if p.costed { "yes" } else { "no" }.to_string(),
                pc_currency.clone(),
            ])?;
        }
    }
    crate::model::text::csv_written(w)
}
