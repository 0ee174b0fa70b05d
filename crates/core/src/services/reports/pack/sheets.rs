//! The report pack's sheets made from `check`, `csv export`, `history
//! show` and `recommend` outputs (the usage sheets are `reports::usage`'s,
//! the cost sheet `reports::cost`'s).

use std::collections::HashMap;

use crate::analysis::history::Shown;
use crate::analysis::recommend::{Action, Recommendation};
use crate::edit::csv_io::{self, Table};
use crate::model::catalog;
use crate::model::diagnostic::Diagnostic;
use crate::model::subject::SubjectKind;
use crate::model::workspace::Workspace;
use crate::services::reports::check::Check;
use crate::services::reports::sheet::{Cell, Column, LineChart, Sheet};
use crate::services::reports::usage::{category_cells, used_categories};

/// Licenses Allocation: IA's columns, one row per license key.
pub fn allocation(check: &Check<'_>) -> Sheet {
    let mut sheet = Sheet::new(
        "Licenses Allocation",
        vec![
            Column::new("Name"),
            Column::new("License key"),
            Column::new("Assignable Allowed"),
            Column::new("Assignable Configured"),
            Column::new("Concurrent Allowed"),
            Column::new("Concurrent Configured"),
            Column::new("Concurrent in Use"),
            Column::wrapped("Notes"),
        ],
    );
    for c in &check.counts {
        sheet.push(vec![
            Cell::text(&c.label),
            Cell::text(&c.key),
            Cell::count(c.assignable_allowed),
            Cell::count(c.assignable_configured),
            Cell::count(c.concurrent_allowed),
            Cell::count(c.concurrent_configured),
            Cell::count(c.concurrent_in_use),
            Cell::opt_text(&c.notes),
        ]);
    }
    sheet
}

