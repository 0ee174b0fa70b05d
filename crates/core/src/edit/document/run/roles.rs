//! Giving users a role or taking it away.

use std::sync::Arc;

use super::super::outcome::{Change, Outcome};
use super::super::{Document, Exec};
use crate::edit::command::Command;
use crate::engine::Touched;
use crate::model::subject::Subject;
use crate::rules::Refusal;

impl Document {
    /// Gives each user a role, or takes it away; undo puts each record back.
    pub(super) fn set_role(&mut self, users: &[String], role: &str, member: bool, x: &mut Exec) {
        let role = role.trim().to_string();
        if role.is_empty() {
            for u in users {
                x.refuse(Subject::user(u.clone()), Refusal::IdBlank { what: "role" });
            }
            return;
        }
        let mut changed = Vec::new();
        for id in users {
            let subject = Subject::user(id.clone());
            let Some(u) = Arc::make_mut(&mut self.ws).user_mut(id) else {
                x.refuse(subject, Refusal::NoSuchUser { id: id.clone() });
                continue;
            };
            let same = |r: &String| crate::model::workspace::fold(r) == crate::model::workspace::fold(&role);
            let has = u.roles.iter().any(same);
            if has == member {
                let why = if member {
                    "already has the role"
                } else {
                    "does not have the role"
                };
                x.unchanged(subject, why);
                continue;
            }
            let record = u.clone();
            let before = u.roles.join(", ");
            if member {
                u.roles.push(role.clone());
            } else {
                u.roles.retain(|r| !same(r));
            }
            let (uid, after) = (u.id.clone(), u.roles.join(", "));
            let mut t = Touched::default();
            t.user(&uid);
            self.refresh(&t);
            x.changes.push(Change {
                subject: Subject::user(uid.clone()),
                key: None,
                before,
                after,
            });
            // Undo puts the record back exactly (the roles' order too).
            changed.push(Command::RestoreUser { user: record });
            x.outcome(subject, Outcome::Changed);
        }
        if !changed.is_empty() {
            x.inverses.push(Command::Batch {
                commands: changed,
                label: None,
            });
        }
    }
}
