//! The loader's checks of every user and station (in parallel above
//! `PARALLEL_CHECK` subjects): IDs, license keys (each judged once per
//! key), what each may hold.

use super::*;

/// Subjects from which the loader checks users and stations in parallel.
pub(super) const PARALLEL_CHECK: usize = 20_000;

/// Where in the file list entry `i` was: `positions` says when given (the
/// detailed path leaves out entries it could not read), else `i` itself.
pub(super) fn at(positions: &[usize], i: usize) -> usize {
    positions.get(i).copied().unwrap_or(i)
}

/// The loader's checks of every user; returns the id index.
pub(super) fn check_users(
    users: &mut [User],
    user_at: &[usize],
    wg_names: &HashMap<String, (usize, String)>,
    problems: &mut Problems,
) -> IdIndex {
    let mut ids = IdIndex::with_capacity(users.len());
    let mut verdicts = KeyVerdicts::default();
    for pos in 0..users.len() {
        let i = at(user_at, pos);
        let path = |field: &str| format!("$.users[{i}].{field}");
        let other = |j: usize| format!("$.users[{}]", at(user_at, j));
        check_id(users, &|| path("id"), "user", pos, &mut ids, &other, problems);
        let user = &mut users[pos];
        check_keys(&mut user.licenses, &mut verdicts, &|| path("licenses"), problems);
        for key in &user.licenses {
            if let Some(info) = verdicts.of(key).1
                && !may_hold(info, true)
            {
                problems.push(
                    &path("licenses"),
                    format!("{} ({key}) can only be allocated to stations", info.label),
                );
            }
        }
        // Memberships are written with each workgroup's own spelling
        // (rebuilt only when one is not).
        let as_written = user.workgroups.iter().all(|name| {
            wg_names
                .get(fold_ref(name).as_ref())
                .is_some_and(|(_, real)| **real == **name)
        });
        if as_written {
            continue;
        }
        let mut canon = NameSet::new();
        for name in &user.workgroups {
            match wg_names.get(fold_ref(name).as_ref()) {
                Some((_, real)) => {
                    canon.insert(real);
                }
                None => problems.push(
                    &path("workgroups"),
                    format!(
                        "user `{}` is a member of `{name}`, but no workgroup has that name",
                        user.id
                    ),
                ),
            }
        }
        user.workgroups = canon;
    }
    ids
}

/// The loader's checks of every station; returns the id index.
pub(super) fn check_stations(stations: &mut [Station], station_at: &[usize], problems: &mut Problems) -> IdIndex {
    let mut ids = IdIndex::with_capacity(stations.len());
    // Machine names seen (trimmed, ignoring case), by position.
    let mut machines = IdIndex::with_capacity(stations.len());
    let mut verdicts = KeyVerdicts::default();
    for pos in 0..stations.len() {
        let i = at(station_at, pos);
        let path = |field: &str| format!("$.stations[{i}].{field}");
        let other = |j: usize| format!("$.stations[{}]", at(station_at, j));
        check_id(stations, &|| path("id"), "station", pos, &mut ids, &other, problems);
        let st = &mut stations[pos];
        check_keys(&mut st.licenses, &mut verdicts, &|| path("licenses"), problems);
        for key in &st.licenses {
            if let Some(info) = verdicts.of(key).1
                && !may_hold(info, false)
            {
                problems.push(
                    &path("licenses"),
                    format!(
                        "{} ({key}) is a user license; it cannot be allocated to a station",
                        info.label
                    ),
                );
            }
        }
        if st.machine_name.trim().is_empty() {
            problems.push(
                &path("machine_name"),
                "the Licensed Machine Name cannot be blank (it defaults to the station name)",
            );
        } else if let Err(j) = machines.insert_by(stations, pos, |s| s.machine_name.trim()) {
            problems.push(
                &path("machine_name"),
                format!(
                    "machine name `{}` is already used by $.stations[{}]; it must be unique",
                    stations[pos].machine_name,
                    at(station_at, j)
                ),
            );
        }
    }
    ids
}

