//! What users and stations share in the document, written once: adding,
//! removing, renaming and editing a record, with the rules asked and the
//! change recorded; `Edited` says what differs per kind.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::outcome::{Change, Outcome};
use super::{Document, Exec, Mode};
use crate::edit::command::Command;
use crate::engine::Touched;
use crate::model::catalog;
use crate::model::subject::{Subject, SubjectKind};
use crate::model::workspace::{MediaType, Method, NameSet, Record, Station, User, fold};
use crate::rules::{self, Holder, Refusal};

impl Document {
    /// Removes a user or station (its licenses go with it); the inverse
    /// adds it back where it was.
    pub(super) fn remove_record<R: Edited>(&mut self, id: &str, x: &mut Exec) {
        let subject = Subject::new(R::KIND, id);
        match Arc::make_mut(&mut self.ws).remove::<R>(id) {
            None => x.refuse(subject, no_such(R::KIND, id)),
            Some((at, record)) => {
                let mut t = Touched::default();
                t.subject(R::KIND, record.id());
                self.refresh(&t);
                x.changes.push(Change {
                    subject: Subject::new(R::KIND, record.id()),
                    key: None,
                    before: "exists".into(),
                    after: "removed".into(),
                });
                x.inverses.push(R::add_back(record, at));
                x.outcome(subject, Outcome::Changed);
            }
        }
    }

    /// Renames a user or station; the inverse renames it back.
    pub(super) fn rename_record<R: Edited>(&mut self, id: &str, new_id: &str, x: &mut Exec) {
        let subject = Subject::new(R::KIND, id);
        let Some(old) = R::position(&self.ws, id).map(|i| R::all(&self.ws)[i].id().to_string()) else {
            return x.refuse(subject, no_such(R::KIND, id));
        };
        let taken = R::position(&self.ws, new_id).is_some() && fold(new_id) != fold(id);
        if let Err(why) = rules::check_new_id(new_id, R::NOUN, taken) {
            return x.refuse(subject, why);
        }
        if old == new_id {
            return x.unchanged(subject, "same ID");
        }
        Arc::make_mut(&mut self.ws).rename::<R>(id, new_id);
        let mut t = Touched::default();
        t.subject(R::KIND, &old);
        t.subject(R::KIND, new_id);
        self.refresh(&t);
        x.changes.push(Change {
            subject: Subject::new(R::KIND, new_id),
            key: None,
            before: old.clone(),
            after: new_id.to_string(),
        });
        x.inverses.push(R::rename_back(new_id.to_string(), old));
        x.outcome(subject, Outcome::Changed);
    }

    /// Edits the licensing of a user or station through one closure that
    /// receives (the user's method or None for a station, licenses, ACD types)
    /// and returns Ok(None) for a change, Ok(Some(why)) for nothing to do.
    pub(super) fn edit_subject(
        &mut self,
        subject: &Subject,
        mode: Mode,
        x: &mut Exec,
        f: impl FnOnce(Option<Method>, &mut NameSet, &mut BTreeSet<MediaType>) -> Result<Option<String>, Refusal>,
    ) {
        match subject.kind {
            SubjectKind::User => self.edit_record::<User>(&subject.id, mode, x, |u| {
                let (method, licenses, media) = u.licensing();
                f(method, licenses, media)
            }),
            SubjectKind::Station => self.edit_record::<Station>(&subject.id, mode, x, |s| {
                let (method, licenses, media) = s.licensing();
                f(method, licenses, media)
            }),
            _ => x.refuse(
                subject.clone(),
                Refusal::NotAHolder {
                    kind: kind_word(subject.kind),
                },
            ),
        }
    }

    pub(super) fn edit_user(
        &mut self,
        id: &str,
        mode: Mode,
        x: &mut Exec,
        f: impl FnOnce(&mut User) -> Result<Option<String>, Refusal>,
    ) {
        self.edit_record::<User>(id, mode, x, f);
    }

