//! `ia-licensing-gui`: the GUI alone, for Windows' Start menu shortcut and
//! file associations. `ia-licensing` is a console program (it is the CLI
//! too), so Windows opens a console window behind a GUI started from
//! Explorer; this executable is a Windows-subsystem program (no console)
//! that starts the same GUI with the same arguments as `ia-licensing gui`
//! (docs/windows.md). Elsewhere it behaves the same and is not packaged.
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::ffi::OsString;
use std::process::ExitCode;

// The same allocator as `ia-licensing` (src/main.rs says why).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ia_licensing::start::run(gui_arguments(std::env::args_os()))
}

/// The program's name, `gui`, then the arguments as given
/// (`ia-licensing-gui FILE --read-only` is `ia-licensing gui FILE --read-only`).
fn gui_arguments(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut args = args.into_iter();
    let name = args.next().unwrap_or_else(|| OsString::from("ia-licensing-gui"));
    [name, OsString::from("gui")].into_iter().chain(args).collect()
}
