//! Charts as a desktop console has them (#31): the wheel scrolls the page
//! (a chart never pans into blank space), Ctrl+wheel zooms a time axis
//! within the data, hovers say what is at the pointer's date, a chart
//! shows only what has been replayed, and a legend never repeats a colour.

use chrono::{DateTime, NaiveDate, Utc};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::enforcement::{self, SimClock, Terms, midnight};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};
use ia_licensing::ui::charts;
use ia_licensing::ui::views::enforcement::Clock;

fn harness() -> Harness<'static, App> {
    crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Light,
        Startup::demo(TrustStore::with_demo()),
    )
}

/// The chart's memory: where it is on screen and what it shows.
fn chart(h: &Harness<'static, App>, name: &str) -> egui_plot::PlotMemory {
    egui_plot::PlotMemory::load(&h.ctx, charts::plot_id(name)).expect("the chart is drawn")
}

fn wheel(h: &Harness<'static, App>, dy: f32, modifiers: egui::Modifiers) {
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, dy),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers,
    });
}

/// Shift change played to its end, License Statistics scrolled to its chart.
fn statistics_at_the_chart(size: egui::Vec2) -> Harness<'static, App> {
    let mut h = crate::util::build_app(size, egui::Theme::Light, Startup::demo(TrustStore::with_demo()));
    h.run();
    h.state_mut().load_scenario(1);
    h.state_mut().set_show_warnings(false);
    h.run();
    h.get_by_label("To end").click();
    h.run();
    h.get_by_label("Concurrent licenses in use over time").scroll_to_me();
    h.run();
    h
}

#[test]
fn the_wheel_over_a_chart_scrolls_the_page_and_never_pans_the_chart() {
    let mut h = statistics_at_the_chart(egui::vec2(1024.0, 700.0));
    let before = chart(&h, "stats-chart");
    let title = h.get_by_label("Concurrent licenses in use over time").rect();
    // The part of the chart inside the window.
    let frame = *before.transform().frame();
    let visible = egui::Rect::from_min_max(frame.min, egui::pos2(frame.right(), frame.bottom().min(690.0)));
    h.hover_at(visible.center());
    h.run();
    // Down: the page goes on below the chart (its denials).
    wheel(&h, -120.0, egui::Modifiers::NONE);
    h.run();
    let after = chart(&h, "stats-chart");
    assert_eq!(
        after.bounds().range_x(),
        before.bounds().range_x(),
        "the wheel does not pan the chart"
    );
    assert_eq!(after.bounds().range_y(), before.bounds().range_y());
    let moved = h.get_by_label("Concurrent licenses in use over time").rect();
    assert!(
        moved.top() < title.top() - 20.0,
        "the wheel scrolls the page: the chart's title went from {title:?} to {moved:?}"
    );
}

#[test]
fn ctrl_wheel_zooms_the_time_axis_and_never_leaves_the_data() {
    let mut h = statistics_at_the_chart(egui::vec2(1400.0, 900.0));
    let data = ia_licensing::ui::views::statistics::chart_data(
        h.state().doc(),
        h.state().simulation().as_ref().expect("simulation"),
        ia_licensing::ui::views::statistics::Range::All,
    )
    .expect("a chart");
    let full = chart(&h, "stats-chart");
    let frame = *full.transform().frame();
    // Near the right edge, where a zoom around the pointer would push the
    // left edge of the view past the end of the data if not held back.
    h.hover_at(egui::pos2(frame.right() - 5.0, frame.center().y));
    h.run();
    for _ in 0..6 {
        wheel(&h, 120.0, egui::Modifiers::CTRL);
        h.run();
    }
    let zoomed = chart(&h, "stats-chart");
    let (lo, hi) = (*zoomed.bounds().range_x().start(), *zoomed.bounds().range_x().end());
    assert!(
        hi - lo < 0.5 * (data.to - data.from),
        "Ctrl+wheel zooms in: {lo}..{hi} of {}..{}",
        data.from,
        data.to
    );
    assert!(
        lo >= data.from - 1e-6 && hi <= data.to + 1e-6,
        "{lo}..{hi} within the data"
    );
    // Zooming out stops at the whole day: never past the data either side.
    h.hover_at(egui::pos2(frame.left() + 5.0, frame.center().y));
    h.run();
    for _ in 0..30 {
        wheel(&h, -120.0, egui::Modifiers::CTRL);
        h.run();
    }
    let out = chart(&h, "stats-chart");
    let (lo, hi) = (*out.bounds().range_x().start(), *out.bounds().range_x().end());
    let margin = 0.1 * (data.to - data.from);
    assert!(
        lo >= data.from - margin && hi <= data.to + margin,
        "zoomed out to {lo}..{hi}, the data is {}..{}",
        data.from,
        data.to
    );
    // Dragging never pans it either.
    h.drag_at(frame.center());
    h.run();
    h.hover_at(frame.center() + egui::vec2(300.0, 0.0));
    h.run();
    h.drop_at(frame.center() + egui::vec2(300.0, 0.0));
    h.run();
    let dragged = chart(&h, "stats-chart");
    assert_eq!(
        dragged.bounds().range_x(),
        out.bounds().range_x(),
        "dragging does not pan"
    );
}

