//! Cloud Enforcement: the virtual-cloud terms, the current stage, the
//! trainer's simulated clock, and a timeline chart of the stages.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use egui_plot::{Legend, Line, MarkerShape, Plot, PlotPoints, Points, VLine};

use crate::core::enforcement::{self, SimClock, Status, Terms, midnight};
use crate::core::license::License;
use crate::ui::widgets;

/// The clock the app runs on: the real one (default) or a trainer's simulation.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Clock {
    #[default]
    Real,
    Simulated(SimClock),
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        match self {
            Clock::Real => Utc::now(),
            Clock::Simulated(s) => s.now,
        }
    }
    pub fn check_ins(&self) -> &[DateTime<Utc>] {
        match self {
            Clock::Real => &[],
            Clock::Simulated(s) => &s.check_ins,
        }
    }
}

/// Colour of a stage marker.
pub fn stage_color(status: &Status) -> egui::Color32 {
    if !status.enforced {
        return egui::Color32::from_rgb(0x30, 0x90, 0x40);
    }
    match status.stage {
        1 => egui::Color32::from_rgb(0x30, 0x90, 0x40),
        2 => widgets::WARNING_AMBER,
        3 => egui::Color32::from_rgb(0xD0, 0x60, 0x10),
        4 | 5 => widgets::ERROR_RED,
        _ => egui::Color32::from_rgb(0x80, 0x10, 0x10),
    }
}

/// The status-bar words for a stage.
pub fn status_words(status: &Status, now: DateTime<Utc>) -> String {
    if !status.enforced {
        let days = status.next_stage_at.map(|t| (t - now).num_days()).unwrap_or(0);
        return format!("Cloud: fully functional, before the ramp date ({days} days of grace left)");
    }
    let next = match status.days_to_next(now) {
        Some(d) => format!(" · next stage in {d} day{}", if d == 1 { "" } else { "s" }),
        None => String::new(),
    };
    format!("Cloud stage {}: {}{next}", status.stage, status.stage_name)
}

#[derive(Default)]
pub struct EnforcementView {
    /// The "advance to" date field.
    target: String,
    target_error: Option<String>,
}

fn days_between(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_seconds() as f64 / 86_400.0
}

impl super::View for EnforcementView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, _out: &mut Vec<super::Action>) {
        self.draw(ui, cx.doc.license(), cx.clock);
    }
}

