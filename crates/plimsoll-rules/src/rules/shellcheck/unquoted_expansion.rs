use super::common::{is_shell, split_words, splits_safely};
use crate::rules::prelude::*;
use plimsoll_shell::{ExpansionKind, Script};
use std::collections::HashMap;

declare_rule! {
    /// ## What it does
    /// Flags a variable expanded without double quotes in a command's
    /// arguments or a redirection's file name (ShellCheck SC2086).
    ///
    /// ## Why is this bad?
    /// An unquoted `$VAR` is split on whitespace and each piece is expanded
    /// as a glob: a value with a space becomes two arguments, and one with
    /// `*` may become a list of files. Quoting keeps it one argument.
    ///
    /// Not flagged, as in ShellCheck: assignments, `[[ … ]]`, the special
    /// parameters `$#`, `$?`, `$$`, `$!`, `$-`, lengths (`${#VAR}`), and
    /// `$@`/`$*` (other checks). Unlike ShellCheck, which cannot see the
    /// Dockerfile, a variable whose value is known — assigned earlier in
    /// the same script, a `for` loop's variable whose every value is one
    /// literal word (`for i in a b c`, as ShellCheck), or an `ARG`
    /// default or `ENV` value — and has no blank or glob character is not
    /// flagged either.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN cp $SRC /opt/app/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN cp "$SRC" /opt/app/
    /// ```
    ///
    /// Splitting on purpose (a list of packages in one variable) is a
    /// reason to ignore the finding: `# hadolint ignore=SC2086`.
    pub struct UnquotedExpansion {
        code: "SC2086",
        name: "unquoted_expansion",
        aliases: [],
        severity: Info,
        summary: "Double quote to prevent globbing and word splitting",
        url: Some("https://www.shellcheck.net/wiki/SC2086"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for UnquotedExpansion {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for (i, script) in cx.run_scripts() {
            if !is_shell(script) {
                continue;
            }
            for (k, cmd) in script.commands.iter().enumerate() {
                for word in split_words(cmd) {
                    for exp in &word.expansions {
                        let ExpansionKind::Parameter { name } = &exp.kind else {
                            continue;
                        };
                        if exp.quoted
                            || matches!(name.as_str(), "#" | "?" | "$" | "!" | "-" | "@" | "*" | "")
                        {
                            continue;
                        }
                        let text = cx.slice(exp.span);
                        if text.starts_with("${#") || known_safe(cx, i, script, k, name, text) {
                            continue;
                        }
                        spans.push(exp.span);
                    }
                }
            }
        }
        for span in spans {
            cx.report(span, "Double quote to prevent globbing and word splitting.");
        }
    }
}

/// True when the value of the expansion `text` (of variable `name`, in
/// command `k` of `script` in instruction `i`) is known and splits into
/// nothing: from an assignment earlier in the script, else from the
/// Dockerfile's ARG/ENV.
fn known_safe(
    cx: &Checker<'_>,
    i: usize,
    script: &Script,
    k: usize,
    name: &str,
    text: &str,
) -> bool {
    let plain = text == format!("${name}") || text == format!("${{{name}}}");
    // `for i in a b c; do … $i …`: one of the loop's values, unless the
    // body assigned the variable before.
    if let Some(l) = script.loop_binding(k, name)
        && !assigns(script, l.body.start..k, name)
    {
        return plain
            && l.literal_values()
                .is_some_and(|values| values.iter().all(|v| splits_safely(v)));
    }
    let assigned = script_assignments(script, k);
    if let Some(value) = assigned.get(name) {
        return plain && value.as_deref().is_some_and(splits_safely);
    }
    cx.model.context(i).scope.is_declared(name)
        && cx.model.resolve(i, text).is_some_and(|v| splits_safely(&v))
}

/// True when one of the commands `range` assigns `name`.
fn assigns(script: &Script, range: std::ops::Range<usize>, name: &str) -> bool {
    script.commands.get(range).unwrap_or(&[]).iter().any(|c| {
        c.name.is_none() && c.env.iter().any(|a| a.name == name)
            || ["export", "readonly", "read", "local", "declare"]
                .iter()
                .any(|n| c.name_is(n))
                && c.args
                    .iter()
                    .any(|w| w.text.split('=').next() == Some(name))
    })
}

/// Variables assigned by the commands before `k` (bare `NAME=value` and
/// `export NAME=value`): the literal value, or `None` when it has an
/// expansion.
fn script_assignments<'s>(script: &'s Script, k: usize) -> HashMap<&'s str, Option<String>> {
    let mut out: HashMap<&str, Option<String>> = HashMap::new();
    // An assignment in a branch (`case` arm, `if`) may or may not have
    // run: the variable may hold any of the values, so an unknown or
    // unsafe one wins.
    let mut assign =
        |cmd: &plimsoll_shell::Command, name: &'s str, value: Option<String>| match out.get(name) {
            Some(old) if cmd.nesting.control_flow => {
                let safe = |v: &Option<String>| v.as_deref().is_some_and(splits_safely);
                if safe(old) && !safe(&value) {
                    out.insert(name, value);
                }
            }
            _ => {
                out.insert(name, value);
            }
        };
    for cmd in script.commands.iter().take(k) {
        if cmd.name.is_none() {
            for a in &cmd.env {
                // `pid=$!`, `ret=$?`: a number.
                let number = matches!(a.value.text.trim_matches('"'), "$!" | "$?" | "$$" | "$#");
                let value = if number {
                    Some("0".to_string())
                } else {
                    a.value.value.clone()
                };
                assign(cmd, a.name.as_str(), value);
            }
        } else if cmd.name_is("export") || cmd.name_is("readonly") {
            for w in &cmd.args {
                if let Some((n, _)) = w.text.split_once('=') {
                    let value = w
                        .value
                        .as_ref()
                        .and_then(|v| v.split_once('='))
                        .map(|(_, v)| v.to_string());
                    assign(cmd, n, value);
                }
            }
        }
    }
    out
}
