//! The one list of dialogs. Every modal the app can show has a kind here
//! (the match in `Modal::kind` makes a new modal name its kind), and every
//! kind can be opened on the demo data (`DialogKind::open_sample`), so the
//! keyboard, clipping and accessibility tests iterate every dialog the day
//! it exists.

use super::*;

/// A kind of dialog or message box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter)]
pub enum DialogKind {
    UserConfiguration,
    StationConfiguration,
    LicenseConfiguration,
    BulkChange,
    ConfirmRemove,
    CompareLicense,
    About,
    Error,
    Notice,
    UnsavedChanges,
    HeldChanges,
    ChooseFile,
    Overwrite,
    Recovery,
    ImportSite,
    SiteImportReport,
    ConfirmChanges,
    AppliedInPart,
    InstallSiteDetails,
    CloudWarning,
}

/// A window that floats beside the console (not modal) and can be in
/// front of it: while in front it owns the keyboard as a dialog does.
/// Every `egui::Window` the app draws has a kind here (a source rule
/// checks the titles), so the keyboard and clipping tests iterate them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::EnumIter)]
pub enum WindowKind {
    Help,
    Messages,
}

impl WindowKind {
    /// Every kind, in order.
    pub fn all() -> impl Iterator<Item = WindowKind> {
        <WindowKind as strum::IntoEnumIterator>::iter()
    }

    /// The window's title, as drawn.
    pub fn title(self) -> &'static str {
        match self {
            WindowKind::Help => "Help",
            WindowKind::Messages => "Messages",
        }
    }

    /// Opens the window as the user would (F1 on the view, View › Messages).
    pub fn open_sample(self, app: &mut App) {
        match self {
            WindowKind::Help => app.commands.push(AppCommand::HelpForView),
            WindowKind::Messages => app.commands.push(AppCommand::Messages),
        }
    }

    /// Is the window open?
    pub fn is_open(self, app: &App) -> bool {
        match self {
            WindowKind::Help => app.help.open,
            WindowKind::Messages => app.messages.open,
        }
    }
}

impl Modal {
    /// The kind of this modal.
    pub fn kind(&self) -> DialogKind {
        match self {
            Modal::Dialog(d) => match d {
                Dialog::User(_) => DialogKind::UserConfiguration,
                Dialog::Station(_) => DialogKind::StationConfiguration,
                Dialog::License(_) => DialogKind::LicenseConfiguration,
                Dialog::Bulk(_) => DialogKind::BulkChange,
                Dialog::ConfirmRemove(..) => DialogKind::ConfirmRemove,
                Dialog::Compare(_) => DialogKind::CompareLicense,
                Dialog::About => DialogKind::About,
                Dialog::Confirm(..) => DialogKind::ConfirmChanges,
            },
            Modal::Error(_) => DialogKind::Error,
            Modal::Notice(_) => DialogKind::Notice,
            Modal::Unsaved(_) => DialogKind::UnsavedChanges,
            Modal::Held(..) => DialogKind::HeldChanges,
            Modal::Path(_) => DialogKind::ChooseFile,
            Modal::Overwrite(_) => DialogKind::Overwrite,
            Modal::Recovery(..) => DialogKind::Recovery,
            Modal::SiteImport(_) => DialogKind::ImportSite,
            Modal::SiteReport(..) => DialogKind::SiteImportReport,
            Modal::AppliedInPart(_) => DialogKind::AppliedInPart,
            Modal::InstallSite(_) => DialogKind::InstallSiteDetails,
            Modal::CloudWarning(_) => DialogKind::CloudWarning,
        }
    }
}

impl DialogKind {
    /// Every kind, in order.
    pub fn all() -> impl Iterator<Item = DialogKind> {
        <DialogKind as strum::IntoEnumIterator>::iter()
    }

