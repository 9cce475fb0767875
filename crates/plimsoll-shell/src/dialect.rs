//! Which shell runs a script, and with which options.

use std::fmt;

/// The language a script is written in, as far as linting goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// A POSIX shell: `sh`, `dash`, `ash` (busybox), `posh`.
    Posix,
    /// `bash`, and the shells parsed like it: `ksh`, `mksh`, `zsh`.
    Bash,
    /// `powershell`, `pwsh` (Windows images). Recognised, never parsed.
    PowerShell,
    /// `cmd` (Windows images). Recognised, never parsed.
    Cmd,
    /// Anything else (`python3`, `node`, …): the program's name, lower-cased.
    /// Never parsed.
    Unknown(String),
}

impl Dialect {
    /// The dialect of a `SHELL` argv (`["/bin/bash", "-o", "pipefail",
    /// "-c"]`) or of a shebang's interpreter. An empty argv is Docker's
    /// default `/bin/sh -c`. `/usr/bin/env NAME` looks at `NAME`.
    pub fn from_shell<S: AsRef<str>>(argv: &[S]) -> Dialect {
        match interpreter(argv) {
            Some((name, _)) => Dialect::from_name(name),
            None => Dialect::Posix,
        }
    }

    /// The dialect named by hadolint's `# hadolint shell=NAME` pragma.
    pub fn from_pragma(name: &str) -> Dialect {
        Dialect::from_name(name.trim())
    }

    /// The dialect of a shell program, by path or name (`/bin/bash`,
    /// `pwsh.exe`, `C:\Windows\System32\cmd.exe`).
    pub fn from_name(program: &str) -> Dialect {
        let base = basename(program).to_ascii_lowercase();
        let base = base.strip_suffix(".exe").unwrap_or(&base);
        match base {
            "" | "sh" | "dash" | "ash" | "busybox" | "posh" => Dialect::Posix,
            "bash" | "ksh" | "mksh" | "ksh93" | "zsh" => Dialect::Bash,
            "powershell" | "pwsh" => Dialect::PowerShell,
            "cmd" => Dialect::Cmd,
            other => Dialect::Unknown(other.to_string()),
        }
    }

    /// True for the shells whose scripts are parsed (POSIX sh and bash).
    pub fn is_analyzable(&self) -> bool {
        matches!(self, Dialect::Posix | Dialect::Bash)
    }

    pub fn as_str(&self) -> &str {
        match self {
            Dialect::Posix => "sh",
            Dialect::Bash => "bash",
            Dialect::PowerShell => "powershell",
            Dialect::Cmd => "cmd",
            Dialect::Unknown(name) => name,
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `set` options that change what a failure does, as in force at one
/// point of a script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ShellOptions {
    /// `set -e` / `set -o errexit`.
    pub errexit: bool,
    /// `set -o pipefail`: a pipeline fails when any of its commands does.
    pub pipefail: bool,
    /// `set -u` / `set -o nounset`.
    pub nounset: bool,
}

impl ShellOptions {
    /// The options a shell is started with (`bash -eu -o pipefail -c`).
    /// Reading stops at `-c` and at the first operand.
    pub fn from_argv<S: AsRef<str>>(argv: &[S]) -> ShellOptions {
        let mut options = ShellOptions::default();
        let start = interpreter(argv).map_or(argv.len(), |(_, i)| i + 1);
        let args: Vec<&str> = argv[start.min(argv.len())..]
            .iter()
            .map(AsRef::as_ref)
            .collect();
        options.apply_set(&args, true);
        options
    }

    /// Applies the arguments of `set` (or of a shell's command line when
    /// `invocation`, where `-c` and the first operand end the options).
    pub(crate) fn apply_set(&mut self, args: &[&str], invocation: bool) {
        let mut i = 0;
        while i < args.len() {
            let arg = args[i];
            i += 1;
            let (on, letters) = match arg.as_bytes().first() {
                _ if arg == "--" || arg == "-" => break,
                Some(b'-') => (true, &arg[1..]),
                Some(b'+') => (false, &arg[1..]),
                _ => break,
            };
            if invocation && letters.starts_with('-') {
                // A long option of the shell itself (`--norc`).
                continue;
            }
            let mut named = false;
            for c in letters.chars() {
                match c {
                    'e' => self.errexit = on,
                    'u' => self.nounset = on,
                    'o' => named = true,
                    'c' if invocation => return,
                    _ => {}
                }
            }
            if named {
                // `-o NAME`, also bundled: `-euo pipefail`. A bare `set -o`
                // lists the options and changes nothing.
                if let Some(name) = args.get(i) {
                    i += 1;
                    self.set_named(name, on);
                }
            }
        }
    }

    fn set_named(&mut self, name: &str, on: bool) {
        match name {
            "errexit" => self.errexit = on,
            "pipefail" => self.pipefail = on,
            "nounset" => self.nounset = on,
            _ => {}
        }
    }
}

/// The shell a script runs in: its dialect and start-up options.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Shell {
    pub dialect: Dialect,
    pub options: ShellOptions,
}

impl Default for Shell {
    /// Docker's default on Linux, `/bin/sh -c`.
    fn default() -> Self {
        Shell {
            dialect: Dialect::Posix,
            options: ShellOptions::default(),
        }
    }
}

impl Shell {
    /// The shell of a `SHELL` argv, as the semantic model gives it per
    /// instruction: `["/bin/bash", "-o", "pipefail", "-c"]` is bash with
    /// pipefail.
    pub fn from_argv<S: AsRef<str>>(argv: &[S]) -> Shell {
        Shell {
            dialect: Dialect::from_shell(argv),
            options: ShellOptions::from_argv(argv),
        }
    }

    /// The shell of a `#!` line (`#!/bin/bash -e`, `#!/usr/bin/env -S bash
    /// -eu`); `None` when `line` is not a shebang.
    pub fn from_shebang(line: &str) -> Option<Shell> {
        let rest = line.strip_prefix("#!")?;
        let argv: Vec<&str> = rest.split_whitespace().collect();
        Some(Shell::from_argv(&argv))
    }

    /// The same shell with another dialect (for `# hadolint shell=…`).
    pub fn with_dialect(mut self, dialect: Dialect) -> Shell {
        self.dialect = dialect;
        self
    }
}

/// The interpreter of an argv and its index, looking through
/// `/usr/bin/env [-S] [-i] [NAME=value…] PROGRAM`.
fn interpreter<S: AsRef<str>>(argv: &[S]) -> Option<(&str, usize)> {
    let first = argv.first()?.as_ref();
    if basename(first) != "env" {
        return Some((first, 0));
    }
    for (i, arg) in argv.iter().enumerate().skip(1) {
        let arg = arg.as_ref();
        if arg.starts_with('-') || arg.contains('=') {
            continue;
        }
        return Some((arg, i));
    }
    Some((first, 0))
}

/// The last path component, for `/` and `\` separators.
pub(crate) fn basename(path: &str) -> &str {
    // Byte search: both separators are ASCII, so the cut is on a char
    // boundary. (Every rule asks this of every command: keep it cheap.)
    match path.bytes().rposition(|b| b == b'/' || b == b'\\') {
        Some(i) => &path[i + 1..],
        None => path,
    }
}
