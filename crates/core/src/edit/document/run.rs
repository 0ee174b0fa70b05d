//! Carrying out each command: a dispatcher over one module per kind of
//! change (the rules are asked there, never decided here).

mod licenses;
mod memberships;
mod policies;
mod prices;
mod records;
mod roles;
mod workgroups;

use super::{Document, Exec, Mode};
use crate::edit::command::Command;
use crate::model::subject::Subject;
use crate::model::workspace::{Station, User};
use crate::rules::Refusal;

impl Document {
    pub(super) fn run(&mut self, command: &Command, mode: Mode, x: &mut Exec) {
        match command {
            Command::Assign { subjects, key, method } => self.assign(subjects, key, *method, mode, x),
            Command::Unassign { subjects, key } => self.unassign(subjects, key, mode, x),
            Command::SetMethod { users, method } => self.set_method(users, *method, mode, x),
            Command::SetAcd { subjects, level, media } => self.set_acd(subjects, *level, media, mode, x),
            Command::SetIpa { subjects, level } => self.set_ipa(subjects, *level, mode, x),
            Command::AddUser { user, at } => self.add_record(user, *at, mode, x),
            Command::RemoveUser { id } => self.remove_record::<User>(id, x),
            Command::RenameUser { id, new_id } => self.rename_record::<User>(id, new_id, x),
            Command::SetUserName { id, name } => self.set_user_name(id, name, mode, x),
            Command::AddStation { station, at } => self.add_record(station, *at, mode, x),
            Command::RemoveStation { id } => self.remove_record::<Station>(id, x),
            Command::RenameStation { id, new_id } => self.rename_record::<Station>(id, new_id, x),
            Command::SetStation {
                id,
                kind,
                enabled,
                machine_name,
                shift_station,
            } => self.set_station(id, *kind, *enabled, machine_name.as_deref(), *shift_station, x),
            Command::UpdateUser { user } => self.update_user(user, mode, x),
            Command::UpdateStation { station } => self.update_station(station, mode, x),
            // Undo's own records: never from a user, a journal or a file.
            Command::RestoreUser { user } if mode == Mode::Normal => {
                x.refuse(Subject::user(user.id.clone()), Refusal::InternalOnly)
            }
            Command::RestoreStation { station } if mode == Mode::Normal => {
                x.refuse(Subject::station(station.id.clone()), Refusal::InternalOnly)
            }
            Command::RestoreUser { user } => self.restore_user(user, x),
            Command::RestoreStation { station } => self.restore_station(station, x),
            Command::AddWorkgroup { workgroup, at } => self.add_workgroup(workgroup, *at, x),
            Command::RemoveWorkgroup { name } => self.remove_workgroup(name, x),
            Command::RenameWorkgroup { name, new_name } => self.rename_workgroup(name, new_name, x),
            Command::SetWorkgroupMedia { name, media } => self.set_workgroup_media(name, media, x),
            Command::SetMembership {
                users,
                workgroup,
                member,
            } => self.set_membership(users, workgroup, *member, x),
            Command::SetRole { users, role, member } => self.set_role(users, role, *member, x),
            Command::SetPolicies { policies } => self.set_policies(policies, x),
            Command::SetPriceList { price_list } => self.set_price_list(price_list, x),
            Command::SetCloud { cloud } => self.set_cloud(cloud, x),
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
