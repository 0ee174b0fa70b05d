//! `--mapping`, `--prices` and `--waves` files: JSON read through
//! `core::fs` (regular files only, capped), no BOM, no NUL, no key said
//! twice, every field known and checked; a refusal names the file and the
//! JSON path of the problem (`prices.json: $.licenses.cx1.per_hour: 1.005
//! has more than two decimals`).

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::{CloudPrices, Rule, Wave};
use crate::model::error::FileError;

/// A Genesys Cloud mapping, price list or waves file is refused
/// (docs/cloud-estimate.md); the message names the file and the JSON path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CloudError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("{}: the {what} is not UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf, what: String },
    /// Not JSON of the file's kind (a repeated key, an unknown field, a
    /// value of the wrong type).
    #[error("{}: {source}", path.display())]
    Refused {
        path: PathBuf,
        #[source]
        source: TextError,
    },
    /// Read, but a value breaks the estimate's rules; `more` is how many
    /// other problems the file has.
    #[error("{}: {at}: {why}{}", path.display(), more_words(*more))]
    Problem {
        path: PathBuf,
        at: String,
        why: String,
        more: usize,
    },
}

/// Why the text of a mapping, price list or waves is refused, at a JSON
/// path where there is one (`$.licenses.cx1.per_hour: …`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// A byte-order mark or a NUL.
    #[error(transparent)]
    Text(#[from] FileError),
    #[error("{at}: {why}")]
    At { at: String, why: String },
}

fn more_words(more: usize) -> String {
    if more == 0 {
        String::new()
    } else {
        format!(" ({} more)", crate::model::text::count(more, "problem", "problems"))
    }
}

/// Files larger than this are refused before they are read whole.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A mapping file: a JSON array of rules (docs/cloud-estimate.md).
pub fn read_mapping(path: &Path) -> Result<Vec<Rule>, CloudError> {
    let rules: Vec<Rule> = read(path, "mapping file")?;
    first_problem(path, super::mapping::problems(&rules, "$"))?;
    Ok(rules)
}

/// A price list file: currency, billing start day, prices and contract per license.
pub fn read_prices(path: &Path) -> Result<CloudPrices, CloudError> {
    let prices: CloudPrices = read(path, "price list file")?;
    first_problem(path, prices.problems("$"))?;
    Ok(prices)
}

/// A waves file: a JSON array of waves.
pub fn read_waves(path: &Path) -> Result<Vec<Wave>, CloudError> {
    let waves: Vec<Wave> = read(path, "waves file")?;
    first_problem(path, super::waves::problems(&waves, "$"))?;
    Ok(waves)
}

/// The same checks on text (the GUI's editors and the fuzz seeds).
pub fn parse<T: DeserializeOwned>(text: &str, what: &str) -> Result<T, TextError> {
    crate::model::fileio::check_text(text, what)?;
    no_repeated_keys(text)?;
    serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text)).map_err(|e| TextError::At {
        at: json_path(&e.path().to_string()),
        why: crate::model::fileio::tidy_message(&e.inner().to_string()),
    })
}

fn read<T: DeserializeOwned>(path: &Path, what: &str) -> Result<T, CloudError> {
    let bytes = crate::fs::read_capped(path, MAX_FILE_BYTES)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| CloudError::NotUtf8 {
        path: path.to_path_buf(),
        what: what.to_string(),
    })?;
    parse(text, what).map_err(|source| CloudError::Refused {
        path: path.to_path_buf(),
        source,
    })
}

fn first_problem(path: &Path, problems: Vec<(String, String)>) -> Result<(), CloudError> {
    let more = problems.len().saturating_sub(1);
    match problems.into_iter().next() {
        None => Ok(()),
        Some((at, why)) => Err(CloudError::Problem {
            path: path.to_path_buf(),
            at,
            why,
            more,
        }),
    }
}

/// serde's path (`licenses.cx1.per_hour`, `[3].when.holds_any[0]`, `.`)
/// as a JSON path from the root (`$.licenses…`, `$[3]…`, `$`).
fn json_path(serde_path: &str) -> String {
    let p = serde_path.trim_start_matches('.');
    if p.is_empty() {
        "$".to_string()
    } else if p.starts_with('[') {
        format!("${p}")
    } else {
        format!("$.{p}").replace(".[", "[")
    }
}

/// Refuses an object that says a key twice, naming where.
fn no_repeated_keys(text: &str) -> Result<(), TextError> {
    use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

    struct Any;
    impl<'de> Deserialize<'de> for Any {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Any, D::Error> {
            d.deserialize_any(AnyVisitor)
        }
    }
    struct AnyVisitor;
    impl<'de> Visitor<'de> for AnyVisitor {
        type Value = Any;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Any, A::Error> {
            let mut seen = std::collections::HashSet::new();
            while let Some(key) = map.next_key::<String>()? {
                if !seen.insert(key.clone()) {
                    let shown: String = key.chars().take(40).collect();
                    return Err(A::Error::custom(format!(
                        "the key `{}` appears twice in one object; a file must say each thing once",
                        crate::model::text::safe(&shown)
                    )));
                }
                map.next_value::<Any>()?;
            }
            Ok(Any)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Any, A::Error> {
            while seq.next_element::<Any>()?.is_some() {}
            Ok(Any)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_str<E>(self, _: &str) -> Result<Any, E> {
            Ok(Any)
        }
        fn visit_unit<E>(self) -> Result<Any, E> {
            Ok(Any)
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let result: Result<Any, _> = serde_path_to_error::deserialize(&mut de);
    match result {
        Ok(_) => de.end().map_err(|e| TextError::At {
            at: "$".to_string(),
            why: e.to_string(),
        }),
        Err(e) => Err(TextError::At {
            at: json_path(&e.path().to_string()),
            why: crate::model::fileio::tidy_message(&e.inner().to_string()),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_from_the_root() {
        assert_eq!(json_path("."), "$");
        assert_eq!(json_path("licenses.cx1.per_hour"), "$.licenses.cx1.per_hour");
        assert_eq!(json_path("[3].when.holds_any[0]"), "$[3].when.holds_any[0]");
    }

    #[test]
    fn a_repeated_key_is_refused_with_its_place() {
        let e = parse::<CloudPrices>(
            r#"{"currency": "USD", "licenses": {"cx1": {"per_hour": 1, "per_hour": 2}}}"#,
            "price list file",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(e.contains("appears twice") && e.contains("$.licenses.cx1"), "{e}");
        let e = parse::<CloudPrices>(r#"{"currency": "USD", "licenses": {"cx1": {"per_hour": 1.005}}}"#, "x")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            e.starts_with("$.licenses.cx1.per_hour: ") && e.contains("two decimals"),
            "{e}"
        );
    }
}
