//! Sheets into an Excel workbook (`rust_xlsxwriter`): header row in bold,
//! frozen, with an autofilter; counts and amounts as numbers with
//! thousands separators, dates and times as dates; columns as wide as
//! their content (long text wraps); line charts native to Excel; each
//! sheet prints landscape, one page wide, its header on every page.
//!
//! Text is always written as text: a name starting with `=` is a string
//! cell, never a formula (nothing here writes a formula).

use rust_xlsxwriter::{
    Chart, ChartLineDashType, ChartType, Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

use super::sheet::{Cell, Sheet};
pub use crate::model::error::WorkbookError;

/// Rows a worksheet holds below its header row.
pub const MAX_ROWS: usize = 1_048_575;
/// Characters a cell holds.
const MAX_CELL_CHARS: usize = 32_767;
/// The widest a wrapped column is, in characters.
const WRAP_WIDTH: usize = 60;
/// The widest any other column is, in characters.
const MAX_WIDTH: usize = 50;

/// The first sheet of a report pack: what it is about, who made it when,
/// and what each sheet holds (or why it was left out).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cover {
    pub title: String,
    /// DEMO or UNSIGNED, in the words every command prints first.
    pub banner: Option<String>,
    /// (label, value) lines.
    pub facts: Vec<(String, Cell)>,
    pub contents: Vec<Contents>,
}

/// A line of the cover's list of sheets.
#[derive(Debug, Clone, PartialEq)]
pub struct Contents {
    pub sheet: String,
    /// What it holds, or why it was left out.
    pub note: String,
    pub included: bool,
}

struct Formats {
    header: Format,
    text: Format,
    int: Format,
    decimal: Format,
    money: Format,
    date: Format,
    time: Format,
    wrap: Format,
    title: Format,
    banner: Format,
    label: Format,
    left_out: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            // Headers wrap between words, so a long header ("Assignable
            // Configured") over short numbers does not widen its column.
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xD9E1F2))
                .set_border_bottom(FormatBorder::Thin)
                .set_align(FormatAlign::Top),
            // Every cell at the top of its row (a row grows with wrapped
            // text); numbers keep a space's width from the text after them.
            text: Format::new().set_align(FormatAlign::Top),
            int: Format::new()
                .set_num_format("#,##0_ ;-#,##0_ ")
                .set_align(FormatAlign::Top),
            decimal: Format::new()
                .set_num_format("#,##0.0_ ;-#,##0.0_ ")
                .set_align(FormatAlign::Top),
            money: Format::new()
                .set_num_format("#,##0.00_ ;-#,##0.00_ ")
                .set_align(FormatAlign::Top),
            date: Format::new()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top),
            time: Format::new()
                .set_num_format("yyyy-mm-dd hh:mm")
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            title: Format::new().set_bold().set_font_size(16),
            banner: Format::new().set_bold().set_font_color(Color::RGB(0xC00000)),
            label: Format::new().set_bold().set_align(FormatAlign::Top),
            left_out: Format::new()
                .set_italic()
                .set_font_color(Color::RGB(0x595959))
                .set_text_wrap(),
        }
    }
}

fn writer(e: XlsxError) -> WorkbookError {
    WorkbookError::Writer(e.to_string())
}

/// The workbook's bytes: the cover (if any) first, then each sheet.
pub fn workbook(cover: Option<&Cover>, sheets: &[Sheet]) -> Result<Vec<u8>, WorkbookError> {
    for s in sheets {
        if s.rows.len() > MAX_ROWS {
            return Err(WorkbookError::TooManyRows {
                sheet: s.name.clone(),
                rows: s.rows.len(),
                max: MAX_ROWS,
            });
        }
    }
    let formats = Formats::new();
    let mut book = Workbook::new();
    if let Some(cover) = cover {
        let ws = book.add_worksheet();
        write_cover(ws, cover, &formats).map_err(writer)?;
    }
    for sheet in sheets {
        let ws = book.add_worksheet();
        write_sheet(ws, sheet, &formats).map_err(writer)?;
    }
    book.save_to_buffer().map_err(writer)
}