    /// Changes a user's or station's record with `f`, then checks the rules
    /// (unless undoing) and records the change.
    pub(super) fn edit_record<R: Edited>(
        &mut self,
        id: &str,
        mode: Mode,
        x: &mut Exec,
        f: impl FnOnce(&mut R) -> Result<Option<String>, Refusal>,
    ) {
        let subject = Subject::new(R::KIND, id);
        let Some(at) = R::position(&self.ws, id) else {
            return x.refuse(subject, no_such(R::KIND, id));
        };
        // One copy, the new state; the old one stays in place until the
        // commit swaps them (a 10k-user bulk edit makes 10k copies, not 20k).
        let mut after = R::all(&self.ws)[at].clone();
        match f(&mut after) {
            Err(why) => return x.refuse(subject, why),
            Ok(Some(why)) => return x.unchanged(subject, why),
            Ok(None) => {}
        }
        let before = &R::all(&self.ws)[at];
        if after == *before {
            return x.unchanged(subject, "no change");
        }
        if mode == Mode::Normal
            && let Err(why) = R::check(self, before, &after)
        {
            return x.refuse(subject, why);
        }
        R::commit(self, at, after, x);
    }

    /// The rules for a user's new licensing: every newly held (or newly
    /// assignable) key must be allowed and, if assignable, available.
    pub(super) fn check_user(&self, before: Option<&User>, after: &User) -> Result<(), Refusal> {
        for key in &after.licenses {
            let held_same = before.is_some_and(|b| b.licenses.contains(key) && b.method == after.method);
            if held_same {
                continue;
            }
            rules::check_allowed(
                &self.license,
                Holder::User {
                    id: &after.id,
                    method: after.method,
                },
                key,
            )?;
            if after.method == Method::Assignable {
                rules::check_capacity(&self.license, key, self.engine.configured(key).assignable)?;
            }
        }
        rules::check_media_count(&after.licenses, &after.acd_media_types)
    }

    pub(super) fn check_station(&self, before: &Station, after: &Station) -> Result<(), Refusal> {
        for key in &after.licenses {
            if before.licenses.contains(key) {
                continue;
            }
            rules::check_allowed(&self.license, Holder::Station { id: &after.id }, key)?;
            rules::check_capacity(&self.license, key, self.engine.configured(key).assignable)?;
        }
        rules::check_media_count(&after.licenses, &after.acd_media_types)
    }

    /// Puts `after` in place of the user at `at`, records the changes and
    /// the inverse.
    pub(super) fn commit_user(&mut self, at: usize, after: User, x: &mut Exec) {
        let Some(before) = Arc::make_mut(&mut self.ws).replace_at(at, after) else {
            return;
        };
        let after = &self.ws.users()[at];
        let subject = Subject::user(after.id.clone());
        x.changes.extend(licensing_changes(
            &subject,
            before.method,
            &before.licenses,
            after.method,
            &after.licenses,
        ));
        if before.acd_media_types != after.acd_media_types {
            x.changes.push(Change {
                subject: subject.clone(),
                key: None,
                before: media_words(&before.acd_media_types),
                after: media_words(&after.acd_media_types),
            });
        }
        if before.name != after.name {
            x.changes.push(Change {
                subject: subject.clone(),
                key: None,
                before: before.name.clone(),
                after: after.name.clone(),
            });
        }
        if before.workgroups != after.workgroups {
            x.changes.push(Change {
                subject: subject.clone(),
                key: None,
                before: before.workgroups.iter().cloned().collect::<Vec<_>>().join(", "),
                after: after.workgroups.iter().cloned().collect::<Vec<_>>().join(", "),
            });
        }
        let mut t = Touched::default();
        t.user(&after.id);
        self.refresh(&t);
        x.inverses.push(Command::RestoreUser { user: before });
        x.outcome(subject, Outcome::Changed);
    }

