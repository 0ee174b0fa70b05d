//! What the window's thread does for a large change and a save at 100k
//! users + 100k stations, without a window (`cargo run --release --example
//! frameprobe -- [N] [ROUNDS]`): a bulk Assign to every user applied and
//! undone a slice at a time as `ui::apply_job` steps it (a 7 ms budget a
//! frame), printing each run's frames over 10 ms and what its last frame
//! spent; then the save's parts (the loader's recheck, the file written).
use std::time::Instant;

use ia_licensing::core::document::Document;
use ia_licensing::core::subject::Subject;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn document(n: usize) -> Document {
    let g = ia_licensing::core::demo_generate::generate(ia_licensing::core::demo_generate::Size {
        users: n,
        stations: n,
        workgroups: (n / 50).max(5),
        seed: 7,
    })
    .expect("gen");
    let text = serde_json::to_string(&g.workspace).expect("json");
    let ws = ia_licensing::core::workspace::Workspace::from_json(&text).expect("ws");
    let store = ia_licensing::core::license::TrustStore::with_demo();
    let license = ia_licensing::core::license::License::load_bytes(
        g.license_text.as_bytes(),
        ia_licensing::core::license::LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("lic");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("d");
    Document::new(std::sync::Arc::new(license), ws, today)
}

/// Steps a run as the window does: slices until 7 ms have gone, a frame at
/// a time; returns each frame's milliseconds (the last one ends the run).
fn frames(doc: &mut Document, mut run: ia_licensing::core::document::Run) -> Vec<f64> {
    let budget = std::time::Duration::from_millis(7);
    let mut out = Vec::new();
    loop {
        let t = Instant::now();
        let mut done = run.is_done();
        let mut end_now = done;
        while !done {
            done = doc.run_slice(&mut run);
            // As `ui::apply_job`: the run ends in a frame of its own unless
            // half the budget is left.
            end_now = done && t.elapsed() < budget / 2;
            if t.elapsed() >= budget {
                break;
            }
        }
        if end_now {
            let slices = t.elapsed().as_secs_f64() * 1e3;
            let f = Instant::now();
            let end = doc.finish_run(run);
            let finish = f.elapsed().as_secs_f64() * 1e3;
            let f = Instant::now();
            drop(end);
            let dropped = f.elapsed().as_secs_f64() * 1e3;
            println!(
                "  last frame: slices {slices:.1} ms, finish_run {finish:.1} ms, its answer dropped {dropped:.1} ms"
            );
            out.push(t.elapsed().as_secs_f64() * 1e3);
            return out;
        }
        out.push(t.elapsed().as_secs_f64() * 1e3);
    }
}

fn report(what: &str, f: &[f64]) {
    let mut sorted = f.to_vec();
    sorted.sort_by(f64::total_cmp);
    let p99 = sorted[(sorted.len() * 99 / 100).min(sorted.len() - 1)];
    let slow: Vec<String> = f
        .iter()
        .enumerate()
        .filter(|(_, ms)| **ms > 10.0)
        .map(|(i, ms)| format!("#{i}:{ms:.1}"))
        .collect();
    println!(
        "{what}: {} frames, p99 {p99:.1} ms, max {:.1}, last {:.1}; over 10 ms: {}",
        f.len(),
        sorted[sorted.len() - 1],
        f[f.len() - 1],
        slow.join(" ")
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let rounds: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(2);
    let mut doc = document(n);
    let users: Vec<Subject> = doc
        .workspace()
        .users()
        .iter()
        .map(|u| Subject::user(u.id.clone()))
        .collect();
    // The bulk dialog's first key that changes most users (the frame
    // session's "Apply 71,450 changes"), or the one given.
    let key = args.get(3).cloned().unwrap_or_else(|| {
        let keys: Vec<String> = doc.license().allowances().iter().map(|a| a.key.to_string()).collect();
        let best = keys
            .iter()
            .map(|k| {
                let command = ia_licensing::core::command::Command::Assign {
                    subjects: users.clone(),
                    key: k.clone(),
                    method: None,
                };
                let changed = doc.clone().apply(command).map_or(0, |a| a.changed());
                (changed, k.clone())
            })
            .max()
            .expect("a key");
        println!("key {} changes {} users", best.1, best.0);
        best.1
    });
    for round in 0..rounds {
        let command = ia_licensing::core::command::Command::Assign {
            subjects: users.clone(),
            key: key.clone(),
            method: None,
        };
        let run = doc.start_run(command, 250);
        report(&format!("round {round} apply"), &frames(&mut doc, run));
        let run = doc.start_undo_run(250).expect("undo");
        report(&format!("round {round} undo"), &frames(&mut doc, run));
    }
    for _ in 0..rounds {
        let t = Instant::now();
        doc.check_saveable().expect("saveable");
        let check = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let mut bytes = Vec::new();
        doc.write_file_json(&mut bytes).expect("write");
        let json = t.elapsed().as_secs_f64() * 1e3;
        let path = std::env::temp_dir().join("frameprobe.ialws");
        let t = Instant::now();
        ia_licensing::core::fs::write_temporary(&path, ia_licensing::core::fs::Follow::Never, |w| {
            doc.write_file_json(w)
        })
        .and_then(|s| s.persist(true))
        .expect("file");
        let file = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "save: recheck {check:.1} ms, JSON {json:.1} ms ({} MB), file written and synced {file:.1} ms",
            bytes.len() / 1_000_000
        );
        let _ = std::fs::remove_file(&path);
        let _ = std::fs::remove_file(path.with_extension("ialws.bak"));
    }
}
