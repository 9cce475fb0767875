//! The `plimsoll` command line.

mod args;
mod catalogue;
mod check;
mod discover;
mod image_cmd;
mod rules_cmd;
mod runtime;

use args::{Cli, Command, DebugCommand};
use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the linter allocates many small short-lived values (shell
/// words, commands, findings) on two or more threads, and glibc's malloc
/// was a fifth of the CPU time of a corpus run (bench/RESULTS.md). Built
/// without transparent huge pages (`no_thp`): with them, reading a 1.5 GB
/// image spent seconds in the kernel zeroing 2 MiB pages again and again.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the 16th of `mi_option_e` in
/// mimalloc.h; the Rust bindings have no name for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// For `plimsoll image`: give freed memory back to the OS at once rather
/// than 10 ms later. It frees 128 KiB buffers at a high rate on several
/// threads, and the delay kept a quarter more memory resident (47 MB
/// instead of 38 MB on bench/vs_dive.py's image) for no measurable speed.
/// `check` keeps the delay, which saves it system time.
fn tune_allocator() {
    // SAFETY: `mi_option_set` only stores an integer in mimalloc's option
    // table; it is called before any thread of ours exists, and option 15
    // is a valid `mi_option_t` of the linked mimalloc (v3).
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

/// Exit codes, as hadolint and Ruff use them.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(*args),
        Command::Image(args) => {
            tune_allocator();
            image_cmd::run(*args)
        }
        Command::Rule { code } => rules_cmd::rule(&code),
        Command::Rules { format } => rules_cmd::rules(format),
        Command::Debug(DebugCommand::BuildkitAst { file }) => rules_cmd::buildkit_ast(&file),
    };
    ExitCode::from(code)
}

/// Print one clear line on stderr.
pub fn error_line(msg: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "plimsoll: error: {msg}");
}
