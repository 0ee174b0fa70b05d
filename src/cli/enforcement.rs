//! `enforcement`: the virtual cloud enforcement stage at a time.

use std::process::ExitCode;

use super::args::{EnforcementArgs, OutputFormat};
use super::{Failure, banner, load_license, print_json, print_text};

pub(super) fn run_enforcement(args: EnforcementArgs) -> Result<ExitCode, Failure> {
    use crate::core::enforcement;
    let license = load_license(&args.license, &args.trust)?;
    let check_ins = match &args.checkins {
        Some(path) => {
            let bytes = crate::core::fs::read_capped(path, 64 * 1024 * 1024)?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Failure::refused(format!("{} is not UTF-8 text", path.display())))?;
            enforcement::parse_check_ins(&text).map_err(|e| Failure::refused(format!("{}: {e}", path.display())))?
        }
        None => Vec::new(),
    };
    let status = enforcement::status(enforcement::Terms::of(&license), &check_ins, args.at);
    match args.format {
        OutputFormat::Json => print_json(&super::output::Enforcement {
            license: license.signature.trust(),
            status,
        })?,
        OutputFormat::Table => {
            let mut out = String::new();
            banner(&mut out, &[&license]);
            if !status.applicable {
                out.push_str("Not applicable: the license has no I3_FEATURE_VIRTUAL_CLOUD\n");
            } else {
                out.push_str(&format!("Stage          {} — {}\n", status.stage, status.stage_name));
                if !status.enforced {
                    out.push_str("               (before the ramp date: nothing is enforced yet)\n");
                }
                let t = |d: Option<chrono::DateTime<chrono::Utc>>| d.map_or("—".to_string(), |d| d.to_rfc3339());
                out.push_str(&format!("Since          {}\n", t(status.since)));
                out.push_str(&format!("Next stage at  {}\n", t(status.next_stage_at)));
                out.push_str(&format!("Last good standing {}\n", t(status.last_good_standing)));
                let limit = enforcement::call_ports_words(status.call_port_limit);
                out.push_str(&format!("Call ports     {limit}\n"));
                out.push_str(&format!(
                    "Interaction Supervisor {}\n",
                    if status.supervisor_enabled {
                        "enabled"
                    } else {
                        "disabled"
                    }
                ));
            }
            print_text(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
