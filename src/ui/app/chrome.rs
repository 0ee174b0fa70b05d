//! The window's chrome: menu bar, navigation tree, status bar, demo banner.

use crate::ui::commands::AppCommand;

use super::*;

impl App {
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        use crate::ui::commands::Menu;
        use strum::IntoEnumIterator;
        let mut queue = Vec::new();
        // F10 opens the File menu, Alt+F/E/V/H the File, Edit, View and Help
        // menus, as on a desktop (then the arrows or Tab, and Enter, within
        // the menu).
        let keys: Vec<bool> = ui.input_mut(|i| {
            let f10 = i.consume_key(egui::Modifiers::NONE, egui::Key::F10);
            Menu::iter()
                .map(|m| i.consume_key(egui::Modifiers::ALT, m.access_key()) || (f10 && m == Menu::File))
                .collect()
        });
        // While a menu is open, Tab and Shift+Tab move within it as Down and
        // Up do (egui's menus take the arrows; a Tab would otherwise leave
        // the open menu for the next menu's title).
        if egui::Popup::is_any_open(ui.ctx()) {
            let tab = ui.input(|i| {
                i.events.iter().rev().find_map(|e| match e {
                    egui::Event::Key {
                        key: egui::Key::Tab,
                        pressed: true,
                        modifiers,
                        ..
                    } if !modifiers.any() => Some(egui::FocusDirection::Down),
                    egui::Event::Key {
                        key: egui::Key::Tab,
                        pressed: true,
                        modifiers,
                        ..
                    } if modifiers.shift_only() => Some(egui::FocusDirection::Up),
                    _ => None,
                })
            });
            if let Some(direction) = tab {
                ui.memory_mut(|m| m.move_focus(direction));
            }
        }
        let mut buttons: Vec<egui::Id> = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            for menu in Menu::iter() {
                let response = ui.menu_button(menu.label(), |ui| {
                    self.menu_extras(ui, menu, None);
                    // The commands of this menu, from the one list, by group.
                    let mut group = None;
                    let mut submenus_drawn: Vec<&str> = Vec::new();
                    for c in AppCommand::all().filter(|c| c.place().0 == menu) {
                        let g = c.place().1;
                        if let Some(last) = group.filter(|last| *last != g) {
                            self.menu_extras(ui, menu, Some(last));
                            ui.separator();
                        }
                        group = Some(g);
                        match c.submenu() {
                            Some(sub) if submenus_drawn.contains(&sub) => {}
                            Some(sub) => {
                                submenus_drawn.push(sub);
                                ui.menu_button(sub, |ui| {
                                    for s in AppCommand::all().filter(|x| x.submenu() == Some(sub)) {
                                        self.menu_item(ui, s, &mut queue);
                                    }
                                });
                            }
                            None => self.menu_item(ui, c, &mut queue),
                        }
                    }
                    if let Some(last) = group {
                        self.menu_extras(ui, menu, Some(last));
                    }
                });
                buttons.push(response.response.id);
            }
        });
        for (open, id) in keys.iter().zip(&buttons) {
            if *open {
                egui::Popup::open_id(ui.ctx(), id.with("popup"));
                // The menu's title takes the keyboard (from the table, say):
                // egui's menu then enters its entries on Down.
                ui.memory_mut(|m| m.request_focus(*id));
                ui.ctx().request_repaint();
            }
        }
        self.commands.extend(queue);
    }

    /// One command's entry: its words (which may depend on state: "Undo
    /// Rename x"), its shortcut, enabled or not.
    fn menu_item(&mut self, ui: &mut egui::Ui, c: AppCommand, queue: &mut Vec<AppCommand>) {
        let doc = self.session.doc();
        let (enabled, label) = match c {
            AppCommand::Undo => (doc.can_undo(), doc.undo_summary().map(|s| format!("Undo {s}"))),
            AppCommand::Redo => (doc.can_redo(), doc.redo_summary().map(|s| format!("Redo {s}"))),
            _ => (true, None),
        };
        // Off in a read-only session, saying why (the session's one answer).
        let read_only = c.changes_document().then(|| self.session.read_only()).flatten();
        if c.button(ui, enabled && read_only.is_none(), label, read_only.as_deref()) {
            queue.push(c);
            ui.close();
            // Chosen by Enter or Space: the key was the entry's, not also
            // that of the dialog it opens this frame (an empty path
            // prompt's Enter would cancel it).
            ui.input_mut(|i| {
                i.consume_key(egui::Modifiers::NONE, egui::Key::Enter);
                i.consume_key(egui::Modifiers::NONE, egui::Key::Space);
            });
        }
    }

    /// What a menu holds besides commands: at its top (`after` = None) the
    /// View menu's theme and panels; after the File menu's group 2 the
    /// scenarios and recent files.
    fn menu_extras(&mut self, ui: &mut egui::Ui, menu: crate::ui::commands::Menu, after: Option<u8>) {
        use crate::ui::commands::Menu;
        match (menu, after) {
            (Menu::View, None) => {
                if crate::ui::widgets::menu_check(ui, &mut self.dark, "Dark theme").changed() {
                    ui.ctx().set_theme(if self.dark {
                        egui::Theme::Dark
                    } else {
                        egui::Theme::Light
                    });
                }
                crate::ui::widgets::menu_check(ui, &mut self.show_warnings, "Warnings panel");
                if let Some(why) = self.session.read_only() {
                    // Shown, not switchable: leaving read-only means starting again.
                    ui.add_enabled(false, egui::Checkbox::new(&mut true, "Read-only"))
                        .on_disabled_hover_text(why);
                }
                ui.separator();
            }
            (Menu::File, Some(2)) => {
                ui.menu_button("Scenarios", |ui| {
                    for (i, (name, ..)) in crate::ui::simulation::SCENARIOS.iter().enumerate() {
                        if ui.button(crate::core::demo::scenario_title(name)).clicked() {
                            self.load_scenario(i);
                            ui.close();
                        }
                    }
                });
                ui.separator();
                ui.menu_button("Recent files", |ui| {
                    if self.recent.is_empty() {
                        ui.label("No recent files");
                    }
                    for path in self.recent.clone() {
                        if ui.button(path.display().to_string()).clicked() {
                            let is_ws = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("ialws"));
                            self.open_file(if is_ws { FileKind::Workspace } else { FileKind::License }, path);
                            ui.close();
                        }
                    }
                });
            }
            _ => {}
        }
    }

    /// Is nothing open yet (the empty workspace the window starts with
    /// while the one given on the command line is read)?
    pub(super) fn nothing_open(&self) -> bool {
        let ws = self.session.doc().workspace();
        *self.session.target() == Target::Demo
            && ws.users().is_empty()
            && ws.stations().is_empty()
            && ws.workgroups().is_empty()
    }

    /// Why nothing in the document may change now, in the words the
    /// menus use (the editing session's answer when read-only, the
    /// enforcement's when the system is disabled), or `None`.
    pub(super) fn locked_reason(&self) -> Option<String> {
        self.session
            .read_only()
            .or_else(|| self.allocation_locked().map(|r| r.to_string()))
    }

    pub(super) fn nav_tree(&mut self, ui: &mut egui::Ui) {
        // The tree scrolls when the window is short (1024×700 at 150 %
        // cut "Show Warnings panel" off at the bottom).
        egui::ScrollArea::vertical()
            .id_salt("nav-tree")
            // As wide as the tree (the panel keeps its width), as tall as
            // the panel.
            .auto_shrink([true, false])
            .show(ui, |ui| self.nav_tree_items(ui));
    }

    fn nav_tree_items(&mut self, ui: &mut egui::Ui) {
        ui.add_space(4.0);
        ui.strong("Interaction Administrator");
        ui.add_space(4.0);
        // The one list of views, in order; a view in a container (People)
        // is drawn inside it, where the container's first view stands.
        let mut drawn_groups: Vec<&str> = Vec::new();
        for &nav in Nav::ALL {
            match nav.group() {
                None => {
                    ui.selectable_value(&mut self.nav, nav, nav.label());
                }
                Some(group) if !drawn_groups.contains(&group) => {
                    drawn_groups.push(group);
                    egui::CollapsingHeader::new(group).default_open(true).show(ui, |ui| {
                        for &member in Nav::ALL.iter().filter(|n| n.group() == Some(group)) {
                            ui.selectable_value(&mut self.nav, member, member.label());
                        }
                    });
                }
                Some(_) => {}
            }
        }
        ui.add_space(8.0);
        ui.checkbox(&mut self.show_warnings, "Show Warnings panel");
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui, enforcement: &crate::core::enforcement::Status) {
        let (mut open_messages, mut open_enforcement) = (false, false);
        self.status_bar_line(ui, enforcement, &mut open_messages, &mut open_enforcement);
        if open_messages {
            self.messages.open = true;
        }
        if open_enforcement {
            self.nav = Nav::CloudEnforcement;
        }
    }

    fn status_bar_line(
        &self,
        ui: &mut egui::Ui,
        enforcement: &crate::core::enforcement::Status,
        open_messages: &mut bool,
        open_enforcement: &mut bool,
    ) {
        let today = self.today();
        let license = self.session.doc().license();
        ui.horizontal(|ui| {
            // First: what the user can do at all must never be pushed off
            // the bar by the longer words after it.
            if let Some(why) = self.allocation_locked() {
                ui.colored_label(
                    widgets::error_red(ui),
                    if self.read_only() {
                        "Read-only"
                    } else {
                        "Allocation read-only: cloud license unlicensed"
                    },
                )
                .on_hover_text(why.to_string());
                ui.separator();
            }
            let f = &license.file;
            let level = ui.label(format!("{} {} · {}", f.product, f.product_version, f.level.label()));
            level.on_hover_text(f.level.note());
            if f.level.is_development() {
                // Trainers demonstrate on development licenses: say what
                // callers would notice.
                ui.colored_label(widgets::warning_amber(ui), "Interactions disconnect hourly");
            }
            ui.separator();
            // The words are the core's (the report's cover says the same).
            let words = license.signature.status_words();
            match &license.signature {
                SignatureStatus::Valid(_) if license.signature.is_demo() => {
                    ui.colored_label(widgets::warning_amber(ui), words);
                }
                SignatureStatus::Valid(_) => {
                    ui.label(words);
                }
                SignatureStatus::Unsigned => {
                    ui.colored_label(widgets::error_red(ui), words);
                }
            }
            ui.separator();
            if license.is_perpetual() {
                ui.label("perpetual");
            } else if license.is_expired(today) {
                ui.colored_label(widgets::error_red(ui), format!("expired (last day {})", f.expires));
            } else if license.days_to_expiry(today) == 0 {
                ui.colored_label(widgets::warning_amber(ui), "last day of the license");
            } else {
                ui.label(format!("{} days to expiry", license.days_to_expiry(today)));
            }
            ui.separator();
            let (e, w, _) = self.session.doc().engine().totals();
            let err_color = if e > 0 {
                widgets::error_red(ui)
            } else {
                ui.visuals().text_color()
            };
            ui.colored_label(err_color, crate::core::text::count(e, "error", "errors"));
            ui.label(crate::core::text::count(w, "warning", "warnings"));
            // The long words come last, each on one line cut with "…" where
            // the window ends, whole on hover, and a click away from where
            // they are read in full. With both, the cloud words take at
            // most half of what is left.
            if enforcement.applicable {
                ui.separator();
                widgets::dot(ui, views::enforcement::stage_color(enforcement, ui.visuals().dark_mode));
                let words = views::enforcement::status_words(enforcement, self.clock.now());
                let room = if self.status_message.is_some() {
                    ui.available_width() / 2.0
                } else {
                    ui.available_width()
                };
                let height = ui.available_height();
                let shown = ui
                    .allocate_ui(egui::vec2(room, height), |ui| {
                        ui.add(
                            egui::Label::new(words.as_str())
                                .truncate()
                                .show_tooltip_when_elided(false)
                                .sense(egui::Sense::click()),
                        )
                    })
                    .inner
                    .on_hover_text(format!("{words}\n\nClick for Cloud Enforcement."));
                if shown.clicked() {
                    *open_enforcement = true;
                }
            }
            if let Some((ok, msg)) = &self.status_message {
                ui.separator();
                let text = egui::RichText::new(msg.as_str());
                let text = if *ok { text } else { text.color(widgets::error_red(ui)) };
                let shown = ui
                    .add(
                        egui::Label::new(text)
                            .truncate()
                            .show_tooltip_when_elided(false)
                            .sense(egui::Sense::click()),
                    )
                    .on_hover_text(format!(
                        "{msg}\n\nClick for every message of this session (View › Messages)."
                    ));
                if shown.clicked() {
                    *open_messages = true;
                }
            }
        });
    }
}

pub(super) fn demo_banner(ui: &mut egui::Ui) {
    egui::Frame::new()
        .fill(if ui.visuals().dark_mode {
            egui::Color32::from_rgb(0x4A, 0x3C, 0x10)
        } else {
            egui::Color32::from_rgb(0xFF, 0xF4, 0xCE)
        })
        .inner_margin(egui::Margin::same(8))
        .corner_radius(4.0)
        .show(ui, |ui| {
            ui.set_width(ui.available_width());
            // The strong text colour reads on the banner in both themes.
            let text = ui.visuals().strong_text_color();
            ui.colored_label(
                text,
                "Demo data: the built-in demo license (signed with the public demo key, DEMO) and demo \
                 workspace. Open your own with File › Open License… and File › Open Workspace…, or drop \
                 a file on the window.",
            );
        });
    ui.add_space(6.0);
}
