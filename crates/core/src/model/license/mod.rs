//! The license file: format, signature and verification, and the loaded,
//! verified `License` the rest of the core reads.

pub mod collection;
pub mod format;
pub mod generate;
mod media_servers;
pub mod signing;
pub mod version;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;

use crate::model::catalog;
pub use collection::{Collection, Conflict};
pub use format::{Level, LicenseFile};
pub use media_servers::{MediaServerStatus, media_server_statuses};
pub use signing::{Issuer, TrustStore};

/// Files larger than this are refused before they are read whole.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// The largest count a single key may carry; anything above is "absurd".
pub const MAX_COUNT: i64 = 1_000_000;
/// The longest grace period we accept, in days.
pub const MAX_GRACE_DAYS: i64 = 365;

/// The verification outcome of a file that could not be loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Unsigned,
    Tampered,
    UnknownSigner,
    Malformed,
    Invalid,
}

impl Verdict {
    pub fn code(self) -> &'static str {
        match self {
            Verdict::Unsigned => "unsigned",
            Verdict::Tampered => "tampered",
            Verdict::UnknownSigner => "unknown-signer",
            Verdict::Malformed => "malformed",
            Verdict::Invalid => "invalid",
        }
    }
}

/// Why a license file was refused: the outcome and a one-line reason that
/// says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub outcome: Verdict,
    pub reason: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.outcome.code(), self.reason)
    }
}

impl std::error::Error for Refusal {}

/// Why a media server's license file could not be used: its name, or the
/// file itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MediaServerLicenseError {
    #[error(transparent)]
    Name(#[from] crate::model::error::MediaServerError),
    #[error(transparent)]
    Refused(#[from] Refusal),
}

fn refuse(outcome: Verdict, reason: impl Into<String>) -> Refusal {
    Refusal {
        outcome,
        reason: crate::model::fileio::tidy_message(&reason.into()),
    }
}

/// How a loaded license is vouched for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureStatus {
    /// Signature verified with a trusted issuer key.
    Valid(Issuer),
    /// No signature; loaded only because training mode allows it.
    Unsigned,
}

impl SignatureStatus {
    pub fn code(&self) -> &'static str {
        match self {
            SignatureStatus::Valid(_) => "valid",
            SignatureStatus::Unsigned => "unsigned",
        }
    }
    pub fn issuer(&self) -> Option<&Issuer> {
        match self {
            SignatureStatus::Valid(i) => Some(i),
            SignatureStatus::Unsigned => None,
        }
    }
    pub fn is_demo(&self) -> bool {
        matches!(self, SignatureStatus::Valid(Issuer::Demo))
    }

    /// Who vouches for the license, as every command's JSON reports it
    /// (`"license": {...}`).
    pub fn trust(&self) -> Trust {
        Trust {
            status: self.code(),
            issuer: self.issuer().map(|i| i.name().to_string()),
            demo: self.is_demo(),
            unsigned: matches!(self, SignatureStatus::Unsigned),
        }
    }

    /// The signature as the status bar shows it: "Signature valid · DEMO",
    /// "Signature valid · KEY", "UNSIGNED" (the report's cover says the same).
    pub fn status_words(&self) -> String {
        match self {
            SignatureStatus::Valid(Issuer::Demo) => "Signature valid · DEMO".to_string(),
            SignatureStatus::Valid(issuer) => format!("Signature valid · {}", issuer.name()),
            SignatureStatus::Unsigned => "UNSIGNED".to_string(),
        }
    }

    /// The first line of every table a command prints about this license,
    /// when nobody real vouches for it (`None` for a trusted issuer).
    pub fn banner(&self) -> Option<&'static str> {
        match self {
            SignatureStatus::Valid(Issuer::Demo) => {
                Some("DEMO license: signed with the public demo key, which anyone can use; not valid for production")
            }
            SignatureStatus::Unsigned => {
                Some("UNSIGNED license (training mode): nobody vouches for its content; not valid for production")
            }
            SignatureStatus::Valid(Issuer::Key(_)) => None,
        }
    }
}

