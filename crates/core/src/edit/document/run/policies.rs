//! Replacing the workspace's license policies.

use std::sync::Arc;

use super::super::outcome::{Change, Outcome};
use super::super::{Document, Exec};
use crate::edit::command::Command;
use crate::model::subject::Subject;
use crate::rules::Refusal;

impl Document {
    /// Replaces the license policies, refusing one with a problem or a name
    /// used twice.
    pub(super) fn set_policies(&mut self, policies: &[crate::rules::policy::Policy], x: &mut Exec) {
        let subject = Subject::server("policies");
        let mut names = std::collections::HashSet::new();
        for (i, p) in policies.iter().enumerate() {
            if let Some((_, why)) = p.problems(i).into_iter().next() {
                return x.refuse(subject, Refusal::InvalidPolicy { why });
            }
            if !names.insert(crate::model::workspace::fold(p.name.trim())) {
                return x.refuse(
                    subject,
                    Refusal::InvalidPolicy {
                        why: format!("the name “{}” is used twice", p.name),
                    },
                );
            }
        }
        if self.ws.policies == *policies {
            return x.unchanged(subject, "same policies");
        }
        let old = std::mem::replace(&mut Arc::make_mut(&mut self.ws).policies, policies.to_vec());
        // Every subject's drift may change: recount from scratch.
        self.rebuild();
        x.changes.push(Change {
            subject: subject.clone(),
            key: None,
            before: crate::model::text::count(old.len(), "policy", "policies"),
            after: crate::model::text::count(policies.len(), "policy", "policies"),
        });
        x.inverses.push(Command::SetPolicies { policies: old });
        x.outcome(subject, Outcome::Changed);
    }
}
