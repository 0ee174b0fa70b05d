//! The one subject table in Users, Stations and Workgroups: Delete asks,
//! removes, and Undo brings the subject back; the Warnings cell and
//! sorting behave the same in all three.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};

fn harness() -> Harness<'static, App> {
    crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    )
}

/// Is there a user, station or workgroup with this ID?
fn exists(h: &Harness<'static, App>, nav: Nav, id: &str) -> bool {
    let ws = h.state().doc().workspace();
    match nav {
        Nav::Users => ws.user(id).is_some(),
        Nav::Stations => ws.station(id).is_some(),
        _ => ws.workgroup(id).is_some(),
    }
}

/// Searches for `id` in the view's table and clicks its row.
fn select(h: &mut Harness<'static, App>, nav: Nav, id: &str) {
    h.state_mut().set_nav(nav);
    h.run();
    let state = h.state_mut();
    match nav {
        Nav::Users => state.type_filter(Nav::Users, id),
        Nav::Stations => state.type_filter(Nav::Stations, id),
        _ => state.type_filter(Nav::Workgroups, id),
    }
    h.run();
    // The first match is the ID cell (a station's machine name may equal it).
    h.get_all_by_label(id).next().expect("the row").click();
    h.run();
}

#[test]
fn delete_asks_then_removes_in_users_stations_and_workgroups() {
    for (nav, id, heading) in [
        (Nav::Users, "ava.ruiz5", "Remove users"),
        (Nav::Stations, "ws-104", "Remove stations"),
        (Nav::Workgroups, "Back Office", "Remove workgroups"),
    ] {
        let mut h = harness();
        h.run();
        select(&mut h, nav, id);
        h.key_press(egui::Key::Delete);
        h.run();
        h.get_by_label(heading);
        // Cancel keeps it.
        h.get_by_label("Cancel").click();
        h.run();
        assert!(exists(&h, nav, id), "{id}: Cancel keeps it");
        h.key_press(egui::Key::Delete);
        h.run();
        h.get_by_label_contains(&format!("Remove 1 {}", &heading["Remove ".len()..heading.len() - 1]));
        h.get_by_label("Remove").click();
        h.run();
        assert!(!exists(&h, nav, id), "{id} was removed");
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
        h.run();
        assert!(exists(&h, nav, id), "{id}: Undo brings it back");
    }
}

#[test]
fn stations_show_every_warning_and_sort_like_users() {
    let mut h = harness();
    h.state_mut().set_nav(Nav::Stations);
    h.run();
    // The demo's remote station without Basic Station is an error.
    h.state_mut().type_filter(Nav::Stations, "remote-home-01");
    h.run();
    // In the table's Warnings cell (and in the Warnings panel).
    assert!(h.get_all_by_label_contains("Station without Basic Station").count() >= 2);
    assert!(
        h.query_by_label_contains("basic-station-missing").is_none(),
        "no code on screen"
    );
    // Sorting by Warnings puts the stations with most diagnostics first.
    h.state_mut().type_filter(Nav::Stations, "");
    let warnings = ia_licensing::ui::views::stations::StationsView::column("Warnings").expect("column");
    h.state_mut().sort_table(Nav::Stations, warnings);
    h.run();
    assert!(h.state().views().stations_view.shown() > 100);
}

#[test]
fn escape_closes_the_dialog_or_message_in_front() {
    use ia_licensing::ui::app::{ErrorModal, FileKind, Modal};
    let mut h = harness();
    h.run();
    // A configuration dialog, a path prompt and an error, one over another.
    h.state_mut()
        .handle(ia_licensing::ui::views::Action::OpenUser("ava.ruiz5".into()));
    h.state_mut().prompt_open(FileKind::License);
    h.state_mut().open_modal(Modal::Error(ErrorModal {
        title: "Something went wrong".into(),
        message: "Details".into(),
    }));
    h.run();
    h.get_by_label("Something went wrong");
    for left in [2, 1, 0] {
        h.key_press(egui::Key::Escape);
        h.run();
        assert_eq!(h.state().modals().len(), left, "Escape closes one at a time");
    }
    assert!(h.state().dialog().is_none());
}

/// Search finds what the row shows: interaction types, the ACD level, the
/// method and the Warnings cell's words.
#[test]
fn search_finds_what_the_row_shows() {
    let mut h = harness();
    h.state_mut().set_nav(Nav::Users);
    h.run();
    let shown = |h: &mut Harness<'static, App>, text: &str| -> Vec<String> {
        h.state_mut().type_filter(Nav::Users, text);
        h.run();
        let doc = h.state().doc();
        h.state().views().users_view.visible_ids(doc)
    };
    let ws = h.state().doc().workspace().clone();
    // "call": every user licensed for calls is found (an interaction type).
    let call: Vec<String> = ws
        .users()
        .iter()
        .filter(|u| {
            u.acd_media_types
                .iter()
                .any(|m| m.label().to_lowercase().contains("call"))
        })
        .map(|u| u.id.clone())
        .collect();
    assert!(!call.is_empty(), "the demo has a calls agent");
    let found = shown(&mut h, "call");
    for id in &call {
        assert!(found.contains(id), "{id} is licensed for calls");
    }
    // The ACD level's words.
    assert!(!shown(&mut h, "media 3 plus").is_empty());
    // The Warnings cell's title: mia.media1's "ACD level below the queues' media".
    let found = shown(&mut h, "below the queues");
    assert_eq!(found, vec!["mia.media1".to_string()]);
    // A message's words.
    assert!(shown(&mut h, "limits the ACD interaction types").contains(&"eve.email".to_string()));
}

/// A third #35 trial (N4): IDs with control or invisible characters (an
/// imported site keeps them exactly) were drawn raw in the tables, so two
/// IDs could look alike. The table shows them escaped.
#[test]
fn ids_with_control_characters_are_shown_escaped() {
    let dir = tempfile::tempdir().expect("dir");
    let ws = dir.path().join("w.ialws");
    std::fs::write(
        &ws,
        serde_json::json!({"format": 1, "server": {"host_id": "G807test", "machine_name": "testing"},
            "users": [{"id": "u\u{1b}[31mRED", "licenses": ["I3_ACCESS_CLIENT"]},
                      {"id": "abc\u{202e}exe.txt", "licenses": []}]})
        .to_string(),
    )
    .expect("write");
    let mut startup = Startup::demo(TrustStore::with_demo());
    startup.file = Some(crate::util::asset("demo.I3Lic"));
    startup.workspace = Some(ws);
    startup.view = Some(Nav::Users);
    let mut h = crate::util::app(startup);
    h.run();
    h.get_by_label("u\\u{1b}[31mRED");
    h.get_by_label("abc\\u{202e}exe.txt");
    assert!(h.query_by_label_contains("\u{1b}").is_none(), "no raw escape drawn");
}
