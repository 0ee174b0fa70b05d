//! Checks every command's paths before it runs, from the parsed command
//! line itself, so a command added later is covered the day it exists: an
//! output (`-o`, and the few arguments a command writes) may not be the
//! same file as any input or key of the same command, nor an issuer secret
//! key (`core::fs::check_output`), nor a file an input keeps beside it —
//! a workspace's usage history or recovery journal, a history's lock and
//! side files — whether or not it exists yet (`core::companions`).

use std::path::PathBuf;

use clap::{ArgMatches, CommandFactory};

use super::Failure;
use super::args::Cli;
use crate::core::companions::{self, Companion, Kind};

/// Arguments other than `-o/--out` that a command writes: (command path,
/// argument id).
const WRITTEN: &[(&str, &str)] = &[("session", "journal"), ("history import", "history")];

/// Outputs that may be a file an input keeps beside it, and which kind:
/// `history import` writes the workspace's own usage history.
const MAY_BE: &[(&str, &str, Kind)] = &[("history import", "history", Kind::History)];

/// Is `arg` (its id) an output of the command at `path` ("account
/// generate")?
pub fn is_output(path: &str, arg: &str) -> bool {
    arg == "out" || WRITTEN.iter().any(|(p, a)| *p == path && *a == arg)
}

/// A command line's paths: the leaf command's name path, its outputs (with
/// their argument ids) and its inputs (likewise).
pub struct Paths {
    pub path: String,
    pub outputs: Vec<(String, PathBuf)>,
    pub inputs: Vec<(String, PathBuf)>,
}

/// The leaf command's name path and its path arguments, split into
/// outputs and inputs.
pub fn paths_of(matches: &ArgMatches) -> Paths {
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
        target.extend(values.map(|v| (id.to_string(), v.clone())));
    }
    Paths { path, outputs, inputs }
}

/// The files the inputs keep beside them: a workspace's usage history and
/// recovery journal, a history's lock, backup and side files.
fn companions_of(inputs: &[(String, PathBuf)]) -> Vec<Companion> {
    let data_dir = crate::core::journal::data_dir();
    let mut out = Vec::new();
    for (id, path) in inputs {
        match id.as_str() {
            "workspace" => out.extend(companions::of_workspace(path, data_dir.as_deref())),
            "history" => out.extend(
                companions::of_history(path, &path.display().to_string())
                    .into_iter()
                    .filter(|c| c.kind != Kind::History),
            ),
            _ => {}
        }
    }
    out
}

/// Refuses the command line when an output is an input or a key, a file
/// an input keeps beside it, or something no output may be (a pipe, a
/// device, a link to nothing) — up front, even when the command would not
/// write (`--dry-run`).
pub fn check(matches: &ArgMatches) -> Result<(), Failure> {
    let Paths { path, outputs, inputs } = paths_of(matches);
    let kept = companions_of(&inputs);
    let inputs: Vec<&std::path::Path> = inputs.iter().map(|(_, p)| p.as_path()).collect();
    for (id, out) in &outputs {
        crate::core::fs::check_output(out, &inputs)?;
        let allowed: Vec<Kind> = MAY_BE
            .iter()
            .filter(|(p, a, _)| *p == path && a == id)
            .map(|(_, _, k)| *k)
            .collect();
        companions::check_output(out, &kept, &allowed)?;
        if crate::core::fs::is_dir(out) {
            // A folder an output goes into (`keygen -o DIR`, `demo generate -o DIR`).
            continue;
        }
        crate::core::fs::save_target(out)?;
    }
    Ok(())
}
