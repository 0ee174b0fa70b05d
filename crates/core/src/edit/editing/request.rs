//! What `ia-licensing session` reads: one JSON request per line.

use serde::Deserialize;

use crate::edit::command::Command;
pub use crate::model::error::RequestError;

/// A request to `ia-licensing session`: one JSON object per line.
#[derive(Debug, Clone, PartialEq)]
pub enum Request {
    Undo,
    Redo,
    /// Save; `overwrite` replaces a file changed on disk.
    Save {
        overwrite: bool,
    },
    Apply(Box<Command>),
}

/// Parses one session line: `{"undo":true}`, `{"redo":true}`,
/// `{"save":true[,"overwrite":true]}` or a command (`{"op":...}`). Internal
/// commands (undo records) are refused like unknown ones.
pub fn parse_request(line: &str) -> Result<Request, RequestError> {
    // string-error: serde's error is neither Clone nor Eq, as this error type is; its words (with the position) are what is kept.
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| RequestError::NotJson(e.to_string()))?;
    let flag = |name: &str| value.get(name).and_then(serde_json::Value::as_bool);
    if value.get("op").is_none() {
        if flag("undo") == Some(true) {
            return Ok(Request::Undo);
        }
        if flag("redo") == Some(true) {
            return Ok(Request::Redo);
        }
        if flag("save") == Some(true) {
            return Ok(Request::Save {
                overwrite: flag("overwrite") == Some(true),
            });
        }
    }
    Command::deserialize(&value)
        .map(|c| Request::Apply(Box::new(c)))
        // string-error: serde's error is neither Clone nor Eq, as this error type is; its words (with the position) are what is kept.
        .map_err(|e| RequestError::NotACommand(crate::model::fileio::tidy_message(&e.to_string())))
}
