//! `ia-licensing`: the GUI with no arguments, or a CLI command. The one
//! place that knows both faces: it turns the GUI's arguments into the UI's
//! start-up state, so the UI never depends on the CLI.

use std::process::ExitCode;

// glibc's allocator (consolidation, fragmentation) dominated profiles of a
// 100k-user load; mimalloc halves the load and recount times there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ia_licensing::cli::{Action, GuiArgs, RendererArg};
use ia_licensing::ui::app::{Nav, Startup};
use ia_licensing::ui::renderer::Renderer;

fn main() -> ExitCode {
    let cli = match ia_licensing::cli::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let renderer = cli.renderer.map(|r| match r {
        RendererArg::Wgpu => Renderer::Wgpu,
        RendererArg::Glow => Renderer::Glow,
    });
    match cli.action() {
        Ok(Action::Gui(args)) => gui(args, renderer),
        Ok(Action::Run(command)) => ia_licensing::cli::run(command),
        Err(message) => {
            eprintln!("ia-licensing: {}", ia_licensing::core::text::safe(&message));
            ExitCode::from(2)
        }
    }
}

fn gui(args: GuiArgs, renderer: Option<Renderer>) -> ExitCode {
    let trust = match args.trust.trust_store() {
        Ok(store) => store,
        Err(e) => {
            eprintln!("ia-licensing: {}", ia_licensing::core::text::safe(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    ia_licensing::ui::run(
        Startup {
            file: args.file,
            workspace: args.workspace,
            read_only: args.read_only,
            allow_unsigned: args.trust.allow_unsigned,
            trust,
            view: args.view.as_deref().and_then(Nav::from_name),
            dark: args.dark,
            data_dir: ia_licensing::core::journal::data_dir(),
            account: args.account,
        },
        renderer,
    )
}