impl EnforcementView {
    pub fn draw(&mut self, ui: &mut egui::Ui, license: &License, clock: &mut Clock) {
        ui.heading("Cloud Enforcement");
        ui.separator();
        let Some(terms) = Terms::of(license) else {
            ui.label(
                "Not applicable: the loaded license has no I3_FEATURE_VIRTUAL_CLOUD key, so no Genesys Cloud \
                check-ins are required.",
            );
            ui.label(
                "Open a virtual-cloud license (for example assets/demo-virtual-cloud.I3Lic) to see the \
                enforcement stages.",
            );
            return;
        };
        let now = clock.now();
        let status = enforcement::status(Some(terms), clock.check_ins(), now);
        egui::Grid::new("vc-terms")
            .num_columns(2)
            .spacing([24.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                let mut row = |k: &str, v: String| {
                    ui.strong(k);
                    ui.label(v);
                    ui.end_row();
                };
                row("License issue date", terms.issued.to_string());
                row("Ramp Date", terms.ramp_date.to_string());
                row("Grace Period", format!("{} days", terms.grace_days));
                row(
                    "Last good standing",
                    status
                        .last_good_standing
                        .map_or("none recorded".into(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string()),
                );
                row(
                    "Now",
                    format!(
                        "{}{}",
                        now.format("%Y-%m-%d %H:%M UTC"),
                        if matches!(clock, Clock::Real) {
                            " (real clock)"
                        } else {
                            " (simulated)"
                        }
                    ),
                );
            });
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            widgets::dot(ui, stage_color(&status));
            ui.strong(format!("Stage {}: {}", status.stage, status.stage_name));
        });
        let next = status.next_stage_at.map_or("none (final stage)".to_string(), |t| {
            t.format("%Y-%m-%d %H:%M UTC").to_string()
        });
        ui.label(format!("Next stage begins: {next}"));
        if !status.enforced {
            ui.label("Before the ramp date nothing is enforced.");
        }
        if !status.recent_good_standing {
            ui.colored_label(
                widgets::WARNING_AMBER,
                "No good-standing response in the last 24 hours: a server start or switchover now begins warnings.",
            );
        }
        ui.add_space(8.0);
        self.clock_controls(ui, clock, terms);
        ui.add_space(8.0);
        self.chart(ui, terms, clock, &status);
    }

    fn clock_controls(&mut self, ui: &mut egui::Ui, clock: &mut Clock, terms: Terms) {
        ui.group(|ui| {
            ui.strong("Simulated clock (for trainers)");
            let mut simulated = matches!(clock, Clock::Simulated(_));
            if ui.checkbox(&mut simulated, "Use a simulated clock").changed() {
                *clock = if simulated {
                    Clock::Simulated(SimClock::new(midnight(terms.issued)))
                } else {
                    Clock::Real
                };
            }
            let Clock::Simulated(sim) = clock else {
                ui.label("The real clock is in use; the server's real check-ins are not known here.");
                return;
            };
            ui.horizontal(|ui| {
                if ui.button("Advance one day").clicked() {
                    sim.advance(Duration::days(1));
                }
                if ui.button("Advance one week").clicked() {
                    sim.advance(Duration::weeks(1));
                }
                ui.add(
                    egui::TextEdit::singleline(&mut self.target)
                        .desired_width(100.0)
                        .hint_text("YYYY-MM-DD"),
                );
                if ui.button("Advance to date").clicked() {
                    match NaiveDate::parse_from_str(self.target.trim(), "%Y-%m-%d") {
                        Ok(d) if midnight(d) > sim.now => {
                            sim.advance_to(midnight(d));
                            self.target_error = None;
                        }
                        Ok(_) => self.target_error = Some("Choose a date after the simulated now".into()),
                        Err(_) => self.target_error = Some("Type a date as YYYY-MM-DD".into()),
                    }
                }
            });
            if let Some(e) = &self.target_error {
                ui.colored_label(widgets::ERROR_RED, e);
            }
            ui.horizontal(|ui| {
                if ui.button("Record successful check-in").clicked() {
                    sim.check_in();
                }
                let mut no_connection = !sim.connected;
                ui.checkbox(&mut no_connection, "No connection (check-ins fail)");
                sim.connected = !no_connection;
                if ui.button("Reset").clicked() {
                    *sim = SimClock::new(midnight(terms.issued));
                }
            });
            ui.label(format!("{} check-ins recorded", sim.check_ins.len()));
        });
    }

    fn chart(&self, ui: &mut egui::Ui, terms: Terms, clock: &Clock, status: &Status) {
        let origin = midnight(terms.issued);
        let now = clock.now();
        let ramp = midnight(terms.ramp_date);
        let horizon = now.max(ramp) + Duration::days(terms.grace_days * 6);
        let segments = enforcement::timeline(terms, clock.check_ins(), origin, horizon);
        let mut steps: Vec<[f64; 2]> = Vec::with_capacity(segments.len() * 2);
        for s in &segments {
            steps.push([days_between(origin, s.start), f64::from(s.stage)]);
            steps.push([days_between(origin, s.end), f64::from(s.stage)]);
        }
        let checks: Vec<[f64; 2]> = clock
            .check_ins()
            .iter()
            .filter(|t| **t >= origin && **t <= horizon)
            .map(|t| [days_between(origin, *t), 1.0])
            .collect();
        let formatter = move |x: f64| {
            let t = origin + Duration::seconds((x * 86_400.0) as i64);
            t.format("%Y-%m-%d").to_string()
        };
        let x_fmt = formatter;
        Plot::new("enforcement-timeline")
            .height(260.0)
            .legend(Legend::default())
            .include_y(0.5)
            .include_y(6.5)
            .allow_scroll(false)
            .x_axis_label("date")
            .y_axis_label("stage")
            .x_axis_formatter(move |mark, _| x_fmt(mark.value))
            .label_formatter(move |hover| {
                let (name, p) = match hover {
                    egui_plot::HoverPosition::NearDataPoint {
                        plot_name, position, ..
                    } => (*plot_name, *position),
                    egui_plot::HoverPosition::Elsewhere { position } => ("", *position),
                };
                Some(format!("{name}\n{}\nstage {:.0}", formatter(p.x), p.y))
            })
            .show(ui, |plot| {
                // Steps have vertical jumps; band aggregation would smear them.
                plot.line(
                    Line::new("stage", PlotPoints::from(steps))
                        .color(stage_color(status))
                        .width(2.0)
                        .allow_band(false),
                );
                plot.vline(VLine::new("ramp date", days_between(origin, ramp)).color(egui::Color32::GRAY));
                plot.vline(
                    VLine::new("now", days_between(origin, now))
                        .color(widgets::INFO_BLUE)
                        .width(2.0),
                );
                if !checks.is_empty() {
                    plot.points(
                        Points::new("check-ins", PlotPoints::from(checks))
                            .shape(MarkerShape::Diamond)
                            .radius(5.0)
                            .color(egui::Color32::from_rgb(0x30, 0x90, 0x40)),
                    );
                }
            });
    }
}
