//! Starting the program: the GUI with no arguments, or a CLI command. The
//! one place that knows both faces: it turns the GUI's arguments into the
//! UI's start-up state, so the UI never depends on the CLI. Both
//! executables call it (`src/main.rs`, and on Windows the GUI-only
//! `src/bin/ia-licensing-gui.rs`).

use std::ffi::OsString;
use std::process::ExitCode;

use crate::cli::{Action, GuiArgs, RendererArg};
use crate::ui::app::{Nav, Startup};
use crate::ui::renderer::Renderer;

/// Runs the program over its arguments (its name first).
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match crate::cli::parse_from(args) {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let renderer = cli.renderer.map(|r| match r {
        RendererArg::Wgpu => Renderer::Wgpu,
        RendererArg::Glow => Renderer::Glow,
    });
    match cli.action() {
        Ok(Action::Gui(args)) => gui(args, renderer),
        Ok(Action::Run(command)) => crate::cli::run(command),
        Err(refused) => {
            eprintln!("ia-licensing: {}", crate::core::text::safe(&refused.to_string()));
            ExitCode::from(2)
        }
    }
}

fn gui(args: GuiArgs, renderer: Option<Renderer>) -> ExitCode {
    let trust = match args.trust.trust_store() {
        Ok(store) => store,
        Err(e) => {
            eprintln!("ia-licensing: {}", crate::core::text::safe(&e.to_string()));
            return ExitCode::from(2);
        }
    };
    crate::ui::run(
        Startup {
            file: args.file,
            workspace: args.workspace,
            read_only: args.read_only,
            allow_unsigned: args.trust.allow_unsigned,
            trust,
            view: args.view.as_deref().and_then(Nav::from_name),
            dark: args.dark,
            data_dir: crate::core::journal::data_dir(),
            account: args.account,
        },
        renderer,
    )
}
