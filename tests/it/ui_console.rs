//! A desktop-grade console (#31): fields one can see, Enter that saves,
//! the users' words instead of internal ids, a button that cannot do what
//! cannot happen, dialogs whose buttons stay under the pointer and counts
//! that follow what is ticked.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use ia_licensing::core::catalog;
use ia_licensing::core::cost::Cents;
use ia_licensing::core::enforcement::{SimClock, midnight};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Dialog, Nav, Startup};
use ia_licensing::ui::views::Action;
use ia_licensing::ui::views::enforcement::Clock;
use ia_licensing::ui::widgets::contrast;

fn harness_with(dark: bool) -> Harness<'static, App> {
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

/// John Smith's scenario (usage billed) in Usage & Billing with the price
/// list open.
fn price_list(dark: bool) -> Harness<'static, App> {
    let mut h = harness_with(dark);
    h.run();
    h.state_mut().load_scenario(0);
    h.state_mut().set_show_warnings(false);
    h.state_mut().set_nav(Nav::UsageBilling);
    h.run();
    // The scenario's workspace has a price list.
    h.get_by_label("Price list").click();
    h.run();
    h
}

/// Replaces what a price field says (as a user would: select all, type).
fn retype(h: &mut Harness<'static, App>, label: &str, text: &str) {
    price_field(h, label).focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    if !text.is_empty() {
        price_field(h, label).type_text(text);
        h.run();
    }
}

fn price_field<'a>(h: &'a Harness<'static, App>, label: &'a str) -> egui_kittest::Node<'a> {
    h.get_by_role_and_label(Role::TextInput, label)
}

fn pixel(img: &image::RgbaImage, x: f32, y: f32) -> egui::Color32 {
    let p = img.get_pixel(x.max(0.0) as u32, y.max(0.0) as u32);
    egui::Color32::from_rgb(p[0], p[1], p[2])
}

#[test]
fn price_fields_show_their_border_on_striped_rows() {
    for dark in [false, true] {
        let mut h = price_list(dark);
        let img = h.render().expect("render");
        // Every price field, on a striped row or not: its left edge stands
        // out from the row it sits on by 3:1 (WCAG 1.4.11, the boundary of
        // a control one has to find).
        for label in ["Business User", "Agent", "Analyzer", "Supervisor"] {
            let r = price_field(&h, label).rect();
            let y = r.center().y;
            let outside = pixel(&img, r.left() - 4.0, y);
            let edge = (-1..=2)
                .map(|dx| contrast(pixel(&img, r.left() + dx as f32, y), outside))
                .fold(0.0, f64::max);
            assert!(
                edge >= 3.0,
                "{label} (dark: {dark}): the field's edge contrasts {edge:.2} with its row {outside:?}"
            );
        }
    }
}

#[test]
fn enter_in_a_price_field_saves_the_price_list() {
    let mut h = price_list(false);
    let agent = |h: &Harness<'static, App>| {
        h.state()
            .doc()
            .workspace()
            .price_list
            .as_ref()
            .and_then(|p| p.per_user_per_period.get("agent").copied())
    };
    assert_eq!(agent(&h), Some(Cents(9500)));
    retype(&mut h, "Agent", "80");
    assert_eq!(agent(&h), Some(Cents(9500)), "typing alone saves nothing");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(agent(&h), Some(Cents(8000)), "Enter saved the price list");
    // A price that is not one is not saved by Enter either: it says why.
    retype(&mut h, "Recorder", "abc");
    h.key_press(egui::Key::Enter);
    h.run();
    h.get_by_label_contains("“abc” is not a price");
    let list = h.state().doc().workspace().price_list.clone().expect("kept");
    assert_eq!(list.per_user_per_period.get("recorder"), Some(&Cents(1200)));
}

#[test]
fn prices_missing_from_the_list_are_named_in_the_users_words() {
    let mut h = price_list(false);
    // John Smith counts as an agent and for Recorder; Recorder loses its price.
    retype(&mut h, "Recorder", "");
    h.get_by_label("Save prices").click();
    h.run();
    h.get_by_label("To end").click();
    h.run();
    h.get_by_label_contains("Not in the price list: Recorder.");
    // Its users are counted but not costed: the totals are lower bounds,
    // never a complete-looking figure that leaves a charge out.
    h.get_by_label_contains("Recorder 1 × not priced");
    assert!(
        h.query_all_by_label_contains("at least").count() >= 2,
        "the period and the total"
    );
    let cost = h.state().views().usage_view.cost().expect("cost").clone();
    assert!(!cost.complete && cost.periods.iter().all(|p| !p.complete));
    assert!(
        h.query_by_label_contains("recorder").is_none(),
        "no internal id is shown"
    );
}

