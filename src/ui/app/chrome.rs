//! The window's chrome: menu bar, navigation tree, status bar, demo banner.

use crate::ui::commands::AppCommand;

use super::*;

impl App {
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let mut queue = Vec::new();
        // F10 opens the File menu, Alt+F/E/V/H the File, Edit, View and Help
        // menus, as on a desktop (then Tab/Enter within the menu).
        let keys = ui.input_mut(|i| {
            let f10 = i.consume_key(egui::Modifiers::NONE, egui::Key::F10);
            let alt = |i: &mut egui::InputState, k| i.consume_key(egui::Modifiers::ALT, k);
            [
                f10 || alt(i, egui::Key::F),
                alt(i, egui::Key::E),
                alt(i, egui::Key::V),
                alt(i, egui::Key::H),
            ]
        });
        let mut buttons: Vec<egui::Id> = Vec::new();
        egui::MenuBar::new().ui(ui, |ui| {
            let mut item = |ui: &mut egui::Ui, c: AppCommand, enabled: bool, label: Option<String>| {
                if c.button(ui, enabled, label) {
                    queue.push(c);
                    ui.close();
                }
            };
            let file = ui.menu_button("File", |ui| {
                for c in [
                    AppCommand::OpenLicense,
                    AppCommand::OpenWorkspace,
                    AppCommand::Save,
                    AppCommand::SaveAs,
                ] {
                    item(ui, c, true, None);
                }
                ui.separator();
                ui.menu_button("Import CSV…", |ui| {
                    for t in [Table::Users, Table::Stations, Table::Workgroups] {
                        item(ui, AppCommand::ImportCsv(t), true, None);
                    }
                });
                ui.menu_button("Export CSV…", |ui| {
                    for t in [Table::Users, Table::Stations, Table::Workgroups] {
                        item(ui, AppCommand::ExportCsv(t), true, None);
                    }
                });
                ui.separator();
                item(ui, AppCommand::OpenEvents, true, None);
                item(ui, AppCommand::OpenAccount, true, None);
                ui.menu_button("Scenarios", |ui| {
                    for (i, (name, ..)) in crate::ui::simulation::SCENARIOS.iter().enumerate() {
                        if ui.button(*name).clicked() {
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
                ui.separator();
                item(ui, AppCommand::Quit, true, None);
            });
            buttons.push(file.response.id);
            let edit = ui.menu_button("Edit", |ui| {
                let doc = self.session.doc();
                let undo = doc.undo_summary().map(|s| format!("Undo {s}"));
                let redo = doc.redo_summary().map(|s| format!("Redo {s}"));
                item(ui, AppCommand::Undo, doc.can_undo(), undo);
                item(ui, AppCommand::Redo, doc.can_redo(), redo);
                ui.separator();
                item(ui, AppCommand::SelectAll, true, None);
            });
            buttons.push(edit.response.id);
            let view = ui.menu_button("View", |ui| {
                if ui.checkbox(&mut self.dark, "Dark theme").changed() {
                    ui.ctx().set_theme(if self.dark {
                        egui::Theme::Dark
                    } else {
                        egui::Theme::Light
                    });
                }
                ui.checkbox(&mut self.show_warnings, "Warnings panel");
                if let Some(why) = self.session.read_only() {
                    // Shown, not switchable: leaving read-only means starting again.
                    ui.add_enabled(false, egui::Checkbox::new(&mut true, "Read-only"))
                        .on_disabled_hover_text(why);
                }
                ui.separator();
                for c in [
                    AppCommand::ZoomIn,
                    AppCommand::ZoomOut,
                    AppCommand::ZoomReset,
                    AppCommand::Zoom150,
                ] {
                    item(ui, c, true, None);
                }
            });
            buttons.push(view.response.id);
            let help = ui.menu_button("Help", |ui| {
                item(ui, AppCommand::About, true, None);
            });
            buttons.push(help.response.id);
        });
        for (open, id) in keys.iter().zip(&buttons) {
            if *open {
                egui::Popup::open_id(ui.ctx(), id.with("popup"));
                ui.ctx().request_repaint();
            }
        }
        self.commands.extend(queue);
    }

    pub(super) fn nav_tree(&mut self, ui: &mut egui::Ui) {
        ui.add_space(4.0);
        ui.strong("Interaction Administrator");
        ui.add_space(4.0);
        let mut item = |ui: &mut egui::Ui, nav: Nav, label: &str| {
            ui.selectable_value(&mut self.nav, nav, label);
        };
        item(ui, Nav::LicenseManagement, "License Management");
        item(ui, Nav::LicensesAllocation, "Licenses Allocation");
        egui::CollapsingHeader::new("People").default_open(true).show(ui, |ui| {
            item(ui, Nav::Users, "Users");
        });
        item(ui, Nav::Stations, "Stations");
        item(ui, Nav::Workgroups, "Workgroups");
        item(ui, Nav::LicenseStatistics, "License Statistics");
        item(ui, Nav::CloudEnforcement, "Cloud Enforcement");
        item(ui, Nav::UsageBilling, "Usage & Billing");
        item(ui, Nav::UsageHistory, "Usage History");
        item(ui, Nav::CloudEstimate, "Genesys Cloud estimate");
        item(ui, Nav::ChangeLog, "Change Log");
        item(ui, Nav::Policies, "Policies");
        item(ui, Nav::Reclaim, "Reclaim Licenses");
        item(ui, Nav::Account, "Account");
        ui.add_space(8.0);
        ui.checkbox(&mut self.show_warnings, "Show Warnings panel");
    }

    pub(super) fn status_bar(&self, ui: &mut egui::Ui, enforcement: &crate::core::enforcement::Status) {
        let today = self.today();
        let license = self.session.doc().license();
        ui.horizontal(|ui| {
            let f = &license.file;
            let level = ui.label(format!("{} {} · {}", f.product, f.product_version, f.level.label()));
            level.on_hover_text(f.level.note());
            if f.level.is_development() {
                // Trainers demonstrate on development licenses: say what
                // callers would notice.
                ui.colored_label(widgets::warning_amber(ui), "Interactions disconnect hourly");
            }
            ui.separator();
            match &license.signature {
                SignatureStatus::Valid(_) if license.signature.is_demo() => {
                    ui.colored_label(widgets::warning_amber(ui), "Signature valid · DEMO");
                }
                SignatureStatus::Valid(issuer) => {
                    ui.label(format!("Signature valid · {}", issuer.name()));
                }
                SignatureStatus::Unsigned => {
                    ui.colored_label(widgets::error_red(ui), "UNSIGNED");
                }
            }
            ui.separator();
            if license.is_perpetual() {
                ui.label("perpetual");
            } else if license.is_expired(today) {
                ui.colored_label(widgets::error_red(ui), format!("expired on {}", f.expires));
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
            if enforcement.applicable {
                ui.separator();
                widgets::dot(ui, views::enforcement::stage_color(enforcement, ui.visuals().dark_mode));
                ui.label(views::enforcement::status_words(enforcement, self.clock.now()));
            }
            if let Some(why) = self.allocation_locked() {
                ui.separator();
                ui.colored_label(
                    widgets::error_red(ui),
                    if self.read_only() {
                        "Read-only"
                    } else {
                        "Allocation read-only: cloud license unlicensed"
                    },
                )
                .on_hover_text(why.to_string());
            }
            if let Some((ok, msg)) = &self.status_message {
                ui.separator();
                if *ok {
                    ui.label(msg);
                } else {
                    ui.colored_label(widgets::error_red(ui), msg);
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
                 workspace. Open your own with File › Open License… / Open Workspace…, by dropping a \
                 file on the window, or with `ia-licensing gui FILE`.",
            );
        });
    ui.add_space(6.0);
}
