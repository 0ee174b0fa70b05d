//! New Activation File and Update: a license generated from the account's
//! ordered items, drawing down what is available.

use sha2::Digest;

use super::{Account, AccountError, ActivationFile, DrawnItem, same};
use crate::model::catalog;
use crate::model::license::Level;
use crate::model::license::generate::{self, Order};
use crate::model::license::signing::IssuerKey;
use crate::model::parts::{self, PartKind};
use crate::rules::AfmtRefusal;

/// A generated license and the account that records it (nothing written).
#[derive(Debug, Clone)]
pub struct Drawn {
    pub license_text: String,
    pub account: Account,
    pub activation_id: String,
    pub items: Vec<DrawnItem>,
    /// What the administrator should know about the result (readings of
    /// the licensing reference that the tool applied), in words.
    pub notes: Vec<String>,
}

/// Builds and signs the license an order describes and records it in a copy
/// of the account, refusing more units than are available at the order's
/// install site. `replaces` names an active activation file this one
/// updates: its units return first, and no quantity may go down.
///
/// This is the Activation File Management Tool's path (`account generate`,
/// `license new --account`, the Account view), so it also refuses what the
/// tool will not generate and what its form requires (`afmt_checks`).
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
    afmt_checks(order)?;
    if order.install_site.trim().is_empty() {
        return Err(refuse(
            "give the install site (--install-site); the account's sites are listed by `account show`".into(),
        ));
    }
    if !account.site_is_active(&order.install_site) {
        return Err(AfmtRefusal::InstallSiteInactive {
            name: order.install_site.trim().to_string(),
        }
        .into());
    }
    let mut notes: Vec<String> = Vec::new();
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
            differs("the Host ID", &old.host_id, &order.host_id),
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
        if Level::parse(&old.level) == Some(Level::Evaluation) {
            evaluation_update(old, &items, &mut notes)?;
        }
    }
    if order.partner_development {
        // Seed: "Certified partner employees can generate an unlimited number
        // of 30-day non-ordered development licenses for any product and any
        // configuration" (LTR-728-partner-unlimited-development): nothing is
        // drawn, so nothing limits it.
        items.clear();
    } else {
        if items.is_empty() {
            return Err(refuse(
                "choose the ordered items to use (--part PART=UNITS); `account show` lists what is available".into(),
            ));
        }
        account.check_draw(&order.install_site, &items, replaces)?;
        server_item(account, &order.install_site, &items)?;
        perpetual_only(account, &order.install_site, &items, replaces)?;
    }
    items_of_the_version(order)?;
    let mut order = order.clone();
    if order.company.trim().is_empty() {
        order.company = account.account.clone();
    }
    let file = generate::build(&order)?;
    let license_text = generate::sign_to_text(&file, key)?;
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
        non_ordered: order.partner_development,
    })?;
    Ok(Drawn {
        license_text,
        account,
        activation_id,
        items,
        notes,
    })
}

/// Seed, License levels, Evaluation: "You cannot add other components to
/// the pre-defined configuration for this license"
/// (LTR-201-evaluation-no-added-components). An update of an evaluation
/// activation file brings in no ordered item it did not have. Raising the
/// quantities of its own items (AFMT's Update "to increase the number of
/// stations or lines") is our reading, and the note says so.
fn evaluation_update(old: &ActivationFile, items: &[DrawnItem], notes: &mut Vec<String>) -> Result<(), AfmtRefusal> {
    let had = |part: &str| old.items.iter().find(|i| same(&i.part_number, part));
    let added: Vec<&str> = items
        .iter()
        .filter(|i| had(&i.part_number).is_none())
        .map(|i| i.part_number.as_str())
        .collect();
    if !added.is_empty() {
        return Err(AfmtRefusal::EvaluationComponents {
            id: old.id.clone(),
            has: old
                .items
                .iter()
                .map(|i| format!("{} ({})", i.part_number, i.quantity))
                .collect::<Vec<_>>()
                .join(", "),
            added: added.join(", "),
        });
    }
    let raised: Vec<String> = items
        .iter()
        .filter_map(|i| {
            let was = had(&i.part_number)?.quantity;
            (i.quantity > was).then(|| format!("{} {was} → {}", i.part_number, i.quantity))
        })
        .collect();
    if !raised.is_empty() {
        notes.push(format!(
            "Evaluation license: you cannot add other components to the pre-defined configuration. This update adds \
             none; it raises the quantities of the evaluation's own ordered items ({}). The Licensing Technical \
             Reference does not say whether an evaluation's quantities may rise: confirm with Genesys Licensing.",
            raised.join(", ")
        ));
    }
    Ok(())
}

