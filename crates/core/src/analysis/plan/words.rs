//! What a plan says, in words: the question ("Apply 1,204 changes to
//! 18,452 users?"), one sentence per license, the list's lines, and the
//! text the Copy button puts on the clipboard. Numbers have thousands
//! separators; text from files is escaped where it leaves as text.

use super::{ChangePlan, Item, ItemPlan};
use crate::model::subject::{Subject, SubjectKind};
use crate::model::text::{count, safe, thousands};

/// One line of the plan's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowChange {
    Gets,
    Keeps,
    Loses,
    Without,
    Refused,
}

/// A line of the list: which item, what happens, to whom (and why not).
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub item: &'a Item,
    pub change: RowChange,
    pub subject: &'a Subject,
    pub reason: Option<&'a str>,
}

/// "18,452 users", "1 station", "3 users and 2 stations".
pub fn who(users: usize, stations: usize) -> String {
    match (users, stations) {
        (u, 0) => count(u, "user", "users"),
        (0, s) => count(s, "station", "stations"),
        (u, s) => format!("{} and {}", count(u, "user", "users"), count(s, "station", "stations")),
    }
}

fn who_of(list: &[Subject]) -> String {
    let users = list.iter().filter(|s| s.kind == SubjectKind::User).count();
    who(users, list.len() - users)
}

/// "3 cannot: All 50 …" (one reason), or each reason with its count.
fn refused_words(refused: &[(Subject, String)]) -> String {
    let mut reasons: Vec<(&str, usize)> = Vec::new();
    for (_, why) in refused {
        match reasons.iter_mut().find(|(r, _)| *r == why.as_str()) {
            Some((_, n)) => *n += 1,
            None => reasons.push((why, 1)),
        }
    }
    let why = match reasons.as_slice() {
        [(one, _)] => one.to_string(),
        many => many
            .iter()
            .map(|(r, n)| format!("{r} ({})", thousands(*n)))
            .collect::<Vec<_>>()
            .join("; "),
    };
    format!("{} cannot: {why}", thousands(refused.len()))
}

impl ItemPlan {
    /// One sentence: "12 users will get Client Access; 47 already have it;
    /// 3 cannot: All 50 assignable Client Access licenses are allocated".
    pub fn sentence(&self) -> String {
        let label = self.item.label();
        let n = |v: &[Subject]| thousands(v.len());
        let mut clauses: Vec<String> = Vec::new();
        // The first clause names who and what; the rest say "it".
        let first = |clauses: &Vec<String>| clauses.is_empty();
        let method = matches!(self.item, Item::Method(_));
        if !self.gets.is_empty() {
            clauses.push(match &self.item {
                Item::Method(_) => format!("{} will be {label}", who_of(&self.gets)),
                Item::AcdTypes => format!("{} will have their {label} changed", who_of(&self.gets)),
                _ => format!("{} will get {label}", who_of(&self.gets)),
            });
        }
        if !self.loses.is_empty() {
            clauses.push(if first(&clauses) {
                format!("{} will lose {label}", who_of(&self.loses))
            } else {
                format!("{} will lose it", n(&self.loses))
            });
        }
        if !self.keeps.is_empty() {
            let (one, many) = if method {
                ("already is", "already are")
            } else {
                ("already has", "already have")
            };
            let verb = if self.keeps.len() == 1 { one } else { many };
            clauses.push(match (first(&clauses), method) {
                (true, true) => format!("{} {verb} {label}", who_of(&self.keeps)),
                (true, false) => format!("{} {verb} {label}", who_of(&self.keeps)),
                (false, true) => format!("{} {verb}", n(&self.keeps)),
                (false, false) => format!("{} {verb} it", n(&self.keeps)),
            });
        }
        if !self.without.is_empty() {
            let verb = if self.without.len() == 1 {
                "does not have"
            } else {
                "do not have"
            };
            clauses.push(if first(&clauses) {
                format!("{} {verb} {label}", who_of(&self.without))
            } else {
                format!("{} {verb} it", n(&self.without))
            });
        }
        if !self.refused.is_empty() {
            let words = refused_words(&self.refused);
            clauses.push(if first(&clauses) {
                format!("{label}: {words}")
            } else {
                words
            });
        }
        clauses.join("; ")
    }

    fn rows(&self) -> usize {
        self.gets.len() + self.keeps.len() + self.loses.len() + self.without.len() + self.refused.len()
    }

    fn row(&self, mut i: usize) -> Option<Row<'_>> {
        let item = &self.item;
        for (change, list) in [
            (RowChange::Gets, &self.gets),
            (RowChange::Loses, &self.loses),
            (RowChange::Keeps, &self.keeps),
            (RowChange::Without, &self.without),
        ] {
            if i < list.len() {
                return Some(Row {
                    item,
                    change,
                    subject: &list[i],
                    reason: None,
                });
            }
            i -= list.len();
        }
        self.refused.get(i).map(|(subject, why)| Row {
            item,
            change: RowChange::Refused,
            subject,
            reason: Some(why),
        })
    }
}

impl Row<'_> {
    /// "gets", "loses", "keeps", "does not have", "cannot" (for a method:
    /// "becomes", "already is").
    pub fn change_words(&self) -> &'static str {
        let method = matches!(self.item, Item::Method(_));
        match (self.change, method) {
            (RowChange::Gets, true) => "becomes",
            (RowChange::Gets, false) => "gets",
            (RowChange::Keeps, true) => "already is",
            (RowChange::Keeps, false) => "keeps",
            (RowChange::Loses, _) => "loses",
            (RowChange::Without, _) => "does not have",
            (RowChange::Refused, _) => "cannot",
        }
    }

    /// What it is about: "Client Access"; a refusal with its reason,
    /// "Client Access: All 50 assignable … are allocated".
    pub fn what(&self) -> String {
        match self.reason {
            Some(why) => format!("{}: {why}", self.item.label()),
            None => self.item.label(),
        }
    }
}

