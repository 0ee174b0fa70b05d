//! Signatures: the canonical form, issuer key files and the trust store.
//!
//! The signed bytes are the RFC 8785 (JCS) serialisation of the whole JSON
//! document with its top-level `signature` member removed. Because the form
//! is canonical, re-indenting a file or reordering its keys keeps it valid,
//! while any change of a value breaks the signature.

use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::format::Signature;

/// An issuer key file is unusable, a new key cannot be made, or signing
/// failed; each says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the document is not a JSON object")]
    NotAnObject,
    #[error("cannot canonicalise the document: {0}")]
    Canonical(String),
    #[error("the key id is blank; give a name such as acme-issuer-2026 (or leave --key-id out)")]
    BlankId,
    #[error("the key id is longer than 128 characters")]
    LongId,
    #[error("the key id holds control or invisible characters; use letters, digits and - _ . :")]
    UnsafeId,
    #[error("`{0}` is the demo key's id; choose another key id")]
    DemoId(String),
    #[error("the system random number generator failed: {0}")]
    Random(String),
    #[error("{what} is not valid base64 ({why})")]
    Base64 { what: &'static str, why: String },
    #[error("{what} is {len} bytes; an ed25519 {what} is {expected} bytes")]
    Length {
        what: &'static str,
        len: usize,
        expected: usize,
    },
    #[error(
        "not an issuer private key file ({0}); choose the signing key file (.key) made for your organisation with the \
         license keygen command"
    )]
    NotASecretKeyFile(String),
    #[error("not an issuer public key file ({0}); use the .pub file that goes with the signing key")]
    NotAPublicKeyFile(String),
    #[error("unsupported key algorithm `{0}`; only ed25519 keys are supported")]
    Algorithm(String),
    #[error("the private key file's public_key does not match its secret_key; the file is damaged")]
    Mismatch,
    #[error("the key file has an empty key_id")]
    EmptyId,
    #[error("cannot read the key file: {0}")]
    Read(#[source] crate::fs::FileError),
    #[error("{}: the key file is not UTF-8 text", .0.display())]
    NotUtf8(std::path::PathBuf),
    /// What is wrong inside a key file, naming it.
    #[error("{}: {source}", path.display())]
    InFile {
        path: std::path::PathBuf,
        #[source]
        source: Box<KeyError>,
    },
    #[error("the public key is not a valid ed25519 point")]
    NotAPoint,
    #[error(
        "the public key is a weak (small-order) ed25519 point that would accept forged signatures; it cannot be \
         trusted"
    )]
    Weak,
    #[error("the public key is not canonically encoded; it cannot be trusted")]
    NotCanonical,
    #[error(
        "the key `{0}` is a weak (small-order) ed25519 point that would accept forged signatures; it cannot be \
         trusted"
    )]
    WeakTrusted(String),
    #[error("a different key with id `{0}` is already trusted; key ids must be unique")]
    IdTaken(String),
}

impl KeyError {
    fn in_file(path: &Path) -> impl FnOnce(KeyError) -> KeyError + '_ {
        move |e| KeyError::InFile {
            path: path.to_path_buf(),
            source: Box::new(e),
        }
    }
}

pub const ALGORITHM: &str = "ed25519";

/// The demo issuer's public key, trusted by default. Its private key ships
/// too (`assets/keys/demo-issuer.key`), so everything it signs is marked DEMO.
pub const DEMO_PUBLIC_KEY: &[u8] = include_bytes!("../../../../../assets/keys/demo-issuer.pub");

/// The demo issuer's private key. It is public on purpose (it ships in
/// `assets/keys/`): whatever it signs reads as DEMO. Embedded so a trainer
/// can change the demo account without looking for a key file.
const DEMO_SECRET_KEY: &str = include_str!("../../../../../assets/keys/demo-issuer.key");

/// The demo issuer key, for signing demo data.
pub fn demo_issuer_key() -> Result<IssuerKey, KeyError> {
    IssuerKey::from_json(DEMO_SECRET_KEY)
}

/// The canonical bytes a signature covers: the document without its
/// top-level `signature`, serialised with RFC 8785.
pub fn canonical_bytes(document: &Value) -> Result<Vec<u8>, KeyError> {
    let Value::Object(map) = document else {
        return Err(KeyError::NotAnObject);
    };
    let mut map = map.clone();
    map.remove("signature");
    // string-error: serde_jcs's error is neither Clone nor Eq, as KeyError is; its words are kept.
    serde_jcs::to_vec(&Value::Object(map)).map_err(|e| KeyError::Canonical(e.to_string()))
}

