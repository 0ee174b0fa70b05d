//! Times the phases of a CSV import at N users (`cargo run --release --example csvprobe -- N`).
use std::time::Instant;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    use ia_licensing::core::{csv_io, document::Document, scale};
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
    let t = Instant::now();
    let r = csv_io::import(&mut doc, csv_io::Table::Users, &text, false).expect("import");
    eprintln!(
        "import (parse+apply) {:?} ({} imported, {} errors)",
        t.elapsed(),
        r.imported,
        r.errors.len()
    );
}
