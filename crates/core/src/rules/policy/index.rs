//! The rules indexed by what they match, so a recount judges each subject
//! only against the rules that can match it (#32): 50 rules over 200,000
//! subjects were ten million rule checks, most of them a role or workgroup
//! comparison that could not succeed.
//!
//! Each rule is filed under one of its criteria — a workgroup, a literal
//! ID prefix or suffix, a role, a station type — or, with none of those,
//! under the rules every subject is checked against. A subject looks up
//! its own workgroups, roles, ID and type, and only the rules found are
//! checked, in full, with the same test as without the index
//! (`Policy::matches_user`, `matches_station`): the index only leaves out
//! rules that cannot match, so the result is the same (a property test
//! compares the two).
//!
//! Filing needs the keys to agree with the test: roles and workgroups are
//! compared by `same` (equal once each character is lower-cased), so they
//! are filed by that lower-casing; ID patterns compare the case-folded ID
//! (`fold`) with the case-folded pattern literally outside `*` and `?`, so
//! a matching ID's folded text starts with the folded pattern's literal
//! prefix and ends with its literal suffix.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::{AppliesTo, Policy};
use crate::model::names::{MAX_REMEMBERED, Name, address};
use crate::model::seen::Seen;
use crate::model::workspace::{Station, StationType, User, fold_ref};

/// Equal under `same` exactly when equal under this key.
fn key(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().flat_map(char::to_lowercase).collect())
    }
}

/// Rule lists by a text (a workgroup's or role's key, an ID's literal
/// prefix or suffix), and each spelling met so far with the list it names:
/// a recount meets the same few spellings ("Agent", "WG-0040", "user012")
/// for 100,000 subjects, so each is keyed and hashed as text once.
#[derive(Default)]
struct Texts {
    lists: FxHashMap<String, u32>,
    seen: Seen,
    /// Shared names (a workspace's workgroup names are interned) by their
    /// address: a pointer hashed instead of the text. Each entry keeps its
    /// name, so the address is not reused meanwhile.
    names: FxHashMap<usize, (Option<usize>, Name)>,
}

impl Texts {
    fn add(&mut self, text: String, rule: u32, buckets: &mut Vec<Vec<u32>>) {
        let next = u32::try_from(buckets.len()).unwrap_or(u32::MAX);
        let at = *self.lists.entry(text).or_insert(next);
        if at == next {
            buckets.push(Vec::new());
        }
        if let Some(b) = buckets.get_mut(at as usize) {
            b.push(rule);
        }
    }

    /// The list a shared name names once keyed by `key`.
    fn get_name(&mut self, name: &Name, key: impl Fn(&str) -> Cow<'_, str>) -> Option<usize> {
        if self.lists.is_empty() {
            return None;
        }
        if let Some((found, _)) = self.names.get(&address(name)) {
            return *found;
        }
        let found = self.get(name, key);
        if self.names.len() < MAX_REMEMBERED {
            self.names.insert(address(name), (found, name.clone()));
        }
        found
    }

    /// The list `spelling` names once keyed by `key`.
    fn get(&mut self, spelling: &str, key: impl Fn(&str) -> Cow<'_, str>) -> Option<usize> {
        if self.lists.is_empty() {
            return None;
        }
        let lists = &self.lists;
        self.seen
            .pos(spelling, |s| lists.get(key(s).as_ref()).map(|at| *at as usize))
    }
}

/// Rules by the literal text an ID must start (or end) with, one table per
/// length of that text.
#[derive(Default)]
struct Affixes(Vec<(usize, Texts)>);

impl Affixes {
    fn add(&mut self, text: &str, rule: u32, buckets: &mut Vec<Vec<u32>>) {
        let len = text.len();
        let at = match self.0.iter().position(|(l, _)| *l == len) {
            Some(at) => at,
            None => {
                self.0.push((len, Texts::default()));
                self.0.len() - 1
            }
        };
        self.0[at].1.add(text.to_string(), rule, buckets);
    }

