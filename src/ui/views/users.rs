//! People › Users: the users in the one subject table (`ui::table`),
//! with IA's columns and the bulk edits for a selection.

use std::borrow::Cow;

use crate::core::catalog::{self, IpaLevel};
use crate::core::document::Document;
use crate::core::rules;
use crate::core::subject::SubjectKind;
use crate::core::workspace::User;
use crate::ui::table::{Column, Kind, Search, Sort, SubjectTable};
use crate::ui::views::{Action, BulkKind};

/// The Users view: the subject table over users.
pub type UsersView = SubjectTable<Users>;

/// Users, as the subject table lists them.
pub struct Users;

const COLUMNS: &[Column<User>] = &[
    Column {
        label: "User",
        tip: "The user ID",
        width: 130.0,
        cell: |_, u| Cow::Borrowed(&u.id),
        sort: Sort::Text(|u| &u.id),
    },
    Column {
        label: "Name",
        tip: "The user's display name",
        width: 150.0,
        cell: |_, u| Cow::Borrowed(&u.name),
        sort: Sort::Text(|u| &u.name),
    },
    Column {
        label: "Method",
        tip: "License allocation method: Assignable (the user holds the licenses) or Concurrent (taken from the pool \
            at logon)",
        width: 90.0,
        cell: |_, u| Cow::Borrowed(u.method.label()),
        sort: Sort::Key(|_, u| u.method.label().to_string()),
    },
    Column {
        label: "Client",
        tip: "Holds a Client Access license",
        width: 55.0,
        cell: |_, u| {
            Cow::Borrowed(if u.licenses.contains(catalog::CLIENT) {
                "Yes"
            } else {
                ""
            })
        },
        sort: Sort::Key(|_, u| (!u.licenses.contains(catalog::CLIENT)).to_string()),
    },
    Column {
        label: "ACD level",
        tip: "ACD Access level and, for Media 1 and 2, the licensed interaction types",
        width: 170.0,
        cell: |_, u| Cow::Owned(acd_text(u)),
        sort: Sort::Key(|_, u| acd_text(u)),
    },
    Column {
        label: "IPA",
        tip: "Interaction Process Automation license level",
        width: 140.0,
        cell: |_, u| Cow::Borrowed(ipa_text(u)),
        sort: Sort::Key(|_, u| ipa_text(u).to_string()),
    },
    Column {
        label: "Add-ons",
        tip: "Other licenses: add-ons and supervisor plug-ins",
        width: 200.0,
        cell: |_, u| Cow::Owned(add_ons_text(u)),
        sort: Sort::Key(|_, u| add_ons_text(u)),
    },
    Column {
        label: "Workgroups",
        tip: "Workgroups the user is a member of",
        width: 140.0,
        cell: |_, u| Cow::Owned(u.workgroups.to_strings().join(", ")),
        sort: Sort::Key(|_, u| u.workgroups.to_strings().join(",")),
    },
];

impl Kind for Users {
    type Row = User;
    const SUBJECT: SubjectKind = SubjectKind::User;
    const TITLE: &'static str = "Users";
    const NOUN: &'static str = "user";
    const SEARCH_HINT: &'static str = "ID, name, license, ACD level, interaction type, workgroup or warning";

    fn rows(doc: &Document) -> &[User] {
        doc.workspace().users()
    }
    fn id(row: &User) -> &str {
        &row.id
    }
    fn position(doc: &Document, id: &str) -> Option<usize> {
        doc.workspace().user_pos(id)
    }
    fn columns() -> &'static [Column<User>] {
        COLUMNS
    }
    fn matches(u: &User, search: &mut Search) -> bool {
        search.text(&u.id)
            || search.text(&u.name)
            || search.text(u.method.label())
            || u.licenses.iter().any(|k| search.key(k))
            || u.workgroups.iter().any(|w| search.group(w))
            || search.licensing(&u.licenses, &u.acd_media_types)
            || search.warned(&u.id)
    }
    fn open(id: String) -> Action {
        Action::OpenUser(id)
    }
    fn toolbar(ui: &mut egui::Ui, selected: &dyn Fn() -> Vec<String>, enabled: bool, out: &mut Vec<Action>) {
        for (label, kind) in [
            ("Assign license…", BulkKind::Assign),
            ("Remove license…", BulkKind::Remove),
            ("Set method…", BulkKind::SetMethod),
            ("Roles…", BulkKind::Roles),
        ] {
            if crate::ui::widgets::edit_button(ui, enabled, egui::Button::new(label)).clicked() {
                out.push(Action::Bulk {
                    kind,
                    users: selected(),
                    stations: vec![],
                });
            }
        }
    }
}

/// The ACD cell: level and, for Media 1/2, the licensed types.
pub fn acd_text(u: &User) -> String {
    match rules::acd_level(&u.licenses) {
        None => String::new(),
        Some(level) if level.capacity().is_some() => {
            let types: Vec<&str> = u.acd_media_types.iter().map(|m| m.label()).collect();
            format!(
                "{} ({})",
                level.label(),
                if types.is_empty() {
                    "no types".into()
                } else {
                    types.join(", ")
                }
            )
        }
        Some(level) => level.label().to_string(),
    }
}

pub fn ipa_text(u: &User) -> &'static str {
    rules::ipa_level(&u.licenses).map_or("", IpaLevel::label)
}

/// Keys that are neither Client, ACD nor IPA: the add-ons.
pub fn is_add_on(key: &str) -> bool {
    key != catalog::CLIENT
        && key != catalog::BASIC_STATION
        && catalog::acd_level_of(key).is_none()
        && catalog::ipa_level_of(key).is_none()
}

pub fn add_ons_text(u: &User) -> String {
    u.licenses
        .iter()
        .filter(|k| is_add_on(k))
        .map(|k| catalog::label(k))
        .collect::<Vec<_>>()
        .join(", ")
}
