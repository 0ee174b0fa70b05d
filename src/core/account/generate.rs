//! New Activation File and Update: a license generated from the account's
//! ordered items, drawing down what is available.

use sha2::Digest;

use super::{Account, AccountError, ActivationFile, DrawnItem};
use crate::core::license::generate::{self, Order};
use crate::core::license::signing::IssuerKey;
use crate::core::parts;

/// A generated license and the account that records it (nothing written).
#[derive(Debug, Clone)]
pub struct Drawn {
    pub license_text: String,
    pub account: Account,
    pub activation_id: String,
    pub items: Vec<DrawnItem>,
}

/// Builds and signs the license an order describes and records it in a copy
/// of the account, refusing more units than are available at the order's
/// install site. `replaces` names an active activation file this one
/// updates: its units return first, and no quantity may go down.
pub fn draw(account: &Account, order: &Order, key: &IssuerKey, replaces: Option<&str>) -> Result<Drawn, AccountError> {
    let refuse = |m: String| AccountError::Order(m);
    // Updating an activation file that is no longer active says so first.
    if let Some(id) = replaces {
        match account.activation_file(id) {
            None => return Err(AccountError::NoSuchActivationFile { id: id.to_string() }),
            Some(f) if !f.active => return Err(AccountError::AlreadyInactive { id: f.id.clone() }),
            Some(_) => {}
        }
    }
    if !order.licenses.is_empty() {
        return Err(refuse(
            "with an account, licenses come from its ordered items: give them with --part PART=UNITS, not --license"
                .into(),
        ));
    }
    if order.parts.is_empty() {
        return Err(refuse(
            "choose the ordered items to use (--part PART=UNITS); `account show` lists what is available".into(),
        ));
    }
    if order.install_site.trim().is_empty() {
        return Err(refuse(
            "give the install site (--install-site); the account's sites are listed by `account show`".into(),
        ));
    }
    let mut items: Vec<DrawnItem> = Vec::new();
    for q in &order.parts {
        let part = parts::lookup(&q.name).ok_or_else(|| AccountError::NotOrdered {
            part: q.name.clone(),
            site: order.install_site.clone(),
        })?;
        let units = i64::try_from(q.assigned + q.pooled).map_err(|_| refuse("quantity too large".into()))?;
        match items.iter_mut().find(|i| i.part_number == part.part_number) {
            Some(i) => i.quantity += units,
            None => items.push(DrawnItem {
                part_number: part.part_number.to_string(),
                quantity: units,
            }),
        }
    }
    items.retain(|i| i.quantity > 0);
    if let Some(old) = replaces.and_then(|id| account.activation_file(id)) {
        // An update raises units on the same server: AFMT's "update an
        // existing license to increase the number of stations or lines".
        let differs = |what: &str, was: &str, now: &str| {
            (!was.trim().eq_ignore_ascii_case(now.trim())).then(|| format!("{what} {was} (asked: {now})"))
        };
        let changes: Vec<String> = [
            differs("the Host Id", &old.host_id, &order.host_id),
            differs("the machine", &old.machine, &order.machine),
            differs("the license type", &old.level, order.level.code()),
            differs("the install site", &old.install_site, &order.install_site),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !changes.is_empty() {
            return Err(refuse(format!(
                "an update keeps the activation file's server and type; {} keeps {}. To license another server or \
                 type, deactivate {} and generate a new activation file",
                old.id,
                changes.join(", "),
                old.id
            )));
        }
    }
    account.check_draw(&order.install_site, &items, replaces)?;
    let mut order = order.clone();
    if order.company.trim().is_empty() {
        order.company = account.account.clone();
    }
    let file = generate::build(&order).map_err(|e| refuse(e.to_string()))?;
    let license_text = generate::sign_to_text(&file, key).map_err(|e| refuse(e.to_string()))?;
    // The Activation File Activity's Product column: the product and the
    // version the license was generated for ("CIC 2020 R2"), not the
    // version in the part numbers drawn.
    let product = format!("{} {}", file.product, file.product_version).trim().to_string();
    let mut account = account.clone();
    let activation_id = account.record(ActivationFile {
        id: String::new(),
        generated: file.generated,
        expires: file.expires,
        active: true,
        install_site: order.install_site.trim().to_string(),
        generated_by: order.generated_by.clone(),
        machine: order.machine.clone(),
        host_id: order.host_id.clone(),
        product,
        level: order.level.code().to_string(),
        items: items.clone(),
        license_sha256: Some(hex(&sha2::Sha256::digest(license_text.as_bytes()))),
        replaces: replaces.map(str::to_string),
        license_file: None,
    })?;
    Ok(Drawn {
        license_text,
        account,
        activation_id,
        items,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
