//! Cloud Enforcement: the virtual-cloud terms, the current stage, the
//! trainer's simulated clock, and a timeline chart of the stages.

use crate::core::dates;
use chrono::{DateTime, NaiveDate, Utc};
use egui_plot::{Legend, Line, MarkerShape, PlotPoints, Points, VLine};

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
pub fn stage_color(status: &Status, dark: bool) -> egui::Color32 {
    stage_colour(if status.enforced { status.stage } else { 1 }, dark)
}

/// The colour of a stage (1 to 6) in a theme: green, amber, orange, red,
/// magenta, dark red — each its own, each readable as text on the theme's
/// background.
pub fn stage_colour(stage: u8, dark: bool) -> egui::Color32 {
    use widgets::Tone;
    match (stage, dark) {
        (0 | 1, _) => Tone::Good.colour(dark),
        (2, _) => Tone::Warning.colour(dark),
        (3, false) => egui::Color32::from_rgb(0xA8, 0x4A, 0x00),
        (3, true) => egui::Color32::from_rgb(0xFF, 0x9A, 0x50),
        (4, _) => Tone::Error.colour(dark),
        // Magenta: between stage 4's red and stage 6's dark red, and not
        // either of them (the timeline's legend gives each stage a colour).
        (5, false) => egui::Color32::from_rgb(0xB0, 0x20, 0x7A),
        (5, true) => egui::Color32::from_rgb(0xFF, 0x80, 0xC0),
        (_, false) => egui::Color32::from_rgb(0x80, 0x10, 0x10),
        (_, true) => egui::Color32::from_rgb(0xE0, 0x70, 0x70),
    }
}

/// The status-bar words for a stage: what is happening and what to do, in
/// an administrator's words (the stage numbers and names are the Cloud
/// Enforcement view's, for trainers).
pub fn status_words(status: &Status, now: DateTime<Utc>) -> String {
    if !status.enforced {
        // The grace period starts at the ramp date (seed: "On June 1st,
        // the ramp date expires and the grace period starts"): the days
        // before it are not grace. The days are to the ramp date itself,
        // not to the next stage (a grace period after it).
        let days = status.days_to_ramp(now).unwrap_or(0);
        let date = status
            .ramp_at
            .map(|t| format!(", {}", t.date_naive()))
            .unwrap_or_default();
        return format!(
            "Cloud license: fully functional before the ramp date{date} ({} to it; the grace period starts then)",
            count(days, "day", "days")
        );
    }
    format!("Cloud license: {}", consequence(status, now))
}

/// What the stage means and what to do about it.
pub fn consequence(status: &Status, now: DateTime<Utc>) -> String {
    let within = match status.days_to_next(now) {
        Some(d) => format!(" within {}", count(d, "day", "days")),
        None => String::new(),
    };
    match status.stage {
        // "In good standing" is what a check-in answers: with none recorded
        // the view says "none recorded", so the status bar must not claim it.
        1 => match (status.last_good_standing, status.days_to_next(now)) {
            (Some(_), Some(_)) => {
                format!("in good standing — keep the server connected to Genesys Cloud (next check-in due{within})")
            }
            (Some(_), None) => "in good standing".to_string(),
            (None, _) => {
                format!("fully functional, no check-in recorded yet — connect the server to Genesys Cloud{within}")
            }
        },
        2 => format!("check-in overdue — connect to Genesys Cloud{within} to avoid a warning in every session"),
        3 => format!("check-in overdue — connect to Genesys Cloud{within} to keep Interaction Supervisor"),
        4 => format!("Interaction Supervisor is off — connect to Genesys Cloud{within} to keep all call ports"),
        5 => format!("call ports limited to 20 % — connect to Genesys Cloud{within} to stay licensed"),
        _ => "unlicensed (two call ports, allocation read-only) — connect to Genesys Cloud to restore the system"
            .to_string(),
    }
}

fn count(n: i64, one: &str, many: &str) -> String {
    crate::core::text::count(usize::try_from(n.max(0)).unwrap_or(0), one, many)
}

#[derive(Default)]
pub struct EnforcementView {
    /// The "advance to" date field.
    target: String,
    target_error: Option<String>,
}

