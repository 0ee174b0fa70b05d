//! What an import tells the administrator: the counts, every value it
//! could not map (with its place, record and field), every assumption it
//! applied, the keys our catalogue does not know, the warnings, and the
//! self-check against the server's own counts.

use std::collections::BTreeMap;

use serde::Serialize;

/// The most unmapped values and warnings listed one by one: a broken
/// 100k-user export must not make a report of a million lines. The rest
/// are counted (`unmapped_more`, `warnings_more`).
pub const MAX_LISTED: usize = 5_000;

/// Values shown in a report are cut to this many characters (a hostile
/// 1 MB field must not become a 1 MB line).
const MAX_VALUE_CHARS: usize = 80;

/// The report of one import (printed as a table or JSON, shown in the GUI).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    /// `icws` or `registry`.
    pub source: String,
    /// The files read, in the order read.
    pub files: Vec<String>,
    /// Entries of the export folder the import does not read, each with
    /// why (the first `MAX_LISTED`; the rest counted in `files_not_read_more`).
    pub files_not_read: Vec<FileNotRead>,
    pub files_not_read_more: usize,
    pub counts: Counts,
    /// Every value that could not be mapped, with where it was.
    pub unmapped: Vec<Unmapped>,
    pub unmapped_more: usize,
    /// Every assumption applied, once per kind, with how often.
    pub assumptions: Vec<Assumption>,
    /// Keys our catalogue does not know: kept on their holders as they are.
    pub unknown_keys: Vec<UnknownKey>,
    /// Things imported as they are but worth a look (License Active off).
    pub warnings: Vec<Unmapped>,
    pub warnings_more: usize,
    /// Registry keys under the site's Production key (or beside it) that
    /// the import does not read, grouped by where they are.
    pub keys_not_read: Vec<NotRead>,
    /// The comparison with the server's Licenses Allocation counts, when
    /// `license-allocations` was exported.
    pub self_check: Option<SelfCheck>,
}

/// How much was imported.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub users: usize,
    pub stations: usize,
    pub workgroups: usize,
    /// License allocations imported (one per holder and key).
    pub allocations: usize,
    /// Records of the export that were not imported (each is in `unmapped`).
    pub records_skipped: usize,
}

/// A value that could not be mapped (or a warning about one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmapped {
    /// The file and the place in it: `users-0000.json items[12]`,
    /// `site.reg line 40`.
    pub place: String,
    /// The user, station or workgroup it belongs to.
    pub record: String,
    /// The field (ICWS property path or registry value name).
    pub field: String,
    /// The value as found (shortened).
    pub value: String,
    /// What was done and why.
    pub reason: String,
    /// For a value of the wrong kind: what the field should hold (`null`
    /// otherwise).
    pub expected: Option<String>,
}

/// An entry of the export folder the import does not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileNotRead {
    /// Its name in the folder.
    pub file: String,
    /// Why it is not read, in words.
    pub why: String,
}

/// Registry keys the import does not read, by where they are: the path
/// under `Production` with each record's name as `<user>`, `<station>`,
/// `<workgroup>` or `<server>` (`Users\<user>\Sub`, `Queues`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotRead {
    pub key: String,
    /// How many keys of the file are there.
    pub keys: usize,
    /// The first of them (file and line).
    pub place: String,
}

/// An assumption the mapping applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assumption {
    /// A stable name (`station-type-unified-messaging`); docs/site-import.md
    /// explains each.
    pub code: String,
    /// What was assumed, in plain words.
    pub text: String,
    /// How many records it applied to.
    pub count: usize,
    /// The first record it applied to.
    pub example: String,
}

/// A license key our catalogue does not know, kept as it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownKey {
    pub key: String,
    pub holders: usize,
    /// The first holder.
    pub example: String,
}

/// The import against the server's own counts (IA's Licenses Allocation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SelfCheck {
    /// True only when no count differs.
    pub consistent: bool,
    /// Keys compared (every key the server listed or the import holds).
    pub keys_compared: usize,
    pub differences: Vec<Difference>,
}

/// One count that differs between the server and the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    pub key: String,
    /// IA's name for the key.
    pub label: String,
    /// `assignable` or `concurrent` (the Configured column).
    pub column: String,
    /// The server's count (`None`: the server does not list the key).
    pub server: Option<u64>,
    pub imported: u64,
    /// What may explain it, when something does.
    pub note: String,
}

/// Collects the report while the export is read and mapped.
#[derive(Debug, Default)]
pub struct Collector {
    pub report: ImportReport,
    assumed: BTreeMap<&'static str, (String, usize, String)>,
    unknown: BTreeMap<String, (usize, String)>,
    not_read: BTreeMap<String, (usize, String)>,
}

