//! A logon and a logoff as the replay carries them out: what is acquired
//! and from where, what is refused, which application a logoff ends.

use super::*;

impl<'a> Replayer<'a> {
    /// A logoff: ends the application it names (the session with its
    /// last one); one from another computer, or of an application not
    /// logged on, is ignored and said.
    pub(super) fn logoff(&mut self, e: &Event, upos: usize, user: &crate::model::workspace::User) {
        if self.ends_wait(upos, e) {
            return;
        }
        let Some(active) = self.active[upos].as_mut() else {
            self.out.orphan_logoffs += 1;
            self.out
                .ignored
                .push(format!("{}: {} logged off without being logged on", e.at, user.id));
            return;
        };
        // Seed: "If the user logs on to another computer, the system
        // logs off the user from the previous computer." A logoff
        // that names another computer belongs to the session that
        // ended there; it must not end the session on this one.
        let from = event_station(e);
        let here = session_of(&self.out.sessions, &active.session).station.as_deref();
        if let (Some(from), Some(here)) = (from.as_deref(), here)
            && fold_ref(from) != fold_ref(here)
        {
            let msg = format!(
                "{}: logoff of {} from {} ignored: the user is logged on at {} (logging on there logged \
                    them off {})",
                e.at,
                user.id,
                from.strip_prefix("remote:").unwrap_or(from),
                here.strip_prefix("remote:").unwrap_or(here),
                from.strip_prefix("remote:").unwrap_or(from),
            );
            self.out.ignored.push(msg);
            return;
        }
        // Each application's logoff ends that application only.
        let app = e.application.as_deref().map(fold);
        let app_pos = match &app {
            Some(a) => active
                .apps
                .iter()
                .position(|x| x.as_deref() == Some(a.as_str()))
                .or_else(|| active.apps.iter().position(Option::is_none)),
            None => active.apps.len().checked_sub(1),
        };
        let Some(app_pos) = app_pos else {
            let msg = format!(
                "{}: logoff of {} from {} ignored: that application is not logged on",
                e.at,
                user.id,
                e.application.as_deref().unwrap_or("")
            );
            self.out.ignored.push(msg);
            return;
        };
        active.apps.remove(app_pos);
        if app_pos < active.app_names.len() {
            active.app_names.remove(app_pos);
        }
        let counter = active.apps.len() as u32;
        if counter == 0 {
            self.end_session(upos, e.at);
        } else {
            self.counter(e.at, upos, counter);
        }
    }

