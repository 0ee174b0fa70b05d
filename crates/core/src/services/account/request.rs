//! The Genesys Activation File Request Tool, as a form that drafts a
//! request (seed, "Request a License File"): "Customers and partners can
//! submit PureConnect license file requests through the Genesys Activation
//! File Request Tool. You can also use this tool to communicate with the
//! Genesys Licensing Team about licensing-related issues." It is where the
//! Activation File Management Tool's refusals point (subscription, mixed
//! estate, trial and add-on bundles).
//!
//! Nothing is sent: the console has no network. The request is checked as
//! the form checks it (each problem names its field as the form labels it)
//! and written as a JSON document and a readable text the administrator
//! sends or pastes into the tool.
//!
//! Required: First Name, Last Name, Corporate Email and Confirm Corporate
//! Email (well formed, equal, and not a public webmail domain: our reading
//! of "You will require a corporate email to submit the request"; the list
//! is `WEBMAIL_DOMAINS`), End User Account, Sold To Account, Request Type,
//! Subject, Description, and for an Activation File Request its Category.
//! Date Needed, when given, is a date. For a Question the category, file
//! type, Urgent and the request details section are not available.

use chrono::NaiveDate;
use serde::Serialize;

use crate::rules::AfmtRefusal;

/// Request Type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum RequestType {
    /// "Question: Indicates that you have a question for Genesys Licensing."
    #[default]
    Question,
    /// "Activation File Request: Indicates that you are requesting a license
    /// file."
    ActivationFile,
}

impl RequestType {
    pub const ALL: [RequestType; 2] = [RequestType::Question, RequestType::ActivationFile];
    pub fn label(self) -> &'static str {
        match self {
            RequestType::Question => "Question",
            RequestType::ActivationFile => "Activation File Request",
        }
    }
}

/// Activation File Category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Genesys Environment: "a license file for a Genesys product".
    Genesys,
    /// Third-Party Products: "a license file for a third-party product".
    ThirdParty,
    /// Pay-Per-Use or Hosted Environments: "a pay-per-use, hosted, or
    /// subscription license file".
    PayPerUse,
}

impl Category {
    pub const ALL: [Category; 3] = [Category::Genesys, Category::ThirdParty, Category::PayPerUse];
    pub fn label(self) -> &'static str {
        match self {
            Category::Genesys => "Genesys Environment",
            Category::ThirdParty => "Third-Party Products",
            Category::PayPerUse => "Pay-Per-Use or Hosted Environments",
        }
    }
}

/// The File Types the form offers (seed: "New Deployment, Evaluation,
/// etc.", "such as New Deployment or Upgrade"; the Implementation Types
/// "add-on, migration, new deployment, reallocation, temporary, or
/// upgrade"). Other text is accepted as typed.
pub const FILE_TYPES: &[&str] = &[
    "New Deployment",
    "Evaluation",
    "Upgrade",
    "Add-On",
    "Migration",
    "Reallocation",
    "Temporary",
];

/// Fields that are "Not applicable to PureConnect" and that the drafted
/// request therefore leaves out (seed, the request details section).
pub const NOT_APPLICABLE: &[&str] = &[
    "Environment Type",
    "Expiration Date",
    "Expiration Date of the Hosting Contract",
    "IVR Configuration",
    "Max Number of Estimated Ports",
    "New Extension Date Requested",
    "O/S",
    "PBX/SIP",
    "Port Type",
    "Primary MAC ID BC DR",
    "Backup MAC ID BC DR",
];

/// The longest text of a one-line field, and of Description / Date
/// Reasoning / Please clarify your request.
pub const MAX_LINE_CHARS: usize = 255;
pub const MAX_TEXT_CHARS: usize = 32_000;

/// The request form, as typed (text as the boxes hold it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestForm {
    pub request_type: RequestType,
    pub category: Option<Category>,
    pub file_type: String,
    pub urgent: bool,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub confirm_email: String,
    /// Additional Email Recipients, separated by commas, semicolons or spaces.
    pub recipients: String,
    pub end_user_account: String,
    pub sold_to: String,
    pub garn: String,
    pub phone: String,
    pub employer: String,
    pub subject: String,
    pub description: String,
    pub date_needed: String,
    pub date_reasoning: String,
    /// The request details section (Activation File Request only).
    pub details: RequestDetails,
    /// Files to attach (Step 2), the current license file first.
    pub attachments: Vec<String>,
}

