//! The Account view as a user drives it: File › Open Account…, the Account
//! Summary with the seed's Total / Used / Available, Deactivate (asks
//! first) returning the units, and Upgrade Software under the mirroring
//! rule. Every change is written to the account file.

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ia_licensing::core::account;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, FileKind, Nav, Startup};

use crate::util::asset;

fn harness() -> Harness<'static, App> {
    crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    )
}

#[test]
fn the_account_view_shows_deactivates_and_upgrades() {
    // Seed rules LTR-474-activation-file-activity, LTR-580-deactivate-reasons, LTR-586-deactivate-returns-units,
    // LTR-611-mirroring-all-or-none (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.ialacct");
    std::fs::copy(asset("demo.ialacct"), &path).expect("copy");
    let mut h = harness();
    h.run();
    // Before opening: the view says how to open one.
    h.get_by_label("Account").click();
    h.run();
    h.get_by_label_contains("No account is open");
    h.state_mut().open_file(FileKind::Account, path.clone());
    h.run();
    assert_eq!(h.state().nav(), Nav::Account);
    h.get_by_label("Genesys Customer Care Platform");
    // Account Summary: Media Session 169 / 120 / 49 (seed).
    h.get_by_label("Media Session");
    h.get_by_label("169");
    h.get_by_label("49");
    // Activation File Activity: Deactivate asks first; Cancel keeps it.
    h.get_by_label("Activation File Activity").click();
    h.run();
    h.get_by_label("Deactivate").click();
    h.run();
    h.get_by_label_contains("Deactivate AF-0001?");
    h.get_by_label("Cancel").click();
    h.run();
    assert!(h.query_by_label_contains("Deactivate AF-0001?").is_none());
    assert!(
        account::load(&path, &TrustStore::with_demo())
            .expect("load")
            .0
            .activation_files[0]
            .active
    );
    h.get_by_label("Deactivate").click();
    h.run();
    // Two buttons now read Deactivate: the confirmation (drawn first) and the row.s.
    h.get_all_by_label("Deactivate").next().expect("confirm").click();
    h.run();
    let saved = account::load(&path, &TrustStore::with_demo()).expect("load").0;
    assert!(!saved.activation_files[0].active, "written to the account file");
    assert_eq!(saved.available("SW-001-4.0-PL09", None), 169);
    h.get_by_label_contains("Deactivated AF-0001");
    // Upgrade Software: mirroring is available, so Upgrade Selected takes all.
    h.get_by_label("Upgrade Software").click();
    h.run();
    h.get_by_label_contains("you must upgrade all products");
    h.get_by_label("Upgrade Selected").click();
    h.run();
    // It asks first.
    h.get_by_label_contains("Upgrade 9 parts to 4.0?");
    h.get_by_label("Upgrade").click();
    h.run();
    let saved = account::load(&path, &TrustStore::with_demo()).expect("load").0;
    assert!(
        saved
            .ordered_items
            .iter()
            .all(|i| i.part_number.starts_with("SW-001-4.0"))
    );
    assert_eq!(saved.total("SW-001-4.0-AL02", None), 85);
    // The summary follows.
    h.get_by_label("Account Summary").click();
    h.run();
    // AL02: 85 bought, none used after the deactivation, 85 available.
    assert_eq!(h.get_all_by_label("85").count(), 2);
    h.snapshot("account_summary_after_upgrade");
}

#[test]
fn read_only_leaves_the_account_unchanged() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.ialacct");
    std::fs::copy(asset("demo.ialacct"), &path).expect("copy");
    let before = std::fs::read(&path).expect("read");
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup {
            read_only: true,
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    h.run();
    h.state_mut().open_file(FileKind::Account, path.clone());
    h.run();
    h.get_by_label("Activation File Activity").click();
    h.run();
    assert!(
        h.get_by_label("Deactivate").accesskit_node().is_disabled(),
        "read-only: no Deactivate"
    );
    h.state_mut().handle(ia_licensing::ui::views::Action::Account(
        ia_licensing::ui::views::account::AccountAction::Deactivate("AF-0001".into()),
    ));
    h.run();
    assert_eq!(std::fs::read(&path).expect("read"), before);
}

