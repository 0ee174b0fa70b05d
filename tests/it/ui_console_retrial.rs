//! What a tester found in a real window after #31's first round: the
//! estimated cost table on a large site, read-only with a scenario, the
//! price editor's first entry, License Statistics before and after a
//! replay, a bulk assign past a subscription's counts, menus by keys, the
//! status bar at 1024×700 and numbers without their thousands separators.

use std::path::PathBuf;

use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ia_licensing::core::catalog::BillingCategory;
use ia_licensing::core::command::Command;
use ia_licensing::core::cost::{Cents, PriceList};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};

use crate::util::{bin, s};

/// A generated site (license, workspace, events) of `users` users.
pub(crate) struct Site {
    pub dir: tempfile::TempDir,
    pub lic: PathBuf,
    pub ws: PathBuf,
    pub events: PathBuf,
}

pub(crate) fn generated(users: usize, events: usize) -> Site {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("site");
    let ran = bin()
        .args(["demo", "generate", "--users", &users.to_string(), "--stations", "200"])
        .args(["--events", &events.to_string(), "-o", s(&out)])
        .output()
        .expect("run demo generate");
    assert!(ran.status.success(), "{}", String::from_utf8_lossy(&ran.stderr));
    Site {
        lic: out.join("license.I3Lic"),
        ws: out.join("workspace.ialws"),
        events: out.join("events.json"),
        dir,
    }
}