/// "For an Activation File Request, another section appears on the page
/// based on the Activation file Category and Activation File Type that you
/// selected, requesting one or more of the following" — those that apply
/// to PureConnect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RequestDetails {
    /// Primary MAC ID or Host ID.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub host_id: String,
    /// Backup MAC ID or Host ID (the switchover server).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub backup_host_id: String,
    /// Deployment Type: production, lab, test, disaster recovery …
    #[serde(skip_serializing_if = "String::is_empty")]
    pub deployment_type: String,
    /// Implementation Type: add-on, migration, new deployment, …
    #[serde(skip_serializing_if = "String::is_empty")]
    pub implementation_type: String,
    /// SO# or PO#.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub order_number: String,
    /// Third Party Activation File Type (Nuance, Zoom, …).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub third_party_type: String,
    /// Please clarify your request.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub clarify: String,
}

impl RequestDetails {
    fn fields(&self) -> [(&'static str, &str, usize); 7] {
        [
            ("Primary MAC ID or Host ID", &self.host_id, MAX_LINE_CHARS),
            ("Backup MAC ID or Host ID", &self.backup_host_id, MAX_LINE_CHARS),
            ("Deployment Type", &self.deployment_type, MAX_LINE_CHARS),
            ("Implementation Type", &self.implementation_type, MAX_LINE_CHARS),
            ("SO# or PO#", &self.order_number, MAX_LINE_CHARS),
            (
                "Third Party Activation File Type",
                &self.third_party_type,
                MAX_LINE_CHARS,
            ),
            ("Please clarify your request", &self.clarify, MAX_TEXT_CHARS),
        ]
    }

    fn is_empty(&self) -> bool {
        self.fields().iter().all(|(_, v, _)| v.trim().is_empty())
    }
}

/// A checked request, as it is saved (FILE.json).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Request {
    pub tool: &'static str,
    /// What to do with the draft.
    pub status: &'static str,
    pub request_type: RequestType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file_type: Option<String>,
    pub urgent: bool,
    pub first_name: String,
    pub last_name: String,
    pub corporate_email: String,
    pub additional_email_recipients: Vec<String>,
    pub end_user_account: String,
    pub sold_to_account: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_user_garn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub work_phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employer: Option<String>,
    pub subject: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_needed: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_reasoning: Option<String>,
    #[serde(skip_serializing_if = "RequestDetails::is_empty")]
    pub details: RequestDetails,
    /// Step 2 – Add Attachments.
    pub attachments: Vec<String>,
    /// The fields the tool asks for that do not apply to PureConnect.
    pub left_out_not_applicable: &'static [&'static str],
}

/// Words of the draft.
pub use super::email::{WEBMAIL_DOMAINS, webmail_domain, well_formed_email};

pub const TOOL: &str = "Genesys Activation File Request Tool";
pub const STATUS: &str = "draft: not sent (this console has no network). Submit it with the Genesys Activation File \
    Request Tool (https://genesys.secure.force.com/activationfile, no logon credentials needed); the tool assigns \
    the AFR number and Genesys Licensing answers by email.";

fn text(field: &'static str, value: &str, max: usize, multiline: bool) -> Result<String, AfmtRefusal> {
    let v = value.trim();
    if v.chars().count() > max {
        return Err(AfmtRefusal::RequestFieldInvalid {
            field,
            why: format!("is longer than {max} characters"),
        });
    }
    if v.chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t' || c == '\r')))
    {
        return Err(AfmtRefusal::RequestFieldInvalid {
            field,
            why: "holds a control character".into(),
        });
    }
    Ok(v.to_string())
}

fn required(field: &'static str, value: &str, max: usize, multiline: bool) -> Result<String, AfmtRefusal> {
    let v = text(field, value, max, multiline)?;
    if v.is_empty() {
        return Err(AfmtRefusal::RequestFieldRequired { field });
    }
    Ok(v)
}

fn optional(field: &'static str, value: &str, max: usize, multiline: bool) -> Result<Option<String>, AfmtRefusal> {
    let v = text(field, value, max, multiline)?;
    Ok((!v.is_empty()).then_some(v))
}

/// Date Needed: `YYYY-MM-DD`, or `M/D/YYYY` as the form shows it ("3/20/2019").
pub fn parse_date_needed(text: &str) -> Option<NaiveDate> {
    crate::model::dates::parse_form_date(text).ok()
}

