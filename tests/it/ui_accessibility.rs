//! Accessibility, checked on the AccessKit tree a screen reader gets, for
//! every view (the one list, `Nav::ALL`) and every dialog (the one list,
//! `DialogKind::all` with `DialogKind::open_sample`): a view or dialog added
//! to its list is checked here the day it exists. The views are checked as
//! they open on the demo data, and again in the states that fill them most
//! (the demo account on each tab, each built-in scenario, a site with a
//! usage history with every section open).
//!
//! The rules (docs/testing.md repeats them):
//!
//! 1. **Every focusable node has a name.** Focusable: a node whose role a
//!    user acts on (`egui::accessibility::is_input`: button, checkbox,
//!    radio, text input, combo box, slider, spin button, link, tab, …; and
//!    column headers), or any node that accepts AccessKit's Focus action
//!    (what Tab reaches), unless hidden from the tree. Its name is its
//!    label, its own or through `labelled_by` (a `Label`'s name is its
//!    text). A placeholder (hint text) is not a name: Windows' UI
//!    Automation gives it as help text, not as the name a screen reader
//!    announces. A name must hold a letter or a digit: a button named "×"
//!    or "+" is read as a symbol or not at all.
//! 2. **No two focusable siblings share a role and a name.** Siblings as a
//!    screen reader sees them: nodes with the same parent once generic
//!    containers are skipped (AccessKit's platform adapters skip them, and
//!    egui makes one of every row, grid and frame), so the "Remove" buttons
//!    of every row of a list are siblings, and cannot be told apart by ear
//!    unless each says which row. The one exception, `SAME_NAME_ALLOWED`,
//!    is a command offered in two places, with its reason.
//! 3. **Tab follows the layout within each panel.** The test takes the
//!    focus away, lets the view or dialog put it where it does on opening
//!    (a dialog's first field), then presses Tab until the focus comes back
//!    to a node it has visited, noting each node it lands on, its rectangle
//!    and its *panel*: the nearest ancestor whose role is a pane (egui's
//!    top, bottom, side and central panels), a dialog (a modal or popup), a
//!    window or a menu, or the root. Within one panel each stop must not
//!    read before the previous stop of that panel: it fails when the new
//!    stop lies wholly above the previous one, or on the same line (their
//!    vertical spans overlap) and wholly to its left (half a point of
//!    rounding allowed). Both rectangles are read in the same frame; a stop
//!    whose predecessor is no longer drawn (a virtualised row scrolled
//!    away) is not compared. Going from one panel to another is free
//!    (egui's order of panels: menu bar, navigation, the view, the Warnings
//!    panel), and so is the wrap back to the first stop, which ends the
//!    walk. A focus that Tab does not move (a keyboard trap), one the tree
//!    does not hold or hides (a screen reader cannot follow it), and a
//!    cycle longer than `MAX_STOPS` fail too.
//!
//! `the_checks_find_*` below show that each rule can fail.

use std::collections::HashMap;

use egui::Rect;
use egui::accesskit::{Action, NodeId, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::{AccessKitNode, NodeT};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, DialogKind, Nav, Startup};

/// Tab presses before giving up on coming back to a visited node (no
/// view holds this many stops; more is a fault).
const MAX_STOPS: usize = 600;

/// Roles a user acts on: egui's list of input roles, and column headers.
fn focusable_role(role: Role) -> bool {
    egui::accessibility::is_input(role) || role == Role::ColumnHeader
}

/// Is the node one Tab or a screen reader's focus can land on?
fn focusable(node: &AccessKitNode<'_>) -> bool {
    !node.is_hidden() && (focusable_role(node.role()) || node.data().supports_action(Action::Focus))
}

