//! The license file: verification outcomes, semantic checks, tampering.

use ia_licensing::core::license::generate::{self, Order, Quantity};
use ia_licensing::core::license::signing::{self, IssuerKey};
use ia_licensing::core::license::{License, LoadOptions, SignatureStatus, TrustStore, Verdict};
use proptest::prelude::*;
use serde_json::Value;

const DEMO: &[u8] = include_bytes!("../../assets/demo.I3Lic");
const DEMO_VC: &[u8] = include_bytes!("../../assets/demo-virtual-cloud.I3Lic");
const DEMO_KEY: &str = include_str!("../../assets/keys/demo-issuer.key");

fn load(bytes: &[u8]) -> Result<License, ia_licensing::core::license::Refusal> {
    let store = TrustStore::with_demo();
    License::load_bytes(
        bytes,
        LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
}

fn outcome(bytes: &[u8]) -> Verdict {
    match load(bytes) {
        Ok(_) => panic!("expected a refusal"),
        Err(r) => r.outcome,
    }
}

fn demo_value() -> Value {
    serde_json::from_slice(DEMO).expect("demo is JSON")
}

/// Re-signs a document with the demo key (to test semantic checks on signed files).
fn resign(mut v: Value) -> Vec<u8> {
    let key = IssuerKey::from_json(DEMO_KEY).expect("demo key");
    v.as_object_mut().expect("object").remove("signature");
    let sig = key.sign(&v).expect("sign");
    v["signature"] = serde_json::to_value(sig).expect("sig");
    serde_json::to_vec_pretty(&v).expect("ser")
}

#[test]
fn demo_reproduces_the_seed_view_license_page() {
    // Seed rules LTR-514-view-license-page, LTR-547-example-licenses, LTR-548-conferece-spelling,
    // LTR-716-license-defines (docs/seed-rules.md).
    let l = load(DEMO).expect("demo loads");
    assert!(l.signature.is_demo());
    assert_eq!(l.file.server.host_id, "G807test");
    assert_eq!(l.file.server.machine_name, "testing");
    assert_eq!(l.file.features.len(), 7);
    let expect = [
        ("I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN", 10, 6),
        ("I3_LICENSE_CONFERECE_SESSION_ADDON", 100, 0),
        ("I3_ACCESS_CLIENT", 170, 0),
        ("I3_ACCESS_ACD_MEDIA_3_PLUS", 120, 0),
        ("I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT", 120, 0),
        ("I3_LICENSE_MEDIA_SESSION_ADDON", 120, 0),
        ("I3_LICENSE_BASIC_STATION", 170, 0),
        ("I3_LICENSE_ADVANCED_SESSION_ADDON", 100, 0),
    ];
    assert_eq!(l.allowances().len(), expect.len());
    for (key, a, p) in expect {
        let got = l.allowance(key).unwrap_or_else(|| panic!("{key} missing"));
        assert_eq!((got.assigned, got.pooled), (a, p), "{key}");
    }
    assert!(l.warnings.is_empty(), "{:?}", l.warnings);
}

#[test]
fn virtual_cloud_demo_loads_without_host_id() {
    // Seed rules LTR-643-host-id-required, LTR-1033-virtual-cloud-no-host-id, LTR-1783-example-grace,
    // SUB-39-virtual-cloud-not-tied (docs/seed-rules.md).
    let l = load(DEMO_VC).expect("vc demo loads");
    assert!(l.is_virtual_cloud());
    assert!(l.file.server.host_id.is_empty());
    let vc = l.file.virtual_cloud.as_ref().expect("vc section");
    assert_eq!(vc.grace_period_days, 7);
}

#[test]
fn reformatted_or_reordered_file_still_verifies() {
    let v = demo_value();
    let compact = serde_json::to_vec(&v).expect("compact");
    assert!(load(&compact).is_ok());
    // Reverse key order of every object.
    fn reverse(v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(m.iter().rev().map(|(k, v)| (k.clone(), reverse(v))).collect()),
            Value::Array(a) => Value::Array(a.iter().map(reverse).collect()),
            other => other.clone(),
        }
    }
    let reordered = serde_json::to_vec_pretty(&reverse(&v)).expect("reordered");
    assert_ne!(reordered, DEMO);
    assert!(load(&reordered).is_ok());
}

