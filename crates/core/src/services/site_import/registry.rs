//! The `.reg` file format that `reg export` writes (Windows Registry
//! Editor Version 5.00, UTF-16LE with a byte-order mark; REGEDIT4 and
//! UTF-8 text are read too): `[KEY\PATH]` lines, then `"Name"=data` or
//! `@=data` values — `"text"`, `dword:0000001f`, `hex:`, `hex(N):` bytes
//! (continued on the next line after a `\`), `-` to delete. Multi-string
//! values (`hex(7):`) are UTF-16LE strings, each ended by a NUL.
//!
//! Parsing is strict about the syntax (a broken hex byte, a string without
//! its closing quote, a value before any key: refused with the line) and
//! reads no meaning into the keys: `reg_site.rs` does that.

use super::SiteImportError;

/// The most bytes one value may hold (a registry value of licensing data
/// is a few hundred bytes; the whole file is capped anyway).
const MAX_VALUE_BYTES: usize = 16 * 1024 * 1024;

/// One key of the file with its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegKey {
    /// The path as written, without the brackets (and without the `-` of a
    /// deletion).
    pub path: String,
    /// `[-path]`: the key is deleted (Registry Editor's syntax; `reg
    /// export` never writes one).
    pub delete: bool,
    /// The line of `[path]` (1-based).
    pub line: usize,
    pub values: Vec<RegValue>,
}

/// One value of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegValue {
    /// The value's name; empty for the default value (`@`).
    pub name: String,
    pub data: RegData,
    /// The line the value starts on (1-based).
    pub line: usize,
}

/// A value's data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegData {
    /// `"text"`, `hex(1):` and `hex(2):` (REG_SZ, REG_EXPAND_SZ).
    Text(String),
    /// `dword:` (and `hex(4):`).
    Dword(u32),
    /// `hex(b):` (REG_QWORD).
    Qword(u64),
    /// `hex(7):` (REG_MULTI_SZ).
    Multi(Vec<String>),
    /// `hex:` and any other `hex(N):`.
    Binary(Vec<u8>),
    /// `-`: the value is deleted.
    Delete,
}

impl RegData {
    /// The data as text, where it is text or a number.
    pub fn as_text(&self) -> Option<String> {
        match self {
            RegData::Text(s) => Some(s.clone()),
            RegData::Dword(n) => Some(n.to_string()),
            RegData::Qword(n) => Some(n.to_string()),
            RegData::Multi(items) => Some(items.join(";")),
            RegData::Binary(_) | RegData::Delete => None,
        }
    }

    /// The data as a list of strings (a multi-string, or one text).
    pub fn as_list(&self) -> Vec<String> {
        match self {
            RegData::Multi(items) => items.clone(),
            RegData::Text(s) if !s.trim().is_empty() => vec![s.clone()],
            _ => Vec::new(),
        }
    }
}

/// How a `.reg` file's text was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-16LE after its byte-order mark: what `reg export` writes.
    Utf16,
    /// UTF-16LE without a byte-order mark, told by its NUL bytes.
    Utf16WithoutMark,
    /// UTF-8, with or without a mark.
    Utf8,
}

/// Which byte of each pair is NUL in the first bytes, as UTF-16 text of
/// ASCII (a registry export's header and key paths) has it: `Some(true)`
/// for the second (little-endian), `Some(false)` for the first.
fn nul_pattern(bytes: &[u8]) -> Option<bool> {
    let head = &bytes[..bytes.len().min(256) & !1];
    if head.len() < 8 {
        return None;
    }
    let pairs = head.len() / 2;
    let (mut odd, mut even) = (0, 0);
    for p in head.chunks_exact(2) {
        if p[0] != 0 && p[1] == 0 {
            odd += 1;
        } else if p[0] == 0 && p[1] != 0 {
            even += 1;
        }
    }
    // Nine pairs in ten: a stray character outside ASCII does not hide it.
    if odd * 10 >= pairs * 9 {
        Some(true)
    } else if even * 10 >= pairs * 9 {
        Some(false)
    } else {
        None
    }
}

