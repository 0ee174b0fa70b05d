//! `site import --registry` after an independent trial (#35): a value of
//! the wrong type is reported, never dropped; a file without the site's
//! Directory Services Production key is refused; keys under Production the
//! import does not read are listed; a station's Active conflict is decided
//! by a rule and reported; and each leniency (a value said twice, a
//! deletion, a short allocation method, UTF-16 without a byte-order mark)
//! is a recorded assumption.

use ia_licensing::core::site_import::{self, Imported};

const ROOT: &str =
    r"HKEY_LOCAL_MACHINE\SOFTWARE\Wow6432Node\Interactive Intelligence\EIC\Directory Services\Root\S\Production";
const HEADER: &str = "Windows Registry Editor Version 5.00\r\n\r\n";

fn reg(body: &str) -> String {
    format!("{HEADER}{}", body.replace("$R", ROOT))
}

fn utf16(text: &str, bom: bool) -> Vec<u8> {
    let mut out = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

fn hex7(items: &[&str]) -> String {
    let mut bytes = Vec::new();
    for s in items {
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        bytes.extend_from_slice(&[0, 0]);
    }
    bytes.extend_from_slice(&[0, 0]);
    let hex: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("hex(7):{}", hex.join(","))
}

fn import(text: &str) -> Imported {
    site_import::import_registry_bytes("site.reg", text.as_bytes()).expect("import")
}

fn assumed(imported: &Imported, code: &str) -> Option<String> {
    imported
        .report
        .assumptions
        .iter()
        .find(|a| a.code == code)
        .map(|a| a.example.clone())
}

#[test]
fn counted_licenses_of_binary_or_dword_type_are_reported() {
    let imported = import(&reg(
        "[$R\\AdminConfig\\UserInfo\\a]\r\n\"Counted Licenses\"=hex:49,33,5f,41\r\n\
         [$R\\AdminConfig\\UserInfo\\b]\r\n\"Counted Licenses\"=dword:00000001\r\n\
         [$R\\Users\\c]\r\n\"Workgroups\"=dword:00000001\r\n\"displayName\"=hex:41\r\n",
    ));
    for (record, field) in [
        ("a", "Counted Licenses"),
        ("b", "Counted Licenses"),
        ("c", "Workgroups"),
        ("c", "displayName"),
    ] {
        let found: Vec<_> = imported
            .report
            .unmapped
            .iter()
            .filter(|u| u.record == record && u.field == field)
            .collect();
        assert_eq!(found.len(), 1, "{record} {field}: {:#?}", imported.report.unmapped);
        assert!(found[0].place.starts_with("site.reg line "), "{:?}", found[0]);
        assert!(found[0].expected.is_some(), "{:?}", found[0]);
    }
    // Binary data is shown as it is, counted in words.
    let shown: Vec<&str> = imported.report.unmapped.iter().map(|u| u.value.as_str()).collect();
    assert!(shown.contains(&"hex:49,33,5f,41 (4 bytes)"), "{shown:?}");
    assert!(shown.contains(&"hex:41 (1 byte)"), "{shown:?}");
}

#[test]
fn a_file_without_the_sites_production_key_is_refused() {
    let text = format!(
        "{HEADER}[HKEY_LOCAL_MACHINE\\SOFTWARE\\Foo\\Bar]\r\n\"x\"=\"y\"\r\n\
         [HKEY_CURRENT_USER\\Software\\Other\\UserInfo\\z]\r\n\"Counted Licenses\"=\"I3_ACCESS_CLIENT\"\r\n"
    );
    let err = site_import::import_registry_bytes("wrong.reg", text.as_bytes()).expect_err("refused");
    let message = err.to_string();
    assert!(
        message.contains("wrong.reg") && message.contains("Directory Services") && message.contains("Production"),
        "{message}"
    );
}

#[test]
fn keys_under_production_that_are_not_read_are_listed() {
    let imported = import(&reg(&format!(
        "[$R\\AdminConfig\\UserInfo\\a]\r\n\"Counted Licenses\"={}\r\n\
         [$R\\Queues\\q1]\r\n\"x\"=\"y\"\r\n[$R\\Queues\\q2]\r\n\"x\"=\"y\"\r\n\
         [$R\\AdminConfig\\Other\\z]\r\n\"x\"=\"y\"\r\n[$R\\Users\\a\\Sub]\r\n\"x\"=\"y\"\r\n",
        hex7(&["I3_ACCESS_CLIENT"])
    )));
    let listed: Vec<(String, usize)> = imported
        .report
        .keys_not_read
        .iter()
        .map(|k| (k.key.clone(), k.keys))
        .collect();
    assert!(listed.contains(&("Queues".into(), 2)), "{listed:?}");
    assert!(listed.contains(&("AdminConfig\\Other".into(), 1)), "{listed:?}");
    assert!(listed.contains(&("Users\\<user>\\Sub".into(), 1)), "{listed:?}");
    assert_eq!(imported.workspace.users().len(), 1);
}

#[test]
fn a_stations_active_conflict_is_decided_by_the_rule_and_reported() {
    let mut results = Vec::new();
    for (info, ws) in [("00000000", "00000001"), ("00000001", "00000000")] {
        let imported = import(&reg(&format!(
            "[$R\\AdminConfig\\StationInfo\\w1]\r\n\"Active\"=dword:{info}\r\n\r\n\
             [$R\\SRV\\Workstations\\w1]\r\n\"Active\"=dword:{ws}\r\n"
        )));
        let station = imported.workspace.station("w1").expect("w1").clone();
        let warning = imported
            .report
            .warnings
            .iter()
            .find(|w| w.record == "w1" && w.field == "Active")
            .cloned();
        assert!(warning.is_some(), "{:#?}", imported.report.warnings);
        let reason = warning.map(|w| w.reason).unwrap_or_default();
        assert!(reason.contains("line 4") && reason.contains("line 7"), "{reason}");
        assert_eq!(
            assumed(&imported, "registry-station-active-conflict").as_deref(),
            Some("w1")
        );
        results.push(station.enabled);
    }
    // The same answer whatever the order in the file: inactive wins.
    assert_eq!(results, vec![false, false]);
}

#[test]
fn a_value_said_twice_the_later_one_is_read_and_said_so() {
    let imported = import(&reg(&format!(
        "[$R\\AdminConfig\\UserInfo\\a]\r\n\"Counted Licenses\"={}\r\n\"Counted Licenses\"={}\r\n",
        hex7(&["I3_ACCESS_CLIENT"]),
        hex7(&["I3_ACCESS_ACD_MEDIA_1"])
    )));
    let a = imported.workspace.user("a").expect("a");
    let keys: Vec<String> = a.licenses.iter().map(|k| k.to_string()).collect();
    assert_eq!(keys, vec!["I3_ACCESS_ACD_MEDIA_1"]);
    assert_eq!(assumed(&imported, "registry-repeated-value").as_deref(), Some("a"));
    // The same key written twice, in two sections (or two spellings): one key.
    let imported = import(&reg(&format!(
        "[$R\\AdminConfig\\UserInfo\\a]\r\n\"Counted Licenses\"={}\r\n\r\n\
         [$R\\AdminConfig\\UserInfo\\A]\r\n\"Counted Licenses\"={}\r\n",
        hex7(&["I3_ACCESS_CLIENT"]),
        hex7(&["I3_ACCESS_ACD_MEDIA_1"])
    )));
    let keys: Vec<String> = imported
        .workspace
        .user("a")
        .expect("a")
        .licenses
        .iter()
        .map(|k| k.to_string())
        .collect();
    assert_eq!(keys, vec!["I3_ACCESS_ACD_MEDIA_1"]);
    assert!(assumed(&imported, "registry-repeated-value").is_some());
}

#[test]
fn a_deletion_in_the_file_creates_nothing_and_is_said() {
    let imported = import(&reg(&format!(
        "[-$R\\AdminConfig\\UserInfo\\a]\r\n\r\n[$R\\AdminConfig\\UserInfo\\b]\r\n\"Counted Licenses\"={}\r\n\"Active\"=-\r\n",
        hex7(&["I3_ACCESS_CLIENT"])
    )));
    assert!(imported.workspace.user("a").is_none(), "no user from a deletion");
    assert_eq!(imported.workspace.users().len(), 1);
    // Named by its path under Production.
    assert_eq!(
        assumed(&imported, "registry-deletion-ignored").as_deref(),
        Some("AdminConfig\\UserInfo\\a")
    );
}

#[test]
fn a_short_allocation_method_is_read_and_said() {
    let imported = import(&reg(
        "[$R\\Users\\a]\r\n\"License Allocation Method\"=\"Concurrent\"\r\n\
         [$R\\Users\\b]\r\n\"License Allocation Method\"=\"Concurrent Licensing\"\r\n",
    ));
    let a = imported.workspace.user("a").expect("a");
    assert_eq!(a.method, ia_licensing::core::workspace::Method::Concurrent);
    assert_eq!(assumed(&imported, "registry-method-words").as_deref(), Some("a"));
}

#[test]
fn utf16_without_a_byte_order_mark_is_read_and_said() {
    let text = reg(&format!(
        "[$R\\AdminConfig\\UserInfo\\a]\r\n\"Counted Licenses\"={}\r\n",
        hex7(&["I3_ACCESS_CLIENT"])
    ));
    let imported = site_import::import_registry_bytes("nobom.reg", &utf16(&text, false)).expect("imports");
    assert_eq!(imported.workspace.users().len(), 1);
    assert!(assumed(&imported, "registry-utf16-no-bom").is_some());
    // Big-endian without a mark: refused in words, no escaped NULs.
    let mut be = Vec::new();
    for u in text.encode_utf16() {
        be.extend_from_slice(&u.to_be_bytes());
    }
    let err = site_import::import_registry_bytes("be.reg", &be).expect_err("refused");
    let message = err.to_string();
    assert!(message.contains("big-endian") && !message.contains("\\0"), "{message}");
    // With the mark: no assumption.
    let imported = site_import::import_registry_bytes("bom.reg", &utf16(&text, true)).expect("imports");
    assert!(assumed(&imported, "registry-utf16-no-bom").is_none());
}