/// The first line of a command's output about a demo-signed license.
pub const DEMO_BANNER: &str =
    "DEMO license: signed with the public demo key, which anyone can use; not valid for production";
/// The first line of a command's output about an unsigned license.
pub const UNSIGNED_BANNER: &str =
    "UNSIGNED license (training mode): nobody vouches for its content; not valid for production";

/// The trust part of a loaded license (the `"license"` object of a
/// command's JSON output).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Trust {
    /// `valid` or `unsigned`.
    pub status: &'static str,
    /// `"demo"`, the trusted key id, or `null` when unsigned.
    pub issuer: Option<String>,
    pub demo: bool,
    pub unsigned: bool,
}

/// Allowed counts of one key after normalisation (`_CONCURRENT` entries folded
/// into their base key's pooled count, aliases resolved).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Allowance {
    pub key: String,
    /// Assignable allowed.
    pub assigned: u32,
    /// Concurrent (pooled) allowed.
    pub pooled: u32,
}

/// What the loader needs besides the bytes.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions<'a> {
    pub trust: &'a TrustStore,
    /// Training mode: load unsigned files (marked UNSIGNED).
    pub allow_unsigned: bool,
}

/// A loaded, verified license. Immutable: a new file makes a new `License`.
#[derive(Debug, Clone)]
pub struct License {
    pub file: LicenseFile,
    pub signature: SignatureStatus,
    allowances: Vec<Allowance>,
    index: HashMap<String, usize>,
    /// Things worth telling the user that do not stop the load (unknown keys, …).
    pub warnings: Vec<String>,
}

impl License {
    pub fn allowances(&self) -> &[Allowance] {
        &self.allowances
    }

    pub fn allowance(&self, key: &str) -> Option<&Allowance> {
        self.index.get(catalog::canonical(key)).map(|&i| &self.allowances[i])
    }

    pub fn has_feature(&self, feature: &str) -> bool {
        self.file.features.iter().any(|f| catalog::canonical(f) == feature)
    }

    pub fn is_virtual_cloud(&self) -> bool {
        self.has_feature(catalog::FEATURE_VIRTUAL_CLOUD)
    }

    /// On the subscription model: the license has a usage-collection key
    /// (I3_FEATURE_USAGE_TRACKING, _UPLOAD, _LOCAL or I3_FEATURE_VIRTUAL_CLOUD).
    /// Seed, Subscription license scenario: "There's no limit to the number
    /// of licenses available or the number of licenses that you can use;
    /// regardless of whether you're using the assignable or concurrent
    /// allocation method" (LTR-158-subscription-no-count-limit): its counts
    /// are information, not limits.
    pub fn is_subscription(&self) -> bool {
        [
            catalog::FEATURE_VIRTUAL_CLOUD,
            catalog::FEATURE_USAGE_UPLOAD,
            catalog::FEATURE_USAGE_LOCAL,
            catalog::FEATURE_USAGE_TRACKING,
        ]
        .iter()
        .any(|f| self.has_feature(f))
    }

