//! The License Management GUI driven like a user (egui_kittest on the real
//! `App`), and snapshots of the main views in light and dark.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Dialog, Nav, Startup};

const SYS: &str = "I3_ACCESS_SYSTEM_STATUS_SUPERVISOR_PLUGIN";
const QM: &str = "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT";

fn harness_with(dark: bool) -> Harness<'static, App> {
    // Startup::demo keeps nothing on disk (no journal, no recent files).
    crate::util::build_app(
        crate::util::WINDOW,
        if dark { egui::Theme::Dark } else { egui::Theme::Light },
        Startup {
            dark,
            ..Startup::demo(TrustStore::with_demo())
        },
    )
}

fn harness() -> Harness<'static, App> {
    harness_with(false)
}

/// Shows Users, searches for `id`, selects its row and presses Enter.
fn open_user(h: &mut Harness<'static, App>, id: &str) {
    if h.state().nav() != Nav::Users {
        h.get_by_label("Users").click();
        h.run();
    }
    h.state_mut().type_filter(Nav::Users, "");
    h.run();
    let search = h.get_by_role(egui::accesskit::Role::TextInput);
    search.focus();
    search.type_text(id);
    h.run();
    h.get_by_label(id).click();
    h.run();
    // Leave the search field so Enter goes to the table.
    h.state_mut().type_filter(Nav::Users, id);
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(
        matches!(h.state().dialog(), Some(Dialog::User(_))),
        "the User Configuration dialog opens"
    );
}

/// A license with Media 1 and Media 2 (signed with the demo key), saved to a temp file.
fn contact_center_license(dir: &std::path::Path) -> std::path::PathBuf {
    use ia_licensing::core::license::generate::{self, Order};
    use ia_licensing::core::license::signing::IssuerKey;
    let order = Order {
        host_id: "G807test".into(),
        machine: "testing".into(),
        system_type: "Media Server Based".into(),
        company: "Test".into(),
        install_site: "Site".into(),
        generated_by: "tests".into(),
        parts: vec![
            "SW-001-4.0-AL04=200".parse().expect("part"),
            "SW-001-4.0-AL08=150".parse().expect("part"),
        ],
        licenses: vec![
            "I3_ACCESS_ACD_MEDIA_2=20".parse().expect("q"),
            format!("{SYS}=10+6").parse().expect("q"),
            "I3_ACCESS_ANALYZER=5".parse().expect("q"),
        ],
        ..crate::util::base_order()
    };
    let file = generate::build(&order).expect("build");
    let key = IssuerKey::from_json(include_str!("../../assets/keys/demo-issuer.key")).expect("key");
    let path = dir.join("contact-center.I3Lic");
    std::fs::write(&path, generate::sign_to_text(&file, &key).expect("sign")).expect("write");
    path
}

#[test]
fn media_1_in_a_two_media_workgroup_warns_in_the_dialog_and_the_panel() {
    // Seed rules LTR-1567-media-1-queues, LTR-1576-media-1-warning-limits (docs/seed-rules.md).
    let dir = tempfile::tempdir().expect("tmp");
    let mut h = harness();
    h.run();
    h.state_mut().load_license_file(contact_center_license(dir.path()));
    h.run();
    // jane.ruiz3 is a Media 3 Plus agent in Service (calls and email).
    open_user(&mut h, "jane.ruiz3");
    h.get_by_label("Media 1").click();
    h.run();
    h.get_by_label_contains("ACD level below the queues' media: ACD Media 1 allows 1 interaction type");
    h.get_by_label("OK").click();
    h.run();
    assert!(h.state().dialog().is_none());
    let panel = h
        .get_all_by_label_contains("user jane.ruiz3: ACD Media 1 allows 1 interaction type")
        .count();
    assert_eq!(panel, 1, "the Warnings panel lists it");
    // Undo restores the user.
    h.state_mut().undo();
    h.run();
    assert!(h.query_by_label_contains("user jane.ruiz3: ACD Media 1").is_none());
}

#[test]
fn media_1_not_in_the_demo_license_is_unavailable_before_a_click() {
    use egui_kittest::kittest::NodeT;
    let mut h = harness();
    h.run();
    open_user(&mut h, "jane.ruiz3");
    let media1 = h.get_by_label("Media 1");
    assert!(media1.accesskit_node().is_disabled(), "not in the license file");
    media1.click();
    h.run();
    let user = h.state().doc().workspace().user("jane.ruiz3").cloned().expect("user");
    assert!(!user.licenses.contains("I3_ACCESS_ACD_MEDIA_1"));
}

