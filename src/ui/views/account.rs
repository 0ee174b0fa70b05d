//! Account: the Activation File Management Tool's account as its tabs show
//! it — Account Summary (Total / Used / Available), Activation File
//! Activity (with Deactivate), Upgrade Software and New Activation File.
//! The view keeps the open account; changes go out as `Action::Account` and
//! come back through `apply`, which locks, re-reads and writes the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::core::account::{self, Account, AccountStatus, AccountTrust, Signer};
use crate::core::license::generate::{Order, Quantity};
use crate::core::license::signing::IssuerKey;
use crate::core::license::{Level, TrustStore};
use crate::ui::widgets;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountTab {
    #[default]
    Summary,
    Activity,
    Upgrade,
    NewFile,
}

impl AccountTab {
    const ALL: [AccountTab; 4] = [
        AccountTab::Summary,
        AccountTab::Activity,
        AccountTab::Upgrade,
        AccountTab::NewFile,
    ];
    fn label(self) -> &'static str {
        match self {
            AccountTab::Summary => "Account Summary",
            AccountTab::Activity => "Activation File Activity",
            AccountTab::Upgrade => "Upgrade Software",
            AccountTab::NewFile => "New Activation File",
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
}

/// The New Activation File form.
#[derive(Debug, Clone)]
pub struct NewFileForm {
    pub install_site: String,
    pub level: Level,
    pub product_version: String,
    pub host_id: String,
    pub machine: String,
    /// Units to use per part number.
    pub units: BTreeMap<String, i64>,
    pub out: String,
}

impl Default for NewFileForm {
    fn default() -> Self {
        NewFileForm {
            install_site: String::new(),
            level: Level::Production,
            product_version: "2020 R2".into(),
            host_id: String::new(),
            machine: String::new(),
            units: BTreeMap::new(),
            out: String::new(),
        }
    }
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
        if let Some(site) = acct.install_sites().into_iter().next() {
            self.form.install_site = site;
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
                let g = generate(&path, &signer, &form, today, &inputs)?;
                let words = if g.license.signature.is_demo() {
                    " (a DEMO license)"
                } else {
                    ""
                };
                // A new activation file starts from an empty form (the same
                // path would replace the license just written).
                self.form.units.clear();
                self.form.out.clear();
                (
                    format!("Generated {}: wrote {}{words}", g.drawn.activation_id, g.out.display()),
                    g.drawn.account,
                    g.trust,
                )
            }
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
        ui.horizontal(|ui| {
            ui.heading("Account");
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Open Account…").clicked() {
                    action = Some(AccountAction::Open);
                }
            });
        });
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
        ui.horizontal(|ui| {
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
        ui.horizontal(|ui| {
            for tab in AccountTab::ALL {
                ui.selectable_value(&mut self.tab, tab, tab.label());
            }
        });
        ui.separator();
        if locked {
            ui.weak("Read-only: the account can be viewed but not changed.");
        }
        // Both ways: at 150 % the summary is wider than the window.
        egui::ScrollArea::both()
            .id_salt("account-tab")
            .auto_shrink([false, false])
            .show(ui, |ui| match self.tab {
                AccountTab::Summary => self.summary_tab(ui, acct),
                AccountTab::Activity => action = action.take().or(self.activity_tab(ui, acct, locked)),
                AccountTab::Upgrade => action = action.take().or(self.upgrade_tab(ui, acct, locked)),
                AccountTab::NewFile => action = action.take().or(self.new_file_tab(ui, acct, locked)),
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
                let r = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.sign_key)
                            .hint_text(hint)
                            .desired_width(320.0),
                    )
                    .labelled_by(l.id)
                    .on_hover_text("The issuer private key: it signs the account and the licenses generated from it");
                if r.lost_focus() && self.sign_key != self.checked_key {
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

    fn activity_tab(&mut self, ui: &mut egui::Ui, acct: &Account, locked: bool) -> Option<AccountAction> {
        let mut action = None;
        self.site_filter(ui, acct);
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
                for f in acct.activation_files.iter().filter(|f| {
                    self.site
                        .as_deref()
                        .is_none_or(|s| f.install_site.eq_ignore_ascii_case(s))
                }) {
                    ui.monospace(&f.id);
                    ui.label(f.generated.to_string());
                    ui.label(f.expires.to_string());
                    ui.label(if f.active { "Yes" } else { "No" });
                    ui.label(&f.install_site);
                    ui.label(&f.generated_by);
                    ui.label(&f.machine);
                    ui.label(&f.product);
                    ui.label(Level::parse(&f.level).map_or_else(|| f.level.clone(), |l| l.label().to_string()));
                    let items: Vec<String> = f
                        .items
                        .iter()
                        .map(|i| format!("{} ({})", i.part_number, i.quantity))
                        .collect();
                    ui.label(crate::core::text::count(items.len(), "item", "items"))
                        .on_hover_text(items.join("\n"));
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
        let f = &mut self.form;
        egui::Grid::new("account-new-file").num_columns(2).show(ui, |ui| {
            let label = ui.label("Install Site:");
            egui::ComboBox::from_id_salt("new-file-site")
                .selected_text(f.install_site.as_str())
                .show_ui(ui, |ui| {
                    for s in acct.install_sites() {
                        ui.selectable_value(&mut f.install_site, s.clone(), s);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.end_row();
            let label = ui.label("License Type:");
            egui::ComboBox::from_id_salt("new-file-level")
                .selected_text(f.level.label())
                .show_ui(ui, |ui| {
                    for l in [
                        Level::Production,
                        Level::DevelopmentSmall,
                        Level::DevelopmentLarge,
                        Level::Trial,
                        Level::Evaluation,
                    ] {
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
                ("Save license as:", &mut f.out),
            ] {
                let l = ui.label(label);
                ui.text_edit_singleline(value).labelled_by(l.id);
                ui.end_row();
            }
        });
        ui.add_space(6.0);
        ui.strong("Ordered items to use");
        let rows = acct.summary(Some(&f.install_site));
        egui::Grid::new("new-file-items").striped(true).show(ui, |ui| {
            for h in ["Part Number", "Description", "Total", "Used", "Available", "Use"] {
                ui.strong(h);
            }
            ui.end_row();
            for r in &rows {
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
        let any = f.units.values().any(|n| *n > 0);
        let ready = any && !f.host_id.trim().is_empty() && !f.out.trim().is_empty();
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
        ui.horizontal(|ui| {
            if ui
                .add_enabled(ready && !locked, egui::Button::new("Generate"))
                .clicked()
            {
                if crate::core::fs::exists(Path::new(f.out.trim())) {
                    self.confirm_overwrite = Some(Box::new(f.clone()));
                } else {
                    action = Some(AccountAction::Generate(Box::new(f.clone())));
                }
            }
            if !ready {
                ui.weak("Choose units, the Host Id, the signing key and where to save the license.");
            }
        });
        action
    }
}

/// Generates the license from the form through the core's transaction
/// (the license is written, the account records it, or neither).
fn generate(
    path: &Path,
    signer: &Signer<'_>,
    form: &NewFileForm,
    today: NaiveDate,
    inputs: &[&Path],
) -> Result<account::Generated, String> {
    let order = Order {
        level: form.level,
        product_version: form.product_version.trim().to_string(),
        host_id: form.host_id.trim().to_string(),
        machine: form.machine.trim().to_string(),
        switchover: None,
        system_type: "Media Server Based".into(),
        mail_connector: "Microsoft Exchange Server".into(),
        company: String::new(),
        install_site: form.install_site.clone(),
        generated_by: "ia-licensing".into(),
        generated: today,
        expires: None,
        parts: form
            .units
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(p, n)| Quantity {
                name: p.clone(),
                assigned: u64::try_from(*n).unwrap_or(0),
                pooled: 0,
            })
            .collect(),
        licenses: Vec::new(),
        features: Vec::new(),
        ramp_date: None,
        grace_days: None,
        partner_development: false,
    };
    let out = PathBuf::from(form.out.trim());
    account::generate(path, signer, &order, None, &out, inputs).map_err(|e| e.to_string())
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
