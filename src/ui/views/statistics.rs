//! License Statistics (Interaction Supervisor's System Status › License
//! Statistics): per license allowed, configured, in use now, peak, denials
//! and utilisation; a chart of pooled licenses in use over time.

use chrono::{DateTime, Duration, Utc};
use egui_plot::{Legend, Line, Plot, PlotPoints, VLine};

use crate::core::catalog;
use crate::core::document::Document;
use crate::core::replay::Replay;
use crate::ui::simulation::Simulation;

/// One row of the statistics table.
#[derive(Debug, Clone, PartialEq)]
pub struct StatRow {
    pub key: String,
    pub label: String,
    pub assignable_allowed: u32,
    pub concurrent_allowed: u32,
    pub configured: u32,
    pub in_use: u32,
    pub peak: u32,
    pub denials: usize,
    pub utilisation: f64,
}

/// Statistics at the simulation clock (`replay` = events up to now).
pub fn rows(doc: &Document, replay: Option<&Replay>) -> Vec<StatRow> {
    doc.license()
        .allowances()
        .iter()
        .filter(|a| catalog::is_allocatable(&a.key))
        .map(|a| {
            let c = doc.engine().configured(&a.key);
            let pooled_now = replay.and_then(|r| r.in_use.get(&a.key).copied()).unwrap_or(0);
            let pooled_peak = replay.and_then(|r| r.peak.get(&a.key).copied()).unwrap_or(0);
            // Assignable licenses are in use from assignment on.
            let in_use = c.assignable + pooled_now;
            let allowed = a.assigned + a.pooled;
            StatRow {
                key: a.key.clone(),
                label: catalog::label(&a.key).to_string(),
                assignable_allowed: a.assigned,
                concurrent_allowed: a.pooled,
                configured: c.assignable + c.concurrent,
                in_use,
                peak: c.assignable + pooled_peak,
                denials: replay.map_or(0, |r| r.denials.iter().filter(|d| d.key == a.key).count()),
                utilisation: if allowed == 0 {
                    0.0
                } else {
                    100.0 * f64::from(in_use) / f64::from(allowed)
                },
            }
        })
        .collect()
}

pub fn csv(rows: &[StatRow]) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| e.to_string();
    w.write_record([
        "key",
        "name",
        "assignable_allowed",
        "concurrent_allowed",
        "configured",
        "in_use",
        "peak_in_use",
        "denials",
        "utilisation_percent",
    ])
    .map_err(err)?;
    for r in rows {
        w.write_record([
            crate::core::text::csv_cell(&r.key).into_owned(),
            crate::core::text::csv_cell(&r.label).into_owned(),
            r.assignable_allowed.to_string(),
            r.concurrent_allowed.to_string(),
            r.configured.to_string(),
            r.in_use.to_string(),
            r.peak.to_string(),
            r.denials.to_string(),
            format!("{:.1}", r.utilisation),
        ])
        .map_err(err)?;
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

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