/// The app on a generated site at a window size and zoom.
pub(crate) fn site_app(site: &Site, size: egui::Vec2, zoom: f32, dark: bool) -> Harness<'static, App> {
    let (lic, ws) = (site.lic.clone(), site.ws.clone());
    let mut h = crate::util::build_app(
        size,
        if dark { egui::Theme::Dark } else { egui::Theme::Light },
        Startup {
            file: Some(lic),
            workspace: Some(ws),
            dark,
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    h.ctx.set_zoom_factor(zoom);
    h.step();
    h.state_mut().wait_for_loading();
    h.run();
    h
}

/// Every billing category priced (so every period row names them all,
/// as the tester's did).
fn price_everything(h: &mut Harness<'static, App>) {
    let list = PriceList {
        currency: "USD".into(),
        per_user_per_period: BillingCategory::ALL
            .iter()
            .map(|c| (c.code().to_string(), Cents(12050)))
            .collect(),
        ..PriceList::default()
    };
    h.state_mut()
        .apply(Command::SetPriceList { price_list: Some(list) })
        .expect("price list");
    h.run();
}

/// Is the node with these words wholly inside the window once it is
/// scrolled into view (by the scroll areas that hold it)?
fn reachable(h: &mut Harness<'static, App>, label: &str) -> Result<(), String> {
    for _ in 0..3 {
        h.get_by_label(label).scroll_to_me();
        h.run();
    }
    let screen = h.ctx.content_rect();
    let rect = h.get_by_label(label).rect();
    if screen.expand(1.0).contains_rect(rect) {
        Ok(())
    } else {
        Err(format!("“{label}” at {rect:?}, the window is {screen:?}"))
    }
}

/// #1: the estimated cost's total column on a large site, at 1024×700 and
/// at 150 %: reachable, and the page no wider than the window (the chart
/// under it is not cut).
#[test]
fn estimated_cost_totals_are_reachable_on_a_large_site() {
    let site = generated(3000, 6000);
    let mut faults = Vec::new();
    for (size, zoom) in [(egui::vec2(1024.0, 700.0), 1.0), (egui::vec2(1400.0, 900.0), 1.5)] {
        let mut h = site_app(&site, size, zoom, false);
        h.state_mut().open_events(&site.events);
        h.state_mut().simulation_to_end();
        price_everything(&mut h);
        h.state_mut().set_nav(Nav::UsageBilling);
        h.run();
        for label in ["Estimated total (USD)", "Total", "Assignable licenses"] {
            if let Err(e) = reachable(&mut h, label) {
                faults.push(format!("{size:?} at {zoom}: {e}"));
            }
        }
        // Every period row names its categories within the window.
        let screen = h.ctx.content_rect();
        for node in h.query_all_by_label_contains("Business User ") {
            let r = node.rect();
            if r.right() > screen.right() + 1.0 {
                faults.push(format!(
                    "{size:?} at {zoom}: a period's categories end at {}",
                    r.right()
                ));
            }
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

/// The demo app, read-only, at 1024×700.
fn read_only_app() -> Harness<'static, App> {
    let mut h = crate::util::build_app(
        egui::vec2(1024.0, 700.0),
        egui::Theme::Light,
        Startup {
            read_only: true,
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    h.run();
    h
}

/// #2: read-only with a built-in scenario (the virtual cloud one, whose
/// status-bar words are long): the Read-only badge stays in the window,
/// and the scenario's banner does not suggest saving.
#[test]
fn read_only_scenarios_keep_the_badge_and_do_not_suggest_saving() {
    let mut h = read_only_app();
    let virtual_cloud = ia_licensing::core::demo::SCENARIOS
        .iter()
        .position(|(name, ..)| name.starts_with("Virtual cloud"))
        .expect("the virtual cloud scenario");
    for scenario in [0, virtual_cloud] {
        h.state_mut().load_scenario(scenario);
        h.run();
        assert!(h.state().read_only());
        let screen = h.ctx.content_rect();
        let badge = h.get_by_label("Read-only").rect();
        assert!(
            screen.contains_rect(badge),
            "scenario {scenario}: the Read-only badge at {badge:?} is outside the window {screen:?}"
        );
        assert!(
            h.query_by_label_contains("Save As").is_none(),
            "scenario {scenario}: nothing suggests Save As while it is disabled"
        );
        h.get_by_label_contains("nothing of it is saved");
    }
}

/// One frame as eframe runs it on a slow machine: every event the user
/// sent since the last frame arrives together (kittest otherwise runs a
/// frame per event), and the app's `raw_input_hook` sees the input first
/// (eframe calls it before each frame; kittest does not).
pub(crate) fn burst(h: &mut Harness<'static, App>, events: Vec<egui::Event>) {
    bursts(h, vec![events]);
}

/// `burst` for several bursts, one frame each (the first events of each
/// arriving while the frame before is drawn).
pub(crate) fn bursts(h: &mut Harness<'static, App>, bursts: Vec<Vec<egui::Event>>) {
    use eframe::App as _;
    let ctx = h.ctx.clone();
    for events in bursts {
        h.input_mut().events.extend(events);
        let mut raw = h.input().clone();
        h.state_mut().raw_input_hook(&ctx, &mut raw);
        *h.input_mut() = raw;
        h.step();
    }
    // The burst, then what the app kept for later frames, as eframe would
    // run them.
    // (A few frames more than any burst here needs: a frame the app keeps
    // empty on purpose does not mean it is done.)
    for _ in 0..8 {
        let mut raw = h.input().clone();
        h.state_mut().raw_input_hook(&ctx, &mut raw);
        *h.input_mut() = raw;
        h.step();
    }
    h.run();
}

/// A click at the middle of a rectangle, as pointer events.
pub(crate) fn click_at(rect: egui::Rect, modifiers: egui::Modifiers) -> Vec<egui::Event> {
    let pos = rect.center();
    let button = |pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers,
    };
    vec![egui::Event::PointerMoved(pos), button(true), button(false)]
}

pub(crate) fn key(key: egui::Key, modifiers: egui::Modifiers) -> Vec<egui::Event> {
    [true, false]
        .into_iter()
        .map(|pressed| egui::Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers,
        })
        .collect()
}

/// #3: a price typed right after clicking its field, in the same frame
/// as the click (a slow frame on a large site): every keystroke lands in
/// that field, and Enter saves what was typed there — the tester's
/// "120.5" became 5.00.
#[test]
fn keys_typed_with_the_click_reach_the_clicked_price() {
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    );
    h.run();
    h.state_mut().load_scenario(0);
    h.state_mut().set_show_warnings(false);
    h.state_mut().set_nav(Nav::UsageBilling);
    h.run();
    h.state_mut()
        .apply(Command::SetPriceList { price_list: None })
        .expect("no price list yet");
    h.run();
    h.get_by_label("Price list (none yet)").click();
    h.run();
    let field = |h: &Harness<'static, App>, label: &str| {
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, label).rect()
    };
    let price = |h: &Harness<'static, App>, code: &str| {
        h.state()
            .doc()
            .workspace()
            .price_list
            .as_ref()
            .and_then(|p| p.per_user_per_period.get(code).copied())
    };
    // Business User: click, type and Enter, each a frame of its own.
    let mut events = click_at(field(&h, "Business User"), egui::Modifiers::NONE);
    events.push(egui::Event::Text("50".into()));
    burst(&mut h, events);
    burst(&mut h, key(egui::Key::Enter, egui::Modifiers::NONE));
    assert_eq!(
        price(&h, "business-user"),
        Some(Cents(5000)),
        "the first price is saved"
    );
    // Agent: the click and the first keys in one frame, the rest in the next.
    let mut events = click_at(field(&h, "Agent"), egui::Modifiers::NONE);
    events.push(egui::Event::Text("120.".into()));
    burst(&mut h, events);
    let mut events = vec![egui::Event::Text("5".into())];
    events.extend(key(egui::Key::Enter, egui::Modifiers::NONE));
    burst(&mut h, events);
    assert_eq!(price(&h, "agent"), Some(Cents(12050)), "Agent is what was typed in it");
    assert_eq!(
        price(&h, "business-user"),
        Some(Cents(5000)),
        "Business User is unchanged"
    );
}