/// An issuer public key file (`*.pub`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicKeyFile {
    pub algorithm: String,
    pub key_id: String,
    pub public_key: String,
}

/// An issuer private key file (`*.key`). Keep real ones secret.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecretKeyFile {
    pub algorithm: String,
    pub key_id: String,
    pub public_key: String,
    pub secret_key: String,
}

/// The key id keygen gives a new key: `ed25519:` and the first 8 bytes of the
/// public key in hex (the key itself is random, so its prefix identifies it).
pub fn default_key_id(key: &VerifyingKey) -> String {
    let hex: String = key.as_bytes()[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("ed25519:{hex}")
}

/// Makes a new issuer key pair.
pub fn generate_key_pair(key_id: Option<&str>) -> Result<(SecretKeyFile, PublicKeyFile), KeyError> {
    if let Some(id) = key_id {
        check_key_id(id)?;
    }
    let mut seed = [0u8; 32];
    rand_core::RngCore::try_fill_bytes(&mut rand_core::OsRng, &mut seed)
        // string-error: the random source's error is neither Clone nor Eq, as KeyError is; its words are kept.
        .map_err(|e| KeyError::Random(e.to_string()))?;
    let signing = SigningKey::from_bytes(&seed);
    let verifying = signing.verifying_key();
    let key_id = key_id.map_or_else(|| default_key_id(&verifying), str::to_string);
    let public_key = B64.encode(verifying.as_bytes());
    Ok((
        SecretKeyFile {
            algorithm: ALGORITHM.into(),
            key_id: key_id.clone(),
            public_key: public_key.clone(),
            secret_key: B64.encode(seed),
        },
        PublicKeyFile {
            algorithm: ALGORITHM.into(),
            key_id,
            public_key,
        },
    ))
}

/// A key id a new key may take: not blank, printable, at most 128
/// characters, and not the demo key's (which the trust store already
/// holds: a second key under its id could never be trusted).
fn check_key_id(id: &str) -> Result<(), KeyError> {
    if id.trim().is_empty() {
        return Err(KeyError::BlankId);
    }
    if id.chars().count() > 128 {
        return Err(KeyError::LongId);
    }
    if id.chars().any(|c| c.is_control() || crate::model::text::is_unsafe(c)) {
        return Err(KeyError::UnsafeId);
    }
    let demo = TrustStore::with_demo();
    if demo.keys().iter().any(|k| k.key_id == id) {
        return Err(KeyError::DemoId(id.to_string()));
    }
    Ok(())
}

fn decode_fixed<const N: usize>(text: &str, what: &'static str) -> Result<[u8; N], KeyError> {
    let bytes = B64.decode(text.trim()).map_err(|e| KeyError::Base64 {
        what,
        why: e.to_string(),
    })?;
    <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| KeyError::Length {
        what,
        len: bytes.len(),
        expected: N,
    })
}

/// A private key loaded for signing.
pub struct IssuerKey {
    pub key_id: String,
    signing: SigningKey,
}

impl IssuerKey {
    pub fn from_json(text: &str) -> Result<Self, KeyError> {
        // string-error: serde's error is neither Clone nor Eq, as this error type is; its words (with the position) are what is kept.
        let file: SecretKeyFile = serde_json::from_str(text).map_err(|e| KeyError::NotASecretKeyFile(e.to_string()))?;
        if file.algorithm != ALGORITHM {
            return Err(KeyError::Algorithm(file.algorithm));
        }
        let seed = decode_fixed::<32>(&file.secret_key, "secret key")?;
        let signing = SigningKey::from_bytes(&seed);
        let declared = decode_fixed::<32>(&file.public_key, "public key")?;
        if signing.verifying_key().as_bytes() != &declared {
            return Err(KeyError::Mismatch);
        }
        Ok(IssuerKey {
            key_id: file.key_id,
            signing,
        })
    }

    pub fn from_path(path: &Path) -> Result<Self, KeyError> {
        let text = read_small_text(path)?;
        Self::from_json(&text).map_err(KeyError::in_file(path))
    }

    /// The key's id and public half.
    pub fn public(&self) -> (String, VerifyingKey) {
        (self.key_id.clone(), self.signing.verifying_key())
    }

    /// The demo issuer plus this key: what verifies what this key signed.
    pub fn trust_store(&self) -> TrustStore {
        let mut store = TrustStore::with_demo();
        let (id, key) = self.public();
        let _ = store.add(id, key);
        store
    }

