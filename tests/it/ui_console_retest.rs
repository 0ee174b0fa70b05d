//! The second retest of #31 in a real window: what it still found, each
//! checked here where the defect was.

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};

/// The demo app, read-only, at 1400×900.
fn read_only_app() -> Harness<'static, App> {
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Light,
        Startup {
            read_only: true,
            ..Startup::demo(TrustStore::with_demo())
        },
    );
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
        h.state_mut().set_nav(nav);
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
    h.state_mut().set_nav(Nav::Users);
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    assert_eq!(h.state().views().users_view.selection.len(), 1);
    h.key_press(Key::Delete);
    h.run();
    assert!(
        h.state().modals().is_empty(),
        "nothing is asked: nothing can be removed"
    );
    let status = h.state().status_message().clone().map(|(_, m)| m).unwrap_or_default();
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
    h.state_mut().set_nav(Nav::Users);
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

/// Finding 7: counts in User Configuration have thousands separators on a
/// large site ("10,998 available", not "10998 available").
#[test]
fn user_configuration_counts_have_thousands_separators() {
    let (_dir, lic, ws, g) = crate::util::generated_site(ia_licensing::core::demo_generate::Size {
        users: 15_000,
        stations: 10,
        workgroups: 4,
        seed: 7,
    });
    let first = g.workspace["users"][0]["id"].as_str().expect("a user").to_string();
    let mut h = crate::util::start(
        crate::util::window(crate::util::WINDOW),
        Startup {
            file: Some(lic),
            workspace: Some(ws),
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    h.state_mut().handle(ia_licensing::ui::views::Action::OpenUser(first));
    h.run();
    h.get_by_label("Licensing").click();
    h.run();
    // A label's words are its value to a screen reader.
    let texts: Vec<String> = h
        .query_all(egui_kittest::kittest::by().predicate(|_| true))
        .filter_map(|n| n.accesskit_node().value())
        .filter(|t| t.ends_with(" available"))
        .collect();
    assert!(!texts.is_empty(), "the dialog shows what is available");
    let bare = texts.iter().find(|t| {
        t.split_whitespace()
            .any(|w| w.len() > 3 && w.chars().all(|c| c.is_ascii_digit()))
    });
    assert!(bare.is_none(), "a count without separators: {bare:?}");
    assert!(
        texts.iter().any(|t| t.contains(',')),
        "some count over 999 (the site has 15,000 users): {texts:?}"
    );
}

/// Finding 10: a subject's kind is not said twice ("user user000000").
#[test]
fn a_subject_is_named_once() {
    use ia_licensing::ui::widgets::subject_words;
    assert_eq!(subject_words("user", "user000000"), "user000000");
    assert_eq!(subject_words("user", "alice"), "user alice");
    assert_eq!(subject_words("station", "user-pc"), "station user-pc");
    assert_eq!(subject_words("station", "Station-7"), "Station-7");
}

/// Finding 10: the Scenarios menu shows no developer marks ("(seed)").
#[test]
fn the_scenarios_menu_reads_as_a_user_would() {
    let mut h = crate::util::demo_app();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Scenarios").click();
    h.run();
    h.get_by_label("John Smith's day");
    assert!(
        h.query_by_label_contains("(seed)").is_none(),
        "a scenario is named with the developers' mark"
    );
}

/// Finding 12: Save policy stays where it is when the "needs a name" line
/// goes (a click aimed at it missed).
#[test]
fn save_policy_does_not_move_when_a_problem_line_goes() {
    let mut h = crate::util::demo_app();
    h.state_mut().set_nav(Nav::Policies);
    h.run();
    h.get_by_label("New policy…").click();
    h.run();
    let before = h.get_by_label("Save policy").rect();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Name:")
        .click();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Name:")
        .type_text("Agents");
    h.run();
    let after = h.get_by_label("Save policy").rect();
    assert_eq!(before.min, after.min, "Save policy moved");
}

/// Finding 13: opening the workspace given at start-up, the progress
/// window does not speak of an open workspace staying as it is (nothing
/// is open yet).
#[test]
fn the_first_progress_window_does_not_speak_of_an_open_workspace() {
    let (_dir, lic, ws, _) = crate::util::generated_site(ia_licensing::core::demo_generate::Size {
        users: 30_000,
        stations: 10,
        workgroups: 4,
        seed: 3,
    });
    let mut h = crate::util::window(crate::util::WINDOW).build_eframe(move |cc| {
        App::new(
            cc,
            Startup {
                file: Some(lic),
                workspace: Some(ws),
                ..Startup::demo(TrustStore::with_demo())
            },
        )
    });
    h.step();
    h.step();
    assert!(h.state().is_loading(), "30,000 users take a while to read");
    let words: Vec<String> = h
        .query_all(egui_kittest::kittest::by().predicate(|_| true))
        .flat_map(|n| {
            let a = n.accesskit_node();
            [a.label(), a.value()]
        })
        .flatten()
        .collect();
    assert!(
        words.iter().any(|w| w.contains("Opening")),
        "the progress window is up: {words:?}"
    );
    assert!(
        !words.iter().any(|w| w.contains("stays as it is")),
        "the progress window speaks of an open workspace while nothing is open"
    );
    h.state_mut().wait_for_loading();
}
