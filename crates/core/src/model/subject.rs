//! What a command or a diagnostic is about: a user, a station, a
//! workgroup, a license key or the server.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectKind {
    User,
    Station,
    Workgroup,
    License,
    Server,
}

impl SubjectKind {
    /// The word for one of them ("user", "station", …).
    pub fn noun(self) -> &'static str {
        match self {
            SubjectKind::User => "user",
            SubjectKind::Station => "station",
            SubjectKind::Workgroup => "workgroup",
            SubjectKind::License => "license",
            SubjectKind::Server => "server",
        }
    }
}

/// How many users and stations, in IA's words: "1 user", "18,452 users",
/// "50 stations", "2 users and 1 station" (and "0 users and stations").
pub fn count_words<'a>(subjects: impl IntoIterator<Item = &'a Subject>) -> String {
    let (mut users, mut stations) = (0, 0);
    for s in subjects {
        match s.kind {
            SubjectKind::Station => stations += 1,
            _ => users += 1,
        }
    }
    match (users, stations) {
        (0, 0) => "0 users and stations".to_string(),
        (n, 0) => crate::model::text::count(n, "user", "users"),
        (0, n) => crate::model::text::count(n, "station", "stations"),
        (u, s) => format!(
            "{} and {}",
            crate::model::text::count(u, "user", "users"),
            crate::model::text::count(s, "station", "stations")
        ),
    }
}

/// What a diagnostic or command is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: String,
}

impl Subject {
    pub fn new(kind: SubjectKind, id: impl Into<String>) -> Self {
        Subject { kind, id: id.into() }
    }
    pub fn user(id: impl Into<String>) -> Self {
        Subject {
            kind: SubjectKind::User,
            id: id.into(),
        }
    }
    pub fn station(id: impl Into<String>) -> Self {
        Subject {
            kind: SubjectKind::Station,
            id: id.into(),
        }
    }
    pub fn workgroup(id: impl Into<String>) -> Self {
        Subject {
            kind: SubjectKind::Workgroup,
            id: id.into(),
        }
    }
    pub fn license(key: impl Into<String>) -> Self {
        Subject {
            kind: SubjectKind::License,
            id: key.into(),
        }
    }
    pub fn server(id: impl Into<String>) -> Self {
        Subject {
            kind: SubjectKind::Server,
            id: id.into(),
        }
    }
}

impl std::fmt::Display for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            SubjectKind::User => "user",
            SubjectKind::Station => "station",
            SubjectKind::Workgroup => "workgroup",
            SubjectKind::License => "license",
            SubjectKind::Server => "server",
        };
        write!(f, "{kind} {}", self.id)
    }
}
