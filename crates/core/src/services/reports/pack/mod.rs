//! The report pack: one Excel workbook a supervisor hands on — a cover
//! (site, license, signature, period, who made it when, what each sheet
//! holds) and a sheet per command output for the same inputs:
//! Licenses Allocation and Warnings are `check`'s, Users and Stations
//! `csv export`'s (with their warnings), License Statistics, Denials,
//! Usage & Billing, Daily Usage and Estimated Cost `usage`'s, Usage
//! History and History Periods `history show`'s, Right-Sizing
//! `recommend`'s. Each sheet is made from the typed output the command
//! prints (nothing is worked out twice), so the sheets and the commands'
//! JSON agree (tests/it/report.rs reads the workbook back to check).
//! `ia-licensing report` and File › Export report… both build it here.

pub mod sheets;

use chrono::{DateTime, NaiveDate, Utc};

use crate::analysis::history::Shown;
use crate::analysis::recommend::{self, DailyPeaks};
use crate::analysis::replay::Replay;
use crate::edit::csv_io::Table;
use crate::edit::document::Document;
use crate::services::reports::check::Check;
use crate::services::reports::sheet::{Cell, Sheet};
use crate::services::reports::usage::{UsageReport, daily_sheet};
use crate::services::reports::xlsx::{self, Contents, Cover, WorkbookError};

/// The usage history a pack shows: `history show`'s range, and the daily
/// peaks `recommend --history` sizes pools on.
pub struct HistoryInput<'a> {
    pub shown: &'a Shown,
    pub daily_peaks: Option<&'a DailyPeaks>,
}

/// What a pack is made from.
pub struct Sources<'a> {
    /// The document as `check` judges it (pool peaks of the events set).
    pub doc: &'a Document,
    /// The events' replay (`usage --events`), if events were given.
    pub replay: Option<&'a Replay>,
    pub history: Option<HistoryInput<'a>>,
    /// Why there is no history, when there is none (said on the cover).
    pub no_history: &'a str,
    /// The files, as the cover names them.
    pub license_file: &'a str,
    pub workspace_file: &'a str,
    pub events_file: Option<&'a str>,
    pub history_file: Option<&'a str>,
    /// The period asked for (`--from`, `--to`), if any.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// When and by whom the pack is made.
    pub made: DateTime<Utc>,
    pub made_by: &'a str,
}

/// The cover and the sheets, ready to write.
pub struct Pack {
    pub cover: Cover,
    pub sheets: Vec<Sheet>,
}

impl Pack {
    pub fn bytes(&self) -> Result<Vec<u8>, WorkbookError> {
        xlsx::workbook(Some(&self.cover), &self.sheets)
    }
}

/// The words a pack's left-out sheets give without events.
const NO_EVENTS: &str = "no events file was given, so there are no sessions, peaks or denials to report";

/// The sheets a pack holds and what its cover says of each, in order:
/// those included, then those left out with the reason.
#[derive(Default)]
struct Parts {
    sheets: Vec<Sheet>,
    contents: Vec<Contents>,
    left_out: Vec<(String, String)>,
}

impl Parts {
    fn add(&mut self, sheet: Sheet, note: String) {
        self.contents.push(Contents {
            sheet: sheet.name.clone(),
            note,
            included: true,
        });
        self.sheets.push(sheet);
    }

    /// A sheet with nothing to show is left out, the cover saying why (as
    /// for a sheet without its source): a header alone tells nothing.
    fn add_unless_empty(&mut self, sheet: Sheet, note: String, empty: &str) {
        if sheet.rows.is_empty() {
            self.leave_out(sheet.name, empty.to_string());
        } else {
            self.add(sheet, note);
        }
    }

    fn leave_out(&mut self, sheet: String, why: String) {
        self.left_out.push((sheet, why));
    }

    fn finish(mut self) -> (Vec<Sheet>, Vec<Contents>) {
        for (sheet, note) in self.left_out {
            self.contents.push(Contents {
                sheet,
                note,
                included: false,
            });
        }
        (self.sheets, self.contents)
    }
}