/// The *Licenses in use* panel's line for the license it shows, and the
/// table's row for that license, must say the same.
fn panel_agrees_with_table(h: &Harness<'static, App>, when: &str) {
    use ia_licensing::core::text::thousands;
    let sim = h.state().simulation().as_ref().expect("events");
    let rows = ia_licensing::ui::views::statistics::rows(h.state().doc(), Some(&sim.current));
    let node = h.get_by_label_contains("in use now:");
    let node = node.accesskit_node();
    let line = node.label().or_else(|| node.value()).unwrap_or_default();
    let row = rows
        .iter()
        .find(|r| line.starts_with(&format!("{} in use now:", r.label)))
        .unwrap_or_else(|| panic!("{when}: the panel names no license of the table: {line}"));
    let said = [
        format!("{} in use now: {} (", row.label, thousands(row.in_use as usize)),
        format!(
            "{} of {} concurrent",
            thousands(row.in_use_concurrent as usize),
            thousands(row.concurrent_allowed as usize)
        ),
    ];
    for s in said {
        assert!(line.contains(&s), "{when}: the panel says “{line}”, the table {s}");
    }
    // The table's own cell is there too.
    assert!(h.query_all_by_label(&thousands(row.in_use as usize)).count() >= 1);
}

/// #4: License Statistics says one thing in its table and its panel,
/// before a replay and after it; and the clock says where it stands
/// before the first event.
#[test]
fn statistics_table_and_panel_agree_before_and_after_the_replay() {
    let site = generated(3000, 4000);
    let mut h = site_app(&site, egui::vec2(1400.0, 900.0), 1.0, false);
    h.state_mut().open_events(&site.events);
    h.state_mut().set_show_warnings(false);
    h.run();
    assert_eq!(h.state().nav(), Nav::LicenseStatistics);
    h.get_by_label_contains("(before the first event, ");
    h.get_by_label("0 of 4,000 events");
    panel_agrees_with_table(&h, "before Play");
    h.get_by_label("To end").click();
    h.run();
    h.get_by_label_contains("at the last event");
    panel_agrees_with_table(&h, "at the end");
    assert!(
        h.query_by_label_contains("The clock is before the first event")
            .is_none()
    );
}

