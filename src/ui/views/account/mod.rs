//! Account: the Activation File Management Tool's account as its tabs show
//! it — Account Summary (Total / Used / Available), Activation File
//! Activity (its filters, Deactivate), Upgrade Software, New Activation File
//! (one valid server item, Machine Name, the partner's non-ordered
//! development license), Install Sites (New Install Site, Edit, Active) —
//! and the Genesys Activation File Request Tool, where the tool's refusals
//! point. The view keeps the open account; changes go out as
//! `Action::Account` and come back through `apply`, which locks, re-reads
//! and writes the file through the core.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::core::account::request::{self, Category, RequestDetails, RequestForm, RequestType};
use crate::core::account::{
    self, Account, AccountError, AccountStatus, AccountTrust, ActiveFilter, ActivityFilter, InstallSite, Signer,
    SiteChange,
};
use crate::core::license::generate::{Order, Quantity};
use crate::core::license::signing::IssuerKey;
use crate::core::license::{Level, TrustStore};
use crate::core::parts::{self, PartKind};
use crate::core::rules::AfmtRefusal;
use crate::ui::widgets;
pub use error::AccountViewError;

mod activity;
mod error;
mod new_file;
mod request_form;
mod sites;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountTab {
    #[default]
    Summary,
    Activity,
    Upgrade,
    NewFile,
    InstallSites,
    Request,
}

impl AccountTab {
    pub const ALL: [AccountTab; 6] = [
        AccountTab::Summary,
        AccountTab::Activity,
        AccountTab::Upgrade,
        AccountTab::NewFile,
        AccountTab::InstallSites,
        AccountTab::Request,
    ];
    fn label(self) -> &'static str {
        match self {
            AccountTab::Summary => "Account Summary",
            AccountTab::Activity => "Activation File Activity",
            AccountTab::Upgrade => "Upgrade Software",
            AccountTab::NewFile => "New Activation File",
            AccountTab::InstallSites => "Install Sites",
            AccountTab::Request => "Activation File Request",
        }
    }
}

/// What the user asked of the account.
#[derive(Debug, Clone)]
pub enum AccountAction {
    /// File › Open Account… (asks for the file).
    Open,
    Deactivate(String),
    Upgrade {
        parts: Vec<String>,
        all: bool,
        mirror: bool,
    },
    Generate(Box<NewFileForm>),
    /// The signing key field was changed: read the account's status again.
    KeyChanged,
    /// New Install Site or Edit: Install Site Details opens (a modal of
    /// the app, which sends its Save back as `AddSite` or `EditSite`).
    SiteDetails(Box<crate::ui::dialogs::install_site::SiteDetails>),
    /// New Install Site (Install Site Details).
    AddSite(Box<InstallSite>),
    /// Edit an install site (clearing Active deactivates it).
    EditSite {
        name: String,
        change: Box<SiteChange>,
    },
    /// Save the Genesys Activation File Request Tool's form as FILE.json and
    /// FILE.txt.
    SaveRequest {
        form: Box<RequestForm>,
        out: String,
    },
}

/// The New Activation File form.
#[derive(Debug, Clone)]
pub struct NewFileForm {
    pub install_site: String,
    pub level: Level,
    pub product_version: String,
    pub host_id: String,
    pub machine: String,
    /// "Select One Valid Server Item": the server item chosen (one unit).
    pub server: Option<String>,
    /// Units to use per part number (server items are chosen above, but a
    /// form built by hand may give them here too: the core judges).
    pub units: BTreeMap<String, i64>,
    /// A certified partner's 30-day non-ordered development license: it
    /// draws nothing.
    pub non_ordered: bool,
    pub out: String,
}

impl Default for NewFileForm {
    fn default() -> Self {
        let order = Order::default();
        NewFileForm {
            install_site: order.install_site,
            level: order.level,
            product_version: order.product_version,
            host_id: String::new(),
            machine: String::new(),
            server: None,
            units: BTreeMap::new(),
            non_ordered: false,
            out: String::new(),
        }
    }
}

/// Activation File Activity's filter boxes, as typed.
#[derive(Debug, Clone, Default)]
struct ActivityBoxes {
    from: String,
    to: String,
    active: ActiveFilter,
    product_line: Option<String>,
    license_type: Option<Level>,
    generated_by: String,
    machine: String,
}

