//! The licensing commands on users and stations: assign and unassign a
//! license, a user's method, ACD and Interaction Process Automation levels.
//! Each goes through the one record path (`document/records.rs`).

use std::collections::BTreeSet;

use super::super::{Document, Exec, Mode};
use crate::model::catalog::{self, AcdLevel, IpaLevel};
use crate::model::subject::Subject;
use crate::model::workspace::{MediaType, Method};
use crate::rules::Refusal;

impl Document {
    /// Gives each subject a license (with a method when asked for one).
    pub(super) fn assign(&mut self, subjects: &[Subject], key: &str, method: Option<Method>, mode: Mode, x: &mut Exec) {
        let key = catalog::canonical(key).to_string();
        for s in subjects {
            self.edit_subject(s, mode, x, |holder_method, licenses, _| {
                if let Some(m) = method {
                    match holder_method {
                        None if m == Method::Concurrent => {
                            return Err(Refusal::StationNeverConcurrent);
                        }
                        Some(own) if own != m => {
                            return Err(Refusal::OneMethodPerUser { method: own.label() });
                        }
                        _ => {}
                    }
                }
                if !licenses.insert(key.clone()) {
                    return Ok(Some(format!("already has {}", catalog::label(&key))));
                }
                Ok(None)
            });
        }
    }

    /// Takes a license from each subject.
    pub(super) fn unassign(&mut self, subjects: &[Subject], key: &str, mode: Mode, x: &mut Exec) {
        let key = catalog::canonical(key).to_string();
        for s in subjects {
            self.edit_subject(s, mode, x, |_, licenses, _| {
                if licenses.remove(&key) {
                    Ok(None)
                } else {
                    Ok(Some(format!("does not have {}", catalog::label(&key))))
                }
            });
        }
    }

    /// Sets each user's method (assignable or concurrent).
    pub(super) fn set_method(&mut self, users: &[String], method: Method, mode: Mode, x: &mut Exec) {
        for id in users {
            self.edit_user(id, mode, x, |u| {
                if u.method == method {
                    return Ok(Some(format!("already {}", method.label())));
                }
                u.method = method;
                Ok(None)
            });
        }
    }

    /// Sets each subject's ACD level and media types (none for Media 3+).
    pub(super) fn set_acd(
        &mut self,
        subjects: &[Subject],
        level: Option<AcdLevel>,
        media: &BTreeSet<MediaType>,
        mode: Mode,
        x: &mut Exec,
    ) {
        for s in subjects {
            self.edit_subject(s, mode, x, |_, licenses, types| {
                licenses.retain(|k| catalog::acd_level_of(k).is_none());
                types.clear();
                if let Some(level) = level {
                    licenses.insert(level.key());
                    if level != AcdLevel::Media3Plus {
                        types.extend(media.iter().copied());
                    }
                }
                Ok(None)
            });
        }
    }

    /// Sets each subject's Interaction Process Automation level.
    pub(super) fn set_ipa(&mut self, subjects: &[Subject], level: Option<IpaLevel>, mode: Mode, x: &mut Exec) {
        for s in subjects {
            self.edit_subject(s, mode, x, |_, licenses, _| {
                licenses.retain(|k| catalog::ipa_level_of(k).is_none());
                if let Some(level) = level {
                    licenses.insert(level.key());
                }
                Ok(None)
            });
        }
    }
}