/// #5: a bulk assign far past a subscription license's counts says so in
/// the preview and in the confirmation (the rule's words: nothing is
/// refused, each license past the counts is billed per use), and Enter
/// there does not apply it.
#[test]
fn a_bulk_assign_past_a_subscriptions_counts_says_so_and_does_not_default_to_apply() {
    use ia_licensing::ui::app::Dialog;
    const KEY: &str = "I3_ACCESS_ACD_MEDIA_1";
    let site = generated(3000, 10);
    let mut h = site_app(&site, egui::vec2(1400.0, 900.0), 1.0, false);
    assert!(
        h.state().doc().license().is_subscription(),
        "the generated site bills per use"
    );
    h.state_mut().set_show_warnings(false);
    h.state_mut().set_nav(Nav::Users);
    h.run();
    let users: Vec<String> = h
        .state()
        .doc()
        .workspace()
        .users()
        .iter()
        .map(|u| u.id.clone())
        .collect();
    h.state_mut().handle(ia_licensing::ui::views::Action::Bulk {
        kind: ia_licensing::ui::views::BulkKind::Assign,
        users,
        stations: Vec::new(),
    });
    h.run();
    assert!(
        matches!(h.state().dialog(), Some(Dialog::Bulk(_))),
        "the bulk dialog is open"
    );
    h.state_mut().choose_bulk_license(KEY);
    h.run();
    let before = h.state().doc().engine().configured(KEY);
    let listed = h.state().doc().license().allowance(KEY).expect("listed").assigned;
    let past = "more than the";
    h.get_by_label_contains(past);
    h.get_by_label_contains("billed per use");
    // Enter in the preview goes to the confirmation (over 100 users)…
    h.get_by_label("Apply").click();
    h.run();
    h.state_mut().wait_for_plan();
    h.run();
    h.get_by_label_contains(past);
    let line = h.get_by_label_contains(past);
    let line = line.accesskit_node();
    let line = line.label().or_else(|| line.value()).unwrap_or_default();
    assert!(
        line.contains(&ia_licensing::core::text::thousands(listed as usize)),
        "names the file's count: {line}"
    );
    // …where Cancel is the default: Enter applies nothing.
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(
        matches!(h.state().dialog(), Some(Dialog::Bulk(_))),
        "back to the preview"
    );
    assert_eq!(h.state().doc().engine().configured(KEY), before, "nothing applied");
}

/// #6: a menu opened by Alt+letter is driven by the keyboard: Down enters
/// its entries, Tab and Shift+Tab move between them (never to the next
/// menu's title), Enter chooses the focused one.
#[test]
fn menus_opened_by_keys_take_arrows_tab_and_enter() {
    use egui::{Key, Modifiers};
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    );
    h.state_mut().set_nav(Nav::Users);
    h.run();
    let focused = |h: &Harness<'static, App>, label: &str| h.get_by_label(label).is_focused();
    // The table has the keyboard, as after clicking a user.
    h.key_press(Key::ArrowDown);
    h.run();
    let first = h
        .state()
        .views()
        .users_view
        .selection
        .ids
        .iter()
        .next()
        .cloned()
        .expect("a user");
    h.get_by_label(&first).click();
    h.run();
    h.key_press_modifiers(Modifiers::ALT, Key::V);
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    assert!(
        focused(&h, "Dark theme"),
        "Down after Alt+V: the View menu's first entry"
    );
    h.key_press(Key::ArrowDown);
    h.run();
    assert!(focused(&h, "Warnings panel"), "Down again: the next entry");
    h.key_press(Key::ArrowUp);
    h.run();
    assert!(focused(&h, "Dark theme"), "Up: back");
    h.key_press(Key::Tab);
    h.run();
    assert!(focused(&h, "Warnings panel"), "Tab moves within the open menu");
    assert!(!focused(&h, "Help"), "not to the next menu's title");
    h.key_press_modifiers(Modifiers::SHIFT, Key::Tab);
    h.run();
    assert!(focused(&h, "Dark theme"), "Shift+Tab: back within the menu");
    // However often Tab is pressed, the focus stays in the View menu.
    for n in 0..15 {
        h.key_press(Key::Tab);
        h.run();
        for title in <ia_licensing::ui::commands::Menu as strum::IntoEnumIterator>::iter().map(|m| m.label()) {
            assert!(!focused(&h, title), "Tab {n}: the focus left the menu for {title}");
        }
        assert!(egui::Popup::is_any_open(&h.ctx), "Tab {n}: the menu closed");
    }
    while !focused(&h, "Warnings panel") {
        h.key_press(Key::ArrowDown);
        h.run();
    }
    let shown = h.state().show_warnings();
    h.key_press(Key::Enter);
    h.run();
    assert_ne!(h.state().show_warnings(), shown, "Enter chose the focused entry");
}