impl RequestForm {
    /// Every problem the form would show, each naming its field, in the
    /// form's order (empty: the request can be saved).
    pub fn problems(&self) -> Vec<AfmtRefusal> {
        let mut out = Vec::new();
        if let Err(e) = self.check() {
            out.push(e.clone());
            // The form shows each field's problem at once: check each field
            // on its own (the first error per field).
            for one in self.field_checks() {
                if let Err(e) = one
                    && !out.contains(&e)
                {
                    out.push(e);
                }
            }
        }
        out
    }

    fn field_checks(&self) -> Vec<Result<(), AfmtRefusal>> {
        let q = self.request_type == RequestType::Question;
        vec![
            required("First Name", &self.first_name, MAX_LINE_CHARS, false).map(drop),
            required("Last Name", &self.last_name, MAX_LINE_CHARS, false).map(drop),
            self.email_check().map(drop),
            required("End User Account", &self.end_user_account, MAX_LINE_CHARS, false).map(drop),
            required("Sold To Account", &self.sold_to, MAX_LINE_CHARS, false).map(drop),
            required("Subject", &self.subject, MAX_LINE_CHARS, false).map(drop),
            required("Description", &self.description, MAX_TEXT_CHARS, true).map(drop),
            if !q && self.category.is_none() {
                Err(AfmtRefusal::RequestFieldRequired {
                    field: "Activation File Category",
                })
            } else {
                Ok(())
            },
            self.date_check().map(drop),
        ]
    }

    fn email_check(&self) -> Result<(String, Vec<String>), AfmtRefusal> {
        let email = required("Corporate Email", &self.email, MAX_LINE_CHARS, false)?;
        if !well_formed_email(&email) {
            return Err(AfmtRefusal::RequestEmailMalformed {
                field: "Corporate Email",
                address: email,
            });
        }
        let confirm = required("Confirm Corporate Email", &self.confirm_email, MAX_LINE_CHARS, false)?;
        if !confirm.eq_ignore_ascii_case(&email) {
            return Err(AfmtRefusal::RequestEmailsDiffer);
        }
        if let Some(domain) = webmail_domain(&email) {
            return Err(AfmtRefusal::RequestWebmail {
                domain: domain.to_string(),
            });
        }
        let recipients = text("Additional Email Recipients", &self.recipients, MAX_TEXT_CHARS, false)?;
        let mut list = Vec::new();
        for r in recipients
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            if !well_formed_email(r) {
                return Err(AfmtRefusal::RequestEmailMalformed {
                    field: "Additional Email Recipients",
                    address: r.to_string(),
                });
            }
            if !list.iter().any(|x: &String| x.eq_ignore_ascii_case(r)) {
                list.push(r.to_string());
            }
        }
        Ok((email, list))
    }

    fn date_check(&self) -> Result<Option<NaiveDate>, AfmtRefusal> {
        let t = text("Date Needed", &self.date_needed, MAX_LINE_CHARS, false)?;
        if t.is_empty() {
            return Ok(None);
        }
        parse_date_needed(&t).map(Some).ok_or(AfmtRefusal::RequestDate {
            field: "Date Needed",
            text: t,
        })
    }

    /// Checks the form (the first problem, naming its field) and makes the
    /// request to save.
    pub fn check(&self) -> Result<Request, AfmtRefusal> {
        let first_name = required("First Name", &self.first_name, MAX_LINE_CHARS, false)?;
        let last_name = required("Last Name", &self.last_name, MAX_LINE_CHARS, false)?;
        let (corporate_email, additional_email_recipients) = self.email_check()?;
        let end_user_account = required("End User Account", &self.end_user_account, MAX_LINE_CHARS, false)?;
        let sold_to_account = required("Sold To Account", &self.sold_to, MAX_LINE_CHARS, false)?;
        let end_user_garn = optional("End User GARN", &self.garn, MAX_LINE_CHARS, false)?;
        let work_phone = optional("Work Phone", &self.phone, MAX_LINE_CHARS, false)?;
        let employer = optional("Employer", &self.employer, MAX_LINE_CHARS, false)?;
        let question = self.request_type == RequestType::Question;
        // Seed: "If you selected "Question" as the request type, this list
        // box isn't available" (category, file type); "this check box isn't
        // available" (Urgent).
        let file_type = optional("Activation File Type", &self.file_type, MAX_LINE_CHARS, false)?;
        if question {
            if self.category.is_some() {
                return Err(AfmtRefusal::RequestNotForQuestion {
                    field: "Activation File Category",
                });
            }
            if file_type.is_some() {
                return Err(AfmtRefusal::RequestNotForQuestion {
                    field: "Activation File Type",
                });
            }
            if self.urgent {
                return Err(AfmtRefusal::RequestNotForQuestion { field: "Urgent" });
            }
            if let Some((field, _, _)) = self.details.fields().into_iter().find(|(_, v, _)| !v.trim().is_empty()) {
                return Err(AfmtRefusal::RequestNotForQuestion { field });
            }
        } else if self.category.is_none() {
            return Err(AfmtRefusal::RequestFieldRequired {
                field: "Activation File Category",
            });
        }
        let subject = required("Subject", &self.subject, MAX_LINE_CHARS, false)?;
        let description = required("Description", &self.description, MAX_TEXT_CHARS, true)?;
        let date_needed = self.date_check()?;
        let date_reasoning = optional("Date Reasoning", &self.date_reasoning, MAX_TEXT_CHARS, true)?;
        let mut details = RequestDetails::default();
        for (field, value, max) in self.details.fields() {
            text(field, value, max, max == MAX_TEXT_CHARS)?;
        }
        if !question {
            details = RequestDetails {
                host_id: self.details.host_id.trim().to_string(),
                backup_host_id: self.details.backup_host_id.trim().to_string(),
                deployment_type: self.details.deployment_type.trim().to_string(),
                implementation_type: self.details.implementation_type.trim().to_string(),
                order_number: self.details.order_number.trim().to_string(),
                third_party_type: self.details.third_party_type.trim().to_string(),
                clarify: self.details.clarify.trim().to_string(),
            };
            if !details.third_party_type.is_empty() && self.category != Some(Category::ThirdParty) {
                return Err(AfmtRefusal::RequestFieldInvalid {
                    field: "Third Party Activation File Type",
                    why: "applies to the Third-Party Products category only".into(),
                });
            }
        }
        let mut attachments = Vec::new();
        for a in &self.attachments {
            let a = text("Attachments", a, MAX_TEXT_CHARS, false)?;
            if !a.is_empty() && !attachments.contains(&a) {
                attachments.push(a);
            }
        }
        Ok(Request {
            tool: TOOL,
            status: STATUS,
            request_type: self.request_type,
            category: self.category,
            file_type,
            urgent: self.urgent,
            first_name,
            last_name,
            corporate_email,
            additional_email_recipients,
            end_user_account,
            sold_to_account,
            end_user_garn,
            work_phone,
            employer,
            subject,
            description,
            date_needed,
            date_reasoning,
            details,
            attachments,
            left_out_not_applicable: NOT_APPLICABLE,
        })
    }
}