    /// The usage tracking keys the license holds (I3_FEATURE_USAGE_TRACKING,
    /// _UPLOAD, _LOCAL; virtual cloud is its own rule), in catalogue order.
    pub fn usage_tracking_keys(&self) -> Vec<&'static str> {
        catalog::USAGE_TRACKING_FEATURES
            .iter()
            .copied()
            .filter(|f| self.has_feature(f))
            .collect()
    }

    pub fn is_expired(&self, today: NaiveDate) -> bool {
        self.file.expires < today
    }

    pub fn is_perpetual(&self) -> bool {
        self.file.expires >= format::perpetual_expiry()
    }

    /// Days from `today` to expiry (negative once expired).
    pub fn days_to_expiry(&self, today: NaiveDate) -> i64 {
        (self.file.expires - today).num_days()
    }

    /// Reads, verifies and validates a license file.
    pub fn load_path(path: &Path, opts: LoadOptions<'_>) -> Result<License, Refusal> {
        let bytes = read_capped(path)?;
        Self::load_bytes(&bytes, opts)
    }

    /// Verifies and validates license bytes (already read).
    pub fn load_bytes(bytes: &[u8], opts: LoadOptions<'_>) -> Result<License, Refusal> {
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large(bytes.len() as u64));
        }
        let text = decode_text(bytes)?;
        // 1. Plain JSON syntax, with line and column.
        let value: Value = serde_json::from_str(text).map_err(|e| {
            refuse(
                Verdict::Malformed,
                format!("not valid JSON ({e}); the file is damaged or not a license, ask your issuer for a new copy"),
            )
        })?;
        // 2. The signature, over the canonical form, before anything else: any
        //    changed value must read as tampering, whatever else it breaks.
        let signature = match value.get("signature") {
            None | Some(Value::Null) => None,
            Some(sig) => {
                let sig: format::Signature = serde_json::from_value(sig.clone()).map_err(|e| {
                    refuse(
                        Verdict::Malformed,
                        format!("the signature member is malformed ({e}); ask your issuer for a new copy"),
                    )
                })?;
                Some(check_signature(&value, &sig, opts.trust)?)
            }
        };
        // 3. The documented shape, with line and column.
        let file: LicenseFile = serde_json::from_str(text).map_err(|e| {
            refuse(
                Verdict::Malformed,
                format!("{e}; the file does not have the license file shape (Help › Files describes it)"),
            )
        })?;
        // 4. Meaning.
        let (allowances, warnings) = validate(&file)?;
        let signature = match signature {
            Some(issuer) => SignatureStatus::Valid(issuer),
            None if opts.allow_unsigned => SignatureStatus::Unsigned,
            None => {
                return Err(refuse(
                    Verdict::Unsigned,
                    "the license file is not signed; ask your license issuer for a signed file, or turn on training \
                        mode (--allow-unsigned) to load it marked UNSIGNED",
                ));
            }
        };
        let index = allowances.iter().enumerate().map(|(i, a)| (a.key.clone(), i)).collect();
        Ok(License {
            file,
            signature,
            allowances,
            index,
            warnings,
        })
    }
}

fn too_large(size: u64) -> Refusal {
    refuse(
        Verdict::Malformed,
        format!(
            "the file is {:.1} MiB; license files are at most 16 MiB, so this is not a license file",
            size as f64 / (1024.0 * 1024.0)
        ),
    )
}

/// Reads at most `MAX_FILE_BYTES + 1` bytes so a huge file is refused cheaply.
fn read_capped(path: &Path) -> Result<Vec<u8>, Refusal> {
    crate::fs::read_capped(path, MAX_FILE_BYTES).map_err(|e| match e {
        crate::fs::FileError::TooLarge { size, .. } => too_large(size),
        e => refuse(Verdict::Malformed, e),
    })
}

fn decode_text(bytes: &[u8]) -> Result<&str, Refusal> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(refuse(
            Verdict::Malformed,
            "the file is empty; choose the .I3Lic file your issuer sent",
        ));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Err(refuse(
            Verdict::Malformed,
            "the file starts with a byte-order mark (BOM); save it as UTF-8 without BOM, or ask your issuer for the \
                original file",
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        refuse(
            Verdict::Malformed,
            format!(
                "the file is not UTF-8 text (bad byte at offset {}); it is binary or damaged, not a license file",
                e.valid_up_to()
            ),
        )
    })?;
    if let Some(pos) = text.find('\0') {
        return Err(refuse(
            Verdict::Malformed,
            format!("the file contains a NUL byte at offset {pos}; it is damaged or not a license file"),
        ));
    }
    Ok(text)
}

