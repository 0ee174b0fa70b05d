//! Nothing clipped: every view (the one list, `Nav::ALL`) and every dialog
//! (the one list, `DialogKind::all`), plus the Help and Messages windows,
//! laid out at 1024×700 (100 %), 1400×900 at 150 % and 1600×1000 (100 %),
//! light and dark. Every button, tab, checkbox, choice and field must be
//! wholly visible in the window, or be brought wholly into view by the
//! scroll area that holds it (an accessibility "scroll into view", as a
//! screen reader or a Tab would). A toolbar that runs off the window, a
//! column header no scroll reaches, a dialog taller than the window:
//! each fails here with the widget's words and where it is.

use egui::accesskit::{Action, ActionRequest};
use egui::{Id, Rect, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable, by};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, DialogKind, Nav, Startup};

struct Size {
    name: &'static str,
    width: f32,
    height: f32,
    zoom: f32,
}

const SIZES: [Size; 4] = [
    Size {
        name: "1024x700",
        width: 1024.0,
        height: 700.0,
        zoom: 1.0,
    },
    // The smallest window at the largest zoom a user reported: the
    // navigation tree and the tables must scroll there too.
    Size {
        name: "1024x700@150%",
        width: 1024.0,
        height: 700.0,
        zoom: 1.5,
    },
    Size {
        name: "1400x900@150%",
        width: 1400.0,
        height: 900.0,
        zoom: 1.5,
    },
    Size {
        name: "1600x1000",
        width: 1600.0,
        height: 1000.0,
        zoom: 1.0,
    },
];

