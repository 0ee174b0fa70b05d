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

/// `command(key)`: the platform's command key (Ctrl, or Cmd on a Mac) and `key`.
const fn command(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND, key)
}

/// Ctrl+Shift (Cmd+Shift) and `key`.
const fn command_shift(key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), key)
}

/// The words a table's command has in its submenu ("Users…").
const fn table_words(table: Table) -> &'static str {
    match table {
        Table::Users => "Users…",
        Table::Stations => "Stations…",
        Table::Workgroups => "Workgroups…",
    }
}

/// The one list of menu actions: each row is one action — its variant
/// (with the table it is about, for a command per table), its words, its
/// menu and group (groups are separated by a line, in order), the submenu
/// it sits in, its shortcuts (the first is shown in the menu), and
/// `changes` when it changes (or writes) the document, so a read-only
/// session turns it off. What it does is its arm in `App::run_command`.
macro_rules! commands {
    ($(
        $(#[$doc:meta])*
        $variant:ident $(($bind:ident: $ty:ty))? => $label:expr, $menu:ident $group:literal
            $(in $sub:literal)?, keys [$($key:expr),*] $(, $changes:ident)?;
    )*) => {
        /// A menu action.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter)]
        pub enum AppCommand {
            $($(#[$doc])* $variant $(($ty))?,)*
        }

        impl AppCommand {
            /// The words in the menu.
            pub fn label(self) -> &'static str {
                match self {
                    $(AppCommand::$variant $(($bind))? => $label,)*
                }
            }

            /// Where the command sits: its menu, and its group within the
            /// menu (groups are separated by a line, in order).
            pub fn place(self) -> (Menu, u8) {
                match self {
                    $(AppCommand::$variant { .. } => (Menu::$menu, $group),)*
                }
            }

            /// The submenu a command sits in within its menu ("Import CSV…").
            pub fn submenu(self) -> Option<&'static str> {
                match self {
                    $($(AppCommand::$variant { .. } => Some($sub),)?)*
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }

            /// The shortcuts that run it; the first is shown in the menu.
            pub fn shortcuts(self) -> &'static [KeyboardShortcut] {
                match self {
                    $(AppCommand::$variant { .. } => {
                        const KEYS: &[KeyboardShortcut] = &[$($key),*];
                        KEYS
                    })*
                }
            }

            /// Does the command change the document (or write it)? In a
            /// read-only session such commands are off, with the reason on hover.
            pub fn changes_document(self) -> bool {
                match self {
                    $($(AppCommand::$variant { .. } => {
                        let _ = stringify!($changes);
                        true
                    })?)*
                    #[allow(unreachable_patterns)]
                    _ => false,
                }
            }
        }
    };
}

commands! {
    OpenLicense => "Open License…", File 0, keys [command(Key::O)], changes;
    OpenWorkspace => "Open Workspace…", File 0, keys [command_shift(Key::O)];
    Save => "Save", File 0, keys [command(Key::S)], changes;
    SaveAs => "Save As…", File 0, keys [command_shift(Key::S)], changes;
    ImportCsv(table: Table) => table_words(table), File 1 in "Import CSV…", keys [], changes;
    ExportCsv(table: Table) => table_words(table), File 1 in "Export CSV…", keys [];
    ExportExcel(table: Table) => table_words(table), File 1 in "Export Excel…", keys [];
    /// The report pack: one Excel workbook of every table.
    ExportReport => "Export report…", File 1, keys [];
    ImportSite => "Import site…", File 2, keys [], changes;
    OpenEvents => "Open Events…", File 2, keys [];
    OpenAccount => "Open Account…", File 2, keys [];
    Quit => "Quit", File 9, keys [command(Key::Q)];
    Undo => "Undo", Edit 0, keys [command(Key::Z)], changes;
    Redo => "Redo", Edit 0, keys [command(Key::Y), command_shift(Key::Z)], changes;
    // Ctrl+A is handled by the table that has the keyboard; the menu shows
    // it for the view in front.
    SelectAll => "Select all", Edit 1, keys [command(Key::A)];
    // egui's own keyboard zoom is switched off so these are the only ones.
    ZoomIn => "Zoom in", View 1, keys [command(Key::Plus), command(Key::Equals)];
    ZoomOut => "Zoom out", View 1, keys [command(Key::Minus)];
    ZoomReset => "Actual size (100 %)", View 1, keys [command(Key::Num0)];
    Zoom150 => "150 %", View 1, keys [];
    Messages => "Messages…", View 2, keys [];
    HelpForView => "Help for this view", Help 0, keys [KeyboardShortcut::new(Modifiers::NONE, Key::F1)];
    HelpContents => "Contents", Help 0, keys [];
    About => "About ia-licensing", Help 1, keys [];
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
