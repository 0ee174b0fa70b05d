//! Carrying out each command (the rules are asked, never decided here).

use std::sync::Arc;

use super::outcome::{Change, Outcome};
use super::records::media_words;
use super::{Document, Exec, Mode};
use crate::edit::command::Command;
use crate::engine::Touched;
use crate::model::catalog::{self, AcdLevel};
use crate::model::subject::Subject;
use crate::model::workspace::{Method, NameSet, Station, User, fold};
use crate::rules::{self, Refusal};

impl Document {
    pub(super) fn run(&mut self, command: &Command, mode: Mode, x: &mut Exec) {
        match command {
            Command::Assign { subjects, key, method } => {
                let key = catalog::canonical(key).to_string();
                for s in subjects {
                    self.edit_subject(s, mode, x, |holder_method, licenses, _| {
                        if let Some(m) = method {
                            match holder_method {
                                None if *m == Method::Concurrent => {
                                    return Err(Refusal::StationNeverConcurrent);
                                }
                                Some(own) if own != *m => {
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
            Command::Unassign { subjects, key } => {
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
            Command::SetMethod { users, method } => {
                for id in users {
                    self.edit_user(id, mode, x, |u| {
                        if u.method == *method {
                            return Ok(Some(format!("already {}", method.label())));
                        }
                        u.method = *method;
                        Ok(None)
                    });
                }
            }
            Command::SetAcd { subjects, level, media } => {
                for s in subjects {
                    self.edit_subject(s, mode, x, |_, licenses, types| {
                        licenses.retain(|k| catalog::acd_level_of(k).is_none());
                        types.clear();
                        if let Some(level) = level {
                            licenses.insert(level.key());
                            if *level != AcdLevel::Media3Plus {
                                types.extend(media.iter().copied());
                            }
                        }
                        Ok(None)
                    });
                }
            }
            Command::SetIpa { subjects, level } => {
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
            Command::AddUser { user, at } => self.add_record(user, *at, mode, x),
            Command::RemoveUser { id } => self.remove_record::<User>(id, x),
            Command::RenameUser { id, new_id } => self.rename_record::<User>(id, new_id, x),
            Command::SetUserName { id, name } => {
                self.edit_user(id, mode, x, |u| {
                    if u.name == *name {
                        return Ok(Some("same name".into()));
                    }
                    u.name = name.clone();
                    Ok(None)
                });
            }
            Command::AddStation { station, at } => self.add_record(station, *at, mode, x),
            Command::RemoveStation { id } => self.remove_record::<Station>(id, x),
            Command::RenameStation { id, new_id } => self.rename_record::<Station>(id, new_id, x),
            Command::SetStation {
                id,
                kind,
                enabled,
                machine_name,
                shift_station,
            } => {
                let subject = Subject::station(id.clone());
                let Some(at) = self.ws.station_pos(id) else {
                    return x.refuse(subject, Refusal::NoSuchStation { id: id.clone() });
                };
                let mut after = self.ws.stations()[at].clone();
                if let Some(k) = kind {
                    after.kind = *k;
                }
                if let Some(e) = enabled {
                    after.enabled = *e;
                }
                if let Some(shift) = shift_station {
                    after.shift_station = *shift;
                }
                if let Some(m) = machine_name {
                    let m = m.trim();
                    if m.is_empty() {
                        return x.refuse(subject, Refusal::MachineNameBlank);
                    }
                    if self.ws.machine_name_taken(m, Some(id)) {
                        return x.refuse(subject, Refusal::MachineNameTaken { name: m.to_string() });
                    }
                    after.machine_name = m.to_string();
                }
                self.commit_station(at, after, x);
            }
            Command::AddWorkgroup { workgroup, at } => {
                let subject = Subject::workgroup(workgroup.name.clone());
                if let Err(why) = rules::check_new_id(
                    &workgroup.name,
                    "workgroup",
                    self.ws.workgroup_pos(&workgroup.name).is_some(),
                ) {
                    return x.refuse(subject, why);
                }
                Arc::make_mut(&mut self.ws).insert_workgroup(*at, workgroup.clone());
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
            Command::RemoveWorkgroup { name } => {
                let subject = Subject::workgroup(name.clone());
                let Some(pos) = self.ws.workgroup_pos(name) else {
                    return x.refuse(subject, Refusal::NoSuchWorkgroup { name: name.clone() });
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
            Command::RenameWorkgroup { name, new_name } => {
                let subject = Subject::workgroup(name.clone());
                let Some(pos) = self.ws.workgroup_pos(name) else {
                    return x.refuse(subject, Refusal::NoSuchWorkgroup { name: name.clone() });
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
                        u.workgroups.insert(new_name.clone());
                        t.users.insert(fold(m));
                    }
                }
                Arc::make_mut(&mut self.ws).rename_workgroup(&real, new_name);
                t.workgroup(&real);
                t.workgroup(new_name);
                self.refresh(&t);
                x.changes.push(Change {
                    subject: Subject::workgroup(new_name.clone()),
                    key: None,
                    before: real.clone(),
                    after: new_name.clone(),
                });
                x.inverses.push(Command::RenameWorkgroup {
                    name: new_name.clone(),
                    new_name: real,
                });
                x.outcome(subject, Outcome::Changed);
            }
            Command::SetWorkgroupMedia { name, media } => {
                let subject = Subject::workgroup(name.clone());
                let Some(wg) = Arc::make_mut(&mut self.ws).workgroup_mut(name) else {
                    return x.refuse(subject, Refusal::NoSuchWorkgroup { name: name.clone() });
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
            Command::SetMembership {
                users,
                workgroup,
                member,
            } => {
                let Some(real) = self.ws.workgroup(workgroup).map(|w| w.name.clone()) else {
                    for u in users {
                        x.refuse(
                            Subject::user(u.clone()),
                            Refusal::NoSuchWorkgroup {
                                name: workgroup.clone(),
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
                    let did = if *member {
                        u.workgroups.insert(real.clone())
                    } else {
                        u.workgroups.remove(&real)
                    };
                    if !did {
                        let why = if *member {
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
                        before: if *member {
                            "—".into()
                        } else {
                            format!("member of {real}")
                        },
                        after: if *member {
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
            Command::UpdateUser { user } => {
                let mut groups = NameSet::new();
                for g in &user.workgroups {
                    match self.ws.workgroup(g) {
                        Some(wg) => {
                            groups.insert(wg.name.clone());
                        }
                        None => {
                            return x.refuse(
                                Subject::user(user.id.clone()),
                                Refusal::NoSuchWorkgroup { name: g.to_string() },
                            );
                        }
                    }
                }
                self.edit_user(&user.id, mode, x, |u| {
                    u.name = user.name.clone();
                    u.method = user.method;
                    u.licenses = user
                        .licenses
                        .iter()
                        .map(|k| catalog::canonical(k).to_string())
                        .collect();
                    u.acd_media_types = user.acd_media_types.clone();
                    u.workgroups = groups;
                    Ok(None)
                });
            }
            Command::UpdateStation { station } => {
                let subject = Subject::station(station.id.clone());
                let Some(at) = self.ws.station_pos(&station.id) else {
                    return x.refuse(subject, Refusal::NoSuchStation { id: station.id.clone() });
                };
                let before = &self.ws.stations()[at];
                let mut after = station.clone();
                after.id = before.id.clone();
                after.licenses = station
                    .licenses
                    .iter()
                    .map(|k| catalog::canonical(k).to_string())
                    .collect();
                let machine = after.machine_name.trim().to_string();
                if machine.is_empty() {
                    return x.refuse(subject, Refusal::MachineNameBlank);
                }
                if self.ws.machine_name_taken(&machine, Some(&before.id)) {
                    return x.refuse(
                        subject,
                        Refusal::MachineNameTaken {
                            name: machine.to_string(),
                        },
                    );
                }
                after.machine_name = machine;
                if mode == Mode::Normal
                    && let Err(why) = self.check_station(before, &after)
                {
                    return x.refuse(subject, why);
                }
                self.commit_station(at, after, x);
            }
            Command::RestoreUser { user } if mode == Mode::Normal => {
                x.refuse(Subject::user(user.id.clone()), Refusal::InternalOnly)
            }
            Command::RestoreStation { station } if mode == Mode::Normal => {
                x.refuse(Subject::station(station.id.clone()), Refusal::InternalOnly)
            }
            Command::RestoreUser { user } => {
                let subject = Subject::user(user.id.clone());
                let Some(at) = self.ws.user_pos(&user.id) else {
                    return x.refuse(subject, Refusal::NoSuchUser { id: user.id.clone() });
                };
                self.commit_user(at, user.clone(), x);
            }
            Command::RestoreStation { station } => {
                let subject = Subject::station(station.id.clone());
                let Some(at) = self.ws.station_pos(&station.id) else {
                    return x.refuse(subject, Refusal::NoSuchStation { id: station.id.clone() });
                };
                self.commit_station(at, station.clone(), x);
            }
            Command::SetRole { users, role, member } => {
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
                    if has == *member {
                        let why = if *member {
                            "already has the role"
                        } else {
                            "does not have the role"
                        };
                        x.unchanged(subject, why);
                        continue;
                    }
                    let record = u.clone();
                    let before = u.roles.join(", ");
                    if *member {
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
            Command::SetPolicies { policies } => {
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
                let old = std::mem::replace(&mut Arc::make_mut(&mut self.ws).policies, policies.clone());
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
            Command::SetPriceList { price_list } => {
                let subject = Subject::server("price_list");
                if let Some((_, why)) = price_list.iter().flat_map(|p| p.problems()).next() {
                    return x.refuse(subject, Refusal::InvalidPriceList { why });
                }
                if self.ws.price_list == *price_list {
                    return x.unchanged(subject, "same price list");
                }
                let describe = |p: &Option<crate::model::workspace::PriceList>| match p {
                    None => "no price list".to_string(),
                    Some(p) => format!(
                        "{} ({})",
                        crate::model::text::count(
                            p.per_user_per_period.len() + p.per_assignable_license_per_month.len(),
                            "price",
                            "prices"
                        ),
                        p.currency
                    ),
                };
                let old = std::mem::replace(&mut Arc::make_mut(&mut self.ws).price_list, price_list.clone());
                x.changes.push(Change {
                    subject: subject.clone(),
                    key: None,
                    before: describe(&old),
                    after: describe(price_list),
                });
                x.inverses.push(Command::SetPriceList { price_list: old });
                x.outcome(subject, Outcome::Changed);
            }
            Command::SetCloud { cloud } => {
                let subject = Subject::server("cloud");
                if let Some((path, why)) = cloud.problems("$.cloud").into_iter().next() {
                    return x.refuse(
                        subject,
                        Refusal::InvalidCloudSettings {
                            why: format!("{path}: {why}"),
                        },
                    );
                }
                if self.ws.cloud == *cloud {
                    return x.unchanged(subject, "same Genesys Cloud settings");
                }
                let old = std::mem::replace(&mut Arc::make_mut(&mut self.ws).cloud, cloud.clone());
                x.changes.push(Change {
                    subject: subject.clone(),
                    key: None,
                    before: old.describe(),
                    after: cloud.describe(),
                });
                x.inverses.push(Command::SetCloud { cloud: old });
                x.outcome(subject, Outcome::Changed);
            }
            Command::Batch { commands, label } => {
                let from = x.changes.len();
                for c in commands {
                    self.run(c, mode, x);
                }
                if let Some(label) = label {
                    // After the batches inside it: innermost first.
                    x.credits.push((from..x.changes.len(), label.clone()));
                }
            }
        }
    }
}