#[test]
fn a_check_in_cannot_be_recorded_without_a_connection() {
    let mut h = harness();
    let vc = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo-virtual-cloud.I3Lic");
    h.state_mut().load_license_file(vc);
    let start = midnight(chrono::NaiveDate::from_ymd_opt(2020, 6, 9).expect("date"));
    h.state_mut().set_clock(Clock::Simulated(SimClock::new(start)));
    h.state_mut().set_show_warnings(false);
    h.state_mut().set_nav(Nav::CloudEnforcement);
    h.run();
    let check_ins = |h: &Harness<'static, App>| match &h.state().clock() {
        Clock::Simulated(s) => s.check_ins.len(),
        Clock::Real => 0,
    };
    // The simulated clock starts without a connection.
    assert!(
        h.get_by_label("No connection (check-ins fail)")
            .accesskit_node()
            .toggled()
            == Some(egui::accesskit::Toggled::True)
    );
    let button = h.get_by_label("Record successful check-in");
    assert!(
        button.accesskit_node().is_disabled(),
        "no check-in without a connection"
    );
    button.click();
    h.run();
    assert_eq!(check_ins(&h), 0);
    // Hovering says why.
    h.get_by_label("Record successful check-in").hover();
    h.run();
    h.get_by_label("Record successful check-in").hover();
    h.run();
    h.get_by_label_contains("There is no connection to Genesys Cloud");
    // Connected, it records one.
    h.get_by_label("No connection (check-ins fail)").click();
    h.run();
    assert!(
        !h.get_by_label("Record successful check-in")
            .accesskit_node()
            .is_disabled()
    );
    h.get_by_label("Record successful check-in").click();
    h.run();
    assert_eq!(check_ins(&h), 1);
}

#[test]
fn compare_says_what_a_missing_host_id_becomes() {
    let mut h = harness();
    h.run();
    let vc = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/demo-virtual-cloud.I3Lic");
    h.state_mut().open_license_with(vc, true);
    h.run();
    h.get_by_label("Compare licenses");
    h.get_by_label("Host ID: G807test to none (virtual cloud)");
}

#[test]
fn compare_on_the_command_line_says_what_a_missing_host_id_becomes() {
    let out = crate::util::bin()
        .args(["license", "diff"])
        .arg(crate::util::asset("demo.I3Lic"))
        .arg(crate::util::asset("demo-virtual-cloud.I3Lic"))
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("G807test → none (virtual cloud)"), "{text}");
}

#[test]
fn plug_in_is_spelled_as_ia_spells_it() {
    // The seed's table of add-on licenses: "Interaction Supervisor Plug-In:
    // System Status", "… Plug-In: Workgroup", "… Plug-In: Interaction
    // Dialer" (one row of the table says "Plug-in"; IA's name is Plug-In).
    for k in catalog::all() {
        let label = catalog::label(k.key);
        if label.to_lowercase().contains("plug-in") {
            assert!(label.contains("Plug-In"), "{}: {label}", k.key);
        }
    }
    assert_eq!(
        catalog::label("I3_ACCESS_HISTORICAL_REPORT_SUPERVISOR_PLUGIN"),
        "Interaction Supervisor Plug-In: Historical Reporting"
    );
    // Nor in the Help pages or the license keys' table.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages: Vec<std::path::PathBuf> = std::fs::read_dir(dir.join("docs/help"))
        .expect("help pages")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    pages.push(dir.join("docs/license-keys.md"));
    for page in pages {
        let text = std::fs::read_to_string(&page).expect("page");
        assert!(!text.contains("Plug-in"), "{} spells Plug-in", page.display());
    }
}

/// An enabled station of the demo that holds a Basic Station license.
fn station_with_basic(h: &Harness<'static, App>) -> String {
    h.state()
        .doc()
        .workspace()
        .stations()
        .iter()
        .find(|s| s.enabled && s.licenses.contains(catalog::BASIC_STATION))
        .map(|s| s.id.clone())
        .expect("a licensed station")
}

