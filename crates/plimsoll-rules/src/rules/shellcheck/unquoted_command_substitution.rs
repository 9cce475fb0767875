use super::common::{is_shell, split_words};
use crate::rules::prelude::*;
use plimsoll_shell::{Command, ExpansionKind, Script};

declare_rule! {
    /// ## What it does
    /// Flags a command substitution, `$(…)` or `` `…` ``, used without
    /// double quotes in a command's arguments (ShellCheck SC2046).
    ///
    /// ## Why is this bad?
    /// The output of an unquoted substitution is split on whitespace and
    /// each piece is expanded as a glob, so output with a space or a `*`
    /// turns into several arguments or a list of files.
    ///
    /// Not flagged: assignments, `[[ … ]]`, and, unlike ShellCheck, the
    /// substitution of a command that prints one word by construction
    /// (`nproc`, `uname -m`, `arch`, `id -u`, `whoami`, `dpkg
    /// --print-architecture`, `lsb_release -cs`, `getconf NAME`), as in
    /// `make -j$(nproc)`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN cd $(dirname /opt/app/bin/run) && ./run --init
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN cd "$(dirname /opt/app/bin/run)" && ./run --init
    /// ```
    ///
    /// Splitting on purpose (`apt-get install $(cat packages.txt)`) is a
    /// reason to ignore the finding: `# hadolint ignore=SC2046`.
    pub struct UnquotedCommandSubstitution {
        code: "SC2046",
        name: "unquoted_command_substitution",
        aliases: [],
        severity: Warning,
        summary: "Quote command substitutions to prevent word splitting",
        url: Some("https://www.shellcheck.net/wiki/SC2046"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for UnquotedCommandSubstitution {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for (_, script) in cx.run_scripts() {
            if !is_shell(script) {
                continue;
            }
            for cmd in &script.commands {
                for word in split_words(cmd) {
                    for exp in &word.expansions {
                        if exp.kind != ExpansionKind::Command || exp.quoted {
                            continue;
                        }
                        if prints_one_word(script, exp.span) {
                            continue;
                        }
                        spans.push(exp.span);
                    }
                }
            }
        }
        for span in spans {
            cx.report(span, "Quote this to prevent word splitting.");
        }
    }
}

/// True when the substitution at `span` runs one command known to print a
/// single word.
fn prints_one_word(script: &Script, span: Span) -> bool {
    let inner: Vec<&Command> = script
        .commands
        .iter()
        .filter(|c| c.nesting.substitution && span.start < c.span.start && c.span.end <= span.end)
        .collect();
    let [cmd] = inner.as_slice() else {
        return false;
    };
    let Some(inv) = cmd.invocation() else {
        return false;
    };
    if inv.args.iter().any(|a| a.value.is_none()) {
        return false;
    }
    match inv.basename() {
        Some("nproc" | "arch" | "whoami" | "hostname") => true,
        Some("uname") => matches!(
            inv.args,
            [a] if ["-m", "-r", "-s", "-n", "-p", "-i"].iter().any(|f| a.is(f))
        ),
        Some("id") => inv.has_flag(&["-u", "-g"]),
        Some("dpkg") => {
            inv.args.iter().all(|a| a.is("--print-architecture")) && !inv.args.is_empty()
        }
        Some("lsb_release") => inv.has_flag(&["-c", "-r", "-i"]) && inv.has_flag(&["-s"]),
        Some("getconf") => inv.args.len() == 1,
        _ => false,
    }
}
