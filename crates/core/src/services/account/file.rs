//! Reading, checking and writing `.ialacct` files, and the lock that keeps
//! two processes from drawing on one account at once (both could otherwise
//! see the same units available and overdraw).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::trust::{self, AccountTrust};
use super::{ACCOUNT_FORMAT, Account, AccountError};
use crate::fs::{FileLock, LockError};
use crate::model::license::format::Signature;
use crate::model::license::signing::{IssuerKey, TrustStore};
use crate::{fs, model::dates, model::fileio, model::license::MAX_COUNT, model::text};

/// Account files larger than this are refused before they are read (an
/// account with 50,000 activation files is about 25 MiB written out).
pub const MAX_ACCOUNT_FILE_BYTES: u64 = 64 * 1024 * 1024;

fn invalid(message: String) -> AccountError {
    AccountError::Invalid(message)
}

/// An account file as read: the account and its signature, in one typed
/// pass (an account may hold tens of thousands of activation files).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountFile {
    format: u32,
    account: String,
    #[serde(default)]
    support_option: String,
    ordered_items: Vec<super::OrderedItem>,
    #[serde(default)]
    activation_files: Vec<super::ActivationFile>,
    #[serde(default)]
    install_sites: Vec<super::InstallSite>,
    #[serde(default)]
    signature: Option<Signature>,
}

/// Only the format, to say "update ia-licensing" when a newer one is why
/// the rest does not read.
#[derive(serde::Deserialize)]
struct FormatOnly {
    format: u64,
}

/// Parses and checks account text, and verifies its signature against
/// `trust` (an account that does not verify still loads, with its status
/// saying why; drawing on it is refused unless allowed: `Signer::admit`).
/// The signature covers the account's canonical form (RFC 8785) as this
/// build reads it: what is verified is exactly what is used.
pub fn parse(text_in: &str, trust: &TrustStore) -> Result<(Account, AccountTrust), AccountError> {
    fileio::check_text(text_in, "account file")?;
    // Every object of an account is a struct: serde refuses a field said
    // twice ("duplicate field"), so no separate pass over the text is
    // needed for that.
    let file: AccountFile = match serde_json::from_str(text_in) {
        Ok(f) => f,
        Err(e) if e.to_string().contains("duplicate field") => {
            return Err(invalid(format!(
                "{}; an account file must say each thing once",
                fileio::tidy_message(&e.to_string())
            )));
        }
        Err(e) => {
            if let Ok(FormatOnly { format }) = serde_json::from_str(text_in)
                && format > u64::from(ACCOUNT_FORMAT)
            {
                return Err(invalid(format!(
                    "account format {format} was written by a newer version of this tool (this one reads format \
                     {ACCOUNT_FORMAT}); update ia-licensing"
                )));
            }
            return Err(invalid(fileio::tidy_message(&e.to_string())));
        }
    };
    if file.format > ACCOUNT_FORMAT {
        return Err(invalid(format!(
            "account format {} was written by a newer version of this tool (this one reads format \
             {ACCOUNT_FORMAT}); update ia-licensing",
            file.format
        )));
    }
    let account = Account {
        format: file.format,
        account: file.account,
        support_option: file.support_option,
        ordered_items: file.ordered_items,
        activation_files: file.activation_files,
        site_records: file.install_sites,
    };
    check(&account)?;
    let status = trust::verify(&account, file.signature.as_ref(), trust);
    Ok((account, status))
}