/// What a screen reader announces as the node's name.
fn name(node: &AccessKitNode<'_>) -> Option<String> {
    let text = if node.role() == Role::Label {
        node.value()
    } else {
        node.label()
    };
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// A name a listener can use: it holds a letter or a digit.
fn speakable(name: &str) -> bool {
    name.chars().any(char::is_alphanumeric)
}

/// Roles that make a node a panel for the focus-order rule.
fn is_panel(role: Role) -> bool {
    matches!(
        role,
        Role::Pane | Role::Dialog | Role::AlertDialog | Role::Window | Role::Menu | Role::MenuBar
    )
}

/// The node's panel: its nearest ancestor with a panel role (the root if
/// none).
fn panel_of<'t>(node: &AccessKitNode<'t>) -> AccessKitNode<'t> {
    let mut at = node.parent();
    let mut last = *node;
    while let Some(p) = at {
        if is_panel(p.role()) {
            return p;
        }
        last = p;
        at = p.parent();
    }
    last
}

/// Is the node inside a dialog (a modal's area)?
fn in_dialog(node: &AccessKitNode<'_>) -> bool {
    std::iter::successors(node.parent(), AccessKitNode::parent)
        .any(|p| matches!(p.role(), Role::Dialog | Role::AlertDialog))
}

/// The node's rectangle in points (the harness draws at 1 pixel a point).
fn rect(node: &AccessKitNode<'_>) -> Option<Rect> {
    node.bounding_box().map(|r| {
        Rect::from_min_max(
            egui::pos2(r.x0 as f32, r.y0 as f32),
            egui::pos2(r.x1 as f32, r.y1 as f32),
        )
    })
}

fn describe(node: &AccessKitNode<'_>) -> String {
    let words = name(node).unwrap_or_else(|| "(no name)".into());
    let at = rect(node).map_or_else(String::new, |r| format!(" at ({:.0}, {:.0})", r.min.x, r.min.y));
    format!("{:?} “{words}”{at}", node.role())
}

fn describe_panel(node: &AccessKitNode<'_>) -> String {
    let at = rect(node).map_or_else(String::new, |r| {
        format!(" ({:.0}, {:.0})–({:.0}, {:.0})", r.min.x, r.min.y, r.max.x, r.max.y)
    });
    match name(node) {
        Some(n) => format!("{:?} “{n}”{at}", node.role()),
        None => format!("{:?}{at}", node.role()),
    }
}

/// The parent a screen reader sees: AccessKit's platform adapters skip
/// generic containers (egui's rows, grids, frames and scroll areas), so
/// the buttons of every row of a grid are siblings to the listener.
fn seen_parent<'t>(node: &AccessKitNode<'t>) -> Option<AccessKitNode<'t>> {
    std::iter::successors(node.parent(), AccessKitNode::parent).find(|p| p.role() != Role::GenericContainer)
}

/// Controls that may share a role and a name with a sibling, each with
/// the reason: one command offered in two places does one thing, so one
/// name is right (WCAG 3.2.4: the same function is named the same).
const SAME_NAME_ALLOWED: &[(Role, &str, &str)] = &[(
    Role::Button,
    "Use the example prices",
    "the Genesys Cloud estimate offers it beside the note that there are no prices and in the price \
     list; both fill in the same example prices",
)];

/// Rules 1 and 2 on the harness's tree; `dialog_only` keeps to the nodes
/// inside a dialog (the view behind it is checked on its own).
pub fn naming_faults<S>(h: &Harness<'_, S>, dialog_only: bool) -> Vec<String> {
    let mut faults = Vec::new();
    let root = h.root();
    let nodes: Vec<AccessKitNode<'_>> = root
        .children_recursive()
        .map(|n| n.accesskit_node())
        .filter(focusable)
        .filter(|n| !dialog_only || in_dialog(n))
        .collect();
    let mut by_parent: HashMap<(NodeId, Role, String), Vec<String>> = HashMap::new();
    for node in &nodes {
        match name(node) {
            None => faults.push(format!("{} has no name", describe(node))),
            Some(n) if !speakable(&n) => faults.push(format!(
                "{} has no name a listener can use (no letter or digit)",
                describe(node)
            )),
            Some(n) => {
                if let Some(parent) = seen_parent(node) {
                    let key = (parent.locate().0, node.role(), n);
                    if !SAME_NAME_ALLOWED
                        .iter()
                        .any(|(role, words, _)| *role == key.1 && *words == key.2)
                    {
                        by_parent.entry(key).or_default().push(describe(node));
                    }
                }
            }
        }
    }
    let mut same: Vec<String> = by_parent
        .into_values()
        .filter(|v| v.len() > 1)
        .map(|v| format!("siblings with the same role and name: {}", v.join(", ")))
        .collect();
    same.sort();
    faults.extend(same);
    faults
}

