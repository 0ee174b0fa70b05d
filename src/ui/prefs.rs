//! Preferences that survive a restart, kept in eframe's storage (with the
//! window's size and position, which eframe keeps itself, and egui's
//! memory, which keeps table column widths): theme, zoom and whether the
//! Warnings panel is shown. Recent files live in the data folder
//! (`files.rs`), where the CLI's data is too.

use serde::{Deserialize, Serialize};

/// The storage key.
pub const KEY: &str = "ia-licensing/preferences";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    pub dark: bool,
    /// egui's zoom factor (1.0 = 100 %).
    pub zoom: f32,
    pub show_warnings: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            dark: false,
            zoom: 1.0,
            show_warnings: true,
        }
    }
}

impl Preferences {
    /// What was saved last time (`None`: nothing, or unreadable).
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Option<Preferences> {
        let mut prefs: Preferences = eframe::get_value(storage?, KEY)?;
        // A damaged value must not make the window unusable.
        if !(0.5..=3.0).contains(&prefs.zoom) {
            prefs.zoom = 1.0;
        }
        Some(prefs)
    }

    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, KEY, self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Memory(HashMap<String, String>);

    impl eframe::Storage for Memory {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_string(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }

    #[test]
    fn preferences_survive_a_restart() {
        let mut storage = Memory::default();
        assert_eq!(Preferences::load(Some(&storage)), None);
        let prefs = Preferences {
            dark: true,
            zoom: 1.5,
            show_warnings: false,
        };
        prefs.save(&mut storage);
        assert_eq!(Preferences::load(Some(&storage)), Some(prefs));
    }

    #[test]
    fn a_damaged_zoom_falls_back_to_100_percent() {
        let mut storage = Memory::default();
        Preferences {
            zoom: 40.0,
            ..Preferences::default()
        }
        .save(&mut storage);
        assert_eq!(Preferences::load(Some(&storage)).map(|p| p.zoom), Some(1.0));
    }
}
