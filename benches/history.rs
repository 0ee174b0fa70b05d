//! Usage history at scale (#20): a generated year for 10k users (one events
//! file per month, as `demo generate --history-days 365` writes them)
//! imported into a fresh `.ialhist`, its size, and the first frame of the
//! Usage History view over the whole year; the Genesys Cloud estimate over
//! that year (#33: reading the logged-on minutes, the estimate itself, and
//! a frame of its view). Run: `cargo bench --bench history`.

// The harness the tests build the app with, shared rather than copied;
// a bench uses only part of the helpers.
#[allow(dead_code)]
#[path = "../tests/it/util.rs"]
mod util;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

// The same allocator as the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use chrono::{Datelike, Duration};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ia_licensing::core::cloud::{self, CloudSettings, EstimateInput};
use ia_licensing::core::demo_generate::{self as generate, Size};
use ia_licensing::core::history::{self, History};
use ia_licensing::core::license::{License, LoadOptions, TrustStore};
use ia_licensing::core::workspace::Workspace;
use ia_licensing::ui::app::{Nav, Startup};
use ia_licensing::ui::views::history::Span;

const USERS: usize = 10_000;

/// Writes the license, workspace and twelve monthly events files.
fn generate_year(dir: &Path) -> (PathBuf, PathBuf, Vec<PathBuf>) {
    let mut g = generate::generate(Size {
        users: USERS,
        stations: USERS,
        workgroups: USERS / 50,
        seed: 7,
    })
    .expect("generate");
    // A price list, so the view's first frame includes the cost per
    // period and workgroup (each user's categories over the year).
    g.workspace["price_list"] = serde_json::json!({"currency": "USD",
        "per_user_per_period": {"agent": 95, "business-user": 35, "supervisor": 20, "recorder": 12},
        "per_assignable_license_per_month": {"I3_LICENSE_BASIC_STATION": 5}});
    let lic = dir.join("site.I3Lic");
    let ws = dir.join("site.ialws");
    std::fs::write(&lic, &g.license_text).expect("write");
    std::fs::write(&ws, serde_json::to_vec(&g.workspace).expect("json")).expect("write");
    let mut files = Vec::new();
    let first = generate::history_start();
    let last = first + Duration::days(364);
    let mut month = first;
    while month <= last {
        let next = (month.with_day(1).expect("day") + Duration::days(32))
            .with_day(1)
            .expect("day");
        let end = (next - Duration::days(1)).min(last);
        let events = generate::history_events(USERS, month, end, 7);
        let path = dir.join(format!("{}.json", month.format("%Y-%m")));
        std::fs::write(&path, serde_json::to_vec(&events).expect("json")).expect("write");
        files.push(path);
        month = next;
    }
    (lic, ws, files)
}

fn import(license: &License, ws: &Workspace, files: &[PathBuf], to: &Path) {
    let cancel = AtomicBool::new(false);
    let mut store = History::open(to).expect("open");
    store
        .import_files(None, license, ws, files, &cancel, &history::ImportProgress::default())
        .expect("import");
}