fn check(a: &Account) -> Result<(), AccountError> {
    if a.format != ACCOUNT_FORMAT {
        return Err(invalid(format!("`format` must be {ACCOUNT_FORMAT}")));
    }
    if a.account.trim().is_empty() {
        return Err(invalid("`account` (the account name) is empty".into()));
    }
    for (n, i) in a.ordered_items.iter().enumerate() {
        let at = format!("ordered_items[{n}]");
        if i.part_number.trim().is_empty() {
            return Err(invalid(format!("{at}: the part number is empty")));
        }
        if i.install_site.trim().is_empty() {
            return Err(invalid(format!(
                "{at} ({}): the install site is empty",
                text::safe(&i.part_number)
            )));
        }
        if !(0..=MAX_COUNT).contains(&i.quantity) {
            return Err(invalid(format!(
                "{at} ({}): quantity {} must be 0 to {MAX_COUNT}",
                text::safe(&i.part_number),
                i.quantity
            )));
        }
    }
    let mut site_names = HashSet::with_capacity(a.site_records.len());
    for (n, r) in a.site_records.iter().enumerate() {
        r.check()
            .map_err(|e| invalid(format!("install_sites[{n}] ({}): {e}", text::safe(&r.name))))?;
        if !site_names.insert(r.name.trim().to_lowercase()) {
            return Err(invalid(format!(
                "install_sites[{n}]: the install site `{}` is listed twice",
                text::safe(&r.name)
            )));
        }
    }
    let mut ids = HashSet::with_capacity(a.activation_files.len());
    for (n, f) in a.activation_files.iter().enumerate() {
        let at = format!("activation_files[{n}]");
        if f.id.trim().is_empty() || !ids.insert(f.id.trim().to_lowercase()) {
            return Err(invalid(format!(
                "{at}: the id `{}` is empty or used twice",
                text::safe(&f.id)
            )));
        }
        for (field, d) in [("generated", f.generated), ("expires", f.expires)] {
            // string-error: an invalid account is reported by its JSON path and words (`AccountError::Invalid`).
            dates::check_date(&format!("{at}.{field}"), d).map_err(|e| invalid(e.to_string()))?;
        }
        for i in &f.items {
            if !(1..=MAX_COUNT).contains(&i.quantity) {
                return Err(invalid(format!(
                    "{at} ({}): {} has quantity {}; it must be 1 to {MAX_COUNT}",
                    text::safe(&f.id),
                    text::safe(&i.part_number),
                    i.quantity
                )));
            }
        }
    }
    for (n, f) in a.activation_files.iter().enumerate() {
        if let Some(r) = &f.replaces
            && !ids.contains(&r.trim().to_lowercase())
        {
            return Err(invalid(format!(
                "activation_files[{n}]: replaces `{}`, which is not in the account",
                text::safe(r)
            )));
        }
    }
    // The active files never use more than was bought, per part and site:
    // one pass over each list (an account may hold tens of thousands of
    // activation files).
    let key = |part: &str, site: &str| (part.trim().to_lowercase(), site.trim().to_lowercase());
    let mut bought: HashMap<(String, String), i64> = HashMap::new();
    for i in &a.ordered_items {
        *bought.entry(key(&i.part_number, &i.install_site)).or_default() += i.quantity;
    }
    let mut used: HashMap<(String, String), (i64, &str, &str)> = HashMap::new();
    for f in a.activation_files.iter().filter(|f| f.active) {
        for i in &f.items {
            let e = used
                .entry(key(&i.part_number, &f.install_site))
                .or_insert((0, &i.part_number, &f.install_site));
            e.0 = e.0.saturating_add(i.quantity);
        }
    }
    let mut over: Vec<_> = used
        .iter()
        .filter(|(k, (n, _, _))| *n > bought.get(*k).copied().unwrap_or(0))
        .collect();
    over.sort_by(|a, b| a.0.cmp(b.0));
    if let Some((k, (n, part, site))) = over.first() {
        let total = bought.get(*k).copied().unwrap_or(0);
        return Err(invalid(format!(
            "{} at install site {}: active activation files use {n} but only {total} were ordered",
            text::safe(part),
            text::safe(site)
        )));
    }
    Ok(())
}

/// Reads an account file (a regular file, size-capped) and verifies it.
pub fn load(path: &Path, trust: &TrustStore) -> Result<(Account, AccountTrust), AccountError> {
    let bytes = fs::read_capped(path, MAX_ACCOUNT_FILE_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|_| invalid("the file is not UTF-8 text".into()))?;
    parse(&text, trust)
}

/// Writes an account file atomically (temporary file, backup, rename),
/// signed with `key`.
pub fn save(path: &Path, account: &Account, key: &IssuerKey) -> Result<(), AccountError> {
    check(account)?;
    let text = trust::signed_text(account, key)?;
    fs::atomic_write_in_place(path, text.as_bytes())?;
    Ok(())
}

/// Writes an account changed under `trust`: signed with `key` when the
/// account was vouched for, left unsigned when it was used although nobody
/// vouched for it (it is never laundered into a valid one on the way).
pub fn save_as_trusted(
    path: &Path,
    account: &Account,
    key: &IssuerKey,
    trust: &AccountTrust,
) -> Result<(), AccountError> {
    if !trust.allowed_unsigned {
        return save(path, account, key);
    }
    check(account)?;
    let text = trust::unsigned_text(account)?;
    fs::atomic_write_in_place(path, text.as_bytes())?;
    Ok(())
}

/// Held from reading the account to writing it back, keyed on the real
/// file (a link to the account shares the lock).
#[derive(Debug)]
pub struct AccountLock {
    _lock: FileLock,
}

impl AccountLock {
    pub fn acquire(path: &Path) -> Result<AccountLock, AccountError> {
        match FileLock::acquire(path, "ia-licensing account") {
            Ok(lock) => Ok(AccountLock { _lock: lock }),
            Err(LockError::Held(holder)) => Err(AccountError::InUse(holder.to_string())),
            Err(e) => Err(AccountError::Lock(e)),
        }
    }
}