#[test]
fn unsigned_is_refused_unless_training_mode() {
    let mut v = demo_value();
    v.as_object_mut().expect("object").remove("signature");
    let bytes = serde_json::to_vec(&v).expect("ser");
    assert_eq!(outcome(&bytes), Verdict::Unsigned);
    let store = TrustStore::with_demo();
    let l = License::load_bytes(
        &bytes,
        LoadOptions {
            trust: &store,
            allow_unsigned: true,
        },
    )
    .expect("training mode");
    assert_eq!(l.signature, SignatureStatus::Unsigned);
}

#[test]
fn unknown_signer_and_trusting_a_new_key() {
    let (secret, public) = signing::generate_key_pair(Some("acme-licensing")).expect("keygen");
    let key = IssuerKey::from_json(&serde_json::to_string(&secret).expect("ser")).expect("key");
    let mut v = demo_value();
    v.as_object_mut().expect("object").remove("signature");
    v["signature"] = serde_json::to_value(key.sign(&v).expect("sign")).expect("sig");
    let bytes = serde_json::to_vec(&v).expect("ser");
    assert_eq!(outcome(&bytes), Verdict::UnknownSigner);
    let mut store = TrustStore::with_demo();
    let (id, vk) = signing::parse_public_key(&serde_json::to_string(&public).expect("ser")).expect("pub");
    store.add(id, vk).expect("add");
    let l = License::load_bytes(
        &bytes,
        LoadOptions {
            trust: &store,
            allow_unsigned: false,
        },
    )
    .expect("trusted");
    assert_eq!(
        l.signature.issuer().map(|i| i.name().to_string()),
        Some("acme-licensing".into())
    );
    assert!(!l.signature.is_demo());
}

#[test]
fn the_demo_key_is_not_trusted_by_an_empty_store() {
    let store = TrustStore::empty();
    let r = License::load_bytes(
        DEMO,
        LoadOptions {
            trust: &store,
            allow_unsigned: true,
        },
    )
    .expect_err("refused");
    assert_eq!(r.outcome, Verdict::UnknownSigner);
}

#[test]
fn malformed_inputs_name_the_problem() {
    for (bytes, needle) in [
        (&b""[..], "empty"),
        (&b"   \n"[..], "empty"),
        (&b"\xEF\xBB\xBF{}"[..], "byte-order mark"),
        (&b"\xff\xfe\x00binary"[..], "not UTF-8"),
        (&b"{\"format\": 1,"[..], "line 1 column"),
        (&b"[1,2,3]"[..], "license file shape"),
        (&b"{\"a\":\"\0\"}"[..], "NUL"),
    ] {
        let r = load(bytes).expect_err("refused");
        assert_eq!(r.outcome, Verdict::Malformed, "{r}");
        assert!(r.reason.contains(needle), "{needle}: {r}");
        assert!(!r.reason.contains('\n'), "one line: {r}");
    }
}

#[test]
fn wrong_shape_names_line_and_column() {
    let mut v = demo_value();
    v.as_object_mut().expect("object").remove("signature");
    v["licenses"][0]["assigned"] = Value::String("many".into());
    let text = serde_json::to_string_pretty(&v).expect("ser");
    let r = load(text.as_bytes()).expect_err("refused");
    assert_eq!(r.outcome, Verdict::Malformed);
    assert!(r.reason.contains("line") && r.reason.contains("column"), "{r}");
}

