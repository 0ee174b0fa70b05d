#![no_main]
//! The license parser and verifier: any bytes give a license or a refusal
//! with a one-line reason, never a panic; a loaded license re-serialises.

use ia_licensing_core::license::{License, LoadOptions, TrustStore};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let store = TrustStore::with_demo();
    for allow_unsigned in [false, true] {
        match License::load_bytes(data, LoadOptions { trust: &store, allow_unsigned }) {
            Ok(l) => {
                let _ = serde_json::to_string(&l.file);
                let _ = l.allowances().len();
            }
            Err(r) => assert!(!r.reason.contains('\n'), "multi-line reason: {r}"),
        }
    }
});
