//! Reading events files as the history import does, phase by phase, for
//! profiling: `cargo run --release --example eventsprobe -- FILE…`
//! (`PROBE_MODE=parse` only parses).

// The same allocator as the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ia_licensing::core::replay::{Event, EventSink};

struct Count(usize);

impl EventSink for Count {
    fn event(&mut self, e: Event) {
        self.0 += e.user.len();
    }

    fn restart(&mut self) {
        self.0 = 0;
    }
}

fn main() {
    for path in std::env::args().skip(1) {
        let t = std::time::Instant::now();
        let mut sink = Count(0);
        let stats = ia_licensing::core::replay::read_file(std::path::Path::new(&path), &mut |_, _| true, &mut sink);
        match stats {
            Ok(s) => eprintln!(
                "{path}: parsed {} events in {:?} (sorted: {})",
                s.events,
                t.elapsed(),
                s.sorted
            ),
            Err(e) => eprintln!("{path}: {e:?}"),
        }
    }
}