    /// Signs bytes already in canonical form.
    pub fn sign_canonical(&self, canonical: &[u8]) -> Signature {
        Signature {
            algorithm: ALGORITHM.into(),
            key_id: self.key_id.clone(),
            value: B64.encode(self.signing.sign(canonical).to_bytes()),
        }
    }

    /// Signs a document (its `signature` member, if any, is ignored).
    pub fn sign(&self, document: &Value) -> Result<Signature, KeyError> {
        let bytes = canonical_bytes(document)?;
        let sig = self.signing.sign(&bytes);
        Ok(Signature {
            algorithm: ALGORITHM.into(),
            key_id: self.key_id.clone(),
            value: B64.encode(sig.to_bytes()),
        })
    }
}

/// A trusted issuer.
#[derive(Debug, Clone)]
pub struct TrustedKey {
    pub key_id: String,
    pub key: VerifyingKey,
    /// The demo issuer: anyone can sign with it.
    pub demo: bool,
}

/// Who vouches for a loaded license.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Issuer {
    /// Signed with the demo issuer key that ships with the app.
    Demo,
    /// Signed with a key the user trusted on purpose.
    Key(String),
}

impl Issuer {
    /// `"demo"` or the key id (the `issuer` field of `license show`).
    pub fn name(&self) -> &str {
        match self {
            Issuer::Demo => "demo",
            Issuer::Key(id) => id,
        }
    }
}

/// The issuer keys this run accepts: the demo key, plus what the user added
/// with `--trust` (or the GUI's trust action). Nothing is added implicitly.
#[derive(Debug, Clone)]
pub struct TrustStore {
    keys: Vec<TrustedKey>,
}

impl Default for TrustStore {
    fn default() -> Self {
        Self::with_demo()
    }
}

impl TrustStore {
    /// A store that trusts nothing (not even the demo key).
    pub fn empty() -> Self {
        TrustStore { keys: Vec::new() }
    }

    /// The default store: the demo issuer only.
    pub fn with_demo() -> Self {
        let mut store = Self::empty();
        // The embedded key is checked by a test; a broken build trusts nothing.
        if let Ok((key_id, key)) = parse_public_key(std::str::from_utf8(DEMO_PUBLIC_KEY).unwrap_or_default()) {
            store.keys.push(TrustedKey {
                key_id,
                key,
                demo: true,
            });
        }
        store
    }

    pub fn keys(&self) -> &[TrustedKey] {
        &self.keys
    }

    /// Adds a public key file the user chose to trust.
    pub fn add_file(&mut self, path: &Path) -> Result<&TrustedKey, KeyError> {
        let text = read_small_text(path)?;
        let (key_id, key) = parse_public_key(&text).map_err(KeyError::in_file(path))?;
        self.add(key_id, key)
    }

    pub fn add(&mut self, key_id: String, key: VerifyingKey) -> Result<&TrustedKey, KeyError> {
        if key.is_weak() {
            return Err(KeyError::WeakTrusted(key_id));
        }
        if let Some(i) = self.keys.iter().position(|k| k.key_id == key_id) {
            if self.keys[i].key != key {
                return Err(KeyError::IdTaken(key_id));
            }
            return Ok(&self.keys[i]);
        }
        let demo = self.keys.iter().any(|k| k.demo && k.key == key);
        self.keys.push(TrustedKey { key_id, key, demo });
        let last = self.keys.len() - 1;
        Ok(&self.keys[last])
    }

    pub fn find(&self, key_id: &str) -> Option<&TrustedKey> {
        self.keys.iter().find(|k| k.key_id == key_id)
    }
}

/// Parses a public key file into (key id, key).
pub fn parse_public_key(text: &str) -> Result<(String, VerifyingKey), KeyError> {
    // string-error: serde's error is neither Clone nor Eq, as this error type is; its words (with the position) are what is kept.
    let file: PublicKeyFile = serde_json::from_str(text).map_err(|e| KeyError::NotAPublicKeyFile(e.to_string()))?;
    if file.algorithm != ALGORITHM {
        return Err(KeyError::Algorithm(file.algorithm));
    }
    if file.key_id.trim().is_empty() {
        return Err(KeyError::EmptyId);
    }
    let bytes = decode_fixed::<32>(&file.public_key, "public key")?;
    let key = checked_key(&bytes)?;
    Ok((file.key_id, key))
}

