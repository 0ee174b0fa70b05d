//! The change log as a sheet (Change Log › Export Excel…): the CSV's
//! columns (`changelog::csv`) in words, the time as a time.

use crate::model::changelog::Entry;
use crate::services::reports::sheet::{Cell, Column, Sheet};

pub fn sheet<'a>(entries: impl IntoIterator<Item = Entry<'a>>) -> Sheet {
    let mut sheet = Sheet::new(
        "Change Log",
        vec![
            Column::new("Time (UTC)"),
            Column::new("OS user"),
            Column::wrapped("Action"),
            Column::new("Type"),
            Column::new("Subject"),
            Column::new("License key"),
            Column::new("Before"),
            Column::new("After"),
        ],
    );
    for e in entries {
        sheet.push(vec![
            Cell::Time(e.time()),
            Cell::text(e.user()),
            Cell::text(e.action()),
            Cell::text(crate::services::reports::pack::sheets::kind_word(e.kind())),
            Cell::text(e.id()),
            Cell::opt_text(e.key().unwrap_or_default()),
            Cell::opt_text(e.before()),
            Cell::opt_text(e.after()),
        ]);
    }
    sheet
}
