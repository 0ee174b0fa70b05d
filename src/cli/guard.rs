//! Checks every command's paths before it runs, from the parsed command
//! line itself, so a command added later is covered the day it exists: an
//! output (`-o`, and the few arguments a command writes) may not be the
//! same file as any input or key of the same command, nor an issuer secret
//! key (`core::fs::check_output`).

use std::path::PathBuf;

use clap::{ArgMatches, CommandFactory};

use super::Failure;
use super::args::Cli;

/// Arguments other than `-o/--out` that a command writes: (command path,
/// argument id).
const WRITTEN: &[(&str, &str)] = &[("session", "journal"), ("history import", "history")];

/// Is `arg` (its id) an output of the command at `path` ("account
/// generate")?
pub fn is_output(path: &str, arg: &str) -> bool {
    arg == "out" || WRITTEN.iter().any(|(p, a)| *p == path && *a == arg)
}

/// The leaf command's name path and its path arguments, split into
/// outputs and inputs.
pub fn paths_of(matches: &ArgMatches) -> (String, Vec<PathBuf>, Vec<PathBuf>) {
    let mut names: Vec<&str> = Vec::new();
    let mut leaf = matches;
    let mut command = Cli::command();
    while let Some((name, sub)) = leaf.subcommand() {
        names.push(name);
        leaf = sub;
        command = match command.find_subcommand(name) {
            Some(c) => c.clone(),
            None => break,
        };
    }
    let path = names.join(" ");
    let (mut outputs, mut inputs) = (Vec::new(), Vec::new());
    for arg in command.get_arguments() {
        let id = arg.get_id().as_str();
        let Ok(Some(values)) = leaf.try_get_many::<PathBuf>(id) else {
            continue;
        };
        let target = if is_output(&path, id) {
            &mut outputs
        } else {
            &mut inputs
        };
        target.extend(values.cloned());
    }
    (path, outputs, inputs)
}

/// Refuses the command line when an output is an input or a key, or
/// something no output may be (a pipe, a device, a link to nothing) — up
/// front, even when the command would not write (`--dry-run`).
pub fn check(matches: &ArgMatches) -> Result<(), Failure> {
    let (_, outputs, inputs) = paths_of(matches);
    let inputs: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    for out in &outputs {
        crate::core::fs::check_output(out, &inputs)?;
        if crate::core::fs::is_dir(out) {
            // A folder an output goes into (`keygen -o DIR`, `demo generate -o DIR`).
            continue;
        }
        crate::core::fs::save_target(out)?;
    }
    Ok(())
}