fn app(size: &Size, dark: bool) -> Harness<'static, App> {
    let mut h = crate::util::build_app(
        egui::vec2(size.width, size.height),
        if dark { egui::Theme::Dark } else { egui::Theme::Light },
        Startup {
            dark,
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    // View › 150 %, as a user would zoom.
    h.ctx.set_zoom_factor(size.zoom);
    no_scroll_animation(&h);
    h.run();
    h
}

/// Scrolling into view at once: the check asks whether a widget can be
/// reached, not how long the scroll's animation takes (a long way took
/// more frames than it waits).
fn no_scroll_animation(h: &Harness<'static, App>) {
    h.ctx
        .all_styles_mut(|s| s.scroll_animation = egui::style::ScrollAnimation::none());
}

/// The kinds of widget a user must be able to reach.
fn must_be_reachable(r: Role) -> bool {
    matches!(
        r,
        Role::Button
            | Role::CheckBox
            | Role::RadioButton
            | Role::Tab
            | Role::ComboBox
            | Role::TextInput
            | Role::SpinButton
            | Role::Slider
            | Role::Link
            | Role::ColumnHeader
    )
}

struct Seen {
    id: Id,
    /// Behind a dialog (the background layer) or in front of it.
    background: bool,
    label: String,
    rect: Rect,
    visible: Rect,
}

/// The reachable kinds of widget drawn in the last frame (their role
/// and words from the accessibility tree), with their full rectangle and
/// the part of it not clipped (egui's widget rectangles).
fn widgets<S>(h: &Harness<'_, S>) -> Vec<Seen> {
    type Found = (Id, Rect, Rect, bool);
    let rects: std::collections::HashMap<egui::accesskit::NodeId, Found> = h.ctx.viewport(|v| {
        let pass = &v.this_pass.widgets;
        pass.layers()
            .flat_map(|(_, r)| r.iter())
            .map(|w| {
                let background = w.layer_id.order == egui::Order::Background;
                (w.id.accesskit_id(), (w.id, w.rect, w.interact_rect, background))
            })
            .collect()
    });
    let screen = h.ctx.content_rect();
    h.query_all(by().predicate(|n| must_be_reachable(n.role())))
        .filter_map(|node| {
            let a = node.accesskit_node();
            let (id, rect, interact, background) = *rects.get(&a.locate().0)?;
            rect.is_positive().then(|| Seen {
                id,
                background,
                label: a.label().or_else(|| a.value()).unwrap_or_default(),
                rect,
                visible: interact.intersect(screen),
            })
        })
        .collect()
}

/// Is the whole widget on screen (a pixel of rounding allowed)?
fn wholly_visible(s: &Seen) -> bool {
    s.visible.is_positive() && s.visible.expand(1.0).contains_rect(s.rect)
}

/// Widgets not wholly visible, after asking each to be scrolled into view
/// (with a dialog open, only the dialog's: the view behind is checked on
/// its own).
fn unreachable(h: &mut Harness<'static, App>, dialog: bool) -> Vec<String> {
    let hidden: Vec<(Id, String, Rect)> = widgets(h)
        .into_iter()
        .filter(|s| !(wholly_visible(s) || dialog && s.background))
        .map(|s| (s.id, s.label, s.rect))
        .collect();
    let mut out = Vec::new();
    for (id, label, rect) in hidden {
        // Asked twice: the first request may land before the scroll area
        // knows its content (it scrolls on the next frame).
        let mut now = None;
        for _ in 0..2 {
            h.event(egui::Event::AccessKitActionRequest(ActionRequest {
                action: Action::ScrollIntoView,
                target_node: id.accesskit_id(),
                target_tree: egui::accesskit::TreeId::ROOT,
                data: None,
            }));
            // Nested scroll areas (a table in a scrolled view) may animate
            // for a few frames.
            h.run_steps(8);
            now = widgets(h).into_iter().find(|s| s.id == id);
            if now.as_ref().is_some_and(wholly_visible) {
                break;
            }
        }
        match now {
            Some(s) if wholly_visible(&s) => {}
            Some(s) => out.push(format!("“{label}” at {:?}, visible part {:?}", s.rect, s.visible)),
            // Gone after scrolling (drawn only while in view): it was
            // reached and left again; not a clipping fault.
            None => {
                let _ = rect;
            }
        }
    }
    out
}

fn check(h: &mut Harness<'static, App>, what: &str, dialog: bool, faults: &mut Vec<String>) {
    for f in unreachable(h, dialog) {
        faults.push(format!("{what}: {f}"));
    }
}

#[test]
fn every_view_fits_or_scrolls_at_every_size() {
    let mut faults = Vec::new();
    for size in &SIZES {
        for dark in [false, true] {
            let mut h = app(size, dark);
            for nav in Nav::ALL {
                h.state_mut().set_nav(*nav);
                h.run();
                let theme = if dark { "dark" } else { "light" };
                check(
                    &mut h,
                    &format!("{} {theme} view {}", size.name, nav.name()),
                    false,
                    &mut faults,
                );
            }
        }
    }
    assert!(
        faults.is_empty(),
        "{} unreachable:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[test]
fn every_dialog_fits_or_scrolls_at_every_size() {
    let mut faults = Vec::new();
    for size in &SIZES {
        for dark in [false, true] {
            let theme = if dark { "dark" } else { "light" };
            for kind in DialogKind::all() {
                let mut h = app(size, dark);
                h.state_mut().set_nav(Nav::Users);
                h.run();
                kind.open_sample(h.state_mut());
                h.run();
                check(
                    &mut h,
                    &format!("{} {theme} dialog {kind:?}", size.name),
                    true,
                    &mut faults,
                );
            }
            // The windows that float beside the console.
            let mut h = app(size, dark);
            h.state_mut().show_help_page("users");
            h.run();
            check(&mut h, &format!("{} {theme} Help", size.name), true, &mut faults);
            let mut h = app(size, dark);
            for n in 0..40 {
                h.state_mut()
                    .show_status(n % 3 != 0, format!("Message {n}: {}", "words ".repeat(n)));
                h.run();
            }
            h.state_mut().open_messages();
            h.run();
            check(&mut h, &format!("{} {theme} Messages", size.name), true, &mut faults);
        }
    }
    assert!(
        faults.is_empty(),
        "{} unreachable:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

/// The check sees what it looks for: a button pushed off the window's
/// right edge is reported.
#[test]
fn the_check_finds_a_button_off_the_window() {
    let mut h = crate::util::window(egui::vec2(400.0, 300.0)).build_ui(|ui| {
        ui.horizontal(|ui| {
            ui.add_space(380.0);
            let _ = ui.button("Far away");
        });
    });
    h.run();
    let found = widgets(&h);
    assert_eq!(found.len(), 1, "the one button is seen");
    assert!(!wholly_visible(&found[0]), "{:?} {:?}", found[0].rect, found[0].visible);
}

/// The app made by `make` for each size (a window of that size from the
/// start, as a user opens it: a harness resized after its first frames
/// kept scroll areas that knew the old size), light and dark; `each`
/// checks it, told where it is.
fn at_every_size(
    make: impl Fn(&Size) -> Harness<'static, App>,
    mut each: impl FnMut(&mut Harness<'static, App>, &str),
) {
    for size in &SIZES {
        let mut h = make(size);
        for dark in [false, true] {
            h.ctx
                .set_theme(if dark { egui::Theme::Dark } else { egui::Theme::Light });
            h.run();
            let theme = if dark { "dark" } else { "light" };
            each(&mut h, &format!("{} {theme}", size.name));
        }
    }
}

/// Every view (the one list) checked in `h`.
fn every_view(h: &mut Harness<'static, App>, what: &str, faults: &mut Vec<String>) {
    for nav in Nav::ALL {
        h.state_mut().set_nav(*nav);
        h.run();
        check(h, &format!("{what} view {}", nav.name()), false, faults);
    }
}

fn assert_none(faults: &[String]) {
    assert!(
        faults.is_empty(),
        "{} unreachable:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

/// The account, the view that fills most: the demo account open on each
/// of its tabs (the Request tab's form is the longest).
#[test]
fn the_account_on_every_tab_fits_or_scrolls_at_every_size() {
    use ia_licensing::ui::app::FileKind;
    use ia_licensing::ui::views::account::AccountTab;
    let dir = tempfile::tempdir().expect("tmp");
    let account = dir.path().join("demo.ialacct");
    std::fs::copy(crate::util::asset("demo.ialacct"), &account).expect("copy");
    let mut faults = Vec::new();
    let make = |size: &Size| {
        let mut h = app(size, false);
        h.state_mut().open_file(FileKind::Account, account.clone());
        h.state_mut().set_nav(Nav::Account);
        h.run();
        h
    };
    at_every_size(make, |h, at| {
        for tab in AccountTab::ALL {
            h.state_mut().show_account_tab(tab);
            h.run();
            check(h, &format!("{at} account tab {tab:?}"), false, &mut faults);
        }
    });
    assert_none(&faults);
}

/// Every view with each built-in scenario loaded (its license, workspace
/// and events: License Statistics' holders, charts and denials, Usage &
/// Billing, Cloud Enforcement fill up).
#[test]
fn every_view_under_each_scenario_fits_or_scrolls_at_every_size() {
    let mut faults = Vec::new();
    for (i, (name, ..)) in ia_licensing::core::demo::SCENARIOS.iter().enumerate() {
        let make = |size: &Size| {
            let mut h = app(size, false);
            h.state_mut().load_scenario(i);
            h.run();
            h
        };
        at_every_size(make, |h, at| {
            every_view(h, &format!("{at} scenario “{name}”"), &mut faults)
        });
    }
    assert_none(&faults);
}

/// Every view on a generated site of 100,000 users and 100,000 stations
/// (six-digit counts widen the columns; the tables hold 100k rows).
#[test]
fn every_view_of_a_100k_site_fits_or_scrolls_at_every_size() {
    let (_dir, lic, ws, _) = crate::util::generated_site(ia_licensing::core::demo_generate::Size {
        users: 100_000,
        stations: 100_000,
        workgroups: 2_000,
        seed: 7,
    });
    let mut faults = Vec::new();
    at_every_size(
        |size| site_app(size, lic.clone(), ws.clone()),
        |h, at| every_view(h, &format!("{at} 100k site"), &mut faults),
    );
    assert_none(&faults);
}

/// Licenses Allocation keeps each row to one line: the table lays its rows
/// out 22 points apart and scrolls by that, and on a generated site (notes
/// on most licenses) the Notes cells wrapped, the rows grew taller than the
/// table counted, and the last rows stayed below the view whatever the
/// scroll: neither the wheel nor a screen reader's "scroll into view"
/// reached them.
#[test]
fn every_allocation_row_is_reached_by_the_wheel_and_by_scroll_into_view() {
    let (_dir, lic, ws, _) = crate::util::generated_site(ia_licensing::core::demo_generate::Size {
        users: 2_000,
        stations: 2_000,
        workgroups: 50,
        seed: 7,
    });
    let mut faults = Vec::new();
    for size in &SIZES {
        let mut h = site_app(size, lic.clone(), ws.clone());
        h.state_mut().set_nav(Nav::LicensesAllocation);
        h.run();
        let last = {
            let doc = h.state().doc();
            doc.engine().counts(doc.license()).last().map(|r| r.label.clone())
        };
        let last = last.expect("the site's licenses");
        let header = widgets(&h)
            .into_iter()
            .find(|s| s.label == "Name")
            .expect("the Name header");
        h.hover_at(header.rect.center() + egui::vec2(0.0, header.rect.height() * 2.0));
        for _ in 0..30 {
            h.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Point,
                delta: egui::vec2(0.0, -100.0),
                phase: egui::TouchPhase::Move,
                source: egui::MouseWheelSource::Unknown,
                modifiers: egui::Modifiers::NONE,
            });
            // Steps, not `run`: the row under the pointer keeps its
            // tooltip repainting.
            h.run_steps(3);
        }
        match widgets(&h).into_iter().find(|s| s.label == last) {
            Some(s) if wholly_visible(&s) => {}
            Some(s) => faults.push(format!("{}: the wheel left “{last}” at {:?}", size.name, s.rect)),
            None => faults.push(format!("{}: the wheel did not reach “{last}”", size.name)),
        }
        check(
            &mut h,
            &format!("{} Licenses Allocation", size.name),
            false,
            &mut faults,
        );
    }
    assert_none(&faults);
}

/// Tab walks Licenses Allocation's rows one by one down to the last, each
/// brought into view as it takes the focus (egui scrolls nothing to the
/// focus by itself: the rows below the view stayed there).
#[test]
fn tab_brings_each_allocation_row_into_view() {
    let (_dir, lic, ws, _) = crate::util::generated_site(ia_licensing::core::demo_generate::Size {
        users: 2_000,
        stations: 2_000,
        workgroups: 50,
        seed: 7,
    });
    let mut faults = Vec::new();
    for size in &SIZES {
        let mut h = site_app(size, lic.clone(), ws.clone());
        h.state_mut().set_nav(Nav::LicensesAllocation);
        h.run();
        let labels: Vec<String> = {
            let doc = h.state().doc();
            doc.engine()
                .counts(doc.license())
                .into_iter()
                .map(|r| r.label)
                .collect()
        };
        h.get_by_label(&labels[0]).focus();
        h.run();
        for label in &labels[1..] {
            h.key_press(egui::Key::Tab);
            h.run_steps(3);
            let focused = h.ctx.memory(|m| m.focused());
            match widgets(&h).into_iter().find(|s| s.label == *label) {
                Some(s) if Some(s.id) != focused => {
                    faults.push(format!("{}: Tab did not move to “{label}”", size.name));
                    break;
                }
                Some(s) if wholly_visible(&s) => {}
                Some(s) => faults.push(format!("{}: Tab left “{label}” at {:?}", size.name, s.rect)),
                None => {
                    faults.push(format!("{}: Tab did not reach “{label}”", size.name));
                    break;
                }
            }
        }
    }
    assert_none(&faults);
}

/// The app on a site with a usage history (a workspace file, so Usage
/// History and the Genesys Cloud estimate have something to show).
fn site_app(size: &Size, lic: std::path::PathBuf, ws: std::path::PathBuf) -> Harness<'static, App> {
    let mut h = crate::util::build_app(
        egui::vec2(size.width, size.height),
        egui::Theme::Light,
        Startup {
            file: Some(lic),
            workspace: Some(ws),
            ..Startup::demo(TrustStore::with_demo())
        },
    );
    h.ctx.set_zoom_factor(size.zoom);
    no_scroll_animation(&h);
    h.step();
    h.state_mut().wait_for_loading();
    h.run();
    h
}

/// Opens the collapsing section whose header reads `label`.
fn open_section(h: &mut Harness<'static, App>, label: &str) {
    h.get_by_label_contains(label).scroll_to_me();
    h.run();
    h.get_by_label_contains(label).click();
    h.run();
}

/// Usage History with its price list open, and the Genesys Cloud estimate
/// with every section open (mapping, unmatched users, prices, waves,
/// assumptions): what a user edits must be reachable at every size.
#[test]
fn history_and_cloud_estimate_open_fit_or_scroll_at_every_size() {
    let dir = tempfile::tempdir().expect("tmp");
    let (lic, ws) = crate::ui_cloud::site(dir.path());
    let mut faults = Vec::new();
    for size in &SIZES {
        let mut h = site_app(size, lic.clone(), ws.clone());
        h.state_mut().set_nav(Nav::UsageHistory);
        h.run();
        open_section(&mut h, "Price list");
        check(
            &mut h,
            &format!("{} Usage History, price list open", size.name),
            false,
            &mut faults,
        );
        h.state_mut().set_nav(Nav::UsageBilling);
        h.run();
        check(
            &mut h,
            &format!("{} Usage & Billing, price list open", size.name),
            false,
            &mut faults,
        );
        h.state_mut().set_nav(Nav::CloudEstimate);
        crate::ui_cloud::settle(&mut h);
        for section in [
            "Mapping: PureConnect licenses",
            "Users who match no rule",
            "Prices and contract",
            "Waves of the move",
            "Assumptions in force",
        ] {
            open_section(&mut h, section);
        }
        check(
            &mut h,
            &format!("{} Genesys Cloud estimate, every section open", size.name),
            false,
            &mut faults,
        );
    }
    assert!(
        faults.is_empty(),
        "{} unreachable:\n{}",
        faults.len(),
        faults.join("\n")
    );
}
