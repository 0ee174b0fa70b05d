//! A table as a spreadsheet holds it: typed cells (numbers, dates, times,
//! text), column headers in IA's words, and the line charts drawn from it.
//! The report pack and every table export in Excel are made of these;
//! `xlsx` writes them.

use chrono::{DateTime, NaiveDate, Utc};

/// One cell. Numbers and dates stay numbers and dates in the workbook, so
/// a spreadsheet sums, sorts and filters them as such.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A count: shown with thousands separators, no decimals.
    Int(i64),
    /// A measure shown with one decimal (a percentage, hours).
    Decimal(f64),
    /// An amount of money, two decimals with thousands separators.
    Money(f64),
    Date(NaiveDate),
    /// A moment, shown in UTC to the minute, as the CLI prints it.
    Time(DateTime<Utc>),
    Empty,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// A count of anything (u32, usize, u64): Excel holds numbers as
    /// doubles, exact to 2^53, far beyond any count here.
    pub fn count(n: impl TryInto<i64>) -> Cell {
        Cell::Int(n.try_into().unwrap_or(i64::MAX))
    }

    /// Text when there is some, an empty cell otherwise.
    pub fn opt_text(s: &str) -> Cell {
        if s.is_empty() { Cell::Empty } else { Cell::text(s) }
    }
}

/// A column: its header and whether its text is long enough to wrap.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    /// Long text (a reason, a hint): the column is capped in width and the
    /// text wraps instead of running off the page.
    pub wrap: bool,
}

impl Column {
    pub fn new(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            wrap: false,
        }
    }
    pub fn wrapped(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            wrap: true,
        }
    }
}

/// A line chart over rows of the sheet: `categories` is the column of the
/// x values (dates), each series a column of values; rows are 0-based
/// indexes into `Sheet::rows`.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    pub title: String,
    pub categories: usize,
    pub rows: std::ops::Range<usize>,
    /// (column, dashed): an allowance is drawn dashed against the solid use.
    pub series: Vec<(usize, bool)>,
}

/// One worksheet.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sheet {
    /// The tab's name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub charts: Vec<LineChart>,
}

impl Sheet {
    pub fn new(name: &str, columns: Vec<Column>) -> Sheet {
        Sheet {
            name: name.to_string(),
            columns,
            rows: Vec::new(),
            charts: Vec::new(),
        }
    }

    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }
}
