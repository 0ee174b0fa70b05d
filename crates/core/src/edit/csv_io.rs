//! CSV import and export of users, stations and workgroups: one row per
//! subject, lists (licenses, media types, workgroups) `;`-separated.
//!
//! Import parses every row first and reports each bad row with its number;
//! nothing is imported when any row is bad, unless the caller asks to skip
//! bad rows. The rows become ordinary commands, so the allocation rules apply.

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;

use crate::edit::command::Command;
use crate::model::catalog;
use crate::model::workspace::{MediaType, Method, NameSet, Station, StationType, User, Workgroup, Workspace, fold};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Table {
    #[default]
    Users,
    Stations,
    Workgroups,
}

impl Table {
    pub const ALL: [Table; 3] = [Table::Users, Table::Stations, Table::Workgroups];

    pub fn parse(text: &str) -> Option<Table> {
        match text {
            "users" => Some(Table::Users),
            "stations" => Some(Table::Stations),
            "workgroups" => Some(Table::Workgroups),
            _ => None,
        }
    }
    pub fn header(self) -> &'static [&'static str] {
        match self {
            Table::Users => &["id", "name", "method", "licenses", "acd_media_types", "workgroups"],
            Table::Stations => &["id", "type", "enabled", "machine_name", "licenses", "acd_media_types"],
            Table::Workgroups => &["name", "media"],
        }
    }

    /// The columns holding free text from files (IDs, names, workgroups),
    /// guarded against formulas in CSV (`text::csv_cell`).
    pub fn free_text(self) -> &'static [usize] {
        match self {
            Table::Users => &[0, 1, 5],
            Table::Stations => &[0, 3],
            Table::Workgroups => &[0],
        }
    }
}

fn join<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(";")
}

fn type_code(t: StationType) -> &'static str {
    match t {
        StationType::Workstation => "workstation",
        StationType::ManagedWorkstation => "managed-workstation",
        StationType::StandaloneFax => "standalone-fax",
        StationType::StandalonePhone => "standalone-phone",
        StationType::Remote => "remote",
    }
}

