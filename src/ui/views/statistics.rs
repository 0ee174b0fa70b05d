//! License Statistics (Interaction Supervisor's System Status › License
//! Statistics): per license allowed, configured, in use now, peak, denials
//! and utilisation; a chart of pooled licenses in use over time.

use chrono::{DateTime, Duration, Utc};
use egui_plot::{Legend, Line, Plot, PlotPoints, VLine};

use crate::core::catalog;
use crate::core::document::Document;
pub use crate::core::reports::statistics::{StatRow, csv, rows};
use crate::ui::simulation::Simulation;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Range {
    #[default]
    All,
    Day,
    Hour,
}

#[derive(Default)]
pub struct StatisticsView {
    pub range: Range,
}

impl super::View for StatisticsView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        if self.draw(ui, cx.doc, cx.simulation.as_deref_mut()) {
            out.push(super::Action::Export(super::Report::Statistics));
        }
    }
}

impl StatisticsView {
    /// Returns true when the user asked to export the table.
    pub fn draw(&mut self, ui: &mut egui::Ui, doc: &Document, sim: Option<&mut Simulation>) -> bool {
        let mut export = false;
        ui.horizontal(|ui| {
            ui.heading("License Statistics");
            export = ui.button("Export CSV…").clicked();
        });
        ui.separator();
        let replay = match sim {
            Some(sim) => {
                sim.controls(ui);
                ui.separator();
                Some(&*sim)
            }
            None => {
                ui.label(
                    "No session history is loaded: in use counts only assignable licenses. Load an events file \
                    (File › Open Events…) or a built-in scenario (File › Scenarios) to see pools fill up.",
                );
                None
            }
        };
        let table = rows(doc, replay.map(|s| &s.current));
        egui::Grid::new("stats").num_columns(8).striped(true).show(ui, |ui| {
            for h in [
                "License",
                "Allowed (assignable)",
                "Allowed (concurrent)",
                "Configured",
                "In use now",
                "Peak in use",
                "Denials",
                "Utilisation",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for r in &table {
                ui.label(&r.label).on_hover_text(&r.key);
                ui.label(r.assignable_allowed.to_string());
                ui.label(r.concurrent_allowed.to_string());
                ui.label(r.configured.to_string());
                ui.label(r.in_use.to_string());
                ui.label(r.peak.to_string());
                if r.denials > 0 {
                    ui.colored_label(crate::ui::widgets::ERROR_RED, r.denials.to_string());
                } else {
                    ui.label("0");
                }
                ui.label(format!("{:.0} %", r.utilisation));
                ui.end_row();
            }
        });
        if let Some(sim) = replay {
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                ui.strong("Concurrent licenses in use over time");
                ui.radio_value(&mut self.range, Range::All, "All");
                ui.radio_value(&mut self.range, Range::Day, "Last 24 hours");
                ui.radio_value(&mut self.range, Range::Hour, "Last hour");
            });
            self.chart(ui, doc, sim);
        }
        export
    }

    fn chart(&self, ui: &mut egui::Ui, doc: &Document, sim: &Simulation) {
        let Some(origin) = sim.first() else { return };
        let hours = |t: DateTime<Utc>| (t - origin).num_seconds() as f64 / 3600.0;
        let end = sim.last().unwrap_or(origin);
        let (from, to) = match self.range {
            Range::All => (origin, end.max(sim.now)),
            Range::Day => (sim.now - Duration::hours(24), sim.now),
            Range::Hour => (sim.now - Duration::hours(1), sim.now),
        };
        let full = &sim.full;
        let mut series: Vec<(String, Vec<[f64; 2]>)> = full
            .keys
            .iter()
            .enumerate()
            .filter(|(i, k)| {
                doc.license().allowance(k).is_some_and(|a| a.pooled > 0)
                    || full.pool_points.iter().any(|p| p.key as usize == *i)
            })
            .map(|(_, k)| (k.clone(), vec![[hours(origin), 0.0]]))
            .collect();
        for p in &full.pool_points {
            let name = &full.keys[p.key as usize];
            if let Some((_, pts)) = series.iter_mut().find(|(k, _)| k == name) {
                let x = hours(p.at);
                let last = pts.last().map_or(0.0, |l| l[1]);
                pts.push([x, last]);
                pts.push([x, f64::from(p.in_use)]);
            }
        }
        for (_, pts) in &mut series {
            let last = pts.last().map_or(0.0, |l| l[1]);
            pts.push([hours(end.max(sim.now)), last]);
        }
        let fmt = move |x: f64| {
            (origin + Duration::seconds((x * 3600.0) as i64))
                .format("%m-%d %H:%M")
                .to_string()
        };
        let fmt2 = fmt;
        Plot::new("stats-chart")
            .height(260.0)
            .legend(Legend::default())
            .include_x(hours(from))
            .include_x(hours(to))
            .include_y(0.0)
            .x_axis_formatter(move |m, _| fmt(m.value))
            .label_formatter(move |h| {
                let p = match h {
                    egui_plot::HoverPosition::NearDataPoint { position, .. }
                    | egui_plot::HoverPosition::Elsewhere { position } => *position,
                };
                Some(format!("{}\n{:.0} in use", fmt2(p.x), p.y))
            })
            .show(ui, |plot| {
                for (key, pts) in series {
                    let pooled = doc.license().allowance(&key).map_or(0, |a| a.pooled);
                    let name = format!("{} (pool {pooled})", catalog::label(&key));
                    let pts: Vec<[f64; 2]> = pts
                        .into_iter()
                        .filter(|p| p[0] >= hours(from) - 1e-9 && p[0] <= hours(to) + 1e-9)
                        .collect();
                    plot.line(Line::new(name, PlotPoints::from(pts)).allow_band(false).width(2.0));
                }
                plot.vline(VLine::new("now", hours(sim.now)).color(crate::ui::widgets::INFO_BLUE));
            });
    }
}