/// What the Activation File Management Tool will not generate, and what its
/// New Activation File form requires, judged from the order alone.
pub fn afmt_checks(order: &Order) -> Result<(), AfmtRefusal> {
    // Seed: "Trial bundle licenses and add-on bundle licenses are not
    // available in the Activation File Management Tool"
    // (LTR-629-no-trial-or-add-on-bundles).
    if order.level == Level::Trial {
        return Err(AfmtRefusal::TrialBundle);
    }
    // Seed: "The Activation File Management Tool (AFMT) allows customers with
    // a perpetual license … Subscription customers must request a license
    // from the Genesys Licensing Team" (LTR-363-afmt-perpetual-only).
    let subscription: Vec<&str> = order
        .features
        .iter()
        .map(|f| catalog::canonical(f.trim()))
        .filter(|f| {
            [
                catalog::FEATURE_VIRTUAL_CLOUD,
                catalog::FEATURE_USAGE_UPLOAD,
                catalog::FEATURE_USAGE_LOCAL,
                catalog::FEATURE_USAGE_TRACKING,
            ]
            .contains(f)
        })
        .collect();
    if !subscription.is_empty() {
        let mut keys = subscription.join(", ");
        // Virtual cloud before 2020 R2 is refused twice over: say both.
        if subscription.contains(&catalog::FEATURE_VIRTUAL_CLOUD) {
            use crate::model::license::version::{VirtualCloudVersion, virtual_cloud_at};
            match virtual_cloud_at(&order.product_version) {
                VirtualCloudVersion::Supported => {}
                VirtualCloudVersion::TooEarly(v) => keys.push_str(&format!(
                    "; besides, virtual cloud licensing is available starting with PureConnect 2020 R2 and product \
                     version {v} is earlier"
                )),
                VirtualCloudVersion::Unreadable => keys.push_str(
                    "; besides, virtual cloud licensing is available starting with PureConnect 2020 R2 and the \
                     product version given cannot be compared with it",
                ),
            }
        }
        return Err(AfmtRefusal::Subscription { keys });
    }
    // Seed, New Activation File: "Machine Name *" (LTR-646-machine-name-required).
    if order.machine.trim().is_empty() {
        return Err(AfmtRefusal::MachineNameRequired);
    }
    // Seed, New Activation File: "Select One Valid Switchover Server Item"
    // with "There are no switchover parts available"
    // (LTR-1049-switchover-server-item): no part of the catalogue is a
    // switchover server item, so no account can license the second server.
    if order.switchover.is_some() {
        return Err(AfmtRefusal::NoSwitchoverItem);
    }
    if !order.partner_development {
        let known: Vec<_> = order.parts.iter().filter_map(|q| parts::lookup(&q.name)).collect();
        if !known.is_empty() && known.iter().all(|p| p.kind == PartKind::AddOn) {
            let mut names: Vec<&str> = known.iter().map(|p| p.part_number).collect();
            names.dedup();
            return Err(AfmtRefusal::AddOnBundle {
                parts: names.join(", "),
            });
        }
    }
    expiry_set_by_type(order)
}

/// The New Activation File form has no expiration date: the tool sets it
/// from the license type. Seed, AFMT: "Software licenses are perpetual and
/// have an expiration date of 1/1/2100" (LTR-376-perpetual-expires-2100);
/// ordered development "is active for one year" (LTR-190-development-one-
/// year); a partner's non-ordered development license runs 30 days. An
/// evaluation's term is not stated, so a date given for it is kept.
fn expiry_set_by_type(order: &Order) -> Result<(), AfmtRefusal> {
    use crate::model::license::format::{PARTNER_DEVELOPMENT_DAYS, last_day_of, last_day_of_year, perpetual_expiry};
    let Some(asked) = order.expires else { return Ok(()) };
    let (set, term) = match order.level {
        Level::Production => (
            Some(perpetual_expiry()),
            "Production activation files are perpetual and have an expiration date of 1/1/2100".to_string(),
        ),
        Level::DevelopmentSmall | Level::DevelopmentLarge if order.partner_development => {
            let end = last_day_of(order.generated, PARTNER_DEVELOPMENT_DAYS);
            (
                end,
                format!(
                    "Non-ordered development activation files run {PARTNER_DEVELOPMENT_DAYS} days{}",
                    end.map_or_else(String::new, |d| format!(" (to {d})"))
                ),
            )
        }
        Level::DevelopmentSmall | Level::DevelopmentLarge => {
            let end = last_day_of_year(order.generated);
            (
                end,
                format!(
                    "Ordered development activation files are active for one year{}",
                    end.map_or_else(String::new, |d| format!(" (to {d})"))
                ),
            )
        }
        Level::Trial | Level::Evaluation => return Ok(()),
    };
    if set == Some(asked) {
        return Ok(());
    }
    Err(AfmtRefusal::ExpirySetByType {
        term,
        asked: asked.to_string(),
    })
}