/// Decodes a public key and refuses the weak ones: a small-order point
/// (the identity, 32 zero bytes, …) lets anyone make a signature it
/// "verifies", so trusting one would trust every document.
pub fn checked_key(bytes: &[u8; 32]) -> Result<VerifyingKey, KeyError> {
    let key = VerifyingKey::from_bytes(bytes).map_err(|_| KeyError::NotAPoint)?;
    if key.is_weak() {
        return Err(KeyError::Weak);
    }
    // A non-canonical encoding names the same point as another byte string;
    // refuse it so one key has exactly one spelling.
    if key.to_edwards().compress().as_bytes() != bytes {
        return Err(KeyError::NotCanonical);
    }
    Ok(key)
}

/// Why a signature check failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureProblem {
    /// The signature object itself is unusable (algorithm, base64, length).
    Malformed(String),
    UnknownSigner(String),
    Tampered,
}

/// Checks `signature` against the document's canonical form.
pub fn verify(document: &Value, signature: &Signature, trust: &TrustStore) -> Result<Issuer, SignatureProblem> {
    // string-error: a signature problem is a verdict's reason (words shown with the license's status).
    let canonical = canonical_bytes(document).map_err(|e| SignatureProblem::Malformed(e.to_string()))?;
    verify_canonical(&canonical, signature, trust)
}

/// Checks `signature` against bytes already in canonical form.
pub fn verify_canonical(
    canonical: &[u8],
    signature: &Signature,
    trust: &TrustStore,
) -> Result<Issuer, SignatureProblem> {
    if signature.algorithm != ALGORITHM {
        return Err(SignatureProblem::Malformed(format!(
            "signature algorithm `{}` is not supported; only ed25519",
            signature.algorithm
        )));
    }
    let bytes =
        // string-error: a signature problem is a verdict's reason (words shown with the license's status).
        decode_fixed::<64>(&signature.value, "signature").map_err(|e| SignatureProblem::Malformed(e.to_string()))?;
    let Some(trusted) = trust.find(&signature.key_id) else {
        return Err(SignatureProblem::UnknownSigner(signature.key_id.clone()));
    };
    let sig = ed25519_dalek::Signature::from_bytes(&bytes);
    // Strict: refuses small-order keys and R points and non-canonical
    // signature scalars, so a signature has exactly one valid form.
    if trusted.key.is_weak() {
        return Err(SignatureProblem::UnknownSigner(signature.key_id.clone()));
    }
    trusted
        .key
        .verify_strict(canonical, &sig)
        .map_err(|_| SignatureProblem::Tampered)?;
    Ok(if trusted.demo {
        Issuer::Demo
    } else {
        Issuer::Key(trusted.key_id.clone())
    })
}

/// Key files are tiny; refuse anything large (or not a file) before reading.
fn read_small_text(path: &Path) -> Result<String, KeyError> {
    const MAX: u64 = 64 * 1024;
    let bytes = crate::fs::read_capped(path, MAX).map_err(KeyError::Read)?;
    String::from_utf8(bytes).map_err(|_| KeyError::NotUtf8(path.to_path_buf()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_demo_key_is_trusted() {
        let store = TrustStore::with_demo();
        assert_eq!(store.keys().len(), 1);
        assert!(store.keys()[0].demo);
    }

    #[test]
    fn canonical_form_ignores_whitespace_and_order() {
        let a: Value = serde_json::from_str(r#"{"b": 1, "a": [1, 2], "signature": {"x": 1}}"#).expect("json");
        let b: Value = serde_json::from_str(r#"{"a":[1,2],"b":1}"#).expect("json");
        assert_eq!(canonical_bytes(&a).expect("a"), canonical_bytes(&b).expect("b"));
        assert_eq!(canonical_bytes(&b).expect("b"), br#"{"a":[1,2],"b":1}"#);
    }

    #[test]
    fn sign_then_verify_round_trip() {
        let (secret, public) = generate_key_pair(Some("test")).expect("keygen");
        let key = IssuerKey::from_json(&serde_json::to_string(&secret).expect("ser")).expect("load");
        let mut store = TrustStore::empty();
        let (id, vk) = parse_public_key(&serde_json::to_string(&public).expect("ser")).expect("pub");
        store.add(id, vk).expect("add");
        let doc = serde_json::json!({"a": 1});
        let sig = key.sign(&doc).expect("sign");
        assert_eq!(verify(&doc, &sig, &store), Ok(Issuer::Key("test".into())));
        let changed = serde_json::json!({"a": 2});
        assert_eq!(verify(&changed, &sig, &store), Err(SignatureProblem::Tampered));
    }
}