use crate::model::text::csv_cell as cell;
/// A CSV file could not be read or written as a whole (a bad row is a
/// `RowError` in the report instead).
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("cannot write CSV: {0}")]
    Write(#[from] csv::Error),
    #[error("cannot write CSV: {0}")]
    Flush(#[from] std::io::Error),
    #[error(transparent)]
    NotUtf8(#[from] std::string::FromUtf8Error),
    #[error("cannot read the CSV header ({0})")]
    Header(#[source] csv::Error),
    #[error("the CSV has no `{column}` column; expected the columns {expected}")]
    NoIdColumn { column: &'static str, expected: String },
}

/// What is wrong with one row (its `RowError` message, in these words).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
enum RowProblem {
    #[error("`{0}` is blank")]
    Blank(&'static str),
    #[error("`{0}` appears more than once in the file")]
    Repeated(String),
    #[error("unknown method `{0}` (use assignable or concurrent)")]
    Method(String),
    #[error("unknown station type `{0}`")]
    StationType(String),
    #[error("`enabled` must be true or false, not `{0}`")]
    Enabled(String),
    #[error("unknown media type `{0}` (use call, chat, email or generic)")]
    Media(String),
    #[error("`{0}` is not a license key (I3_…)")]
    Key(String),
}

/// Writes one table as CSV text.
pub fn export(ws: &Workspace, table: Table) -> Result<String, CsvError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(table.header())?;
    let guarded = table.free_text();
    for_each_row(ws, table, |fields| {
        // Free text goes through `csv_cell`: a spreadsheet must not run a
        // name that starts with `=` as a formula.
        for (i, f) in fields.iter().enumerate() {
            let text: std::borrow::Cow<'_, str> = if guarded.contains(&i) { cell(f) } else { (*f).into() };
            w.write_field(text.as_bytes())?;
        }
        // Ends the record.
        w.write_record(std::iter::empty::<&[u8]>())
    })?;
    let bytes = w.into_inner().map_err(csv::IntoInnerError::into_error)?;
    Ok(String::from_utf8(bytes)?)
}

/// Each subject of a table as its fields in `Table::header` order, as
/// they are (`export` guards the free text for CSV; an Excel sheet holds
/// them as text cells, which a spreadsheet never runs).
pub fn for_each_row<E>(ws: &Workspace, table: Table, mut visit: impl FnMut(&[&str]) -> Result<(), E>) -> Result<(), E> {
    match table {
        Table::Users => {
            for u in ws.users() {
                visit(&[
                    &u.id,
                    &u.name,
                    if u.method == Method::Assignable {
                        "assignable"
                    } else {
                        "concurrent"
                    },
                    &join(u.licenses.iter().map(|k| &**k)),
                    &join(u.acd_media_types.iter().map(|m| m.code())),
                    &join(u.workgroups.iter().map(|k| &**k)),
                ])?;
            }
        }
        Table::Stations => {
            for s in ws.stations() {
                visit(&[
                    &s.id,
                    type_code(s.kind),
                    if s.enabled { "true" } else { "false" },
                    &s.machine_name,
                    &join(s.licenses.iter().map(|k| &**k)),
                    &join(s.acd_media_types.iter().map(|m| m.code())),
                ])?;
            }
        }
        Table::Workgroups => {
            for g in ws.workgroups() {
                visit(&[&g.name, &join(g.media.iter().map(|m| m.code()))])?;
            }
        }
    }
    Ok(())
}

/// A problem with one CSV row (row 1 is the header; data starts at row 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub row: usize,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}: {}", self.row, self.message)
    }
}

/// Parsed rows ready to apply, and the rows that could not be parsed.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// (row number, command) — one command per good row.
    pub commands: Vec<(usize, Command)>,
    pub errors: Vec<RowError>,
}

fn list(text: &str) -> impl Iterator<Item = &str> {
    text.split(';').map(str::trim).filter(|s| !s.is_empty())
}

fn media(text: &str) -> Result<BTreeSet<MediaType>, RowProblem> {
    list(text)
        .map(|m| MediaType::parse(m).ok_or_else(|| RowProblem::Media(m.to_string())))
        .collect()
}

fn keys(text: &str) -> Result<NameSet, RowProblem> {
    list(text)
        .map(|k| {
            if catalog::is_well_formed(k) {
                Ok(catalog::canonical(k).to_string())
            } else {
                Err(RowProblem::Key(k.to_string()))
            }
        })
        .collect()
}

/// One good CSV row, read without the workspace (so a worker thread can
/// read a large file while the document stays where it is).
#[derive(Debug, Clone)]
pub struct Row {
    /// The row number in the file (the header is row 1).
    pub row: usize,
    pub fields: Fields,
}

/// A row's values, by table.
#[derive(Debug, Clone)]
pub enum Fields {
    User {
        id: String,
        name: String,
        method: Method,
        licenses: NameSet,
        media: BTreeSet<MediaType>,
        workgroups: NameSet,
    },
    Station {
        id: String,
        kind: StationType,
        enabled: bool,
        machine_name: String,
        licenses: NameSet,
        media: BTreeSet<MediaType>,
    },
    Workgroup {
        name: String,
        media: BTreeSet<MediaType>,
    },
}

impl Row {
    /// The command the row becomes: a subject that exists is updated (its
    /// other fields kept), otherwise one is added.
    pub fn command(self, ws: &Workspace) -> Command {
        match self.fields {
            Fields::User {
                id,
                name,
                method,
                licenses,
                media,
                workgroups,
            } => {
                let existing = ws.user(&id);
                let mut user = existing.cloned().unwrap_or_else(|| User::new(id, ""));
                user.name = name;
                user.method = method;
                user.licenses = licenses;
                user.acd_media_types = media;
                user.workgroups = workgroups;
                if existing.is_some() {
                    Command::UpdateUser { user }
                } else {
                    Command::AddUser { user, at: None }
                }
            }
            Fields::Station {
                id,
                kind,
                enabled,
                machine_name,
                licenses,
                media,
            } => {
                let existing = ws.station(&id);
                let mut station = existing.cloned().unwrap_or_else(|| Station::new(id, kind));
                station.kind = kind;
                station.enabled = enabled;
                station.machine_name = machine_name;
                station.licenses = licenses;
                station.acd_media_types = media;
                if existing.is_some() {
                    Command::UpdateStation { station }
                } else {
                    Command::AddStation { station, at: None }
                }
            }
            Fields::Workgroup { name, media } => {
                if ws.workgroup(&name).is_some() {
                    Command::SetWorkgroupMedia { name, media }
                } else {
                    Command::AddWorkgroup {
                        workgroup: Workgroup::new(name, media),
                        at: None,
                    }
                }
            }
        }
    }
}

/// The good rows of a CSV text and the bad ones.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub rows: Vec<Row>,
    pub errors: Vec<RowError>,
}