impl Request {
    /// The readable text (FILE.txt): the Request Summary, the request
    /// details, the attachments, and what to do with it.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut line = |label: &str, value: &str| {
            out.push_str(&format!("{label:<30}{value}\n"));
        };
        line(TOOL, "");
        line("Status:", STATUS);
        line("", "");
        line("Request Summary", "");
        line("First Name", &self.first_name);
        line("Last Name", &self.last_name);
        line("Corporate Email", &self.corporate_email);
        line(
            "Additional Email Recipients",
            &self.additional_email_recipients.join(", "),
        );
        line("End User Account", &self.end_user_account);
        line("Sold To Account", &self.sold_to_account);
        line("End User GARN", self.end_user_garn.as_deref().unwrap_or(""));
        line("Work Phone", self.work_phone.as_deref().unwrap_or(""));
        line("Employer", self.employer.as_deref().unwrap_or(""));
        line("Request Type", self.request_type.label());
        if self.request_type == RequestType::ActivationFile {
            line("Activation File Category", self.category.map_or("", Category::label));
            line("Activation File Type", self.file_type.as_deref().unwrap_or(""));
            line("Urgent", if self.urgent { "Yes" } else { "No" });
        }
        line("Subject", &self.subject);
        line(
            "Date Needed",
            &self
                .date_needed
                .map_or_else(String::new, |d| d.format("%-m/%-d/%Y").to_string()),
        );
        out.push_str("\nDescription\n");
        for l in self.description.lines() {
            out.push_str(&format!("  {l}\n"));
        }
        if let Some(r) = &self.date_reasoning {
            out.push_str("\nDate Reasoning\n");
            for l in r.lines() {
                out.push_str(&format!("  {l}\n"));
            }
        }
        if self.request_type == RequestType::ActivationFile {
            out.push_str("\nRequest details\n");
            let d = &self.details;
            for (label, value, _) in d.fields() {
                if !value.is_empty() {
                    out.push_str(&format!("  {label:<34}{value}\n"));
                }
            }
            out.push_str(&format!(
                "  (left out, not applicable to PureConnect: {})\n",
                NOT_APPLICABLE.join(", ")
            ));
        }
        out.push_str(
            "\nStep 2 – Add Attachments\n  Please upload your Original Activation File (if applicable) and any other \
             files that may be helpful in the processing of your request.\n",
        );
        if self.attachments.is_empty() {
            out.push_str("  (no file named)\n");
        }
        for a in &self.attachments {
            out.push_str(&format!("  - {a}\n"));
        }
        out
    }
}

