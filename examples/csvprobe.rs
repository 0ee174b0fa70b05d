//! Times the phases of a CSV import at N users (`cargo run --release --example csvprobe -- N`).
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    use ia_licensing::core::demo_generate as scale;
    use ia_licensing::core::{csv_io, document::Document};
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let g = scale::generate(scale::Size {
        users: n,
        stations: n,
        workgroups: (n / 50).max(5),
        seed: 7,
    })
    .expect("gen");
    let ws = ia_licensing::core::workspace::Workspace::from_json(&serde_json::to_string(&g.workspace).expect("j"))
        .expect("ws");
    let store = ia_licensing::core::license::TrustStore::with_demo();
    let lic = ia_licensing::core::license::License::load_bytes(
        g.license_text.as_bytes(),
        ia_licensing::core::license::LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("lic");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("d");
    let mut doc = Document::new(std::sync::Arc::new(lic), ws, today);
    let text = csv_io::export(doc.workspace(), csv_io::Table::Users).expect("csv");
    let text = text.replace(",User ", ",Person ");
    let t = Instant::now();
    let parsed = csv_io::parse(doc.workspace(), csv_io::Table::Users, &text).expect("parse");
    eprintln!(
        "parse {:?} ({} commands, {} errors)",
        t.elapsed(),
        parsed.commands.len(),
        parsed.errors.len()
    );
    // As the GUI applies it: parts of 4000 rows, one per frame.
    let text = text.replace(",Person ", ",Someone ");
    let rows = csv_io::read_rows(csv_io::Table::Users, &text, &mut |_| true)
        .expect("rows")
        .expect("all");
    let mut tx = doc.begin("import");
    let mut times = Vec::new();
    let mut rest = rows.rows.into_iter();
    loop {
        let t = Instant::now();
        let part: Vec<_> = rest.by_ref().take(4000).map(|r| r.command(doc.workspace())).collect();
        if part.is_empty() {
            break;
        }
        doc.apply_part(
            &mut tx,
            ia_licensing::core::command::Command::Batch {
                commands: part,
                label: None,
            },
        );
        times.push(t.elapsed());
    }
    let t = Instant::now();
    doc.commit(tx);
    let commit = t.elapsed();
    times.sort();
    eprintln!(
        "GUI parts: {} of 4000 rows, median {:?}, max {:?}; commit {:?}",
        times.len(),
        times[times.len() / 2],
        times[times.len() - 1],
        commit
    );
}
