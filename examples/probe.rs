//! Times the phases of loading and recounting a generated workspace
//! (`cargo run --release --example probe -- N`), for profiling.
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The generated data of size `n` (as `benches/scale.rs`).
fn generated(n: usize) -> ia_licensing::core::demo_generate::Generated {
    ia_licensing::core::demo_generate::generate(ia_licensing::core::demo_generate::Size {
        users: n,
        stations: n,
        workgroups: (n / 50).max(5),
        seed: 7,
    })
    .expect("gen")
}

/// The generated license, verified against the demo key.
fn license_of(text: &str) -> ia_licensing::core::license::License {
    let store = ia_licensing::core::license::TrustStore::with_demo();
    ia_licensing::core::license::License::load_bytes(
        text.as_bytes(),
        ia_licensing::core::license::LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("lic")
}

/// Recount, load and drop at 10k and 100k, alternating in one process (so
/// both see the same machine): prints the 25th percentile of each and their
/// ratio.
fn growth(rounds: usize) {
    let setup = |n: usize| {
        let g = generated(n);
        let text = serde_json::to_string(&g.workspace).expect("json");
        let ws = ia_licensing::core::workspace::Workspace::from_json(&text).expect("ws");
        (ws, license_of(&g.license_text), text)
    };
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("d");
    let small = setup(10_000);
    let big = setup(100_000);
    let (mut build, mut load) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    let mut dropped = [Vec::new(), Vec::new()];
    for _ in 0..rounds {
        for (i, (ws, lic, text)) in [&small, &big].into_iter().enumerate() {
            for _ in 0..if i == 0 { 10 } else { 1 } {
                let t = Instant::now();
                let e = ia_licensing::core::engine::Engine::build(ws, lic, today);
                build[i].push(t.elapsed().as_secs_f64() * 1e3);
                drop(e);
                let t = Instant::now();
                let w = ia_licensing::core::workspace::Workspace::from_json(text).expect("ws");
                load[i].push(t.elapsed().as_secs_f64() * 1e3);
                let t = Instant::now();
                drop(w);
                dropped[i].push(t.elapsed().as_secs_f64() * 1e3);
            }
        }
    }
    for (what, v) in [("recount", &mut build), ("load", &mut load), ("drop", &mut dropped)] {
        let p25 = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 4]
        };
        let (a, b) = (p25(&mut v[0]), p25(&mut v[1]));
        eprintln!("{what}: 10k {a:.3} ms, 100k {b:.3} ms, growth x{:.2}", b / a);
    }
}

fn main() {
    if let Some(rounds) = std::env::var("PROBE_GROWTH").ok().and_then(|s| s.parse::<usize>().ok()) {
        growth(rounds);
        return;
    }
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let g = generated(n);
    let text = serde_json::to_string(&g.workspace).expect("json");
    if let Some(rounds) = std::env::var("PROBE_LOAD").ok().and_then(|s| s.parse::<usize>().ok()) {
        // Only the workspace load, timed (for profiling).
        for _ in 0..rounds {
            let t = Instant::now();
            let ws = ia_licensing::core::workspace::Workspace::from_json(&text).expect("ws");
            eprintln!("load {:?}", t.elapsed());
            drop(ws);
        }
        return;
    }
    let t = Instant::now();
    let v: serde_json::Value = serde_json::from_str(&text).expect("value");
    eprintln!("value parse {:?}", t.elapsed());
    let t = Instant::now();
    ia_licensing::core::fileio::reject_duplicate_keys(&text).expect("dups");
    eprintln!("dup check {:?}", t.elapsed());
    let t = Instant::now();
    let ws = ia_licensing::core::workspace::Workspace::from_value(v).expect("ws");
    eprintln!("from_value {:?}", t.elapsed());
    let t = Instant::now();
    let ws2 = ia_licensing::core::workspace::Workspace::from_json(&text).expect("ws");
    eprintln!("from_json (whole load) {:?}", t.elapsed());
    assert!(ws2 == ws);
    let lic = license_of(&g.license_text);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("d");
    if let Some(rounds) = std::env::var("PROBE_BULK").ok().and_then(|s| s.parse::<usize>().ok()) {
        // A 10k-user bulk assign on a fresh document, timed (for profiling).
        let doc = ia_licensing::core::document::Document::new(std::sync::Arc::new(lic), ws, today);
        let subjects: Vec<_> = doc
            .workspace()
            .users()
            .iter()
            .take(10_000)
            .map(|u| ia_licensing::core::subject::Subject::user(u.id.clone()))
            .collect();
        if std::env::var("PROBE_PREVIEW").is_ok() {
            // The Bulk Assign dialog's preview: the command and its inverse.
            let mut d = doc.clone();
            for _ in 0..rounds {
                let t = Instant::now();
                let r = d.preview(&ia_licensing::core::command::Command::Assign {
                    subjects: subjects.clone(),
                    key: "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN".into(),
                    method: None,
                });
                eprintln!("preview {:?} ok={}", t.elapsed(), r.is_ok());
            }
            return;
        }
        for _ in 0..rounds {
            let mut d = doc.clone();
            let t = Instant::now();
            let r = d.apply(ia_licensing::core::command::Command::Assign {
                subjects: subjects.clone(),
                key: "I3_ACCESS_WORKGROUP_SUPERVISOR_PLUGIN".into(),
                method: None,
            });
            eprintln!("bulk {:?} ok={}", t.elapsed(), r.is_ok());
            drop(d);
        }
        return;
    }
    let rounds = std::env::var("PROBE_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    for _ in 0..rounds {
        let t = Instant::now();
        let e = ia_licensing::core::engine::Engine::build(&ws, &lic, today);
        eprintln!("engine build {:?} ({} diags)", t.elapsed(), e.totals().1);
    }
}
