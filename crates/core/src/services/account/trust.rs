//! The account is a trust boundary. Whoever can write an `.ialacct` (a
//! shared folder, a copied file) could otherwise raise a `quantity` and
//! have the next generate sign the extra units. So an account is signed
//! with the issuer key, like a license (a top-level `signature` over the
//! canonical form of everything else), verified on every load, and a
//! license is drawn only from a valid or demo account unless the user
//! says otherwise.

use serde::Serialize;
use serde_json::Value;

use super::{Account, AccountError};
use crate::model::license::format::Signature;
use crate::model::license::signing::{self, Issuer, IssuerKey, SignatureProblem, TrustStore};

/// How far an account can be trusted (`"account": {"status": …}` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountStatus {
    /// Signed by a key the user trusts.
    Valid,
    /// Signed with the public demo key: anyone could have made it.
    Demo,
    /// No signature, or one by a key nobody trusted: nobody vouches for it.
    Unsigned,
    /// Its signature does not match its content: changed after signing.
    Tampered,
}

impl AccountStatus {
    /// The word JSON uses (`valid`, `demo`, `unsigned`, `tampered`).
    pub fn word(self) -> &'static str {
        match self {
            AccountStatus::Valid => "valid",
            AccountStatus::Demo => "demo",
            AccountStatus::Unsigned => "unsigned",
            AccountStatus::Tampered => "tampered",
        }
    }
}

/// The trust part of a loaded account (the `"account"` object of a
/// command's JSON output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountTrust {
    pub status: AccountStatus,
    /// `"demo"`, the trusted key id, or `null`.
    pub issuer: Option<String>,
    /// What else to know (the untrusted key that signed it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The user chose to use it although it is unsigned or tampered
    /// (`--allow-unsigned-account`): it was written back unsigned.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub allowed_unsigned: bool,
}

impl AccountTrust {
    /// Valid or demo: a license may be drawn from it.
    pub fn vouched(&self) -> bool {
        matches!(self.status, AccountStatus::Valid | AccountStatus::Demo)
    }

    /// The first line of every table a command prints about this account,
    /// when nobody real vouches for it.
    pub fn banner(&self) -> Option<String> {
        let line = match self.status {
            AccountStatus::Valid => return None,
            AccountStatus::Demo => {
                "DEMO account: signed with the public demo key, which anyone can use; licenses drawn from it are \
                 not valid for production"
                    .to_string()
            }
            AccountStatus::Unsigned => format!(
                "UNSIGNED account: nobody vouches for its ordered items{}",
                self.note.as_deref().map_or_else(String::new, |n| format!(" ({n})"))
            ),
            AccountStatus::Tampered => {
                "TAMPERED account: it was changed after it was signed; its ordered items cannot be trusted".to_string()
            }
        };
        Some(if self.allowed_unsigned {
            format!("{line}; used anyway, and kept unsigned")
        } else {
            line
        })
    }
}

/// What an account's signature covers: the SHA-256 of the account as this
/// build reads it, written as compact JSON in its declared field order.
/// The input's layout, key order and whitespace do not matter (the file is
/// parsed into the account first, strictly: no unknown field, no key said
/// twice), so this is canonical without sorting keys as RFC 8785 does; and
/// the ed25519 signature is made over the 32-byte digest (SHA-256 runs in
/// hardware where ed25519's own SHA-512 does not) — together four times
/// faster to verify for an account of 50,000 activation files.
pub fn canonical_bytes(account: &Account) -> Result<Vec<u8>, AccountError> {
    use sha2::Digest;
    // string-error: serde's error is neither Clone nor Eq, as this error type is; its words (with the position) are what is kept.
    let json = serde_json::to_vec(account).map_err(|e| AccountError::Invalid(e.to_string()))?;
    Ok(sha2::Sha256::digest(&json).to_vec())
}

/// Checks an account's signature against its canonical form.
pub fn verify(account: &Account, signature: Option<&Signature>, trust: &TrustStore) -> AccountTrust {
    let trust_of = |status, issuer: Option<String>, note: Option<String>| AccountTrust {
        status,
        issuer,
        note,
        allowed_unsigned: false,
    };
    let Some(signature) = signature else {
        return trust_of(AccountStatus::Unsigned, None, None);
    };
    let canonical = match canonical_bytes(account) {
        Ok(bytes) => bytes,
        Err(_) => return trust_of(AccountStatus::Tampered, None, None),
    };
    match signing::verify_canonical(&canonical, signature, trust) {
        Ok(Issuer::Demo) => trust_of(AccountStatus::Demo, Some("demo".into()), None),
        Ok(Issuer::Key(id)) => trust_of(AccountStatus::Valid, Some(id), None),
        Err(SignatureProblem::UnknownSigner(id)) => trust_of(
            AccountStatus::Unsigned,
            None,
            Some(format!(
                "signed by the key `{}`, which is not trusted; give its public key with --trust",
                crate::model::text::safe(&id)
            )),
        ),
        Err(SignatureProblem::Tampered | SignatureProblem::Malformed(_)) => {
            trust_of(AccountStatus::Tampered, None, None)
        }
    }
}