/// A cell's text as Excel takes it (a longer one is cut, saying so).
fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().count() <= MAX_CELL_CHARS {
        return text.into();
    }
    let mut s: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
    s.push('…');
    s.into()
}

fn write_cell(ws: &mut Worksheet, row: u32, col: u16, cell: &Cell, wrap: bool, f: &Formats) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(t) if wrap => ws.write_string_with_format(row, col, clip(t), &f.wrap).map(|_| ()),
        Cell::Text(t) => ws.write_string_with_format(row, col, clip(t), &f.text).map(|_| ()),
        Cell::Int(n) => ws.write_number_with_format(row, col, *n as f64, &f.int).map(|_| ()),
        Cell::Decimal(x) => ws.write_number_with_format(row, col, *x, &f.decimal).map(|_| ()),
        Cell::Money(x) => ws.write_number_with_format(row, col, *x, &f.money).map(|_| ()),
        Cell::Date(d) => ws.write_datetime_with_format(row, col, d, &f.date).map(|_| ()),
        Cell::Time(t) => ws
            .write_datetime_with_format(row, col, t.naive_utc(), &f.time)
            .map(|_| ()),
        Cell::Empty => Ok(()),
    }
}

/// How many characters a cell shows (numbers with their separators).
fn shown_width(cell: &Cell) -> usize {
    let digits = |n: u64| {
        let d = n.to_string().len();
        d + (d - 1) / 3
    };
    match cell {
        Cell::Text(t) => t.lines().map(|l| l.chars().count()).max().unwrap_or(0),
        Cell::Int(n) => digits(n.unsigned_abs()) + usize::from(*n < 0),
        Cell::Decimal(x) => digits(x.abs().trunc() as u64) + 2 + usize::from(*x < 0.0),
        Cell::Money(x) => digits(x.abs().trunc() as u64) + 3 + usize::from(*x < 0.0),
        Cell::Date(_) => 10,
        Cell::Time(_) => 16,
        Cell::Empty => 0,
    }
}

/// Characters of text a column of `width` holds on a line: widths count
/// digits, and text in a proportional font is narrower (about a tenth).
const fn text_per_width(width: usize) -> usize {
    width * 11 / 10
}

/// A row's height in points, per line of text.
const ROW_HEIGHT: f64 = 15.0;

/// The lines a text takes wrapped at `width` characters (by words, so a
/// little more than its length over the width).
fn wrapped_lines(cell: &Cell, width: usize) -> usize {
    let Cell::Text(t) = cell else { return 1 };
    t.lines()
        .map(|line| {
            let mut lines = 1;
            let mut used = 0;
            for word in line.split(' ') {
                let w = word.chars().count();
                if used > 0 && used + 1 + w > width {
                    lines += 1;
                    used = w;
                } else {
                    used += w + usize::from(used > 0);
                }
                // A word longer than the column breaks where it must.
                lines += used.saturating_sub(1) / width;
                used = if used > width { used % width } else { used };
            }
            lines
        })
        .sum::<usize>()
        .max(1)
}

/// Characters added to a column's content width: the cell's margins.
const COLUMN_PADDING: usize = 2;

/// Lines a header may wrap onto before its column widens for it.
const HEADER_LINES: usize = 3;