/// New Activation File from the view: the units are drawn from the account,
/// the license is written, and asking for more than is left is refused.
#[test]
fn new_activation_file_draws_from_the_account() {
    // Seed rules LTR-417-account-summary, LTR-629-new-activation-file (docs/seed-rules.md).
    use ia_licensing::ui::views::account::{AccountAction, AccountView, NewFileForm};
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.ialacct");
    std::fs::copy(asset("demo.ialacct"), &path).expect("copy");
    let mut view = AccountView::default();
    view.open_path(&path, &TrustStore::with_demo()).expect("open");
    view.sign_key = crate::util::s(&asset("keys/demo-issuer.key")).into();
    let out = dir.path().join("new.I3Lic");
    let mut form = NewFileForm {
        install_site: "Test Install Site".into(),
        host_id: "G807test".into(),
        machine: "testing".into(),
        out: crate::util::s(&out).into(),
        ..NewFileForm::default()
    };
    form.units.insert("SW-001-4.0-PL09".into(), 49);
    form.units.insert("SW-001-4.0-IDS2".into(), 1);
    let today = crate::util::date(2026, 12, 4);
    let message = view
        .apply(
            AccountAction::Generate(Box::new(form.clone())),
            today,
            &TrustStore::with_demo(),
        )
        .expect("generate");
    assert!(message.contains("AF-0002"), "{message}");
    assert!(out.exists());
    assert_eq!(
        account::load(&path, &TrustStore::with_demo())
            .expect("load")
            .0
            .available("SW-001-4.0-PL09", None),
        0
    );
    form.units.insert("SW-001-4.0-PL09".into(), 1);
    form.units.insert("SW-001-4.0-IDS2".into(), 0);
    form.units.insert("SW-001-3.0-IDS1".into(), 1);
    let err = view
        .apply(AccountAction::Generate(Box::new(form)), today, &TrustStore::with_demo())
        .expect_err("none left");
    assert!(err.to_string().contains("only 0 available"), "{err}");
}

/// Types into the text box a label names (focus, then type).
fn type_into(h: &mut Harness<'static, App>, label: &str, text: &str) {
    let field = h.get_by_role_and_label(egui::accesskit::Role::TextInput, label);
    field.focus();
    field.type_text(text);
    h.run();
}

/// Replaces the text of the box a label names (select all, then type).
fn replace_in(h: &mut Harness<'static, App>, label: &str, text: &str) {
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, label)
        .type_text(text);
    h.run();
}

/// The text a (multi-line) box holds, as assistive technology reads it.
fn text_of(h: &Harness<'static, App>, label: &str) -> String {
    h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, label)
        .accesskit_node()
        .value()
        .unwrap_or_default()
        .to_string()
}

/// A window tall enough that the longer tabs need no scrolling (a click
/// reaches a widget only where it is on the screen).
fn tall_harness() -> Harness<'static, App> {
    crate::util::build_app(
        egui::vec2(1400.0, 2000.0),
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    )
}

fn open_account(dir: &std::path::Path) -> (Harness<'static, App>, std::path::PathBuf) {
    let path = dir.join("demo.ialacct");
    std::fs::copy(asset("demo.ialacct"), &path).expect("copy");
    let mut h = tall_harness();
    h.run();
    h.state_mut().open_file(FileKind::Account, path.clone());
    h.run();
    (h, path)
}

