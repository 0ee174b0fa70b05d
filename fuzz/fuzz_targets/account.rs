#![no_main]
//! The account file: any text parses or is refused with a reason, never a
//! panic; a parsed account's summary adds up, it writes back to the same
//! account, and upgrades and deactivations keep Used within Total.

use ia_licensing_core::account;
use ia_licensing_core::license::TrustStore;
use ia_licensing_core::license::signing::demo_issuer_key;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let trust = TrustStore::with_demo();
    let Ok((acct, _)) = account::parse(text, &trust) else { return };
    for row in acct.summary(None) {
        assert_eq!(row.total - row.used, row.available);
        assert!(row.used <= row.total, "{row:?}");
    }
    let again = serde_json::to_string(&acct).expect("serialise");
    assert_eq!(account::parse(&again, &trust).expect("round trip").0, acct);
    // Signed with the demo key, it reads back as the same account, DEMO.
    let signed = account::signed_text(&acct, &demo_issuer_key().expect("demo key")).expect("sign");
    let (back, status) = account::parse(&signed, &trust).expect("signed round trip");
    assert_eq!(back, acct);
    assert_eq!(status.status, account::AccountStatus::Demo);
    let mut up = acct.clone();
    if up.upgrade(&[], true, true).is_ok() {
        for row in up.summary(None) {
            assert!(row.used <= row.total, "after upgrade {row:?}");
        }
    }
    let mut off = acct.clone();
    if let Some(id) = off.activation_files.iter().find(|f| f.active).map(|f| f.id.clone()) {
        off.deactivate(&id).expect("active");
        for (a, b) in acct.summary(None).iter().zip(off.summary(None)) {
            assert!(b.available >= a.available);
        }
    }
});