    /// The lists whose text starts (`prefix`) or ends the folded ID.
    fn find(&mut self, id: &str, prefix: bool, out: &mut Vec<usize>) {
        for (len, texts) in &mut self.0 {
            let part = if prefix {
                id.get(..*len)
            } else {
                id.len().checked_sub(*len).and_then(|from| id.get(from..))
            };
            if let Some(at) = part.and_then(|p| texts.get(p, |s| Cow::Borrowed(s))) {
                out.push(at);
            }
        }
    }
}

/// The rules of one kind of subject.
#[derive(Default)]
struct Side {
    /// The rule lists the criteria below name.
    buckets: Vec<Vec<u32>>,
    by_workgroup: Texts,
    by_role: Texts,
    prefixes: Affixes,
    suffixes: Affixes,
    by_type: Vec<(StationType, usize)>,
    /// Rules with none of the above: checked for every subject.
    every: Vec<u32>,
    /// Rules found only under a criterion that decides them alone (a rule
    /// with nothing but a workgroup, say): not checked again.
    decided: Vec<bool>,
    /// The lists a subject names (kept for their memory).
    lists: Vec<usize>,
}

impl Side {
    /// Files `rule` under its most selective criterion.
    fn file(&mut self, p: &Policy, rule: u32) {
        let m = &p.matches;
        let pattern = m.id_pattern.as_ref().map(|p| fold_ref(p.as_str()).into_owned());
        let wild = |c: char| c == '*' || c == '?';
        let literal = |from_start: bool| -> Option<String> {
            let text = pattern.as_deref()?;
            let part = if from_start {
                text.split(wild).next()
            } else {
                text.rsplit(wild).next()
            };
            part.filter(|s| !s.is_empty()).map(str::to_string)
        };
        // How many criteria the rule has: one alone is decided by its list.
        let criteria = [
            m.workgroup.is_some(),
            m.role.is_some(),
            m.station_type.is_some(),
            pattern.is_some(),
        ]
        .iter()
        .filter(|c| **c)
        .count();
        let alone = |pattern_decided: bool| criteria == 1 && (pattern.is_none() || pattern_decided);
        // "abc*" and "*abc": the literal and one star decide the match.
        let star_only = |text: &str, at_end: bool| text.matches(wild).count() == 1 && (text.ends_with('*') == at_end);
        let mut decided = false;
        if let Some(w) = &m.workgroup {
            self.by_workgroup.add(key(w).into_owned(), rule, &mut self.buckets);
            decided = alone(false);
        } else if let Some(prefix) = literal(true) {
            self.prefixes.add(&prefix, rule, &mut self.buckets);
            decided = alone(pattern.as_deref().is_some_and(|t| star_only(t, true)));
        } else if let Some(suffix) = literal(false) {
            self.suffixes.add(&suffix, rule, &mut self.buckets);
            decided = alone(
                pattern
                    .as_deref()
                    .is_some_and(|t| star_only(t, false) && t.starts_with('*')),
            );
        } else if let Some(r) = &m.role {
            self.by_role.add(key(r).into_owned(), rule, &mut self.buckets);
            decided = alone(false);
        } else if let Some(t) = m.station_type {
            let at = match self.by_type.iter().find(|(k, _)| *k == t) {
                Some((_, at)) => *at,
                None => {
                    self.buckets.push(Vec::new());
                    self.by_type.push((t, self.buckets.len() - 1));
                    self.buckets.len() - 1
                }
            };
            self.buckets[at].push(rule);
            decided = alone(false);
        } else {
            self.every.push(rule);
        }
        let at = rule as usize;
        if self.decided.len() <= at {
            self.decided.resize(at + 1, false);
        }
        self.decided[at] = decided;
    }