/// Decodes a `.reg` file's bytes: UTF-16LE after its byte-order mark (what
/// `reg export` writes), UTF-16LE without the mark (told by the NUL byte
/// after each ASCII character; the caller records the assumption), or
/// UTF-8 (with or without a mark).
pub fn decode(bytes: &[u8], name: &str) -> Result<(String, Encoding), SiteImportError> {
    let (body, encoding) = match bytes.strip_prefix(b"\xFF\xFE") {
        Some(body) => (Some(body), Encoding::Utf16),
        None if !bytes.starts_with(b"\xFE\xFF") && nul_pattern(bytes) == Some(true) => {
            (Some(bytes), Encoding::Utf16WithoutMark)
        }
        None => (None, Encoding::Utf8),
    };
    if let Some(body) = body {
        if !body.len().is_multiple_of(2) {
            return Err(SiteImportError::at(
                name,
                "UTF-16 text with an odd number of bytes; the file is cut short",
            ));
        }
        let units = body.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]]));
        let mut out = String::with_capacity(body.len() / 2);
        for (i, c) in char::decode_utf16(units).enumerate() {
            match c {
                Ok(c) => out.push(c),
                Err(_) => {
                    return Err(SiteImportError::at(
                        name,
                        format!(
                            "broken UTF-16 (an unpaired surrogate at byte {})",
                            bytes.len() - body.len() + 2 * i
                        ),
                    ));
                }
            }
        }
        return Ok((out, encoding));
    }
    if bytes.starts_with(b"\xFE\xFF") || nul_pattern(bytes) == Some(false) {
        return Err(SiteImportError::at(
            name,
            "UTF-16 big-endian text; export with `reg export`, which writes UTF-16LE",
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(body.to_vec())
        .map(|text| (text, encoding))
        .map_err(|e| {
            SiteImportError::at(
                name,
                format!(
                    "neither UTF-16LE with a byte-order mark nor UTF-8 (bad byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })
}

/// Parses the text of a `.reg` file into its keys, in file order.
pub fn parse(text: &str, name: &str) -> Result<Vec<RegKey>, SiteImportError> {
    let at = |line: usize, why: String| SiteImportError::at(format!("{name} line {line}"), why);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).enumerate();
    // The header: the first line that is not blank.
    let header = loop {
        match lines.next() {
            Some((_, l)) if l.trim().is_empty() => continue,
            Some((i, l)) => break (i + 1, l.trim()),
            None => return Err(at(1, "the file is empty".into())),
        }
    };
    if header.1 != "Windows Registry Editor Version 5.00" && header.1 != "REGEDIT4" {
        return Err(at(
            header.0,
            format!(
                "not a registry export: it must start with `Windows Registry Editor Version 5.00`, found `{}`",
                super::report::shorten(header.1)
            ),
        ));
    }
    let mut keys: Vec<RegKey> = Vec::new();
    while let Some((i, raw)) = lines.next() {
        let line_no = i + 1;
        if raw.contains('\0') {
            return Err(at(line_no, "a NUL character; the file is damaged".into()));
        }
        let line = raw.trim_start();
        if line.trim().is_empty() || line.starts_with(';') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let Some(path) = rest.trim_end().strip_suffix(']') else {
                return Err(at(line_no, "a key line without its closing `]`".into()));
            };
            let (path, delete) = match path.strip_prefix('-') {
                Some(deleted) => (deleted, true),
                None => (path, false),
            };
            keys.push(RegKey {
                path: path.to_string(),
                delete,
                line: line_no,
                values: Vec::new(),
            });
            continue;
        }
        // string-error: a registry line's problem is its line number and words (`at`), as every other in this parser.
        let (value_name, data_text) = split_value(line).map_err(|why| at(line_no, why.to_string()))?;
        // Hex data may go on over the next lines, each but the last ending in `\`.
        let mut data = data_text.trim_end().to_string();
        let mut last = line_no;
        while data.ends_with('\\') && is_hex(&data) {
            data.pop();
            match lines.next() {
                Some((j, next)) => {
                    last = j + 1;
                    data.push_str(next.trim());
                }
                None => return Err(at(last, "a value continued (`\\`) past the end of the file".into())),
            }
            if data.len() > 4 * MAX_VALUE_BYTES {
                return Err(at(line_no, "a value longer than 16 MiB".into()));
            }
        }
        let value = parse_data(&data).map_err(|why| at(line_no, format!("value `{value_name}`: {why}")))?;
        let Some(key) = keys.last_mut() else {
            return Err(at(line_no, "a value before any [key] line".into()));
        };
        key.values.push(RegValue {
            name: value_name,
            data: value,
            line: line_no,
        });
    }
    Ok(keys)
}

fn is_hex(data: &str) -> bool {
    data.starts_with("hex:") || data.starts_with("hex(")
}

/// What is wrong with a value line of a `.reg` file (said after its line
/// number, and the value's name where it has one). Text from the file is
/// shortened as `report::shorten` does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum ValueProblem {
    #[error("`@` must be followed by `=`")]
    DefaultWithoutEquals,
    #[error("not a key, a value or a comment: `{0}`")]
    NotALine(String),
    #[error("a value name must be followed by `=`")]
    NameWithoutEquals,
    #[error("a string ends in `\\` without its closing quote")]
    EscapeAtEnd,
    #[error("a string without its closing quote")]
    Unclosed,
    #[error("text after the closing quote: `{0}`")]
    AfterQuote(String),
    #[error("`dword:{0}` is not 1 to 8 hex digits")]
    Dword(String),
    #[error("`hex(` without its `):`")]
    HexWithoutType,
    #[error("`hex({0})` is not a value type")]
    HexType(String),
    #[error("unknown data `{0}` (expected \"text\", dword:, hex: or hex(N):)")]
    UnknownData(String),
    #[error("{0} bytes for a number of fixed size")]
    NumberSize(usize),
    #[error("byte {at} `{text}` is not two hex digits")]
    Byte { at: usize, text: String },
    #[error("a value longer than 16 MiB")]
    TooLong,
    #[error("{0} bytes of UTF-16 text (an odd number)")]
    OddUtf16(usize),
    #[error("broken UTF-16 text (an unpaired surrogate)")]
    Surrogate,
}

/// `"Name"=data` or `@=data`: the name (unescaped) and the data text.
fn split_value(line: &str) -> Result<(String, &str), ValueProblem> {
    if let Some(rest) = line.strip_prefix('@') {
        let data = rest
            .trim_start()
            .strip_prefix('=')
            .ok_or(ValueProblem::DefaultWithoutEquals)?;
        return Ok((String::new(), data.trim_start()));
    }
    let Some(rest) = line.strip_prefix('"') else {
        return Err(ValueProblem::NotALine(super::report::shorten(line)));
    };
    let (name, after) = quoted(rest)?;
    let data = after
        .trim_start()
        .strip_prefix('=')
        .ok_or(ValueProblem::NameWithoutEquals)?;
    Ok((name, data.trim_start()))
}

/// The text of a quoted string (after its opening quote), unescaping `\\`
/// and `\"`; and what follows its closing quote.
fn quoted(rest: &str) -> Result<(String, &str), ValueProblem> {
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &rest[i + 1..])),
            '\\' => match chars.next() {
                Some((_, e @ ('\\' | '"'))) => out.push(e),
                Some((_, 'n')) => out.push('\n'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 't')) => out.push('\t'),
                Some((_, '0')) => out.push('\0'),
                Some((_, other)) => {
                    // Windows keeps an unknown escape as it is.
                    out.push('\\');
                    out.push(other);
                }
                None => return Err(ValueProblem::EscapeAtEnd),
            },
            c => out.push(c),
        }
    }
    Err(ValueProblem::Unclosed)
}