#[test]
fn semantic_problems_are_invalid() {
    // Seed rules LTR-643-host-id-required, LTR-1635-upload-license-host-id, LTR-1648-virtual-cloud-also-requires,
    // LTR-1660-traditional-host-id, SUB-29-upload-or-manual, SUB-58-traditional-host-id (docs/seed-rules.md).
    type Mutation = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Mutation)> = vec![
        ("negative", Box::new(|v| v["licenses"][0]["assigned"] = (-1).into())),
        (
            "absurd",
            Box::new(|v| v["licenses"][0]["assigned"] = 5_000_000_000i64.into()),
        ),
        (
            "listed twice",
            Box::new(|v| {
                let first = v["licenses"][0].clone();
                v["licenses"].as_array_mut().expect("array").push(first);
            }),
        ),
        (
            "missing",
            Box::new(|v| {
                v["features"]
                    .as_array_mut()
                    .expect("array")
                    .push("I3_FEATURE_VIRTUAL_CLOUD".into())
            }),
        ),
        ("before `generated`", Box::new(|v| v["expires"] = "2000-01-01".into())),
        ("host ID", Box::new(|v| v["server"]["host_id"] = "".into())),
        ("never concurrent", Box::new(|v| v["licenses"][0]["pooled"] = 3.into())),
        ("newer version", Box::new(|v| v["format"] = 2.into())),
        ("trial", Box::new(|v| v["level"] = "trial".into())),
    ];
    for (needle, mutate) in cases {
        let mut v = demo_value();
        mutate(&mut v);
        let r = load(&resign(v)).expect_err(needle);
        assert_eq!(r.outcome, Verdict::Invalid, "{needle}: {r}");
        assert!(r.reason.contains(needle), "{needle}: {r}");
    }
}

#[test]
fn unknown_keys_are_kept_with_a_warning() {
    let mut v = demo_value();
    v["licenses"]
        .as_array_mut()
        .expect("array")
        .push(serde_json::json!({"key": "I3_ACCESS_FUTURE_THING", "assigned": 3, "pooled": 2}));
    v["features"]
        .as_array_mut()
        .expect("array")
        .push("I3_FEATURE_FUTURE".into());
    let l = load(&resign(v)).expect("loads");
    assert_eq!(
        l.allowance("I3_ACCESS_FUTURE_THING").map(|a| (a.assigned, a.pooled)),
        Some((3, 2))
    );
    assert!(l.has_feature("I3_FEATURE_FUTURE"));
    assert_eq!(l.warnings.len(), 2, "{:?}", l.warnings);
}

#[test]
fn concurrent_suffix_is_the_pooled_count_of_its_base_key() {
    // Seed rule LTR-1452-part-al04 (docs/seed-rules.md).
    let mut v = demo_value();
    v["licenses"]
        .as_array_mut()
        .expect("array")
        .push(serde_json::json!({"key": "I3_ACCESS_ACD_MEDIA_1", "assigned": 5}));
    v["licenses"]
        .as_array_mut()
        .expect("array")
        .push(serde_json::json!({"key": "I3_ACCESS_ACD_MEDIA_1_CONCURRENT", "assigned": 25}));
    let l = load(&resign(v.clone())).expect("loads");
    assert_eq!(
        l.allowance("I3_ACCESS_ACD_MEDIA_1").map(|a| (a.assigned, a.pooled)),
        Some((5, 25))
    );
    // Giving the pooled count twice is invalid.
    v["licenses"]
        .as_array_mut()
        .expect("array")
        .push(serde_json::json!({"key": "I3_ACCESS_CLIENT_CONCURRENT", "pooled": 1}));
    v["licenses"][1]["pooled"] = 4.into();
    let r = load(&resign(v)).expect_err("refused");
    assert_eq!(r.outcome, Verdict::Invalid, "{r}");
}

#[test]
fn expired_license_loads_flagged() {
    let mut v = demo_value();
    v["expires"] = "2020-01-01".into();
    let l = load(&resign(v)).expect("loads");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    assert!(l.is_expired(today));
    assert!(l.days_to_expiry(today) < 0);
}

#[test]
fn signature_of_wrong_length_is_a_clear_error() {
    let mut v = demo_value();
    v["signature"]["value"] = "AAAA".into();
    let r = load(&serde_json::to_vec(&v).expect("ser")).expect_err("refused");
    assert!(r.reason.contains("64 bytes"), "{r}");
}