/// One place Tab landed.
struct Stop {
    node: NodeId,
    panel: NodeId,
    panel_words: String,
    words: String,
}

/// Does `b` read before `a` (wholly above it, or on its line and wholly to
/// its left)? Half a point of rounding is allowed.
fn reads_before(b: Rect, a: Rect) -> bool {
    const EPS: f32 = 0.5;
    let wholly_above = b.max.y <= a.min.y + EPS;
    let wholly_below = b.min.y >= a.max.y - EPS;
    wholly_above || (!wholly_below && b.max.x <= a.min.x + EPS)
}

/// Rule 3: Tab round the whole cycle, from no focus (or from where the
/// view or dialog then puts it: a dialog's first field); the faults found.
pub fn focus_order_faults<S>(h: &mut Harness<'_, S>) -> Vec<String> {
    let mut faults = Vec::new();
    let mut stops: Vec<Stop> = Vec::new();
    // The last stop seen in each panel.
    let mut last_in_panel: HashMap<NodeId, usize> = HashMap::new();
    if let Some(id) = h.ctx.memory(|m| m.focused()) {
        h.ctx.memory_mut(|m| m.surrender_focus(id));
    }
    h.run();
    let mut focused = h.ctx.memory(|m| m.focused());
    for press in 0..=MAX_STOPS {
        if press > 0 || focused.is_none() {
            h.key_press(egui::Key::Tab);
            h.run();
            focused = h.ctx.memory(|m| m.focused());
        }
        let Some(focused) = focused else {
            if stops.is_empty() {
                // Nothing to reach.
                return faults;
            }
            faults.push(format!(
                "Tab after {} left nothing focused (the cycle should come back to the first stop)",
                stops.last().map_or("", |s| s.words.as_str())
            ));
            return faults;
        };
        let id = focused.accesskit_id();
        if stops.iter().any(|s| s.node == id) {
            if stops.last().is_some_and(|s| s.node == id) && stops.len() > 1 {
                faults.push(format!(
                    "Tab does not leave {} (a keyboard trap)",
                    stops.last().map_or("", |s| s.words.as_str())
                ));
            }
            return faults;
        }
        let root = h.root();
        let all: HashMap<NodeId, AccessKitNode<'_>> = root
            .children_recursive()
            .map(|n| {
                let a = n.accesskit_node();
                (a.locate().0, a)
            })
            .collect();
        let Some(node) = all.get(&id) else {
            faults.push(format!(
                "Tab after {} focused a widget the accessibility tree does not hold",
                stops.last().map_or("the start", |s| s.words.as_str())
            ));
            // Its place is unknown: carry on from it.
            stops.push(Stop {
                node: id,
                panel: id,
                panel_words: String::new(),
                words: "(a widget not in the tree)".into(),
            });
            continue;
        };
        if node.is_hidden() {
            faults.push(format!(
                "Tab after {} focused {}, which is hidden from a screen reader",
                stops.last().map_or("the start", |s| s.words.as_str()),
                describe(node)
            ));
        }
        let panel = panel_of(node);
        let stop = Stop {
            node: id,
            panel: panel.locate().0,
            panel_words: describe_panel(&panel),
            words: describe(node),
        };
        if let Some(&before) = last_in_panel.get(&stop.panel) {
            let prev = &stops[before];
            // Both rectangles from this frame; a predecessor no longer drawn
            // (a table row scrolled away) is not compared.
            if let (Some(a), Some(b)) = (all.get(&prev.node).and_then(rect), rect(node))
                && reads_before(b, a)
            {
                faults.push(format!(
                    "in {}: Tab goes from {} back to {}, which reads before it",
                    stop.panel_words, prev.words, stop.words
                ));
            }
        }
        last_in_panel.insert(stop.panel, stops.len());
        stops.push(stop);
    }
    faults.push(format!(
        "Tab did not come back to a visited widget after {MAX_STOPS} presses (last: {})",
        stops.last().map_or("", |s| s.words.as_str())
    ));
    faults
}

