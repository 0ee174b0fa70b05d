//! Stations: the stations in the one subject table (`ui::table`), with
//! IA's columns and the bulk edits for a selection.

use std::borrow::Cow;

use crate::core::catalog;
use crate::core::document::Document;
use crate::core::rules;
use crate::core::subject::SubjectKind;
use crate::core::workspace::Station;
use crate::ui::table::{Column, Kind, Search, Sort, SubjectTable};
use crate::ui::views::{Action, BulkKind};

/// The Stations view: the subject table over stations.
pub type StationsView = SubjectTable<Stations>;

/// Stations, as the subject table lists them.
pub struct Stations;

fn yes(on: bool) -> &'static str {
    if on { "Yes" } else { "" }
}

const COLUMNS: &[Column<Station>] = &[
    Column {
        label: "Station",
        tip: "The station ID",
        width: 130.0,
        cell: |_, s| Cow::Borrowed(&s.id),
        sort: Sort::Text(|s| &s.id),
    },
    Column {
        label: "Type",
        tip: "Workstation, stand-alone phone, fax or remote station",
        width: 140.0,
        cell: |_, s| Cow::Borrowed(s.kind.label()),
        sort: Sort::Key(|_, s| s.kind.label().to_string()),
    },
    Column {
        label: "Enabled",
        tip: "Whether the station is active",
        width: 70.0,
        cell: |_, s| Cow::Borrowed(if s.enabled { "Yes" } else { "No" }),
        sort: Sort::Key(|_, s| (!s.enabled).to_string()),
    },
    Column {
        label: "Licensed Machine Name",
        tip: "The computer name the station's licenses are bound to",
        width: 170.0,
        cell: |_, s| Cow::Borrowed(&s.machine_name),
        sort: Sort::Text(|s| &s.machine_name),
    },
    Column {
        label: "Basic Station",
        tip: "Holds a Basic Station license (dial tone and audio)",
        width: 100.0,
        cell: |_, s| Cow::Borrowed(yes(s.licenses.contains(catalog::BASIC_STATION))),
        sort: Sort::Key(|_, s| (!s.licenses.contains(catalog::BASIC_STATION)).to_string()),
    },
    Column {
        label: "Client",
        tip: "Holds a Client Access license",
        width: 60.0,
        cell: |_, s| Cow::Borrowed(yes(s.licenses.contains(catalog::CLIENT))),
        sort: Sort::Key(|_, s| (!s.licenses.contains(catalog::CLIENT)).to_string()),
    },
    Column {
        label: "ACD level",
        tip: "ACD Access level and, for Media 1 and 2, the licensed interaction types",
        width: 150.0,
        cell: |_, s| Cow::Owned(acd_text(s)),
        sort: Sort::Key(|_, s| acd_text(s)),
    },
    Column {
        label: "Other licenses",
        tip: "Licenses other than Basic Station, Client Access and ACD",
        width: 180.0,
        cell: |_, s| Cow::Owned(others_text(s)),
        sort: Sort::Key(|_, s| others_text(s)),
    },
];

impl Kind for Stations {
    type Row = Station;
    const SUBJECT: SubjectKind = SubjectKind::Station;
    const TITLE: &'static str = "Stations";
    const NOUN: &'static str = "station";
    const SEARCH_HINT: &'static str = "ID, machine, type, license, ACD level, interaction type or warning";

    fn rows(doc: &Document) -> &[Station] {
        doc.workspace().stations()
    }
    fn id(row: &Station) -> &str {
        &row.id
    }
    fn position(doc: &Document, id: &str) -> Option<usize> {
        doc.workspace().station_pos(id)
    }
    fn columns() -> &'static [Column<Station>] {
        COLUMNS
    }
    fn matches(s: &Station, search: &mut Search) -> bool {
        search.text(&s.id)
            || search.text(&s.machine_name)
            || search.text(s.kind.label())
            || s.licenses.iter().any(|k| search.key(k))
            || search.licensing(&s.licenses, &s.acd_media_types)
            || search.warned(&s.id)
    }
    fn open(id: String) -> Action {
        Action::OpenStation(id)
    }
    fn toolbar(ui: &mut egui::Ui, selected: &dyn Fn() -> Vec<String>, enabled: bool, out: &mut Vec<Action>) {
        for (label, kind) in [
            ("Assign license…", BulkKind::Assign),
            ("Remove license…", BulkKind::Remove),
        ] {
            if crate::ui::widgets::edit_button(ui, enabled, egui::Button::new(label)).clicked() {
                out.push(Action::Bulk {
                    kind,
                    users: vec![],
                    stations: selected(),
                });
            }
        }
    }
}

fn acd_text(s: &Station) -> String {
    match rules::acd_level(&s.licenses) {
        None => String::new(),
        Some(level) if level.capacity().is_some() => {
            let types: Vec<&str> = s.acd_media_types.iter().map(|m| m.label()).collect();
            format!("{} ({})", level.label(), types.join(", "))
        }
        Some(level) => level.label().to_string(),
    }
}

fn others_text(s: &Station) -> String {
    s.licenses
        .iter()
        .filter(|k| ***k != *catalog::BASIC_STATION && ***k != *catalog::CLIENT && catalog::acd_level_of(k).is_none())
        .map(|k| catalog::label(k))
        .collect::<Vec<_>>()
        .join(", ")
}
