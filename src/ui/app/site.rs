//! File › Import site…: the form, the worker and its progress window, and
//! opening what it wrote (`ui::site_import`; the import is the core's).

use super::*;
use crate::ui::site_import::{FormChoice, Job, SiteImportForm};

/// Why the workspace a site import would write is refused before anything
/// is read (the form shows it).
#[derive(Debug, thiserror::Error)]
pub(super) enum SiteOutputError {
    /// One of the open files, the export itself, or a file they keep.
    #[error(transparent)]
    Input(#[from] crate::core::error::FileError),
    #[error("{} already exists: choose a new file, or tick “Replace the workspace file if it exists”", .0.display())]
    Exists(PathBuf),
}

impl App {
    /// The form; Import starts the worker (the form stays open, with the
    /// reason, when the output is refused before anything is read).
    pub(super) fn site_import_form(&mut self, ctx: &egui::Context, mut form: Box<SiteImportForm>) -> Option<Modal> {
        match form.show(ctx) {
            FormChoice::Keep => Some(Modal::SiteImport(form)),
            FormChoice::Cancel => None,
            FormChoice::Import { source, out, replace } => match self.check_site_output(&source, &out, replace) {
                Ok(()) => {
                    self.site_import = Some(Job::start(source, out, replace));
                    None
                }
                Err(why) => {
                    form.message = Some(why.to_string());
                    Some(Modal::SiteImport(form))
                }
            },
        }
    }

    /// The workspace to write may not be a file the app has open, the
    /// export itself, or (without Replace) an existing file.
    fn check_site_output(
        &self,
        source: &crate::core::site_import::Source,
        out: &Path,
        replace: bool,
    ) -> Result<(), SiteOutputError> {
        let mut inputs = self.session.inputs();
        inputs.push(source.path().to_path_buf());
        let refs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
        crate::core::fs::check_output(out, &refs)?;
        crate::core::companions::check_output(out, &self.kept_files(), &[])?;
        if !replace && crate::core::fs::exists(out) {
            return Err(SiteOutputError::Exists(out.to_path_buf()));
        }
        Ok(())
    }

    /// The progress window while the worker runs; its result once done.
    pub(super) fn site_import_dialog(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.site_import else { return };
        if let Some(result) = job.poll() {
            if let Some(job) = self.site_import.take() {
                self.site_import_finished(job.out, result);
            }
            return;
        }
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
        let (detail, fraction) = job.progress();
        let cancel = widgets::progress_window(
            ctx,
            "importing-site",
            widgets::Progress {
                heading: widgets::file_heading("Importing site from", job.source.path()),
                detail,
                fraction,
                started: job.started,
                note: "nothing is written until the whole export is read",
            },
        );
        if cancel {
            // The worker stops at its next step; its answer (cancelled, or
            // written when Cancel came too late) is handled like any other.
            job.cancel();
        }
    }

    /// Waits for a site import in progress and opens what it wrote (tests;
    /// the GUI polls).
    pub fn wait_for_site_import(&mut self) {
        if let Some(job) = self.site_import.take() {
            let out = job.out.clone();
            let result = job.wait();
            self.site_import_finished(out, result);
        }
    }

    /// Is a site import running?
    pub fn is_importing_site(&self) -> bool {
        self.site_import.is_some()
    }

    fn site_import_finished(
        &mut self,
        out: PathBuf,
        result: Result<crate::core::site_import::ImportReport, crate::core::site_import::SiteImportError>,
    ) {
        match result {
            Ok(report) => {
                self.open_modal(Modal::SiteReport(out.clone(), Box::new(report)));
                // Opened like any workspace (asks first about unsaved changes).
                self.open_workspace(out);
            }
            Err(crate::core::site_import::SiteImportError::Cancelled) => {
                self.status_message = Some((true, "Site import cancelled; nothing was written".into()));
            }
            Err(e) => self.open_modal(Modal::Error(ErrorModal {
                title: "Site import refused".into(),
                message: format!("{e}\n\nNothing was written; the open workspace is unchanged."),
            })),
        }
    }
}
