//! Adding, removing, renaming a workgroup and its media types; a removal
//! or rename carries its members along, and undo brings them back.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::super::outcome::{Change, Outcome};
use super::super::records::media_words;
use super::super::{Document, Exec};
use crate::edit::command::Command;
use crate::engine::Touched;
use crate::model::subject::Subject;
use crate::model::workspace::{MediaType, Workgroup, fold};
use crate::rules::{self, Refusal};

impl Document {
    /// Adds a workgroup (at a position when undoing its removal).
    pub(super) fn add_workgroup(&mut self, workgroup: &Workgroup, at: Option<usize>, x: &mut Exec) {
        let subject = Subject::workgroup(workgroup.name.clone());
        if let Err(why) = rules::check_new_id(
            &workgroup.name,
            "workgroup",
            self.ws.workgroup_pos(&workgroup.name).is_some(),
        ) {
            return x.refuse(subject, why);
        }
        Arc::make_mut(&mut self.ws).insert_workgroup(at, workgroup.clone());
        let mut t = Touched::default();
        t.workgroup(&workgroup.name);
        self.refresh(&t);
        x.changes.push(Change {
            subject: subject.clone(),
            key: None,
            before: "—".into(),
            after: "added".into(),
        });
        x.inverses.push(Command::RemoveWorkgroup {
            name: workgroup.name.clone(),
        });
        x.outcome(subject, Outcome::Changed);
    }

    /// Removes a workgroup and takes it from its members.
    pub(super) fn remove_workgroup(&mut self, name: &str, x: &mut Exec) {
        let subject = Subject::workgroup(name);
        let Some(pos) = self.ws.workgroup_pos(name) else {
            return x.refuse(subject, Refusal::NoSuchWorkgroup { name: name.to_string() });
        };
        let real = self.ws.workgroups()[pos].name.clone();
        let members: Vec<String> = self.engine.members(&real).into_iter().map(str::to_string).collect();
        let mut restore = Vec::new();
        let mut t = Touched::default();
        for m in &members {
            if let Some(u) = Arc::make_mut(&mut self.ws).user_mut(m) {
                restore.push(Command::RestoreUser { user: u.clone() });
                u.workgroups.remove(&real);
                t.users.insert(fold(m));
            }
        }
        let Some((at, wg)) = Arc::make_mut(&mut self.ws).remove_workgroup(&real) else {
            return;
        };
        t.workgroup(&real);
        self.refresh(&t);
        x.changes.push(Change {
            subject: subject.clone(),
            key: None,
            before: format!("{} members", members.len()),
            after: "removed".into(),
        });
        let mut inverse = vec![Command::AddWorkgroup {
            workgroup: wg,
            at: Some(at),
        }];
        inverse.extend(restore);
        x.inverses.push(Command::Batch {
            commands: inverse,
            label: None,
        });
        x.outcome(subject, Outcome::Changed);
    }

    /// Renames a workgroup and its name in every member's record.
    pub(super) fn rename_workgroup(&mut self, name: &str, new_name: &str, x: &mut Exec) {
        let subject = Subject::workgroup(name);
        let Some(pos) = self.ws.workgroup_pos(name) else {
            return x.refuse(subject, Refusal::NoSuchWorkgroup { name: name.to_string() });
        };
        let real = self.ws.workgroups()[pos].name.clone();
        let taken = self.ws.workgroup_pos(new_name).is_some() && fold(new_name) != fold(name);
        if let Err(why) = rules::check_new_id(new_name, "workgroup", taken) {
            return x.refuse(subject, why);
        }
        if real == *new_name {
            return x.unchanged(subject, "same name");
        }
        let members: Vec<String> = self.engine.members(&real).into_iter().map(str::to_string).collect();
        let mut t = Touched::default();
        for m in &members {
            if let Some(u) = Arc::make_mut(&mut self.ws).user_mut(m) {
                u.workgroups.remove(&real);
                u.workgroups.insert(new_name);
                t.users.insert(fold(m));
            }
        }
        Arc::make_mut(&mut self.ws).rename_workgroup(&real, new_name);
        t.workgroup(&real);
        t.workgroup(new_name);
        self.refresh(&t);
        x.changes.push(Change {
            subject: Subject::workgroup(new_name),
            key: None,
            before: real.clone(),
            after: new_name.to_string(),
        });
        x.inverses.push(Command::RenameWorkgroup {
            name: new_name.to_string(),
            new_name: real,
        });
        x.outcome(subject, Outcome::Changed);
    }

    /// Sets a workgroup's ACD media types.
    pub(super) fn set_workgroup_media(&mut self, name: &str, media: &BTreeSet<MediaType>, x: &mut Exec) {
        let subject = Subject::workgroup(name);
        let Some(wg) = Arc::make_mut(&mut self.ws).workgroup_mut(name) else {
            return x.refuse(subject, Refusal::NoSuchWorkgroup { name: name.to_string() });
        };
        if wg.media == *media {
            return x.unchanged(subject, "same media");
        }
        let before = std::mem::replace(&mut wg.media, media.clone());
        let real = wg.name.clone();
        let mut t = Touched::default();
        t.workgroup(&real);
        self.refresh(&t);
        x.changes.push(Change {
            subject: subject.clone(),
            key: None,
            before: media_words(&before),
            after: media_words(media),
        });
        x.inverses.push(Command::SetWorkgroupMedia {
            name: real,
            media: before,
        });
        x.outcome(subject, Outcome::Changed);
    }
}
