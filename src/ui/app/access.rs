//! What the App shows to its callers (the window's runner, tests and
//! benches): its state read and set through methods, not public fields,
//! so the state can move inside the App without every caller following.
//! Tests set through these what a user would reach by clicking (a view,
//! the Warnings panel) and what no click reaches (the work limits, a
//! simulated clock, a message in the status bar).

use super::*;

/// `name()` and `set_name(value)` for a field that is `Copy`.
macro_rules! copied {
    ($($(#[$doc:meta])* $field:ident / $set:ident: $ty:ty;)*) => {
        impl App {
            $(
                $(#[$doc])*
                pub fn $field(&self) -> $ty {
                    self.$field
                }

                pub fn $set(&mut self, value: $ty) {
                    self.$field = value;
                }
            )*
        }
    };
}

/// `name()`, `name_mut()` and `set_name(value)` for any other field.
macro_rules! held {
    ($($(#[$doc:meta])* $field:ident / $mut_:ident / $set:ident: $ty:ty;)*) => {
        impl App {
            $(
                $(#[$doc])*
                pub fn $field(&self) -> &$ty {
                    &self.$field
                }

                pub fn $mut_(&mut self) -> &mut $ty {
                    &mut self.$field
                }

                pub fn $set(&mut self, value: $ty) {
                    self.$field = value;
                }
            )*
        }
    };
}

copied! {
    /// The view shown (a node of the navigation tree).
    nav / set_nav: Nav;
    /// Is the Warnings panel shown?
    show_warnings / set_show_warnings: bool;
    /// The dark theme (View › Dark theme).
    dark / set_dark: bool;
}

held! {
    /// Every view's state (the one list: `views::Nav`).
    views / views_mut / set_views: views::Views;
    /// The dialogs and messages waiting to be answered, newest on top.
    modals / modals_mut / set_modals: Vec<Modal>;
    /// The loaded events script and its replay, if any.
    simulation / simulation_mut / set_simulation: Option<crate::ui::simulation::Simulation>;
    /// The real clock, or the trainer's simulated one.
    clock / clock_mut / set_clock: views::enforcement::Clock;
    /// The last command's result, shown in the status bar.
    status_message / status_message_mut / set_status_message: Option<(bool, String)>;
    /// How much work is done at once on the window's thread (tests lower
    /// it to take the workers' path).
    limits / limits_mut / set_limits: crate::ui::job::Limits;
    /// The Help window.
    help / help_mut / set_help: crate::ui::help::HelpWindow;
    /// Every status-bar message of the session (View › Messages).
    messages / messages_mut / set_messages: crate::ui::messages::MessageLog;
    /// Which renderer draws the window and why (Help › About).
    renderer / renderer_mut / set_renderer: Option<crate::ui::renderer::RendererNote>;
    /// The Warnings panel's state.
    warnings / warnings_mut / set_warnings: views::warnings::WarningsPanel;
    /// The files opened lately (File menu).
    recent / recent_mut / set_recent: Vec<PathBuf>;
}