    /// Opens one dialog of this kind on the app's document (the demo data
    /// in tests), as the user would reach it where the app allows.
    pub fn open_sample(self, app: &mut App) {
        let doc = app.session.doc();
        let first_user = doc.workspace().users().first().map(|u| u.id.to_string());
        let users: Vec<String> = doc
            .workspace()
            .users()
            .iter()
            .take(3)
            .map(|u| u.id.to_string())
            .collect();
        let first_station = doc.workspace().stations().first().map(|s| s.id.to_string());
        match self {
            DialogKind::UserConfiguration => app.handle(Action::OpenUser(first_user.unwrap_or_default())),
            DialogKind::StationConfiguration => app.handle(Action::OpenStation(first_station.unwrap_or_default())),
            DialogKind::LicenseConfiguration => {
                app.handle(Action::OpenLicense(crate::core::catalog::CLIENT.to_string()))
            }
            DialogKind::BulkChange => app.handle(Action::Bulk {
                kind: BulkKind::Assign,
                users,
                stations: Vec::new(),
            }),
            DialogKind::ConfirmRemove => app.handle(Action::ConfirmRemove {
                kind: SubjectKind::User,
                ids: users,
            }),
            DialogKind::CompareLicense => {
                let license = (**app.session.doc().license()).clone();
                let dialog = dialogs::compare::CompareDialog::new(
                    app.session.doc(),
                    PathBuf::from("renewal.I3Lic"),
                    license,
                    true,
                );
                app.open_modal(Modal::Dialog(Dialog::Compare(Box::new(dialog))));
            }
            DialogKind::About => app.open_modal(Modal::Dialog(Dialog::About)),
            DialogKind::Error => app.open_modal(Modal::Error(ErrorModal {
                title: "Cannot open the file".into(),
                message: "site.ialws is not a workspace file (line 1, column 1: expected value); nothing was \
                          changed"
                    .into(),
            })),
            DialogKind::Notice => app.open_modal(Modal::Notice(
                "The workspace was saved as site.ialws. The previous version is kept as site.ialws.bak.".into(),
            )),
            DialogKind::UnsavedChanges => app.open_modal(Modal::Unsaved(Pending::Quit)),
            DialogKind::HeldChanges => app.open_modal(Modal::Held(
                Nav::CloudEstimate,
                "The Genesys Cloud estimate has changes that are not saved to the workspace (a what-if). Quitting \
                 drops them.",
            )),
            DialogKind::ChooseFile => app.open_modal(Modal::Path(OpenPrompt {
                kind: FileKind::License,
                path: String::new(),
            })),
            DialogKind::Overwrite => app.open_modal(Modal::Overwrite(PathBuf::from("site.ialws"))),
            DialogKind::ImportSite => app.open_modal(Modal::SiteImport(Box::default())),
            DialogKind::SiteImportReport => {
                // A one-user registry export, imported as the real one is.
                let reg = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Wow6432Node\\\
                           Interactive Intelligence\\EIC\\Directory Services\\Root\\SITE1\\Production\\Users\\\
                           alice]\r\n\"displayName\"=\"Alice Ng\"\r\n";
                if let Ok(imported) = crate::core::site_import::import_registry_bytes("site.reg", reg.as_bytes()) {
                    app.open_modal(Modal::SiteReport(
                        PathBuf::from("site.ialws"),
                        Box::new(imported.report),
                    ));
                }
            }
            DialogKind::ConfirmChanges => {
                // Apply policies on the demo: the drift its rules leave on purpose.
                let plan = crate::core::policy::plan(app.session.doc().workspace());
                if let Some(command) = crate::core::policy_apply::command(&plan) {
                    app.handle(Action::Confirm(Box::new(command)));
                }
            }
            DialogKind::AppliedInPart => {
                // What a bulk assignment to every user reports for the first
                // license the demo has too few of (worked out by a preview:
                // nothing changes).
                let subjects: Vec<Subject> = app
                    .session
                    .doc()
                    .workspace()
                    .users()
                    .iter()
                    .map(|u| Subject::user(u.id.clone()))
                    .collect();
                let keys: Vec<String> = app
                    .session
                    .doc()
                    .license()
                    .allowances()
                    .iter()
                    .map(|a| a.key.clone())
                    .collect();
                for key in keys {
                    let command = Command::Assign {
                        subjects: subjects.clone(),
                        key,
                        method: None,
                    };
                    let summary = command.summary();
                    if let Ok(applied) = app.session.preview(&command)
                        && let Some(report) = crate::core::plan::AppliedInPart::of(&summary, &applied)
                    {
                        app.open_modal(Modal::AppliedInPart(Box::new(report)));
                        break;
                    }
                }
            }
            DialogKind::InstallSiteDetails => app.open_modal(Modal::InstallSite(Box::new(
                dialogs::install_site::SiteDetails::new_site(),
            ))),
            DialogKind::CloudWarning => {
                if let Some(warning) = sample_cloud_warning() {
                    app.open_modal(Modal::CloudWarning(Box::new(warning)));
                }
            }
            DialogKind::Recovery => {
                let doc = app.session.doc();
                let base = journal::raw_base(doc).ok();
                if let Some(base) = base {
                    let rec = Recovered {
                        path: PathBuf::from("journal.jsonl"),
                        header: journal::Header {
                            journal: journal::FORMAT,
                            started: chrono::Utc::now(),
                            today: doc.today(),
                            workspace_path: None,
                            license: LicenseSource::Demo,
                            license_sha256: None,
                            actor: "trainer".into(),
                            base,
                            layout: Default::default(),
                        },
                        steps: vec![journal::Step::Apply {
                            at: chrono::Utc::now(),
                            command: Box::new(Command::SetUserName {
                                id: first_user.unwrap_or_default(),
                                name: "Renamed".into(),
                            }),
                        }],
                    };
                    app.open_modal(Modal::Recovery(Box::new(rec), None));
                }
            }
        }
    }
}

/// The warning as a virtual-cloud license shows it at stage 3 (the demo
/// license is not one): ramp date passed two grace periods ago, no check-in.
fn sample_cloud_warning() -> Option<CloudWarning> {
    use crate::core::enforcement::{self, Terms, midnight};
    let day = |m, d| NaiveDate::from_ymd_opt(2020, m, d);
    let terms = Terms {
        issued: day(5, 1)?,
        ramp_date: day(6, 1)?,
        grace_days: 7,
    };
    let now = midnight(day(6, 16)?);
    Some(CloudWarning {
        status: enforcement::status(Some(terms), &[], now),
        now,
        follows_clock: false,
    })
}