impl ChangePlan {
    /// "Apply 1,204 changes to 18,452 users?" ("Nothing would change" when
    /// nothing would).
    pub fn question(&self) -> String {
        if self.changes == 0 {
            return "Nothing would change".to_string();
        }
        format!(
            "Apply {} to {}?",
            count(self.changes, "change", "changes"),
            who(self.users, self.stations)
        )
    }

    /// "150 logons would be denied", with a history loaded.
    pub fn denials_line(&self) -> Option<String> {
        self.denied_logons
            .map(|n| count(n, "logon would be denied", "logons would be denied"))
    }

    /// Refusals, denials, or licenses taken past the file's counts: the
    /// confirmation's default is then Cancel.
    pub fn cautions(&self) -> bool {
        self.denied_logons.is_some_and(|n| n > 0)
            || self.items.iter().any(|p| !p.refused.is_empty())
            || !self.past_counts.is_empty()
    }

    /// One sentence per license the change takes past what the
    /// (subscription) license file lists: "ACD Media 1: 80,253 assignable
    /// licenses would be configured, 55,079 more than the 25,174 the
    /// license file lists (none past it now). …billed per use."
    pub fn past_count_lines(&self) -> Vec<String> {
        self.past_counts
            .iter()
            .map(|p| {
                let label = crate::model::catalog::label(&p.key);
                let (b, a) = (&p.before, &p.after);
                let what = if a.assignable_over > b.assignable_over {
                    let now = if b.assignable_over == 0 {
                        "none past it now".to_string()
                    } else {
                        format!("{} past it now", thousands(b.assignable_over as usize))
                    };
                    format!(
                        "{label}: {} would be configured, {} more than the {} the license file lists ({now})",
                        count(a.assignable as usize, "assignable license", "assignable licenses"),
                        thousands(a.assignable_over as usize),
                        thousands(a.listed as usize)
                    )
                } else {
                    format!(
                        "{label}: {} would be Concurrent, and the license file lists no pooled {label} licenses",
                        count(a.concurrent_unlisted as usize, "user", "users")
                    )
                };
                format!(
                    "{what}. On a subscription license nothing is refused: each license past the counts is billed \
                     per use"
                )
            })
            .collect()
    }

    pub fn refused(&self) -> usize {
        self.items.iter().map(|p| p.refused.len()).sum()
    }

    /// One sentence per license (method, role).
    pub fn sentences(&self) -> Vec<String> {
        self.items.iter().map(ItemPlan::sentence).collect()
    }

    /// How many lines the list has.
    pub fn rows(&self) -> usize {
        self.items.iter().map(ItemPlan::rows).sum()
    }

    /// The `i`th line of the list: each item's gets, loses, keeps, do not
    /// have, cannot, in turn.
    pub fn row(&self, mut i: usize) -> Option<Row<'_>> {
        for p in &self.items {
            let n = p.rows();
            if i < n {
                return p.row(i);
            }
            i -= n;
        }
        None
    }

    /// The plan as text for the clipboard: the question, the denials, one
    /// sentence per license, then one tab-separated line per subject
    /// (kind, ID, change, what). Text from files is escaped.
    pub fn to_text(&self) -> String {
        let mut out = format!("{}\n", self.question());
        if let Some(d) = self.denials_line() {
            out.push_str(&d);
            out.push('\n');
        }
        for s in self.sentences().into_iter().chain(self.past_count_lines()) {
            out.push_str(&safe(&s));
            out.push('\n');
        }
        out.push_str("\nkind\tsubject\tchange\twhat\n");
        for i in 0..self.rows() {
            if let Some(r) = self.row(i) {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\n",
                    r.subject.kind.noun(),
                    safe(&r.subject.id),
                    r.change_words(),
                    safe(&r.what())
                ));
            }
        }
        out
    }
}

/// A change applied in part: what it was, what changed and what was
/// refused, in full (the status bar has room for one line only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedInPart {
    /// What was applied ("Assign Client Access to 150 users").
    pub what: String,
    /// "97 users changed; 3 cannot: All 50 assignable … are allocated".
    pub sentence: String,
    /// Each refused subject with its reason, in the command's order.
    pub refused: Vec<(Subject, String)>,
}

impl AppliedInPart {
    /// The report of an applied command, if anything of it was refused.
    pub fn of(what: &str, applied: &crate::edit::document::Applied) -> Option<AppliedInPart> {
        let refused: Vec<(Subject, String)> = applied.refused().map(|(s, why)| (s.clone(), why.to_string())).collect();
        if refused.is_empty() {
            return None;
        }
        let changed: Vec<Subject> = applied
            .outcomes
            .iter()
            .filter(|o| o.outcome == crate::edit::document::Outcome::Changed)
            .map(|o| o.subject.clone())
            .collect();
        let changed = if changed.is_empty() {
            "Nothing changed".to_string()
        } else {
            format!("{} changed", who_of(&changed))
        };
        Some(AppliedInPart {
            what: what.to_string(),
            sentence: format!("{changed}; {}", refused_words(&refused)),
            refused,
        })
    }

    /// The report as text for the clipboard (tab-separated refusals).
    pub fn to_text(&self) -> String {
        let mut out = format!(
            "{}\n{}\n\nkind\tsubject\treason\n",
            safe(&self.what),
            safe(&self.sentence)
        );
        for (s, why) in &self.refused {
            out.push_str(&format!("{}\t{}\t{}\n", s.kind.noun(), safe(&s.id), safe(why)));
        }
        out
    }
}
