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
/// was a fifth of the CPU time of a corpus run (bench/RESULTS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        Command::Image(args) => image_cmd::run(*args),
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
