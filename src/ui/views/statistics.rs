//! License Statistics (Interaction Supervisor's System Status › License
//! Statistics): per license allowed, configured, in use now, peak, denials
//! and utilisation; a chart of pooled licenses in use over time.

use crate::core::dates;
use crate::ui::drop_down::DropDown as _;
use chrono::{DateTime, Utc};
use egui_plot::{Corner, HLine, Legend, Line, PlotPoints, VLine};

use crate::core::catalog;
use crate::core::document::Document;
pub use crate::core::reports::statistics::{StatRow, csv, rows};
use crate::core::text::thousands;
use crate::ui::charts;
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
    /// The pooled license the *Licenses in use* list shows.
    holders_key: Option<String>,
    /// Positions in the replay's holders of those who hold `holders_key`
    /// and of those denied it, for (replay, key).
    holding: Vec<usize>,
    waiting: Vec<usize>,
    holders_for: Option<(u64, String)>,
    /// The range the chart was last drawn for.
    charted_range: Option<Range>,
    /// The chart's data, made once per replay, range and clock (not every
    /// frame: a long script has tens of thousands of pool changes).
    chart_cache: Option<(ChartStamp, Result<ChartData, &'static str>)>,
}

/// What the chart's data was made for: the replay, the range, the clock,
/// the license (its pools).
type ChartStamp = (u64, Range, DateTime<Utc>, usize);

impl super::View for StatisticsView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        if let Some(format) = self.draw(ui, cx.doc, cx.simulation.as_deref_mut()) {
            out.push(super::Action::Export(super::Report::Statistics, format));
        }
    }
}

impl StatisticsView {
    /// Returns the format the user asked to export the table in.
    pub fn draw(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        sim: Option<&mut Simulation>,
    ) -> Option<super::ExportFormat> {
        let mut export = None;
        ui.horizontal(|ui| {
            ui.heading("License Statistics");
            export = super::export_buttons(ui, None);
        });
        ui.separator();
        // Both ways: at 150 % or in a narrow window the last columns of the
        // table (Denials, Utilisation) are past the edge.
        egui::ScrollArea::both()
            .id_salt("stats-view")
            .auto_shrink([false, false])
            .show(ui, |ui| self.body(ui, doc, sim));
        export
    }