/// Why the usage sheets are empty for a license that collects no usage.
const NO_COLLECTION: &str = "the license collects no usage for billing (no usage tracking or virtual cloud feature)";

/// Builds the pack.
pub fn build(src: &Sources<'_>) -> Pack {
    let doc = src.doc;
    let license = doc.license();
    let check = Check::of(doc);
    let mut parts = Parts::default();
    parts.add(
        sheets::allocation(&check),
        "Each license: allowed, configured and in use, Assignable and Concurrent (as Licenses Allocation shows)".into(),
    );
    parts.add(
        sheets::subjects(doc.workspace(), Table::Users, &check),
        "Each user: method, licenses, ACD media types, workgroups and warnings".into(),
    );
    parts.add(
        sheets::subjects(doc.workspace(), Table::Stations, &check),
        "Each station: type, machine, licenses, ACD media types and warnings".into(),
    );
    let (errors, warnings, info) = doc.engine().totals();
    parts.add(
        sheets::warnings(&check),
        format!(
            "Every problem found: {}, {}, {}, with what to do",
            crate::model::text::count(errors, "error", "errors"),
            crate::model::text::count(warnings, "warning", "warnings"),
            crate::model::text::count(info, "note", "notes"),
        ),
    );
    let usage = src
        .replay
        .map(|r| UsageReport::of(license, doc.workspace(), r, doc.today()));
    match &usage {
        Some(u) => {
            let no_usage = if u.collection == crate::analysis::usage::Collection::None {
                NO_COLLECTION
            } else {
                "the events file has no sessions"
            };
            parts.add_unless_empty(
                u.statistics_sheet(license),
                "Per license: concurrent allowed, the peak in use and the logons denied".into(),
                "no session in the events file held or was denied a concurrent license",
            );
            parts.add_unless_empty(
                u.denials_sheet(),
                "Every logon denied: when, who, which license and why".into(),
                "no logon was denied in the events file",
            );
            let billing = if u.cost.is_some() {
                ", and the estimated cost"
            } else {
                ""
            };
            parts.add_unless_empty(
                u.billing_sheet(),
                format!("Distinct users per billing category per billing period (28th to 27th){billing}"),
                no_usage,
            );
            parts.add_unless_empty(
                daily_sheet(&u.daily),
                "Distinct users per billing category per day".into(),
                no_usage,
            );
            match &u.cost {
                Some(cost) => parts.add(
                    crate::services::reports::cost::sheet(cost),
                    format!(
                        "{} per period: categories, Assignable licenses and workgroups",
                        cost.note
                    ),
                ),
                None if doc.workspace().price_list.is_none() => {
                    parts.leave_out("Estimated Cost".into(), "the workspace has no price list".into());
                }
                None => parts.leave_out("Estimated Cost".into(), NO_COLLECTION.into()),
            }
        }
        None => {
            for name in [
                "License Statistics",
                "Denials",
                "Usage & Billing",
                "Daily Usage",
                "Estimated Cost",
            ] {
                parts.leave_out(name.into(), NO_EVENTS.into());
            }
        }
    }
    match &src.history {
        Some(h) => {
            // A range with no days (`--from`/`--to` past the history's
            // days) shows nothing: both sheets are left out, saying so.
            let no_days = match (h.shown.from, h.shown.to) {
                (Some(from), Some(to)) => format!("the usage history has no days from {from} to {to}"),
                _ => "the usage history has no days yet".to_string(),
            };
            parts.add_unless_empty(
                sheets::history_days(h.shown),
                "Per day and license: the peak in use against the concurrent allowance (with a chart per license), \
                 the peak wanted, denials and minutes in use"
                    .into(),
                &no_days,
            );
            parts.add_unless_empty(
                sheets::history_periods(h.shown),
                "Distinct users per billing category per billing period of the history".into(),
                &no_days,
            );
        }
        None => {
            for name in ["Usage History", "History Periods"] {
                parts.leave_out(name.into(), src.no_history.to_string());
            }
        }
    }
    let daily = src.history.as_ref().and_then(|h| h.daily_peaks);
    // As `recommend` is run: on the history's daily peaks when there is a
    // history, else on the events' replay.
    let keys = recommend::recommend_with(doc, if daily.is_some() { None } else { src.replay }, daily);
    let basis = match (daily, src.replay) {
        (Some(d), _) => format!(
            "pools sized on percentile {} of the usage history's daily peaks",
            d.percentile
        ),
        (None, Some(_)) => "pools judged on the events' peaks and denials".to_string(),
        (None, None) => "from the allocation alone (no events or usage history)".to_string(),
    };
    parts.add(
        sheets::right_sizing(&keys),
        format!("Per license: add, reduce or keep, with the reason and a part to order; {basis}"),
    );
    let (sheets, contents) = parts.finish();
    Pack {
        cover: cover(src, &usage, errors, warnings, contents),
        sheets,
    }
}

