//! What every chart shares: counts on integer axes, a time axis that fits
//! the data's span, distinct colours and line styles (so series that
//! coincide stay visible), headroom above the data for the legend, and the
//! way a chart in a scrolling page answers the wheel (`page_plot`, `zoom_x`).

use crate::core::dates;
use chrono::{DateTime, Utc};
use egui::Color32;
use egui_plot::{GridInput, GridMark, LineStyle, Plot, PlotUi};

/// The id of a chart: the same wherever the chart is drawn (not salted by
/// its parents), so its zoom is kept per chart and a test can read the
/// chart's memory (`egui_plot::PlotMemory::load`).
pub fn plot_id(name: &str) -> egui::Id {
    egui::Id::unique(("ia-licensing-chart", name))
}

/// A chart as a desktop console has it in a scrolling page: the wheel
/// scrolls the page (egui_plot's default pans the chart under the pointer,
/// into blank space, and the page stops scrolling there), and dragging or
/// a right-drag box does nothing. Ctrl+wheel zooms the time axis, held
/// within the data, where the chart calls `zoom_x`; a double-click shows
/// it all again.
///
/// A chart takes clicks (the double-click) but not the keyboard focus:
/// the keyboard has nothing to do there, and Tab passes on to the controls.
/// Name it for a screen reader with `name`.
pub fn page_plot<'a>(name: &str) -> Plot<'a> {
    Plot::new(name)
        .id(plot_id(name))
        .sense(egui::Sense::CLICK)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .allow_axis_zoom_drag(false)
}

/// Names a chart for a screen reader: an image, "Chart: " and what it
/// shows (its heading's words; the figures are in the tables beside it).
pub fn name(chart: &egui::Response, what: &str) {
    chart.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Image, true, format!("Chart: {what}")));
}

/// Ctrl+wheel over the chart zooms its x axis around the pointer, never
/// wider than the data (`lo` to `hi`) nor narrower than `min_span`; a view
/// zoomed before the data changed is brought back within it. Called in the
/// chart's `show` closure (it works on the bounds of the frame before).
pub fn zoom_x(plot: &mut PlotUi<'_>, (lo, hi): (f64, f64), min_span: f64) {
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return;
    }
    let zoom = if plot.response().contains_pointer() {
        f64::from(plot.ctx().input(|i| i.zoom_delta_2d().x))
    } else {
        1.0
    };
    let zooming = zoom.is_finite() && zoom > 0.0 && (zoom - 1.0).abs() > 1e-6;
    if plot.auto_bounds().x && !zooming {
        return;
    }
    let bounds = plot.plot_bounds();
    let (mut a, mut b) = (bounds.min()[0], bounds.max()[0]);
    if zooming {
        let c = plot.pointer_coordinate().map_or((a + b) / 2.0, |p| p.x).clamp(a, b);
        a = c - (c - a) / zoom;
        b = c + (b - c) / zoom;
    }
    let span = (b - a).max(min_span);
    if !span.is_finite() || span >= hi - lo {
        // The whole of the data: the chart's own bounds again (with the
        // margins and the legend's headroom they give).
        let y = plot.auto_bounds().y;
        plot.set_auto_bounds(egui::Vec2b::new(true, y));
        return;
    }
    let a = a.clamp(lo, hi - span);
    plot.set_plot_bounds_x(a..=a + span);
}

/// "Nice" steps 1, 2, 5 × 10ⁿ, the first at least `min`.
fn nice_step(min: f64) -> f64 {
    let mut scale = 1.0;
    loop {
        for m in [1.0, 2.0, 5.0] {
            if m * scale >= min {
                return m * scale;
            }
        }
        scale *= 10.0;
    }
}

/// Grid marks at whole numbers only (counts of users or licenses).
pub fn integer_grid(input: GridInput) -> Vec<GridMark> {
    let step = nice_step(input.base_step_size.max(1.0));
    marks(input.bounds, step, step * 5.0)
}

fn marks((lo, hi): (f64, f64), step: f64, major: f64) -> Vec<GridMark> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    if last - first > 1_000 {
        return Vec::new();
    }
    (first..=last)
        .map(|i| {
            let value = i as f64 * step;
            let on_major = (value / major).fract().abs() < 1e-9;
            GridMark {
                value,
                step_size: if on_major { major } else { step },
            }
        })
        .collect()
}

