//! The replay thread of `history import` alone, for profiling: the first
//! events of a file (read once into memory) replayed and summed up per
//! day, as each file of an import is.
//! `cargo run --release --example sumprobe -- DIR FILE [EVENTS] [ROUNDS]`
//! on a folder written by `demo generate --history-days 90` (DIR holds
//! workspace.ialws and license.I3Lic; FILE one of its monthly files).

// The same allocator as the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ia_licensing::core::history::summary::Summariser;
use ia_licensing::core::replay::{Event, EventSink};

/// Keeps the first `left` events.
struct First {
    events: Vec<Event>,
    left: usize,
}

impl EventSink for First {
    fn event(&mut self, e: Event) {
        if self.left > 0 {
            self.left -= 1;
            self.events.push(e);
        }
    }
    fn restart(&mut self) {
        self.events.clear();
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("DIR"));
    let file = std::path::PathBuf::from(args.next().expect("FILE"));
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_500_000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(3);
    let ws = ia_licensing::core::workspace::Workspace::load_path(&dir.join("workspace.ialws")).expect("workspace");
    let store = ia_licensing::core::license::TrustStore::with_demo();
    let text = std::fs::read(dir.join("license.I3Lic")).expect("license");
    let license = ia_licensing::core::license::License::load_bytes(
        &text,
        ia_licensing::core::license::LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("license");
    let mut first = First {
        events: Vec::with_capacity(n),
        left: n,
    };
    ia_licensing::core::replay::read_file(&file, &mut |_, _| true, &mut first).expect("events");
    let events = first.events;
    for _ in 0..rounds {
        // What the import's replay thread is given: events it owns.
        let t = std::time::Instant::now();
        let copies: Vec<Event> = events.clone();
        let copying = t.elapsed();
        let t = std::time::Instant::now();
        let mut s = Summariser::new(&license, &ws);
        for e in copies {
            s.event(e);
        }
        let summary = s.finish().expect("summary");
        eprintln!(
            "{} events: replayed and summed up in {:?} ({} days; copying them took {:?})",
            events.len(),
            t.elapsed(),
            summary.days.len(),
            copying
        );
    }
}
