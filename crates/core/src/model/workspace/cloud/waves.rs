//! A phased move: waves, each with a name, a date and the workgroups or
//! users that move on it. A user named by several waves moves with the
//! earliest (a note says so). In a billing period, users whose wave date is on or before the
//! period's first day count as moved; the others stay on PureConnect.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check_text;
use crate::model::workspace::{Workspace, fold_ref};

/// The most waves a plan may have.
pub const MAX_WAVES: usize = 200;

/// One wave of the move.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Wave {
    pub name: String,
    /// The day the wave's users start on Genesys Cloud (YYYY-MM-DD).
    pub date: NaiveDate,
    /// Workgroups whose members move (ignoring case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workgroups: Vec<String>,
    /// Users who move (IDs, ignoring case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub users: Vec<String>,
}

/// Problems of a list of waves as (JSON path, why), paths under `at`.
pub fn problems(waves: &[Wave], at: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if waves.len() > MAX_WAVES {
        out.push((
            at.to_string(),
            format!("has {} waves; the most is {MAX_WAVES}", waves.len()),
        ));
        return out;
    }
    let mut names = BTreeSet::new();
    for (i, w) in waves.iter().enumerate() {
        let path = |field: &str| format!("{at}[{i}].{field}");
        if let Some(why) = check_text(&w.name, 100, "the wave's name") {
            out.push((path("name"), why));
        } else if !names.insert(w.name.trim().to_lowercase()) {
            out.push((path("name"), format!("the wave name “{}” is used twice", w.name.trim())));
        }
        if let Err(e) = crate::model::dates::check_date("date", w.date) {
            out.push((path("date"), e.to_string()));
        }
        for (field, list) in [("workgroups", &w.workgroups), ("users", &w.users)] {
            for (j, name) in list.iter().enumerate() {
                if let Some(why) = check_text(name, 256, "a name") {
                    out.push((path(&format!("{field}[{j}]")), why));
                }
            }
        }
    }
    out
}

/// When each workspace user moves, and who moves with each wave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Per workspace user (by position): the day they move, if any.
    pub move_date: Vec<Option<NaiveDate>>,
    /// Per wave: the users (IDs, sorted) who move with it (a user named by
    /// an earlier wave moves with that one).
    pub users: Vec<Vec<String>>,
    /// Names a wave gives that the workspace does not have.
    pub notes: Vec<String>,
}

impl Plan {
    pub fn new(ws: &Workspace, waves: &[Wave]) -> Plan {
        let mut plan = Plan {
            move_date: vec![None; ws.users().len()],
            users: vec![Vec::new(); waves.len()],
            notes: Vec::new(),
        };
        // Waves in date order (then as listed): the first to name a user
        // is the one they move with.
        let mut order: Vec<usize> = (0..waves.len()).collect();
        order.sort_by_key(|i| (waves[*i].date, *i));
        let mut wave_of: Vec<Option<usize>> = vec![None; ws.users().len()];
        // Per wave: the users it names who moved with an earlier one.
        let mut earlier: Vec<Vec<usize>> = vec![Vec::new(); waves.len()];
        for &i in &order {
            let w = &waves[i];
            let groups: BTreeSet<String> = w.workgroups.iter().map(|g| fold_ref(g.trim()).into_owned()).collect();
            let missing_groups: Vec<String> = w
                .workgroups
                .iter()
                .filter(|g| ws.workgroup(g.trim()).is_none())
                .map(|g| format!("“{}”", g.trim()))
                .collect();
            if !missing_groups.is_empty() {
                plan.notes.push(format!(
                    "Wave “{}” names {} {}, which {} not in the workspace.",
                    w.name.trim(),
                    if missing_groups.len() == 1 {
                        "the workgroup"
                    } else {
                        "the workgroups"
                    },
                    super::listing(&missing_groups),
                    if missing_groups.len() == 1 { "is" } else { "are" },
                ));
            }
            let mut named: Vec<usize> = Vec::new();
            let mut missing_users: Vec<String> = Vec::new();
            for u in &w.users {
                match ws.user_pos(u.trim()) {
                    Some(p) => named.push(p),
                    None => missing_users.push(format!("“{}”", u.trim())),
                }
            }
            if !missing_users.is_empty() {
                // One note per wave, however many names (a pasted list of
                // 200,000 IDs gives one line, not 200,000).
                plan.notes.push(format!(
                    "Wave “{}” names {} {}, who {} not in the workspace.",
                    w.name.trim(),
                    crate::model::text::count(missing_users.len(), "user", "users"),
                    super::listing(&missing_users),
                    if missing_users.len() == 1 { "is" } else { "are" },
                ));
            }
            if !groups.is_empty() {
                for (p, user) in ws.users().iter().enumerate() {
                    if user.workgroups.iter().any(|g| groups.contains(fold_ref(g).as_ref())) {
                        named.push(p);
                    }
                }
            }
            named.sort_unstable();
            named.dedup();
            for p in named {
                match wave_of[p] {
                    None => {
                        wave_of[p] = Some(i);
                        plan.move_date[p] = Some(w.date);
                    }
                    Some(first) if first != i => earlier[i].push(p),
                    Some(_) => {}
                }
            }
        }
        for &i in &order {
            if earlier[i].is_empty() {
                continue;
            }
            let ids: Vec<String> = earlier[i].iter().map(|p| format!("“{}”", ws.users()[*p].id)).collect();
            let firsts: BTreeSet<usize> = earlier[i].iter().filter_map(|p| wave_of[*p]).collect();
            let names: Vec<String> = firsts.iter().map(|f| format!("“{}”", waves[*f].name.trim())).collect();
            plan.notes.push(format!(
                "Wave “{}” also names {} who {} with an earlier wave ({}): {}. A user moves once, with the \
                 earliest wave naming them.",
                waves[i].name.trim(),
                crate::model::text::count(ids.len(), "user", "users"),
                if ids.len() == 1 { "moves" } else { "move" },
                super::listing(&names),
                super::listing(&ids),
            ));
        }
        for (p, w) in wave_of.iter().enumerate() {
            if let Some(w) = w {
                plan.users[*w].push(ws.users()[p].id.clone());
            }
        }
        for list in &mut plan.users {
            list.sort_unstable();
        }
        plan
    }

    /// Has the user at `pos` moved by `day`?
    pub fn moved(&self, pos: usize, day: NaiveDate) -> bool {
        self.move_date.get(pos).copied().flatten().is_some_and(|d| d <= day)
    }

    /// Has every workspace user moved by `day`?
    pub fn all_moved(&self, day: NaiveDate) -> bool {
        !self.move_date.is_empty() && self.move_date.iter().all(|d| d.is_some_and(|d| d <= day))
    }
}