/// #7: at 1024×700 the status bar's words (the cloud license's, a long
/// message) end inside the window, cut with "…", and the whole text is
/// there on hover; a click on the cloud words opens Cloud Enforcement.
#[test]
fn status_bar_words_are_cut_with_an_ellipsis_inside_the_window() {
    let mut h = read_only_app();
    let virtual_cloud = ia_licensing::core::demo::SCENARIOS
        .iter()
        .position(|(name, ..)| name.starts_with("Virtual cloud"))
        .expect("the virtual cloud scenario");
    h.state_mut().load_scenario(virtual_cloud);
    h.state_mut().set_nav(Nav::Users);
    h.run();
    let words = ia_licensing::ui::views::enforcement::status_words(&h.state().enforcement(), h.state().clock().now());
    let screen = h.ctx.content_rect();
    for with_message in [false, true] {
        if with_message {
            h.state_mut()
                .show_status(true, format!("Opened {}", "a/long/path/".repeat(12)));
            h.run();
        }
        let cloud = h.get_by_label_contains("Cloud license:").rect();
        assert!(
            cloud.right() <= screen.right() + 1.0,
            "message {with_message}: the cloud words end at {}, the window at {}",
            cloud.right(),
            screen.right()
        );
        if with_message {
            let message = h.get_by_label_contains("Opened a/long").rect();
            assert!(
                message.right() <= screen.right() + 1.0,
                "the message ends at {}",
                message.right()
            );
            assert!(message.width() > 100.0, "the message keeps some room: {message:?}");
        }
    }
    let bar_top = h.get_by_label_contains("Cloud license:").rect().top();
    h.get_by_label_contains("Cloud license:").hover();
    h.run();
    let tip = h.get_by_label_contains("Click for Cloud Enforcement");
    let tip = tip.accesskit_node();
    let tip = tip.label().or_else(|| tip.value()).unwrap_or_default();
    assert!(tip.contains(&words), "the whole words on hover: {tip}");
    // One tooltip, not egui's own for an elided label beside ours.
    let tips = h
        .query_all_by_label_contains(&words)
        .filter(|n| n.rect().top() < bar_top - 1.0)
        .count();
    assert_eq!(tips, 1, "one tooltip with the words");
    h.event(egui::Event::PointerMoved(egui::pos2(600.0, 300.0)));
    h.run();
    h.get_by_label_contains("Cloud license:").click();
    h.run();
    assert_eq!(h.state().nav(), Nav::CloudEnforcement);
}

/// #8: every count a user reads on a large site has its thousands
/// separator: License Management's license lines, Licenses Allocation,
/// the Warnings text, the events counter and the chart legend.
#[test]
fn counts_on_a_large_site_have_thousands_separators() {
    use ia_licensing::core::text::thousands;
    const KEY: &str = "I3_ACCESS_CLIENT";
    let site = generated(5000, 3000);
    let mut h = site_app(&site, egui::vec2(1600.0, 1000.0), 1.0, false);
    let a = h.state().doc().license().allowance(KEY).expect("Client Access").clone();
    assert!(a.assigned >= 1000, "a count that needs a separator: {}", a.assigned);
    let row = h.state().doc().engine().row(KEY, h.state().doc().license());
    h.state_mut().set_nav(Nav::LicenseManagement);
    h.run();
    h.get_by_label_contains(&format!(
        "{KEY} ({} assigned, {} pooled)",
        thousands(a.assigned as usize),
        thousands(a.pooled as usize)
    ));
    h.state_mut().set_nav(Nav::LicensesAllocation);
    h.run();
    for n in [row.assignable_allowed, row.assignable_configured] {
        h.get_all_by_label(&thousands(n as usize))
            .next()
            .expect("the count with its separator");
    }
    // The Warnings panel's text: every user given ACD Media 1, past the
    // file's count (on this subscription license, billed per use).
    let users: Vec<ia_licensing::core::subject::Subject> = h
        .state()
        .doc()
        .workspace()
        .users()
        .iter()
        .map(|u| ia_licensing::core::subject::Subject::user(u.id.clone()))
        .collect();
    h.state_mut()
        .apply(Command::Assign {
            subjects: users,
            key: "I3_ACCESS_ACD_MEDIA_1".into(),
            method: None,
        })
        .expect("assigned");
    h.run();
    let messages: Vec<String> = h
        .state()
        .doc()
        .engine()
        .diagnostics()
        .into_iter()
        .filter(|d| d.code == "billed-per-use" || d.message.contains(" users"))
        .map(|d| d.message.clone())
        .collect();
    assert!(!messages.is_empty(), "the change has its info");
    for message in messages {
        assert!(
            !regex_like_unseparated(&message),
            "a count of four digits or more without its separator: {message}"
        );
    }
    h.state_mut().open_events(&site.events);
    h.run();
    h.get_by_label("0 of 3,000 events");
    h.get_by_label("To end").click();
    h.run();
    assert!(
        h.query_all_by_label_contains(&format!("(pool {})", thousands(a.pooled as usize)))
            .count()
            >= 1
            || a.pooled < 1000,
        "the chart legend's pool"
    );
}

