//! Usage & Billing: distinct users per billing category per day and per
//! billing period (28th to 27th), and how usage data is uploaded.

use std::collections::BTreeSet;

use egui_plot::{Corner, Legend, Line, PlotPoints, Points};

use crate::core::catalog::BillingCategory;
use crate::core::document::Document;
use crate::core::usage::{self, Collection};
use crate::ui::charts;
use crate::ui::simulation::Simulation;

pub use crate::core::reports::usage::csv;

/// One row of "Billing category by user": what a user's configured
/// licenses make them, and why.
struct UserCategory {
    user: String,
    categories: String,
    reason: String,
}

#[derive(Default)]
pub struct UsageView {
    /// Per-user categories, worked out once per engine revision.
    by_user: Vec<UserCategory>,
    by_user_revision: Option<u64>,
    filter: String,
    /// Rows of `by_user` the filter keeps, for the revision and filter
    /// they were worked out for (not re-filtered every frame).
    shown: Vec<usize>,
    shown_for: Option<(u64, String)>,
    /// The cost estimate of the replay so far, for (document generation,
    /// the simulation's replay, events in the script).
    cost: Option<crate::core::cost::CostEstimate>,
    cost_for: Option<(u64, u64, usize)>,
    prices: super::cost::PriceEditor,
}

impl super::View for UsageView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        if let Some((report, format)) = self.draw(ui, cx.doc, cx.simulation.as_deref_mut(), cx.locked, out) {
            out.push(super::Action::Export(report, format));
        }
    }
}

impl UsageView {
    /// The estimated cost on show (with a price list and a replay).
    pub fn cost(&self) -> Option<&crate::core::cost::CostEstimate> {
        self.cost.as_ref()
    }

    fn cost_ui(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        sim: &Simulation,
        locked: bool,
        out: &mut Vec<super::Action>,
    ) -> Option<super::ExportFormat> {
        ui.add_space(6.0);
        self.prices.ui(ui, doc, locked, out);
        let Some(prices) = &doc.workspace().price_list else {
            self.cost = None;
            ui.weak(
                "This workspace has no price list: enter the site's prices under Price list to see the estimated \
                 cost per billing period, category and workgroup.",
            );
            return None;
        };
        // The document's generation moves with every change, the price
        // list's included.
        let stamp = (doc.generation(), sim.replay_generation(), sim.events.len());
        if self.cost_for != Some(stamp) {
            let users = sim.user_categories();
            self.cost = Some(crate::core::cost::estimate(
                prices,
                crate::core::cost::by_name(&users.by_period),
                doc.workspace(),
            ));
            self.cost_for = Some(stamp);
        }
        let mut export = None;
        if let Some(cost) = &self.cost {
            super::cost::cost_table(ui, cost);
            export = super::export_buttons(ui, Some("cost"));
        }
        export
    }

    fn by_user_ui(&mut self, ui: &mut egui::Ui, doc: &Document) {
        // Worked out when the list is opened (not with the view: a large
        // site has 100,000 users to explain) and again after a change.
        let revision = doc.generation();
        egui::CollapsingHeader::new("Billing category by user")
            .id_salt("usage-by-user")
            .show(ui, |ui| {
                if self.by_user_revision != Some(revision) {
                    self.by_user = doc
                        .workspace()
                        .users()
                        .iter()
                        .map(|u| {
                            let (cats, reason) = usage::explain(u.licenses.iter().map(|k| &**k));
                            let categories = cats.iter().map(|c| c.label()).collect::<Vec<_>>().join(", ");
                            UserCategory {
                                user: u.id.clone(),
                                categories,
                                reason,
                            }
                        })
                        .collect();
                    self.by_user_revision = Some(revision);
                }
                ui.horizontal(|ui| {
                    let label = ui.label("Find user:");
                    crate::ui::widgets::field(ui, egui::TextEdit::singleline(&mut self.filter)).labelled_by(label.id);
                });
                let key = (revision, self.filter.clone());
                if self.shown_for.as_ref() != Some(&key) {
                    let needle = self.filter.to_lowercase();
                    self.shown = (0..self.by_user.len())
                        .filter(|&i| needle.is_empty() || self.by_user[i].user.to_lowercase().contains(&needle))
                        .collect();
                    self.shown_for = Some(key);
                }
                let (rows, shown) = (&self.by_user, &self.shown);
                let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
                egui::ScrollArea::vertical()
                    .id_salt("usage-by-user-rows")
                    .max_height(200.0)
                    .show_rows(ui, row_height, shown.len(), |ui, range| {
                        egui::Grid::new("usage-by-user-grid").striped(true).show(ui, |ui| {
                            for r in shown[range].iter().map(|&i| &rows[i]) {
                                ui.label(&r.user);
                                ui.label(if r.categories.is_empty() { "—" } else { &r.categories });
                                ui.label(&r.reason);
                                ui.end_row();
                            }
                        });
                    });
            });
        ui.separator();
    }

    /// Returns the report the user asked to export.
    pub fn draw(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        sim: Option<&mut Simulation>,
        locked: bool,
        out: &mut Vec<super::Action>,
    ) -> Option<(super::Report, super::ExportFormat)> {
        let mut export = None;
        ui.horizontal(|ui| {
            ui.heading("Usage & Billing");
            export = super::export_buttons(ui, None).map(|f| (super::Report::Usage, f));
        });
        ui.separator();
        // The page scrolls as a whole (the price list opens in place), both
        // ways (at 150 % in a small window the speed control was past the
        // edge).
        let body = egui::ScrollArea::both()
            .id_salt("usage-view")
            .auto_shrink([false, false])
            .show(ui, |ui| self.body(ui, doc, sim, locked, out))
            .inner;
        export.or(body)
    }

