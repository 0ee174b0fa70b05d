//! The second retest of #31 in a real window: what it still found, each
//! checked here where the defect was.

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};

/// The demo app, read-only, at 1400×900.
fn read_only_app() -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1400.0, 900.0))
        .with_pixels_per_point(1.0)
        .with_theme(egui::Theme::Light)
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
    h
}

/// Hovers the widget labelled `label` and says whether the session's
/// read-only reason appeared.
fn says_why_on_hover(h: &mut Harness<'static, App>, label: &str) -> bool {
    h.get_by_label(label).hover();
    h.run();
    h.get_by_label(label).hover();
    h.run();
    h.query_by_label_contains("opened read-only").is_some()
}

/// Finding 2: read-only, every disabled action says why on hover (the
/// editing session's one answer, as File › Save and Load License… do).
#[test]
fn read_only_disabled_actions_say_why_on_hover() {
    let mut h = read_only_app();
    let mut silent = Vec::new();
    for (nav, labels) in [
        (
            Nav::Users,
            &["Assign license…", "Remove license…", "Set method…", "Roles…"][..],
        ),
        (Nav::Stations, &["Assign license…", "Remove license…"][..]),
        (Nav::Policies, &["New policy…"][..]),
        (Nav::Workgroups, &["Remove workgroup…"][..]),
    ] {
        h.state_mut().nav = nav;
        h.run();
        for label in labels {
            assert!(
                h.get_by_label(label).accesskit_node().is_disabled(),
                "{nav:?}: {label} is off in read-only"
            );
            if !says_why_on_hover(&mut h, label) {
                silent.push(format!("{nav:?}: {label}"));
            }
            // Away, so the next hover starts afresh.
            h.hover_at(egui::pos2(5.0, 890.0));
            h.run();
        }
    }
    assert!(silent.is_empty(), "disabled without a word on hover: {silent:?}");
}

/// Finding 2: Delete on a row in read-only says why (it did nothing).
#[test]
fn read_only_delete_on_a_row_says_why() {
    let mut h = read_only_app();
    h.state_mut().nav = Nav::Users;
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(h.state().views.users_view.selection.len(), 1);
    h.key_press(Key::Delete);
    h.run();
    assert!(h.state().modals.is_empty(), "nothing is asked: nothing can be removed");
    let status = h.state().status_message.clone().map(|(_, m)| m).unwrap_or_default();
    assert!(
        status.contains("opened read-only"),
        "Delete said nothing in read-only (status: {status:?})"
    );
}

/// Finding 5: Roles… opens asking for a role, not with every user refused
/// for a blank one; typed, it shows what would change.
#[test]
fn roles_dialog_opens_without_refusals_until_a_role_is_typed() {
    let mut h = crate::util::demo_app();
    h.state_mut().nav = Nav::Users;
    h.run();
    let users: Vec<String> = h
        .state()
        .doc()
        .workspace()
        .users()
        .iter()
        .take(3)
        .map(|u| u.id.clone())
        .collect();
    h.state_mut().handle(ia_licensing::ui::views::Action::Bulk {
        kind: ia_licensing::ui::views::BulkKind::Roles,
        users,
        stations: Vec::new(),
    });
    for _ in 0..5 {
        h.run();
    }
    assert!(
        h.query_by_label_contains("3 cannot").is_none(),
        "refusals shown before a role is typed"
    );
    assert!(
        h.query_by_label_contains("cannot be blank").is_none(),
        "a blank role refused before typing"
    );
    h.get_by_label_contains("Type the role");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Role:")
        .click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Role:")
        .type_text("Trainee");
    for _ in 0..5 {
        h.run();
    }
    assert!(h.query_by_label_contains("Type the role").is_none());
    assert!(
        h.query_all_by_label_contains("role Trainee").count() > 0,
        "typed, the plan shows"
    );
}