fn check_signature(document: &Value, sig: &format::Signature, trust: &TrustStore) -> Result<Issuer, Refusal> {
    use signing::SignatureProblem as P;
    signing::verify(document, sig, trust).map_err(|p| match p {
        P::Malformed(why) => refuse(Verdict::Malformed, format!("{why}; ask your issuer for a new copy")),
        P::UnknownSigner(id) => refuse(
            Verdict::UnknownSigner,
            format!(
                "signed by issuer key `{id}`, which is not trusted; add that issuer's public key with --trust \
                KEYFILE if you trust it"
            ),
        ),
        P::Tampered => refuse(
            Verdict::Tampered,
            "the signature does not match the content: the file was changed after signing; use the original file \
                from your issuer",
        ),
    })
}

/// An invalid license's refusal.
fn invalid(why: String) -> Refusal {
    refuse(Verdict::Invalid, why)
}

/// The format, product and dates: known, complete and in order (a trial
/// runs its days and no more).
fn check_header(file: &LicenseFile) -> Result<(), Refusal> {
    if file.format > format::FORMAT_VERSION {
        return Err(invalid(format!(
            "license format {} was written by a newer version of this tool (this one reads format {}); update \
                ia-licensing",
            file.format,
            format::FORMAT_VERSION
        )));
    }
    if file.format == 0 {
        return Err(invalid("`format` must be 1".into()));
    }
    for (field, value) in [("product", &file.product), ("product_version", &file.product_version)] {
        if value.trim().is_empty() {
            return Err(invalid(format!(
                "`{field}` is empty; ask your issuer for a complete license"
            )));
        }
    }
    for (field, date) in [("generated", file.generated), ("expires", file.expires)]
        .into_iter()
        .chain(
            file.virtual_cloud
                .as_ref()
                .map(|vc| ("virtual_cloud.ramp_date", vc.ramp_date)),
        )
    {
        // string-error: a license refusal is an outcome and its reason in words (`Refusal`).
        crate::model::dates::check_date(field, date).map_err(|e| invalid(e.to_string()))?;
    }
    if file.expires < file.generated {
        return Err(invalid(format!(
            "`expires` ({}) is before `generated` ({}); ask your issuer for a corrected license",
            file.expires, file.generated
        )));
    }
    // Day 1 is the generation day, so a trial's last day is day 60.
    let trial_end = format::last_day_of(file.generated, format::TRIAL_DAYS);
    if file.level == Level::Trial && trial_end.is_some_and(|end| file.expires > end) {
        return Err(invalid(format!(
            "a trial license runs {} days from its generation day ({}, last day {}), but this one runs to {}; \
                ask your issuer for a corrected license",
            format::TRIAL_DAYS,
            file.generated,
            trial_end.map_or_else(String::new, |d| d.to_string()),
            file.expires
        )));
    }
    Ok(())
}

/// The `virtual_cloud` section is there exactly with the virtual cloud
/// feature, with a grace period in range; an early product version or
/// ramp date is warned about.
fn check_virtual_cloud(file: &LicenseFile, virtual_cloud: bool, warnings: &mut Vec<String>) -> Result<(), Refusal> {
    match (virtual_cloud, &file.virtual_cloud) {
        (true, None) => {
            return Err(invalid(format!(
                "{} is among the features but the `virtual_cloud` section (ramp date, grace period) is missing",
                catalog::FEATURE_VIRTUAL_CLOUD
            )));
        }
        (false, Some(_)) => {
            return Err(invalid(format!(
                "the `virtual_cloud` section is present but {} is not among the features",
                catalog::FEATURE_VIRTUAL_CLOUD
            )));
        }
        (true, Some(vc)) => {
            if !(1..=MAX_GRACE_DAYS).contains(&vc.grace_period_days) {
                return Err(invalid(format!(
                    "`virtual_cloud.grace_period_days` is {}; it must be between 1 and {MAX_GRACE_DAYS}",
                    vc.grace_period_days
                )));
            }
            match version::virtual_cloud_at(&file.product_version) {
                version::VirtualCloudVersion::Supported => {}
                version::VirtualCloudVersion::TooEarly(v) => warnings.push(format!(
                    "{} for product version {v}: virtual cloud licensing is available starting with PureConnect \
                        2020 R2",
                    catalog::FEATURE_VIRTUAL_CLOUD
                )),
                version::VirtualCloudVersion::Unreadable => warnings.push(format!(
                    "{} for product version `{}`, which this tool cannot compare with 2020 R2 (the first release \
                        with virtual cloud licensing)",
                    catalog::FEATURE_VIRTUAL_CLOUD,
                    clip(file.product_version.trim())
                )),
            }
            if vc.ramp_date < file.generated {
                warnings.push(format!(
                    "the ramp date {} is before the license was generated ({})",
                    vc.ramp_date, file.generated
                ));
            }
        }
        (false, None) => {}
    }
    Ok(())
}

