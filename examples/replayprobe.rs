//! The replay of 1M generated events over 10k users, for profiling:
//! `cargo run --release --example replayprobe` (add `perf record -g`).

// The same allocator as the binary.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    use ia_licensing::core::demo_generate::{self as generate, Size};
    let g = generate::generate(Size {
        users: 10_000,
        stations: 10_000,
        workgroups: 200,
        seed: 7,
    })
    .expect("generate");
    let store = ia_licensing::core::license::TrustStore::with_demo();
    let license = ia_licensing::core::license::License::load_bytes(
        g.license_text.as_bytes(),
        ia_licensing::core::license::LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("license");
    let ws = ia_licensing::core::workspace::Workspace::from_value(g.workspace).expect("workspace");
    let events = generate::events(10_000, 1_000_000, 7);
    let rounds: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    for _ in 0..rounds {
        let t = std::time::Instant::now();
        let r = ia_licensing::core::replay::replay(&license, &ws, &events, None);
        eprintln!(
            "replay: {:?} ({} sessions, {} denials)",
            t.elapsed(),
            r.sessions.len(),
            r.denials.len()
        );
    }
}