/// The request tool's form as the view holds it: Request Type starts at
/// --None--.
#[derive(Debug, Clone, Default)]
struct RequestDraft {
    request_type: Option<RequestType>,
    form: RequestForm,
    /// One name per line.
    attachments: String,
    out: String,
    /// Save was pressed: the problems are shown from then on.
    tried: bool,
}

/// An open account: where it is, what it holds, how far it is trusted.
pub struct OpenAccount {
    pub path: PathBuf,
    pub account: Account,
    pub trust: AccountTrust,
}

#[derive(Default)]
pub struct AccountView {
    pub open: Option<OpenAccount>,
    /// The issuer private key that signs the account (and the licenses
    /// generated from it): every change needs it.
    pub sign_key: String,
    /// Change an unsigned or tampered account anyway (it stays unsigned).
    pub allow_unsigned: bool,
    /// The key the account's status was last read with.
    checked_key: String,
    /// A license file that exists, waiting for "Replace" before generating.
    confirm_overwrite: Option<Box<NewFileForm>>,
    /// Upgrade Selected asks first.
    confirm_upgrade: Option<(Vec<String>, bool, bool)>,
    pub tab: AccountTab,
    /// The install-site filter (`None`: All Install Sites).
    site: Option<String>,
    /// Upgrade Software: the parts ticked, and Mirror 3.0 -> 4.0.
    upgrade_selected: Vec<String>,
    mirror: bool,
    /// Deactivate asks first.
    confirm_deactivate: Option<String>,
    pub form: NewFileForm,
    activity: ActivityBoxes,
    /// Install Sites: the Active filter (`None`: -- ALL --).
    sites_active: Option<bool>,
    request: RequestDraft,
    /// The last generate the tool refused as something only Genesys
    /// Licensing generates: the New Activation File tab offers the request
    /// tool.
    refused_to_request: Option<String>,
    /// Browse… beside the signing key, Save license as and Save request as.
    browse_key: crate::ui::files::Browse,
    browse_license: crate::ui::files::Browse,
    browse_request: crate::ui::files::Browse,
}

impl super::View for AccountView {
    fn ui(&mut self, ui: &mut egui::Ui, cx: &mut super::ViewContext<'_>, out: &mut Vec<super::Action>) {
        if let Some(a) = self.draw(ui, cx.locked) {
            out.push(super::Action::Account(a));
        }
    }
}

impl AccountView {
    /// Opens an account file (refused files leave the open one as it was);
    /// its signature is checked against `trust` (and the signing key, when
    /// one is given).
    pub fn open_path(&mut self, path: &Path, trust: &TrustStore) -> Result<(), AccountViewError> {
        let store = self.store(trust);
        let (acct, status) = account::load(path, &store)?;
        // The first active install site with ordered items (the tool's
        // form starts on a site something can be generated for).
        let rows = acct.site_rows();
        let with_items = |name: &str| !acct.summary(Some(name)).is_empty();
        if let Some(site) = rows
            .iter()
            .find(|r| r.active && with_items(&r.name))
            .or_else(|| rows.first())
        {
            self.form.install_site = site.name.clone();
        }
        self.open = Some(OpenAccount {
            path: path.to_path_buf(),
            account: acct,
            trust: status,
        });
        self.upgrade_selected.clear();
        self.confirm_deactivate = None;
        self.confirm_upgrade = None;
        self.confirm_overwrite = None;
        self.allow_unsigned = false;
        self.refused_to_request = None;
        // A new account starts from a blank New Activation File form.
        self.form = NewFileForm {
            install_site: self.form.install_site.clone(),
            ..NewFileForm::default()
        };
        Ok(())
    }

    /// The key that signs a change: the one given, or for a demo account
    /// with none given, the public demo key (the change stays DEMO).
    fn signing_key(&self, status: AccountStatus) -> Result<IssuerKey, AccountViewError> {
        let given = self.sign_key.trim();
        if given.is_empty() {
            if status == AccountStatus::Demo {
                return Ok(crate::core::license::signing::demo_issuer_key()?);
            }
            return Err(AccountViewError::NoSigningKey);
        }
        Ok(IssuerKey::from_path(Path::new(given))?)
    }