/// Feature keys: well formed, once each; unknown ones and aliases said.
fn check_features(file: &LicenseFile, warnings: &mut Vec<String>) -> Result<(), Refusal> {
    // Features.
    let mut seen_features = std::collections::HashSet::new();
    for f in &file.features {
        if !catalog::is_well_formed(f) || !f.starts_with("I3_FEATURE_") {
            return Err(invalid(format!("feature `{}` is not an I3_FEATURE_* key", clip(f))));
        }
        if !seen_features.insert(catalog::canonical(f)) {
            return Err(invalid(format!("feature {f} is listed twice")));
        }
        if catalog::lookup(f).is_none() {
            warnings.push(format!("unknown feature key {f} (kept)"));
        } else if catalog::canonical(f) != f {
            warnings.push(
                catalog::alias_reading(f)
                    .map_or_else(|| format!("{f} read as {}", catalog::canonical(f)), String::from),
            );
        }
    }
    Ok(())
}

/// The license entries as allowances (a `_CONCURRENT` entry is its base
/// key's pooled count; aliases read as their key), each count given once.
fn allowances_of(file: &LicenseFile, warnings: &mut Vec<String>) -> Result<Vec<Allowance>, Refusal> {
    // Licenses.
    let mut allowances: Vec<Allowance> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut seen_entries = std::collections::HashSet::new();
    for entry in &file.licenses {
        let key = entry.key.as_str();
        if !catalog::is_well_formed(key) {
            return Err(invalid(format!("license key `{}` is not an I3_ key", clip(key))));
        }
        if !seen_entries.insert(key) {
            return Err(invalid(format!(
                "license key {key} is listed twice; each key may appear once"
            )));
        }
        for (what, n) in [("assigned", entry.assigned), ("pooled", entry.pooled)] {
            if n < 0 {
                return Err(invalid(format!("{key} has a negative {what} count ({n})")));
            }
            if n > MAX_COUNT {
                return Err(invalid(format!(
                    "{key} has an absurd {what} count ({n}); the most a key may carry is {MAX_COUNT}"
                )));
            }
        }
        let (base, assigned, pooled) = match key.strip_suffix(catalog::CONCURRENT_SUFFIX) {
            Some(base) => {
                if entry.assigned > 0 && entry.pooled > 0 {
                    return Err(invalid(format!(
                        "{key} gives both an assigned and a pooled count; a _CONCURRENT entry carries one count, the \
                            pooled count of {base}"
                    )));
                }
                (base, 0, entry.assigned.max(entry.pooled))
            }
            None => (key, entry.assigned, entry.pooled),
        };
        let base = catalog::canonical(base);
        let info = catalog::lookup(base);
        match info {
            None => warnings.push(format!("unknown license key {key} (kept)")),
            Some(info) => {
                if info.kind == catalog::KeyKind::Feature {
                    return Err(invalid(format!(
                        "{key} is a feature; list it under `features`, not `licenses`"
                    )));
                }
                if base != key && base != key.trim_end_matches(catalog::CONCURRENT_SUFFIX) {
                    let written = key.trim_end_matches(catalog::CONCURRENT_SUFFIX);
                    warnings.push(
                        catalog::alias_reading(written).map_or_else(|| format!("{key} read as {base}"), String::from),
                    );
                }
                if pooled > 0 && !info.concurrent {
                    return Err(invalid(format!(
                        "{key} cannot be pooled: {} is never concurrent",
                        info.label
                    )));
                }
            }
        }
        let i = *index.entry(base.to_string()).or_insert_with(|| {
            allowances.push(Allowance {
                key: base.to_string(),
                assigned: 0,
                pooled: 0,
            });
            allowances.len() - 1
        });
        let a = &mut allowances[i];
        if pooled > 0 && a.pooled > 0 {
            return Err(invalid(format!(
                "the pooled count of {base} is given twice ({base} and {base}_CONCURRENT)"
            )));
        }
        if assigned > 0 && a.assigned > 0 {
            return Err(invalid(format!("the assigned count of {base} is given twice")));
        }
        // Both are ≤ MAX_COUNT, so these fit in u32 and sums cannot overflow.
        a.assigned += u32::try_from(assigned).unwrap_or(0);
        a.pooled += u32::try_from(pooled).unwrap_or(0);
    }
    Ok(allowances)
}