fn open_station(h: &mut Harness<'static, App>, id: &str) {
    h.state_mut().handle(Action::OpenStation(id.to_string()));
    h.run();
    assert!(matches!(h.state().dialog(), Some(Dialog::Station(_))));
}

#[test]
fn station_configuration_keeps_its_buttons_still_when_a_message_appears() {
    let mut h = harness();
    h.run();
    let id = station_with_basic(&h);
    open_station(&mut h, &id);
    let ok = h.get_by_label("OK").rect();
    let cancel = h.get_by_label("Cancel").rect();
    // A warning appears: an enabled station without Basic Station.
    h.get_by_label("Basic Station License").click();
    h.run();
    h.get_by_label(ia_licensing::core::rules::NEEDS_BASIC_STATION);
    assert_eq!(h.get_by_label("OK").rect(), ok, "OK stays under the pointer");
    assert_eq!(h.get_by_label("Cancel").rect(), cancel);
    // An error appears too: a blank Licensed Machine Name.
    let name = h.get_by_role_and_label(Role::TextInput, "Licensed Machine Name:");
    name.focus();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.key_press(egui::Key::Backspace);
    h.run();
    h.get_by_label("The Licensed Machine Name cannot be blank");
    assert_eq!(h.get_by_label("OK").rect(), ok, "OK stays under the pointer");
    assert_eq!(h.get_by_label("Cancel").rect(), cancel);
}

/// The "N available" beside a checkbox: the label on the checkbox's line.
fn available_beside(h: &Harness<'static, App>, checkbox: &str) -> String {
    let row = h.get_by_label(checkbox).rect();
    let labels: Vec<String> = h
        .query_all_by_label_contains(" available")
        .filter(|n| (n.rect().center().y - row.center().y).abs() < 4.0)
        .filter_map(|n| n.accesskit_node().value().or_else(|| n.accesskit_node().label()))
        .collect();
    assert_eq!(labels.len(), 1, "{checkbox}: {labels:?}");
    labels[0].clone()
}

#[test]
fn station_configuration_counts_what_the_draft_takes() {
    let mut h = harness();
    h.run();
    let doc = h.state().doc();
    let id = doc
        .workspace()
        .stations()
        .iter()
        .find(|s| !s.licenses.contains(catalog::CLIENT))
        .map(|s| s.id.clone())
        .expect("a station without Client Access");
    let n = doc.remaining(catalog::CLIENT, ia_licensing::core::workspace::Method::Assignable);
    assert!(n > 0, "Client Access left to tick");
    open_station(&mut h, &id);
    assert_eq!(available_beside(&h, "Client Access License"), format!("{n} available"));
    h.get_by_label("Client Access License").click();
    h.run();
    assert_eq!(
        available_beside(&h, "Client Access License"),
        format!("{} available", n - 1),
        "the ticked license is one fewer available"
    );
    h.get_by_label("Client Access License").click();
    h.run();
    assert_eq!(available_beside(&h, "Client Access License"), format!("{n} available"));
    // Unticking one the station holds gives one back.
    let basic = h.state().doc().remaining(
        catalog::BASIC_STATION,
        ia_licensing::core::workspace::Method::Assignable,
    );
    let holds_basic = h
        .state()
        .doc()
        .workspace()
        .station(&id)
        .is_some_and(|s| s.licenses.contains(catalog::BASIC_STATION));
    if holds_basic {
        h.get_by_label("Basic Station License").click();
        h.run();
        assert_eq!(
            available_beside(&h, "Basic Station License"),
            format!("{} available", basic + 1)
        );
    }
}

#[test]
fn user_configuration_counts_what_the_draft_takes() {
    let mut h = harness();
    h.run();
    let doc = h.state().doc();
    let assignable = ia_licensing::core::workspace::Method::Assignable;
    let id = doc
        .workspace()
        .users()
        .iter()
        .find(|u| u.method == assignable && u.licenses.contains(catalog::CLIENT))
        .map(|u| u.id.clone())
        .expect("an assignable user with Client Access");
    let n = doc.remaining(catalog::CLIENT, assignable);
    h.state_mut().handle(Action::OpenUser(id));
    h.run();
    assert_eq!(available_beside(&h, "Client Access License"), format!("{n} available"));
    h.get_by_label("Client Access License").click();
    h.run();
    assert_eq!(
        available_beside(&h, "Client Access License"),
        format!("{} available", n + 1),
        "the unticked license is one more available"
    );
}
