//! Memory of the loaded parts at N users (`cargo run --release --example memprobe -- N`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("VmRSS") || l.starts_with("VmHWM"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = std::env::temp_dir().join(format!("memprobe-{n}"));
    if !dir.join("workspace.ialws").exists() {
        let g = ia_licensing::core::demo_generate::generate(ia_licensing::core::demo_generate::Size {
            users: n,
            stations: n,
            workgroups: (n / 50).max(5),
            seed: 7,
        })
        .expect("gen");
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(
            dir.join("workspace.ialws"),
            serde_json::to_string(&g.workspace).expect("json"),
        )
        .expect("w");
        std::fs::write(dir.join("license.I3Lic"), &g.license_text).expect("w");
        eprintln!("generated; rerun");
        return;
    }
    eprintln!("start        {}", rss());
    let ws = ia_licensing::core::workspace::Workspace::load_path(&dir.join("workspace.ialws")).expect("ws");
    eprintln!("workspace    {}", rss());
    let store = ia_licensing::core::license::TrustStore::with_demo();
    let lic = ia_licensing::core::license::License::load_path(
        &dir.join("license.I3Lic"),
        ia_licensing::core::license::LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("lic");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("d");
    let doc = ia_licensing::core::document::Document::new(std::sync::Arc::new(lic), ws, today);
    eprintln!("document     {}", rss());
    let _json = doc.to_file_json();
    eprintln!("save json    {}", rss());
}