/// Day marks for an axis in days since a first day: every day for a week
/// or two, then weekly, fortnightly, four-weekly or quarterly, so a date
/// label always has room (months of history on one axis).
pub fn day_grid(input: GridInput) -> Vec<GridMark> {
    let span = input.bounds.1 - input.bounds.0;
    let step = [1.0, 2.0, 7.0, 14.0, 28.0, 91.0, 182.0, 364.0]
        .into_iter()
        .find(|s| span / s <= 9.0)
        .unwrap_or(364.0);
    marks(input.bounds, step, step)
}

/// A count label: whole numbers with thousands separators, nothing for
/// a fractional mark.
pub fn count_label(mark: GridMark) -> String {
    if mark.value.fract().abs() > 1e-9 || mark.value < 0.0 {
        return String::new();
    }
    crate::core::text::thousands(mark.value as usize)
}

/// The room a time axis label needs, in points (a date and its margins).
const LABEL_ROOM: f64 = 96.0;

/// Time marks for an axis in hours since `origin`: minutes for a short span,
/// hours for a day, days for longer.
pub fn hour_grid(input: GridInput) -> Vec<GridMark> {
    const STEPS: [f64; 11] = [
        1.0 / 60.0,
        5.0 / 60.0,
        15.0 / 60.0,
        0.5,
        1.0,
        2.0,
        3.0,
        6.0,
        12.0,
        24.0,
        168.0,
    ];
    let min = input.base_step_size;
    let step = STEPS
        .iter()
        .copied()
        .find(|s| *s >= min)
        .unwrap_or(24.0 * nice_step(min / 24.0));
    // Labelled marks far enough apart for a date ("2026-06-15" is about 70
    // points wide; egui_plot leaves out a label that does not fit, so over
    // a month of 100k users' events the axis had no date at all). The
    // base step is what 8 points show.
    let points_per_hour = 8.0 / min.max(f64::EPSILON);
    let major_min = (step * 4.0).max(LABEL_ROOM / points_per_hour);
    let major = STEPS
        .iter()
        .copied()
        .chain((1..12).map(|k| 168.0 * f64::from(1u32 << k)))
        .find(|s| *s >= major_min && ((s / step).round() - s / step).abs() < 1e-9)
        .unwrap_or(step * 4.0);
    marks(input.bounds, step, major)
}

/// The label of a time mark (hours since `origin`): "09:30" within a day,
/// "06-02" at midnight or for day steps.
pub fn hour_label(origin: DateTime<Utc>, mark: GridMark) -> String {
    let Ok(t) = dates::shift(origin, dates::seconds((mark.value * 3600.0).round() as i64)) else {
        return String::new();
    };
    if mark.step_size >= 24.0 || t.format("%H:%M").to_string() == "00:00" {
        t.format("%Y-%m-%d").to_string()
    } else {
        t.format("%H:%M").to_string()
    }
}

/// The label of a day mark (days since `first`): the date at whole days,
/// nothing between them (so a one-day chart does not repeat its date).
pub fn day_label(first: chrono::NaiveDate, mark: GridMark) -> String {
    if mark.value.fract().abs() > 1e-9 {
        return String::new();
    }
    dates::add_days(first, mark.value as i64).map_or_else(|_| String::new(), |d| d.to_string())
}

/// Series colours, each a different hue, each at 3:1 or more against the
/// plot's background in both themes (WCAG 1.4.11 for graphics; checked by
/// `tests/it/ui_charts.rs`). As many as a chart has series: a legend of
/// every billing category (14) never repeats a colour.
pub const PALETTE: [Color32; 14] = [
    Color32::from_rgb(0x1F, 0x77, 0xB4), // blue
    Color32::from_rgb(0xD6, 0x27, 0x28), // red
    Color32::from_rgb(0x2C, 0xA0, 0x2C), // green
    Color32::from_rgb(0xC4, 0x5A, 0x00), // orange
    Color32::from_rgb(0x94, 0x67, 0xBD), // purple
    Color32::from_rgb(0x8C, 0x56, 0x4B), // brown
    Color32::from_rgb(0xC2, 0x37, 0x8F), // magenta
    Color32::from_rgb(0x7F, 0x7F, 0x00), // olive
    Color32::from_rgb(0x0F, 0x8A, 0x8A), // teal
    Color32::from_rgb(0x70, 0x70, 0x70), // grey
    Color32::from_rgb(0x5A, 0x5A, 0xD2), // indigo
    Color32::from_rgb(0xA0, 0x78, 0x00), // ochre
    Color32::from_rgb(0xB8, 0x30, 0x6A), // crimson
    Color32::from_rgb(0x4A, 0x9A, 0x00), // lime
];

