//! The plan of a change set: before a large change is applied (Apply
//! policies, Reclaim › Apply, a bulk change over many users or stations),
//! who will get, keep and lose each license, who cannot and why in IA's
//! words, and — with a logon history loaded — how many logons would then
//! be denied. Users and stations are one concept here, a *subject*.
//!
//! The plan is worked out by a dry run of the very command that would be
//! applied (`Document::dry_run`: every part in order, then everything put
//! back), so what it says is what Apply will do. It takes a `&mut Document`
//! and nothing of the screen, so the GUI can run it on a worker thread on a
//! copy of the document when the change is large (`Progress` reports the
//! replay and lets the user cancel).

use std::collections::{BTreeSet, HashMap};

use crate::analysis::replay::Event;
use crate::edit::command::Command;
use crate::edit::document::{Document, Outcome};
use crate::model::catalog;
use crate::model::names::NameSet;
use crate::model::subject::{Subject, SubjectKind};
use crate::model::workspace::{MediaType, Method, Workspace, fold};
use crate::rules::{PastCounts, past_counts};

mod words;
pub use words::{AppliedInPart, Row, RowChange, who};

/// What a part of the plan is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Item {
    /// A license key (canonical).
    License(String),
    /// The license allocation method a user is set to.
    Method(Method),
    /// A role (IA's People › Roles).
    Role(String),
    /// The ACD interaction types, when they change without the level.
    AcdTypes,
    /// A part of the command about none of these (only its refusals are
    /// listed), named by its summary.
    Other(String),
}

impl Item {
    /// IA's name for it: "Client Access", "Concurrent", "role Agent".
    pub fn label(&self) -> String {
        match self {
            Item::License(k) => catalog::label(k).to_string(),
            Item::Method(m) => m.label().to_string(),
            Item::Role(r) => format!("role {r}"),
            Item::AcdTypes => "ACD interaction types".to_string(),
            Item::Other(s) => s.clone(),
        }
    }

    /// Licenses first (by name), then methods, roles, the rest.
    fn order(&self) -> (u8, String) {
        match self {
            Item::License(k) => (0, catalog::label(k).to_lowercase()),
            Item::Method(m) => (1, m.label().to_string()),
            Item::Role(r) => (2, fold(r)),
            Item::AcdTypes => (3, String::new()),
            Item::Other(s) => (4, s.clone()),
        }
    }
}

/// Who a part of the plan changes, leaves or cannot change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemPlan {
    pub item: Item,
    /// Will hold it (will be set to the method) and do not now.
    pub gets: Vec<Subject>,
    /// Hold it now and will keep it (the change asked for it).
    pub keeps: Vec<Subject>,
    /// Hold it now and will not.
    pub loses: Vec<Subject>,
    /// Do not hold it and will not (asked to lose what they do not have).
    pub without: Vec<Subject>,
    /// Cannot be changed, with the reason in IA's words.
    pub refused: Vec<(Subject, String)>,
}

/// The plan of one change set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangePlan {
    /// One entry per license (method, role) the change is about, in order.
    pub items: Vec<ItemPlan>,
    /// How many (subject, license) changes: everything got or lost.
    pub changes: usize,
    /// Users and stations that change at all.
    pub users: usize,
    pub stations: usize,
    /// With a logon history: the logons that would be denied a license
    /// after the change (one logon denied two licenses counts once).
    pub denied_logons: Option<usize>,
    /// Licenses the change takes (further) past what a subscription
    /// license file lists: accepted, and billed per use (`billed-per-use`).
    pub past_counts: Vec<PastCount>,
}

/// A license the change takes past the file's counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastCount {
    pub key: String,
    /// How far past the counts it is now, and would be.
    pub before: PastCounts,
    pub after: PastCounts,
}

/// How far a plan's replay has come, and a way to stop it; shared with
/// the thread that works the plan out.
pub use crate::model::progress::Progress;

/// Why no plan came back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("the plan was cancelled")]
    Cancelled,
}