    fn body(&mut self, ui: &mut egui::Ui, doc: &Document, mut sim: Option<&mut Simulation>) {
        let mut log_off = None;
        let replay = match sim.as_deref_mut() {
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
        if doc.license().is_subscription() {
            ui.label(crate::core::engine::SUBSCRIPTION_NOTE);
        }
        let table = rows(doc, replay.map(|s| &*s.current));
        // No scroll area of its own: the view scrolls both ways (`draw`). A
        // sideways one nested in it took a scroll-into-view's x for itself
        // without being able to scroll, so the first column stayed behind
        // the navigation once the view had scrolled right.
        {
            egui::Grid::new("stats").num_columns(8).striped(true).show(ui, |ui| {
                for (h, tip) in HEADERS {
                    crate::ui::widgets::column_header(ui, h).on_hover_text(tip);
                }
                ui.end_row();
                for r in &table {
                    ui.label(&r.label).on_hover_text(&r.key);
                    ui.label(thousands(r.assignable_allowed as usize));
                    ui.label(thousands(r.concurrent_allowed as usize));
                    ui.label(thousands(r.configured as usize));
                    ui.label(thousands(r.in_use as usize));
                    ui.label(thousands(r.peak as usize));
                    if r.denials > 0 {
                        ui.colored_label(crate::ui::widgets::error_red(ui), thousands(r.denials));
                    } else {
                        ui.label("0");
                    }
                    ui.label(format!("{:.0} %", r.utilisation));
                    ui.end_row();
                }
            });
        }
        if let Some(sim) = replay {
            log_off = self.holders(ui, doc, sim, &table);
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                ui.strong("Concurrent licenses in use over time");
                ui.radio_value(&mut self.range, Range::All, "All");
                ui.radio_value(&mut self.range, Range::Day, "Last 24 hours");
                ui.radio_value(&mut self.range, Range::Hour, "Last hour");
            });
            self.chart(ui, doc, sim);
            denials(ui, sim);
        }
        if let (Some(user), Some(sim)) = (log_off, sim) {
            sim.force_logoff(&user);
            sim.refresh(doc);
        }
    }

    /// *Licenses in use*: who holds a pooled license at the clock's time,
    /// and who is working without one. Returns a user to log off.
    fn holders(&mut self, ui: &mut egui::Ui, doc: &Document, sim: &Simulation, table: &[StatRow]) -> Option<String> {
        let mut log_off = None;
        let license = doc.license();
        let pooled: Vec<&str> = sim
            .current
            .keys
            .iter()
            .map(String::as_str)
            .filter(|k| license.allowance(k).is_some_and(|a| a.pooled > 0))
            .collect();
        ui.add_space(6.0);
        egui::CollapsingHeader::new("Licenses in use")
            .id_salt("stats-holders")
            .default_open(true)
            .show(ui, |ui| {
                ui.weak(
                    "Who holds a concurrent license at the simulated clock's time. This shows the simulation, not \
                     a live server.",
                );
                if pooled.is_empty() {
                    ui.label("This license has no concurrent (pooled) licenses.");
                    return;
                }
                let key = match &self.holders_key {
                    Some(k) if pooled.contains(&k.as_str()) => k.clone(),
                    _ => pooled[0].to_string(),
                };
                let mut chosen = key.clone();
                ui.horizontal(|ui| {
                    let label = ui.label("License:");
                    egui::ComboBox::from_id_salt("stats-holders-key")
                        .selected_text(catalog::label(&chosen))
                        .drop_down(ui, |ui| {
                            for k in &pooled {
                                ui.selectable_value(&mut chosen, k.to_string(), catalog::label(k));
                            }
                        })
                        .response
                        .labelled_by(label.id);
                });
                // The table's row for the key, in words: the table's "In use
                // now" counts Assignable licenses (in use from assignment)
                // as well as the concurrent ones held now, so the panel
                // says both rather than a count that looks like a
                // contradiction ("22,885" above, "0 of 3,965" here).
                if let Some(row) = table.iter().find(|r| r.key == key) {
                    ui.label(in_use_words(row));
                }
                self.holders_key = Some(chosen);
                // Who holds the key and who was denied it, sorted once per
                // replay and key, not per frame.
                let stamp = (sim.replay_generation(), key.clone());
                if self.holders_for.as_ref() != Some(&stamp) {
                    let all = &sim.current.holders;
                    self.holding = (0..all.len()).filter(|&i| all[i].held.contains(&key)).collect();
                    self.waiting = (0..all.len()).filter(|&i| all[i].denied.contains(&key)).collect();
                    self.holders_for = Some(stamp);
                }
                let all = &sim.current.holders;
                let holding: Vec<&crate::core::replay::Holder> = self.holding.iter().map(|&i| &all[i]).collect();
                let waiting: Vec<&crate::core::replay::Holder> = self.waiting.iter().map(|&i| &all[i]).collect();
                let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
                if holding.is_empty() {
                    ui.label("Nobody holds a concurrent one now.");
                } else {
                    egui::ScrollArea::both()
                        .id_salt("stats-holders-rows")
                        .max_height(200.0)
                        .show_rows(ui, row_height, holding.len(), |ui, range| {
                            egui::Grid::new("stats-holders-grid").striped(true).show(ui, |ui| {
                                for (h, tip) in HOLDER_HEADERS {
                                    crate::ui::widgets::column_header(ui, h).on_hover_text(tip);
                                }
                                ui.end_row();
                                for h in &holding[range] {
                                    holder_cells(ui, h);
                                    if ui
                                        .button("Log off user")
                                        .on_hover_text(
                                            "Force User Logouts: end this user's session now; the license returns to \
                     the pool and the next logon may take it",
                                        )
                                        .clicked()
                                    {
                                        log_off = Some(h.user.clone());
                                    }
                                    ui.end_row();
                                }
                            });
                        });
                }
                ui.add_space(4.0);
                ui.strong(format!("Logged on without one ({})", thousands(waiting.len())))
                    .on_hover_text(
                        "Users logged on now who were denied this license at logon and work without it. A logon \
                     refused outright (no Client Access for the CIC client) holds nothing: it is counted under \
                     Denials, not here.",
                    );
                if waiting.is_empty() {
                    ui.label("Nobody logged on now is working without this license.");
                } else {
                    ui.weak("They get one only when they log on again while a license is free.");
                    egui::ScrollArea::horizontal()
                        .id_salt("stats-waiting-h")
                        .show(ui, |ui| {
                            egui::Grid::new("stats-waiting-grid").striped(true).show(ui, |ui| {
                                for h in &waiting {
                                    holder_cells(ui, h);
                                    ui.end_row();
                                }
                            });
                        });
                }
            });
        log_off
    }

    fn chart(&mut self, ui: &mut egui::Ui, doc: &Document, sim: &Simulation) {
        let stamp = (
            sim.replay_generation(),
            self.range,
            sim.now,
            std::sync::Arc::as_ptr(doc.license()) as usize,
        );
        if self.chart_cache.as_ref().is_none_or(|(s, _)| *s != stamp) {
            let data = chart_data(doc, sim, self.range).map(|mut d| {
                // About as many points as the chart is wide: enough to draw
                // every step a pixel shows, few enough to draw every frame.
                for (_, pts) in &mut d.series {
                    *pts = charts::thin_steps(std::mem::take(pts), CHART_POINTS);
                }
                d
            });
            self.chart_cache = Some((stamp, data));
        }
        let data = match self.chart_cache.as_ref().map(|(_, d)| d.clone()) {
            Some(Ok(data)) => data,
            Some(Err(why)) => {
                ui.label(why);
                return;
            }
            None => return,
        };
        let ChartData {
            origin,
            from,
            to,
            series,
            top,
        } = data;
        let pooled = |k: &str| doc.license().allowance(k).map_or(0, |a| a.pooled);
        let label = move |x: f64| {
            dates::shift(origin, dates::seconds((x * 3600.0) as i64))
                .map_or_else(|_| String::new(), |t| t.format("%Y-%m-%d %H:%M").to_string())
        };
        let now = hours_since(origin, sim.now);
        let blue = crate::ui::widgets::info_blue(ui);
        if sim.position() == 0 {
            ui.label("The clock is before the first event: press Play or Step to replay the events.");
        }
        let mut plot = charts::page_plot("stats-chart");
        // Another range shows that range whole, not a view zoomed before.
        if self.charted_range.replace(self.range) != Some(self.range) {
            plot = plot.reset();
        }
        let (height, y_top) = charts::legend_fit(ui, series.len(), 260.0, top);
        let chart = plot
            .height(height)
            .legend(Legend::default().position(Corner::LeftTop))
            .include_x(from)
            .include_x(to)
            .include_y(0.0)
            .include_y(y_top)
            .x_grid_spacer(charts::hour_grid)
            .y_grid_spacer(charts::integer_grid)
            .x_axis_formatter(move |m, _| charts::hour_label(origin, m))
            .y_axis_formatter(|m, _| charts::count_label(m))
            // The hover is ours (below): egui_plot's shows the pointer's
            // position over empty plot area and snaps to far points.
            .label_formatter(|_| None)
            .show(ui, |plot| {
                // Down to five minutes of the range.
                charts::zoom_x(plot, (from, to), 5.0 / 60.0);
                if let Some(p) = plot.pointer_coordinate()
                    && let Some((i, y)) =
                        charts::nearest_line(series.iter().map(|(_, pts)| pts.as_slice()), [p.x, p.y], |q| {
                            plot.screen_from_plot(egui_plot::PlotPoint::new(q[0], q[1]))
                        })
                {
                    let name = series.get(i).map_or("", |(key, _)| catalog::label(key));
                    let text = format!(
                        "{name}\n{}\n{} in use",
                        label(p.x),
                        thousands(y.max(0.0).round() as usize)
                    );
                    // At once, beside the pointer, as egui_plot's own was.
                    let r = plot.response();
                    egui::Tooltip::always_open(r.ctx.clone(), r.layer_id, r.id, egui::PopupAnchor::Pointer).show(
                        |ui| {
                            ui.label(text);
                        },
                    );
                }
                for (i, (key, pts)) in series.into_iter().enumerate() {
                    let pool = pooled(&key);
                    let (colour, width, style) = charts::series_style(i);
                    let name = format!("{} (pool {})", catalog::label(&key), thousands(pool as usize));
                    plot.line(
                        Line::new(name.clone(), PlotPoints::from(pts))
                            .allow_band(false)
                            .color(colour)
                            .width(width)
                            .style(style),
                    );
                    // The pool limit, in the series' colour; unnamed, so the
                    // legend keeps one entry (and one colour) per series.
                    plot.hline(
                        HLine::new("", f64::from(pool))
                            .color(colour.gamma_multiply(0.6))
                            .width(1.0)
                            .style(egui_plot::LineStyle::dashed_dense()),
                    );
                }
                plot.vline(VLine::new("", now).color(blue));
            });
        charts::name(&chart.response, "Concurrent licenses in use over time");
        ui.weak(
            "Dashed horizontal lines: the pool (concurrent licenses allowed) of the series in the same colour. Blue \
             vertical line: the simulated clock.",
        );
    }
}