    fn body(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        sim: Option<&mut Simulation>,
        locked: bool,
        out: &mut Vec<super::Action>,
    ) -> Option<(super::Report, super::ExportFormat)> {
        let mut export = None;
        let collection = Collection::of(doc.license());
        ui.label(collection.explanation());
        if let Some(note) = Collection::note_for(doc.license()) {
            ui.colored_label(crate::ui::widgets::warning_amber(ui), format!("Note: {note}"));
        }
        if collection == Collection::None {
            return None;
        }
        self.by_user_ui(ui, doc);
        let Some(sim) = sim else {
            ui.label(
                "No session history is loaded. Load an events file (File › Open Events…) or a built-in scenario \
                (File › Scenarios).",
            );
            return None;
        };
        sim.controls(ui);
        ui.separator();
        let (daily, periods) = sim.usage();
        ui.strong("Billing periods (distinct users per category)");
        let used: BTreeSet<&str> = periods
            .iter()
            .flat_map(|p| p.users_by_category.keys().map(String::as_str))
            .collect();
        // A column per category used: on a large site more than the page
        // is wide at 150 %, so the table scrolls sideways on its own (the
        // page under it keeps the window's width).
        egui::ScrollArea::horizontal().id_salt("periods-scroll").show(ui, |ui| {
            egui::Grid::new("periods").striped(true).show(ui, |ui| {
                ui.strong("Period")
                    .on_hover_text("The billing period: the 28th to the 27th of the next month");
                ui.strong("Upload due")
                    .on_hover_text("Usage data for the period must be uploaded by the 4th");
                for c in BillingCategory::ALL.iter().filter(|c| used.contains(c.code())) {
                    ui.strong(c.label())
                        .on_hover_text(format!("Distinct users counted as {} in the period", c.label()));
                }
                ui.end_row();
                for p in periods {
                    ui.label(format!("{} to {}", p.period_start, p.period_end));
                    ui.label(p.upload_due.to_string());
                    for c in BillingCategory::ALL.iter().filter(|c| used.contains(c.code())) {
                        let n = p.users_by_category.get(c.code()).copied().unwrap_or(0);
                        ui.label(crate::core::text::thousands(n));
                    }
                    ui.end_row();
                }
            });
        });
        if let Some(note) = sim.user_categories().billing_note() {
            ui.colored_label(crate::ui::widgets::warning_amber(ui), format!("Note: {note}"));
        }
        if let Some(format) = self.cost_ui(ui, doc, sim, locked, out) {
            export = Some((super::Report::Cost, format));
        }
        ui.add_space(8.0);
        ui.strong("Distinct users per day");
        let Some(first) = daily.first().map(|d| d.day) else {
            ui.label("No sessions yet: press Play or Step to replay the events.");
            return export;
        };
        let days = daily.last().map_or(0, |d| (d.day - first).num_days());
        let top = daily
            .iter()
            .flat_map(|d| d.users_by_category.values())
            .copied()
            .max()
            .unwrap_or(0);
        let series = BillingCategory::ALL.iter().filter(|c| used.contains(c.code())).count();
        let (height, y_top) = charts::legend_fit(ui, series, 240.0, top as f64);
        let chart = charts::page_plot("usage-chart")
            .height(height)
            .legend(Legend::default().position(Corner::LeftTop))
            .include_x(-0.5)
            .include_x(days as f64 + 0.5)
            .include_y(0.0)
            .include_y(y_top)
            .x_grid_spacer(charts::integer_grid)
            .y_grid_spacer(charts::integer_grid)
            .x_axis_formatter(move |m, _| charts::day_label(first, m))
            .y_axis_formatter(|m, _| charts::count_label(m))
            .show(ui, |plot| {
                // Down to two days.
                charts::zoom_x(plot, (-0.5, days as f64 + 0.5), 2.0);
                let shown: Vec<&BillingCategory> = BillingCategory::ALL
                    .iter()
                    .filter(|c| used.contains(c.code()))
                    .collect();
                for (i, c) in shown.iter().enumerate() {
                    // Each category a little to the side within its day, so
                    // equal counts do not hide each other.
                    let dodge = (i as f64 - (shown.len() as f64 - 1.0) / 2.0) * 0.08;
                    let pts: Vec<[f64; 2]> = daily
                        .iter()
                        .map(|d| {
                            [
                                (d.day - first).num_days() as f64 + dodge,
                                d.users_by_category.get(c.code()).copied().unwrap_or(0) as f64,
                            ]
                        })
                        .collect();
                    let (colour, width, style) = charts::series_style(i);
                    // Points as well as the line: one day is one point.
                    plot.points(
                        Points::new(c.label(), PlotPoints::from(pts.clone()))
                            .color(colour)
                            .radius(4.0),
                    );
                    plot.line(
                        Line::new(c.label(), PlotPoints::from(pts))
                            .allow_band(false)
                            .color(colour)
                            .width(width)
                            .style(style),
                    );
                }
            });
        charts::name(&chart.response, "Distinct users per day");
        export
    }
}