#[test]
fn the_last_assignable_license_then_a_refusal() {
    let mut h = harness();
    h.run();
    let sys_label = "Interaction Supervisor Plug-In: System Status";
    let supervisors: Vec<String> = h
        .state()
        .doc()
        .workspace()
        .users()
        .iter()
        .filter(|u| u.method == ia_licensing::core::workspace::Method::Assignable && u.licenses.contains(SYS))
        .map(|u| u.id.clone())
        .collect();
    assert_eq!(supervisors.len(), 10, "all 10 assignable are used in the demo");
    // Free one.
    open_user(&mut h, &supervisors[0]);
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, sys_label)
        .click();
    h.run();
    h.get_by_label("OK").click();
    h.run();
    assert_eq!(h.state().doc().engine().configured(SYS).assignable, 9);
    // Allocate the last one to a business user.
    let business: Vec<String> = h
        .state()
        .doc()
        .workspace()
        .users()
        .iter()
        .filter(|u| u.workgroups.contains("Back Office"))
        .map(|u| u.id.clone())
        .take(2)
        .collect();
    open_user(&mut h, &business[0]);
    h.get_by_label("1 available");
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, sys_label)
        .click();
    h.run();
    h.get_by_label("OK").click();
    h.run();
    assert_eq!(h.state().doc().engine().configured(SYS).assignable, 10);
    // The next one is refused, with IA's message next to the control.
    open_user(&mut h, &business[1]);
    h.get_by_role_and_label(egui::accesskit::Role::CheckBox, sys_label)
        .click();
    h.run();
    h.get_by_label("All 10 assignable Interaction Supervisor Plug-In: System Status licenses are allocated");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(h.state().doc().engine().configured(SYS).assignable, 10);
}

#[test]
fn bulk_assign_preview_counts_apply_and_undo() {
    let mut h = harness();
    h.run();
    h.get_by_label("Users").click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    assert_eq!(h.state().views().users_view.selection.len(), 167);
    h.get_by_label("Assign license…").click();
    h.run();
    // Users may not hold Basic Station: it is neither the default nor offered.
    match h.state().dialog() {
        Some(ia_licensing::ui::app::Dialog::Bulk(d)) => {
            assert_eq!(d.key, "I3_ACCESS_CLIENT", "the first license users may hold")
        }
        _ => panic!("the bulk dialog is open"),
    }
    // Choose Quality Manager (Agent): 120 allowed, 100 configured.
    h.get_by_label("License").click();
    h.run();
    assert!(h.query_by_label("Basic Station").is_none(), "not offered to users");
    h.get_all_by_label("Interaction Quality Manager (Agent)")
        .last()
        .expect("in the list")
        .click();
    h.run();
    h.get_by_label(
        "The license file allows 120 assignable and 0 concurrent Interaction Quality Manager (Agent) licenses.",
    );
    // One sentence, with thousands separators, then the list of who gets,
    // keeps and cannot get it (the old preview said "20 will get it, 100
    // already so" and listed only the refused).
    h.get_by_label(
        "20 users will get Interaction Quality Manager (Agent); 100 already have it; 47 cannot: The license file \
         has no concurrent (pooled) Interaction Quality Manager (Agent) licenses; set the user's method to \
         Assignable or load a license with pooled licenses (8); All 120 assignable Interaction Quality Manager \
         (Agent) licenses are allocated (39).",
    );
    assert!(h.query_all_by_label("gets").count() > 0, "who gets it is listed");
    h.get_by_label("Copy list");
    let before = h.state().doc().engine().row(QM, h.state().doc().license());
    assert_eq!(before.assignable_configured, 100);
    // 167 users: Apply asks first; Cancel there comes back to the preview.
    h.get_by_label("Apply").click();
    h.run();
    h.state_mut().wait_for_plan();
    h.run();
    h.get_by_label("Apply 20 changes to 20 users?");
    assert!(
        h.query_by_label_contains("would be denied").is_none(),
        "no logon history loaded: no denials line"
    );
    // Refusals in the plan: Cancel is the default (Enter).
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(
        matches!(h.state().dialog(), Some(ia_licensing::ui::app::Dialog::Bulk(_))),
        "Cancel comes back to the bulk dialog"
    );
    assert_eq!(h.state().doc().engine().row(QM, h.state().doc().license()), before);
    h.get_by_label("Apply").click();
    h.run();
    h.state_mut().wait_for_plan();
    h.run();
    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(
        h.state()
            .doc()
            .engine()
            .row(QM, h.state().doc().license())
            .assignable_configured,
        120
    );
    // Applied in part: the refusals in full, in front.
    h.get_by_label("Applied in part");
    h.get_by_label_contains("20 users changed; 47 cannot");
    h.get_by_label("OK").click();
    h.run();
    // One undo step restores the counts.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().doc().engine().row(QM, h.state().doc().license()), before);
}