/// What a subject holds, as far as a plan compares. Taken for every subject
/// a change names, twice (before and after), so it is kept cheap: the
/// license set is shared names (one allocation), roles and ACD types only
/// when a part of the change can touch them.
#[derive(Debug, Clone, Default)]
struct Holding {
    licenses: NameSet,
    method: Option<Method>,
    /// Roles (folded, as spelt), when the change can touch roles.
    roles: Vec<(String, String)>,
    /// The ACD interaction types, when the change can set them.
    media: Option<BTreeSet<MediaType>>,
}

/// Which parts of a holding a change can touch.
#[derive(Debug, Clone, Copy, Default)]
struct Needs {
    roles: bool,
    media: bool,
}

impl Needs {
    fn of(parts: &[&Command]) -> Needs {
        let mut n = Needs::default();
        for p in parts {
            match p {
                Command::SetRole { .. } => n.roles = true,
                Command::SetAcd { .. } => n.media = true,
                Command::UpdateUser { .. } | Command::AddUser { .. } | Command::RemoveUser { .. } => {
                    n.roles = true;
                    n.media = true;
                }
                Command::UpdateStation { .. } | Command::AddStation { .. } | Command::RemoveStation { .. } => {
                    n.media = true
                }
                _ => {}
            }
        }
        n
    }
}

impl Holding {
    fn of(ws: &Workspace, s: &Subject, needs: Needs) -> Holding {
        match s.kind {
            SubjectKind::User => ws.user(&s.id).map_or_else(Holding::default, |u| Holding {
                licenses: u.licenses.clone(),
                method: Some(u.method),
                roles: if needs.roles {
                    u.roles.iter().map(|r| (fold(r.trim()), r.trim().to_string())).collect()
                } else {
                    Vec::new()
                },
                media: needs.media.then(|| u.acd_media_types.clone()),
            }),
            SubjectKind::Station => ws.station(&s.id).map_or_else(Holding::default, |st| Holding {
                licenses: st.licenses.clone(),
                method: None,
                roles: Vec::new(),
                media: needs.media.then(|| st.acd_media_types.clone()),
            }),
            _ => Holding::default(),
        }
    }

    fn has(&self, item: &Item) -> bool {
        match item {
            Item::License(k) => self.licenses.iter().any(|n| catalog::canonical(n) == k.as_str()),
            Item::Method(m) => self.method == Some(*m),
            Item::Role(r) => {
                let r = fold(r.trim());
                self.roles.iter().any(|(f, _)| *f == r)
            }
            Item::AcdTypes | Item::Other(_) => false,
        }
    }
}

