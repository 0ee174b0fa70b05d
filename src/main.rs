//! `ia-licensing`: the GUI with no arguments, or a CLI command. The one
//! place that knows both faces: it turns the GUI's arguments into the UI's
//! start-up state, so the UI never depends on the CLI.

use std::process::ExitCode;

// glibc's allocator (consolidation, fragmentation) dominated profiles of a
// 100k-user load; mimalloc halves the load and recount times there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ia_licensing::cli::{Command, GuiArgs, View};
use ia_licensing::ui::app::{Nav, Startup};

fn main() -> ExitCode {
    let cli = match ia_licensing::cli::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cli.command {
        None => gui(GuiArgs::default()),
        Some(Command::Gui(args)) => gui(args),
        Some(command) => ia_licensing::cli::run(command),
    }
}

fn gui(args: GuiArgs) -> ExitCode {
    let trust = match args.trust.trust_store() {
        Ok(store) => store,
        Err(e) => {
            eprintln!("ia-licensing: {}", ia_licensing::core::text::safe(&e));
            return ExitCode::from(2);
        }
    };
    ia_licensing::ui::run(Startup {
        file: args.file,
        workspace: args.workspace,
        read_only: args.read_only,
        allow_unsigned: args.trust.allow_unsigned,
        trust,
        view: args.view.map(nav),
        dark: args.dark,
        data_dir: ia_licensing::core::journal::data_dir(),
        account: args.account,
    })
}

fn nav(view: View) -> Nav {
    match view {
        View::License => Nav::LicenseManagement,
        View::Allocation => Nav::LicensesAllocation,
        View::Users => Nav::Users,
        View::Stations => Nav::Stations,
        View::Workgroups => Nav::Workgroups,
        View::Statistics => Nav::LicenseStatistics,
        View::Enforcement => Nav::CloudEnforcement,
        View::Usage => Nav::UsageBilling,
        View::Changelog => Nav::ChangeLog,
        View::Account => Nav::Account,
        View::Reclaim => Nav::Reclaim,
        View::History => Nav::UsageHistory,
        View::Cloud => Nav::CloudEstimate,
        View::Policies => Nav::Policies,
    }
}
