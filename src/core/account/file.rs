//! Reading, checking and writing `.ialacct` files, and the lock that keeps
//! two processes from drawing on one account at once (both could otherwise
//! see the same units available and overdraw).

use std::collections::HashSet;
use std::path::Path;

use super::{ACCOUNT_FORMAT, Account, AccountError, same};
use crate::core::editing::{JournalLock, LockError};
use crate::core::{dates, fileio, license::MAX_COUNT, text};

/// Account files larger than this are refused before they are read.
pub const MAX_ACCOUNT_FILE_BYTES: u64 = 16 * 1024 * 1024;

fn invalid(message: String) -> AccountError {
    AccountError::Invalid(message)
}

/// Parses and checks account text.
pub fn parse(text_in: &str) -> Result<Account, AccountError> {
    fileio::check_text(text_in, "account file")?;
    fileio::reject_duplicate_keys(text_in)
        .map_err(|e| invalid(format!("{e}; an account file must say each thing once")))?;
    let version: serde_json::Value =
        serde_json::from_str(text_in).map_err(|e| invalid(fileio::tidy_message(&e.to_string())))?;
    if let Some(f) = version.get("format").and_then(serde_json::Value::as_u64)
        && f > u64::from(ACCOUNT_FORMAT)
    {
        return Err(invalid(format!(
            "account format {f} was written by a newer version of this tool (this one reads format \
             {ACCOUNT_FORMAT}); update ia-licensing"
        )));
    }
    let account: Account =
        serde_json::from_value(version).map_err(|e| invalid(fileio::tidy_message(&e.to_string())))?;
    check(&account)?;
    Ok(account)
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
    let mut ids = HashSet::new();
    for (n, f) in a.activation_files.iter().enumerate() {
        let at = format!("activation_files[{n}]");
        if f.id.trim().is_empty() || !ids.insert(f.id.trim().to_lowercase()) {
            return Err(invalid(format!(
                "{at}: the id `{}` is empty or used twice",
                text::safe(&f.id)
            )));
        }
        for (field, d) in [("generated", f.generated), ("expires", f.expires)] {
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
        if let Some(r) = &f.replaces
            && !a.activation_files.iter().any(|g| same(&g.id, r))
        {
            return Err(invalid(format!(
                "{at}: replaces `{}`, which is not in the account",
                text::safe(r)
            )));
        }
    }
    // The active files never use more than was bought, per part and site.
    for f in a.activation_files.iter().filter(|f| f.active) {
        for i in &f.items {
            let (total, used) = (
                a.total(&i.part_number, Some(&f.install_site)),
                a.used(&i.part_number, Some(&f.install_site)),
            );
            if used > total {
                return Err(invalid(format!(
                    "{} at install site {}: active activation files use {used} but only {total} were ordered",
                    text::safe(&i.part_number),
                    text::safe(&f.install_site)
                )));
            }
        }
    }
    Ok(())
}

/// Reads an account file (a regular file, size-capped).
pub fn load(path: &Path) -> Result<Account, AccountError> {
    let bytes = fileio::read_capped(path, MAX_ACCOUNT_FILE_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|_| invalid("the file is not UTF-8 text".into()))?;
    parse(&text)
}

/// Writes an account file atomically (temporary file, backup, rename).
pub fn save(path: &Path, account: &Account) -> Result<(), AccountError> {
    check(account)?;
    let mut text = serde_json::to_string_pretty(account).map_err(|e| invalid(e.to_string()))?;
    text.push('\n');
    fileio::atomic_write(path, text.as_bytes())?;
    Ok(())
}

/// Held from reading the account to writing it back.
#[derive(Debug)]
pub struct AccountLock {
    _lock: JournalLock,
}

impl AccountLock {
    pub fn acquire(path: &Path) -> Result<AccountLock, AccountError> {
        match JournalLock::acquire(path, "ia-licensing account") {
            Ok(lock) => Ok(AccountLock { _lock: lock }),
            Err(LockError::Held(holder)) => Err(AccountError::InUse(holder.to_string())),
            Err(LockError::Io(e)) => Err(invalid(format!("cannot lock the account file ({e})"))),
        }
    }
}
