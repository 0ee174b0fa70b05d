//! People › Roles: the roles users hold, with their users and the
//! workgroups those users are in. Roles live on the users (a user's
//! `roles`), so the list is gathered from them; names that differ only in
//! case are one role (as policies match them), shown as first written.

use std::collections::BTreeMap;

use super::Workspace;

/// One role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// As first written by a user holding it.
    pub name: String,
    /// Positions of its users in `Workspace::users`, in list order.
    pub users: Vec<usize>,
    /// The workgroups of its users, each with how many of them are in it,
    /// by name.
    pub workgroups: BTreeMap<String, usize>,
}

/// Every role, by name ignoring case.
pub fn roles(ws: &Workspace) -> Vec<Role> {
    let mut by_key: BTreeMap<String, Role> = BTreeMap::new();
    for (pos, user) in ws.users().iter().enumerate() {
        let mut seen: Vec<String> = Vec::new();
        for name in &user.roles {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let key = name.to_lowercase();
            // A user listing one role twice counts once.
            if seen.contains(&key) {
                continue;
            }
            seen.push(key.clone());
            let role = by_key.entry(key).or_insert_with(|| Role {
                name: name.to_string(),
                users: Vec::new(),
                workgroups: BTreeMap::new(),
            });
            role.users.push(pos);
            for wg in user.workgroups.iter() {
                *role.workgroups.entry(wg.to_string()).or_default() += 1;
            }
        }
    }
    by_key.into_values().collect()
}

/// How many users hold no role.
pub fn without_role(ws: &Workspace) -> usize {
    ws.users()
        .iter()
        .filter(|u| u.roles.iter().all(|r| r.trim().is_empty()))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::workspace::User;

    fn user(id: &str, roles: &[&str], wgs: &[&str]) -> User {
        let mut u = User::new(id, id);
        u.roles = roles.iter().map(|r| r.to_string()).collect();
        for w in wgs {
            u.workgroups.insert(w);
        }
        u
    }

    #[test]
    fn roles_gather_users_and_their_workgroups_ignoring_case() {
        let mut ws = Workspace::default();
        for u in [
            user("a", &["Agent"], &["Sales"]),
            user("b", &["agent", "Supervisor"], &["Sales", "Support"]),
            user("c", &["Supervisor", "supervisor"], &[]),
            user("d", &[], &["Sales"]),
            user("e", &["  "], &[]),
        ] {
            ws.insert(None, u);
        }
        let r = roles(&ws);
        let names: Vec<&str> = r.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Agent", "Supervisor"]);
        assert_eq!(r[0].users, [0, 1]);
        assert_eq!(r[0].workgroups.get("Sales"), Some(&2));
        assert_eq!(r[0].workgroups.get("Support"), Some(&1));
        assert_eq!(r[1].users, [1, 2], "c listed Supervisor twice: once");
        assert_eq!(without_role(&ws), 2);
    }
}
