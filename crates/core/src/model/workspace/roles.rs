//! People › Roles: the roles users hold, with their users and the
//! workgroups those users are in. Roles live on the users (a user's
//! `roles`), so the list is gathered from them; names that differ only in
//! case are one role (as policies match them), shown as first written.

use std::collections::{BTreeMap, HashMap};

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
    // Gathered with few allocations (a role and a workgroup name once each,
    // not once per user): 100,000 users took 15-40 ms allocating keys.
    let mut list: Vec<Role> = Vec::new();
    let mut counts: Vec<HashMap<&str, usize>> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut by_spelling: HashMap<&str, usize> = HashMap::new();
    let mut seen: Vec<usize> = Vec::new();
    for (pos, user) in ws.users().iter().enumerate() {
        seen.clear();
        for name in &user.roles {
            let name = name.trim();
            if name.is_empty() {
                continue;
            }
            let i = match by_spelling.get(name) {
                Some(&i) => i,
                None => {
                    let i = *by_key.entry(name.to_lowercase()).or_insert_with(|| {
                        list.push(Role {
                            name: name.to_string(),
                            users: Vec::new(),
                            workgroups: BTreeMap::new(),
                        });
                        counts.push(HashMap::new());
                        list.len() - 1
                    });
                    by_spelling.insert(name, i);
                    i
                }
            };
            // A user listing one role twice counts once.
            if seen.contains(&i) {
                continue;
            }
            seen.push(i);
            list[i].users.push(pos);
            for wg in user.workgroups.iter() {
                *counts[i].entry(&**wg).or_default() += 1;
            }
        }
    }
    // By name ignoring case, as before.
    let mut order: Vec<(String, usize)> = by_key.into_iter().collect();
    order.sort_unstable();
    order
        .into_iter()
        .map(|(_, i)| {
            let mut role = std::mem::replace(
                &mut list[i],
                Role {
                    name: String::new(),
                    users: Vec::new(),
                    workgroups: BTreeMap::new(),
                },
            );
            role.workgroups = std::mem::take(&mut counts[i])
                .into_iter()
                .map(|(wg, n)| (wg.to_string(), n))
                .collect();
            role
        })
        .collect()
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
    use crate::model::workspace::User;

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
