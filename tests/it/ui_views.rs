//! Each view drawn on its own through the `View` trait (no App around it),
//! on the demo data with a fixed clock, and snapshotted in light and dark.
//! The views come from the one list (`views::Nav::ALL`), so a view added
//! there is snapshotted here the day it exists; each snapshot's name holds
//! its `--view` name.

use egui_kittest::SnapshotResults;
use ia_licensing::core::document::Document;
use ia_licensing::core::enforcement::SimClock;
use ia_licensing::ui::views::enforcement::Clock;
use ia_licensing::ui::views::{Action, Nav, ViewContext, Views};

use crate::util::demo_doc;

struct Screen {
    views: Views,
    nav: Nav,
    doc: Document,
    clock: Clock,
    actions: Vec<Action>,
}

#[test]
fn every_view_draws_on_its_own_in_light_and_dark() {
    let mut results = SnapshotResults::new();
    for dark in [false, true] {
        for &nav in Nav::ALL {
            let name = nav.name();
            let at = ia_licensing::core::enforcement::parse_time("2026-03-02T09:00:00Z").expect("time");
            let screen = Screen {
                views: Views::default(),
                nav,
                doc: demo_doc(),
                clock: Clock::Simulated(SimClock::new(at)),
                actions: Vec::new(),
            };
            let mut h = crate::util::window(egui::vec2(1100.0, 700.0))
                .with_theme(if dark { egui::Theme::Dark } else { egui::Theme::Light })
                .build_ui_state(
                    |ui, s: &mut Screen| {
                        // A panel, as in the app, so the theme's background shows.
                        egui::CentralPanel::default().show(ui, |ui| {
                            let mut cx = ViewContext {
                                doc: &s.doc,
                                locked: false,
                                read_only: None,
                                keys: false,
                                clock: &mut s.clock,
                                simulation: None,
                                history_path: None,
                                license_source: None,
                                limits: &Default::default(),
                            };
                            s.views.get_mut(s.nav).ui(ui, &mut cx, &mut s.actions);
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

/// Every picture in tests/snapshots is one a test still takes: a view
/// renamed or removed leaves no stale snapshot that nothing compares.
#[test]
fn no_snapshot_is_left_without_its_test() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut sources = String::new();
    for e in std::fs::read_dir(root.join("tests/it")).expect("tests") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "rs") {
            sources.push_str(&std::fs::read_to_string(&p).expect("read"));
        }
    }
    let mut stale = Vec::new();
    for e in std::fs::read_dir(root.join("tests/snapshots")).expect("snapshots") {
        let name = e.expect("entry").file_name().to_string_lossy().to_string();
        let Some(stem) = name.strip_suffix(".png") else {
            continue;
        };
        if stem.ends_with(".new") || stem.ends_with(".diff") || stem.ends_with(".old") {
            continue;
        }
        let base = stem.trim_end_matches("_light").trim_end_matches("_dark");
        // `view_<view>` (a view on its own), `app_<view>` (in the app).
        let by_view = ["view_", "app_"]
            .iter()
            .filter_map(|prefix| base.strip_prefix(prefix))
            .any(|v| Nav::ALL.iter().any(|n| n.name() == v));
        let named = sources.contains(&format!("\"{stem}\"")) || sources.contains(&format!("\"{base}"));
        if !by_view && !named {
            stale.push(stem.to_string());
        }
    }
    assert!(stale.is_empty(), "snapshots no test takes: {stale:?}");
}