/// Ordered items go into an activation file of their own product version:
/// CIC 3.0 items into a CIC 3.0 file, 4.0 items into 4.0 and the releases
/// after it. Seed, New Activation File: "select an Install Site, Product,
/// Product Version, and License Type" (LTR-982-select-product-version); the
/// Upgrade Software tab "Provides ability to upgrade licenses to a newer
/// version" (LTR-372-upgrade-to-newer-version). A version this tool cannot
/// read is not judged (the loader says so of the license).
fn items_of_the_version(order: &Order) -> Result<(), AfmtRefusal> {
    use crate::model::license::version::ProductVersion;
    let Some(version) = ProductVersion::parse(&order.product_version) else {
        return Ok(());
    };
    let line = format!("CIC {}", version.part_line());
    let mut others: Vec<&'static parts::PartInfo> = Vec::new();
    for q in &order.parts {
        if let Some(p) = parts::lookup(&q.name)
            && p.product_category != line
            && !others.iter().any(|o| o.part_number == p.part_number)
        {
            others.push(p);
        }
    }
    let Some(first) = others.first() else { return Ok(()) };
    // The catalogue has CIC 3.0 and CIC 4.0 parts; name the first line met.
    let other_line: &'static str = first.product_category;
    Err(AfmtRefusal::ItemsOfAnotherVersion {
        line: other_line,
        parts: others
            .iter()
            .filter(|p| p.product_category == other_line)
            .map(|p| p.part_number)
            .collect::<Vec<_>>()
            .join(", "),
        version: version.to_string(),
    })
}

/// Seed: "Select One Valid Server Item" (LTR-653-one-valid-server-item): an
/// activation file is for one server, so the order holds exactly one server
/// item (SL… or IDS…), one unit of it.
fn server_item(account: &Account, site: &str, items: &[DrawnItem]) -> Result<(), AfmtRefusal> {
    let servers: Vec<&DrawnItem> = items
        .iter()
        .filter(|i| parts::lookup(&i.part_number).is_some_and(|p| p.kind == PartKind::Server))
        .collect();
    match servers.as_slice() {
        [] => Err(AfmtRefusal::NoServerItem {
            available: account
                .summary(Some(site))
                .iter()
                .filter(|r| r.available > 0)
                .filter(|r| parts::lookup(&r.part_number).is_some_and(|p| p.kind == PartKind::Server))
                .map(|r| format!("{} {}", r.part_number, r.description))
                .collect::<Vec<_>>()
                .join(", "),
        }),
        [one] if one.quantity == 1 => Ok(()),
        many => Err(AfmtRefusal::OneServerItem {
            chosen: many
                .iter()
                .map(|i| format!("{} ({})", i.part_number, i.quantity))
                .collect::<Vec<_>>()
                .join(" and "),
        }),
    }
}

/// Seed: "If you need Subscription or Mixed Estate activation files, you
/// must submit a request using this tool because only Genesys Licensing can
/// generate these types of activation files"
/// (LTR-1081-subscription-mixed-estate-genesys-only). Units beyond what the
/// site's perpetual ordered items leave would come from non-perpetual
/// (subscription) items: refused. Everything the tool ever drew was
/// perpetual, so what is used counts against the perpetual units.
fn perpetual_only(
    account: &Account,
    site: &str,
    items: &[DrawnItem],
    replaces: Option<&str>,
) -> Result<(), AfmtRefusal> {
    let back = replaces.and_then(|id| account.activation_file(id)).filter(|f| f.active);
    let mut beyond: Vec<&str> = Vec::new();
    // Does the order draw any perpetual unit? Then it mixes both kinds.
    let mut uses_perpetual = false;
    for i in items {
        let ordered = account
            .ordered_items
            .iter()
            .filter(|o| same(&o.part_number, &i.part_number) && same(&o.install_site, site));
        let (perpetual, other): (i64, i64) = ordered.fold((0, 0), |(p, n), o| {
            if o.perpetual {
                (p + o.quantity, n)
            } else {
                (p, n + o.quantity)
            }
        });
        if other == 0 {
            uses_perpetual = true;
            continue;
        }
        let returned: i64 = back
            .iter()
            .flat_map(|f| &f.items)
            .filter(|x| same(&x.part_number, &i.part_number))
            .map(|x| x.quantity)
            .sum();
        let left = (perpetual - account.used(&i.part_number, Some(site)) + returned).max(0);
        uses_perpetual |= left > 0;
        if i.quantity > left {
            beyond.push(&i.part_number);
        }
    }
    if beyond.is_empty() {
        return Ok(());
    }
    if uses_perpetual {
        Err(AfmtRefusal::MixedEstate {
            parts: beyond.join(", "),
            site: site.trim().to_string(),
        })
    } else {
        Err(AfmtRefusal::Subscription {
            keys: format!("non-perpetual ordered items {}", beyond.join(", ")),
        })
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
