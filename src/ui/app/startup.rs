//! What `main` hands the app (`Startup`) and the app made from it, the
//! built-in demo license, and where a workspace's usage history lives.

use super::*;

/// What `main` hands the app.
pub struct Startup {
    pub file: Option<PathBuf>,
    pub workspace: Option<PathBuf>,
    pub read_only: bool,
    pub allow_unsigned: bool,
    pub trust: TrustStore,
    pub view: Option<Nav>,
    pub dark: bool,
    /// Where the recovery journal and the recent-files list live; `None`
    /// keeps nothing on disk (tests).
    pub data_dir: Option<PathBuf>,
    /// An AFMT account file (.ialacct) to open in the Account view.
    pub account: Option<PathBuf>,
}

impl Startup {
    /// The demo license and workspace, editable, light theme.
    pub fn demo(trust: TrustStore) -> Self {
        Startup {
            file: None,
            workspace: None,
            read_only: false,
            allow_unsigned: false,
            trust,
            view: None,
            dark: false,
            data_dir: None,
            account: None,
        }
    }
}

/// The embedded demo license, verified like any other file.
pub fn load_demo_license(trust: &TrustStore) -> License {
    crate::core::demo::demo_license(trust).unwrap_or_else(|e| panic!("the embedded demo license is broken: {e}"))
}

/// The usage history of what is open: next to a workspace file
/// (`site.ialhist`), or in the data folder for the demo and scenarios.
pub fn history_path(target: &crate::core::editing::Target, data_dir: Option<&std::path::Path>) -> Option<PathBuf> {
    use crate::core::editing::Target;
    match target {
        Target::File(p) => Some(crate::core::history::path_for(p)),
        Target::Demo => data_dir.map(|d| d.join("history").join("demo.ialhist")),
        Target::Scenario(name) => data_dir.map(|d| {
            let safe: String = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            d.join("history").join(format!("scenario-{safe}.ialhist"))
        }),
    }
}

impl App {
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        let dark_asked = startup.dark;
        let mut app = Self::from_startup(startup);
        // Last session's preferences; `--dark` wins over a light preference.
        if let Some(prefs) = crate::ui::prefs::Preferences::load(cc.storage) {
            app.dark = dark_asked || prefs.dark;
            app.show_warnings = prefs.show_warnings;
            cc.egui_ctx.set_zoom_factor(prefs.zoom);
        }
        app.frame_log = crate::ui::frame_log::FrameLog::from_env();
        widgets::install_visuals(&cc.egui_ctx);
        // The View menu's zoom commands carry the shortcuts (shown there).
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
        cc.egui_ctx.set_theme(if app.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        app
    }

    /// Builds the app without a window (used by tests too).
    pub fn from_startup(startup: Startup) -> Self {
        let today = chrono::Local::now().date_naive();
        let is = |p: &Option<PathBuf>, ext: &str| {
            p.as_ref()
                .is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)))
        };
        // The license given on the command line is the one the session
        // opens with (read-only too: choosing what to look at is not an
        // edit), not a change made after starting on the demo.
        let given_license = startup
            .file
            .as_ref()
            .filter(|_| !is(&startup.file, "ialws") && !is(&startup.file, "ialacct"));
        let mut refused = None;
        let (license, license_source) = match given_license {
            Some(path) => match License::load_path(
                path,
                LoadOptions {
                    trust: &startup.trust,
                    allow_unsigned: startup.allow_unsigned,
                },
            ) {
                Ok(l) => (
                    l,
                    LicenseSource::File {
                        path: crate::core::fs::canonical(path),
                    },
                ),
                Err(r) => {
                    refused = Some((path.clone(), r));
                    (load_demo_license(&startup.trust), LicenseSource::Demo)
                }
            },
            None => (load_demo_license(&startup.trust), LicenseSource::Demo),
        };
        // A workspace given on the command line is loaded next: until then
        // the window shows an empty one, never the demo's people.
        let workspace_given = startup.workspace.is_some() || is(&startup.file, "ialws");
        let ws = if workspace_given {
            Workspace::default()
        } else {
            // The demo workspace ships with the build and is checked by a test.
            Workspace::from_json(DEMO_WORKSPACE).unwrap_or_default()
        };
        let doc = Document::new(Arc::new(license), ws, today);
        // A read-only session changes nothing, so it keeps no journal (and
        // takes no lock, offers no recovery).
        let place = match &startup.data_dir {
            Some(dir) if !startup.read_only => JournalPlace::DataDir(dir.clone()),
            _ => JournalPlace::None,
        };
        let (mut session, opened) = Session::open(OpenArgs {
            doc,
            target: Target::Demo,
            license_source,
            place,
            actor: crate::core::changelog::os_user(),
            program: "ia-licensing gui".into(),
            now: chrono::Utc::now(),
        });
        if startup.read_only {
            session.set_read_only_mode();
        }
        let mut app = App {
            session,
            trust: startup.trust,
            allow_unsigned: startup.allow_unsigned,
            nav: startup.view.unwrap_or(Nav::LicenseManagement),
            modals: Vec::new(),
            views: Default::default(),
            warnings: Default::default(),
            show_warnings: true,
            zoom: 1.0,
            commands: Vec::new(),
            simulation: None,
            clock: Default::default(),
            dismissed_stage: None,
            picker: None,
            status_message: None,
            help: Default::default(),
            messages: Default::default(),
            limits: Default::default(),
            events_job: None,
            applying: None,
            frame_started: std::time::Instant::now(),
            status_seen: None,
            after_save: None,
            saving: None,
            quit_after_save: false,
            picker_returned_nothing: false,
            recent: files::load_recent(startup.data_dir.as_deref()),
            data_dir: startup.data_dir.clone(),
            actor: crate::core::changelog::os_user(),
            loading: None,
            importing: None,
            recording: None,
            site_import: None,
            dark: startup.dark,
            allow_close: false,
            quit_without_held: false,
            closing: false,
            title: String::new(),
            frame_log: None,
            renderer: None,
            input_order: Default::default(),
            pass: 0,
            modal_opened_in: None,
            overlay_drawn: false,
        };
        app.opened(opened);
        if let Some((path, refusal)) = refused {
            app.refused_license(&path, &refusal);
        } else if given_license.is_some() {
            app.load_media_servers();
        }
        if let Some(path) = startup.file {
            if is(&Some(path.clone()), "ialws") {
                app.open_file(FileKind::Workspace, path);
            } else if is(&Some(path.clone()), "ialacct") {
                app.open_file(FileKind::Account, path);
            }
        }
        if let Some(path) = startup.workspace {
            app.open_file(FileKind::Workspace, path);
        }
        if let Some(path) = startup.account {
            app.open_file(FileKind::Account, path);
        }
        app
    }
}
