//! Adding users to a workgroup or taking them out of it.

use std::sync::Arc;

use super::super::outcome::{Change, Outcome};
use super::super::{Document, Exec};
use crate::edit::command::Command;
use crate::engine::Touched;
use crate::model::subject::Subject;
use crate::rules::Refusal;

impl Document {
    /// Makes each user a member of a workgroup, or not.
    pub(super) fn set_membership(&mut self, users: &[String], workgroup: &str, member: bool, x: &mut Exec) {
        let Some(real) = self.ws.workgroup(workgroup).map(|w| w.name.clone()) else {
            for u in users {
                x.refuse(
                    Subject::user(u.clone()),
                    Refusal::NoSuchWorkgroup {
                        name: workgroup.to_string(),
                    },
                );
            }
            return;
        };
        let mut changed = Vec::new();
        for id in users {
            let subject = Subject::user(id.clone());
            let Some(u) = Arc::make_mut(&mut self.ws).user_mut(id) else {
                x.refuse(subject, Refusal::NoSuchUser { id: id.clone() });
                continue;
            };
            let did = if member {
                u.workgroups.insert(real.clone())
            } else {
                u.workgroups.remove(&real)
            };
            if !did {
                let why = if member {
                    format!("already a member of {real}")
                } else {
                    format!("not a member of {real}")
                };
                x.unchanged(subject, why);
                continue;
            }
            let uid = u.id.clone();
            let mut t = Touched::default();
            t.user(&uid);
            self.refresh(&t);
            x.changes.push(Change {
                subject: Subject::user(uid.clone()),
                key: None,
                before: if member {
                    "—".into()
                } else {
                    format!("member of {real}")
                },
                after: if member {
                    format!("member of {real}")
                } else {
                    "—".into()
                },
            });
            changed.push(uid);
            x.outcome(subject, Outcome::Changed);
        }
        if !changed.is_empty() {
            x.inverses.push(Command::SetMembership {
                users: changed,
                workgroup: real,
                member: !member,
            });
        }
    }
}