#[test]
fn new_from_al04_gives_the_seed_counts() {
    // Seed rules LTR-376-perpetual-expires-2100, LTR-1442-part-numbers-map-to-licenses, LTR-1452-part-al04
    // (docs/seed-rules.md).
    let order = Order {
        host_id: "H1".into(),
        machine: "m".into(),
        parts: vec!["SW-001-4.0-AL04=5+25".parse::<Quantity>().expect("q")],
        ..crate::util::base_order()
    };
    let file = generate::build(&order).expect("build");
    let key = IssuerKey::from_json(DEMO_KEY).expect("demo key");
    let text = generate::sign_to_text(&file, &key).expect("sign");
    let l = load(text.as_bytes()).expect("loads");
    let get = |k: &str| l.allowance(k).map(|a| (a.assigned, a.pooled));
    assert_eq!(get("I3_LICENSE_BASIC_STATION"), Some((30, 0)));
    assert_eq!(get("I3_ACCESS_CLIENT"), Some((5, 25)));
    assert_eq!(get("I3_ACCESS_ACD_MEDIA_1"), Some((5, 25)));
    assert_eq!(l.file.ordered_items[0].quantity, 30);
    assert_eq!(l.file.expires.to_string(), "2100-01-01");
}

/// Every leaf of the signed document (outside the signature), as a JSON pointer.
fn leaf_pointers(v: &Value, prefix: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                if prefix.is_empty() && k == "signature" {
                    continue;
                }
                leaf_pointers(child, format!("{prefix}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                leaf_pointers(child, format!("{prefix}/{i}"), out);
            }
        }
        _ => out.push(prefix),
    }
}

fn mutate_leaf(leaf: &mut Value, seed: u64) {
    *leaf = match leaf.clone() {
        Value::Number(n) => {
            let base = n.as_i64().unwrap_or(0);
            let delta = (seed % 1000) as i64 + 1;
            Value::from(if seed.is_multiple_of(2) {
                base + delta
            } else {
                base - delta
            })
        }
        Value::String(s) => {
            let mut s = s;
            match seed % 3 {
                0 => s.push('X'),
                1 if !s.is_empty() => {
                    s.pop();
                }
                _ => s.insert(0, '1'),
            }
            Value::String(s)
        }
        Value::Bool(b) => Value::Bool(!b),
        Value::Null => Value::from(seed),
        other => other,
    };
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Any single changed value of a signed file reads as tampered.
    #[test]
    fn any_single_field_mutation_is_tampered(pick in any::<prop::sample::Index>(), seed in any::<u64>()) {
        let mut v = demo_value();
        let mut leaves = Vec::new();
        leaf_pointers(&v, String::new(), &mut leaves);
        let pointer = pick.get(&leaves).clone();
        let leaf = v.pointer_mut(&pointer).expect("leaf");
        let before = leaf.clone();
        mutate_leaf(leaf, seed);
        prop_assume!(*leaf != before);
        let bytes = serde_json::to_vec_pretty(&v).expect("ser");
        let r = load(&bytes).expect_err("mutated file must be refused");
        prop_assert_eq!(r.outcome, Verdict::Tampered, "{} -> {}", pointer, r);
    }

    /// Removing or adding an array element (a feature, a license) is tampering too.
    #[test]
    fn removing_a_feature_or_license_is_tampered(which in 0usize..2, pick in any::<prop::sample::Index>()) {
        let mut v = demo_value();
        let field = ["features", "licenses"][which];
        let arr = v[field].as_array_mut().expect("array");
        let i = pick.index(arr.len());
        arr.remove(i);
        let r = load(&serde_json::to_vec(&v).expect("ser")).expect_err("refused");
        prop_assert_eq!(r.outcome, Verdict::Tampered);
    }

    /// Arbitrary bytes never panic and always give a one-line reason.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Err(r) = load(&bytes) {
            prop_assert!(!r.reason.contains('\n'));
        }
    }
}
