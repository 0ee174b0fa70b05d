#![no_main]
//! The events loader, the session replay and the history's day summaries:
//! any text is parsed or refused, and a parsed script replays and sums up
//! per day against the demo data without a panic. The streaming reader
//! (events read as they go, in pieces of any size) takes exactly what the
//! whole-text parser takes, in the same order, with the same message.

use ia_licensing_core::license::TrustStore;
use ia_licensing_core::replay::{self, Event, ReadError};
use ia_licensing_core::workspace::Workspace;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The pieces the streaming reader reads in: 1 to 128 bytes, from the
    // input itself (so the seeds stay valid files).
    let piece = 1 + data.iter().fold(0usize, |a, b| a.wrapping_mul(31).wrapping_add(usize::from(*b))) % 128;
    let whole: Result<Vec<Event>, String> = match std::str::from_utf8(data) {
        Ok(text) => replay::parse_events(text).map_err(|e| e.to_string()),
        Err(_) => Err("not UTF-8".into()),
    };
    let mut streamed: Vec<Event> = Vec::new();
    let read = replay::read_bytes(data, piece, &mut streamed);
    match (&whole, read) {
        (Ok(events), Ok(stats)) => {
            assert_eq!(&streamed, events, "the same events in the same order");
            assert_eq!(stats.events, events.len());
        }
        (Err(e), Err(ReadError::Events(got))) => assert_eq!(&got.to_string(), e, "the same message"),
        (Err(e), Err(ReadError::NotUtf8)) => assert_eq!(e, "not UTF-8"),
        (whole, read) => panic!("whole-text {whole:?}, streamed {read:?}"),
    }
    let Ok(events) = whole else { return };
    let license = ia_licensing_core::demo::demo_license(&TrustStore::with_demo()).expect("demo");
    let ws = Workspace::from_json(ia_licensing_core::demo::DEMO_WORKSPACE).expect("demo workspace");
    let r = replay::replay(&license, &ws, &events, None);
    for (key, peak) in &r.peak {
        let pooled = license.allowance(key).map_or(0, |a| a.pooled);
        assert!(*peak <= pooled, "a pool never exceeds its size");
    }
    if let Some(summary) = ia_licensing_core::history::FileSummary::of(&license, &ws, &events) {
        assert_eq!(summary.days.len() as i64, (summary.last - summary.first).num_days() + 1);
        for day in &summary.days {
            for (key, k) in &day.keys {
                assert!(k.peak <= k.demand, "{key}: held more than wanted");
                assert!(k.allowance == 0 || k.peak <= k.allowance, "{key}: over the pool");
                assert!(k.minutes <= u64::from(k.peak) * 1440, "{key}: more minutes than a day holds");
            }
        }
        for (user, _, _) in &summary.user_days {
            assert!((*user as usize) < summary.logons.names.len(), "a counted user is named");
        }
    }
});
