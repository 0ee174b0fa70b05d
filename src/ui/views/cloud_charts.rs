//! The Genesys Cloud estimate's charts: per billing period, the cost under
//! each model against PureConnect's, the counts when no prices are
//! entered, and the phased move (PureConnect and Genesys Cloud stacked).

use egui_plot::{Bar, BarChart, Corner, GridMark, Legend, Line, Plot, PlotPoints, Points};

use crate::core::cloud::{CloudEstimate, Model};
use crate::core::cost::Cents;
use crate::ui::charts;

fn period_label(est: &CloudEstimate, mark: GridMark) -> String {
    let i = mark.value.round();
    if (mark.value - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    est.periods
        .get(i as usize)
        .map(|p| p.start.format("%Y-%m").to_string())
        .unwrap_or_default()
}

/// `top` is the data's highest value; `series` how many lines the legend
/// lists, which need room above the data (the legend sits top left).
fn plot<'a>(id: &'a str, est: &'a CloudEstimate, top: f64, series: usize) -> Plot<'a> {
    let n = est.periods.len() as f64;
    let top = top * (1.0 + 0.15 * series as f64);
    // A handful of billing periods: nothing to zoom into.
    charts::page_plot(id)
        .height(220.0)
        .include_x(-0.5)
        .include_x(n - 0.5)
        .include_y(0.0)
        .include_y(charts::headroom(top))
        .x_grid_spacer(charts::integer_grid)
        .y_grid_spacer(charts::integer_grid)
        .x_axis_formatter(move |m, _| period_label(est, m))
        .y_axis_formatter(|m, _| charts::count_label(m))
        .legend(Legend::default().position(Corner::LeftTop))
}

fn line(name: &str, points: Vec<[f64; 2]>, style: usize) -> (Line<'static>, Points<'static>) {
    let (colour, width, dash) = charts::series_style(style);
    (
        Line::new(name.to_string(), PlotPoints::from(points.clone()))
            .allow_band(false)
            .color(colour)
            .width(width)
            .style(dash),
        Points::new(name.to_string(), PlotPoints::from(points))
            .color(colour)
            .radius(3.0),
    )
}

fn amount(c: Option<Cents>) -> Option<f64> {
    c.map(Cents::amount)
}

/// Cost per period under each priced model and PureConnect's.
pub fn costs(ui: &mut egui::Ui, est: &CloudEstimate) {
    let currency = est.currency.clone().unwrap_or_default();
    let title = format!("Estimated cost per billing period ({currency}), not a quote");
    ui.strong(&title);
    let mut series: Vec<(String, Vec<[f64; 2]>)> = Vec::new();
    for m in Model::ALL {
        let pts: Vec<[f64; 2]> = est
            .periods
            .iter()
            .enumerate()
            .filter_map(|(i, p)| amount(p.cost.get(m)).map(|v| [i as f64, v]))
            .collect();
        if !pts.is_empty() {
            series.push((format!("Genesys Cloud, {}", m.label().to_lowercase()), pts));
        }
    }
    let pc: Vec<[f64; 2]> = est
        .periods
        .iter()
        .enumerate()
        .filter_map(|(i, p)| amount(p.cost.pureconnect).map(|v| [i as f64, v]))
        .collect();
    if !pc.is_empty() {
        series.push(("PureConnect today".into(), pc));
    }
    let top = series
        .iter()
        .flat_map(|(_, p)| p.iter().map(|x| x[1]))
        .fold(0.0, f64::max);
    let n = series.len();
    let chart = plot("cloud-costs", est, top, n).show(ui, |plot| {
        for (i, (name, pts)) in series.into_iter().enumerate() {
            let (l, p) = line(&name, pts, i);
            plot.line(l);
            plot.points(p);
        }
    });
    charts::name(&chart.response, &title);
}

/// Named users and the concurrent peak per period (the counts, priced or not).
pub fn counts(ui: &mut egui::Ui, est: &CloudEstimate) {
    let title = "Billable users per billing period (estimate)";
    ui.strong(title);
    let named: Vec<[f64; 2]> = est
        .periods
        .iter()
        .enumerate()
        .map(|(i, p)| [i as f64, p.named_users as f64])
        .collect();
    let peak: Vec<[f64; 2]> = est
        .periods
        .iter()
        .enumerate()
        .map(|(i, p)| [i as f64, p.concurrent_peak as f64])
        .collect();
    let top = named.iter().chain(&peak).map(|p| p[1]).fold(0.0, f64::max);
    let chart = plot("cloud-counts", est, top, 2).show(ui, |plot| {
        let (l, p) = line("Named users (logged on at least once)", named, 0);
        plot.line(l);
        plot.points(p);
        let (l, p) = line("Concurrent peak (30 minutes or more)", peak, 1);
        plot.line(l);
        plot.points(p);
    });
    charts::name(&chart.response, title);
}

/// The phased move: PureConnect for the users who stay and Genesys Cloud
/// for those who moved, stacked, per period.
pub fn phased(ui: &mut egui::Ui, est: &CloudEstimate, model: Model) {
    let currency = est.currency.clone().unwrap_or_default();
    let title = format!(
        "Running both systems per billing period ({currency}, Genesys Cloud {}), not a quote",
        model.label().to_lowercase()
    );
    ui.strong(&title);
    let stay: Vec<Bar> = est
        .periods
        .iter()
        .enumerate()
        .map(|(i, p)| Bar::new(i as f64, amount(p.phased.pureconnect).unwrap_or(0.0)).width(0.6))
        .collect();
    let moved: Vec<Bar> = est
        .periods
        .iter()
        .enumerate()
        .map(|(i, p)| Bar::new(i as f64, amount(p.phased.genesys_cloud.get(model)).unwrap_or(0.0)).width(0.6))
        .collect();
    let top = stay
        .iter()
        .zip(&moved)
        .map(|(a, b)| a.value + b.value)
        .fold(0.0, f64::max);
    let (c_pc, _, _) = charts::series_style(3);
    let (c_gc, _, _) = charts::series_style(0);
    let chart = plot("cloud-phased", est, top, 2).show(ui, |plot| {
        let pc = BarChart::new("PureConnect (users not yet moved)", stay).color(c_pc);
        let gc = BarChart::new("Genesys Cloud (users moved)", moved)
            .color(c_gc)
            .stack_on(&[&pc]);
        plot.bar_chart(pc);
        plot.bar_chart(gc);
    });
    charts::name(&chart.response, &title);
}