fn report(faults: &[String]) {
    assert!(
        faults.is_empty(),
        "{} accessibility fault(s):\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[test]
fn every_view_names_its_controls_and_tabs_in_reading_order() {
    let mut faults = Vec::new();
    for &nav in Nav::ALL {
        let mut h = demo();
        h.state_mut().set_nav(nav);
        h.run();
        check_view(&mut h, &format!("view {}", nav.name()), &mut faults);
    }
    report(&faults);
}

#[test]
fn every_dialog_names_its_controls_and_tabs_in_reading_order() {
    let mut faults = Vec::new();
    for kind in DialogKind::all() {
        let mut h = demo();
        h.state_mut().set_nav(Nav::Users);
        h.run();
        kind.open_sample(h.state_mut());
        h.run();
        assert_eq!(
            h.state().modals().last().map(|m| m.kind()),
            Some(kind),
            "{kind:?} opens"
        );
        for f in naming_faults(&h, true) {
            faults.push(format!("dialog {kind:?}: {f}"));
        }
        for f in focus_order_faults(&mut h) {
            faults.push(format!("dialog {kind:?} (Tab): {f}"));
        }
    }
    report(&faults);
}

/// The app in the one harness (`util::harness_builder`), without
/// egui_kittest's own check after each frame (unnamed inputs, a hint taken
/// for a name): it would stop at the first fault, where this test reports
/// every fault of every view and dialog by its stricter rules.
fn console(startup: Startup) -> Harness<'static, App> {
    crate::util::start(crate::util::harness_builder().with_accessibility_check(false), startup)
}

fn demo() -> Harness<'static, App> {
    console(Startup::demo(TrustStore::with_demo()))
}

fn check_view(h: &mut Harness<'static, App>, what: &str, faults: &mut Vec<String>) {
    for f in naming_faults(h, false) {
        faults.push(format!("{what}: {f}"));
    }
    for f in focus_order_faults(h) {
        faults.push(format!("{what} (Tab): {f}"));
    }
}

