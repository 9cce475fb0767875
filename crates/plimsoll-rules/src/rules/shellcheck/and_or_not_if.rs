use super::common::is_shell;
use crate::rules::prelude::*;
use plimsoll_shell::{Connector, Pipeline, Script};

declare_rule! {
    /// ## What it does
    /// Flags `A && B || C` (ShellCheck SC2015).
    ///
    /// ## Why is this bad?
    /// It reads like `if A; then B; else C; fi` but is not: `C` also runs
    /// when `A` succeeds and `B` fails. With `|| true` it hides the failure
    /// of `B` as well as that of `A`.
    ///
    /// Not flagged, as in ShellCheck (0.10 and later, the one hadolint
    /// embeds): a `C` that only stops the script or reports, whichever
    /// failed (`|| exit 1`, `|| return`, `|| echo "…"`, `|| printf …`,
    /// `|| ret=$?`), or
    /// that says the failure does not matter (`|| true`, `|| :`); and, as
    /// ShellCheck looks only at a list that `|| C` ends, `A && B || C && D`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN [ -f /tmp/patch.diff ] && patch -p1 < /tmp/patch.diff || cp /tmp/default.conf /etc/app.conf
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN if [ -f /tmp/patch.diff ]; then patch -p1 < /tmp/patch.diff; else cp /tmp/default.conf /etc/app.conf; fi
    /// ```
    pub struct AndOrNotIf {
        code: "SC2015",
        name: "and_or_not_if",
        aliases: [],
        severity: Info,
        summary: "`A && B || C` is not if-then-else",
        url: Some("https://www.shellcheck.net/wiki/SC2015"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for AndOrNotIf {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for (_, script) in cx.run_scripts() {
            if !is_shell(script) {
                continue;
            }
            for (p, b) in script.pipelines.iter().enumerate() {
                if b.connector_before != Some(Connector::And) {
                    continue;
                }
                // `A` is in the same list (not the command before a
                // subshell that `B` starts).
                if prev_in_list(script, b).is_none() {
                    continue;
                }
                let Some((q, c)) = next_in_list(script, p) else {
                    continue;
                };
                if c.connector_before != Some(Connector::Or) || exits(script, c) {
                    continue;
                }
                // `A && B || C && D`: ShellCheck only looks at a list that
                // `|| C` ends.
                if next_in_list(script, q)
                    .is_some_and(|(_, d)| d.connector_before == Some(Connector::And))
                {
                    continue;
                }
                spans.push(b.span.cover(c.span));
            }
        }
        for span in spans {
            cx.report(
                span,
                "Note that A && B || C is not if-then-else. C may run when A is true.",
            );
        }
    }
}

/// The pipeline after pipeline `p` in the same list (the next one that
/// starts after it ends, at the same nesting), and its index.
fn next_in_list(script: &Script, p: usize) -> Option<(usize, &Pipeline)> {
    let b = script.pipelines.get(p)?;
    script
        .pipelines
        .iter()
        .enumerate()
        .filter(|(_, q)| q.span.start >= b.span.end)
        .min_by_key(|(_, q)| q.span.start)
        .filter(|(_, q)| q.nesting == b.nesting)
}

/// The pipeline before `b` in the same list: the last one that ends
/// before it starts, at the same nesting.
fn prev_in_list<'s>(script: &'s Script, b: &Pipeline) -> Option<&'s Pipeline> {
    script
        .pipelines
        .iter()
        .filter(|q| q.span.end <= b.span.start)
        .max_by_key(|q| q.span.end)
        .filter(|q| q.nesting == b.nesting)
}

/// True when pipeline `c` is one `exit`, `return`, `echo`, `printf`,
/// `true`, `:` or a bare assignment (`|| ret=$?`).
fn exits(script: &Script, c: &Pipeline) -> bool {
    let cmds = script.commands.get(c.commands()).unwrap_or(&[]);
    matches!(cmds, [cmd] if cmd.name.is_none() || ["exit", "return", "echo", "printf", "true", ":"]
        .iter()
        .any(|n| cmd.name_is(n)))
}