/// Semantic checks. Returns the normalised allowances and warnings.
fn validate(file: &LicenseFile) -> Result<(Vec<Allowance>, Vec<String>), Refusal> {
    let mut warnings = Vec::new();
    check_header(file)?;
    let virtual_cloud = file
        .features
        .iter()
        .any(|f| catalog::canonical(f) == catalog::FEATURE_VIRTUAL_CLOUD);
    check_virtual_cloud(file, virtual_cloud, &mut warnings)?;
    if !virtual_cloud && file.server.host_id.trim().is_empty() {
        return Err(invalid(
            "`server.host_id` is empty; only virtual-cloud licenses may omit the host ID. Ask your issuer for a \
                license with your server's host ID"
                .to_string(),
        ));
    }
    check_features(file, &mut warnings)?;
    // Seed, License Models: "Subscription - Introduced in PureConnect 2018 R2
    // Patch 2" (LTR-140-subscription-since-2018-r2-p2); virtual cloud says
    // its own, later floor above.
    if !virtual_cloud {
        let usage: Vec<&str> = catalog::USAGE_TRACKING_FEATURES
            .iter()
            .copied()
            .filter(|k| file.features.iter().any(|f| catalog::canonical(f) == *k))
            .collect();
        if let (false, version::VersionCheck::TooEarly(v)) =
            (usage.is_empty(), version::subscription_at(&file.product_version))
        {
            warnings.push(version::subscription_too_early(&usage, &v.to_string()));
        }
    }
    if let Some(why) = file.server.switchover_same_server() {
        warnings.push(format!(
            "the switchover server {why}: the switchover pair has no second IC server"
        ));
    }
    let allowances = allowances_of(file, &mut warnings)?;
    for item in &file.ordered_items {
        if item.part_number.trim().is_empty() {
            return Err(invalid("an ordered item has an empty part number".into()));
        }
        if !(0..=MAX_COUNT).contains(&item.quantity) {
            return Err(invalid(format!(
                "ordered item {} has quantity {}; it must be 0 to {MAX_COUNT}",
                clip(&item.part_number),
                item.quantity
            )));
        }
        if crate::model::parts::lookup(&item.part_number).is_none() {
            warnings.push(format!(
                "ordered item {} is not in the part-number catalogue",
                clip(&item.part_number)
            ));
        }
    }
    Ok((allowances, warnings))
}

/// Shortens hostile input before it is echoed in a message.
fn clip(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let head: String = text.chars().take(MAX).collect();
        format!("{head}… ({} characters)", text.chars().count())
    }
}