    /// `trust` plus the signing key's public half, when it loads.
    fn store(&self, trust: &TrustStore) -> TrustStore {
        match IssuerKey::from_path(Path::new(self.sign_key.trim())) {
            Ok(key) if !self.sign_key.trim().is_empty() => Signer {
                key: &key,
                trust,
                allow_unsigned: false,
            }
            .store(),
            _ => trust.clone(),
        }
    }

    /// Carries out a change through the core (lock, re-read — another
    /// process may have drawn meanwhile —, verify, apply, sign, write).
    /// Returns what to tell the user.
    pub fn apply(
        &mut self,
        action: AccountAction,
        today: NaiveDate,
        trust: &TrustStore,
    ) -> Result<String, AccountViewError> {
        let Some(open) = &self.open else {
            return Err(AccountViewError::NoAccount);
        };
        if matches!(action, AccountAction::Open | AccountAction::SiteDetails(_)) {
            return Ok(String::new());
        }
        if matches!(action, AccountAction::KeyChanged) {
            self.recheck(trust);
            return Ok(String::new());
        }
        if let AccountAction::SaveRequest { form, out } = action {
            return self.save_request(&form, &out);
        }
        let path = open.path.clone();
        let key = self.signing_key(open.trust.status)?;
        let signer = Signer {
            key: &key,
            trust,
            allow_unsigned: self.allow_unsigned,
        };
        let e = AccountViewError::Change;
        let (message, acct, status) = match action {
            AccountAction::Open | AccountAction::KeyChanged | AccountAction::SiteDetails(_) => {
                return Ok(String::new());
            }
            AccountAction::Deactivate(id) => {
                let edited = account::edit(&path, &signer, |a| a.deactivate(&id)).map_err(e)?;
                (
                    format!("Deactivated {id}: its items are available again."),
                    edited.account,
                    edited.trust,
                )
            }
            AccountAction::Upgrade { parts, all, mirror } => {
                let edited = account::edit(&path, &signer, |a| a.upgrade(&parts, all, mirror)).map_err(e)?;
                let outcome = &edited.value;
                let mut m = format!(
                    "Upgraded {} to 4.0.",
                    crate::core::text::count(outcome.upgraded.len(), "part", "parts")
                );
                if !outcome.regenerate.is_empty() {
                    m.push_str(&format!(
                        " Regenerate {} to carry the new version.",
                        outcome.regenerate.join(", ")
                    ));
                }
                self.upgrade_selected.clear();
                (m, edited.account, edited.trust)
            }
            AccountAction::Generate(form) => {
                let key_path = PathBuf::from(self.sign_key.trim());
                let inputs: Vec<&Path> = if key_path.as_os_str().is_empty() {
                    Vec::new()
                } else {
                    vec![&key_path]
                };
                self.refused_to_request = None;
                let g = match generate(&path, &signer, &form, today, &inputs) {
                    Ok(g) => g,
                    Err(err) => {
                        // What only Genesys Licensing generates: offer the
                        // request tool, with the refusal as the question.
                        if let AccountError::Refused(r) = &err
                            && r.points_to_request_tool()
                        {
                            self.refused_to_request = Some(r.to_string());
                            return Err(AccountViewError::ToRequestTool(err));
                        }
                        return Err(AccountViewError::Change(err));
                    }
                };
                let words = if g.license.signature.is_demo() {
                    " (a DEMO license)"
                } else {
                    ""
                };
                // A new activation file starts from an empty form (the same
                // path would replace the license just written).
                self.form.units.clear();
                self.form.out.clear();
                let notes: String = g.drawn.notes.iter().map(|n| format!(" — {n}")).collect();
                (
                    format!(
                        "Generated {}: wrote {}{words}{notes}",
                        g.drawn.activation_id,
                        g.out.display()
                    ),
                    g.drawn.account,
                    g.trust,
                )
            }
            AccountAction::AddSite(site) => {
                let edited = account::edit(&path, &signer, |a| a.add_site(*site)).map_err(e)?;
                let name = edited.value.name.clone();
                (format!("Added install site {name}."), edited.account, edited.trust)
            }
            AccountAction::EditSite { name, change } => {
                let edited = account::edit(&path, &signer, |a| a.edit_site(&name, &change)).map_err(e)?;
                let site = &edited.value;
                let m = format!(
                    "Saved install site {}{}.",
                    site.name,
                    if site.active { "" } else { " (not active)" }
                );
                if self.site.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(&name)) {
                    self.site = Some(site.name.clone());
                }
                if self.form.install_site.eq_ignore_ascii_case(&name) {
                    self.form.install_site = site.name.clone();
                }
                (m, edited.account, edited.trust)
            }
            AccountAction::SaveRequest { .. } => return Ok(String::new()),
        };
        let mut message = message;
        if status.allowed_unsigned {
            message.push_str(" The account was not vouched for and stays unsigned.");
        }
        // What is on disk now, as a later open would see it.
        let trust_now = account::load(&path, &self.store(trust))
            .map(|(_, t)| t)
            .unwrap_or(status);
        self.open = Some(OpenAccount {
            path,
            account: acct,
            trust: AccountTrust {
                allowed_unsigned: false,
                ..trust_now
            },
        });
        self.allow_unsigned = false;
        Ok(message)
    }

    /// Reads the open account's status again (the signing key changed: a
    /// key trusted now may vouch for it).
    fn recheck(&mut self, trust: &TrustStore) {
        let store = self.store(trust);
        if let Some(open) = &mut self.open
            && let Ok((_, t)) = account::load(&open.path, &store)
        {
            open.trust = t;
        }
    }

    /// Draws the view; returns what the user asked for.
    pub fn draw(&mut self, ui: &mut egui::Ui, locked: bool) -> Option<AccountAction> {
        let mut action = None;
        let mut ask = None;
        ui.horizontal(|ui| {
            ui.heading("Account");
            crate::ui::a11y::right_aligned(ui, egui::Id::unique("account-actions"), |ui| {
                if ui.button("Open Account…").clicked() {
                    action = Some(AccountAction::Open);
                }
            });
        });
        if self.open.is_some() {
            // The tool's page links to its request tool above the tabs.
            ui.horizontal_wrapped(|ui| {
                if ui
                    .link("Activation File Related Question")
                    .on_hover_text(
                        "Opens the request tool to ask a license-related question or request an activation file",
                    )
                    .clicked()
                {
                    ask = Some((RequestType::Question, None));
                }
                ui.separator();
                if ui
                    .link("Third-Party Activation File Request")
                    .on_hover_text("Opens the request tool to submit a third-party license request")
                    .clicked()
                {
                    ask = Some((RequestType::ActivationFile, Some(Category::ThirdParty)));
                }
            });
        }
        if let Some((kind, category)) = ask {
            self.open_request(kind, category, None);
        }
        ui.separator();
        // Taken out for the frame and put back below, so the tabs can borrow
        // `self` mutably without a copy of the whole account per frame.
        let Some(open) = self.open.take() else {
            ui.label(
                "No account is open. An account lists the items your organisation ordered and the activation \
                 files generated from them, as the Activation File Management Tool shows them.",
            );
            ui.label("Open one with File › Open Account…");
            return action;
        };
        let (path, acct) = (&open.path, &open.account);
        // One page that scrolls as a whole, as the tool's web page does: at
        // a small window (or 150 %) the account's rows and the tabs take
        // half the height, and a tab scrolling on its own would get the rest
        // only. Both ways: the summary is wider than a small window.
        egui::ScrollArea::both()
            .id_salt("account-page")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // Wrapped: a row wider than the window would widen the view.
                ui.horizontal_wrapped(|ui| {
                    ui.strong("Account Name:");
                    ui.label(&acct.account);
                    ui.separator();
                    ui.strong("Support Option:");
                    ui.label(if acct.support_option.is_empty() {
                        "Unknown"
                    } else {
                        &acct.support_option
                    });
                    ui.separator();
                    let name = path
                        .file_name()
                        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
                    ui.weak(name).on_hover_text(path.display().to_string());
                });
                if let Some(a) = self.trust_row(ui, &open.trust, locked) {
                    action = Some(a);
                }
                let unsigned_here = !locked && !self.can_sign(&open.trust);
                if unsigned_here {
                    ui.weak("Give the Signing key file to change the account.");
                }
                let locked = locked || unsigned_here;
                ui.horizontal_wrapped(|ui| {
                    for tab in AccountTab::ALL {
                        ui.selectable_value(&mut self.tab, tab, tab.label());
                    }
                });
                ui.separator();
                if locked {
                    ui.weak("Read-only: the account can be viewed but not changed.");
                }
                let asked = match self.tab {
                    AccountTab::Summary => {
                        self.summary_tab(ui, acct);
                        None
                    }
                    AccountTab::Activity => self.activity_tab(ui, acct, locked),
                    AccountTab::Upgrade => self.upgrade_tab(ui, acct, locked),
                    AccountTab::NewFile => self.new_file_tab(ui, acct, locked),
                    AccountTab::InstallSites => self.sites_tab(ui, acct, locked),
                    AccountTab::Request => self.request_tab(ui),
                };
                action = action.take().or(asked);
            });
        self.open = Some(open);
        action
    }

    /// The account's signature status (when nobody real vouches for it)
    /// and the key that signs changes.
    /// Returns `KeyChanged` once the key field is left with a new key (the
    /// account's status is read again: that key may vouch for it).
    fn trust_row(&mut self, ui: &mut egui::Ui, trust: &AccountTrust, locked: bool) -> Option<AccountAction> {
        let mut action = None;
        if let Some(banner) = trust.banner() {
            let colour = match trust.status {
                AccountStatus::Demo => widgets::warning_amber(ui),
                _ => ui.visuals().error_fg_color,
            };
            // Wrapped: at 150 % the line is wider than the window.
            ui.add(egui::Label::new(egui::RichText::new(banner).color(colour)).wrap());
            if !trust.vouched() && !locked {
                ui.checkbox(
                    &mut self.allow_unsigned,
                    "Change this account anyway (it stays unsigned, and every message says so)",
                );
            }
        }
        if !locked {
            ui.horizontal_wrapped(|ui| {
                let l = ui.label("Signing key file:");
                let hint = if trust.status == AccountStatus::Demo {
                    "the public demo key"
                } else {
                    "/path/to/issuer.key"
                };
                let r = crate::ui::widgets::field(
                    ui,
                    egui::TextEdit::singleline(&mut self.sign_key)
                        .hint_text(hint)
                        .desired_width(320.0),
                )
                .labelled_by(l.id)
                .on_hover_text("The issuer private key: it signs the account and the licenses generated from it");
                let key = crate::ui::files::Pick::Open("Issuer key", &["key"]);
                let browsed = self
                    .browse_key
                    .button(ui, "the signing key file", key, &mut self.sign_key);
                if (browsed || r.lost_focus()) && self.sign_key != self.checked_key {
                    self.checked_key = self.sign_key.clone();
                    action = Some(AccountAction::KeyChanged);
                }
            });
        }
        action
    }

    /// Can a change be signed now (a key given, or the demo account's)?
    fn can_sign(&self, trust: &AccountTrust) -> bool {
        !self.sign_key.trim().is_empty() || trust.status == AccountStatus::Demo
    }
}

