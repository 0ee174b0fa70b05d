//! `account request`: the Genesys Activation File Request Tool's form,
//! checked as the form checks it (`core::account::request`), saved as
//! FILE.json and a readable FILE.txt. Nothing is sent.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;

use super::super::args::{AccountTrustArgs, CategoryArg, OutputFormat, RequestArgs, RequestTypeArg};
use super::super::{Failure, print_json, print_text};
use crate::core::account::request::{self, Category, Request, RequestDetails, RequestForm, RequestType};
use crate::core::account::{self, AccountTrust};
use crate::core::text::safe;

/// `account request --format json` (and the saved FILE.json's `request`).
#[derive(Serialize)]
struct Saved<'a> {
    account: &'a AccountTrust,
    account_name: &'a str,
    request: &'a Request,
    json: String,
    text: String,
}

pub(super) fn run(args: RequestArgs) -> Result<ExitCode, Failure> {
    let store = AccountTrustArgs {
        trust: args.trust.clone(),
        allow_unsigned_account: false,
    }
    .trust_store()?;
    let (acct, trust) = account::load(&args.account, &store)?;
    if let Some(b) = trust.banner() {
        eprintln!("{b}");
    }
    let form = RequestForm {
        request_type: match args.request_type {
            RequestTypeArg::Question => RequestType::Question,
            RequestTypeArg::ActivationFile => RequestType::ActivationFile,
        },
        category: args.category.map(|c| match c {
            CategoryArg::Genesys => Category::Genesys,
            CategoryArg::ThirdParty => Category::ThirdParty,
            CategoryArg::PayPerUse => Category::PayPerUse,
        }),
        file_type: args.file_type.unwrap_or_default(),
        urgent: args.urgent,
        first_name: args.first_name,
        last_name: args.last_name,
        email: args.email,
        confirm_email: args.confirm_email,
        recipients: args.recipients.unwrap_or_default(),
        end_user_account: args.end_user_account,
        sold_to: args.sold_to,
        garn: args.garn.unwrap_or_default(),
        phone: args.phone.unwrap_or_default(),
        employer: args.employer.unwrap_or_default(),
        subject: args.subject,
        description: args.description,
        date_needed: args.date_needed.unwrap_or_default(),
        date_reasoning: args.date_reasoning.unwrap_or_default(),
        details: RequestDetails {
            host_id: args.host_id.unwrap_or_default(),
            backup_host_id: args.backup_host_id.unwrap_or_default(),
            deployment_type: args.deployment_type.unwrap_or_default(),
            implementation_type: args.implementation_type.unwrap_or_default(),
            order_number: args.order_number.unwrap_or_default(),
            third_party_type: args.third_party_type.unwrap_or_default(),
            clarify: args.clarify.unwrap_or_default(),
        },
        attachments: args.attach,
    };
    let request = form.check().map_err(|first| {
        // Every problem the form would show, the first one first.
        let mut all = vec![first.to_string()];
        for p in form.problems() {
            let p = p.to_string();
            if !all.contains(&p) {
                all.push(p);
            }
        }
        Failure::refused(format!("the request was not saved: {}", all.join("; ")))
    })?;
    // The readable copy is an output too: never over an input or a key.
    let mut inputs: Vec<&Path> = vec![&args.account];
    inputs.extend(args.trust.iter().map(PathBuf::as_path));
    let txt = request::save(&request, &acct, &trust, &args.out, &inputs)?;
    eprintln!(
        "wrote {} and {} (a draft: nothing was sent)",
        safe(&args.out.display().to_string()),
        safe(&txt.display().to_string())
    );
    match args.format {
        OutputFormat::Json => print_json(&Saved {
            account: &trust,
            account_name: &acct.account,
            request: &request,
            json: args.out.display().to_string(),
            text: txt.display().to_string(),
        })?,
        OutputFormat::Table => {
            let mut out = String::new();
            if let Some(b) = trust.banner() {
                out.push_str(&format!("{b}\n"));
            }
            out.push_str(&request.text());
            print_text(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