/// The bytes of every `day_logons` BLOB (the logged-on minutes' share).
fn logons_bytes(path: &Path) -> i64 {
    let conn = rusqlite::Connection::open(path).expect("db");
    conn.query_row("SELECT coalesce(sum(length(data)), 0) FROM day_logons", [], |r| {
        r.get(0)
    })
    .expect("sum")
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tmp");
    let (lic, ws, files) = generate_year(dir.path());
    let store = TrustStore::with_demo();
    let license = License::load_bytes(
        &std::fs::read(&lic).expect("read"),
        LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("license");
    let workspace = Workspace::load_path(&ws).expect("workspace");
    let mut g = c.benchmark_group("history 10000 users");
    g.sample_size(10);
    let scratch = dir.path().join("scratch.ialhist");
    g.bench_function("import a year (12 monthly files)", |b| {
        b.iter_batched(
            || {
                let _ = std::fs::remove_file(&scratch);
            },
            |()| import(&license, &workspace, black_box(&files), &scratch),
            BatchSize::PerIteration,
        )
    });
    // The size check: a year must fit in 60 MB with each user's logged-on
    // minutes (#33; 20 MB for the summaries alone before schema 2).
    let kept = history::path_for(&ws);
    import(&license, &workspace, &files, &kept);
    let size = std::fs::metadata(&kept).expect("size").len();
    eprintln!("history of a year, {USERS} users: {:.1} MB", size as f64 / 1e6);
    assert!(size <= 60_000_000, "the history is {size} bytes, over 60 MB");
    {
        let store = History::open_read_only(&kept).expect("open");
        let blobs = logons_bytes(&kept);
        eprintln!("of which logged-on minutes (BLOB bytes): {:.1} MB", blobs as f64 / 1e6);
        let (first, last) = store.span().expect("span").expect("days");
        g.bench_function("Genesys Cloud estimate: read the year's logged-on minutes", |b| {
            b.iter(|| black_box(store.logons(first, last).expect("logons")))
        });
        let logons = store.logons(first, last).expect("logons");
        let settings = CloudSettings {
            prices: Some(cloud::prices::example().expect("example")),
            waves: vec![cloud::Wave {
                name: "Pilot".into(),
                date: first + Duration::days(90),
                workgroups: (0..20).map(|i| format!("WG-{i:04}")).collect(),
                users: vec![],
            }],
            ..Default::default()
        };
        g.bench_function(
            "Genesys Cloud estimate: 12 calendar months, example prices, one wave",
            |b| {
                b.iter(|| {
                    black_box(cloud::estimate(
                        &EstimateInput {
                            ws: &workspace,
                            settings: &settings,
                            logons: &logons,
                            from: first,
                            to: last,
                            history: (first, last),
                        },
                        &|_, _| {},
                    ))
                })
            },
        );
    }
    // The view's first frame over the whole year (reading it included).
    // The tests' one harness (`tests/it/util.rs`), in its default theme.
    let mut h = util::build_app(
        util::WINDOW,
        egui::Theme::Dark,
        Startup {
            file: Some(lic),
            workspace: Some(ws),
            view: Some(Nav::Users),
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    h.state_mut().wait_for_loading();
    h.state_mut().set_show_warnings(false);
    h.run();
    for (span, name) in [
        (Span::Quarter, "Usage History view: first frame (opens on a quarter)"),
        (Span::All, "Usage History view: first frame, the whole year"),
    ] {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = std::time::Duration::ZERO;
                for _ in 0..iters {
                    let app = h.state_mut();
                    app.reset_history_view(span);
                    app.set_nav(Nav::UsageHistory);
                    let start = std::time::Instant::now();
                    h.step();
                    total += start.elapsed();
                }
                total
            })
        });
    }
    let loaded = h
        .state()
        .views()
        .history_view
        .loaded()
        .expect("the view read the history");
    assert_eq!(loaded.days.len(), 365);
    assert!(loaded.cost.as_ref().is_some_and(|c| c.periods.len() == 13));
    // The Genesys Cloud estimate view: the whole run off the UI thread
    // (reading and estimating), then a frame with the year's estimate.
    h.state_mut().set_nav(Nav::CloudEstimate);
    let started = std::time::Instant::now();
    h.step();
    while h.state().views().cloud_view.busy() {
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    eprintln!(
        "Genesys Cloud estimate view: the year read and estimated on the worker in {:.2} s",
        started.elapsed().as_secs_f64()
    );
    assert_eq!(
        h.state().views().cloud_view.estimate().expect("estimate").periods.len(),
        12,
        "calendar months"
    );
    g.bench_function("Genesys Cloud estimate view: a frame with the year's estimate", |b| {
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                let start = std::time::Instant::now();
                h.step();
                total += start.elapsed();
            }
            total
        })
    });
    g.finish();
}

criterion_group!(history_benches, benches);
criterion_main!(history_benches);