fn parse_data(data: &str) -> Result<RegData, ValueProblem> {
    if data == "-" {
        return Ok(RegData::Delete);
    }
    if let Some(rest) = data.strip_prefix('"') {
        let (text, after) = quoted(rest)?;
        if !after.trim().is_empty() {
            return Err(ValueProblem::AfterQuote(super::report::shorten(after.trim())));
        }
        return Ok(RegData::Text(text));
    }
    if let Some(hex) = data.strip_prefix("dword:") {
        let hex = hex.trim();
        if hex.is_empty() || hex.len() > 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ValueProblem::Dword(super::report::shorten(hex)));
        }
        return u32::from_str_radix(hex, 16)
            .map(RegData::Dword)
            .map_err(|_| ValueProblem::Dword(super::report::shorten(hex)));
    }
    let (kind, bytes) = if let Some(rest) = data.strip_prefix("hex:") {
        (3u32, rest)
    } else if let Some(rest) = data.strip_prefix("hex(") {
        let (kind, after) = rest.split_once("):").ok_or(ValueProblem::HexWithoutType)?;
        let kind =
            u32::from_str_radix(kind.trim(), 16).map_err(|_| ValueProblem::HexType(super::report::shorten(kind)))?;
        (kind, after)
    } else {
        return Err(ValueProblem::UnknownData(super::report::shorten(data)));
    };
    let bytes = hex_bytes(bytes)?;
    match kind {
        1 | 2 => Ok(RegData::Text(utf16(&bytes)?.join(""))),
        4 if bytes.len() == 4 => Ok(RegData::Dword(u32::from_le_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3],
        ]))),
        7 => Ok(RegData::Multi(
            utf16(&bytes)?.into_iter().filter(|s| !s.is_empty()).collect(),
        )),
        0xb if bytes.len() == 8 => {
            let mut b = [0u8; 8];
            b.copy_from_slice(&bytes);
            Ok(RegData::Qword(u64::from_le_bytes(b)))
        }
        4 | 0xb => Err(ValueProblem::NumberSize(bytes.len())),
        _ => Ok(RegData::Binary(bytes)),
    }
}

