#![no_main]
//! A usage history (`.ialhist`) is a file from anywhere: any bytes are
//! refused with a reason or read, never a panic or a hang (the schema is
//! checked, reads are interrupted after 2 s). Every read a face makes is
//! made on whatever opens.

use ia_licensing_core::history::History;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join("h.ialhist");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Ok(h) = History::open_read_only(&path) else { return };
    let _ = h.stored_license();
    let Ok(Some((first, last))) = h.span() else { return };
    if let Ok(days) = h.days(first, last) {
        for d in &days {
            assert!(d.date >= first && d.date <= last, "a day outside the span");
        }
    }
    let _ = h.periods(first, last);
    let _ = h.user_periods(first, last);
    let _ = h.daily_peaks(95.0);
});