/// The views in the states that fill them most (those `ui_layout` lays
/// out): the demo account open on each of its tabs; each built-in
/// scenario in License Statistics, Usage & Billing and Cloud Enforcement;
/// a site with a usage history in Usage History (its price list open) and
/// the Genesys Cloud estimate (every section open).
#[test]
fn filled_views_name_their_controls_and_tab_in_reading_order() {
    use ia_licensing::ui::app::FileKind;
    use ia_licensing::ui::views::account::AccountTab;
    let dir = tempfile::tempdir().expect("tmp");
    let account = dir.path().join("demo.ialacct");
    std::fs::copy(crate::util::asset("demo.ialacct"), &account).expect("copy");
    let mut faults = Vec::new();
    let mut h = demo();
    h.state_mut().open_file(FileKind::Account, account);
    h.state_mut().set_nav(Nav::Account);
    h.run();
    for tab in AccountTab::ALL {
        h.state_mut().show_account_tab(tab);
        h.run();
        check_view(&mut h, &format!("account tab {tab:?}"), &mut faults);
    }
    for (i, (name, ..)) in ia_licensing::core::demo::SCENARIOS.iter().enumerate() {
        let mut h = demo();
        h.state_mut().load_scenario(i);
        h.run();
        for nav in [Nav::LicenseStatistics, Nav::UsageBilling, Nav::CloudEnforcement] {
            h.state_mut().set_nav(nav);
            h.run();
            check_view(&mut h, &format!("scenario “{name}” {}", nav.name()), &mut faults);
        }
    }
    let (lic, ws) = crate::ui_cloud::site(dir.path());
    let mut h = console(Startup {
        file: Some(lic),
        workspace: Some(ws),
        ..Startup::demo(TrustStore::with_demo())
    });
    h.state_mut().set_nav(Nav::UsageHistory);
    h.run();
    open_section(&mut h, "Price list");
    check_view(&mut h, "Usage History, price list open", &mut faults);
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
    check_view(&mut h, "Genesys Cloud estimate, every section open", &mut faults);
    // Each exception is still needed: drop it when its command is offered once.
    for (role, words, _) in SAME_NAME_ALLOWED {
        let offered = egui_kittest::kittest::Queryable::query_all_by_role_and_label(&h, *role, words).count();
        assert!(
            offered > 1,
            "“{words}” is offered {offered} time(s): drop its exception"
        );
    }
    report(&faults);
}

/// A panel's resize handle says which panel: egui names every one
/// "Resize panel", which tells a listener nothing.
#[test]
fn every_resize_handle_says_what_it_resizes() {
    let mut generic = Vec::new();
    for &nav in Nav::ALL {
        let mut h = demo();
        h.state_mut().set_nav(nav);
        h.run();
        for node in h.root().children_recursive().map(|n| n.accesskit_node()) {
            if node.role() == Role::Splitter && !node.is_hidden() && name(&node).as_deref() == Some("Resize panel") {
                generic.push(format!("view {}: {}", nav.name(), describe(&node)));
            }
        }
    }
    assert!(generic.is_empty(), "{generic:#?}");
}

/// What has the keyboard focus, in a screen reader's words.
fn focused_words(h: &Harness<'static, App>) -> String {
    let Some(id) = h.ctx.memory(|m| m.focused()) else {
        return "nothing".into();
    };
    h.root()
        .children_recursive()
        .map(|n| n.accesskit_node())
        .find(|n| n.locate().0 == id.accesskit_id())
        .map_or_else(|| "a widget not in the tree".into(), |n| describe(&n))
}

/// A table's column resize handles are the mouse's: Tab and Shift+Tab pass
/// over them (egui_extras registers them after the body, where Tab would
/// otherwise rest on each, unnamed).
#[test]
fn tab_and_shift_tab_pass_over_a_tables_column_handles() {
    use egui_kittest::kittest::Queryable;
    let mut h = demo();
    h.state_mut().set_nav(Nav::Users);
    h.run();
    // The last column's header, then on to the Warnings panel.
    h.get_by_role_and_label(Role::Button, "Warnings").focus();
    h.run();
    h.key_press(egui::Key::Tab);
    h.run();
    let after = focused_words(&h);
    assert!(after.starts_with("DisclosureTriangle “Error: "), "Tab went to {after}");
    h.key_press_modifiers(egui::Modifiers::SHIFT, egui::Key::Tab);
    h.run();
    let back = focused_words(&h);
    assert!(back.starts_with("Button “Warnings”"), "Shift+Tab went to {back}");
}

/// In Licenses Allocation each row is one Tab stop, its license's name,
/// and Enter opens License Configuration, as a double-click does.
#[test]
fn enter_on_a_license_in_licenses_allocation_opens_who_holds_it() {
    use egui_kittest::kittest::Queryable;
    let mut h = demo();
    h.state_mut().set_nav(Nav::LicensesAllocation);
    h.run();
    h.get_by_role_and_label(Role::Button, "Client Access").focus();
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(
        h.state().modals().last().map(|m| m.kind()),
        Some(DialogKind::LicenseConfiguration)
    );
}