/// `49,00,33,00` → bytes. Each byte is two hex digits; blanks around
/// commas are allowed, anything else is refused.
fn hex_bytes(text: &str) -> Result<Vec<u8>, ValueProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::with_capacity(text.len() / 3 + 1);
    for (i, piece) in text.split(',').enumerate() {
        let piece = piece.trim();
        if piece.len() != 2 || !piece.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ValueProblem::Byte {
                at: i + 1,
                text: super::report::shorten(piece),
            });
        }
        out.push(u8::from_str_radix(piece, 16).map_err(|_| ValueProblem::Byte {
            at: i + 1,
            text: piece.to_string(),
        })?);
        if out.len() > MAX_VALUE_BYTES {
            return Err(ValueProblem::TooLong);
        }
    }
    Ok(out)
}

/// UTF-16LE bytes split at each NUL (the strings of a multi-string; a
/// single string has one).
fn utf16(bytes: &[u8]) -> Result<Vec<String>, ValueProblem> {
    if !bytes.len().is_multiple_of(2) {
        return Err(ValueProblem::OddUtf16(bytes.len()));
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    let mut out = Vec::new();
    for part in units.split(|&u| u == 0) {
        out.push(String::from_utf16(part).map_err(|_| ValueProblem::Surrogate)?);
    }
    // The final NUL (and the list's closing one) leave empty pieces.
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn multi(items: &[&str]) -> String {
        let mut bytes = Vec::new();
        for s in items {
            for u in s.encode_utf16() {
                bytes.extend_from_slice(&u.to_le_bytes());
            }
            bytes.extend_from_slice(&[0, 0]);
        }
        bytes.extend_from_slice(&[0, 0]);
        let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!("hex(7):{}", hex.join(","))
    }

    #[test]
    fn reads_strings_dwords_and_multi_strings_over_continued_lines() {
        let m = multi(&["I3_ACCESS_CLIENT", "I3_ACCESS_ACD_MEDIA_1"]);
        let (a, b) = m.split_at(40);
        let text = format!(
            "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\X]\r\n\"Counted Licenses\"={a}\\\r\n  {b}\r\n\"Active\"=dword:00000001\r\n@=\"a \\\"q\\\" \\\\ b\"\r\n"
        );
        let keys = parse(&text, "t.reg").expect("parse");
        assert_eq!(keys.len(), 1);
        assert_eq!(
            keys[0].values[0].data,
            RegData::Multi(vec!["I3_ACCESS_CLIENT".into(), "I3_ACCESS_ACD_MEDIA_1".into()])
        );
        assert_eq!(keys[0].values[1].data, RegData::Dword(1));
        assert_eq!(keys[0].values[2].data, RegData::Text("a \"q\" \\ b".into()));
    }

    #[test]
    fn broken_hex_is_refused_with_its_line() {
        let text = "Windows Registry Editor Version 5.00\n\n[K]\n\"A\"=hex(7):49,0g,00\n";
        let e = parse(text, "t.reg").expect_err("broken");
        assert!(e.to_string().contains("t.reg line 4"), "{e}");
        assert!(e.to_string().contains("`0g`"), "{e}");
    }

    #[test]
    fn utf16_with_a_byte_order_mark_decodes() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "REGEDIT4\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(
            decode(&bytes, "t").expect("decode"),
            ("REGEDIT4\r\n".into(), Encoding::Utf16)
        );
        assert!(decode(&bytes[..bytes.len() - 1], "t").is_err());
        assert_eq!(
            decode(&bytes[2..], "t").expect("decode"),
            ("REGEDIT4\r\n".into(), Encoding::Utf16WithoutMark)
        );
    }
}