    /// A logon: another application on the same computer re-uses what was
    /// acquired; otherwise the station's and user's licenses are acquired
    /// (a refusal is a denial and no session) and a session begins.
    pub(super) fn logon(&mut self, e: &Event, upos: usize, user: &'a crate::model::workspace::User) {
        let ws: &'a Workspace = self.ws;
        let dynamic = e.event == EventKind::DynamicRemoteLogon;
        let station = event_station(e);
        // Same computer: another application re-uses what was acquired.
        if let Some(active) = self.active[upos].as_mut() {
            let here = session_of(&self.out.sessions, &active.session).station.as_deref();
            let same = here.map(fold_ref) == station.as_deref().map(fold_ref);
            if same {
                active.apps.push(e.application.as_deref().map(fold));
                active.app_names.push(e.application.clone());
                let counter = active.apps.len() as u32;
                self.counter(e.at, upos, counter);
                return;
            }
        }
        // Seed, Client Access license: "Without this license
        // allocation, the CIC client cannot run on the station. You
        // license the features by user, station, or both"
        // (LTR-264-client-access); "If a user logs on to a remote
        // station, that station also must acquire a Client Access
        // license" (LTR-266-remote-station-client-access). A logon
        // refused is a denial and no session, and a session the user
        // has elsewhere goes on.
        // The station, looked up once per spelling.
        let st = match station.as_deref() {
            Some(s) => self
                .stations_seen
                .pos(s, |id| ws.station_pos(id))
                .map(|p| (p, &ws.stations()[p])),
            None => None,
        };
        let key_index = &self.key_index;
        self.facts.learn((upos, user), st, &|name| key_index.get(name).copied());
        let access = match self.logon_access(upos, user, st, dynamic) {
            Ok(access) => access,
            Err(refused) => {
                self.stop_waiting(upos, e.at);
                if !refused.waiting.is_empty() {
                    // Still wanted until the user's logoff: the pool
                    // would have needed that many more.
                    for &k in &refused.waiting {
                        let demand = self.demand[k as usize] + 1;
                        self.set_demand(e.at, k, demand);
                    }
                    self.waiting.insert(
                        upos,
                        Waiting {
                            keys: refused.waiting,
                            station: station.as_deref().map(fold),
                        },
                    );
                }
                let id = user.id.clone();
                self.deny(e.at, &id, catalog::CLIENT, refused.reason);
                return;
            }
        };
        self.stop_waiting(upos, e.at);
        if self.active[upos].is_some() {
            // Another computer: log off from the previous one first.
            self.end_session(upos, e.at);
        }
        if dynamic {
            // Subscription: "Nothing stops multiple users from logging
            // on at the same time" (LTR-158-nothing-stops-peaks).
            if self.out.dynamic_basic_stations >= self.unassigned_basic_stations && !self.subscription {
                self.deny(
                    e.at,
                    &user.id,
                    catalog::BASIC_STATION,
                    "dynamic remote logon rejected: no unassigned Basic Station license is available".into(),
                );
                return;
            }
            self.out.dynamic_basic_stations += 1;
            self.out.peak_dynamic_basic_stations = self
                .out
                .peak_dynamic_basic_stations
                .max(self.out.dynamic_basic_stations);
        }
        if access.remote_acquires {
            self.remote_client_in_use += 1;
        }
        // Acquire every concurrent license at the first application.
        let mut held = Vec::new();
        let mut wanted = Vec::new();
        // A scratch list reused from logon to logon.
        let mut active_keys: Vec<&'a str> = std::mem::take(&mut self.scratch_keys);
        active_keys.clear();
        let mut keys = std::mem::take(&mut self.scratch_facts);
        keys.clear();
        keys.extend(self.facts.user_keys(upos));
        for facts in &keys {
            let key = facts.name;
            // What the station holds serves a Concurrent user too: none
            // is drawn from the pool (LTR-242-user-and-station-combined).
            if user.method == Method::Assignable || access.serves(&self.facts, *facts) {
                active_keys.push(key);
                continue;
            }
            let Some(k) = facts.pool else {
                let id = user.id.clone();
                self.deny(e.at, &id, key, format!("{key} is not in the license file"));
                continue;
            };
            wanted.push(k);
            let demand = self.demand[k as usize] + 1;
            self.set_demand(e.at, k, demand);
            if self.level[k as usize] < self.pooled[k as usize] || self.subscription {
                let level = self.level[k as usize] + 1;
                self.set_level(e.at, k, level);
                held.push(k);
                active_keys.push(key);
            } else {
                let id = user.id.clone();
                let pooled = self.pooled[k as usize];
                let reason = if pooled == 0 {
                    format!(
                        "the license has no concurrent (pooled) {} licenses",
                        catalog::label(key)
                    )
                } else {
                    format!("all {pooled} concurrent {} licenses are in use", catalog::label(key))
                };
                self.deny(e.at, &id, key, reason);
            }
        }
        self.scratch_facts = keys;
        let mut addresses = std::mem::take(&mut self.scratch_addresses);
        addresses.clear();
        addresses.extend(active_keys.iter().map(|k| (k.as_ptr() as usize, k.len())));
        let (categories, billing_reason) = match self.categories_memo.get(addresses.as_slice()) {
            Some(known) => known.clone(),
            None => {
                let (categories, reason) = crate::model::billing::explain(active_keys.iter().copied());
                let entry = (categories, std::sync::Arc::<str>::from(reason));
                self.categories_memo.insert(addresses.clone(), entry.clone());
                entry
            }
        };
        self.scratch_addresses = addresses;
        self.scratch_keys = active_keys;
        let concurrent = held.iter().map(|k| self.key_names[*k as usize].clone()).collect();
        let session = Session {
            user: user.id.clone(),
            start: e.at,
            end: None,
            station: station.map(std::borrow::Cow::into_owned),
            categories,
            billing_reason,
            concurrent,
        };
        let session = if self.streaming {
            self.logons += 1;
            Slot::Open(session, self.logons - 1)
        } else {
            self.out.sessions.push(session);
            Slot::Kept(self.out.sessions.len() - 1)
        };
        self.active[upos] = Some(Box::new(Active {
            session,
            apps: vec![e.application.as_deref().map(fold)],
            app_names: vec![e.application.clone()],
            held,
            wanted,
            dynamic_remote: dynamic,
            remote_client: access.remote_acquires,
        }));
        self.counter(e.at, upos, 1);
    }
}
