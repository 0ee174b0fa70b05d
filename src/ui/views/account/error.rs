//! Why the Account view could not do what was asked: the core's refusal
//! kept whole, in the words of this screen where they differ from the
//! command line's.

use crate::core::account::AccountError;

#[derive(Debug, thiserror::Error)]
pub enum AccountViewError {
    #[error("Open an account first (File › Open Account…).")]
    NoAccount,
    #[error("Give the issuer key that signs the account (Signing key file) first.")]
    NoSigningKey,
    #[error("Give the file to save the request as (Save request as).")]
    NoRequestFile,
    #[error(transparent)]
    Key(#[from] crate::core::license::signing::KeyError),
    /// The request form refused as the tool refuses it.
    #[error(transparent)]
    Form(#[from] crate::core::rules::AfmtRefusal),
    /// Reading the account or saving a request: the core's words.
    #[error(transparent)]
    Account(#[from] AccountError),
    /// A change refused: in this screen's words (`gui_words`).
    #[error("{}", gui_words(.0))]
    Change(AccountError),
    /// What only Genesys Licensing generates: the New Activation File tab
    /// opens the request tool with the refusal as the question.
    #[error("{0}. The New Activation File tab opens the request tool with this refusal filled in.")]
    ToRequestTool(AccountError),
}

/// An account refusal in the words of this screen (the command line's
/// flags mean nothing here).
fn gui_words(e: &AccountError) -> String {
    match e {
        AccountError::Untrusted { status, note } => format!(
            "The account is {status}{}. Nothing was changed. If you issued it, sign it again with your key; to use \
             it anyway, tick “Change this account anyway” (it then stays unsigned).",
            if note.is_empty() {
                String::new()
            } else {
                format!(" ({note})")
            }
        ),
        AccountError::OtherSigner { signed_by, .. } => format!(
            "The account is signed by the key “{signed_by}”: give that key as the Signing key file to change it."
        ),
        other => other.to_string(),
    }
}