/// Who a part of a command is about, without copying them.
enum Named<'c> {
    Subjects(&'c [Subject]),
    Users(&'c [String]),
    One(SubjectKind, &'c str),
    Nobody,
}

/// The subjects a part of a command is about, and what about them (`None`:
/// the whole record, e.g. User Configuration's OK).
fn addressed(part: &Command) -> (Named<'_>, Option<Item>) {
    let license = |key: &str| Some(Item::License(catalog::canonical(key.trim()).to_string()));
    match part {
        Command::Assign { subjects, key, .. } | Command::Unassign { subjects, key } => {
            (Named::Subjects(subjects), license(key))
        }
        Command::SetMethod { users, method } => (Named::Users(users), Some(Item::Method(*method))),
        Command::SetAcd { subjects, level, .. } => (
            Named::Subjects(subjects),
            level.map(|l| Item::License(l.key().to_string())),
        ),
        Command::SetIpa { subjects, level } => (
            Named::Subjects(subjects),
            level.map(|l| Item::License(l.key().to_string())),
        ),
        Command::SetRole { users, role, .. } => (Named::Users(users), Some(Item::Role(role.trim().to_string()))),
        Command::UpdateUser { user } | Command::AddUser { user, .. } => (Named::One(SubjectKind::User, &user.id), None),
        Command::UpdateStation { station } | Command::AddStation { station, .. } => {
            (Named::One(SubjectKind::Station, &station.id), None)
        }
        Command::RemoveUser { id } => (Named::One(SubjectKind::User, id), None),
        Command::RemoveStation { id } => (Named::One(SubjectKind::Station, id), None),
        _ => (Named::Nobody, None),
    }
}

/// One subject however the parts spell it: its place in the workspace
/// (no copy of the ID), or its folded ID when it is not there.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    At(SubjectKind, usize),
    Missing(SubjectKind, String),
}

fn key_of(ws: &Workspace, kind: SubjectKind, id: &str) -> Key {
    let at = match kind {
        SubjectKind::User => ws.user_pos(id),
        SubjectKind::Station => ws.station_pos(id),
        _ => None,
    };
    at.map_or_else(|| Key::Missing(kind, fold(id)), |at| Key::At(kind, at))
}

/// A subject named the way the workspace spells it.
fn spelt(ws: &Workspace, key: &Key, id: &str) -> Subject {
    match key {
        Key::At(SubjectKind::User, at) => Subject::user(ws.users()[*at].id.clone()),
        Key::At(SubjectKind::Station, at) => Subject::station(ws.stations()[*at].id.clone()),
        Key::At(kind, _) | Key::Missing(kind, _) => Subject::new(*kind, id.to_string()),
    }
}

/// The subjects of a plan, each once, in the order first named, with the
/// items the change asked about for each (indices into `Items`).
#[derive(Default)]
struct Subjects {
    order: Vec<Subject>,
    at: HashMap<Key, usize>,
    asked: Vec<Vec<usize>>,
}

impl Subjects {
    fn index(&mut self, ws: &Workspace, kind: SubjectKind, id: &str) -> usize {
        let key = key_of(ws, kind, id);
        if let Some(&i) = self.at.get(&key) {
            return i;
        }
        self.order.push(spelt(ws, &key, id));
        self.asked.push(Vec::new());
        self.at.insert(key, self.order.len() - 1);
        self.order.len() - 1
    }
}

/// The items of a plan, each once (a license is one item however many
/// subjects it is about).
#[derive(Default)]
struct Items {
    list: Vec<Item>,
    at: HashMap<Item, usize>,
}

impl Items {
    fn index(&mut self, item: Item) -> usize {
        if let Some(&i) = self.at.get(&item) {
            return i;
        }
        self.list.push(item.clone());
        self.at.insert(item, self.list.len() - 1);
        self.list.len() - 1
    }
}

/// Names each part's subjects (with the item the part asks about them) and
/// gives the item each part is about.
fn address_parts(
    ws: &crate::model::workspace::Workspace,
    parts: &[&Command],
    subjects: &mut Subjects,
    items: &mut Items,
) -> Vec<Option<usize>> {
    let mut part_items: Vec<Option<usize>> = Vec::with_capacity(parts.len());
    for part in parts {
        let (named, item) = addressed(part);
        let item = item.map(|i| items.index(i));
        part_items.push(item);
        let mut name = |kind: SubjectKind, id: &str| {
            let w = subjects.index(ws, kind, id);
            if let Some(i) = item
                && !subjects.asked[w].contains(&i)
            {
                subjects.asked[w].push(i);
            }
        };
        match named {
            Named::Subjects(list) => list.iter().for_each(|s| name(s.kind, &s.id)),
            Named::Users(ids) => ids.iter().for_each(|id| name(SubjectKind::User, id)),
            Named::One(kind, id) => name(kind, id),
            Named::Nobody => {}
        }
    }
    part_items
}

/// The refusals of a dry run, per subject: the item their part is about,
/// and why.
fn refusals_by_subject(
    ws: &crate::model::workspace::Workspace,
    outcomes: &[crate::edit::document::PartOutcome],
    part_items: &[Option<usize>],
    subjects: &mut Subjects,
    items: &mut Items,
) -> HashMap<usize, Vec<(usize, String)>> {
    let mut refused: HashMap<usize, Vec<(usize, String)>> = HashMap::new();
    for (i, part) in outcomes.iter().enumerate() {
        for o in &part.outcomes {
            if let Outcome::Refused { reason, .. } = &o.outcome {
                let item = part_items
                    .get(i)
                    .copied()
                    .flatten()
                    .unwrap_or_else(|| items.index(Item::Other(part.part.summary())));
                let w = subjects.index(ws, o.subject.kind, &o.subject.id);
                let list = refused.entry(w).or_default();
                if !list.iter().any(|(x, _)| *x == item) {
                    list.push((item, reason.clone()));
                }
            }
        }
    }
    refused
}

/// What the change asked about a subject, then whatever else differs
/// between its holdings before (`b`) and after (`a`).
fn differences(b: &Holding, a: &Holding, asked: &[usize], items: &mut Items) -> Vec<usize> {
    let mut about: Vec<usize> = asked.to_vec();
    let also = |item: Item, items: &mut Items, about: &mut Vec<usize>| once(about, items.index(item));
    if b.licenses != a.licenses {
        for k in b
            .licenses
            .difference(&a.licenses)
            .chain(a.licenses.difference(&b.licenses))
        {
            also(Item::License(catalog::canonical(k).to_string()), items, &mut about);
        }
    }
    if let (Some(m0), Some(m1)) = (b.method, a.method)
        && m0 != m1
    {
        also(Item::Method(m1), items, &mut about);
    }
    if b.roles != a.roles {
        let gone = |x: &[(String, String)], y: &[(String, String)]| -> Vec<(String, String)> {
            x.iter()
                .filter(|(f, _)| !y.iter().any(|(g, _)| g == f))
                .cloned()
                .collect()
        };
        for (r, spelt) in gone(&b.roles, &a.roles).into_iter().chain(gone(&a.roles, &b.roles)) {
            // A role asked about in another spelling is the same role.
            let asked_as = asked
                .iter()
                .find(|&&i| matches!(&items.list[i], Item::Role(x) if fold(x.trim()) == r))
                .copied();
            match asked_as {
                Some(i) => once(&mut about, i),
                None => also(Item::Role(spelt), items, &mut about),
            }
        }
    }
    if b.media != a.media && b.licenses == a.licenses {
        also(Item::AcdTypes, items, &mut about);
    }
    about
}

/// The plan of `command` in an editing session, from a dry run that
/// leaves the session's document exactly as it was: how the faces ask for
/// a plan (they have no mutable way into the document).
pub fn plan_in(
    session: &mut crate::edit::editing::Session,
    command: &Command,
    events: Option<&[Event]>,
    progress: &Progress,
) -> Result<ChangePlan, PlanError> {
    session.dry_run(|doc| plan(doc, command, events, progress))
}

/// Works out the plan of `command` on `doc` (which ends exactly as it
/// was); with `events`, replays them against the workspace as the change
/// would leave it and counts the logons that would be denied.
pub fn plan(
    doc: &mut Document,
    command: &Command,
    events: Option<&[Event]>,
    progress: &Progress,
) -> Result<ChangePlan, PlanError> {
    let parts = crate::edit::document::parts(command);
    let needs = Needs::of(&parts);
    let mut subjects = Subjects::default();
    let mut items = Items::default();
    // The item each part is about (its refusals are about that item).
    let part_items = address_parts(doc.workspace(), &parts, &mut subjects, &mut items);
    let before: Vec<Holding> = subjects
        .order
        .iter()
        .map(|s| Holding::of(doc.workspace(), s, needs))
        .collect();
    let license = doc.license().clone();
    // The licenses the change names, past the file's counts before it and
    // after it (on a subscription license nothing refuses them).
    let keys: Vec<String> = items
        .list
        .iter()
        .filter_map(|i| match i {
            Item::License(k) => Some(k.clone()),
            _ => None,
        })
        .collect();
    let past = |engine: &crate::engine::Engine, k: &str| {
        let c = engine.configured(k);
        past_counts(&license, k, c).unwrap_or_default()
    };
    let past_before: Vec<PastCounts> = keys.iter().map(|k| past(doc.engine(), k)).collect();
    let order = &subjects.order;
    let (outcomes, (after, denied, past_after)) = doc.dry_run(command, |ws, engine| {
        let after: Vec<Holding> = order.iter().map(|s| Holding::of(ws, s, needs)).collect();
        let denied = events.map(|events| denied_logons(&license, ws, events, progress));
        let past_after: Vec<PastCounts> = keys.iter().map(|k| past(engine, k)).collect();
        (after, denied, past_after)
    });
    let past_counts: Vec<PastCount> = keys
        .into_iter()
        .zip(past_before.into_iter().zip(past_after))
        .filter(|(_, (b, a))| a.assignable_over > b.assignable_over || a.concurrent_unlisted > b.concurrent_unlisted)
        .map(|(key, (before, after))| PastCount { key, before, after })
        .collect();
    let denied_logons = match denied {
        Some(None) => return Err(PlanError::Cancelled),
        Some(Some(n)) => Some(n),
        None => None,
    };
    // Refusals, per subject: the item their part is about, and why.
    let refused = refusals_by_subject(doc.workspace(), &outcomes, &part_items, &mut subjects, &mut items);
    let mut plans: Vec<Option<ItemPlan>> = vec![None; items.list.len()];
    let mut changed = vec![false; subjects.order.len()];
    let none = Holding::default();
    for (w, subject) in subjects.order.iter().enumerate() {
        let (b, a) = (before.get(w).unwrap_or(&none), after.get(w).unwrap_or(&none));
        let asked = subjects.asked.get(w).map_or(&[][..], Vec::as_slice);
        // What the change asked about, then whatever else differs.
        let mut about = differences(b, a, asked, &mut items);
        let refused_here = refused.get(&w).map_or(&[][..], Vec::as_slice);
        for (i, _) in refused_here {
            once(&mut about, *i);
        }
        if plans.len() < items.list.len() {
            plans.resize(items.list.len(), None);
        }
        for i in about {
            let item = &items.list[i];
            let plan = plans[i].get_or_insert_with(|| ItemPlan::new(item.clone()));
            if let Some((_, why)) = refused_here.iter().find(|(x, _)| *x == i) {
                plan.refused.push((subject.clone(), why.clone()));
                continue;
            }
            let (had, has) = match item {
                Item::AcdTypes => (false, true),
                Item::Other(_) => continue,
                other => (b.has(other), a.has(other)),
            };
            let was_asked = asked.contains(&i);
            match (had, has) {
                (false, true) => plan.gets.push(subject.clone()),
                (true, false) => plan.loses.push(subject.clone()),
                (true, true) if was_asked => plan.keeps.push(subject.clone()),
                (false, false) if was_asked => plan.without.push(subject.clone()),
                _ => {}
            }
            if had != has {
                changed[w] = true;
            }
        }
    }
    let mut items: Vec<ItemPlan> = plans.into_iter().flatten().filter(|p| !p.is_empty()).collect();
    items.sort_by_cached_key(|p| p.item.order());
    let changes = items.iter().map(|p| p.gets.len() + p.loses.len()).sum();
    let users = subjects
        .order
        .iter()
        .zip(&changed)
        .filter(|(s, c)| **c && s.kind == SubjectKind::User)
        .count();
    let stations = changed.iter().filter(|c| **c).count() - users;
    Ok(ChangePlan {
        items,
        changes,
        users,
        stations,
        denied_logons,
        past_counts,
    })
}

/// Adds `i` unless it is there (a handful of items per subject).
fn once(list: &mut Vec<usize>, i: usize) {
    if !list.contains(&i) {
        list.push(i);
    }
}

impl ItemPlan {
    fn new(item: Item) -> ItemPlan {
        ItemPlan {
            item,
            gets: Vec::new(),
            keeps: Vec::new(),
            loses: Vec::new(),
            without: Vec::new(),
            refused: Vec::new(),
        }
    }

    fn is_empty(&self) -> bool {
        self.gets.is_empty()
            && self.keeps.is_empty()
            && self.loses.is_empty()
            && self.without.is_empty()
            && self.refused.is_empty()
    }
}

/// Replays `events` against `ws`, reporting progress; the logons denied a
/// license (one logon denied two licenses counts once). `None` when
/// cancelled.
fn denied_logons(
    license: &crate::model::license::License,
    ws: &Workspace,
    events: &[Event],
    progress: &Progress,
) -> Option<usize> {
    let r = crate::analysis::replay::replay_with(license, ws, events, None, progress)?;
    Some(crate::analysis::replay::denied_logons(&r.denials))
}
