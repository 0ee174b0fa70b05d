//! Phases of reading a usage history for the Usage History view: days,
//! periods, each user's categories per period, and the cost estimate.
//! `cargo run --release --example histprobe -- DIR` on a folder written by
//! `demo generate --history-days 365` and imported with `history import`.

fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "/tmp/hist".into()));
    let ws = ia_licensing::core::workspace::Workspace::load_path(&dir.join("workspace.ialws")).expect("workspace");
    let h = ia_licensing::core::history::History::open_read_only(&dir.join("workspace.ialhist")).expect("history");
    let (from, to) = h.span().expect("span").expect("days");
    let t = std::time::Instant::now();
    let days = h.days(from, to).expect("days");
    eprintln!("days: {} in {:?}", days.len(), t.elapsed());
    let t = std::time::Instant::now();
    let periods = h.periods(from, to).expect("periods");
    eprintln!("periods: {} in {:?}", periods.len(), t.elapsed());
    let t = std::time::Instant::now();
    let users = h.user_periods(from, to).expect("users");
    eprintln!("user periods: {} in {:?}", users.periods.len(), t.elapsed());
    let prices = ia_licensing::core::cost::PriceList {
        currency: "USD".into(),
        per_user_per_period: [("agent".to_string(), ia_licensing::core::cost::Cents(9500))].into(),
        per_assignable_license_per_month: [(
            "I3_LICENSE_BASIC_STATION".to_string(),
            ia_licensing::core::cost::Cents(500),
        )]
        .into(),
    };
    let t = std::time::Instant::now();
    let cost = ia_licensing::core::cost::estimate(&prices, users.iter(), &ws);
    eprintln!("estimate: {} periods in {:?}", cost.periods.len(), t.elapsed());
}
