//! Every menu action of the app, defined once with its label and keyboard
//! shortcut, so the menu entry and the shortcut cannot disagree. Menus and
//! key presses only queue an `AppCommand`; the app runs the queue at the
//! end of the frame.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::core::csv_io::Table;

/// The menus of the menu bar, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter)]
pub enum Menu {
    File,
    Edit,
    View,
    Help,
}

impl Menu {
    pub fn label(self) -> &'static str {
        match self {
            Menu::File => "File",
            Menu::Edit => "Edit",
            Menu::View => "View",
            Menu::Help => "Help",
        }
    }

    /// Alt+letter opens it (F10 opens File too).
    pub fn access_key(self) -> egui::Key {
        match self {
            Menu::File => Key::F,
            Menu::Edit => Key::E,
            Menu::View => Key::V,
            Menu::Help => Key::H,
        }
    }
}

/// A menu action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter)]
pub enum AppCommand {
    OpenLicense,
    OpenWorkspace,
    Save,
    SaveAs,
    ImportCsv(Table),
    ExportCsv(Table),
    ExportExcel(Table),
    /// The report pack: one Excel workbook of every table.
    ExportReport,
    ImportSite,
    OpenEvents,
    OpenAccount,
    Quit,
    Undo,
    Redo,
    SelectAll,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    Zoom150,
    Messages,
    HelpForView,
    HelpContents,
    About,
}