#[test]
fn the_wheel_over_the_usage_chart_scrolls_the_page() {
    let mut h = crate::util::build_app(
        egui::vec2(1024.0, 700.0),
        egui::Theme::Light,
        Startup::demo(TrustStore::with_demo()),
    );
    h.run();
    h.state_mut().load_scenario(0);
    h.state_mut().set_show_warnings(false);
    h.state_mut().set_nav(Nav::UsageBilling);
    h.run();
    h.get_by_label("To end").click();
    h.run();
    h.get_by_label("Distinct users per day").scroll_to_me();
    h.run();
    let before = chart(&h, "usage-chart");
    let title = h.get_by_label("Distinct users per day").rect();
    h.hover_at(before.transform().frame().center());
    h.run();
    wheel(&h, 120.0, egui::Modifiers::NONE);
    h.run();
    let after = chart(&h, "usage-chart");
    assert_eq!(after.bounds().range_x(), before.bounds().range_x());
    assert_eq!(after.bounds().range_y(), before.bounds().range_y());
    assert!(h.get_by_label("Distinct users per day").rect().top() > title.top() + 20.0);
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    midnight(NaiveDate::from_ymd_opt(y, m, d).expect("date"))
}

fn virtual_cloud(now: DateTime<Utc>, size: egui::Vec2) -> Harness<'static, App> {
    let mut h = crate::util::build_app(size, egui::Theme::Light, Startup::demo(TrustStore::with_demo()));
    let vc = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo-virtual-cloud.I3Lic");
    h.state_mut().load_license_file(vc);
    h.state_mut().set_clock(Clock::Simulated(SimClock::new(now)));
    h.state_mut().set_show_warnings(false);
    h.state_mut().set_nav(Nav::CloudEnforcement);
    h.run();
    h
}

#[test]
fn the_enforcement_timeline_scrolls_with_its_page_and_never_pans() {
    // A small window: the timeline is below the fold and the view scrolls.
    let mut h = virtual_cloud(at(2020, 6, 3), egui::vec2(1024.0, 560.0));
    let before = chart(&h, "enforcement-timeline");
    let frame = *before.transform().frame();
    assert!(frame.bottom() > 560.0, "the timeline is below the fold: {frame:?}");
    let visible = egui::Rect::from_min_max(frame.min, egui::pos2(frame.right(), frame.bottom().min(530.0)));
    h.hover_at(visible.center());
    h.run();
    wheel(&h, -200.0, egui::Modifiers::NONE);
    h.run();
    let after = chart(&h, "enforcement-timeline");
    assert_eq!(after.bounds().range_x(), before.bounds().range_x(), "not panned");
    assert!(
        after.transform().frame().top() < frame.top() - 20.0,
        "the page scrolled: the timeline went from {frame:?} to {:?}",
        after.transform().frame()
    );
}

#[test]
fn the_enforcement_hover_names_the_stage_in_force_at_the_date() {
    let name = ia_licensing::core::demo::SCENARIOS[4].0;
    let license = ia_licensing::core::demo::scenario_license(name, &TrustStore::with_demo(), false).expect("license");
    let terms = Terms::of(&license).expect("virtual cloud");
    let origin = midnight(terms.issued);
    let days = |t: DateTime<Utc>| (t - origin).num_seconds() as f64 / 86_400.0;
    let check_ins = [at(2020, 6, 10)];
    // Every day of the timeline, hovered at every height: the words name
    // the stage the core says is in force then, whatever the pointer's
    // height.
    for day in 0..120 {
        let t = at(2020, 5, 1) + chrono::Duration::hours(day * 24 + 12);
        let stage = enforcement::status(Some(terms), &check_ins, t).stage;
        for y in [0.5, 1.0, 3.2, 5.0, 6.4] {
            let words = ia_licensing::ui::views::enforcement::hover_words(
                terms,
                &check_ins,
                origin,
                egui_plot::PlotPoint::new(days(t), y),
            );
            assert!(
                words.contains(&format!("Stage {stage}:")),
                "{t}: {words:?} should name stage {stage}"
            );
            assert!(words.contains(&t.format("%Y-%m-%d").to_string()), "{words}");
        }
    }
}