/// Colour, width and style of series `i`: later series are thinner and
/// dashed, so a series drawn exactly over another still shows. Colours
/// repeat only past `PALETTE.len()` series, with another line style.
pub fn series_style(i: usize) -> (Color32, f32, LineStyle) {
    let colour = PALETTE[i % PALETTE.len()];
    match i % 3 {
        0 => (colour, 3.0, LineStyle::Solid),
        1 => (colour, 2.0, LineStyle::dashed_loose()),
        _ => (colour, 2.0, LineStyle::dotted_dense()),
    }
}

/// The top of the y range: the data's highest value with room above it
/// for the legend (which sits in the top-left corner).
pub fn headroom(max: f64) -> f64 {
    (max.max(1.0) * 1.35).ceil()
}

/// A chart's height and the top of its y range so that its legend (top
/// left, a row per series) sits above the data instead of on it: the
/// plot grows with the legend (keeping at least 120 points for the data)
/// and the y range leaves the legend's share of the plot free above `max`.
/// With nine billing categories the legend took most of a 240-point chart
/// and covered its first days' points.
pub fn legend_fit(ui: &egui::Ui, series: usize, min_height: f32, max: f64) -> (f32, f64) {
    let row = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    // The legend's frame and its distance from the plot's edge.
    let legend = series as f32 * row + 24.0;
    legend_room(legend, min_height, max)
}

/// `legend_fit` for a legend `legend` points tall.
pub fn legend_room(legend: f32, min_height: f32, max: f64) -> (f32, f64) {
    let height = min_height.max(legend + 120.0);
    // The x axis and its labels take the bottom of the height.
    let area = (height - 28.0).max(1.0);
    let free = f64::from((legend / area).min(0.8));
    let top = (max.max(1.0) / (1.0 - free)).ceil();
    (height, top.max(headroom(max)))
}

/// A step series (points in time order) with at most about `most` points:
/// the time span cut into buckets, each keeping its first and last point
/// and its lowest and highest, in time order, so every peak and trough
/// the full series has is still drawn. A short series is kept as it is.
pub fn thin_steps(points: Vec<[f64; 2]>, most: usize) -> Vec<[f64; 2]> {
    let buckets = most / 4;
    if points.len() <= most || buckets == 0 {
        return points;
    }
    let (first, last) = (points[0][0], points[points.len() - 1][0]);
    let width = (last - first) / buckets as f64;
    if width.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return points;
    }
    let bucket_of = |x: f64| (((x - first) / width) as usize).min(buckets - 1);
    let mut out = Vec::with_capacity(most);
    let mut start = 0;
    while start < points.len() {
        let b = bucket_of(points[start][0]);
        let mut end = start + 1;
        while end < points.len() && bucket_of(points[end][0]) == b {
            end += 1;
        }
        let run = &points[start..end];
        let lowest = (0..run.len())
            .min_by(|&i, &j| run[i][1].total_cmp(&run[j][1]))
            .unwrap_or(0);
        let highest = (0..run.len())
            .max_by(|&i, &j| run[i][1].total_cmp(&run[j][1]))
            .unwrap_or(0);
        let mut keep = [0, lowest, highest, run.len() - 1];
        keep.sort_unstable();
        let mut previous = None;
        for i in keep {
            if previous != Some(i) {
                out.push(run[i]);
                previous = Some(i);
            }
        }
        start = end;
    }
    out
}

/// How near the pointer must be to a line, on screen, for the hover to
/// name its value.
pub const HOVER_NEAR: f32 = 12.0;