/// A header as wide as its bold text is (about an eighth wider than
/// plain), for measuring: one filler character per eight.
fn bold(header: &str) -> String {
    header
        .split(' ')
        .map(|word| {
            let n = word.chars().count();
            format!("{word}{}", "x".repeat(n.div_ceil(8)))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The narrowest a column is for its header: its longest word, and wide
/// enough that the header takes at most `HEADER_LINES` lines.
fn header_width(header: &str) -> usize {
    let bold = bold(header);
    let longest = bold.split(' ').map(|w| w.chars().count()).max().unwrap_or(0);
    let mut width = longest.max(1);
    while wrapped_lines(&Cell::text(bold.as_str()), width) > HEADER_LINES {
        width += 1;
    }
    width
}

/// Rows measured for column widths: enough to fit what a screen shows and
/// beyond, without measuring a million rows.
const MEASURED_ROWS: usize = 5_000;

fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(&sheet.name)?;
    let last_col = sheet.columns.len().saturating_sub(1) as u16;
    let mut widths: Vec<usize> = Vec::with_capacity(sheet.columns.len());
    for (c, column) in sheet.columns.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, &column.header, &f.header)?;
        widths.push(header_width(&column.header));
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        let mut lines = 1;
        for (c, cell) in row.iter().enumerate().take(sheet.columns.len()) {
            let wrap = sheet.columns[c].wrap;
            write_cell(ws, r as u32 + 1, c as u16, cell, wrap, f)?;
            if r < MEASURED_ROWS {
                widths[c] = widths[c].max(shown_width(cell));
            }
            if wrap {
                lines = lines.max(wrapped_lines(cell, text_per_width(WRAP_WIDTH)));
            }
        }
        // Not every spreadsheet grows a row to its wrapped text on opening
        // (LibreOffice keeps the default height): the row is made as tall.
        if lines > 1 {
            ws.set_row_height(r as u32 + 1, ROW_HEIGHT * lines as f64)?;
        }
    }
    let mut header_lines = 1;
    for (c, column) in sheet.columns.iter().enumerate() {
        let cap = if column.wrap { WRAP_WIDTH } else { MAX_WIDTH };
        let width = widths[c].min(cap);
        ws.set_column_width(c as u16, (width + COLUMN_PADDING) as f64)?;
        header_lines = header_lines.max(wrapped_lines(&Cell::text(bold(&column.header)), width.max(1)));
    }
    if header_lines > 1 {
        ws.set_row_height(0, ROW_HEIGHT * header_lines as f64)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, sheet.rows.len() as u32, last_col)?;
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(0, 0)?;
    for (i, chart) in sheet.charts.iter().enumerate() {
        insert_chart(ws, sheet, chart, i, last_col)?;
    }
    Ok(())
}

fn insert_chart(
    ws: &mut Worksheet,
    sheet: &Sheet,
    spec: &super::sheet::LineChart,
    index: usize,
    last_col: u16,
) -> Result<(), XlsxError> {
    if spec.rows.is_empty() {
        return Ok(());
    }
    let (first, last) = (spec.rows.start as u32 + 1, spec.rows.end as u32);
    let mut chart = Chart::new(ChartType::Line);
    chart.title().set_name(&spec.title);
    for &(col, dashed) in &spec.series {
        let header = sheet.columns.get(col).map_or("", |c| c.header.as_str());
        let series = chart
            .add_series()
            .set_name(header)
            .set_categories((
                sheet.name.as_str(),
                first,
                spec.categories as u16,
                last,
                spec.categories as u16,
            ))
            .set_values((sheet.name.as_str(), first, col as u16, last, col as u16));
        // Markers too: a history of one day is one point.
        series.set_marker(rust_xlsxwriter::ChartMarker::new().set_automatic());
        if dashed {
            series.set_format(
                rust_xlsxwriter::ChartFormat::new()
                    .set_line(rust_xlsxwriter::ChartLine::new().set_dash_type(ChartLineDashType::Dash)),
            );
        }
    }
    chart.x_axis().set_date_axis(true).set_num_format("yyyy-mm-dd");
    chart.y_axis().set_num_format("#,##0").set_min(0);
    chart.set_width(720).set_height(320);
    // Beside the table, one below the other.
    ws.insert_chart((index * 17 + 1) as u32, last_col + 2, &chart)?;
    Ok(())
}