    /// Puts `after` in place of the station at `at`, records the changes
    /// and the inverse.
    pub(super) fn commit_station(&mut self, at: usize, after: Station, x: &mut Exec) {
        let subject = Subject::station(after.id.clone());
        if self.ws.stations().get(at) == Some(&after) {
            return x.unchanged(subject, "no change");
        }
        let Some(before) = Arc::make_mut(&mut self.ws).replace_at(at, after) else {
            return;
        };
        let after = &self.ws.stations()[at];
        x.changes.extend(licensing_changes(
            &subject,
            Method::Assignable,
            &before.licenses,
            Method::Assignable,
            &after.licenses,
        ));
        for (what, b, a) in [
            ("type", before.kind.label().to_string(), after.kind.label().to_string()),
            ("enabled", before.enabled.to_string(), after.enabled.to_string()),
            ("machine", before.machine_name.clone(), after.machine_name.clone()),
            (
                "media",
                media_words(&before.acd_media_types),
                media_words(&after.acd_media_types),
            ),
        ] {
            if a != b {
                x.changes.push(Change {
                    subject: subject.clone(),
                    key: None,
                    before: format!("{what}: {b}"),
                    after: format!("{what}: {a}"),
                });
            }
        }
        let mut t = Touched::default();
        t.station(&after.id);
        self.refresh(&t);
        x.inverses.push(Command::RestoreStation { station: before });
        x.outcome(subject, Outcome::Changed);
    }

    /// Adds a user or station: a free ID, the record made canonical
    /// (`Edited::prepare`), the rules for its licenses (unless undoing);
    /// the inverse removes it.
    pub(super) fn add_record<R: Edited>(&mut self, record: &R, at: Option<usize>, mode: Mode, x: &mut Exec) {
        let subject = Subject::new(R::KIND, record.id());
        let taken = R::position(&self.ws, record.id()).is_some();
        if let Err(why) = rules::check_new_id(record.id(), R::NOUN, taken) {
            return x.refuse(subject, why);
        }
        let record = match R::prepare(self, record.clone()) {
            Ok(record) => record,
            Err(why) => return x.refuse(subject, why),
        };
        if mode == Mode::Normal
            && let Err(why) = R::check_new(self, &record)
        {
            return x.refuse(subject, why);
        }
        let id = record.id().to_string();
        Arc::make_mut(&mut self.ws).insert(at, record);
        let mut t = Touched::default();
        t.subject(R::KIND, &id);
        self.refresh(&t);
        x.changes.push(Change {
            subject: subject.clone(),
            key: None,
            before: "—".into(),
            after: "added".into(),
        });
        x.inverses.push(R::remove_command(id));
        x.outcome(subject, Outcome::Changed);
    }

    /// A new user's keys in canonical form and memberships in each
    /// workgroup's own spelling (a workgroup that does not exist is refused).
    pub(super) fn prepare_user(&self, mut user: User) -> Result<User, Refusal> {
        user.licenses = user.licenses.iter().map(|k| catalog::canonical(k)).collect();
        let mut groups = NameSet::new();
        for g in &user.workgroups {
            let wg = self
                .ws
                .workgroup(g)
                .ok_or_else(|| Refusal::NoSuchWorkgroup { name: g.to_string() })?;
            groups.insert(wg.name.clone());
        }
        user.workgroups = groups;
        Ok(user)
    }

    /// A new station's Licensed Machine Name (the station name when blank;
    /// unique) and keys in canonical form.
    pub(super) fn prepare_station(&self, mut station: Station) -> Result<Station, Refusal> {
        if station.machine_name.trim().is_empty() {
            station.machine_name = station.id.clone();
        }
        if self.ws.machine_name_taken(&station.machine_name, None) {
            return Err(Refusal::MachineNameTaken {
                name: station.machine_name.clone(),
            });
        }
        station.licenses = station
            .licenses
            .iter()
            .map(|k| catalog::canonical(k).to_string())
            .collect();
        Ok(station)
    }
}

/// What the document does differently for users and stations: the
/// commands that undo a removal or a rename, the licensing fields, the
/// rules for a change and how it is recorded.
pub(super) trait Edited: Record + PartialEq {
    fn add_back(record: Self, at: usize) -> Command;
    fn remove_command(id: String) -> Command;
    fn rename_back(id: String, new_id: String) -> Command;
    /// A new record in canonical form, or why it cannot be added.
    fn prepare(doc: &Document, record: Self) -> Result<Self, Refusal>;
    /// The rules for a new record's licenses.
    fn check_new(doc: &Document, record: &Self) -> Result<(), Refusal>;
    /// The allocation method (`None`: a station, always Assignable), the
    /// licenses and the ACD interaction types.
    fn licensing(&mut self) -> (Option<Method>, &mut NameSet, &mut BTreeSet<MediaType>);
    fn check(doc: &Document, before: &Self, after: &Self) -> Result<(), Refusal>;
    /// Puts `after` in place of the record at `at`.
    fn commit(doc: &mut Document, at: usize, after: Self, x: &mut Exec);
}

