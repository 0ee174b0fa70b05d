//! Change Log (IA's Enhanced Change Log, for licensing): every applied change
//! with time, OS user, subject, license key, before and after; filters and
//! CSV export.

use egui_extras::{Column, TableBuilder};

use crate::core::catalog;
use crate::core::changelog::Filter;
use crate::core::document::Document;

#[derive(Default)]
pub struct ChangeLogView {
    pub subject: String,
    pub license: String,
    pub from: String,
    pub to: String,
}

impl super::View for ChangeLogView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        if let Some(format) = self.draw(ui, cx.doc) {
            out.push(super::Action::Export(super::Report::ChangeLog, format));
        }
    }
}

/// A filter date the view cannot read ("From" or "To").
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Type the {0} date as YYYY-MM-DD")]
pub struct FilterDateError(pub &'static str);

impl ChangeLogView {
    pub fn filter(&self) -> Result<Filter, FilterDateError> {
        let date = |t: &str, what: &'static str| -> Result<Option<chrono::NaiveDate>, FilterDateError> {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| FilterDateError(what))
        };
        Ok(Filter {
            subject: self.subject.clone(),
            license: self.license.clone(),
            from: date(&self.from, "From")?,
            to: date(&self.to, "To")?,
        })
    }

    /// Returns the format the user asked to export the (filtered) log in.
    pub fn draw(&mut self, ui: &mut egui::Ui, doc: &Document) -> Option<super::ExportFormat> {
        let mut export = None;
        ui.horizontal(|ui| {
            ui.heading("Change Log");
            export = super::export_buttons(ui, None);
        });
        ui.label("Every licensing change, saved with the workspace.");
        if let Some(why) = doc.change_log_unread() {
            ui.colored_label(
                crate::ui::widgets::warning_amber(ui),
                format!(
                    "The change log saved in this workspace could not be read ({}); it is kept as it is and \
                     saved back, with the changes made since after it.",
                    crate::core::text::safe(&why.to_string())
                ),
            );
        }
        // Wrapped: at 150 % in a small window From and To went past the edge.
        ui.horizontal_wrapped(|ui| {
            let l = ui.label("User or station:");
            crate::ui::widgets::field(ui, egui::TextEdit::singleline(&mut self.subject).desired_width(140.0))
                .labelled_by(l.id);
            let l = ui.label("License:");
            crate::ui::widgets::field(ui, egui::TextEdit::singleline(&mut self.license).desired_width(140.0))
                .labelled_by(l.id);
            let l = ui.label("From:");
            crate::ui::widgets::field(
                ui,
                egui::TextEdit::singleline(&mut self.from)
                    .hint_text("YYYY-MM-DD")
                    .desired_width(90.0),
            )
            .labelled_by(l.id);
            let l = ui.label("To:");
            crate::ui::widgets::field(
                ui,
                egui::TextEdit::singleline(&mut self.to)
                    .hint_text("YYYY-MM-DD")
                    .desired_width(90.0),
            )
            .labelled_by(l.id);
        });
        let filter = match self.filter() {
            Ok(f) => f,
            Err(e) => {
                ui.colored_label(crate::ui::widgets::error_red(ui), e.to_string());
                Filter::default()
            }
        };
        // Newest first.
        let rows: Vec<_> = doc.change_log().iter().rev().filter(|e| filter.matches(e)).collect();
        ui.label(format!(
            "{} of {}",
            crate::core::text::thousands(rows.len()),
            crate::core::text::count(doc.change_log().len(), "entry", "entries")
        ));
        ui.style_mut().interaction.selectable_labels = false;
        // Sideways scrolling when the window (or a zoom) is narrower than
        // the columns.
        const COLUMNS: [&str; 7] = ["Time", "OS user", "Action", "Subject", "License", "Before", "After"];
        crate::ui::a11y::table_with_mouse_handles(ui, egui::Id::unique("change-log"), &COLUMNS, |ui| {
            egui::ScrollArea::horizontal().id_salt("change-log-h").show(ui, |ui| {
                TableBuilder::new(ui)
                    .id_salt("change-log")
                    .striped(true)
                    .resizable(true)
                    .column(Column::initial(140.0))
                    .column(Column::initial(90.0))
                    .column(Column::initial(260.0).clip(true))
                    .column(Column::initial(150.0))
                    .column(Column::initial(200.0).clip(true))
                    .column(Column::initial(120.0).clip(true))
                    .column(Column::remainder().clip(true))
                    .header(22.0, |mut h| {
                        for name in COLUMNS {
                            h.col(|ui| {
                                ui.strong(name);
                            });
                        }
                    })
                    .body(|body| {
                        body.rows(20.0, rows.len(), |mut row| {
                            let Some(e) = rows.get(row.index()) else { return };
                            row.col(|ui| {
                                ui.label(e.time().format("%Y-%m-%d %H:%M:%S").to_string());
                            });
                            row.col(|ui| {
                                ui.label(e.user());
                            });
                            row.col(|ui| {
                                ui.label(e.action());
                            });
                            row.col(|ui| {
                                ui.label(crate::ui::widgets::subject_words(e.kind().noun(), e.id()));
                            });
                            row.col(|ui| {
                                ui.label(e.key().map_or("", catalog::label));
                            });
                            row.col(|ui| {
                                ui.label(e.before());
                            });
                            row.col(|ui| {
                                ui.label(e.after());
                            });
                        });
                    });
            });
        });
        export
    }
}