/// Reads CSV text into rows without the workspace. `keep_going` is told
/// how many rows were read every 1000 rows; when it returns false, reading
/// stops and the result is `Ok(None)` (a cancelled import).
pub fn read_rows(
    table: Table,
    text: &str,
    keep_going: &mut dyn FnMut(usize) -> bool,
) -> Result<Option<Rows>, CsvError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        // Headers are trimmed; cells are read as written, so a name keeps
        // its tabs, line breaks and spaces (export then import gives every
        // string back). Identifiers and keywords are trimmed where they are
        // read.
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(CsvError::Header)?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name);
    let required = table.header()[0];
    if col(required).is_none() {
        return Err(CsvError::NoIdColumn {
            column: required,
            expected: table.header().join(","),
        });
    }
    let mut out = Rows::default();
    let mut seen = HashSet::new();
    for (i, record) in reader.records().enumerate() {
        if i % 1000 == 0 && !keep_going(i) {
            return Ok(None);
        }
        let row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.errors.push(RowError {
                    row,
                    message: format!("unreadable row ({e})"),
                });
                continue;
            }
        };
        // A cell our export guarded against formula injection (`'=x`)
        // reads back as written (`=x`).
        // A guarded cell (`'…`, as our export writes any cell that starts
        // with a formula character or a space) is taken exactly; any other
        // is trimmed.
        let get = |name: &str| crate::model::text::from_csv_cell(col(name).and_then(|c| record.get(c)).unwrap_or(""));
        let id = get(required).to_string();
        let result = (|| -> Result<Fields, RowProblem> {
            if id.is_empty() {
                return Err(RowProblem::Blank(required));
            }
            if !seen.insert(fold(&id)) {
                return Err(RowProblem::Repeated(id.clone()));
            }
            Ok(match table {
                Table::Users => {
                    let method = match get("method").to_lowercase().as_str() {
                        "" | "assignable" => Method::Assignable,
                        "concurrent" => Method::Concurrent,
                        other => return Err(RowProblem::Method(other.to_string())),
                    };
                    Fields::User {
                        name: get("name").to_string(),
                        method,
                        licenses: keys(get("licenses"))?,
                        media: media(get("acd_media_types"))?,
                        workgroups: list(get("workgroups")).collect(),
                        id: id.clone(),
                    }
                }
                Table::Stations => {
                    let kind_text = get("type").to_lowercase();
                    let kind = if kind_text.is_empty() {
                        StationType::Workstation
                    } else {
                        StationType::ALL
                            .into_iter()
                            .find(|t| type_code(*t) == kind_text)
                            .ok_or_else(|| RowProblem::StationType(kind_text.clone()))?
                    };
                    let enabled = match get("enabled").to_lowercase().as_str() {
                        "" | "true" | "yes" | "1" => true,
                        "false" | "no" | "0" => false,
                        other => return Err(RowProblem::Enabled(other.to_string())),
                    };
                    let machine = get("machine_name");
                    Fields::Station {
                        kind,
                        enabled,
                        machine_name: if machine.is_empty() {
                            id.clone()
                        } else {
                            machine.to_string()
                        },
                        licenses: keys(get("licenses"))?,
                        media: media(get("acd_media_types"))?,
                        id: id.clone(),
                    }
                }
                Table::Workgroups => Fields::Workgroup {
                    media: media(get("media"))?,
                    name: id.clone(),
                },
            })
        })();
        match result {
            Ok(fields) => out.rows.push(Row { row, fields }),
            Err(problem) => out.errors.push(RowError {
                row,
                message: crate::model::fileio::tidy_message(&problem.to_string()),
            }),
        }
    }
    Ok(Some(out))
}

/// Parses CSV text against the current workspace: a row whose subject exists
/// updates it, otherwise it adds one.
pub fn parse(ws: &Workspace, table: Table, text: &str) -> Result<Parsed, CsvError> {
    let rows = read_rows(table, text, &mut |_| true)?.unwrap_or_default();
    Ok(Parsed {
        commands: rows.rows.into_iter().map(|r| (r.row, r.command(ws))).collect(),
        errors: rows.errors,
    })
}

/// What an import did.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub imported: usize,
    /// Bad rows: unparseable, or refused by the allocation rules.
    pub errors: Vec<RowError>,
}

/// Parses and applies CSV rows as one undoable step. Without `skip_bad_rows`
/// nothing is applied when any row is bad (parse error or rule refusal).
pub fn import(
    doc: &mut crate::edit::document::Document,
    table: Table,
    text: &str,
    skip_bad_rows: bool,
) -> Result<ImportReport, CsvError> {
    let parsed = parse(doc.workspace(), table, text)?;
    let mut report = ImportReport {
        imported: 0,
        errors: parsed.errors,
    };
    if !report.errors.is_empty() && !skip_bad_rows {
        return Ok(report);
    }
    let rows: Vec<usize> = parsed.commands.iter().map(|(r, _)| *r).collect();
    let total = rows.len();
    let batch = Command::Batch {
        commands: parsed.commands.into_iter().map(|(_, c)| c).collect(),
        label: None,
    };
    // One row, one outcome: a refused row is a bad row. Without
    // `skip_bad_rows` a refusal rolls the whole import back; with it, the
    // good rows stay applied (refused ones changed nothing).
    let result = if skip_bad_rows {
        doc.apply(batch)
    } else {
        doc.apply_all_or_nothing(batch)
    };
    let outcomes = match &result {
        Ok(applied) => &applied.outcomes,
        Err(refused) => &refused.outcomes,
    };
    for (i, o) in outcomes.iter().enumerate() {
        if let crate::edit::document::Outcome::Refused { reason, .. } = &o.outcome {
            report.errors.push(RowError {
                row: rows.get(i).copied().unwrap_or(0),
                message: reason.clone(),
            });
        }
    }
    let refused = outcomes
        .iter()
        .filter(|o| matches!(o.outcome, crate::edit::document::Outcome::Refused { .. }))
        .count();
    if result.is_ok() {
        report.imported = total - refused;
    }
    Ok(report)
}
