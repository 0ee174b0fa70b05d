//! The files a package installs beside the binary, made from the command
//! line's own definition so they cannot drift from it: a man page per
//! command (clap_mangen: `ia-licensing.1`, `ia-licensing-check.1`, …) and
//! completions for bash, zsh and fish (clap_complete). `scripts/package.sh`
//! runs the hidden `package-files` command of the binary it packages, so
//! no build script has to compile the command line a second time. The
//! command is added to the parser only (`cli::parse`), not to
//! `command_tree`: clap_complete would offer even a hidden command.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap_complete::Shell;

use super::Failure;

/// The hidden command's name.
pub const NAME: &str = "package-files";

/// `package-files -o DIR`.
pub fn command() -> clap::Command {
    clap::Command::new(NAME)
        .hide(true)
        .about("Write the man pages and shell completions a package installs")
        .arg(
            clap::Arg::new("out")
                .short('o')
                .long("out")
                .value_name("DIR")
                .required(true)
                .value_parser(clap::value_parser!(PathBuf))
                .help("The folder to write man/ and completions/ into"),
        )
}

/// Runs the parsed `package-files`, printing a refusal as every command does.
pub fn run(matches: &clap::ArgMatches) -> ExitCode {
    let result = match matches.get_one::<PathBuf>("out") {
        // The same refusals as any command's output: never a secret key,
        // a link to nothing, a pipe or device (`guard::check`).
        Some(out) => crate::core::fs::check_output(out, &[])
            .map_err(Failure::from)
            .and_then(|()| {
                if crate::core::fs::exists(out) && !crate::core::fs::is_dir(out) {
                    Err(Failure::refused(format!("{} is not a folder", out.display())))
                } else {
                    run_package_files(out)
                }
            }),
        None => Err(Failure::refused("package-files needs -o DIR")),
    };
    result.unwrap_or_else(Failure::report)
}

/// The completion files, named where each shell looks for them:
/// bash-completion loads `NAME`, zsh `_NAME`, fish `NAME.fish`.
pub const COMPLETIONS: [(Shell, &str); 3] = [
    (Shell::Bash, "ia-licensing"),
    (Shell::Zsh, "_ia-licensing"),
    (Shell::Fish, "ia-licensing.fish"),
];

/// Writes `OUT/man/*.1` and `OUT/completions/{ia-licensing,_ia-licensing,
/// ia-licensing.fish}`.
pub fn run_package_files(out: &Path) -> Result<ExitCode, Failure> {
    let man_dir = out.join("man");
    let completion_dir = out.join("completions");
    crate::core::fs::create_dir_all(&man_dir)?;
    crate::core::fs::create_dir_all(&completion_dir)?;
    let mut pages = 0;
    for (name, text) in man_pages()? {
        crate::core::fs::atomic_write(&man_dir.join(name), &text)?;
        pages += 1;
    }
    for (shell, name) in COMPLETIONS {
        crate::core::fs::atomic_write(&completion_dir.join(name), &completion(shell))?;
    }
    eprintln!(
        "wrote {pages} man pages to {} and bash, zsh and fish completions to {}",
        crate::core::text::safe(&man_dir.display().to_string()),
        crate::core::text::safe(&completion_dir.display().to_string())
    );
    Ok(ExitCode::SUCCESS)
}

/// Every man page: the program's, then one per visible command and
/// subcommand, named as `man` finds them (`ia-licensing-license-show.1`).
pub fn man_pages() -> Result<Vec<(String, Vec<u8>)>, Failure> {
    fn add(cmd: &clap::Command, out: &mut Vec<(String, Vec<u8>)>) -> Result<(), Failure> {
        let man = clap_mangen::Man::new(cmd.clone());
        let mut text = Vec::new();
        man.render(&mut text)
            .map_err(|e| Failure::refused(format!("cannot write the man page of {}: {e}", cmd.get_name())))?;
        out.push((man.get_filename(), text));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            add(sub, out)?;
        }
        Ok(())
    }
    // Built once so every subcommand knows its full name and the global
    // options (`--renderer`); clap's own `help` command has no page.
    let mut cmd = super::command_tree().disable_help_subcommand(true);
    cmd.build();
    let mut pages = Vec::new();
    add(&cmd, &mut pages)?;
    Ok(pages)
}

/// The completion script for one shell.
pub fn completion(shell: Shell) -> Vec<u8> {
    const BIN: &str = "ia-licensing";
    let mut cmd = super::command_tree();
    let mut text = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut text);
    if shell == Shell::Bash {
        // clap_complete's bash script names each command's state by
        // escaping the program name twice over in its `case` arms
        // (`ia__subcmd__licensing__subcmd__check`) but once in the loop
        // that computes the state (`ia__licensing__subcmd__check`), so no
        // option after a command ever completed for a name with a hyphen
        // (clap issues #6421, #6529). The arms are respelled as the loop
        // spells them.
        let wrong = BIN.replace('-', "__subcmd__");
        let right = BIN.replace('-', "__");
        text = String::from_utf8_lossy(&text).replace(&wrong, &right).into_bytes();
    }
    text
}