/// The Install Sites tab as the seed shows it ("Test Install Site 112 Test
/// St Test City …"), New Install Site with its required Name, and Edit
/// clearing Active: each written to the signed account file.
#[test]
fn install_sites_tab_creates_edits_and_deactivates() {
    // Seed rules LTR-673-install-sites-tab, LTR-686-new-install-site, LTR-690-install-site-name-required,
    // LTR-700-deactivate-install-site (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, path) = open_account(dir.path());
    h.get_by_label("Install Sites").click();
    h.run();
    h.get_by_label("112 Test St");
    h.get_by_label("88888");
    h.get_by_label("New Install Site").click();
    h.run();
    h.get_by_label("Install Site Details");
    h.get_by_label_contains("Name is required");
    assert!(
        h.get_by_label("Save").accesskit_node().is_disabled(),
        "no Save without a Name"
    );
    type_into(&mut h, "Name *", "North Campus");
    type_into(&mut h, "City", "Indianapolis");
    assert!(h.query_by_label_contains("Name is required").is_none());
    h.get_by_label("Save").click();
    h.run();
    h.get_by_label_contains("Added install site North Campus");
    let (saved, trust) = account::load(&path, &TrustStore::with_demo()).expect("load");
    assert_eq!(trust.status.word(), "demo", "signed again");
    let north = saved.site("North Campus").expect("saved");
    assert_eq!((north.city.as_str(), north.active), ("Indianapolis", true));
    // Edit the seed's site: clear Active.
    h.get_by_label("Edit Test Install Site").click();
    h.run();
    h.get_by_label_contains("Editing Test Install Site");
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, "Active")
        .click();
    h.run();
    h.get_by_label("Save").click();
    h.run();
    h.get_by_label_contains("Saved install site Test Install Site (not active)");
    let saved = account::load(&path, &TrustStore::with_demo()).expect("load").0;
    assert!(!saved.site_is_active("Test Install Site"));
    // The tab's Active filter: No shows it alone.
    h.get_by_label("Active:").click();
    h.run();
    // "No" is also the row's Active column (a label); the list's entry is
    // a button.
    h.get_by_role_and_label(egui::accesskit::Role::Button, "No").click();
    h.run();
    h.get_by_label("Number of Total Results # 1");
    h.get_by_label("Test Install Site");
    assert!(h.query_by_label("North Campus").is_none());
    // New Activation File says the site is not active.
    h.get_by_label("New Activation File").click();
    h.run();
    h.get_by_label_contains("Install site Test Install Site is not active");
}