impl Collector {
    pub fn new(source: &str) -> Self {
        Collector {
            report: ImportReport {
                source: source.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// A value that could not be mapped.
    pub fn unmapped(&mut self, place: &str, record: &str, field: &str, value: &str, reason: impl Into<String>) {
        push(
            &mut self.report.unmapped,
            &mut self.report.unmapped_more,
            entry(place, record, field, value, reason.into()),
        );
    }

    /// A value of the wrong kind (`found`: what it is, in words): reported
    /// with what was expected and what was done (`done`), never refused —
    /// the import goes on.
    #[allow(clippy::too_many_arguments)]
    pub fn wrong_kind(
        &mut self,
        place: &str,
        record: &str,
        field: &str,
        value: &str,
        found: &str,
        expected: &str,
        done: &str,
    ) {
        let mut item = entry(
            place,
            record,
            field,
            value,
            format!("{found} where {expected} is expected; {done}"),
        );
        item.expected = Some(expected.to_string());
        push(&mut self.report.unmapped, &mut self.report.unmapped_more, item);
    }

    /// An entry of the export folder the import does not read.
    pub fn file_not_read(&mut self, file: &str, why: &str) {
        if self.report.files_not_read.len() < MAX_LISTED {
            self.report.files_not_read.push(FileNotRead {
                file: shorten(file),
                why: why.to_string(),
            });
        } else {
            self.report.files_not_read_more += 1;
        }
    }

    /// A registry key the import does not read, grouped under `key`.
    pub fn not_read(&mut self, key: &str, place: &str) {
        if self.not_read.len() >= MAX_LISTED && !self.not_read.contains_key(key) {
            return;
        }
        self.not_read.entry(shorten(key)).or_insert((0, shorten(place))).0 += 1;
    }

    /// A record of the export that is not imported (also listed as unmapped).
    pub fn skipped(&mut self, place: &str, record: &str, field: &str, value: &str, reason: impl Into<String>) {
        self.report.counts.records_skipped += 1;
        self.unmapped(place, record, field, value, reason);
    }

    /// Something imported as it is but worth a look.
    pub fn warning(&mut self, place: &str, record: &str, field: &str, value: &str, reason: impl Into<String>) {
        push(
            &mut self.report.warnings,
            &mut self.report.warnings_more,
            entry(place, record, field, value, reason.into()),
        );
    }

    /// An assumption applied to `record` (`code` names it; `text` is the
    /// same for every record of the code).
    pub fn assume(&mut self, code: &'static str, text: &str, record: &str) {
        let slot = self
            .assumed
            .entry(code)
            .or_insert_with(|| (text.to_string(), 0, shorten(record)));
        slot.1 += 1;
    }

    /// A key the catalogue does not know, kept on `holder`.
    pub fn unknown_key(&mut self, key: &str, holder: &str) {
        if self.unknown.len() >= MAX_LISTED && !self.unknown.contains_key(key) {
            return;
        }
        self.unknown.entry(key.to_string()).or_insert((0, shorten(holder))).0 += 1;
    }

    /// The finished report.
    pub fn finish(mut self) -> ImportReport {
        self.report.assumptions = self
            .assumed
            .into_iter()
            .map(|(code, (text, count, example))| Assumption {
                code: code.into(),
                text,
                count,
                example,
            })
            .collect();
        self.report.unknown_keys = self
            .unknown
            .into_iter()
            .map(|(key, (holders, example))| UnknownKey { key, holders, example })
            .collect();
        self.report.keys_not_read = self
            .not_read
            .into_iter()
            .map(|(key, (keys, place))| NotRead { key, keys, place })
            .collect();
        self.report
    }
}

fn push(list: &mut Vec<Unmapped>, more: &mut usize, item: Unmapped) {
    if list.len() < MAX_LISTED {
        list.push(item);
    } else {
        *more += 1;
    }
}

fn entry(place: &str, record: &str, field: &str, value: &str, reason: String) -> Unmapped {
    Unmapped {
        place: shorten(place),
        record: shorten(record),
        field: shorten(field),
        value: shorten(value),
        reason,
        expected: None,
    }
}

/// A value cut to a printable length (escaping happens when it is shown).
pub fn shorten(text: &str) -> String {
    let count = text.chars().count();
    if count <= MAX_VALUE_CHARS {
        return text.to_string();
    }
    let head: String = text.chars().take(MAX_VALUE_CHARS).collect();
    format!("{head}… ({count} characters)")
}

/// What a JSON value is, in words (for a value of the wrong kind).
pub fn kind(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "true or false",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a text",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

/// A JSON value as a short text for the report.
pub fn show(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => shorten(s),
        other => shorten(&other.to_string()),
    }
}