    /// The rules filed under what the subject has (candidates, unsorted).
    fn find<'w>(
        &mut self,
        id: &str,
        roles: &[String],
        workgroups: impl Iterator<Item = &'w Name>,
        kind: Option<StationType>,
        out: &mut Vec<u32>,
    ) {
        out.extend(&self.every);
        let mut found = std::mem::take(&mut self.lists);
        found.clear();
        for w in workgroups {
            found.extend(self.by_workgroup.get_name(w, key));
        }
        for r in roles {
            found.extend(self.by_role.get(r, key));
        }
        if !self.prefixes.0.is_empty() || !self.suffixes.0.is_empty() {
            let id = fold_ref(id);
            self.prefixes.find(&id, true, &mut found);
            self.suffixes.find(&id, false, &mut found);
        }
        if let Some(kind) = kind
            && let Some((_, at)) = self.by_type.iter().find(|(k, _)| *k == kind)
        {
            found.push(*at);
        }
        for at in &found {
            if let Some(rules) = self.buckets.get(*at) {
                out.extend(rules);
            }
        }
        self.lists = found;
    }
}

/// The workspace's policies indexed by what they match. Built from the
/// list of policies and used with that same list.
#[derive(Default)]
pub struct PolicyIndex {
    users: Side,
    stations: Side,
    /// Candidates of the subject being judged (kept for their memory).
    scratch: Vec<u32>,
    /// The rules that matched the last subject, by their place.
    matched: Vec<u32>,
}

impl PolicyIndex {
    pub fn new(policies: &[Policy]) -> PolicyIndex {
        let mut index = PolicyIndex::default();
        for (i, p) in policies.iter().enumerate() {
            let Ok(rule) = u32::try_from(i) else { break };
            // A rule for users never matches a station and the other way
            // round (`matches_user`, `matches_station`), nor one that asks
            // for what the other kind has.
            match p.applies_to() {
                AppliesTo::Users if p.matches.station_type.is_none() => index.users.file(p, rule),
                AppliesTo::Stations if p.matches.role.is_none() && p.matches.workgroup.is_none() => {
                    index.stations.file(p, rule)
                }
                _ => {}
            }
        }
        index
    }

    /// The rules that match `u`, in the policies' order.
    pub fn user_rules<'p>(&mut self, policies: &'p [Policy], u: &User, out: &mut Vec<&'p Policy>) {
        let mut found = std::mem::take(&mut self.scratch);
        found.clear();
        self.users.find(&u.id, &u.roles, u.workgroups.iter(), None, &mut found);
        keep(
            policies,
            &mut found,
            &self.users.decided,
            |p| p.matches_user(u),
            out,
            &mut self.matched,
        );
        self.scratch = found;
    }

    /// The places (in the policies' list) of the rules the last call found.
    pub fn matched(&self) -> &[u32] {
        &self.matched
    }

    /// The rules that match `s`, in the policies' order.
    pub fn station_rules<'p>(&mut self, policies: &'p [Policy], s: &Station, out: &mut Vec<&'p Policy>) {
        let mut found = std::mem::take(&mut self.scratch);
        found.clear();
        self.stations
            .find(&s.id, &[], std::iter::empty(), Some(s.kind), &mut found);
        keep(
            policies,
            &mut found,
            &self.stations.decided,
            |p| p.matches_station(s),
            out,
            &mut self.matched,
        );
        self.scratch = found;
    }
}

/// The candidates that match, each once, in the policies' order (and
/// their places in `matched`).
fn keep<'p>(
    policies: &'p [Policy],
    found: &mut [u32],
    decided: &[bool],
    matches: impl Fn(&Policy) -> bool,
    out: &mut Vec<&'p Policy>,
    matched: &mut Vec<u32>,
) {
    out.clear();
    matched.clear();
    // Usually one list's rules, already in order.
    if !found.is_sorted() {
        found.sort_unstable();
    }
    let mut last = None;
    for &rule in found.iter() {
        if last == Some(rule) {
            continue;
        }
        last = Some(rule);
        if let Some(p) = policies.get(rule as usize)
            && (decided.get(rule as usize).copied().unwrap_or(false) || matches(p))
        {
            out.push(p);
            matched.push(rule);
        }
    }
}