const fn command(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

impl AppCommand {
    /// Every command, derived from the enum (a command that takes a
    /// table comes once per table): menus, shortcuts and tests iterate it.
    pub fn all() -> impl Iterator<Item = AppCommand> {
        use strum::IntoEnumIterator;
        AppCommand::iter().flat_map(|c| {
            let each: Vec<AppCommand> = match c {
                AppCommand::ImportCsv(_) => Table::ALL.into_iter().map(AppCommand::ImportCsv).collect(),
                AppCommand::ExportCsv(_) => Table::ALL.into_iter().map(AppCommand::ExportCsv).collect(),
                AppCommand::ExportExcel(_) => Table::ALL.into_iter().map(AppCommand::ExportExcel).collect(),
                other => vec![other],
            };
            each
        })
    }

    /// The commands with keyboard shortcuts, in the order their shortcuts
    /// are tried: one with more modifiers first (Ctrl+Shift+Z before Ctrl+Z).
    pub fn with_shortcuts() -> Vec<AppCommand> {
        let mut out: Vec<AppCommand> = AppCommand::all().filter(|c| !c.shortcuts().is_empty()).collect();
        let modifiers = |c: &AppCommand| {
            c.shortcuts()
                .iter()
                .map(|s| {
                    let m = s.modifiers;
                    u8::from(m.shift) + u8::from(m.alt) + u8::from(m.ctrl || m.command || m.mac_cmd)
                })
                .max()
                .unwrap_or(0)
        };
        out.sort_by_key(|c| std::cmp::Reverse(modifiers(c)));
        out
    }

    /// Where the command sits: its menu, and its group within the menu
    /// (groups are separated by a line, in order).
    pub fn place(self) -> (Menu, u8) {
        use AppCommand::*;
        match self {
            OpenLicense | OpenWorkspace | Save | SaveAs => (Menu::File, 0),
            ImportCsv(_) | ExportCsv(_) | ExportExcel(_) | ExportReport => (Menu::File, 1),
            OpenEvents | OpenAccount | ImportSite => (Menu::File, 2),
            Quit => (Menu::File, 9),
            Undo | Redo => (Menu::Edit, 0),
            SelectAll => (Menu::Edit, 1),
            ZoomIn | ZoomOut | ZoomReset | Zoom150 => (Menu::View, 1),
            Messages => (Menu::View, 2),
            HelpForView | HelpContents => (Menu::Help, 0),
            About => (Menu::Help, 1),
        }
    }

    /// Does the command change the document (or write it)? In a read-only
    /// session such commands are off, with the reason on hover.
    pub fn changes_document(self) -> bool {
        use AppCommand::*;
        matches!(
            self,
            Save | SaveAs | OpenLicense | ImportCsv(_) | Undo | Redo | ImportSite
        )
    }

    /// The submenu a command sits in within its menu ("Import CSV…").
    pub fn submenu(self) -> Option<&'static str> {
        match self {
            AppCommand::ImportCsv(_) => Some("Import CSV…"),
            AppCommand::ExportCsv(_) => Some("Export CSV…"),
            AppCommand::ExportExcel(_) => Some("Export Excel…"),
            _ => None,
        }
    }

    /// The words in the menu.
    pub fn label(self) -> &'static str {
        match self {
            AppCommand::OpenLicense => "Open License…",
            AppCommand::OpenWorkspace => "Open Workspace…",
            AppCommand::Save => "Save",
            AppCommand::SaveAs => "Save As…",
            AppCommand::ImportCsv(Table::Users)
            | AppCommand::ExportCsv(Table::Users)
            | AppCommand::ExportExcel(Table::Users) => "Users…",
            AppCommand::ImportCsv(Table::Stations)
            | AppCommand::ExportCsv(Table::Stations)
            | AppCommand::ExportExcel(Table::Stations) => "Stations…",
            AppCommand::ImportCsv(Table::Workgroups)
            | AppCommand::ExportCsv(Table::Workgroups)
            | AppCommand::ExportExcel(Table::Workgroups) => "Workgroups…",
            AppCommand::ExportReport => "Export report…",
            AppCommand::ImportSite => "Import site…",
            AppCommand::OpenEvents => "Open Events…",
            AppCommand::OpenAccount => "Open Account…",
            AppCommand::Quit => "Quit",
            AppCommand::Undo => "Undo",
            AppCommand::Redo => "Redo",
            AppCommand::SelectAll => "Select all",
            AppCommand::ZoomIn => "Zoom in",
            AppCommand::ZoomOut => "Zoom out",
            AppCommand::ZoomReset => "Actual size (100 %)",
            AppCommand::Zoom150 => "150 %",
            AppCommand::Messages => "Messages…",
            AppCommand::HelpForView => "Help for this view",
            AppCommand::HelpContents => "Contents",
            AppCommand::About => "About ia-licensing",
        }
    }

    /// The shortcuts that run it; the first is shown in the menu.
    pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
        const SAVE: &[KeyboardShortcut] = &[command(Key::S)];
        const OPEN: &[KeyboardShortcut] = &[command(Key::O)];
        const OPEN_WS: &[KeyboardShortcut] =
            &[KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::O)];
        const QUIT: &[KeyboardShortcut] = &[command(Key::Q)];
        const UNDO: &[KeyboardShortcut] = &[command(Key::Z)];
        const REDO: &[KeyboardShortcut] = &[
            command(Key::Y),
            KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z),
        ];
        // Ctrl+A is handled by the table that has the keyboard; the menu
        // shows it for the view in front.
        const SELECT_ALL: &[KeyboardShortcut] = &[command(Key::A)];
        const SAVE_AS: &[KeyboardShortcut] =
            &[KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S)];
        // egui's own keyboard zoom is switched off so these are the only ones.
        const ZOOM_IN: &[KeyboardShortcut] = &[command(Key::Plus), command(Key::Equals)];
        const ZOOM_OUT: &[KeyboardShortcut] = &[command(Key::Minus)];
        const ZOOM_RESET: &[KeyboardShortcut] = &[command(Key::Num0)];
        const HELP: &[KeyboardShortcut] = &[KeyboardShortcut::new(Modifiers::NONE, Key::F1)];
        match self {
            AppCommand::Save => SAVE,
            AppCommand::OpenLicense => OPEN,
            AppCommand::OpenWorkspace => OPEN_WS,
            AppCommand::Quit => QUIT,
            AppCommand::Undo => UNDO,
            AppCommand::Redo => REDO,
            AppCommand::SelectAll => SELECT_ALL,
            AppCommand::SaveAs => SAVE_AS,
            AppCommand::ZoomIn => ZOOM_IN,
            AppCommand::ZoomOut => ZOOM_OUT,
            AppCommand::ZoomReset => ZOOM_RESET,
            AppCommand::HelpForView => HELP,
            _ => &[],
        }
    }

    /// A menu button for the command, showing its shortcut; `label`
    /// replaces the words where they depend on state ("Undo Rename x").
    pub fn button(self, ui: &mut egui::Ui, enabled: bool, label: Option<String>, why_off: Option<&str>) -> bool {
        let text = label.unwrap_or_else(|| self.label().to_string());
        let mut button = egui::Button::new(text);
        if let Some(shortcut) = self.shortcuts().first() {
            button = button.shortcut_text(ui.ctx().format_shortcut(shortcut));
        }
        let response = ui.add_enabled(enabled, button);
        let response = match why_off {
            Some(why) => response.on_disabled_hover_text(format!("Read-only: {why}")),
            None => response,
        };
        response.clicked()
    }

    /// The commands whose shortcut was pressed this frame (consumed).
    pub fn pressed(ctx: &egui::Context) -> Vec<AppCommand> {
        let mut out = Vec::new();
        for c in AppCommand::with_shortcuts() {
            if ctx.input_mut(|i| c.shortcuts().iter().any(|s| i.consume_shortcut(s))) {
                out.push(c);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_two_commands_share_a_shortcut() {
        let mut seen = Vec::new();
        for c in AppCommand::all() {
            for s in c.shortcuts() {
                assert!(!seen.contains(s), "{c:?} reuses a shortcut");
                seen.push(*s);
            }
        }
    }

    #[test]
    fn every_command_has_words_and_the_list_is_whole() {
        let all: Vec<AppCommand> = AppCommand::all().collect();
        assert!(all.contains(&AppCommand::ImportCsv(Table::Workgroups)));
        assert!(all.contains(&AppCommand::About));
        for c in &all {
            assert!(!c.label().is_empty(), "{c:?}");
        }
        // A shortcut with Shift is tried before the same key without it.
        let order = AppCommand::with_shortcuts();
        let pos = |c| order.iter().position(|x| *x == c).expect("listed");
        assert!(pos(AppCommand::Redo) < pos(AppCommand::Undo));
        assert!(pos(AppCommand::SaveAs) < pos(AppCommand::Save));
    }
}