fn write_cover(ws: &mut Worksheet, cover: &Cover, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name("Cover")?;
    ws.set_column_width(0, 26)?;
    ws.set_column_width(1, COVER_WIDTH as f64)?;
    ws.write_string_with_format(0, 0, &cover.title, &f.title)?;
    let mut row = 1;
    if let Some(banner) = &cover.banner {
        ws.write_string_with_format(row, 0, banner, &f.banner)?;
        row += 1;
    }
    row += 1;
    for (label, value) in &cover.facts {
        ws.write_string_with_format(row, 0, label, &f.label)?;
        match value {
            Cell::Text(t) => {
                ws.write_string_with_format(row, 1, clip(t), &f.wrap)?;
                cover_height(ws, row, value)?;
            }
            other => write_cell(ws, row, 1, other, false, f)?,
        }
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "Sheet", &f.header)?;
    ws.write_string_with_format(row, 1, "What it holds", &f.header)?;
    for c in &cover.contents {
        row += 1;
        ws.write_string_with_format(row, 0, &c.sheet, &f.label)?;
        let note = if c.included {
            c.note.clone()
        } else {
            format!("Left out: {}", c.note)
        };
        let format = if c.included { &f.wrap } else { &f.left_out };
        ws.write_string_with_format(row, 1, &note, format)?;
        cover_height(ws, row, &Cell::Text(note))?;
    }
    ws.set_portrait();
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// The cover's second column, in characters.
const COVER_WIDTH: usize = 100;

fn cover_height(ws: &mut Worksheet, row: u32, value: &Cell) -> Result<(), XlsxError> {
    let lines = wrapped_lines(value, text_per_width(COVER_WIDTH - 4));
    if lines > 1 {
        ws.set_row_height(row, ROW_HEIGHT * lines as f64)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::reports::sheet::Column;

    #[test]
    fn a_sheet_past_excels_rows_is_refused_by_name() {
        let mut s = Sheet::new("Users", vec![Column::new("ID")]);
        s.rows = vec![vec![Cell::Empty]; MAX_ROWS + 1];
        match workbook(None, &[s]) {
            Err(WorkbookError::TooManyRows { sheet, .. }) => assert_eq!(sheet, "Users"),
            other => panic!("not refused: {other:?}"),
        }
    }

    #[test]
    fn widths_count_the_separators() {
        assert_eq!(shown_width(&Cell::Int(1_234_567)), 9);
        assert_eq!(shown_width(&Cell::Int(-12)), 3);
        assert_eq!(shown_width(&Cell::Money(1234.5)), 8);
        assert_eq!(shown_width(&Cell::text("ab\nabcd")), 4);
    }

    #[test]
    fn a_header_wraps_between_words_rather_than_widening_its_column() {
        // "Concurrent" in bold is 12 wide: the header takes two lines.
        assert_eq!(header_width("Concurrent Allowed"), 12);
        assert_eq!(header_width("ID"), 3);
        // Many short words: at most three lines.
        let w = header_width("a b c d e f g h");
        assert!(wrapped_lines(&Cell::text(bold("a b c d e f g h")), w) <= HEADER_LINES);
    }

    #[test]
    fn wrapped_text_counts_its_lines_by_words() {
        assert_eq!(wrapped_lines(&Cell::text("short"), 10), 1);
        assert_eq!(wrapped_lines(&Cell::text("aaaa bbbb cccc"), 10), 2);
        assert_eq!(wrapped_lines(&Cell::text("a\nb"), 10), 2);
        assert_eq!(wrapped_lines(&Cell::text("x".repeat(25)), 10), 3);
        assert_eq!(wrapped_lines(&Cell::Int(5), 10), 1);
    }

    #[test]
    fn an_overlong_cell_is_cut_to_what_excel_holds() {
        let long = "x".repeat(MAX_CELL_CHARS + 10);
        assert_eq!(clip(&long).chars().count(), MAX_CELL_CHARS);
        assert_eq!(clip("short"), "short");
    }
}