/// Checks the id of `list[pos]` and records it in `ids`; `other` names the
/// element at a position, for a duplicate.
fn check_id<R: Record>(
    list: &[R],
    path: &dyn Fn() -> String,
    what: &str,
    pos: usize,
    ids: &mut IdIndex,
    other: &dyn Fn(usize) -> String,
    problems: &mut Problems,
) {
    let id = list[pos].id();
    if id.trim().is_empty() {
        problems.push(&path(), format!("a {what} ID cannot be blank"));
        return;
    }
    if id.len() > MAX_ID_LEN {
        problems.push(
            &path(),
            format!("a {what} ID is {} bytes long; the most is {MAX_ID_LEN}", id.len()),
        );
        return;
    }
    if let Err(j) = ids.insert(list, pos) {
        problems.push(
            &path(),
            format!(
                "duplicate {what} ID `{id}` (also at {}); IDs are unique ignoring case",
                other(j)
            ),
        );
    }
}

/// Checks a subject's keys and writes them in canonical form (left as they
/// are, without copying, when they already are: the common case).
fn check_keys(keys: &mut NameSet, verdicts: &mut KeyVerdicts, path: &dyn Fn() -> String, problems: &mut Problems) {
    if keys.iter().all(|k| verdicts.of(k).0) {
        return;
    }
    let mut out = NameSet::new();
    for key in keys.iter() {
        if !catalog::is_well_formed(key) {
            problems.push(
                &path(),
                format!(
                    "`{}` is not a license key (I3_…)",
                    short(&Value::String(key.to_string()))
                ),
            );
        } else if catalog::lookup(key).is_some_and(|k| k.kind != catalog::KeyKind::Access) {
            problems.push(
                &path(),
                format!("{key} is a server feature or session license; it is not allocated to users or stations"),
            );
        } else {
            let canon = catalog::canonical(key);
            if canon != &**key
                && let Some(alias) = catalog::alias(key)
            {
                // Said where the workspace is judged (`key-read-as`).
                problems.1.insert(alias);
            }
            out.insert(canon);
        }
    }
    *keys = out;
}

/// The loader's verdict on a key as written — fine when well formed, an
/// access license (or one the catalogue does not know) and in canonical
/// form — and its catalogue entry.
pub(super) fn judge_key(key: &str) -> (bool, Option<&'static catalog::KeyInfo>) {
    let info = catalog::lookup(key);
    let fine = catalog::is_well_formed(key)
        && info.is_none_or(|i| i.kind == catalog::KeyKind::Access)
        && catalog::canonical(key) == key;
    (fine, info)
}

/// Whether a user (`users`) or a station may hold this key: access keys
/// say who may; the others `judge_key` refuses for both.
pub(super) fn may_hold(info: &catalog::KeyInfo, users: bool) -> bool {
    info.kind != catalog::KeyKind::Access
        || if users {
            info.holders.allows_user()
        } else {
            info.holders.allows_station()
        }
}

/// What the loader decides about each distinct key — well formed, an
/// access license, written in canonical form; its catalogue entry — by the
/// address of the shared name (names read from a file are interned), so
/// 100k subjects' keys cost a pointer hash each instead of three lookups by
/// text. Each entry keeps its name alive, so the address stays its own.
#[derive(Default)]
struct KeyVerdicts(HashMap<usize, (bool, Option<&'static catalog::KeyInfo>, Name)>);

impl KeyVerdicts {
    fn of(&mut self, key: &Name) -> (bool, Option<&'static catalog::KeyInfo>) {
        let address = crate::model::names::address(key);
        if let Some(&(fine, info, _)) = self.0.get(&address) {
            return (fine, info);
        }
        let (fine, info) = judge_key(key);
        if self.0.len() < crate::model::names::MAX_REMEMBERED {
            self.0.insert(address, (fine, info, key.clone()));
        }
        (fine, info)
    }
}