#[test]
fn statistics_show_only_what_has_been_replayed() {
    let mut h = harness();
    h.run();
    h.state_mut().load_scenario(1);
    h.state_mut().set_show_warnings(false);
    h.run();
    h.get_by_label("0 of 120 events");
    let beyond = |h: &Harness<'static, App>| -> Vec<(String, [f64; 2])> {
        let sim = h.state().simulation().as_ref().expect("simulation");
        let origin = sim.first().expect("events");
        let now = (sim.now - origin).num_seconds() as f64 / 3600.0;
        let data = ia_licensing::ui::views::statistics::chart_data(
            h.state().doc(),
            sim,
            ia_licensing::ui::views::statistics::Range::All,
        );
        data.map(|d| {
            d.series
                .into_iter()
                .flat_map(|(k, pts)| pts.into_iter().map(move |p| (k.clone(), p)))
                .filter(|(_, p)| p[0] > now + 1e-9)
                .collect()
        })
        .unwrap_or_default()
    };
    // Nothing played: no line runs through the day, and the chart says so.
    assert_eq!(beyond(&h), Vec::new(), "nothing is drawn past the clock");
    h.get_by_label_contains("The clock is before the first event");
    // Five events played: the lines reach the clock and stop there.
    for _ in 0..3 {
        h.get_by_label("Step").click();
        h.run();
    }
    h.get_by_label("5 of 120 events");
    assert_eq!(beyond(&h), Vec::new());
    let sim = h.state().simulation().as_ref().expect("simulation");
    let data = ia_licensing::ui::views::statistics::chart_data(
        h.state().doc(),
        sim,
        ia_licensing::ui::views::statistics::Range::All,
    )
    .expect("a chart once events are played");
    let client = data
        .series
        .iter()
        .find(|(k, _)| k == "I3_ACCESS_CLIENT")
        .expect("Client Access");
    assert_eq!(
        client.1.last().map(|p| p[1]),
        Some(5.0),
        "the line ends at what is in use at the clock"
    );
    assert!(
        h.query_by_label_contains("The clock is before the first event")
            .is_none()
    );
}