/// Activation File Activity starts at "Active: Yes" as the seed's screen
/// does; All, Machine Name and a Generation Date narrow it; a date that does
/// not read is said.
#[test]
fn activation_file_activity_filters_in_the_view() {
    // Seed rules LTR-500-activity-filters, LTR-506-filter-active, LTR-510-filter-machine-name,
    // LTR-504-filter-generated-after (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("demo.ialacct");
    std::fs::copy(asset("demo.ialacct"), &path).expect("copy");
    let key = asset("keys/demo-issuer.key");
    // Two partner development files (2026-02-10 dev-a, 2026-03-15 dev-b);
    // the seed's AF-0001 is deactivated.
    for (i, (day, machine)) in [("2026-02-10", "dev-a"), ("2026-03-15", "dev-b")]
        .into_iter()
        .enumerate()
    {
        let out = dir.path().join(format!("d{i}.I3Lic"));
        let o = crate::util::bin()
            .args([
                "account",
                "generate",
                "--account",
                crate::util::s(&path),
                "--install-site",
                "Test Install Site",
                "--level",
                "development-small",
                "--non-ordered",
                "--host-id",
                "H",
                "--machine",
                machine,
                "--generated",
                day,
                "--sign-key",
                crate::util::s(&key),
                "-o",
                crate::util::s(&out),
            ])
            .output()
            .expect("run");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = crate::util::bin()
        .args([
            "account",
            "deactivate",
            crate::util::s(&path),
            "--id",
            "AF-0001",
            "--sign-key",
            crate::util::s(&key),
        ])
        .output()
        .expect("run");
    assert!(o.status.success());
    let mut h = harness();
    h.run();
    h.state_mut().open_file(FileKind::Account, path.clone());
    h.run();
    h.get_by_label("Activation File Activity").click();
    h.run();
    // Active: Yes — the two development files.
    h.get_by_label("Number of Total Results # 2");
    assert!(h.query_by_label("testing").is_none(), "AF-0001 is inactive");
    h.get_by_label("Active:").click();
    h.run();
    h.get_by_label("All").click();
    h.run();
    h.get_by_label("Number of Total Results # 3");
    type_into(&mut h, "Machine Name:", "DEV-B");
    h.get_by_label("Number of Total Results # 1");
    h.get_by_label("dev-b");
    h.get_by_label("Clear Filters").click();
    h.run();
    h.get_by_label("Number of Total Results # 2");
    type_into(&mut h, "Generation Date (>=):", "2026-03-01");
    h.get_by_label("Number of Total Results # 1");
    type_into(&mut h, "Generation Date (<=):", "31/3/2026");
    h.get_by_label_contains("Generation Date (<=) `31/3/2026` is not a date");
    h.get_by_label("Number of Total Results # 1");
    // The temporary folder's name is not part of the picture.
    h.state_mut().clear_status();
    h.run();
    h.snapshot("account_activity_filters");
}

/// New Activation File: one valid server item, a Machine Name; a trial is
/// refused and the tab opens the request tool with the refusal.
#[test]
fn new_activation_file_needs_a_server_item_and_points_refusals_to_the_request_tool() {
    // Seed rules LTR-653-one-valid-server-item, LTR-646-machine-name-required, LTR-629-no-trial-or-add-on-bundles
    // (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, path) = open_account(dir.path());
    h.get_by_label("New Activation File").click();
    h.run();
    h.get_by_label("Select One Valid Server Item");
    let generate = "Generate Activation File";
    assert!(h.get_by_label(generate).accesskit_node().is_disabled());
    h.get_by_label_contains("Give the Host ID, the Machine Name, one valid server item");
    type_into(&mut h, "Host ID *", "G807test");
    let out = dir.path().join("new.I3Lic");
    type_into(&mut h, "Save license as:", crate::util::s(&out));
    h.get_by_label("Use SW-001-4.0-IDS2").click();
    h.run();
    h.get_by_label_contains("Give the Machine Name.");
    assert!(
        h.get_by_label(generate).accesskit_node().is_disabled(),
        "Machine Name *"
    );
    type_into(&mut h, "Machine Name *", "testing");
    // A trial: refused, pointing to the request tool.
    h.get_by_label("License Type:").click();
    h.run();
    h.get_by_label("Trial").click();
    h.run();
    h.get_by_label(generate).click();
    h.run();
    // In the message, and on the tab beside the way to the request tool.
    assert_eq!(
        h.query_all_by_label_contains("Trial bundle licenses are not available in the Activation File Management Tool")
            .count(),
        2
    );
    h.get_by_label("OK").click();
    h.run();
    assert!(!out.exists());
    h.get_by_label("Open the Genesys Activation File Request Tool").click();
    h.run();
    h.get_by_label("Welcome to the Genesys Activation File Request Tool");
    h.get_by_label("Activation File Request");
    assert!(
        text_of(&h, "Description").contains("Trial bundle licenses are not available"),
        "the refusal is the request's description: {}",
        text_of(&h, "Description")
    );
    // Production with the server item: generated.
    h.get_by_label("New Activation File").click();
    h.run();
    h.get_by_label("License Type:").click();
    h.run();
    h.get_by_label("Production").click();
    h.run();
    h.get_by_label(generate).click();
    h.run();
    h.get_by_label_contains("Generated AF-0002");
    assert!(out.exists());
    let saved = account::load(&path, &TrustStore::with_demo()).expect("load").0;
    assert_eq!(saved.available("SW-001-4.0-IDS2", None), 0);
}

/// Activation File Activity names the product a file was generated for:
/// a file generated as CIC 2020 R2 from the account's 4.0 part numbers is
/// "CIC 2020 R2", not "CIC 4.0" (#31).
#[test]
fn activation_file_activity_shows_the_product_generated() {
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, _) = open_account(dir.path());
    h.get_by_label("New Activation File").click();
    h.run();
    assert_eq!(
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Product Version:")
            .accesskit_node()
            .value()
            .as_deref(),
        Some("2020 R2")
    );
    type_into(&mut h, "Host ID *", "G807test");
    type_into(&mut h, "Machine Name *", "testing");
    let out = dir.path().join("new.I3Lic");
    type_into(&mut h, "Save license as:", crate::util::s(&out));
    h.get_by_label("Use SW-001-4.0-IDS2").click();
    h.run();
    h.get_by_label("Generate Activation File").click();
    h.run();
    h.get_by_label_contains("Generated AF-0002");
    h.get_by_label("Activation File Activity").click();
    h.run();
    let row = h.get_by_label("AF-0002").rect();
    let on_row: Vec<String> = h
        .query_all_by_label_contains("CIC")
        .filter(|n| (n.rect().center().y - row.center().y).abs() < 4.0)
        .filter_map(|n| n.accesskit_node().value().or_else(|| n.accesskit_node().label()))
        .collect();
    assert_eq!(on_row, vec!["CIC 2020 R2".to_string()]);
}

