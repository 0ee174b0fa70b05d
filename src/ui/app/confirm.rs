//! Asking before a large change: the confirmation with its plan, worked out
//! at once or on a worker (`PlanJob`), over the loaded logon history when
//! there is one.

use super::*;
use crate::ui::dialogs::confirm::ConfirmDialog;
use crate::ui::plan_job::PlanJob;

impl App {
    /// Opens "Apply N changes to M users?" for `command`; `back` is the
    /// dialog it came from, shown again on Cancel.
    pub(super) fn confirm(&mut self, command: Command, back: Option<Dialog>) {
        if self.refuse_if_locked() {
            return;
        }
        let events = self.simulation.as_ref().map(|s| s.events.clone());
        let history = self.simulation.as_ref().map(|s| s.name.clone());
        let job = PlanJob::start(&mut self.session, &command, events, &self.limits);
        let dialog = ConfirmDialog::new(command, job, history);
        self.open_modal(Modal::Dialog(Dialog::Confirm(Box::new(dialog), back.map(Box::new))));
    }

    /// The confirmation in front, if any.
    pub fn confirmation(&mut self) -> Option<&mut ConfirmDialog> {
        self.modals.iter_mut().rev().find_map(|m| match m {
            Modal::Dialog(Dialog::Confirm(d, _)) => Some(&mut **d),
            _ => None,
        })
    }

    /// Waits until the confirmation's plan is worked out (tests, benches).
    pub fn wait_for_plan(&mut self) {
        if let Some(d) = self.confirmation() {
            d.job.wait();
        }
    }
}