/// A bulk change to 100 users or stations or fewer applies at once; over
/// 100 it asks first.
#[test]
fn a_small_bulk_change_applies_without_asking() {
    let mut h = harness();
    h.run();
    let ids: Vec<String> = h
        .state()
        .doc()
        .workspace()
        .users()
        .iter()
        .take(100)
        .map(|u| u.id.clone())
        .collect();
    h.state_mut().handle(ia_licensing::ui::views::Action::Bulk {
        kind: ia_licensing::ui::views::BulkKind::Roles,
        users: ids.clone(),
        stations: Vec::new(),
    });
    h.run();
    let f = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Role:");
    f.focus();
    f.type_text("Night");
    h.run();
    h.get_by_label("100 users will get role Night.");
    h.get_by_label("Apply").click();
    h.run();
    assert!(h.state().modals().is_empty(), "no confirmation for 100");
    let with_role = |h: &Harness<'_, App>| {
        h.state()
            .doc()
            .workspace()
            .users()
            .iter()
            .filter(|u| u.roles.iter().any(|r| r == "Night"))
            .count()
    };
    assert_eq!(with_role(&h), 100);
}

#[test]
fn license_configuration_from_allocation() {
    let mut h = harness();
    h.run();
    h.get_by_label("Licenses Allocation").click();
    h.run();
    h.state_mut()
        .handle(ia_licensing::ui::views::Action::OpenLicense(SYS.into()));
    h.run();
    h.get_by_label_contains("License Configuration — Interaction Supervisor Plug-In: System Status");
    h.get_by_label("18 holders shown");
    // Add a holder by picking from a searchable list, not by typing an
    // exact ID.
    let field = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Add:");
    field.focus();
    field.type_text("ruiz");
    h.run();
    let id = h
        .state()
        .doc()
        .workspace()
        .users()
        .iter()
        .find(|u| u.id.contains("ruiz") && !u.licenses.contains(SYS))
        .map(|u| u.id.clone())
        .expect("a candidate");
    h.get_by_label(&format!("user {id}")).click();
    h.run();
    h.get_by_label(&format!("Add user {id}")).click();
    h.run();
    let user = h.state().doc().workspace().user(&id).cloned().expect("user");
    // All ten assignable are in use in the demo: the pick was tried and refused, with the reason shown.
    assert!(!user.licenses.contains(SYS));
    // (in the dialog and in the status bar)
    assert!(
        h.query_all_by_label_contains(
            "assignable Interaction Supervisor Plug-In: System Status licenses are allocated"
        )
        .count()
            >= 1
    );
}

