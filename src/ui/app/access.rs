//! What the App shows to the tests and benches, and only to them: a
//! cargo feature (`testing`, off by default; the tests and benches turn it
//! on through the package's dev-dependency on itself) keeps all of this out
//! of the program, as rerun's `AppTestingExt` does. Readers lend the state
//! (`&`); what a test changes goes through a method named for what a user
//! would do (go to a view, type a filter, dismiss Help) or for what no
//! click reaches (the work limits, a simulated clock, a message in the
//! status bar), never through a mutable reference to a field.

use super::*;

/// Which renderer draws the window: the window's runner says it once.
impl App {
    pub(crate) fn note_renderer(&mut self, note: crate::ui::renderer::RendererNote) {
        self.renderer = Some(note);
    }
}

#[cfg(feature = "testing")]
use crate::ui::views::enforcement::Clock;

/// Readers.
#[cfg(feature = "testing")]
impl App {
    /// The view shown (a node of the navigation tree).
    pub fn nav(&self) -> Nav {
        self.nav
    }

    /// Is the Warnings panel shown?
    pub fn show_warnings(&self) -> bool {
        self.show_warnings
    }

    /// Every view's state (the one list: `views::Nav`).
    pub fn views(&self) -> &views::Views {
        &self.views
    }

    /// The dialogs and messages waiting to be answered, newest on top.
    pub fn modals(&self) -> &[Modal] {
        &self.modals
    }

    /// The loaded events script and its replay, if any.
    pub fn simulation(&self) -> &Option<crate::ui::simulation::Simulation> {
        &self.simulation
    }

    /// The real clock, or the trainer's simulated one.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// The last command's result, shown in the status bar.
    pub fn status_message(&self) -> &Option<(bool, String)> {
        &self.status_message
    }

    /// The Help window.
    pub fn help(&self) -> &crate::ui::help::HelpWindow {
        &self.help
    }

    /// Every status-bar message of the session (View › Messages).
    pub fn messages(&self) -> &crate::ui::messages::MessageLog {
        &self.messages
    }
}

/// What a user reaches by clicking.
#[cfg(feature = "testing")]
impl App {
    /// Goes to a view (a click in the navigation tree).
    pub fn set_nav(&mut self, nav: Nav) {
        self.nav = nav;
    }

    /// View › Warnings panel.
    pub fn set_show_warnings(&mut self, shown: bool) {
        self.show_warnings = shown;
    }

    /// View › Dark theme.
    pub fn set_dark(&mut self, dark: bool) {
        self.dark = dark;
    }

    /// Types `text` into the filter of the Users, Stations or
    /// Workgroups table (other views have none).
    pub fn type_filter(&mut self, nav: Nav, text: &str) {
        let filter = match nav {
            Nav::Users => &mut self.views.users_view.filter,
            Nav::Stations => &mut self.views.stations_view.filter,
            Nav::Workgroups => &mut self.views.workgroups_view.table.filter,
            _ => return,
        };
        *filter = text.to_string();
    }

    /// Clicks a column header of the Users or Stations table.
    pub fn sort_table(&mut self, nav: Nav, column: usize) {
        match nav {
            Nav::Users => self.views.users_view.sort_by(column),
            Nav::Stations => self.views.stations_view.sort_by(column),
            Nav::Workgroups => self.views.workgroups_view.table.sort_by(column),
            _ => {}
        }
    }

    /// Types a license into the Change Log's License filter.
    pub fn filter_change_log_by_license(&mut self, text: &str) {
        self.views.changelog_view.license = text.to_string();
    }

    /// Types the events file or folder to import in Usage History.
    pub fn type_history_import_path(&mut self, path: &str) {
        self.views.history_view.import_path = path.to_string();
    }

    /// Starts Usage History afresh on a span (nothing read yet).
    pub fn reset_history_view(&mut self, span: views::history::Span) {
        self.views.history_view = Default::default();
        self.views.history_view.span = span;
    }

    /// Clicks a tab of the Account view.
    pub fn show_account_tab(&mut self, tab: views::account::AccountTab) {
        self.views.account_view.tab = tab;
    }

    /// The Genesys Cloud estimate's draft settings, as the view shows them.
    pub fn cloud_draft(&self) -> &views::cloud_edit::Editor {
        self.views.cloud_view.draft()
    }