/// A row's "In use now" in words: the total, then its Assignable and
/// concurrent parts.
pub fn in_use_words(row: &StatRow) -> String {
    let assignable = row.in_use.saturating_sub(row.in_use_concurrent);
    format!(
        "{} in use now: {} ({} assignable, in use from assignment; {} of {} concurrent, held at the clock's time)",
        row.label,
        thousands(row.in_use as usize),
        thousands(assignable as usize),
        thousands(row.in_use_concurrent as usize),
        thousands(row.concurrent_allowed as usize)
    )
}

/// Points per series the chart draws at most (see `charts::thin_steps`).
const CHART_POINTS: usize = 2_000;

/// What the *Concurrent licenses in use over time* chart draws: times in
/// hours since `origin`, the range shown (`from` to `to`), a step series
/// per pooled license (its key and points) and the highest value.
#[derive(Clone)]
pub struct ChartData {
    pub origin: DateTime<Utc>,
    pub from: f64,
    pub to: f64,
    pub series: Vec<(String, Vec<[f64; 2]>)>,
    pub top: f64,
}

fn hours_since(origin: DateTime<Utc>, t: DateTime<Utc>) -> f64 {
    (t - origin).num_seconds() as f64 / 3600.0
}

/// The chart's data for the simulation, or why there is nothing to draw:
/// what has been replayed up to the clock, so the lines grow as events play
/// (the axis spans the whole script, the legend lists every pooled license
/// from the start).
pub fn chart_data(doc: &Document, sim: &Simulation, range: Range) -> Result<ChartData, &'static str> {
    let (full, played) = (&sim.full, &sim.current);
    let pooled = |k: &str| doc.license().allowance(k).map_or(0, |a| a.pooled);
    let keys: Vec<&String> = full
        .keys
        .iter()
        .enumerate()
        .filter(|(i, k)| pooled(k) > 0 || full.pool_points.iter().any(|p| p.key as usize == *i))
        .map(|(_, k)| k)
        .collect();
    if keys.is_empty() {
        return Err(
            "This license has no concurrent (pooled) licenses, so nothing fills up at logon: there is nothing \
             to chart.",
        );
    }
    let Some(origin) = sim.first() else {
        return Err("No logons yet: press Play or Step to replay the events.");
    };
    let hours = |t: DateTime<Utc>| hours_since(origin, t);
    let end = sim.last().unwrap_or(origin).max(sim.now);
    let (from, to) = match range {
        Range::All => (origin, end),
        Range::Day => (dates::shift(sim.now, dates::hours(-24)).unwrap_or(origin), sim.now),
        Range::Hour => (dates::shift(sim.now, dates::hours(-1)).unwrap_or(origin), sim.now),
    };
    // Steps from the first event to the clock: each change of a pool is a
    // vertical edge. Before the first event nothing has been replayed.
    let started = sim.now >= origin;
    let mut series: Vec<(String, Vec<[f64; 2]>)> = keys
        .iter()
        .map(|k| ((*k).clone(), if started { vec![[0.0, 0.0]] } else { Vec::new() }))
        .collect();
    for p in played.pool_points.iter().filter(|p| p.at <= sim.now) {
        let Some(name) = played.keys.get(p.key as usize) else {
            continue;
        };
        if let Some((_, pts)) = series.iter_mut().find(|(k, _)| k == name) {
            let x = hours(p.at);
            let last = pts.last().map_or(0.0, |l| l[1]);
            pts.push([x, last]);
            pts.push([x, f64::from(p.in_use)]);
        }
    }
    let mut top = 0.0f64;
    for (k, pts) in &mut series {
        if started {
            let last = pts.last().map_or(0.0, |l| l[1]);
            pts.push([hours(sim.now), last]);
        }
        top = top.max(f64::from(pooled(k)));
        top = top.max(pts.iter().map(|p| p[1]).fold(0.0, f64::max));
        pts.retain(|p| p[0] >= hours(from) - 1e-9 && p[0] <= hours(to) + 1e-9);
    }
    Ok(ChartData {
        origin,
        from: hours(from),
        to: hours(to),
        series,
        top,
    })
}

