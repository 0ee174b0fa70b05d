//! A diagnostic (what is wrong but may be saved) and its severity; the
//! rules that make them are in `rules::diagnostics`.

use serde::{Deserialize, Serialize};

use crate::model::subject::Subject;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "Error",
            Severity::Warning => "Warning",
            Severity::Info => "Info",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: String,
    pub subject: Subject,
    pub message: String,
    pub hint: String,
}

impl Diagnostic {
    /// A diagnostic with its code, the subject it is about, what is wrong
    /// and what to do.
    pub fn new(
        severity: Severity,
        code: &str,
        subject: Subject,
        message: String,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            code: code.to_string(),
            subject,
            message,
            hint: hint.into(),
        }
    }
}