    /// Edits the Genesys Cloud estimate's draft as the user would in
    /// its forms (the estimate runs again once typing pauses).
    pub fn edit_cloud_draft(&mut self, edit: impl FnOnce(&mut views::cloud_edit::Editor)) {
        edit(self.views.cloud_view.editor());
        self.views.cloud_view.touched();
    }

    /// Chooses the license in the open bulk dialog's license list.
    pub fn choose_bulk_license(&mut self, key: &str) {
        if let Some(Modal::Dialog(Dialog::Bulk(d))) = self.modals.last_mut() {
            d.key = key.to_string();
        }
    }

    /// Escape on every dialog and message open.
    pub fn close_modals(&mut self) {
        self.modals.clear();
    }

    /// Opens Help on a page.
    pub fn show_help_page(&mut self, slug: &str) {
        self.help.show_page(slug);
    }

    /// Types into Help's search field.
    pub fn search_help(&mut self, text: &str) {
        self.help.search = text.to_string();
    }

    /// Closes the Help window.
    pub fn close_help(&mut self) {
        self.help.open = false;
    }

    /// View › Messages.
    pub fn open_messages(&mut self) {
        self.messages.open = true;
    }

    /// The simulation's To end button.
    pub fn simulation_to_end(&mut self) {
        if let Some(sim) = &mut self.simulation {
            sim.to_end();
        }
    }
}

/// What no click reaches: the tests' stand-ins for time, work and the
/// outside world.
#[cfg(feature = "testing")]
impl App {
    /// Says `text` in the status bar (`ok`: a confirmation, which leaves
    /// after a while; otherwise a problem, which stays).
    pub fn show_status(&mut self, ok: bool, text: impl Into<String>) {
        self.status_message = Some((ok, text.into()));
    }

    /// Empties the status bar.
    pub fn clear_status(&mut self) {
        self.status_message = None;
    }

    /// Runs on the trainer's simulated clock, or the real one.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The simulated clock moves on by `by` (nothing on the real clock).
    pub fn advance_clock(&mut self, by: chrono::TimeDelta) {
        if let Clock::Simulated(sim) = &mut self.clock {
            sim.advance(by);
        }
    }

    /// The server checked in with Genesys Cloud at `at` (simulated clock).
    pub fn record_check_in(&mut self, at: chrono::DateTime<chrono::Utc>) {
        if let Clock::Simulated(sim) = &mut self.clock {
            sim.check_ins.push(at);
        }
    }

    /// How much work is done at once on the window's thread (lowered to
    /// take the workers' path).
    pub fn set_limits(&mut self, limits: crate::ui::job::Limits) {
        self.limits = limits;
    }

    /// The loaded simulation's work limits (its replays on workers).
    pub fn set_simulation_limits(&mut self, limits: crate::ui::job::Limits) {
        if let Some(sim) = &mut self.simulation {
            sim.limits = limits;
        }
    }

    /// Plays an events script in the simulation.
    pub fn start_simulation(&mut self, sim: crate::ui::simulation::Simulation) {
        self.simulation = Some(sim);
    }

    /// Moves the simulation's own clock to `at`.
    pub fn set_simulation_time(&mut self, at: chrono::DateTime<chrono::Utc>) {
        if let Some(sim) = &mut self.simulation {
            sim.now = at;
        }
    }

    /// Waits for the simulation's replay on a worker.
    pub fn wait_for_replay(&mut self) {
        if let Some(sim) = &mut self.simulation {
            sim.wait_for_replay();
        }
    }

    /// Waits for the open bulk dialog's preview; the plan it shows.
    pub fn wait_for_bulk_preview(&mut self) -> Option<&crate::core::plan::ChangePlan> {
        match self.modals.last_mut() {
            Some(Modal::Dialog(Dialog::Bulk(d))) => d.wait_for_preview(),
            _ => None,
        }
    }

    /// Waits for Reclaim's search on a worker.
    pub fn wait_for_reclaim(&mut self) {
        self.views.reclaim_view.wait();
    }

    /// Waits for the Policies view's plan on a worker.
    pub fn wait_for_policies(&mut self) {
        self.views.policies_view.wait();
    }

    /// Which renderer Help › About names.
    pub fn set_renderer(&mut self, note: Option<crate::ui::renderer::RendererNote>) {
        self.renderer = note;
    }
}