fn cover(
    src: &Sources<'_>,
    usage: &Option<UsageReport<'_>>,
    errors: usize,
    warnings: usize,
    contents: Vec<Contents>,
) -> Cover {
    let license = src.doc.license();
    let f = &license.file;
    let site = [f.company.as_str(), f.install_site.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let server = if f.server.host_id.is_empty() {
        f.server.machine_name.clone()
    } else {
        format!("{} (Host ID {})", f.server.machine_name, f.server.host_id)
    };
    let mut facts: Vec<(String, Cell)> = vec![
        (
            "Site".into(),
            Cell::text(if site.is_empty() {
                "(not named in the license)".to_string()
            } else {
                site
            }),
        ),
        ("Server".into(), Cell::text(server)),
        (
            "Product".into(),
            Cell::text(format!("{} {} · {}", f.product, f.product_version, f.level.label())),
        ),
        ("License file".into(), Cell::text(src.license_file)),
        ("Signature".into(), Cell::text(license.signature.status_words())),
        ("Expires".into(), Cell::Date(f.expires)),
        ("Workspace".into(), Cell::text(src.workspace_file)),
        ("Checked as of".into(), Cell::Date(src.doc.today())),
        (
            "Problems found".into(),
            Cell::text(format!(
                "{}, {}",
                crate::model::text::count(errors, "error", "errors"),
                crate::model::text::count(warnings, "warning", "warnings")
            )),
        ),
        (
            "Events file".into(),
            Cell::text(src.events_file.unwrap_or("(none given)")),
        ),
        ("Usage history".into(), Cell::text(src.history_file.unwrap_or("(none)"))),
    ];
    // The period: the history's range shown, else the one asked for, else
    // the days the events cover.
    let events_span = usage.as_ref().and_then(|u| {
        let first = u.replay.sessions.iter().map(|s| s.start).min()?;
        Some((first.date_naive(), u.replay.last_event?.date_naive()))
    });
    let period = match &src.history {
        Some(h) => h.shown.from.zip(h.shown.to),
        None => None,
    }
    .or_else(|| src.from.zip(src.to))
    .or(events_span);
    match period {
        Some((from, to)) => {
            facts.push(("Period from".into(), Cell::Date(from)));
            facts.push(("Period to".into(), Cell::Date(to)));
        }
        None => {
            if let Some(from) = src.from {
                facts.push(("Period from".into(), Cell::Date(from)));
            }
            if let Some(to) = src.to {
                facts.push(("Period to".into(), Cell::Date(to)));
            }
        }
    }
    facts.push(("Made on (UTC)".into(), Cell::Time(src.made)));
    facts.push(("Made by".into(), Cell::text(src.made_by)));
    Cover {
        title: "License report".into(),
        banner: license.signature.banner().map(str::to_string),
        facts,
        contents,
    }
}
