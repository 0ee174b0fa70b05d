//! Each view drawn on its own through the `View` trait (no App around it),
//! on the demo data with a fixed clock, and snapshotted in light and dark.

use egui_kittest::{Harness, SnapshotResults};
use ia_licensing::core::document::Document;
use ia_licensing::core::enforcement::SimClock;
use ia_licensing::ui::views::enforcement::Clock;
use ia_licensing::ui::views::{self, Action, View, ViewContext};

use crate::util::demo_doc;

struct Screen {
    view: Box<dyn View>,
    doc: Document,
    clock: Clock,
    actions: Vec<Action>,
}

fn screens() -> Vec<(&'static str, Box<dyn View>)> {
    vec![
        ("license_management", Box::new(views::license::LicenseView::default())),
        (
            "licenses_allocation",
            Box::new(views::allocation::AllocationView::default()),
        ),
        ("users", Box::new(views::users::UsersView::default())),
        ("stations", Box::new(views::stations::StationsView::default())),
        ("workgroups", Box::new(views::workgroups::WorkgroupsView::default())),
        (
            "cloud_enforcement",
            Box::new(views::enforcement::EnforcementView::default()),
        ),
        (
            "license_statistics",
            Box::new(views::statistics::StatisticsView::default()),
        ),
        ("usage_billing", Box::new(views::usage::UsageView::default())),
        ("change_log", Box::new(views::changelog::ChangeLogView::default())),
        ("genesys_cloud_estimate", Box::new(views::cloud::CloudView::default())),
    ]
}

#[test]
fn every_view_draws_on_its_own_in_light_and_dark() {
    let mut results = SnapshotResults::new();
    for dark in [false, true] {
        for (name, view) in screens() {
            let at = ia_licensing::core::enforcement::parse_time("2026-03-02T09:00:00Z").expect("time");
            let screen = Screen {
                view,
                doc: demo_doc(),
                clock: Clock::Simulated(SimClock::new(at)),
                actions: Vec::new(),
            };
            let mut h = Harness::builder()
                .with_size(egui::vec2(1100.0, 700.0))
                .with_pixels_per_point(1.0)
                .with_theme(if dark { egui::Theme::Dark } else { egui::Theme::Light })
                .build_ui_state(
                    |ui, s: &mut Screen| {
                        // A panel, as in the app, so the theme's background shows.
                        egui::CentralPanel::default().show(ui, |ui| {
                            let mut cx = ViewContext {
                                doc: &s.doc,
                                locked: false,
                                clock: &mut s.clock,
                                simulation: None,
                                history_path: None,
                            };
                            s.view.ui(ui, &mut cx, &mut s.actions);
                        });
                    },
                    screen,
                );
            h.run();
            assert!(h.state().actions.is_empty(), "{name}: drawing asks for nothing");
            let theme = if dark { "dark" } else { "light" };
            results.add(h.try_snapshot(format!("view_{name}_{theme}")));
        }
    }
}
