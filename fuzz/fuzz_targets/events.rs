#![no_main]
//! The events loader, the session replay and the history's day summaries:
//! any text is parsed or refused, and a parsed script replays and sums up
//! per day against the demo data without a panic.

use ia_licensing::core::license::TrustStore;
use ia_licensing::core::replay;
use ia_licensing::core::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(events) = replay::parse_events(text) {
        let license = ia_licensing::core::demo::demo_license(&TrustStore::with_demo()).expect("demo");
        let ws = Workspace::from_json(ia_licensing::core::demo::DEMO_WORKSPACE).expect("demo workspace");
        let r = replay::replay(&license, &ws, &events, None);
        for (key, peak) in &r.peak {
            let pooled = license.allowance(key).map_or(0, |a| a.pooled);
            assert!(*peak <= pooled, "a pool never exceeds its size");
        }
        if let Some(summary) = ia_licensing::core::history::FileSummary::of(&license, &ws, &events) {
            assert_eq!(summary.days.len() as i64, (summary.last - summary.first).num_days() + 1);
            for day in &summary.days {
                for (key, k) in &day.keys {
                    assert!(k.peak <= k.demand, "{key}: held more than wanted");
                    assert!(k.allowance == 0 || k.peak <= k.allowance, "{key}: over the pool");
                    assert!(k.minutes <= u64::from(k.peak) * 1440, "{key}: more minutes than a day holds");
                }
            }
        }
    }
});
