//! Usage & Billing: distinct users per billing category per day and per
//! billing period (28th to 27th), and how usage data is uploaded.

use std::collections::BTreeSet;

use egui_plot::{Legend, Line, Plot, PlotPoints};

use crate::core::catalog::BillingCategory;
use crate::core::document::Document;
use crate::core::usage::{self, Collection, DayUsage, PeriodUsage};
use crate::ui::simulation::Simulation;

pub use crate::core::reports::usage::csv;

/// The daily and period tallies of a simulation (events up to its clock).
pub fn tally(sim: &Simulation) -> (Vec<DayUsage>, Vec<PeriodUsage>) {
    let open_end = sim.now.date_naive();
    usage::tally(&sim.current.sessions, open_end)
}

#[derive(Default)]
pub struct UsageView {}

impl super::View for UsageView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        if self.draw(ui, cx.doc, cx.simulation.as_deref_mut()) {
            out.push(super::Action::Export(super::Report::Usage));
        }
    }
}

impl UsageView {
    /// Returns true when the user asked to export the daily counts.
    pub fn draw(&mut self, ui: &mut egui::Ui, doc: &Document, sim: Option<&mut Simulation>) -> bool {
        let mut export = false;
        ui.horizontal(|ui| {
            ui.heading("Usage & Billing");
            export = ui.button("Export CSV…").clicked();
        });
        ui.separator();
        let collection = Collection::of(doc.license());
        ui.label(collection.explanation());
        if let Some(note) = collection.seed_note() {
            ui.colored_label(crate::ui::widgets::WARNING_AMBER, format!("Note: {note}"));
        }
        if collection == Collection::None {
            return false;
        }
        let Some(sim) = sim else {
            ui.label(
                "No session history is loaded. Load an events file (File › Open Events…) or a built-in scenario \
                (File › Scenarios).",
            );
            return false;
        };
        sim.controls(ui);
        ui.separator();
        let (daily, periods) = tally(sim);
        ui.strong("Billing periods (distinct users per category)");
        let used: BTreeSet<&str> = periods
            .iter()
            .flat_map(|p| p.users_by_category.keys().map(String::as_str))
            .collect();
        egui::Grid::new("periods").striped(true).show(ui, |ui| {
            ui.strong("Period");
            ui.strong("Upload due");
            for c in BillingCategory::ALL.iter().filter(|c| used.contains(c.code())) {
                ui.strong(c.label());
            }
            ui.end_row();
            for p in &periods {
                ui.label(format!("{} to {}", p.period_start, p.period_end));
                ui.label(p.upload_due.to_string());
                for c in BillingCategory::ALL.iter().filter(|c| used.contains(c.code())) {
                    ui.label(p.users_by_category.get(c.code()).copied().unwrap_or(0).to_string());
                }
                ui.end_row();
            }
        });
        ui.add_space(8.0);
        ui.strong("Distinct users per day");
        let Some(first) = daily.first().map(|d| d.day) else {
            ui.label("No sessions yet.");
            return export;
        };
        Plot::new("usage-chart")
            .height(240.0)
            .legend(Legend::default())
            .include_y(0.0)
            .x_axis_formatter(move |m, _| (first + chrono::Duration::days(m.value.round() as i64)).to_string())
            .show(ui, |plot| {
                for c in BillingCategory::ALL.iter().filter(|c| used.contains(c.code())) {
                    let pts: Vec<[f64; 2]> = daily
                        .iter()
                        .map(|d| {
                            [
                                (d.day - first).num_days() as f64,
                                d.users_by_category.get(c.code()).copied().unwrap_or(0) as f64,
                            ]
                        })
                        .collect();
                    plot.line(Line::new(c.label(), PlotPoints::from(pts)).allow_band(false).width(2.0));
                }
            });
        export
    }
}
