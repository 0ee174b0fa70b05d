//! Usage & Billing as CSV: distinct users per billing category per day.

use crate::core::catalog::BillingCategory;
use crate::core::usage::DayUsage;

pub fn csv(daily: &[DayUsage]) -> Result<String, super::ReportError> {
    csv_text(daily).map_err(super::ReportError)
}

fn csv_text(daily: &[DayUsage]) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["day".to_string()];
    header.extend(BillingCategory::ALL.iter().map(|c| c.code().to_string()));
    w.write_record(&header).map_err(|e| e.to_string())?;
    for d in daily {
        let mut row = vec![d.day.to_string()];
        row.extend(
            BillingCategory::ALL
                .iter()
                .map(|c| d.users_by_category.get(c.code()).copied().unwrap_or(0).to_string()),
        );
        w.write_record(&row).map_err(|e| e.to_string())?;
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}