/// The timeline's legend, each entry its own colour in a theme: the six
/// stages, then the check-ins (the theme's strongest text colour: a check-in
/// sits on the stage 1 line, and in stage 1's green it could not be told
/// from it), "now" and the ramp date.
pub fn legend_colours(dark: bool) -> Vec<(String, egui::Color32)> {
    let mut out: Vec<(String, egui::Color32)> =
        (1..=6).map(|s| (format!("stage {s}"), stage_colour(s, dark))).collect();
    out.push(("check-ins".into(), widgets::visuals(dark).strong_text_color()));
    out.push(("now".into(), widgets::Tone::Info.colour(dark)));
    out.push(("ramp date".into(), egui::Color32::GRAY));
    out
}

/// Where the timeline ends: six grace periods past now or the ramp date.
fn horizon(terms: Terms, now: DateTime<Utc>) -> DateTime<Utc> {
    let ramp = midnight(terms.ramp_date);
    dates::shift(now.max(ramp), dates::days(terms.grace_days.saturating_mul(6))).unwrap_or(now)
}

/// The timeline's steps: each stretch at one stage as two points (days
/// since the issue date, stage), from the issue date to the horizon.
pub fn timeline_steps(terms: Terms, check_ins: &[DateTime<Utc>], now: DateTime<Utc>) -> Vec<[f64; 2]> {
    let origin = midnight(terms.issued);
    let segments = enforcement::timeline(terms, check_ins, origin, horizon(terms, now));
    let mut steps: Vec<[f64; 2]> = Vec::with_capacity(segments.len() * 2);
    for s in &segments {
        steps.push([days_between(origin, s.start), f64::from(s.stage)]);
        steps.push([days_between(origin, s.end), f64::from(s.stage)]);
    }
    steps
}

/// How far above its step a stage's name sits (in stages).
const LABEL_RISE: f64 = 0.4;

/// Where the timeline names its steps: `(x, stage)` for each name drawn.
/// One name per run of a stage (stage 1 before the ramp date and stage 1
/// after it are one run, not two names side by side), and none that would
/// overlap a name already placed: years past the ramp date the early steps
/// are a few pixels apart, and their names ran into each other ("stastage
/// 1"). `to_screen` maps a plot point to the screen, `size` gives a name's
/// size there.
pub fn stage_labels(
    steps: &[[f64; 2]],
    to_screen: impl Fn(f64, f64) -> egui::Pos2,
    size: impl Fn(u8) -> egui::Vec2,
) -> Vec<(f64, u8)> {
    let mut placed: Vec<egui::Rect> = Vec::new();
    let mut out = Vec::new();
    let mut run: Option<u8> = None;
    for pair in steps.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a[1] != b[1] {
            // A jump between stages: the next level step starts a run.
            run = None;
            continue;
        }
        let stage = a[1] as u8;
        if run == Some(stage) {
            continue;
        }
        run = Some(stage);
        let at = to_screen(a[0], a[1] + LABEL_RISE);
        let s = size(stage);
        // Anchored at its left bottom corner; a little room around it.
        let rect = egui::Rect::from_min_size(egui::pos2(at.x, at.y - s.y), s).expand(1.0);
        if placed.iter().any(|r| r.intersects(rect)) {
            continue;
        }
        placed.push(rect);
        out.push((a[0], stage));
    }
    out
}

/// What the timeline's hover says at `position` (days since `origin` on x):
/// the date and the stage in force then, from the core's enforcement rules
/// (the pointer's height is not a stage: the stage is the date's).
pub fn hover_words(
    terms: Terms,
    check_ins: &[DateTime<Utc>],
    origin: DateTime<Utc>,
    position: egui_plot::PlotPoint,
) -> String {
    let seconds = position.x * 86_400.0;
    let Ok(at) = dates::shift(origin, dates::seconds(seconds as i64)) else {
        return String::new();
    };
    let status = enforcement::status(Some(terms), check_ins, at);
    let before = if status.enforced {
        ""
    } else {
        " (before the ramp date: nothing is enforced)"
    };
    format!(
        "{}\nStage {}: {}{before}",
        at.format("%Y-%m-%d %H:%M UTC"),
        status.stage,
        status.stage_name
    )
}

fn days_between(a: DateTime<Utc>, b: DateTime<Utc>) -> f64 {
    (b - a).num_seconds() as f64 / 86_400.0
}

