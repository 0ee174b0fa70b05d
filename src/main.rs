//! `ia-licensing`: the GUI with no arguments, or a CLI command.

use std::process::ExitCode;

// glibc's allocator (consolidation, fragmentation) dominated profiles of a
// 100k-user load; mimalloc halves the load and recount times there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use ia_licensing::cli::{Cli, Command, GuiArgs};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => ia_licensing::ui::run(GuiArgs::default()),
        Some(Command::Gui(args)) => ia_licensing::ui::run(args),
        Some(command) => ia_licensing::cli::run(command),
    }
}