#[test]
fn distinct_users_per_day_counts_each_day_on_its_own() {
    // A generated site (`demo generate --events`), its events played to the
    // end in Usage & Billing: each day counts the users who logged on that
    // day, not everyone since the first (the generator's sessions ran for
    // days and most never ended, so the chart climbed like a running total).
    use ia_licensing::core::demo_generate::{self as generate, Size};
    let (_dir, lic, ws, _) = crate::util::generated_site(Size {
        users: 300,
        stations: 300,
        workgroups: 6,
        seed: 5,
    });
    let events = generate::events(300, 6000, 5);
    // Who logged on each day, from the events themselves.
    let mut logged_on: std::collections::BTreeMap<NaiveDate, std::collections::BTreeSet<&str>> = Default::default();
    for e in &events {
        if e.event == ia_licensing::core::replay::EventKind::Logon {
            logged_on.entry(e.at.date_naive()).or_default().insert(e.user.as_str());
        }
    }
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Light,
        Startup {
            file: Some(lic),
            workspace: Some(ws),
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    h.step();
    h.state_mut().wait_for_loading();
    h.state_mut().set_show_warnings(false);
    h.state_mut().set_nav(Nav::UsageBilling);
    h.state_mut()
        .start_simulation(ia_licensing::ui::simulation::Simulation::new(
            "generated".into(),
            events.clone(),
        ));
    h.run();
    h.get_by_label("To end").click();
    h.run();
    h.get_by_label("Distinct users per day");
    let sim = h.state().simulation().as_ref().expect("simulation");
    let (daily, _) = sim.usage();
    assert!(daily.len() >= 28, "{} days", daily.len());
    for d in daily {
        // Every user counts as an Agent or a Business User, never both.
        let users: usize = ["agent", "business-user"]
            .iter()
            .filter_map(|c| d.users_by_category.get(*c))
            .sum();
        let that_day = logged_on.get(&d.day).map_or(0, |s| s.len());
        assert!(
            users > 0 && users <= that_day,
            "{}: {users} counted, {that_day} logged on that day",
            d.day
        );
    }
}

#[test]
fn a_legend_never_repeats_a_colour_and_each_reads_in_both_themes() {
    use ia_licensing::ui::widgets::{contrast, visuals};
    // The most series a chart draws: every billing category (Usage &
    // Billing), every pooled license of the licenses shipped (License
    // Statistics).
    let mut most = ia_licensing::core::catalog::BillingCategory::ALL.len();
    let demo = crate::util::demo_doc();
    most = most.max(demo.license().allowances().iter().filter(|a| a.pooled > 0).count());
    for (name, ..) in ia_licensing::core::demo::SCENARIOS {
        let l = ia_licensing::core::demo::scenario_license(name, &TrustStore::with_demo(), false).expect("license");
        most = most.max(l.allowances().iter().filter(|a| a.pooled > 0).count());
    }
    let colours: Vec<egui::Color32> = (0..most).map(|i| charts::series_style(i).0).collect();
    for (i, a) in colours.iter().enumerate() {
        for (j, b) in colours.iter().enumerate().skip(i + 1) {
            assert_ne!(a, b, "series {i} and {j} share a colour");
        }
        // WCAG 1.4.11: graphics at 3:1 against the plot's background.
        for dark in [false, true] {
            let bg = visuals(dark).extreme_bg_color;
            let ratio = contrast(*a, bg);
            assert!(ratio >= 3.0, "series {i} {a:?} on {bg:?}: {ratio:.2}");
        }
    }
    // The enforcement timeline's legend: one colour per stage, and the
    // check-ins, now and the ramp date each their own.
    for dark in [false, true] {
        let legend = ia_licensing::ui::views::enforcement::legend_colours(dark);
        assert_eq!(legend.len(), 9);
        for (i, (a, ca)) in legend.iter().enumerate() {
            for (b, cb) in &legend[i + 1..] {
                assert_ne!(ca, cb, "{a} and {b} share a colour (dark: {dark})");
            }
        }
    }
}

/// #31 retest finding 6: a chart's hover names a value only near a line
/// (not the pointer's own position over empty plot area, not a point far
/// away), at the pointer's time.
#[test]
fn the_hover_names_a_value_only_near_a_line() {
    use ia_licensing::ui::charts::nearest_line;
    // 10 points per unit across, 1 point per unit up (y grows upwards).
    let to_screen = |p: [f64; 2]| egui::pos2((p[0] * 10.0) as f32, (200.0 - p[1]) as f32);
    // A step from 0 to 50 at x = 5, and a flat line at 100 from x = 2 to 8.
    let step = [[0.0, 0.0], [5.0, 0.0], [5.0, 50.0], [10.0, 50.0]];
    let flat = [[2.0, 100.0], [8.0, 100.0]];
    let lines = || [&step[..], &flat[..]];
    // On the step's upper part, at its time: the step's value.
    assert_eq!(nearest_line(lines(), [7.0, 47.0], to_screen), Some((0, 50.0)));
    // Near the flat line: that one.
    assert_eq!(nearest_line(lines(), [3.0, 95.0], to_screen), Some((1, 100.0)));
    // Empty plot area between them: nothing.
    assert_eq!(nearest_line(lines(), [7.0, 75.0], to_screen), None);
    // Past the end of every line: nothing (no snapping to the last point).
    assert_eq!(nearest_line(lines(), [14.0, 50.0], to_screen), None);
    // Before the first event: nothing, whatever the height.
    assert_eq!(nearest_line(lines(), [-3.0, 0.0], to_screen), None);
}

/// #31 retest finding 6: over a month (and two) the time axis has date
/// labels with room for them: egui_plot leaves out a label wider than the
/// space between its marks, and the weekly marks were too close for a date.
#[test]
fn a_month_of_events_has_dates_on_the_time_axis() {
    use ia_licensing::ui::charts::hour_grid;
    for (hours, width) in [(744.0, 900.0), (1488.0, 700.0), (1488.0, 460.0), (24.0, 900.0)] {
        let points_per_hour = width / hours;
        let marks = hour_grid(egui_plot::GridInput {
            bounds: (0.0, hours),
            base_step_size: 8.0 / points_per_hour,
        });
        let labelled: Vec<_> = marks.iter().filter(|m| m.step_size * points_per_hour >= 90.0).collect();
        assert!(
            labelled.len() >= 2,
            "{hours} h over {width} points: no two marks with room for a date label ({marks:?})"
        );
    }
}
