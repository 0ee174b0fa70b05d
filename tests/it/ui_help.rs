//! Help: F1 opens the page of the view in front (for every view of the
//! one list), Help › Contents the contents; links between pages, Back,
//! search across all pages, Escape closes it.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use ia_licensing::core::help;
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};

fn app() -> Harness<'static, App> {
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Light,
        Startup::demo(TrustStore::with_demo()),
    );
    h.run();
    h
}

#[test]
fn f1_opens_the_page_of_every_view() {
    let mut h = app();
    for nav in Nav::ALL {
        h.state_mut().set_nav(*nav);
        h.state_mut().close_help();
        h.run();
        h.key_press(egui::Key::F1);
        h.run();
        let help = &h.state().help();
        assert!(help.open, "{nav:?}: F1 opened Help");
        assert_eq!(help.page, nav.name(), "{nav:?}: the view's own page");
        let page = ia_licensing::core::help::page(nav.name()).expect("a page for every view");
        // The page's own heading is on screen (egui_commonmark draws it).
        assert!(
            h.query_all_by_label(&page.title).count() >= 2,
            "{nav:?}: the page {} is shown (nav item and heading)",
            page.title
        );
    }
}

/// Every page draws (a character the font lacks panics in a debug build,
/// and shows as a box in a release build), in both themes.
#[test]
fn every_page_draws() {
    for dark in [false, true] {
        let mut h = app();
        h.state_mut().set_dark(dark);
        for page in ia_licensing::core::help::pages() {
            h.state_mut().show_help_page(page.slug);
            h.run();
            assert_eq!(h.state().help().page, page.slug);
        }
    }
}

#[test]
fn a_column_headers_context_menu_opens_the_views_help() {
    let mut h = app();
    h.state_mut().set_nav(Nav::Stations);
    h.run();
    h.get_by_label("Station").click_secondary();
    h.run();
    h.get_by_label("Help on these columns").click();
    h.run();
    assert!(h.state().help().open);
    assert_eq!(h.state().help().page, "stations");
}

#[test]
fn contents_links_back_and_escape() {
    let mut h = app();
    h.get_by_label("Help").click();
    h.run();
    h.get_by_label("Contents").click();
    h.run();
    assert_eq!(h.state().help().page, "index");
    h.get_by_label_contains("Every shortcut, the table").hover();
    // A link in the page, further down: Keyboard.
    h.get_by_role_and_label(egui::accesskit::Role::Link, "Keyboard")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::Link, "Keyboard").click();
    h.run();
    assert_eq!(h.state().help().page, "keyboard");
    h.get_by_label("Back").click();
    h.run();
    assert_eq!(h.state().help().page, "index");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().help().open, "Escape closed Help");
}

#[test]
fn search_finds_pages_and_opens_the_chosen_one() {
    let mut h = app();
    h.key_press(egui::Key::F1);
    h.run();
    h.state_mut().search_help("basic station");
    h.run();
    let hits = ia_licensing::core::help::search("basic station");
    assert_eq!(hits[0].slug, "stations");
    // The matching line is shown under the page's title.
    h.get_by_label(&hits[0].excerpt);
    let found: Vec<_> = h.query_all_by_label("Stations").collect();
    found.last().expect("the hit").click();
    h.run();
    assert_eq!(h.state().help().page, "stations");
    h.state_mut().search_help("zzqq nothing");
    h.run();
    h.get_by_label("No page has all these words.");
}

#[test]
fn the_warnings_page_explains_every_rule() {
    let mut h = app();
    h.key_press(egui::Key::F1);
    h.run();
    h.state_mut().show_help_page("warnings");
    h.run();
    assert_eq!(h.state().help().page, "warnings");
    for e in ia_licensing::core::rules::catalog::ALL {
        assert!(
            h.query_by_label(e.title).is_some() || h.query_all_by_label_contains(e.title).next().is_some(),
            "{}",
            e.code
        );
    }
}

#[test]
fn help_window_snapshot() {
    let mut results = egui_kittest::SnapshotResults::new();
    for dark in [false, true] {
        let mut h = crate::util::build_app(
            crate::util::WINDOW,
            if dark { egui::Theme::Dark } else { egui::Theme::Light },
            Startup {
                dark,
                ..Startup::demo(TrustStore::with_demo())
            },
        );
        h.state_mut().set_nav(Nav::Users);
        h.run();
        h.key_press(egui::Key::F1);
        h.run();
        h.run();
        results.add(h.try_snapshot(format!("help_users_{}", if dark { "dark" } else { "light" })));
    }
}