impl Edited for User {
    fn remove_command(id: String) -> Command {
        Command::RemoveUser { id }
    }
    fn prepare(doc: &Document, user: Self) -> Result<Self, Refusal> {
        doc.prepare_user(user)
    }
    fn check_new(doc: &Document, user: &Self) -> Result<(), Refusal> {
        doc.check_user(None, user)
    }
    fn licensing(&mut self) -> (Option<Method>, &mut NameSet, &mut BTreeSet<MediaType>) {
        (Some(self.method), &mut self.licenses, &mut self.acd_media_types)
    }
    fn check(doc: &Document, before: &Self, after: &Self) -> Result<(), Refusal> {
        doc.check_user(Some(before), after)
    }
    fn commit(doc: &mut Document, at: usize, after: Self, x: &mut Exec) {
        doc.commit_user(at, after, x);
    }
    fn add_back(user: User, at: usize) -> Command {
        Command::AddUser { user, at: Some(at) }
    }
    fn rename_back(id: String, new_id: String) -> Command {
        Command::RenameUser { id, new_id }
    }
}

impl Edited for Station {
    fn remove_command(id: String) -> Command {
        Command::RemoveStation { id }
    }
    fn prepare(doc: &Document, station: Self) -> Result<Self, Refusal> {
        doc.prepare_station(station)
    }
    fn check_new(doc: &Document, station: &Self) -> Result<(), Refusal> {
        let empty = Station {
            licenses: NameSet::new(),
            ..station.clone()
        };
        doc.check_station(&empty, station)
    }
    fn licensing(&mut self) -> (Option<Method>, &mut NameSet, &mut BTreeSet<MediaType>) {
        (None, &mut self.licenses, &mut self.acd_media_types)
    }
    fn check(doc: &Document, before: &Self, after: &Self) -> Result<(), Refusal> {
        doc.check_station(before, after)
    }
    fn commit(doc: &mut Document, at: usize, after: Self, x: &mut Exec) {
        doc.commit_station(at, after, x);
    }
    fn add_back(station: Station, at: usize) -> Command {
        Command::AddStation { station, at: Some(at) }
    }
    fn rename_back(id: String, new_id: String) -> Command {
        Command::RenameStation { id, new_id }
    }
}

/// "There is no user/station/workgroup …".
fn no_such(kind: SubjectKind, id: &str) -> Refusal {
    match kind {
        SubjectKind::Station => Refusal::NoSuchStation { id: id.to_string() },
        SubjectKind::Workgroup => Refusal::NoSuchWorkgroup { name: id.to_string() },
        _ => Refusal::NoSuchUser { id: id.to_string() },
    }
}

fn kind_word(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::User => "user",
        SubjectKind::Station => "station",
        SubjectKind::Workgroup => "workgroup",
        SubjectKind::License => "license",
        SubjectKind::Server => "server",
    }
}

pub(super) fn media_words(media: &BTreeSet<MediaType>) -> String {
    if media.is_empty() {
        "—".into()
    } else {
        media.iter().map(|m| m.label()).collect::<Vec<_>>().join(", ")
    }
}

fn licensing_changes(subject: &Subject, m0: Method, before: &NameSet, m1: Method, after: &NameSet) -> Vec<Change> {
    let mut out = Vec::new();
    if m0 != m1 {
        out.push(Change {
            subject: subject.clone(),
            key: None,
            before: m0.label().into(),
            after: m1.label().into(),
        });
    }
    for k in after.difference(before) {
        out.push(Change {
            subject: subject.clone(),
            key: Some(k.to_string()),
            before: "—".into(),
            after: m1.label().into(),
        });
    }
    for k in before.difference(after) {
        out.push(Change {
            subject: subject.clone(),
            key: Some(k.to_string()),
            before: m0.label().into(),
            after: "—".into(),
        });
    }
    out
}