/// Does the text hold a run of four or more digits (a count without its
/// separator)? Dates (2026-06-01) and times are not counts.
fn regex_like_unseparated(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut run = 0;
    for (i, b) in bytes.iter().enumerate() {
        if b.is_ascii_digit() {
            run += 1;
        } else {
            if run >= 4 && *b != b'-' && (i < run + 1 || bytes[i - run - 1] != b'-') {
                return true;
            }
            run = 0;
        }
    }
    run >= 4
}

/// A test's file dialog that returns no file (as where none can open).
struct NoFile;

impl ia_licensing::ui::files::Picker for NoFile {
    fn start(&self, _: ia_licensing::ui::files::Pick) -> std::sync::mpsc::Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(None);
        rx
    }
}

/// #9: the path prompt: Enter with no path cancels (as the help says),
/// and a Browse… that returned nothing is not said again when the prompt
/// is opened anew.
#[test]
fn the_path_prompt_cancels_on_an_empty_enter_and_forgets_an_old_browse() {
    use ia_licensing::ui::app::FileKind;
    let mut h = read_only_app();
    h.state_mut().prompt_open(FileKind::Events);
    h.run();
    assert!(h.state().open_prompt().is_some());
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.state().open_prompt().is_none(), "Enter with no path cancels");
    ia_licensing::ui::files::set_picker(&h.ctx, std::sync::Arc::new(NoFile));
    h.state_mut().prompt_open(FileKind::Events);
    h.run();
    h.get_by_label("Browse…").click();
    h.run();
    h.run();
    let said = "The system file dialog returned no file";
    h.get_by_label_contains(said);
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().open_prompt().is_none());
    h.state_mut().prompt_open(FileKind::Events);
    h.run();
    assert!(
        h.query_by_label_contains(said).is_none(),
        "the old Browse… is not said again"
    );
}

/// #9: the default button of "Remove stations" is drawn as the default
/// (selected), as the confirmation's Apply is.
#[test]
fn remove_confirmation_draws_its_default_button() {
    use ia_licensing::ui::app::DialogKind;
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    );
    h.run();
    DialogKind::ConfirmRemove.open_sample(h.state_mut());
    h.run();
    // Drawn selected: its fill differs from Cancel's (a plain button).
    let img = h.render().expect("render");
    let fill = |label: &str| {
        let r = h.get_by_label(label).rect();
        let p = img.get_pixel((r.left() + 3.0) as u32, r.center().y as u32);
        [p[0], p[1], p[2]]
    };
    assert_ne!(
        fill("Remove"),
        fill("Cancel"),
        "Remove, the default (Enter), stands out"
    );
}

/// #9: the status bar says what was done ("Removed station …", in the
/// past tense), and a bulk change's undo names the users it changed, not
/// every user selected.
#[test]
fn results_read_as_results_and_undo_names_who_changed() {
    use ia_licensing::core::subject::Subject;
    let mut h = crate::util::build_app(
        crate::util::WINDOW,
        egui::Theme::Dark,
        Startup::demo(TrustStore::with_demo()),
    );
    h.run();
    let station = h.state().doc().workspace().stations()[0].id.clone();
    h.state_mut()
        .apply(Command::RemoveStation { id: station.clone() })
        .expect("removed");
    h.run();
    assert_eq!(
        h.state().status_message().as_ref().map(|(_, m)| m.as_str()),
        Some(format!("Removed station {station}").as_str())
    );
    // Every user asked to get a license some of them already have.
    // Quality Manager (Agent): 100 of 120 assignable configured.
    const KEY: &str = "I3_ACCESS_RECORDER_QUALITYMONITORING_AGENT";
    let users: Vec<Subject> = h
        .state()
        .doc()
        .workspace()
        .users()
        .iter()
        .map(|u| Subject::user(u.id.clone()))
        .collect();
    let had = h
        .state()
        .doc()
        .workspace()
        .users()
        .iter()
        .filter(|u| u.licenses.contains(KEY))
        .count();
    assert!(had > 0, "some users already have it");
    let before = h.state().doc().engine().configured(KEY);
    let _ = h.state_mut().apply(Command::Assign {
        subjects: users.clone(),
        key: KEY.into(),
        method: None,
    });
    h.run();
    let after = h.state().doc().engine().configured(KEY);
    let changed = (after.users - before.users) as usize;
    assert!(
        changed > 0 && changed < users.len(),
        "{changed} of {} changed",
        users.len()
    );
    let words = format!(
        "Assign Interaction Quality Manager (Agent) to {}",
        ia_licensing::core::text::count(changed, "user", "users")
    );
    assert_eq!(h.state().doc().undo_summary(), Some(words.as_str()));
    let status = h.state().status_message().clone().map(|(_, m)| m).unwrap_or_default();
    assert!(
        status.starts_with(&format!(
            "Assigned Interaction Quality Manager (Agent) to {}",
            ia_licensing::core::text::count(changed, "user", "users")
        )),
        "{status}"
    );
}

