//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use ia_licensing::core::document::Document;
use ia_licensing::core::license::generate::{self, Order, Quantity};
use ia_licensing::core::license::{Level, License, LoadOptions, TrustStore};
use ia_licensing::core::workspace::Workspace;

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// A license with the given keys (`KEY=A+P`), loaded unsigned (training mode).
pub fn license_with(keys: &[&str]) -> Arc<License> {
    license_full(keys, &[], Level::Production, "G807test")
}

pub fn license_full(keys: &[&str], features: &[&str], level: Level, host: &str) -> Arc<License> {
    let order = Order {
        level,
        product_version: "2020 R2".into(),
        host_id: host.into(),
        machine: "testing".into(),
        switchover: None,
        system_type: "Media Server Based".into(),
        mail_connector: String::new(),
        company: "Test".into(),
        install_site: "Site".into(),
        generated_by: "tests".into(),
        generated: date(2026, 1, 1),
        expires: None,
        parts: vec![],
        licenses: keys.iter().map(|k| k.parse::<Quantity>().expect("quantity")).collect(),
        features: features.iter().map(|f| f.to_string()).collect(),
        ramp_date: None,
        grace_days: None,
        partner_development: false,
    };
    let file = generate::build(&order).expect("build license");
    let text = serde_json::to_string(&file).expect("serialise");
    let store = TrustStore::empty();
    Arc::new(
        License::load_bytes(
            text.as_bytes(),
            LoadOptions {
                trust: &store,
                allow_unsigned: true,
            },
        )
        .expect("load"),
    )
}

pub fn workspace(json: serde_json::Value) -> Workspace {
    Workspace::from_value(json).expect("workspace")
}

pub fn doc(license: Arc<License>, ws: serde_json::Value) -> Document {
    Document::new(license, workspace(ws), date(2026, 6, 1))
}

pub fn demo_doc() -> Document {
    let store = TrustStore::with_demo();
    let license = License::load_bytes(
        include_bytes!("../../assets/demo.I3Lic"),
        LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("demo license");
    let ws = Workspace::from_json(include_str!("../../assets/demo.ialws")).expect("demo workspace");
    Document::new(Arc::new(license), ws, date(2026, 11, 24))
}

/// A file in `assets/`.
pub fn asset(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets").join(name)
}

/// A path as the `&str` a command line takes.
pub fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

/// The `ia-licensing` binary, with its data folder (journals, recent
/// files) in a temporary folder of its own, never the user's.
pub fn bin() -> std::process::Command {
    let mut p = std::process::Command::new(env!("CARGO_BIN_EXE_ia-licensing"));
    p.env(
        "IA_LICENSING_DATA_DIR",
        std::env::temp_dir().join("ia-licensing-test-data"),
    );
    p
}

/// The one harness for tests that drive the whole app: a 1400×900 window
/// at 100 %, light theme (`start` runs the app in it).
pub fn harness_builder() -> egui_kittest::HarnessBuilder<ia_licensing::ui::app::App> {
    egui_kittest::Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_pixels_per_point(1.0)
        .with_theme(egui::Theme::Light)
}

/// The real `App` started as `startup` says in `builder`'s window, after
/// its first frames (a file given is loaded).
pub fn start(
    builder: egui_kittest::HarnessBuilder<ia_licensing::ui::app::App>,
    startup: ia_licensing::ui::app::Startup,
) -> egui_kittest::Harness<'static, ia_licensing::ui::app::App> {
    let mut h = builder.build_eframe(move |cc| ia_licensing::ui::app::App::new(cc, startup));
    h.step();
    h.state_mut().wait_for_loading();
    h.run();
    h
}

/// The app in the one harness.
pub fn app(startup: ia_licensing::ui::app::Startup) -> egui_kittest::Harness<'static, ia_licensing::ui::app::App> {
    start(harness_builder(), startup)
}

/// `app` on the demo data (`Startup::demo`: nothing kept on disk).
pub fn demo_app() -> egui_kittest::Harness<'static, ia_licensing::ui::app::App> {
    app(ia_licensing::ui::app::Startup::demo(TrustStore::with_demo()))
}
