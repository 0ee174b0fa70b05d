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
    Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_pixels_per_point(1.0)
        .build_eframe(|cc| App::new(cc, Startup::demo(TrustStore::with_demo())))
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
    assert_eq!(h.state().nav, Nav::Account);
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
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .build_eframe(|cc| {
            App::new(
                cc,
                Startup {
                    read_only: true,
                    ..Startup::demo(TrustStore::with_demo())
                },
            )
        });
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
    assert!(err.contains("only 0 available"), "{err}");
}
