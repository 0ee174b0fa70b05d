//! The request form's Corporate Email: a well-formed address, and not at a
//! public webmail domain.

/// Public webmail domains refused as a Corporate Email (and their
/// subdomains): our short reading of "corporate email".
pub const WEBMAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "yahoo.co.uk",
    "ymail.com",
    "hotmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "live.com",
    "msn.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "mail.com",
    "gmx.com",
    "gmx.net",
    "gmx.de",
    "web.de",
    "yandex.com",
    "yandex.ru",
    "mail.ru",
    "proton.me",
    "protonmail.com",
    "zoho.com",
    "qq.com",
    "163.com",
    "126.com",
];

/// Is this a well-formed address (`local@domain.tld`)? A deliberately plain
/// reading: one `@`, a local part of letters, digits and `.!#$%&'*+/=?^_`{|}~-`
/// (no leading, trailing or double dot), and a domain of two or more
/// labels of letters, digits and inner hyphens, the last one alphabetic.
pub fn well_formed_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    if local.is_empty()
        || local.len() > 64
        || domain.len() > 253
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || !local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c))
    {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
        && labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()))
}

/// The webmail domain an address is at, if it is at one.
pub fn webmail_domain(address: &str) -> Option<&'static str> {
    let domain = address.rsplit_once('@')?.1.to_ascii_lowercase();
    WEBMAIL_DOMAINS
        .iter()
        .copied()
        .find(|w| domain == *w || domain.ends_with(&format!(".{w}")))
}