/// A supervisor's read-only session changes nothing: no edit, no save (no
/// new .bak, no change-log entry), no license load, no scenario, and the
/// menu cannot switch it off.
#[test]
fn read_only_holds() {
    let dir = tempfile::tempdir().expect("tmp");
    let ws = dir.path().join("site.ialws");
    std::fs::copy(crate::util::asset("demo.ialws"), &ws).expect("copy");
    let before = std::fs::read(&ws).expect("read");
    let data = dir.path().join("data");
    let ws_for_app = ws.clone();
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup {
            read_only: true,
            workspace: Some(ws_for_app),
            data_dir: Some(data),
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    // A load runs on a worker: one frame starts it, then wait for it (a
    // busy machine may take more frames than `run` allows).
    h.step();
    h.state_mut().wait_for_loading();
    h.run();
    assert!(h.state().read_only());
    // An edit is refused, with the reason in plain words.
    let refused = h.state_mut().apply(ia_licensing::core::command::Command::SetUserName {
        id: "tina.ruiz1".into(),
        name: "X".into(),
    });
    assert!(
        refused.is_err_and(|why| why.to_string().contains("Read-only")),
        "edit refused"
    );
    // Ctrl+S writes nothing.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert_eq!(std::fs::read(&ws).expect("read"), before, "the file is untouched");
    assert!(!dir.path().join("site.ialws.bak").exists(), "no backup was made");
    // No license load.
    let licenses_before = h.state().doc().license().clone();
    h.state_mut()
        .load_license_file(crate::util::asset("demo-virtual-cloud.I3Lic"));
    h.run();
    assert!(std::sync::Arc::ptr_eq(h.state().doc().license(), &licenses_before));
    assert!(h.state().doc().change_log().is_empty(), "nothing was logged");
    // The status bar says so; there is no switch (read-only comes from the
    // session, which has no way back).
    h.get_by_label("Read-only");
    assert!(h.state().read_only());
    // A built-in scenario opens in place of the files, still read-only:
    // a trainer can play it, nothing of it is saved.
    h.state_mut().load_scenario(1);
    h.run();
    assert!(
        !std::sync::Arc::ptr_eq(h.state().doc().license(), &licenses_before),
        "scenario opened"
    );
    assert!(h.state().read_only(), "still read-only");
    assert!(h.state().simulation().is_some(), "its events are ready to play");
    let refused = h.state_mut().apply(ia_licensing::core::command::Command::SetUserName {
        id: "agent01".into(),
        name: "X".into(),
    });
    assert!(refused.is_err(), "a scenario opened read-only is not edited");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert_eq!(std::fs::read(&ws).expect("read"), before, "the file is untouched");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(
        left.len(),
        1 + usize::from(dir.path().join("data").exists()),
        "nothing written beside: {left:?}"
    );
}

/// The built-in virtual-cloud scenario opens in Cloud Enforcement on the
/// simulated clock at its ramp date, with a clean workspace for its license.
#[test]
fn the_virtual_cloud_scenario_opens_in_cloud_enforcement() {
    let mut h = harness();
    h.run();
    let index = ia_licensing::core::demo::SCENARIOS
        .iter()
        .position(|(name, ..)| name.starts_with("Virtual cloud"))
        .expect("a virtual-cloud scenario");
    h.state_mut().load_scenario(index);
    h.run();
    assert_eq!(h.state().nav(), Nav::CloudEnforcement);
    assert!(matches!(
        h.state().clock(),
        ia_licensing::ui::views::enforcement::Clock::Simulated(_)
    ));
    h.get_by_label_contains("Cloud license: fully functional, no check-in recorded yet");
    let problems = h.state().doc().engine().diagnostics().len();
    assert_eq!(problems, 0, "the scenario's workspace fits its license");
}

#[test]
fn title_shows_unsaved_changes() {
    let mut h = harness();
    h.run();
    assert!(!h.state().window_title().starts_with('*'));
    h.state_mut()
        .apply(ia_licensing::core::command::Command::SetUserName {
            id: "tina.ruiz1".into(),
            name: "Tina R.".into(),
        })
        .expect("rename");
    assert!(h.state().window_title().starts_with("* demo workspace"));
}

#[test]
fn snapshots_of_the_main_views() {
    let mut results = egui_kittest::SnapshotResults::new();
    for dark in [false, true] {
        let theme = if dark { "dark" } else { "light" };
        let mut h = harness_with(dark);
        h.run();
        // Named after the views' `--view` names (`app_<view>_<theme>`).
        for nav in [Nav::LicenseManagement, Nav::LicensesAllocation] {
            h.state_mut().set_nav(nav);
            h.run();
            results.add(h.try_snapshot(format!("app_{}_{theme}", nav.name())));
        }
        // The Warnings panel, tall.
        h.state_mut().set_nav(Nav::Workgroups);
        h.run();
        results.add(h.try_snapshot(format!("warnings_{theme}")));
        // User Configuration.
        h.state_mut()
            .handle(ia_licensing::ui::views::Action::OpenUser("mia.media1".into()));
        h.run();
        results.add(h.try_snapshot(format!("user_configuration_{theme}")));
    }
}

fn smaller_license(dir: &std::path::Path) -> std::path::PathBuf {
    use ia_licensing::core::license::generate::{self, Order};
    use ia_licensing::core::license::signing::IssuerKey;
    let order = Order {
        product_version: "4.0".into(),
        host_id: "G807test".into(),
        machine: "testing".into(),
        system_type: "Media Server Based".into(),
        company: "Test".into(),
        install_site: "Site".into(),
        generated_by: "tests".into(),
        parts: vec!["SW-001-4.0-AL02=100".parse().expect("part")],
        licenses: vec![
            format!("{SYS}=10+6").parse().expect("q"),
            "I3_ACCESS_ACD_MEDIA_3_PLUS=120".parse().expect("q"),
        ],
        features: vec!["I3_FEATURE_SIP".into()],
        ..crate::util::base_order()
    };
    let file = generate::build(&order).expect("build");
    let key = IssuerKey::from_json(include_str!("../../assets/keys/demo-issuer.key")).expect("key");
    let path = dir.join("smaller.I3Lic");
    std::fs::write(&path, generate::sign_to_text(&file, &key).expect("sign")).expect("write");
    path
}

fn open_via_prompt(h: &mut Harness<'static, App>, path: &std::path::Path) {
    h.state_mut().set_nav(Nav::LicenseManagement);
    h.run();
    h.get_by_label("Load License…").click();
    h.run();
    assert!(h.state().open_prompt().is_some(), "the path prompt opens");
    let field = h.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(path.to_str().expect("utf8"));
    h.run();
    h.get_by_label("Open").click();
    h.run();
}

#[test]
fn compare_and_load_a_smaller_license_cancel_then_load_then_undo() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = smaller_license(dir.path());
    let mut h = harness();
    h.run();
    let license_before = h.state().doc().license().clone();
    let counts_before = h.state().doc().engine().counts(h.state().doc().license());
    let diags_before: Vec<_> = h.state().doc().engine().diagnostics().into_iter().cloned().collect();
    open_via_prompt(&mut h, &path);
    h.get_by_label("Compare and load");
    assert_eq!(
        h.query_all_by_label("170 to 100").count(),
        2,
        "Client Access and Basic Station assigned"
    );
    assert!(
        h.query_all_by_label("120 to 0").count() >= 1,
        "Quality Manager (Agent) goes away"
    );
    h.get_by_label_contains("Feature removed: SMS");
    assert!(
        h.query_by_label_contains("Feature removed: I3_FEATURE").is_none(),
        "Compare names the feature as IA does, not by its key"
    );
    h.get_by_label_contains("Impact on the workspace: ");
    h.get_by_label_contains(
        "More licenses allocated than allowed: 159 assignable Client Access licenses are configured but the license \
         allows 100",
    );
    // Hover first: the pointer reaches the button before it presses, as a mouse does.
    h.get_by_label("Cancel").hover();
    h.run();
    h.get_by_label("Cancel").hover();
    h.run();
    h.get_by_label("Cancel").click();
    h.run();
    assert!(
        std::sync::Arc::ptr_eq(h.state().doc().license(), &license_before),
        "Cancel keeps the old license"
    );
    assert_eq!(
        h.state().doc().engine().counts(h.state().doc().license()),
        counts_before
    );
    let diags_after: Vec<_> = h.state().doc().engine().diagnostics().into_iter().cloned().collect();
    assert_eq!(diags_after, diags_before);
    assert!(h.state().dialog().is_none(), "the dialog closed");
    assert!(h.state().open_prompt().is_none());
    // Again, and Load.
    open_via_prompt(&mut h, &path);
    h.get_by_label("Load").hover();
    h.run();
    h.get_by_label("Load").click();
    h.run();
    assert_eq!(
        h.state()
            .doc()
            .license()
            .allowance("I3_ACCESS_CLIENT")
            .map(|a| a.assigned),
        Some(100)
    );
    assert!(
        h.state()
            .doc()
            .engine()
            .diagnostics()
            .iter()
            .any(|d| d.code == "assignable-exceeded")
    );
    // Undo brings the demo license back.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(std::sync::Arc::ptr_eq(h.state().doc().license(), &license_before));
    assert_eq!(
        h.state().doc().engine().counts(h.state().doc().license()),
        counts_before
    );
}

/// User Configuration: what the license file lacks cannot be ticked, and
/// the warnings this user would have include the keys it holds that the
/// license lacks.
#[test]
fn user_configuration_shows_what_the_license_lacks() {
    use egui_kittest::kittest::NodeT;
    let mut h = harness();
    h.run();
    open_user(&mut h, "alan.analyzer");
    h.get_by_label_contains("User Configuration — alan.analyzer");
    h.get_by_label_contains("License not in the license file: Interaction Analyzer Access (I3_ACCESS_ANALYZER)");
    assert!(
        h.get_by_label("ACD Social Media").accesskit_node().is_disabled(),
        "the demo license has no ACD Social Media"
    );
}
