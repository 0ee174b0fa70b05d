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

/// Install Site Details, open for a new site (`editing: None`) or an edit.
#[derive(Debug, Clone)]
struct SiteDialog {
    editing: Option<String>,
    site: InstallSite,
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
    /// Install Sites: the Active filter (`None`: -- ALL --) and the details
    /// dialog.
    sites_active: Option<bool>,
    site_dialog: Option<SiteDialog>,
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
    pub fn open_path(&mut self, path: &Path, trust: &TrustStore) -> Result<(), String> {
        let store = self.store(trust);
        let (acct, status) = account::load(path, &store).map_err(|e| e.to_string())?;
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
        self.site_dialog = None;
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
    fn signing_key(&self, status: AccountStatus) -> Result<IssuerKey, String> {
        let given = self.sign_key.trim();
        if given.is_empty() {
            if status == AccountStatus::Demo {
                return crate::core::license::signing::demo_issuer_key().map_err(|e| e.to_string());
            }
            return Err("Give the issuer key that signs the account (Signing key file) first.".into());
        }
        IssuerKey::from_path(Path::new(given)).map_err(|e| e.to_string())
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
    pub fn apply(&mut self, action: AccountAction, today: NaiveDate, trust: &TrustStore) -> Result<String, String> {
        let Some(open) = &self.open else {
            return Err("Open an account first (File › Open Account…).".into());
        };
        if matches!(action, AccountAction::Open) {
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
        let e = gui_words;
        let (message, acct, status) = match action {
            AccountAction::Open | AccountAction::KeyChanged => return Ok(String::new()),
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
                            return Err(format!(
                                "{err}. The New Activation File tab opens the request tool with this refusal \
                                 filled in."
                            ));
                        }
                        return Err(gui_words(err));
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
                self.site_dialog = None;
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
                self.site_dialog = None;
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

    /// Saves the request tool's form through the core (checked as the form
    /// checks it; FILE.json and FILE.txt, never over the account or the key).
    fn save_request(&mut self, form: &RequestForm, out: &str) -> Result<String, String> {
        let Some(open) = &self.open else {
            return Err("Open an account first (File › Open Account…).".into());
        };
        let checked = form.check().map_err(|e| e.to_string())?;
        let out = out.trim();
        if out.is_empty() {
            return Err("Give the file to save the request as (Save request as).".into());
        }
        let key = PathBuf::from(self.sign_key.trim());
        let mut inputs: Vec<&Path> = vec![&open.path];
        if !key.as_os_str().is_empty() {
            inputs.push(&key);
        }
        let txt =
            request::save(&checked, &open.account, &open.trust, Path::new(out), &inputs).map_err(|e| e.to_string())?;
        self.request.tried = false;
        Ok(format!(
            "Saved the request as {out} and {} (a draft: nothing was sent; submit it with the Genesys Activation \
             File Request Tool)",
            txt.display()
        ))
    }

    /// Opens the request tool's tab set for a kind of request: the AFMT
    /// page's "Activation File Related Question", "Third-Party Activation
    /// File Request", or a refusal of New Activation File.
    pub fn open_request(&mut self, kind: RequestType, category: Option<Category>, description: Option<String>) {
        self.tab = AccountTab::Request;
        self.request.request_type = Some(kind);
        self.request.form.category = category;
        if let Some(d) = description
            && self.request.form.description.trim().is_empty()
        {
            self.request.form.description = d;
        }
        if let Some(open) = &self.open {
            for (field, value) in [
                (&mut self.request.form.end_user_account, &open.account.account),
                (&mut self.request.form.sold_to, &open.account.account),
            ] {
                if field.trim().is_empty() {
                    field.clone_from(value);
                }
            }
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

    fn site_filter(&mut self, ui: &mut egui::Ui, acct: &Account) {
        ui.horizontal(|ui| {
            let label = ui.label("Install Site:");
            egui::ComboBox::from_id_salt("account-site")
                .selected_text(self.site.as_deref().unwrap_or("All Install Sites"))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.site, None, "All Install Sites");
                    for s in acct.install_sites() {
                        ui.selectable_value(&mut self.site, Some(s.clone()), s);
                    }
                })
                .response
                .labelled_by(label.id);
        });
    }

    fn summary_tab(&mut self, ui: &mut egui::Ui, acct: &Account) {
        self.site_filter(ui, acct);
        let rows = acct.summary(self.site.as_deref());
        ui.label(format!("Number of Total Results # {}", rows.len()));
        {
            egui::Grid::new("account-summary-grid").striped(true).show(ui, |ui| {
                for h in [
                    "Part Number",
                    "Product Category",
                    "Description",
                    "Total",
                    "Used",
                    "Available",
                ] {
                    ui.strong(h);
                }
                ui.end_row();
                for r in &rows {
                    ui.monospace(&r.part_number);
                    ui.label(&r.product_category);
                    ui.label(&r.description);
                    ui.label(r.total.to_string());
                    ui.label(r.used.to_string());
                    ui.label(r.available.to_string());
                    ui.end_row();
                }
            });
        }
    }

    /// Activation File Activity's filters, as the seed's table lists them;
    /// returns the filter (a date that does not read is said and ignored).
    fn activity_filters(&mut self, ui: &mut egui::Ui, acct: &Account) -> ActivityFilter {
        let mut problems = Vec::new();
        let mut clear = false;
        let site = &mut self.site;
        let b = &mut self.activity;
        // Three filters a row, label then box, as the tool lays them out.
        egui::Grid::new("activity-filters").num_columns(6).show(ui, |ui| {
            let l = ui.label("Install Site:");
            egui::ComboBox::from_id_salt("activity-site")
                .selected_text(site.as_deref().unwrap_or("All Install Sites"))
                .show_ui(ui, |ui| {
                    ui.selectable_value(site, None, "All Install Sites");
                    for s in acct.install_sites() {
                        ui.selectable_value(site, Some(s.clone()), s);
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("Active:");
            egui::ComboBox::from_id_salt("activity-active")
                .selected_text(b.active.label())
                .show_ui(ui, |ui| {
                    for a in ActiveFilter::ALL {
                        ui.selectable_value(&mut b.active, a, a.label());
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("Generated By:");
            crate::ui::widgets::field(ui, egui::TextEdit::singleline(&mut b.generated_by).desired_width(130.0))
                .labelled_by(l.id);
            ui.end_row();
            for (label, text) in [
                ("Generation Date (>=):", &mut b.from),
                ("Generation Date (<=):", &mut b.to),
            ] {
                let l = ui.label(label);
                crate::ui::widgets::field(
                    ui,
                    egui::TextEdit::singleline(text)
                        .hint_text("YYYY-MM-DD")
                        .desired_width(130.0),
                )
                .labelled_by(l.id);
            }
            let l = ui.label("Machine Name:");
            crate::ui::widgets::field(ui, egui::TextEdit::singleline(&mut b.machine).desired_width(130.0))
                .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Product Line:");
            egui::ComboBox::from_id_salt("activity-product")
                .selected_text(b.product_line.as_deref().unwrap_or("-- ALL --"))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut b.product_line, None, "-- ALL --");
                    for p in acct.product_lines() {
                        ui.selectable_value(&mut b.product_line, Some(p.clone()), p);
                    }
                })
                .response
                .labelled_by(l.id);
            let l = ui.label("License Type:");
            egui::ComboBox::from_id_salt("activity-type")
                .selected_text(b.license_type.map_or("-- ALL --", Level::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut b.license_type, None, "-- ALL --");
                    for level in LEVELS {
                        ui.selectable_value(&mut b.license_type, Some(level), level.label());
                    }
                })
                .response
                .labelled_by(l.id);
            clear = ui.button("Clear Filters").clicked();
            ui.end_row();
        });
        if clear {
            *b = ActivityBoxes::default();
            *site = None;
        }
        let b = &self.activity;
        let mut date = |label: &str, text: &str| -> Option<NaiveDate> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            let d = crate::core::dates::parse_form_date(t).ok();
            if d.is_none() {
                problems.push(format!(
                    "{label} `{t}` is not a date (YYYY-MM-DD or M/D/YYYY): it is not applied"
                ));
            }
            d
        };
        let filter = ActivityFilter {
            install_site: self.site.clone(),
            generated_from: date("Generation Date (>=)", &b.from),
            generated_to: date("Generation Date (<=)", &b.to),
            active: b.active,
            product_line: b.product_line.clone(),
            license_type: b.license_type.map(|l| l.code().to_string()),
            generated_by: Some(b.generated_by.clone()),
            machine: Some(b.machine.clone()),
        };
        for p in problems {
            ui.colored_label(widgets::error_red(ui), p);
        }
        filter
    }

    fn activity_tab(&mut self, ui: &mut egui::Ui, acct: &Account, locked: bool) -> Option<AccountAction> {
        let mut action = None;
        let filter = self.activity_filters(ui, acct);
        let files: Vec<&account::ActivationFile> = acct.activity(&filter).collect();
        ui.label(format!("Number of Total Results # {}", files.len()));
        if let Some(id) = self.confirm_deactivate.clone() {
            ui.horizontal(|ui| {
                ui.colored_label(
                    widgets::warning_amber(ui),
                    format!("Deactivate {id}? The license stops counting and its items are available again."),
                );
                if ui.button("Deactivate").clicked() {
                    action = Some(AccountAction::Deactivate(id.clone()));
                    self.confirm_deactivate = None;
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    self.confirm_deactivate = None;
                }
            });
        }
        {
            egui::Grid::new("account-activity-grid").striped(true).show(ui, |ui| {
                for h in [
                    "ID",
                    "Generated Date",
                    "Expiration Date",
                    "Active",
                    "Install Site",
                    "Generated By",
                    "Machine",
                    "Product",
                    "Type",
                    "Items",
                    "Actions",
                ] {
                    ui.strong(h);
                }
                ui.end_row();
                for f in files {
                    ui.monospace(&f.id);
                    ui.label(f.generated.to_string());
                    ui.label(f.expires.to_string());
                    ui.label(if f.active { "Yes" } else { "No" });
                    ui.label(&f.install_site);
                    ui.label(&f.generated_by);
                    ui.label(&f.machine);
                    ui.label(&f.product);
                    ui.label(Level::parse(&f.level).map_or_else(|| f.level.clone(), |l| l.label().to_string()));
                    if f.non_ordered {
                        ui.label("Non-ordered")
                            .on_hover_text("A partner's non-ordered development license: it drew nothing");
                    } else {
                        let items: Vec<String> = f
                            .items
                            .iter()
                            .map(|i| {
                                let q = usize::try_from(i.quantity).unwrap_or(0);
                                format!("{} ({})", i.part_number, crate::core::text::thousands(q))
                            })
                            .collect();
                        ui.label(crate::core::text::count(items.len(), "item", "items"))
                            .on_hover_text(items.join("\n"));
                    }
                    ui.horizontal(|ui| {
                        let can = f.active && !locked;
                        if ui
                            .add_enabled(can, egui::Button::new("Deactivate"))
                            .on_hover_text("Deactivate: the number of lines and workstations are available again")
                            .clicked()
                        {
                            self.confirm_deactivate = Some(f.id.clone());
                        }
                    });
                    ui.end_row();
                }
            });
        }
        action
    }

    fn upgrade_tab(&mut self, ui: &mut egui::Ui, acct: &Account, locked: bool) -> Option<AccountAction> {
        let mut action = None;
        let options = acct.upgrade_options();
        ui.strong("Parts with Upgrade Options");
        if options.is_empty() {
            ui.label("No part of this account has an upgrade option.");
        } else {
            let mirroring = options.iter().any(|o| o.mirroring_available);
            if mirroring {
                ui.label("Mirroring is available: you must upgrade all products with the upgrade option.");
            } else {
                ui.label("You can select individual products to upgrade.");
            }
            ui.checkbox(&mut self.mirror, "Mirror 3.0 -> 4.0").on_hover_text(
                "By selecting this checkbox, annual support renewal will be charged on the most recent software \
                 version of products.",
            );
            egui::Grid::new("account-upgrades").striped(true).show(ui, |ui| {
                for h in [
                    "",
                    "Part Number",
                    "Product Category",
                    "Description",
                    "Upgrade Options",
                    "Mirroring Available",
                    "Upgrade Quantity",
                ] {
                    ui.strong(h);
                }
                ui.end_row();
                for o in &options {
                    let mut on = mirroring || self.upgrade_selected.contains(&o.part_number);
                    let changed = ui
                        .add_enabled(!mirroring, egui::Checkbox::without_text(&mut on))
                        .on_hover_text(format!("Upgrade {}", o.part_number))
                        .changed();
                    if changed {
                        self.upgrade_selected.retain(|p| p != &o.part_number);
                        if on {
                            self.upgrade_selected.push(o.part_number.clone());
                        }
                    }
                    ui.monospace(&o.part_number);
                    ui.label(&o.product_category);
                    ui.label(&o.description);
                    ui.label(format!("3.0 -> 4.0 ({})", o.upgrades_to));
                    ui.label(if o.mirroring_available { "Yes" } else { "No" });
                    ui.label(format!("{0} of {0}", o.quantity));
                    ui.end_row();
                }
            });
            let any = mirroring || !self.upgrade_selected.is_empty();
            if let Some((parts, all, mirror)) = self.confirm_upgrade.clone() {
                let n = if all { options.len() } else { parts.len() };
                ui.horizontal_wrapped(|ui| {
                    ui.colored_label(
                        widgets::warning_amber(ui),
                        format!(
                            "Upgrade {} to 4.0? Activation files that use them must be regenerated.",
                            crate::core::text::count(n, "part", "parts")
                        ),
                    );
                    if ui.button("Upgrade").clicked() {
                        action = Some(AccountAction::Upgrade { parts, all, mirror });
                        self.confirm_upgrade = None;
                    }
                    if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                        self.confirm_upgrade = None;
                    }
                });
            } else if ui
                .add_enabled(any && !locked, egui::Button::new("Upgrade Selected"))
                .clicked()
            {
                self.confirm_upgrade = Some((self.upgrade_selected.clone(), mirroring, self.mirror));
            }
        }
        ui.add_space(8.0);
        ui.strong("Parts without Upgrade Options");
        egui::Grid::new("account-no-upgrades").striped(true).show(ui, |ui| {
            for h in ["Part Number", "Product Category", "Description", "Quantity"] {
                ui.strong(h);
            }
            ui.end_row();
            for r in acct.parts_without_upgrade() {
                ui.monospace(&r.part_number);
                ui.label(&r.product_category);
                ui.label(&r.description);
                ui.label(r.total.to_string());
                ui.end_row();
            }
        });
        action
    }

    fn new_file_tab(&mut self, ui: &mut egui::Ui, acct: &Account, locked: bool) -> Option<AccountAction> {
        let mut action = None;
        let mut ask = None;
        if let Some(why) = self.refused_to_request.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(widgets::warning_amber(ui), &why);
                if ui.button("Open the Genesys Activation File Request Tool").clicked() {
                    ask = Some(why.clone());
                }
            });
            ui.add_space(4.0);
        }
        let sites = acct.site_rows();
        let (f, browse) = (&mut self.form, &mut self.browse_license);
        egui::Grid::new("account-new-file").num_columns(2).show(ui, |ui| {
            let label = ui.label("Install Site:");
            egui::ComboBox::from_id_salt("new-file-site")
                .selected_text(f.install_site.as_str())
                .show_ui(ui, |ui| {
                    for s in &sites {
                        let text = if s.active {
                            s.name.clone()
                        } else {
                            format!("{} (not active)", s.name)
                        };
                        ui.selectable_value(&mut f.install_site, s.name.clone(), text);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("License Type:");
            egui::ComboBox::from_id_salt("new-file-level")
                .selected_text(f.level.label())
                .show_ui(ui, |ui| {
                    for l in LEVELS {
                        ui.selectable_value(&mut f.level, l, l.label());
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            for (label, value) in [
                ("Product Version:", &mut f.product_version),
                ("Host Id *", &mut f.host_id),
                ("Machine Name *", &mut f.machine),
            ] {
                let l = ui.label(label);
                crate::ui::widgets::field(ui, egui::TextEdit::singleline(value)).labelled_by(l.id);
                ui.end_row();
            }
            let l = ui.label("Save license as:");
            ui.horizontal(|ui| {
                crate::ui::widgets::field(ui, egui::TextEdit::singleline(&mut f.out)).labelled_by(l.id);
                let license = crate::ui::files::Pick::Save("License file", &["I3Lic"]);
                browse.button(ui, "where to save the license", license, &mut f.out);
            });
            ui.end_row();
        });
        if sites
            .iter()
            .any(|s| !s.active && s.name.eq_ignore_ascii_case(&f.install_site))
        {
            ui.colored_label(
                widgets::warning_amber(ui),
                format!(
                    "Install site {} is not active: no activation file is generated for it (Install Sites › Edit, \
                     tick Active).",
                    f.install_site
                ),
            );
        }
        if f.level.is_development() {
            ui.checkbox(
                &mut f.non_ordered,
                "Non-ordered development license (certified partner: 30 days, draws nothing)",
            )
            .on_hover_text(
                "Certified partner employees can generate an unlimited number of 30-day non-ordered development \
                 licenses for any product and any configuration.",
            );
        } else {
            f.non_ordered = false;
        }
        let rows = acct.summary(Some(&f.install_site));
        let is_server = |part: &str| parts::lookup(part).is_some_and(|p| p.kind == PartKind::Server);
        if f.non_ordered {
            ui.weak(
                "A non-ordered development license draws nothing from the ordered items: it has all features and 8 \
                 or 30 of each Access and Session license.",
            );
        } else {
            ui.add_space(6.0);
            ui.strong("Select One Valid Server Item");
            if !rows.iter().any(|r| is_server(&r.part_number)) {
                ui.weak("This install site has no server item among its ordered items.");
            }
            egui::Grid::new("new-file-server").striped(true).show(ui, |ui| {
                for h in ["Part Number", "Description", "Total", "Used", "Available", "Use"] {
                    ui.strong(h);
                }
                ui.end_row();
                for r in rows.iter().filter(|r| is_server(&r.part_number)) {
                    ui.monospace(&r.part_number);
                    ui.label(&r.description);
                    ui.label(r.total.to_string());
                    ui.label(r.used.to_string());
                    ui.label(r.available.to_string());
                    let chosen = f.server.as_deref() == Some(r.part_number.as_str());
                    let name = format!("Use {}", r.part_number);
                    let resp = ui.add_enabled(r.available > 0, egui::RadioButton::new(chosen, ""));
                    resp.widget_info(|| {
                        egui::WidgetInfo::selected(egui::Role::RadioButton, r.available > 0, chosen, &name)
                    });
                    if resp.clicked() {
                        f.server = Some(r.part_number.clone());
                    }
                    ui.end_row();
                }
            });
            ui.add_space(6.0);
            ui.strong("Ordered items to use");
            egui::Grid::new("new-file-items").striped(true).show(ui, |ui| {
                for h in ["Part Number", "Description", "Total", "Used", "Available", "Use"] {
                    ui.strong(h);
                }
                ui.end_row();
                for r in rows.iter().filter(|r| !is_server(&r.part_number)) {
                    ui.monospace(&r.part_number);
                    ui.label(&r.description);
                    ui.label(r.total.to_string());
                    ui.label(r.used.to_string());
                    ui.label(r.available.to_string());
                    let n = f.units.entry(r.part_number.clone()).or_insert(0);
                    let name = format!("Use {}", r.part_number);
                    ui.add_enabled(r.available > 0, egui::DragValue::new(n).range(0..=r.available.max(0)))
                        .widget_info(|| egui::WidgetInfo::labeled(egui::Role::SpinButton, r.available > 0, &name));
                    ui.end_row();
                }
            });
        }
        if let Some(waiting) = self.confirm_overwrite.clone() {
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(
                    widgets::warning_amber(ui),
                    format!(
                        "{} already exists. Replace it with the new license?",
                        waiting.out.trim()
                    ),
                );
                if ui.button("Replace").clicked() {
                    action = Some(AccountAction::Generate(waiting.clone()));
                    self.confirm_overwrite = None;
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    self.confirm_overwrite = None;
                }
            });
            return action;
        }
        let f = &self.form;
        let mut missing = Vec::new();
        if f.host_id.trim().is_empty() {
            missing.push("the Host Id");
        }
        if f.machine.trim().is_empty() {
            missing.push("the Machine Name");
        }
        if !f.non_ordered && f.server.is_none() && !f.units.iter().any(|(p, n)| *n > 0 && is_server(p)) {
            missing.push("one valid server item");
        }
        if f.out.trim().is_empty() {
            missing.push("where to save the license");
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    missing.is_empty() && !locked,
                    egui::Button::new("Generate Activation File"),
                )
                .clicked()
            {
                if crate::core::fs::exists(Path::new(f.out.trim())) {
                    self.confirm_overwrite = Some(Box::new(f.clone()));
                } else {
                    action = Some(AccountAction::Generate(Box::new(f.clone())));
                }
            }
            if !missing.is_empty() {
                ui.weak(format!("Give {}.", missing.join(", ")));
            }
        });
        if let Some(why) = ask {
            let category = if why.contains("Subscription") || why.contains("Mixed Estate") {
                Some(Category::PayPerUse)
            } else {
                Some(Category::Genesys)
            };
            self.open_request(
                RequestType::ActivationFile,
                category,
                Some(format!("The Activation File Management Tool refused: {why}")),
            );
        }
        action
    }

    /// The Install Sites tab: the sites with their details, New Install
    /// Site and Edit (Install Site Details; clearing Active deactivates).
    fn sites_tab(&mut self, ui: &mut egui::Ui, acct: &Account, locked: bool) -> Option<AccountAction> {
        let mut action = None;
        let rows: Vec<InstallSite> = acct
            .site_rows()
            .into_iter()
            .filter(|r| self.sites_active.is_none_or(|a| r.active == a))
            .collect();
        ui.horizontal(|ui| {
            let l = ui.label("Active:");
            let word = |a: Option<bool>| match a {
                None => "-- ALL --",
                Some(true) => "Yes",
                Some(false) => "No",
            };
            egui::ComboBox::from_id_salt("sites-active")
                .selected_text(word(self.sites_active))
                .show_ui(ui, |ui| {
                    for a in [None, Some(true), Some(false)] {
                        ui.selectable_value(&mut self.sites_active, a, word(a));
                    }
                })
                .response
                .labelled_by(l.id);
            if ui.add_enabled(!locked, egui::Button::new("New Install Site")).clicked() {
                self.site_dialog = Some(SiteDialog {
                    editing: None,
                    site: InstallSite::named(""),
                });
            }
            ui.label(format!("Number of Total Results # {}", rows.len()));
        });
        egui::Grid::new("account-sites").striped(true).show(ui, |ui| {
            for h in [
                "Actions",
                "Name",
                "Address",
                "City",
                "State",
                "Country",
                "Postal Code",
                "Active",
            ] {
                ui.strong(h);
            }
            ui.end_row();
            for r in &rows {
                let edit = ui
                    .add_enabled(!locked, egui::Button::new("Edit"))
                    .on_hover_text(format!("Edit {}", r.name));
                // Read out as "Edit NAME": one Edit per row.
                let named = format!("Edit {}", r.name);
                edit.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, !locked, &named));
                if edit.clicked() {
                    self.site_dialog = Some(SiteDialog {
                        editing: Some(r.name.clone()),
                        site: r.clone(),
                    });
                }
                ui.label(&r.name);
                ui.label(r.address());
                ui.label(&r.city);
                ui.label(&r.state);
                ui.label(&r.country);
                ui.label(&r.postal_code);
                ui.label(if r.active { "Yes" } else { "No" });
                ui.end_row();
            }
        });
        let Some(dialog) = self.site_dialog.as_mut() else {
            return action;
        };
        // Install Site Details, a dialog box as in the tool: Enter saves,
        // Escape cancels.
        let mut close = false;
        widgets::modal("install-site-details").show(ui.ctx(), |ui| {
            ui.set_min_width(440.0);
            ui.heading("Install Site Details");
            if let Some(name) = &dialog.editing {
                ui.weak(format!("Editing {name}"));
            }
            let d = &mut dialog.site;
            egui::Grid::new("site-details").num_columns(2).show(ui, |ui| {
                for (label, value) in [
                    ("Name *", &mut d.name),
                    ("Address Line 1", &mut d.address_line_1),
                    ("Address Line 2", &mut d.address_line_2),
                    ("Address Line 3", &mut d.address_line_3),
                    ("City", &mut d.city),
                    ("State", &mut d.state),
                    ("Country", &mut d.country),
                    ("Postal Code", &mut d.postal_code),
                ] {
                    let l = ui.label(label);
                    let size = egui::vec2(300.0, ui.spacing().interact_size.y);
                    crate::ui::widgets::field_sized(ui, size, egui::TextEdit::singleline(value)).labelled_by(l.id);
                    ui.end_row();
                }
                ui.label("");
                ui.checkbox(&mut d.active, "Active")
                    .on_hover_text("To deactivate an install site, clear the Active check box");
                ui.end_row();
            });
            let problem = d.check().err();
            if let Some(p) = &problem {
                ui.colored_label(widgets::error_red(ui), p.to_string());
            }
            ui.horizontal(|ui| {
                let save = ui.add_enabled(problem.is_none() && !locked, egui::Button::new("Save"));
                if save.clicked() || (problem.is_none() && !locked && widgets::enter_pressed(ui)) {
                    action = Some(match &dialog.editing {
                        None => AccountAction::AddSite(Box::new(dialog.site.clone())),
                        Some(name) => {
                            let s = &dialog.site;
                            AccountAction::EditSite {
                                name: name.clone(),
                                change: Box::new(SiteChange {
                                    new_name: Some(s.name.clone()),
                                    address_line_1: Some(s.address_line_1.clone()),
                                    address_line_2: Some(s.address_line_2.clone()),
                                    address_line_3: Some(s.address_line_3.clone()),
                                    city: Some(s.city.clone()),
                                    state: Some(s.state.clone()),
                                    country: Some(s.country.clone()),
                                    postal_code: Some(s.postal_code.clone()),
                                    active: Some(s.active),
                                }),
                            }
                        }
                    });
                }
                if ui.button("Cancel").clicked() || ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                    close = true;
                }
            });
        });
        if close {
            self.site_dialog = None;
        }
        action
    }

    /// The Genesys Activation File Request Tool: Request Summary, the
    /// request details for an Activation File Request, Step 2's
    /// attachments, and Save (the form's checks, each naming its field,
    /// shown once Save is pressed).
    fn request_tab(&mut self, ui: &mut egui::Ui) -> Option<AccountAction> {
        let mut action = None;
        let r = &mut self.request;
        ui.strong("Welcome to the Genesys Activation File Request Tool");
        ui.label("Please use this tool to communicate with the Genesys Licensing Team about licensing-related issues.");
        ui.weak(
            "Nothing is sent from here: the request is saved as a file (JSON, and readable text) to submit with the \
             tool, which needs no logon credentials (https://genesys.secure.force.com/activationfile).",
        );
        ui.add_space(4.0);
        ui.strong("Step 1 – Complete Request Details: Request Summary");
        let f = &mut r.form;
        // Sized, not "desired": in a grid a box is never wider than its
        // column was the frame before, so it would stay narrow.
        let sized = |ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str, width: f32| {
            let l = ui.label(label);
            let size = egui::vec2(width, ui.spacing().interact_size.y);
            crate::ui::widgets::field_sized(ui, size, egui::TextEdit::singleline(value).hint_text(hint))
                .labelled_by(l.id);
        };
        let line =
            |ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str| sized(ui, label, value, hint, 220.0);
        egui::Grid::new("request-summary").num_columns(4).show(ui, |ui| {
            line(ui, "First Name", &mut f.first_name, "");
            line(ui, "Corporate Email", &mut f.email, "name@company.com");
            ui.end_row();
            line(ui, "Last Name", &mut f.last_name, "");
            line(ui, "Confirm Corporate Email", &mut f.confirm_email, "");
            ui.end_row();
            line(ui, "End User Account", &mut f.end_user_account, "");
            line(
                ui,
                "Additional Email Recipients",
                &mut f.recipients,
                "a@company.com, b@company.com",
            );
            ui.end_row();
            line(ui, "Sold To Account", &mut f.sold_to, "");
            line(ui, "Work Phone", &mut f.phone, "");
            ui.end_row();
            line(ui, "End User GARN", &mut f.garn, "");
            line(ui, "Employer", &mut f.employer, "");
            ui.end_row();
        });
        egui::Grid::new("request-type").num_columns(2).show(ui, |ui| {
            let l = ui.label("Request Type");
            egui::ComboBox::from_id_salt("request-type-box")
                .selected_text(r.request_type.map_or("--None--", RequestType::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut r.request_type, None, "--None--");
                    for t in RequestType::ALL {
                        ui.selectable_value(&mut r.request_type, Some(t), t.label());
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            if r.request_type == Some(RequestType::ActivationFile) {
                let l = ui.label("Activation File Category");
                egui::ComboBox::from_id_salt("request-category")
                    .selected_text(r.form.category.map_or("--None--", Category::label))
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut r.form.category, None, "--None--");
                        for c in Category::ALL {
                            ui.selectable_value(&mut r.form.category, Some(c), c.label());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Activation File Type");
                egui::ComboBox::from_id_salt("request-file-type")
                    .selected_text(if r.form.file_type.is_empty() {
                        "--None--"
                    } else {
                        r.form.file_type.as_str()
                    })
                    .show_ui(ui, |ui| {
                        ui.selectable_value(&mut r.form.file_type, String::new(), "--None--");
                        for t in request::FILE_TYPES {
                            ui.selectable_value(&mut r.form.file_type, (*t).to_string(), *t);
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
                ui.label("");
                ui.checkbox(&mut r.form.urgent, "Urgent")
                    .on_hover_text("Your request is urgent and requires immediate attention");
                ui.end_row();
            }
            let f = &mut r.form;
            sized(ui, "Subject", &mut f.subject, "", 480.0);
            ui.end_row();
            let l = ui.label("Description");
            crate::ui::widgets::field(
                ui,
                egui::TextEdit::multiline(&mut f.description)
                    .desired_rows(3)
                    .desired_width(480.0),
            )
            .labelled_by(l.id);
            ui.end_row();
            sized(ui, "Date Needed", &mut f.date_needed, "3/20/2019", 140.0);
            ui.end_row();
            let l = ui.label("Date Reasoning");
            crate::ui::widgets::field(
                ui,
                egui::TextEdit::multiline(&mut f.date_reasoning)
                    .desired_rows(2)
                    .desired_width(480.0),
            )
            .labelled_by(l.id);
            ui.end_row();
        });
        let activation = r.request_type == Some(RequestType::ActivationFile);
        if activation {
            ui.add_space(4.0);
            ui.strong("Request details");
            let d = &mut r.form.details;
            egui::Grid::new("request-details").num_columns(2).show(ui, |ui| {
                line(ui, "Primary MAC ID or Host ID", &mut d.host_id, "");
                ui.end_row();
                line(ui, "Backup MAC ID or Host ID", &mut d.backup_host_id, "");
                ui.end_row();
                line(
                    ui,
                    "Deployment Type",
                    &mut d.deployment_type,
                    "production, lab, test, …",
                );
                ui.end_row();
                line(
                    ui,
                    "Implementation Type",
                    &mut d.implementation_type,
                    "new deployment, upgrade, …",
                );
                ui.end_row();
                line(ui, "SO# or PO#", &mut d.order_number, "");
                ui.end_row();
                if r.form.category == Some(Category::ThirdParty) {
                    line(
                        ui,
                        "Third Party Activation File Type",
                        &mut d.third_party_type,
                        "Nuance, Zoom, …",
                    );
                    ui.end_row();
                }
                line(ui, "Please clarify your request", &mut d.clarify, "");
                ui.end_row();
            });
        }
        ui.add_space(4.0);
        ui.strong("Step 2 – Add Attachments");
        ui.label(
            "Please upload your Original Activation File (if applicable) and any other files that may be helpful in \
             the processing of your request.",
        );
        let l = ui.label("Files to attach (one name per line, the original activation file first):");
        crate::ui::widgets::field(
            ui,
            egui::TextEdit::multiline(&mut r.attachments)
                .desired_rows(2)
                .desired_width(480.0),
        )
        .labelled_by(l.id);
        ui.horizontal(|ui| {
            let l = ui.label("Save request as:");
            crate::ui::widgets::field(
                ui,
                egui::TextEdit::singleline(&mut r.out)
                    .hint_text("request.json")
                    .desired_width(320.0),
            )
            .labelled_by(l.id);
            let json = crate::ui::files::Pick::Save("Request", &["json"]);
            self.browse_request
                .button(ui, "where to save the request", json, &mut r.out);
        });
        // The form as the core checks it.
        let mut form = r.form.clone();
        form.request_type = r.request_type.unwrap_or(RequestType::Question);
        if !activation {
            form.category = None;
            form.file_type.clear();
            form.urgent = false;
            form.details = RequestDetails::default();
        } else if form.category != Some(Category::ThirdParty) {
            form.details.third_party_type.clear();
        }
        form.attachments = r.attachments.lines().map(str::to_string).collect();
        let mut problems: Vec<String> = Vec::new();
        if r.request_type.is_none() {
            problems.push(AfmtRefusal::RequestFieldRequired { field: "Request Type" }.to_string());
        }
        problems.extend(form.problems().iter().map(ToString::to_string));
        if r.out.trim().is_empty() {
            problems.push("Save request as: give the file to save the request in".into());
        }
        if ui.button("Save request").clicked() {
            r.tried = true;
            if problems.is_empty() {
                action = Some(AccountAction::SaveRequest {
                    form: Box::new(form),
                    out: r.out.clone(),
                });
            }
        }
        if r.tried {
            for p in &problems {
                ui.colored_label(widgets::error_red(ui), p);
            }
        }
        action
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

/// An account refusal in the words of this screen (the command line's
/// flags mean nothing here).
fn gui_words(e: account::AccountError) -> String {
    match e {
        account::AccountError::Untrusted { status, note } => format!(
            "The account is {status}{}. Nothing was changed. If you issued it, sign it again with your key; to use \
             it anyway, tick “Change this account anyway” (it then stays unsigned).",
            if note.is_empty() {
                String::new()
            } else {
                format!(" ({note})")
            }
        ),
        account::AccountError::OtherSigner { signed_by, .. } => format!(
            "The account is signed by the key “{signed_by}”: give that key as the Signing key file to change it."
        ),
        other => other.to_string(),
    }
}