/// #9: on a slow frame, a click sent right after Escape closed a menu is
/// not lost (it was taken as the closing menu's "click outside").
#[test]
fn a_click_right_after_escape_closes_a_menu_is_not_lost() {
    use egui::{Key, Modifiers};
    let mut h = read_only_app();
    h.key_press_modifiers(Modifiers::ALT, Key::F);
    h.run();
    assert!(egui::Popup::is_any_open(&h.ctx), "the File menu is open");
    let stations = h.get_by_label("Stations").rect();
    let mut events = key(Key::Escape, Modifiers::NONE);
    events.extend(click_at(stations, Modifiers::NONE));
    burst(&mut h, events);
    assert!(!egui::Popup::is_any_open(&h.ctx), "Escape closed the menu");
    assert_eq!(h.state().nav(), Nav::Stations, "the click went to Stations");
}

/// #9: Shift+Down and Shift+End sent as one burst (Shift released before
/// the frame) extend the selection, as they do with Shift held.
#[test]
fn a_shift_chord_in_one_burst_extends_the_selection() {
    use egui::{Event, Key, Modifiers};
    let mut h = read_only_app();
    h.state_mut().set_nav(Nav::Users);
    h.run();
    h.key_press(Key::ArrowDown);
    h.run();
    let selected = |h: &Harness<'static, App>| h.state().views().users_view.selection.len();
    assert_eq!(selected(&h), 1);
    let chord = |k: Key| {
        let mut events = vec![Event::ModifiersChanged(Modifiers::SHIFT)];
        events.extend(key(k, Modifiers::SHIFT));
        events.extend(key(k, Modifiers::SHIFT));
        events.push(Event::ModifiersChanged(Modifiers::NONE));
        events
    };
    burst(&mut h, chord(Key::ArrowDown));
    assert_eq!(selected(&h), 3, "Shift+Down twice extends to three rows");
    burst(&mut h, chord(Key::End));
    let users = h.state().doc().workspace().users().len();
    assert_eq!(selected(&h), users, "Shift+End extends to the last row");
}

/// #6 with #9: Enter that chooses a menu entry opening a prompt is the
/// entry's, not also the prompt's (an empty prompt's Enter cancels it).
#[test]
fn enter_on_a_menu_entry_opens_its_prompt_and_leaves_it_open() {
    use egui::{Key, Modifiers};
    let mut h = read_only_app();
    h.key_press_modifiers(Modifiers::ALT, Key::F);
    h.run();
    let mut n = 0;
    while !h.get_by_label("Open Events…").is_focused() {
        h.key_press(Key::ArrowDown);
        h.run();
        n += 1;
        assert!(n < 30, "Open Events… is reached by Down");
    }
    h.key_press(Key::Enter);
    h.run();
    assert!(h.state().open_prompt().is_some(), "the Open Events prompt stays open");
}

/// #9: the same, with the click in the frame after the Escape (a fast
/// click, not in the same burst): the menu drawn in the Escape's frame
/// must not take it.
#[test]
fn a_click_in_the_frame_after_escape_closed_a_menu_is_not_lost() {
    use egui::{Key, Modifiers};
    let mut h = read_only_app();
    h.get_by_label("File").click();
    h.run();
    assert!(egui::Popup::is_any_open(&h.ctx), "the File menu is open");
    let stations = h.get_by_label("Stations").rect();
    bursts(
        &mut h,
        vec![key(Key::Escape, Modifiers::NONE), click_at(stations, Modifiers::NONE)],
    );
    assert_eq!(h.state().nav(), Nav::Stations, "the click went to Stations");
}