/// The Genesys Activation File Request Tool in the view: the Activation
/// File Related Question link opens it; Save shows each problem naming its
/// field (required fields, emails that differ, a webmail address, a date
/// that does not read); a correct request is saved as JSON and text.
#[test]
fn the_request_tool_checks_the_form_and_saves_the_request() {
    // Seed rules LTR-1079-request-tool, LTR-407-related-question, LTR-1097-question-or-request,
    // LTR-1113-corporate-email, LTR-1176-confirm-email (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let (mut h, _path) = open_account(dir.path());
    h.get_by_label("Activation File Related Question").click();
    h.run();
    h.get_by_label("Welcome to the Genesys Activation File Request Tool");
    h.get_by_label("Save request").click();
    h.run();
    for p in [
        "First Name is required",
        "Last Name is required",
        "Corporate Email is required",
        "Subject is required",
        "Description is required",
    ] {
        h.get_by_label(p);
    }
    type_into(&mut h, "First Name", "Ann");
    type_into(&mut h, "Last Name", "Lee");
    type_into(&mut h, "Corporate Email", "ann@gmail.com");
    type_into(&mut h, "Confirm Corporate Email", "ann@gmail.co");
    type_into(&mut h, "Subject", "Subscription license");
    let description = h.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Description");
    description.focus();
    description.type_text("We need one.");
    h.run();
    type_into(&mut h, "Date Needed", "next week");
    h.get_by_label("Confirm Corporate Email does not match Corporate Email");
    h.get_by_label_contains("Date Needed: `next week` is not a date");
    type_into(&mut h, "Confirm Corporate Email", "m");
    h.get_by_label_contains("gmail.com is a public webmail domain");
    assert!(h.query_by_label_contains("does not match").is_none());
    // A corporate address, a date, a file: saved.
    replace_in(&mut h, "Corporate Email", "ann.lee@acme-contact.example");
    replace_in(&mut h, "Confirm Corporate Email", "ann.lee@acme-contact.example");
    replace_in(&mut h, "Date Needed", "3/20/2027");
    assert!(h.query_by_label_contains("is not a date").is_none());
    let out = dir.path().join("request.json");
    type_into(&mut h, "Save request as:", crate::util::s(&out));
    h.get_by_label("Save request").click();
    h.run();
    h.get_by_label_contains("Saved the request as");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).expect("json")).expect("parse");
    assert_eq!(v["request"]["request_type"], "question");
    assert_eq!(v["request"]["corporate_email"], "ann.lee@acme-contact.example");
    assert_eq!(v["request"]["date_needed"], "2027-03-20");
    assert_eq!(
        v["request"]["end_user_account"], "Genesys Customer Care Platform",
        "filled from the account"
    );
    let txt = std::fs::read_to_string(dir.path().join("request.txt")).expect("txt");
    assert!(txt.contains("Request Type                  Question"), "{txt}");
}
