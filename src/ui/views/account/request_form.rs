//! The Genesys Activation File Request Tool's form, its saved draft
//! and where the tool's refusals point.

use super::*;
use crate::ui::drop_down::DropDown as _;

impl AccountView {
    /// Saves the request tool's form through the core (checked as the form
    /// checks it; FILE.json and FILE.txt, never over the account or the key).
    pub(super) fn save_request(&mut self, form: &RequestForm, out: &str) -> Result<String, AccountViewError> {
        let Some(open) = &self.open else {
            return Err(AccountViewError::NoAccount);
        };
        let checked = form.check()?;
        let out = out.trim();
        if out.is_empty() {
            return Err(AccountViewError::NoRequestFile);
        }
        let key = PathBuf::from(self.sign_key.trim());
        let mut inputs: Vec<&Path> = vec![&open.path];
        if !key.as_os_str().is_empty() {
            inputs.push(&key);
        }
        let txt = request::save(&checked, &open.account, &open.trust, Path::new(out), &inputs)?;
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

    /// The Genesys Activation File Request Tool: Request Summary, the
    /// request details for an Activation File Request, Step 2's
    /// attachments, and Save (the form's checks, each naming its field,
    /// shown once Save is pressed).
    pub(super) fn request_tab(&mut self, ui: &mut egui::Ui) -> Option<AccountAction> {
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
                .drop_down(ui, |ui| {
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
                    .drop_down(ui, |ui| {
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
                    .drop_down(ui, |ui| {
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
            details_ui(ui, r);
        }
        attachments_ui(ui, r, &mut self.browse_request);
        // The form as the core checks it.
        let (form, problems) = checked_form(r);
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

/// A labelled one-line field of a width. Sized, not "desired": in a grid
/// a box is never wider than its column was the frame before, so it would
/// stay narrow.
fn sized(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str, width: f32) {
    let l = ui.label(label);
    let size = egui::vec2(width, ui.spacing().interact_size.y);
    crate::ui::widgets::field_sized(ui, size, egui::TextEdit::singleline(value).hint_text(hint)).labelled_by(l.id);
}

/// A labelled one-line field of the form's usual width.
fn line(ui: &mut egui::Ui, label: &str, value: &mut String, hint: &str) {
    sized(ui, label, value, hint, 220.0);
}

/// The request details of an Activation File Request.
fn details_ui(ui: &mut egui::Ui, r: &mut RequestDraft) {
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

/// The form as the core checks it (fields a request of its type does not
/// have are left empty), and every problem the form would show.
fn checked_form(r: &RequestDraft) -> (RequestForm, Vec<String>) {
    let activation = r.request_type == Some(RequestType::ActivationFile);
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
    (form, problems)
}

/// Step 2: the files to attach, and where to save the request.
fn attachments_ui(ui: &mut egui::Ui, r: &mut RequestDraft, browse: &mut crate::ui::files::Browse) {
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
        browse.button(ui, "where to save the request", json, &mut r.out);
    });
}
