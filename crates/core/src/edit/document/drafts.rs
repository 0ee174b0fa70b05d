//! What the configuration dialogs ask the document before OK: whether a
//! draft would be allowed, and how many of a license would be left with it.

use super::Document;
use crate::model::workspace::{Method, NameSet, Station, User};
use crate::rules::Refusal;

impl Document {
    /// Would replacing a user's record with `draft` be allowed? (The User
    /// Configuration dialog asks before OK.)
    pub fn check_user_draft(&self, draft: &User) -> Result<(), Refusal> {
        let before = self.ws.user(&draft.id);
        self.check_user(before, draft)
    }

    /// Would replacing a station's record with `draft` be allowed?
    pub fn check_station_draft(&self, draft: &Station) -> Result<(), Refusal> {
        match self.ws.station(&draft.id) {
            Some(before) => self.check_station(before, draft),
            None => self.check_station(
                &Station {
                    licenses: NameSet::new(),
                    ..draft.clone()
                },
                draft,
            ),
        }
    }

    /// How many more of a key can be configured with a method: assignable
    /// licenses left, or the pool size for concurrent (pools may be
    /// oversubscribed, so that is a ceiling on use, not on configuration).
    pub fn remaining(&self, key: &str, method: Method) -> u32 {
        let Some(a) = self.license.allowance(key) else { return 0 };
        match method {
            Method::Assignable => a.assigned.saturating_sub(self.engine.configured(key).assignable),
            Method::Concurrent => a.pooled,
        }
    }

    /// `remaining` for User Configuration's draft, before OK: the key
    /// ticked shows one fewer available, unticked one more (the saved
    /// record's hold is given back, the draft's taken). With the Concurrent
    /// method, the pool.
    pub fn remaining_for_user_draft(&self, key: &str, draft: &User) -> u32 {
        let assignable = |u: &User| u.method == Method::Assignable && u.licenses.contains(key);
        let saved = self.ws.user(&draft.id).is_some_and(assignable);
        self.remaining_with_draft(key, draft.method, saved, assignable(draft))
    }

    /// `remaining` for Station Configuration's draft, before OK (station
    /// licenses are always Assignable), as `remaining_for_user_draft`.
    pub fn remaining_for_station_draft(&self, key: &str, draft: &Station) -> u32 {
        let saved = self.ws.station(&draft.id).is_some_and(|s| s.licenses.contains(key));
        self.remaining_with_draft(key, Method::Assignable, saved, draft.licenses.contains(key))
    }

    /// `remaining` with one subject's saved assignable hold on the key
    /// (`saved`) replaced by its draft's (`draft`).
    fn remaining_with_draft(&self, key: &str, method: Method, saved: bool, draft: bool) -> u32 {
        let Some(a) = self.license.allowance(key) else { return 0 };
        match method {
            Method::Assignable => {
                let configured = self.engine.configured(key).assignable;
                let with_draft = configured
                    .saturating_sub(u32::from(saved))
                    .saturating_add(u32::from(draft));
                a.assigned.saturating_sub(with_draft)
            }
            Method::Concurrent => a.pooled,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::edit::document::Document;
    use crate::model::catalog;
    use crate::model::demo;
    use crate::model::license::TrustStore;
    use crate::model::workspace::{Method, Workspace};

    #[test]
    fn a_draft_takes_and_gives_back_one() {
        let license = demo::demo_license(&TrustStore::with_demo()).expect("demo license");
        let ws = Workspace::from_json(demo::DEMO_WORKSPACE).expect("demo workspace");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
        let doc = Document::new(Arc::new(license), ws, today);
        let n = doc.remaining(catalog::CLIENT, Method::Assignable);
        let user = doc
            .workspace()
            .users()
            .iter()
            .find(|u| u.method == Method::Assignable && u.licenses.contains(catalog::CLIENT))
            .expect("a user with Client Access")
            .clone();
        assert_eq!(doc.remaining_for_user_draft(catalog::CLIENT, &user), n, "unchanged");
        let mut without = user.clone();
        without.licenses.remove(catalog::CLIENT);
        assert_eq!(doc.remaining_for_user_draft(catalog::CLIENT, &without), n + 1);
        let mut concurrent = user;
        concurrent.method = Method::Concurrent;
        let pool = doc.license().allowance(catalog::CLIENT).map_or(0, |a| a.pooled);
        assert_eq!(doc.remaining_for_user_draft(catalog::CLIENT, &concurrent), pool);
        let station = doc
            .workspace()
            .stations()
            .iter()
            .find(|s| !s.licenses.contains(catalog::CLIENT))
            .expect("a station without Client Access")
            .clone();
        let mut with = station.clone();
        with.licenses.insert(catalog::CLIENT);
        assert_eq!(doc.remaining_for_station_draft(catalog::CLIENT, &station), n);
        assert_eq!(doc.remaining_for_station_draft(catalog::CLIENT, &with), n - 1);
    }
}