/// What a chart of lines shows on hover: the line nearest the pointer and
/// its value at the pointer's x, when the pointer is within `HOVER_NEAR`
/// points of it on screen. `None` over empty plot area, far from every
/// line, or where no line is (before its first point, after its last):
/// the pointer's own position is never shown as if it were data, and the
/// hover does not jump to a point hours away.
pub fn nearest_line<'s>(
    lines: impl IntoIterator<Item = &'s [[f64; 2]]>,
    pointer: [f64; 2],
    to_screen: impl Fn([f64; 2]) -> egui::Pos2,
) -> Option<(usize, f64)> {
    let at = to_screen(pointer);
    let mut best: Option<(f32, usize, f64)> = None;
    for (i, pts) in lines.into_iter().enumerate() {
        let Some(y) = value_at(pts, pointer[0]) else { continue };
        let d = (to_screen([pointer[0], y]).y - at.y).abs();
        if d <= HOVER_NEAR && best.is_none_or(|(bd, ..)| d < bd) {
            best = Some((d, i, y));
        }
    }
    best.map(|(_, i, y)| (i, y))
}

/// A line's value at `x` (straight between its points; a step drawn as
/// corner points is its step), or `None` outside it.
fn value_at(pts: &[[f64; 2]], x: f64) -> Option<f64> {
    let after = pts.partition_point(|p| p[0] <= x);
    match (after.checked_sub(1).and_then(|i| pts.get(i)), pts.get(after)) {
        (Some(a), Some(b)) if b[0] > a[0] => Some(a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])),
        (Some(a), Some(_)) => Some(a[1]),
        // At the last point exactly.
        (Some(a), None) if (a[0] - x).abs() < 1e-9 => Some(a[1]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_legend_has_room_above_the_data() {
        // Nine rows of 19 points: the chart grows and the data stays below.
        let legend = 9.0 * 19.0 + 24.0;
        let (height, top) = legend_room(legend, 240.0, 600.0);
        assert!(height >= legend + 120.0);
        let data_top = (height - 28.0) * (1.0 - (600.0 / top) as f32);
        assert!(
            data_top >= legend - 0.5,
            "free above the data {data_top}, legend {legend}"
        );
        // A small legend keeps the usual headroom and height.
        assert_eq!(legend_room(40.0, 240.0, 10.0), (240.0, headroom(10.0)));
    }

    #[test]
    fn thinned_steps_keep_every_peak_and_trough_in_time_order() {
        // 100,000 steps, one spike up to 999 and one dip to -5 among them.
        let mut points: Vec<[f64; 2]> = (0..100_000).map(|i| [i as f64, (i % 7) as f64]).collect();
        points[12_345][1] = 999.0;
        points[67_890][1] = -5.0;
        let thin = thin_steps(points.clone(), 2_000);
        assert!(thin.len() <= 2_000, "{} points", thin.len());
        assert!(thin.windows(2).all(|w| w[0][0] <= w[1][0]), "in time order");
        assert!(thin.contains(&[12_345.0, 999.0]) && thin.contains(&[67_890.0, -5.0]));
        assert_eq!(thin.first(), points.first());
        assert_eq!(thin.last(), points.last());
        // A short series is kept whole.
        assert_eq!(thin_steps(points[..100].to_vec(), 2_000), points[..100].to_vec());
    }

    #[test]
    fn integer_marks_are_whole_numbers() {
        let m = integer_grid(GridInput {
            bounds: (-0.2, 1.3),
            base_step_size: 0.1,
        });
        assert_eq!(m.iter().map(|g| g.value).collect::<Vec<_>>(), vec![0.0, 1.0]);
        let m = integer_grid(GridInput {
            bounds: (0.0, 1000.0),
            base_step_size: 30.0,
        });
        assert!(m.iter().all(|g| g.value.fract() == 0.0 && g.value % 50.0 == 0.0));
    }

    #[test]
    fn a_one_day_chart_labels_its_date_once() {
        let first = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
        let m = integer_grid(GridInput {
            bounds: (-0.5, 0.5),
            base_step_size: 0.05,
        });
        let labels: Vec<String> = m
            .iter()
            .map(|g| day_label(first, *g))
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(labels, vec!["2026-06-01".to_string()]);
    }

    #[test]
    fn one_day_is_labelled_in_hours() {
        let origin = crate::core::enforcement::parse_time("2026-06-01T00:00:00Z").expect("t");
        let m = hour_grid(GridInput {
            bounds: (7.0, 17.0),
            base_step_size: 0.4,
        });
        let labels: Vec<String> = m.iter().map(|g| hour_label(origin, *g)).collect();
        assert!(labels.contains(&"08:00".to_string()), "{labels:?}");
        let mut unique = labels.clone();
        unique.dedup();
        assert_eq!(unique.len(), labels.len(), "no label repeats: {labels:?}");
    }
}
