//! Helpers shared by the ShellCheck rules: which scripts are shell code,
//! which words of a command the shell splits and globs.

use plimsoll_shell::{Command, RedirectOp, Script, ScriptSource, Word};

/// True for scripts a shell runs (not an exec-form argv, not a skipped
/// language), leaving out `sh -c "…"` strings inside them: ShellCheck
/// reads a string as a string, and its expansions are the outer shell's.
pub(crate) fn is_shell(script: &Script) -> bool {
    script.is_analyzed() && script.source != ScriptSource::ExecForm && !script.is_command_string()
}

/// The words of `cmd` that undergo word splitting and globbing: its
/// arguments and the files of its redirections. `[[ … ]]` splits nothing.
pub(crate) fn split_words(cmd: &Command) -> Vec<&Word> {
    if cmd.name.as_ref().is_some_and(|n| n.text == "[[") {
        return Vec::new();
    }
    let mut out: Vec<&Word> = cmd.args.iter().collect();
    for r in &cmd.redirects {
        if matches!(
            r.op,
            RedirectOp::Heredoc { .. }
                | RedirectOp::HereString
                | RedirectOp::DupInput
                | RedirectOp::DupOutput
        ) {
            continue;
        }
        out.extend(r.target.as_ref());
    }
    out
}

/// True when a literal value holds nothing the shell would split or glob.
pub(crate) fn splits_safely(value: &str) -> bool {
    !value.is_empty()
        && !value
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '*' | '?' | '['))
}
