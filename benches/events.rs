//! Events files read as they go (#32): the history import and `usage` on
//! one million events over 10k users (86 MB, as `demo generate --events
//! 1000000` writes them), time in-process and the peak memory of the
//! release binary doing the same (`/usr/bin/time -v`'s "Maximum resident
//! set size", read here from the child's resource usage); with
//! `IA_BENCH_1GB=1` also 90 days for 100k users (three monthly files,
//! 1 GB, 11.6 M events). Run: `cargo bench --bench events`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;

// The same allocator as the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ia_licensing::core::demo_generate::{self as generate, Size};
use ia_licensing::core::history::{self, History};
use ia_licensing::core::license::{License, LoadOptions, TrustStore};
use ia_licensing::core::workspace::Workspace;

/// Writes a license and workspace for `users` users (and as many stations).
fn site(dir: &Path, users: usize) -> (PathBuf, PathBuf) {
    let g = generate::generate(Size {
        users,
        stations: users,
        workgroups: users / 50,
        seed: 7,
    })
    .expect("generate");
    let lic = dir.join("license.I3Lic");
    let ws = dir.join("workspace.ialws");
    std::fs::write(&lic, &g.license_text).expect("write");
    std::fs::write(&ws, serde_json::to_vec(&g.workspace).expect("json")).expect("write");
    (lic, ws)
}

fn load(lic: &Path, ws: &Path) -> (License, Workspace) {
    let store = TrustStore::with_demo();
    let license = License::load_bytes(
        &std::fs::read(lic).expect("read"),
        LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("license");
    (license, Workspace::load_path(ws).expect("workspace"))
}

fn import(license: &License, ws: &Workspace, files: &[PathBuf], to: &Path) {
    let _ = std::fs::remove_file(to);
    let mut store = History::open(to).expect("open");
    store
        .import_files(
            None,
            license,
            ws,
            files,
            &AtomicBool::new(false),
            &history::ImportProgress::default(),
        )
        .expect("import");
}

/// Runs the release binary under `/usr/bin/time` and returns its peak
/// resident memory in MB ("Maximum resident set size"). Not this process's
/// own child: a child's high-water mark starts with the image it was forked
/// from, and this one holds the generated events.
fn peak_mb(args: &[&str], dir: &Path) -> f64 {
    let out = dir.join("time.txt");
    let status = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o", s(&out), env!("CARGO_BIN_EXE_ia-licensing")])
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("/usr/bin/time (apt-get install time)");
    assert!(status.success(), "{args:?} failed");
    let kb: f64 = std::fs::read_to_string(&out)
        .expect("time's output")
        .trim()
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .expect("a size in KB");
    kb / 1024.0
}

fn s(p: &Path) -> &str {
    p.to_str().expect("path")
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tmp");
    // One million events over 10k users, in time order (86 MB).
    let (lic, ws_path) = site(dir.path(), 10_000);
    let events = dir.path().join("events.json");
    std::fs::write(
        &events,
        serde_json::to_vec(&generate::events(10_000, 1_000_000, 7)).expect("json"),
    )
    .expect("write");
    let (license, ws) = load(&lic, &ws_path);
    let scratch = dir.path().join("scratch.ialhist");
    let mut g = c.benchmark_group("events 10000 users, 1M events (86 MB)");
    g.sample_size(10);
    g.bench_function("history import (read as it goes, summed up, written)", |b| {
        b.iter_batched(
            || (),
            |()| import(&license, &ws, black_box(std::slice::from_ref(&events)), &scratch),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("replay read as it goes (usage's replay, totals kept)", |b| {
        b.iter(|| {
            ia_licensing::core::replay::replay_file(
                &license,
                &ws,
                black_box(&events),
                None,
                &mut |_, _| true,
                &mut ia_licensing::core::replay::Totals,
            )
            .expect("replay")
        })
    });
    g.finish();
    let hist = dir.path().join("peak.ialhist");
    let import_mb = peak_mb(
        &[
            "history",
            "import",
            "--workspace",
            s(&ws_path),
            "--license",
            s(&lic),
            "--history",
            s(&hist),
            "--events",
            s(&events),
        ],
        dir.path(),
    );
    let usage_mb = peak_mb(
        &[
            "usage",
            "--license",
            s(&lic),
            "--workspace",
            s(&ws_path),
            "--events",
            s(&events),
            "--format",
            "json",
        ],
        dir.path(),
    );
    eprintln!("peak memory, 86 MB events file: history import {import_mb:.0} MB, usage --format json {usage_mb:.0} MB");
    // The bars of #32 (memory is not the machine's mood: it is asserted).
    assert!(
        import_mb <= 200.0,
        "history import peaked at {import_mb:.0} MB (bar 200 MB)"
    );
    assert!(
        usage_mb <= 250.0,
        "usage --format json peaked at {usage_mb:.0} MB (bar 250 MB)"
    );
    drop(std::fs::remove_file(&events));

    if std::env::var_os("IA_BENCH_1GB").is_none() {
        eprintln!("(set IA_BENCH_1GB=1 for the 1 GB import: 90 days for 100k users)");
        return;
    }
    // 90 days for 100k users: three monthly files, 1 GB, 11.6 M events.
    let big = dir.path().join("big");
    std::fs::create_dir_all(&big).expect("dir");
    let (lic, ws_path) = site(&big, 100_000);
    let first = generate::history_start();
    let mut files = Vec::new();
    for (month, days) in [(1, 31), (2, 28), (3, 31)] {
        let from = first.with_month(month).expect("month");
        let to = from + chrono::Duration::days(days - 1);
        let path = big.join(format!("2026-{month:02}.json"));
        let events = generate::history_events(100_000, from, to, 7);
        std::fs::write(&path, serde_json::to_vec(&events).expect("json")).expect("write");
        files.push(path);
    }
    let (license, ws) = load(&lic, &ws_path);
    let mut g = c.benchmark_group("events 100000 users, 90 days (3 files, 1 GB)");
    g.sample_size(10);
    let scratch = big.join("scratch.ialhist");
    g.bench_function("history import", |b| {
        b.iter_batched(
            || (),
            |()| import(&license, &ws, black_box(&files), &scratch),
            BatchSize::PerIteration,
        )
    });
    g.finish();
    let hist = big.join("peak.ialhist");
    let mut args = vec![
        "history",
        "import",
        "--workspace",
        s(&ws_path),
        "--license",
        s(&lic),
        "--history",
        s(&hist),
        "--events",
    ];
    args.extend(files.iter().map(|f| s(f)));
    let big_mb = peak_mb(&args, &big);
    eprintln!("peak memory, 1 GB of events (3 files): history import {big_mb:.0} MB");
    assert!(big_mb <= 500.0, "the 1 GB import peaked at {big_mb:.0} MB (bar 500 MB)");
}

use chrono::Datelike;

criterion_group!(event_benches, benches);
criterion_main!(event_benches);