/// The license types the tool's lists offer.
const LEVELS: [Level; 5] = [
    Level::Production,
    Level::DevelopmentSmall,
    Level::DevelopmentLarge,
    Level::Trial,
    Level::Evaluation,
];

/// Generates the license from the form through the core's transaction
/// (the license is written, the account records it, or neither).
fn generate(
    path: &Path,
    signer: &Signer<'_>,
    form: &NewFileForm,
    today: NaiveDate,
    inputs: &[&Path],
) -> Result<account::Generated, AccountError> {
    let order = Order {
        level: form.level,
        product_version: form.product_version.trim().to_string(),
        host_id: form.host_id.trim().to_string(),
        machine: form.machine.trim().to_string(),
        install_site: form.install_site.clone(),
        generated: today,
        parts: if form.non_ordered {
            Vec::new()
        } else {
            form.server
                .iter()
                .map(|p| (p, 1))
                .chain(form.units.iter().map(|(p, n)| (p, *n)))
                .filter(|(_, n)| *n > 0)
                .map(|(p, n)| Quantity {
                    name: p.clone(),
                    assigned: u64::try_from(n).unwrap_or(0),
                    pooled: 0,
                })
                .collect()
        },
        partner_development: form.non_ordered && form.level.is_development(),
        ..Order::default()
    };
    let out = PathBuf::from(form.out.trim());
    account::generate(path, signer, &order, None, &out, inputs)
}