/// The account as JSON text without a signature: what is written after a
/// change made to an account nobody vouched for (`--allow-unsigned-account`)
/// — it is never signed on the way, so it stays unsigned.
pub fn unsigned_text(account: &Account) -> Result<String, AccountError> {
    // string-error: serde's error is neither Clone nor Eq, as this error type is; its words (with the position) are what is kept.
    let mut text = serde_json::to_string_pretty(account).map_err(|e| AccountError::Invalid(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// The account as signed JSON text (what `save` writes).
pub fn signed_text(account: &Account, key: &IssuerKey) -> Result<String, AccountError> {
    let invalid = |e: &dyn std::fmt::Display| AccountError::Invalid(e.to_string());
    let canonical = canonical_bytes(account)?;
    let signature = key.sign_canonical(&canonical);
    let mut value = serde_json::to_value(account).map_err(|e| invalid(&e))?;
    if let Value::Object(map) = &mut value {
        map.insert(
            "signature".into(),
            serde_json::to_value(signature).map_err(|e| invalid(&e))?,
        );
    }
    let mut text = serde_json::to_string_pretty(&value).map_err(|e| invalid(&e))?;
    text.push('\n');
    Ok(text)
}

/// What a change needs besides the account: the key that signs it, the
/// keys that may have signed it before, and whether an unsigned or
/// tampered account may be used anyway.
pub struct Signer<'a> {
    pub key: &'a IssuerKey,
    /// Trusted issuers (the demo key and `--trust`); the signing key's own
    /// public key is trusted too.
    pub trust: &'a TrustStore,
    pub allow_unsigned: bool,
}

impl Signer<'_> {
    /// Is the account signed by this signer's own key (or the demo key
    /// that this signer is)? Changes keep the signer: a valid account is
    /// never re-signed by another key on the way, and a demo account never
    /// turns valid (that is `account sign`'s job, on purpose).
    fn signs_as(&self, trust: &AccountTrust) -> bool {
        let demo_key = TrustStore::with_demo()
            .keys()
            .iter()
            .any(|k| k.demo && k.key == self.key.public().1);
        match trust.status {
            AccountStatus::Demo => demo_key,
            AccountStatus::Valid => !demo_key && trust.issuer.as_deref() == Some(self.key.key_id.as_str()),
            AccountStatus::Unsigned | AccountStatus::Tampered => true,
        }
    }

    /// The trust store for verifying an account this signer will write:
    /// the given one plus the signing key.
    pub fn store(&self) -> TrustStore {
        let mut store = self.trust.clone();
        let (id, key) = self.key.public();
        // A different key under the same id is refused by `check_key`
        // before anything is written.
        let _ = store.add(id, key);
        store
    }

    /// The signing key's id must name it alone: a key reusing the id of
    /// another trusted key (the demo key's) would sign accounts that read
    /// as tampered.
    pub fn check_key(&self) -> Result<(), AccountError> {
        let (id, key) = self.key.public();
        let mut store = self.trust.clone();
        store.add(id.clone(), key).map(|_| ()).map_err(|_| {
            AccountError::Order(format!(
                "the signing key's id `{}` is already the id of another trusted key (the demo key's, or one given \
                 with --trust); make the key again with another id",
                crate::model::text::safe(&id)
            ))
        })
    }

    /// Refuses to change an account nobody vouches for, unless allowed, and
    /// one signed by another key than this signer's.
    pub fn admit(&self, mut trust: AccountTrust) -> Result<AccountTrust, AccountError> {
        if trust.vouched() {
            if !self.signs_as(&trust) {
                return Err(AccountError::OtherSigner {
                    signed_by: trust.issuer.clone().unwrap_or_default(),
                    key: self.key.key_id.clone(),
                });
            }
            return Ok(trust);
        }
        if !self.allow_unsigned {
            return Err(AccountError::Untrusted {
                status: match trust.status {
                    AccountStatus::Tampered => "tampered: changed after it was signed",
                    _ => "unsigned: nobody vouches for its ordered items",
                },
                note: trust.note.clone().unwrap_or_default(),
            });
        }
        trust.allowed_unsigned = true;
        Ok(trust)
    }
}