/// The readable copy beside the JSON: `FILE.json` → `FILE.txt`, any other
/// name → `NAME.txt` appended.
pub fn text_path(out: &std::path::Path) -> std::path::PathBuf {
    if out.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        out.with_extension("txt")
    } else {
        let mut p = out.as_os_str().to_owned();
        p.push(".txt");
        std::path::PathBuf::from(p)
    }
}

/// Writes a checked request as `out` (JSON: the account's name and
/// signature status, and the request) and its readable copy (`text_path`),
/// neither over `inputs` (the account, keys) nor over each other. Returns
/// the readable copy's path. Both faces save through here.
pub fn save(
    request: &Request,
    account: &super::Account,
    trust: &super::AccountTrust,
    out: &std::path::Path,
    inputs: &[&std::path::Path],
) -> Result<std::path::PathBuf, super::AccountError> {
    use crate::fs;
    let txt = text_path(out);
    let mut all: Vec<&std::path::Path> = inputs.to_vec();
    fs::check_output(out, &all)?;
    fs::save_target(out)?;
    all.push(out);
    fs::check_output(&txt, &all)?;
    fs::save_target(&txt)?;
    let document = serde_json::json!({
        "account": {"name": account.account, "status": trust.status.word(), "issuer": trust.issuer},
        "request": request,
    });
    let json = serde_json::to_string_pretty(&document)
        .map_err(|e| super::AccountError::Invalid(format!("cannot write the request: {e}")))?
        + "\n";
    let text = format!(
        "Account: {} ({})\n\n{}",
        account.account,
        trust.status.word(),
        request.text()
    );
    fs::atomic_write(out, json.as_bytes())?;
    fs::atomic_write(&txt, text.as_bytes())?;
    Ok(txt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for ok in [
            "a@b.co",
            "first.last@company.example",
            "x+tag@sub.corp.com",
            "o'neil@firm.ie",
        ] {
            assert!(well_formed_email(ok), "{ok}");
        }
        for bad in [
            "",
            "plain",
            "@b.co",
            "a@",
            "a@b",
            "a@@b.co",
            "a b@c.co",
            ".a@b.co",
            "a.@b.co",
            "a..b@c.co",
            "a@-b.co",
            "a@b-.co",
            "a@b..co",
            "a@b.c",
            "a@b.c0m",
            "a@b.co.",
            "ä@b.co",
        ] {
            assert!(!well_formed_email(bad), "{bad}");
        }
        assert_eq!(webmail_domain("x@GMail.com"), Some("gmail.com"));
        assert_eq!(webmail_domain("x@mail.yahoo.com"), Some("yahoo.com"));
        assert_eq!(webmail_domain("x@notgmail.com"), None);
        assert_eq!(webmail_domain("x@genesys.com"), None);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date_needed("3/20/2019"), NaiveDate::from_ymd_opt(2019, 3, 20));
        assert_eq!(parse_date_needed("2026-12-04"), NaiveDate::from_ymd_opt(2026, 12, 4));
        for bad in [
            "",
            "tomorrow",
            "2/30/2026",
            "13/1/2026",
            "3/20/19",
            "2026-13-01",
            "2026-1-1",
            "20/3/2019",
            "3/20/20190",
            "3//2019",
            "+2026-01-01",
        ] {
            assert_eq!(parse_date_needed(bad), None, "{bad}");
        }
    }
}
