//! Changing an account file, the one way both faces do it: take the lock
//! (keyed on the real file), read and verify the account, refuse one
//! nobody vouches for unless allowed, apply the change, sign and write.
//! Generating a license is one transaction on top: no license without its
//! draw, no draw without its license.

use std::path::{Path, PathBuf};

use super::trust::{AccountTrust, Signer};
use super::{Account, AccountError, AccountLock, Drawn, file};
use crate::fs;
use crate::model::license::License;
use crate::model::license::generate::{self, Order};

/// An account after a change, with what the change returned.
#[derive(Debug, Clone)]
pub struct Edited<T> {
    pub value: T,
    pub account: Account,
    /// How far the account was trusted when it was read.
    pub trust: AccountTrust,
}

/// Locks, reads, verifies and admits the account, applies `change` to it,
/// then signs and writes it. Nothing is written when `change` fails.
pub fn edit<T>(
    path: &Path,
    signer: &Signer<'_>,
    change: impl FnOnce(&mut Account) -> Result<T, AccountError>,
) -> Result<Edited<T>, AccountError> {
    signer.check_key()?;
    let _lock = AccountLock::acquire(path)?;
    finish_interrupted(path, &signer.store());
    let (mut account, trust) = file::load(path, &signer.store())?;
    let trust = signer.admit(trust)?;
    let value = change(&mut account)?;
    file::save_as_trusted(path, &account, signer.key, &trust)?;
    Ok(Edited { value, account, trust })
}

/// Signs an existing account in place (keeping `NAME.bak`), whatever its
/// status: how accounts made before signing, or edited by hand on
/// purpose, are brought over. Returns the status it had.
pub fn sign(path: &Path, signer: &Signer<'_>) -> Result<Edited<()>, AccountError> {
    signer.check_key()?;
    let _lock = AccountLock::acquire(path)?;
    finish_interrupted(path, &signer.store());
    let (account, trust) = file::load(path, &signer.store())?;
    file::save(path, &account, signer.key)?;
    Ok(Edited {
        value: (),
        account,
        trust,
    })
}

/// Finishes generates that were interrupted after the account recorded
/// the draw but before the license was moved into place (a kill, a power
/// cut): the license is still beside its target as a temporary file whose
/// SHA-256 the account recorded, so it is moved into place now. Called
/// under the account's lock; anything that does not match is left alone.
pub fn finish_interrupted(path: &Path, trust: &crate::model::license::TrustStore) -> Vec<String> {
    use sha2::Digest;
    let mut finished = Vec::new();
    let Ok((account, _)) = file::load(path, trust) else {
        return finished;
    };
    for f in account.activation_files.iter().filter(|f| f.active) {
        let (Some(target), Some(sha)) = (&f.license_file, &f.license_sha256) else {
            continue;
        };
        let target = PathBuf::from(target);
        if fs::exists(&target) {
            continue;
        }
        for tmp in fs::leftovers_of(&target) {
            let Ok(bytes) = fs::read_capped(&tmp, crate::model::license::MAX_FILE_BYTES) else {
                continue;
            };
            let hex: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            if &hex == sha && fs::rename(&tmp, &target).is_ok() {
                finished.push(format!("{}: wrote {} (interrupted before)", f.id, target.display()));
                break;
            }
        }
    }
    finished
}

/// A license generated from an account and written.
#[derive(Debug, Clone)]
pub struct Generated {
    pub drawn: Drawn,
    /// The new license, loaded back with the signing key trusted.
    pub license: License,
    pub trust: AccountTrust,
    pub out: PathBuf,
}

/// Draws the order's units from the account and writes the license to
/// `out` as one transaction: the license is written to a temporary file
/// beside `out` first, then the account is committed, then the license is
/// moved into place; if that last step fails the account is put back as it
/// was. `inputs` are the other files the caller read (keys, trusted keys):
/// `out` may be none of them, nor the account.
pub fn generate(
    path: &Path,
    signer: &Signer<'_>,
    order: &Order,
    replaces: Option<&str>,
    out: &Path,
    inputs: &[&Path],
) -> Result<Generated, AccountError> {
    let mut all_inputs = inputs.to_vec();
    all_inputs.push(path);
    fs::check_output(out, &all_inputs)?;
    signer.check_key()?;
    let _lock = AccountLock::acquire(path)?;
    finish_interrupted(path, &signer.store());
    let original = fs::read_capped(path, file::MAX_ACCOUNT_FILE_BYTES)?;
    let text =
        String::from_utf8(original.clone()).map_err(|_| AccountError::Invalid("the file is not UTF-8 text".into()))?;
    let (account, trust) = file::parse(&text, &signer.store())?;
    let trust = signer.admit(trust)?;
    let mut drawn = super::draw(&account, order, signer.key, replaces)?;
    if let Some(f) = drawn.account.activation_files.last_mut() {
        f.license_file = Some(fs::canonical(out).display().to_string());
    }
    let license = generate::verify_generated(&drawn.license_text, signer.key).map_err(AccountError::NotVerified)?;
    let staged = fs::write_temporary(out, fs::Follow::Never, |w| w.write_all(drawn.license_text.as_bytes()))?;
    file::save_as_trusted(path, &drawn.account, signer.key, &trust)?;
    if let Err(e) = staged.persist(true) {
        let restored =
            fs::write_temporary(path, fs::Follow::InPlace, |w| w.write_all(&original)).and_then(|t| t.persist(false));
        return Err(match restored {
            Ok(()) => AccountError::LicenseNotWritten {
                out: out.to_path_buf(),
                reason: e.to_string(),
            },
            Err(r) => AccountError::DrawNotUndone {
                out: out.to_path_buf(),
                id: drawn.activation_id.clone(),
                reason: format!("{e}; putting the account back failed too: {r}"),
            },
        });
    }
    Ok(Generated {
        drawn,
        license,
        trust,
        out: out.to_path_buf(),
    })
}
