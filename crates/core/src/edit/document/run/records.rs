//! The commands that change a user's or station's record as a whole or one
//! of its fields (the generic add, remove and rename are `document/records.rs`).

use super::super::{Document, Exec, Mode};
use crate::model::catalog;
use crate::model::subject::Subject;
use crate::model::workspace::{NameSet, Station, StationType, User};
use crate::rules::Refusal;

impl Document {
    /// Renames a user (the full name, not the ID).
    pub(super) fn set_user_name(&mut self, id: &str, name: &str, mode: Mode, x: &mut Exec) {
        self.edit_user(id, mode, x, |u| {
            if u.name == *name {
                return Ok(Some("same name".into()));
            }
            u.name = name.to_string();
            Ok(None)
        });
    }

    /// Changes a station's type, enabled flag, machine name or shift flag.
    pub(super) fn set_station(
        &mut self,
        id: &str,
        kind: Option<StationType>,
        enabled: Option<bool>,
        machine_name: Option<&str>,
        shift_station: Option<bool>,
        x: &mut Exec,
    ) {
        let subject = Subject::station(id);
        let Some(at) = self.ws.station_pos(id) else {
            return x.refuse(subject, Refusal::NoSuchStation { id: id.to_string() });
        };
        let mut after = self.ws.stations()[at].clone();
        if let Some(k) = kind {
            after.kind = k;
        }
        if let Some(e) = enabled {
            after.enabled = e;
        }
        if let Some(shift) = shift_station {
            after.shift_station = shift;
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

    /// Replaces a user's record (User Configuration's OK).
    pub(super) fn update_user(&mut self, user: &User, mode: Mode, x: &mut Exec) {
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

    /// Replaces a station's record (Station Configuration's OK).
    pub(super) fn update_station(&mut self, station: &Station, mode: Mode, x: &mut Exec) {
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

    /// Puts a user's record back exactly (undo only).
    pub(super) fn restore_user(&mut self, user: &User, x: &mut Exec) {
        let subject = Subject::user(user.id.clone());
        let Some(at) = self.ws.user_pos(&user.id) else {
            return x.refuse(subject, Refusal::NoSuchUser { id: user.id.clone() });
        };
        self.commit_user(at, user.clone(), x);
    }

    /// Puts a station's record back exactly (undo only).
    pub(super) fn restore_station(&mut self, station: &Station, x: &mut Exec) {
        let subject = Subject::station(station.id.clone());
        let Some(at) = self.ws.station_pos(&station.id) else {
            return x.refuse(subject, Refusal::NoSuchStation { id: station.id.clone() });
        };
        self.commit_station(at, station.clone(), x);
    }
}
