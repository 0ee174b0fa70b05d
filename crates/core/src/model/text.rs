//! Text from files, made safe to show. Anyone who can hand the user a
//! license, workspace, events or CSV file controls its strings; printed raw,
//! an escape sequence or a carriage return could rewrite what a terminal
//! shows ("DEMO" overwritten by "valid"), a line feed could add a row to a
//! table, and a cell starting with `=` is a formula to a spreadsheet.

use std::borrow::Cow;

/// Characters never shown raw: the C0 and C1 controls and DEL (which
/// terminals obey), and the invisible Unicode format characters that reorder
/// or hide text (bidirectional overrides and isolates, zero-width marks, the
/// byte-order mark).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// A string with every unsafe character written as a visible escape
/// (`\n`, `\u{1b}`, `\u{202e}`), so it stays on one line and the terminal
/// obeys none of it. Unchanged (borrowed) when nothing needs escaping.
pub fn safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Escapes unsafe characters in text that is laid out in lines (a table):
/// line feeds are kept, everything else is escaped. A last line of defence
/// for whole outputs; fields are escaped with `safe` as they are laid out.
pub fn safe_lines(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c != '\n' && is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A CSV cell a spreadsheet will not run: a leading `=`, `+`, `-`, `@`, tab
/// or carriage return makes Excel and LibreOffice treat the cell as a
/// formula, so such a cell gets a leading `'` (OWASP's advice). A cell that
/// already starts with `'` gets one more, so `from_csv_cell` can always
/// strip exactly one and every string comes back as it was. Nothing else
/// is changed: the file holds the text exactly (the CSV writer quotes line
/// breaks); what reaches a terminal is escaped where it is printed.
/// A CSV writer's text, flushed: what every CSV report returns.
pub fn csv_written(w: csv::Writer<Vec<u8>>) -> Result<String, crate::error::ReportError> {
    let bytes = w.into_inner().map_err(csv::IntoInnerError::into_error)?;
    Ok(String::from_utf8(bytes)?)
}

pub fn csv_cell(text: &str) -> Cow<'_, str> {
    // Spaces at either end are guarded too: an unguarded cell is trimmed
    // on import (a hand-written `u1, Ann`), a guarded one is taken exactly.
    if text.starts_with(['\'', '=', '+', '-', '@', '\t', '\r'])
        || text.starts_with(char::is_whitespace)
        || text.ends_with(char::is_whitespace)
    {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A count with thousands separators: 1234567 → "1,234,567".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 change", "1,204 changes": a count and its noun, singular or plural.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// Reverses `csv_cell` on import: a cell guarded with a leading `'` is
/// taken exactly after it (`'=x` reads as `=x`, `''a` as `'a`, `' a ` as
/// ` a `); any other cell is trimmed (a hand-written `u1, Ann`).
pub fn from_csv_cell(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(exact) => exact,
        None => text.trim(),
    }
}

/// A `serde_json` formatter that also escapes the characters JSON allows raw
/// (C1 controls, DEL, bidirectional and zero-width marks) as `\uXXXX`, so
/// JSON printed to a terminal carries no control character either.
pub struct SafeFormatter<F> {
    inner: F,
}

impl<F> SafeFormatter<F> {
    pub fn new(inner: F) -> Self {
        SafeFormatter { inner }
    }
}

macro_rules! delegate {
    ($($name:ident),*) => {$(
        fn $name<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
            self.inner.$name(w)
        }
    )*};
}

impl<F: serde_json::ser::Formatter> serde_json::ser::Formatter for SafeFormatter<F> {
    delegate!(
        begin_array,
        end_array,
        begin_object,
        end_object,
        end_array_value,
        end_object_value
    );

    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.inner.begin_array_value(w, first)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.inner.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.inner.begin_object_value(w)
    }
    fn write_string_fragment<W: ?Sized + std::io::Write>(&mut self, w: &mut W, fragment: &str) -> std::io::Result<()> {
        // Printable ASCII (nearly every fragment) has nothing to escape.
        if fragment.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            return w.write_all(fragment.as_bytes());
        }
        let mut rest = fragment;
        while let Some((i, c)) = rest.char_indices().find(|(_, c)| is_unsafe(*c)) {
            w.write_all(&rest.as_bytes()[..i])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(w, "\\u{unit:04x}")?;
            }
            rest = &rest[i + c.len_utf8()..];
        }
        w.write_all(rest.as_bytes())
    }
}

fn to_safe_json<T, F>(value: &T, formatter: F) -> Result<String, serde_json::Error>
where
    T: serde::Serialize + ?Sized,
    F: serde_json::ser::Formatter,
{
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeFormatter::new(formatter));
    value.serialize(&mut ser)?;
    // The serializer writes only valid UTF-8 (escapes are ASCII).
    Ok(String::from_utf8(out).unwrap_or_default())
}

/// Pretty JSON with `SafeFormatter` (what every command prints).
pub fn to_safe_json_pretty<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    to_safe_json(value, serde_json::ser::PrettyFormatter::new())
}

/// Compact one-line JSON with `SafeFormatter` (session replies).
pub fn to_safe_json_line<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    to_safe_json(value, serde_json::ser::CompactFormatter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_escapes_terminal_controls() {
        assert_eq!(safe("plain"), "plain");
        assert_eq!(safe("a\u{1b}[2Kb"), "a\\u{1b}[2Kb");
        assert_eq!(safe("x\r\ny"), "x\\r\\ny");
        assert_eq!(safe("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(safe("abc\u{202e}fed"), "abc\\u{202e}fed");
    }

    #[test]
    fn counts_read_as_words() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(count(1, "change", "changes"), "1 change");
        assert_eq!(count(1204, "row", "rows"), "1,204 rows");
    }

    #[test]
    fn csv_cells_are_not_formulas() {
        assert_eq!(csv_cell("=1+1"), "'=1+1");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("ann"), "ann");
        assert_eq!(from_csv_cell("'=1+1"), "=1+1");
        assert_eq!(csv_cell("'quoted"), "''quoted");
        assert_eq!(from_csv_cell("''quoted"), "'quoted");
        assert_eq!(from_csv_cell("plain"), "plain");
    }

    #[test]
    fn json_has_no_raw_controls() {
        let text = to_safe_json_pretty(&serde_json::json!({"k": "a\u{1b}b\u{9b}c\u{7f}\u{202e}"})).expect("json");
        assert!(!text.chars().any(|c| c != '\n' && is_unsafe(c)), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).expect("parse");
        assert_eq!(back["k"], "a\u{1b}b\u{9b}c\u{7f}\u{202e}");
    }
}