/// The *Licenses in use* columns.
const HOLDER_HEADERS: [(&str, &str); 5] = [
    ("User", "The user holding the license"),
    (
        "Station",
        "Where the user is logged on (a phone number for a remote logon)",
    ),
    ("Since", "When the session started: the first application's logon"),
    (
        "Applications",
        "Applications logged on; the license is held until the last logs off",
    ),
    ("", ""),
];

fn holder_cells(ui: &mut egui::Ui, h: &crate::core::replay::Holder) {
    ui.label(&h.user);
    let station = h.station.as_deref().unwrap_or("—");
    ui.label(
        station
            .strip_prefix("remote:")
            .map_or(station.to_string(), |p| format!("Remote phone {p}")),
    );
    ui.label(h.since.format("%Y-%m-%d %H:%M").to_string());
    ui.label(h.applications.join(", "));
}

/// Header, and what the column counts.
const HEADERS: [(&str, &str); 8] = [
    ("License", "The license key (hover a name for the key)"),
    (
        "Allowed (assignable)",
        "Assignable licenses the license file allows (its assigned count)",
    ),
    (
        "Allowed (concurrent)",
        "Concurrent licenses the license file allows (its pooled count): the pool",
    ),
    (
        "Configured",
        "Users and stations this license is allocated to, assignable and concurrent",
    ),
    (
        "In use now",
        "Assignable licenses allocated, plus concurrent licenses held by users logged on at the clock's time",
    ),
    ("Peak in use", "The most in use at any moment of the replayed events"),
    (
        "Denials",
        "Logons that could not acquire this license because the pool was full (or empty)",
    ),
    ("Utilisation", "Peak in use as a share of what is allowed"),
];

/// The denials of the replay so far: who, when, which license, why.
fn denials(ui: &mut egui::Ui, sim: &Simulation) {
    let list = &sim.current.denials;
    ui.add_space(6.0);
    egui::CollapsingHeader::new(format!("Denials ({})", thousands(list.len())))
        .id_salt("stats-denials")
        .default_open(true)
        .show(ui, |ui| {
            if list.is_empty() {
                ui.label("No logon has been denied a license.");
                return;
            }
            let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
            egui::ScrollArea::both()
                .id_salt("stats-denials-rows")
                .max_height(180.0)
                .show_rows(ui, row_height, list.len(), |ui, range| {
                    egui::Grid::new("stats-denials-grid").striped(true).show(ui, |ui| {
                        for d in &list[range] {
                            ui.label(d.at.format("%Y-%m-%d %H:%M").to_string());
                            ui.label(&d.user);
                            ui.label(catalog::label(&d.key)).on_hover_text(&d.key);
                            ui.label(&d.reason);
                            ui.end_row();
                        }
                    });
                });
        });
}