/// Opens the collapsing section whose header reads `label`.
fn open_section(h: &mut Harness<'static, App>, label: &str) {
    use egui_kittest::kittest::Queryable;
    h.get_by_label_contains(label).scroll_to_me();
    h.run();
    h.get_by_label_contains(label).click();
    h.run();
}

/// A bare window for the self-tests of the checks.
fn bare(draw: impl FnMut(&mut egui::Ui) + 'static) -> Harness<'static> {
    let mut h = crate::util::window(egui::vec2(400.0, 300.0))
        .with_accessibility_check(false)
        .build_ui(draw);
    h.run();
    h
}

#[test]
fn the_checks_find_an_unnamed_button_and_a_symbol_for_a_name() {
    let h = bare(|ui| {
        let _ = ui.add(egui::Button::new(""));
        let _ = ui.button("×");
        let _ = ui.button("Remove");
    });
    let faults = naming_faults(&h, false);
    assert_eq!(faults.len(), 2, "{faults:#?}");
    assert!(faults[0].contains("no name"), "{faults:#?}");
    assert!(faults[1].contains("no letter or digit"), "{faults:#?}");
}

#[test]
fn the_checks_find_an_unnamed_text_field_with_only_a_hint() {
    let mut text = String::new();
    let h = bare(move |ui| {
        let _ = ui.add(egui::TextEdit::singleline(&mut text).hint_text("Filter"));
    });
    let faults = naming_faults(&h, false);
    assert_eq!(faults.len(), 1, "{faults:#?}");
}

#[test]
fn the_checks_find_two_sibling_buttons_with_one_name() {
    let h = bare(|ui| {
        ui.horizontal(|ui| {
            let _ = ui.button("Remove");
            let _ = ui.button("Remove");
        });
        // Rows of a list are siblings to a listener too (generic
        // containers are skipped): one "Edit" per row cannot be told apart.
        ui.horizontal(|ui| {
            let _ = ui.button("Edit");
        });
        ui.horizontal(|ui| {
            let _ = ui.button("Edit");
        });
        // Named for their row, they can.
        let _ = ui.button("Edit…").accessible_name("Edit policy Agents…");
        let _ = ui.button("Edit…").accessible_name("Edit policy Supervisors…");
    });
    let faults = naming_faults(&h, false);
    assert_eq!(faults.len(), 2, "{faults:#?}");
    assert!(faults.iter().all(|f| f.contains("same role and name")), "{faults:#?}");
    assert!(faults.iter().any(|f| f.contains("“Edit”")), "{faults:#?}");
    assert!(faults.iter().any(|f| f.contains("“Remove”")), "{faults:#?}");
}

#[test]
fn the_checks_find_tab_going_right_to_left_and_upwards() {
    // Drawn right to left: Tab goes from "Two" (right) to "One" (left).
    let mut h = bare(|ui| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
            let _ = ui.button("Two");
            let _ = ui.button("One");
        });
    });
    let faults = focus_order_faults(&mut h);
    assert_eq!(faults.len(), 1, "{faults:#?}");
    assert!(
        faults[0].contains("“Two”") && faults[0].contains("back to"),
        "{faults:#?}"
    );
    // Drawn bottom up.
    let mut h = bare(|ui| {
        ui.with_layout(egui::Layout::bottom_up(egui::Align::Min), |ui| {
            let _ = ui.button("Last");
            let _ = ui.button("First");
        });
    });
    assert_eq!(focus_order_faults(&mut h).len(), 1);
    // In reading order: nothing found.
    let mut h = bare(|ui| {
        ui.horizontal(|ui| {
            let _ = ui.button("One");
            let _ = ui.button("Two");
        });
        let _ = ui.button("Three");
    });
    assert_eq!(focus_order_faults(&mut h), Vec::<String>::new());
}