/// "User", "Station", … (a subject's kind as a column shows it).
pub fn kind_word(kind: SubjectKind) -> String {
    let noun = kind.noun();
    let mut chars = noun.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

/// Warnings: every diagnostic, worst first, with what to do.
pub fn warnings(check: &Check<'_>) -> Sheet {
    let mut sheet = Sheet::new(
        "Warnings",
        vec![
            Column::new("Severity"),
            Column::new("Warning"),
            Column::new("Type"),
            Column::new("Subject"),
            Column::wrapped("Message"),
            Column::wrapped("What to do"),
        ],
    );
    for d in &check.diagnostics {
        sheet.push(vec![
            Cell::text(d.severity.label()),
            Cell::text(d.code.title()),
            Cell::text(kind_word(d.subject.kind)),
            Cell::text(&d.subject.id),
            Cell::text(&*d.message),
            Cell::opt_text(&d.hint),
        ]);
    }
    sheet
}

/// The words of a subject's diagnostics in one cell, worst first.
pub fn warning_words(diags: &[&Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| format!("{}: {}", d.severity.label(), d.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Users, Stations or Workgroups: `csv export`'s rows, headers in words,
/// and each subject's warnings from the check.
pub fn subjects(ws: &Workspace, table: Table, check: &Check<'_>) -> Sheet {
    let (name, kind, headers): (&str, SubjectKind, &[&str]) = match table {
        Table::Users => (
            "Users",
            SubjectKind::User,
            &["User ID", "Name", "Method", "Licenses", "ACD media types", "Workgroups"],
        ),
        Table::Stations => (
            "Stations",
            SubjectKind::Station,
            &[
                "Station ID",
                "Type",
                "Enabled",
                "Machine name",
                "Licenses",
                "ACD media types",
            ],
        ),
        Table::Workgroups => ("Workgroups", SubjectKind::Workgroup, &["Workgroup", "Media types"]),
    };
    let mut by_subject: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
    for d in check.diagnostics.iter().filter(|d| d.subject.kind == kind) {
        by_subject.entry(d.subject.id.as_str()).or_default().push(d);
    }
    let mut columns: Vec<Column> = headers.iter().map(|h| Column::new(*h)).collect();
    columns.push(Column::wrapped("Warnings"));
    let mut sheet = Sheet::new(name, columns);
    let _ = csv_io::for_each_row(ws, table, |fields| -> Result<(), std::convert::Infallible> {
        let mut row: Vec<Cell> = fields.iter().map(|f| Cell::opt_text(f)).collect();
        let words = fields
            .first()
            .and_then(|id| by_subject.get(id))
            .map_or_else(String::new, |d| warning_words(d));
        row.push(Cell::opt_text(&words));
        sheet.push(row);
        Ok(())
    });
    sheet
}

/// Usage History: per day and license, the peak in use against the
/// concurrent allowance, the peak wanted, denials and minutes held;
/// grouped by license (each license's days together) so each has its
/// line chart of use against the allowance.
pub fn history_days(shown: &Shown) -> Sheet {
    let mut sheet = Sheet::new(
        "Usage History",
        vec![
            Column::new("Date"),
            Column::new("Name"),
            Column::new("License key"),
            Column::new("Peak in use"),
            Column::new("Concurrent allowed"),
            Column::new("Peak wanted"),
            Column::new("Denials"),
            Column::new("Minutes in use"),
        ],
    );
    let mut keys: Vec<&str> = shown
        .days
        .iter()
        .flat_map(|d| d.peak.keys().map(String::as_str))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let first = sheet.rows.len();
        for d in shown.days.iter() {
            let Some(peak) = d.peak.get(key) else { continue };
            sheet.push(vec![
                Cell::Date(d.date),
                Cell::text(catalog::label(key)),
                Cell::text(key),
                Cell::count(*peak),
                Cell::count(d.allowance.get(key).copied().unwrap_or(0)),
                Cell::count(d.peak_demand.get(key).copied().unwrap_or(0)),
                Cell::count(d.denials.get(key).copied().unwrap_or(0)),
                Cell::count(d.minutes_in_use.get(key).copied().unwrap_or(0)),
            ]);
        }
        sheet.charts.push(LineChart {
            title: format!("{}: peak in use against the allowance", catalog::label(key)),
            categories: 0,
            rows: first..sheet.rows.len(),
            series: vec![(3, false), (4, true)],
        });
    }
    sheet
}

/// History Periods: distinct users per category per billing period of
/// the range, with how much of the period the history covers.
pub fn history_periods(shown: &Shown) -> Sheet {
    let categories = used_categories(shown.periods.iter().map(|p| &p.users_by_category));
    let mut columns = vec![
        Column::new("Period start"),
        Column::new("Period end"),
        Column::new("Upload due"),
        Column::new("Days covered"),
        Column::new("Complete"),
    ];
    columns.extend(categories.iter().map(|c| Column::new(c.label())));
    let mut sheet = Sheet::new("History Periods", columns);
    for p in &shown.periods {
        let mut row = vec![
            Cell::Date(p.start),
            Cell::Date(p.end),
            Cell::Date(p.due),
            Cell::count(p.days_covered),
            Cell::text(if p.complete { "Yes" } else { "No" }),
        ];
        row.extend(category_cells(&p.users_by_category, &categories));
        sheet.push(row);
    }
    sheet
}

/// The words for a suggestion.
pub fn action_word(action: Action) -> &'static str {
    match action {
        Action::Add => "Add",
        Action::Reduce => "Reduce",
        Action::Keep => "Keep",
    }
}

/// Right-Sizing: `recommend`'s suggestion per license key, the part to
/// order and, with a usage history, how the pool was sized.
pub fn right_sizing(keys: &[Recommendation]) -> Sheet {
    let sized = keys.iter().any(|r| r.history_sizing.is_some());
    let mut columns: Vec<Column> = [
        "Name",
        "License key",
        "Assignable Allowed",
        "Assignable Configured",
        "Concurrent Allowed",
        "Concurrent Configured",
        "Peak Concurrent in Use",
        "Denials",
        "Suggestion",
        "Assignable change",
        "Pooled change",
    ]
    .into_iter()
    .map(Column::new)
    .collect();
    columns.push(Column::wrapped("Reason"));
    columns.extend(
        [
            "Part to order",
            "Part description",
            "Part assignable units",
            "Part pooled units",
        ]
        .into_iter()
        .map(Column::new),
    );
    if sized {
        columns.extend(
            [
                "Percentile",
                "Days of history",
                "Suggested pool",
                "Denials with it",
                "Days over it",
            ]
            .into_iter()
            .map(Column::new),
        );
    }
    let mut sheet = Sheet::new("Right-Sizing", columns);
    for r in keys {
        let part = r.suggested_part.as_ref();
        let mut row = vec![
            Cell::text(&r.label),
            Cell::text(&r.key),
            Cell::count(r.assignable_allowed),
            Cell::count(r.assignable_configured),
            Cell::count(r.concurrent_allowed),
            Cell::count(r.concurrent_configured),
            r.peak_concurrent_in_use.map_or(Cell::Empty, Cell::count),
            r.denials.map_or(Cell::Empty, Cell::count),
            Cell::text(action_word(r.action)),
            Cell::Int(r.assigned_delta),
            Cell::Int(r.pooled_delta),
            Cell::text(&r.reason),
            part.map_or(Cell::Empty, |p| Cell::text(&p.part_number)),
            part.map_or(Cell::Empty, |p| Cell::text(&p.description)),
            part.map_or(Cell::Empty, |p| Cell::Int(p.assigned)),
            part.map_or(Cell::Empty, |p| Cell::Int(p.pooled)),
        ];
        if sized {
            match &r.history_sizing {
                Some(s) => row.extend([
                    Cell::Decimal(s.percentile),
                    Cell::count(s.days),
                    Cell::count(s.suggested_pool),
                    Cell::count(s.denials_with_suggestion),
                    Cell::count(s.days_over_suggestion),
                ]),
                None => row.extend(std::iter::repeat_n(Cell::Empty, 5)),
            }
        }
        sheet.push(row);
    }
    sheet
}