impl super::View for EnforcementView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, _out: &mut Vec<super::Action>) {
        // The page scrolls: at 1024×700 or 150 % the chart and its legend
        // run past the window.
        egui::ScrollArea::vertical()
            .id_salt("enforcement-page")
            .auto_shrink([false, false])
            .show(ui, |ui| self.draw(ui, cx.doc.license(), cx.clock));
    }
}

impl EnforcementView {
    pub fn draw(&mut self, ui: &mut egui::Ui, license: &License, clock: &mut Clock) {
        ui.heading("Cloud Enforcement");
        ui.separator();
        // The page scrolls as a whole (`ui` above): the wheel over the
        // timeline scrolls it too.
        self.body(ui, license, clock);
    }

    fn body(&mut self, ui: &mut egui::Ui, license: &License, clock: &mut Clock) {
        let Some(terms) = Terms::of(license) else {
            ui.label(
                "Not applicable: the loaded license has no I3_FEATURE_VIRTUAL_CLOUD key, so no Genesys Cloud \
                check-ins are required.",
            );
            ui.label(
                "Open a virtual-cloud license, or the built-in scenario File › Scenarios › Virtual cloud: \
                check-ins and enforcement stages, to see the enforcement stages.",
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
            widgets::dot(ui, stage_color(&status, ui.visuals().dark_mode));
            ui.strong(format!("Stage {}: {}", status.stage, status.stage_name));
        });
        let next = status.next_stage_at.map_or("none (final stage)".to_string(), |t| {
            t.format("%Y-%m-%d %H:%M UTC").to_string()
        });
        ui.label(format!("Next stage begins: {next}"));
        // Always two lines here, so the clock's buttons below never move
        // under the pointer when a line comes or goes.
        ui.label(if status.enforced {
            "The ramp date has passed: check-ins are enforced.".to_string()
        } else {
            // The status bar's words (`status_words`) name the same date and days.
            format!(
                "Before the ramp date, {} ({} from now), nothing is enforced.",
                terms.ramp_date,
                count(status.days_to_ramp(now).unwrap_or(0), "day", "days")
            )
        });
        if status.recent_good_standing {
            ui.label("A good-standing response came in the last 24 hours.");
        } else {
            ui.colored_label(
                widgets::warning_amber(ui),
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
            ui.horizontal_wrapped(|ui| {
                if ui.button("Advance one day").clicked() {
                    sim.advance(dates::days(1));
                }
                if ui.button("Advance one week").clicked() {
                    sim.advance(dates::days(7));
                }
                // The hint is not a name a screen reader announces.
                crate::ui::widgets::field(
                    ui,
                    egui::TextEdit::singleline(&mut self.target)
                        .desired_width(100.0)
                        .hint_text("YYYY-MM-DD"),
                )
                .accessible_name("Date to advance to");
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
                ui.colored_label(widgets::error_red(ui), e);
            }
            ui.horizontal(|ui| {
                // A successful check-in needs the connection: without one
                // the button is off and says why.
                if ui
                    .add_enabled(sim.connected, egui::Button::new("Record successful check-in"))
                    .on_disabled_hover_text(
                        "There is no connection to Genesys Cloud, so a check-in cannot succeed: untick No connection \
                         first.",
                    )
                    .clicked()
                {
                    sim.check_in();
                }
                let mut no_connection = !sim.connected;
                ui.checkbox(&mut no_connection, "No connection (check-ins fail)");
                sim.connected = !no_connection;
                if ui.button("Reset").clicked() {
                    *sim = SimClock::new(midnight(terms.issued));
                }
            });
            ui.label(format!(
                "{} recorded",
                crate::core::text::count(sim.check_ins.len(), "check-in", "check-ins")
            ));
        });
    }

    fn chart(&self, ui: &mut egui::Ui, terms: Terms, clock: &Clock, status: &Status) {
        let origin = midnight(terms.issued);
        let now = clock.now();
        let ramp = midnight(terms.ramp_date);
        let horizon = horizon(terms, now);
        let steps = timeline_steps(terms, clock.check_ins(), now);
        let checks: Vec<[f64; 2]> = clock
            .check_ins()
            .iter()
            .filter(|t| **t >= origin && **t <= horizon)
            .map(|t| [days_between(origin, *t), 1.0])
            .collect();
        let formatter = move |x: f64| {
            dates::shift(origin, dates::seconds((x * 86_400.0) as i64))
                .map_or_else(|_| String::new(), |t| t.format("%Y-%m-%d").to_string())
        };
        let x_fmt = formatter;
        let check_ins = clock.check_ins().to_vec();
        let dark = ui.visuals().dark_mode;
        let blue = widgets::info_blue(ui);
        let check_ins_colour = ui.visuals().strong_text_color();
        let _ = status;
        let days = days_between(origin, horizon);
        // The legend (the ramp date, now, check-ins) above the steps, not on
        // the early ones; each step names its stage beside it instead of in
        // the legend (six more rows would leave the steps a third of the
        // chart).
        let entries = 2 + usize::from(!checks.is_empty());
        // The size of each stage's name, for keeping the names apart.
        let label_sizes: Vec<egui::Vec2> = (0..=enforcement::LAST_STAGE)
            .map(|s| {
                egui::WidgetText::from(format!("stage {s}"))
                    .into_galley(
                        ui,
                        Some(egui::TextWrapMode::Extend),
                        f32::INFINITY,
                        egui::TextStyle::Body,
                    )
                    .size()
            })
            .collect();
        let (height, y_top) = crate::ui::charts::legend_fit(ui, entries, 260.0, 6.5);
        let chart = crate::ui::charts::page_plot("enforcement-timeline")
            .height(height)
            .legend(Legend::default().position(egui_plot::Corner::LeftTop))
            .include_y(0.5)
            .include_y(y_top)
            .allow_scroll(false)
            .x_axis_label("date")
            .y_axis_label("stage")
            .x_axis_formatter(move |mark, _| x_fmt(mark.value))
            .label_formatter(move |hover| {
                let p = match hover {
                    egui_plot::HoverPosition::NearDataPoint { position, .. } => *position,
                    egui_plot::HoverPosition::Elsewhere { position } => *position,
                };
                Some(hover_words(terms, &check_ins, origin, p))
            })
            .y_grid_spacer(crate::ui::charts::integer_grid)
            .y_axis_formatter(|m, _| crate::ui::charts::count_label(m))
            .show(ui, |plot| {
                // Down to a week.
                crate::ui::charts::zoom_x(plot, (0.0, days), 7.0);
                let transform = *plot.transform();
                let labels = stage_labels(
                    &steps,
                    |x, y| transform.position_from_point(&egui_plot::PlotPoint::new(x, y)),
                    |stage| label_sizes.get(usize::from(stage)).copied().unwrap_or_default(),
                );
                for (x, stage) in labels {
                    plot.text(
                        egui_plot::Text::new(
                            "",
                            egui_plot::PlotPoint::new(x, f64::from(stage) + LABEL_RISE),
                            egui::RichText::new(format!("stage {stage}")).color(stage_colour(stage, dark)),
                        )
                        .anchor(egui::Align2::LEFT_BOTTOM),
                    );
                }
                // Each stage in its own colour, past ones included; the jumps
                // between stages are thin grey lines. (Band aggregation would
                // smear the steps.)
                for pair in steps.windows(2) {
                    let (a, b) = (pair[0], pair[1]);
                    let (colour, width) = if a[1] == b[1] {
                        (stage_colour(a[1] as u8, dark), 3.0)
                    } else {
                        (egui::Color32::GRAY, 1.0)
                    };
                    plot.line(
                        Line::new("", PlotPoints::from(vec![a, b]))
                            .color(colour)
                            .width(width)
                            .allow_band(false),
                    );
                }
                plot.vline(VLine::new("ramp date", days_between(origin, ramp)).color(egui::Color32::GRAY));
                plot.vline(VLine::new("now", days_between(origin, now)).color(blue).width(2.0));
                if !checks.is_empty() {
                    plot.points(
                        Points::new("check-ins", PlotPoints::from(checks))
                            .shape(MarkerShape::Diamond)
                            .radius(5.0)
                            .color(check_ins_colour),
                    );
                }
            });
        crate::ui::charts::name(&chart.response, "Enforcement stages over time, with check-ins");
    }
}