/// Every status-bar message is kept for View › Messages, in full; a click
/// on the status bar's message opens it.
#[test]
fn messages_are_kept_and_shown_in_full() {
    let mut h = crate::util::build_app(
        egui::vec2(1024.0, 700.0),
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    );
    h.run();
    let long = format!("Save failed: {} end of the message", "a long reason ".repeat(30));
    h.state_mut().show_status(false, long.clone());
    h.run();
    h.state_mut().show_status(true, "Loaded site.ialws");
    h.run();
    let texts: Vec<&str> = h.state().messages().entries.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(texts, [long.as_str(), "Loaded site.ialws"]);
    assert!(!h.state().messages().entries[0].ok);
    // The status bar's message opens the log.
    h.get_by_label("Loaded site.ialws").click();
    h.run();
    assert!(h.state().messages().open);
    h.get_by_label_contains("end of the message");
    h.get_by_label("2 messages");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().messages().open);
    // And from the View menu.
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Messages…").click();
    h.run();
    assert!(h.state().messages().open);
}

/// Trial 31, defect 3: F1 opened Help but the keyboard stayed with the
/// console (Tab walked the menu bar and the navigation behind, typed
/// words were lost). Help takes the keyboard: its Search field has the
/// focus, Tab and Shift+Tab go round Help's own widgets, Escape closes it
/// and gives the focus back to where it was.
#[test]
fn help_takes_the_keyboard_keeps_tab_and_gives_it_back_on_escape() {
    let mut h = app();
    h.state_mut().set_nav(Nav::Users);
    h.run();
    // The console's focus: a button of the Users view (a user selected,
    // so it is enabled).
    h.key_press(egui::Key::ArrowDown);
    h.run();
    h.get_by_label("Assign license…").focus();
    h.run();
    let console = h.ctx.memory(egui::Memory::focused).expect("the console had the focus");
    let layer_of = |h: &Harness<'_, App>, id: egui::Id| h.ctx.read_response(id).map(|r| r.layer_id);
    h.key_press(egui::Key::F1);
    h.run();
    assert!(h.state().help().open);
    let search = h.ctx.memory(egui::Memory::focused).expect("Help has the focus");
    assert_ne!(search, console, "the focus moved to Help");
    let help = layer_of(&h, search);
    assert_ne!(help, layer_of(&h, console), "Help's own widget has the focus");
    h.event(egui::Event::Text("basic station".into()));
    h.run();
    assert_eq!(
        h.state().help().search,
        "basic station",
        "typed words are Help's search"
    );
    let mut seen = std::collections::HashSet::new();
    for shift in [false, true] {
        for n in 0..30 {
            if shift {
                h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::Tab);
            } else {
                h.key_press(egui::Key::Tab);
            }
            h.run();
            let now = h.ctx.memory(egui::Memory::focused);
            let now = now.unwrap_or_else(|| panic!("Tab {n} (shift {shift}): the focus went nowhere"));
            assert_eq!(layer_of(&h, now), help, "Tab {n} (shift {shift}): the focus left Help");
            seen.insert(now);
        }
    }
    assert!(seen.len() > 3, "Tab went round Help's widgets: {}", seen.len());
    assert!(seen.contains(&search), "round to the Search field again");
    assert!(h.state().help().open);
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().help().open, "Escape closed Help");
    assert_eq!(
        h.ctx.memory(egui::Memory::focused),
        Some(console),
        "the focus is back where it was"
    );
}

/// The pages come from the folder (`build.rs`): every file there is a
/// page, in the order the contents page lists them, then Warnings.
#[test]
fn every_file_in_the_help_folder_is_a_page_in_the_contents_order() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/help");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("docs/help")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .collect();
    files.sort();
    let slugs: Vec<&str> = help::pages().iter().map(|p| p.slug).collect();
    let mut written: Vec<&str> = slugs[..slugs.len() - 1].to_vec();
    assert_eq!(slugs.last(), Some(&help::WARNINGS));
    assert_eq!(written[0], help::CONTENTS);
    let contents = help::page(help::CONTENTS).expect("contents");
    let listed: Vec<&str> = contents
        .text
        .lines()
        .filter_map(|l| l.strip_prefix("- [")?.split("](").nth(1)?.split(".md").next())
        .filter(|s| *s != help::WARNINGS)
        .collect();
    assert_eq!(written[1..=listed.len()], listed[..], "the contents' order");
    written.sort_unstable();
    assert_eq!(written, files);
}
