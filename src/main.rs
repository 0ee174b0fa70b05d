//! `ia-licensing`: the GUI with no arguments, or a CLI command (`start.rs`
//! decides; this file only names the allocator).

use std::process::ExitCode;

// glibc's allocator (consolidation, fragmentation) dominated profiles of a
// 100k-user load; mimalloc halves the load and recount times there.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ia_licensing::start::run(std::env::args_os())
}
