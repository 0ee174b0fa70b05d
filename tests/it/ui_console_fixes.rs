//! The last findings of the #31 review: the View menu's check items show
//! where the keyboard is as the other menu items do, and IA's "Host ID"
//! wherever the user reads it.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable, by};
use ia_licensing::core::license::TrustStore;
use ia_licensing::ui::app::{App, Nav, Startup};

/// Is `rect` covered by a filled rectangle painted in `fill` this frame?
fn row_filled(h: &Harness<'static, App>, rect: egui::Rect, fill: egui::Color32) -> bool {
    h.output().shapes.iter().any(|c| match &c.shape {
        egui::Shape::Rect(r) => r.fill == fill && r.rect.expand(0.5).contains_rect(rect),
        _ => false,
    })
}

/// View › Dark theme and Warnings panel, reached by Alt+V and Down: the
/// focused item's whole row is filled in the colour a focused menu button
/// has (egui marks only the small box of a focused checkbox), in light
/// and dark; the item not focused is not filled.
#[test]
fn the_view_menus_check_items_show_the_keyboard_focus() {
    for theme in [egui::Theme::Light, egui::Theme::Dark] {
        let mut h = crate::util::start(
            crate::util::harness_builder().with_theme(theme),
            Startup {
                dark: theme == egui::Theme::Dark,
                ..Startup::demo(TrustStore::with_demo())
            },
        );
        let active = h.ctx.style_of(theme).visuals.widgets.active.weak_bg_fill;
        h.key_press_modifiers(Modifiers::ALT, Key::V);
        h.run();
        for (item, other) in [("Dark theme", "Warnings panel"), ("Warnings panel", "Dark theme")] {
            h.key_press(Key::ArrowDown);
            h.run();
            let node = h.get_by_label(item);
            assert!(node.is_focused(), "{theme:?}: {item} has the keyboard");
            let rect = node.rect();
            assert!(
                row_filled(&h, rect, active),
                "{theme:?}: the focused {item} row ({rect:?}) is filled as a focused menu button"
            );
            let rect = h.get_by_label(other).rect();
            assert!(!row_filled(&h, rect, active), "{theme:?}: {other} is not focused");
        }
    }
}

/// IA writes "Host ID" (the Compare dialog, the switchover step): no view
/// says "Host Id" — License Management's details, the account's New
/// Activation File form.
#[test]
fn host_id_is_written_as_ia_writes_it() {
    let mut h = crate::util::demo_app();
    let mut seen = Vec::new();
    for nav in Nav::ALL {
        h.state_mut().set_nav(*nav);
        h.run();
        seen.extend(
            h.query_all(by().predicate(|n| {
                [n.label(), n.value()]
                    .into_iter()
                    .flatten()
                    .any(|t| t.contains("Host Id"))
            }))
            .map(|n| format!("{}: {:?}", nav.name(), n.accesskit_node().label())),
        );
    }
    assert!(seen.is_empty(), "{seen:?}");
    h.state_mut().set_nav(Nav::LicenseManagement);
    h.run();
    h.get_by_label("Host ID");
}
