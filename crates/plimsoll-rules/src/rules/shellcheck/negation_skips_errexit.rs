use super::common::is_shell;
use crate::rules::prelude::*;
use plimsoll_shell::{Connector, Script};

declare_rule! {
    /// ## What it does
    /// Flags a pipeline negated with `!` under `set -e` that is neither a
    /// condition nor the last command (ShellCheck SC2251).
    ///
    /// ## Why is this bad?
    /// `set -e` ignores the status of a negated pipeline: `! grep -q bad
    /// log; next` goes on to `next` whether `bad` was found or not. The
    /// check the writer meant is not made.
    ///
    /// Not flagged, as in ShellCheck: `! cmd` joined by `&&` or `||`, in an
    /// `if`/`while` condition, or last in the script or its subshell (its
    /// status is then the script's).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN set -e; ! ldd /usr/local/bin/app | grep 'not found'; rm -rf /tmp/build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN set -e; ldd /usr/local/bin/app | grep 'not found' && exit 1; rm -rf /tmp/build
    /// ```
    pub struct NegationSkipsErrexit {
        code: "SC2251",
        name: "negation_skips_errexit",
        aliases: [],
        severity: Info,
        summary: "This `!` is not on a condition and skips errexit",
        url: Some("https://www.shellcheck.net/wiki/SC2251"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for NegationSkipsErrexit {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for (_, script) in cx.run_scripts() {
            if !is_shell(script) {
                continue;
            }
            for (p, pipeline) in script.pipelines.iter().enumerate() {
                if !pipeline.negated
                    || !pipeline.options.errexit
                    || pipeline.nesting.condition
                    || matches!(
                        pipeline.connector_before,
                        Some(Connector::And | Connector::Or)
                    )
                {
                    continue;
                }
                if is_checked_or_last(script, p) {
                    continue;
                }
                spans.push(pipeline.span);
            }
        }
        for span in spans {
            cx.report(
                span,
                "This ! is not on a condition and skips errexit. Use `&& exit 1` instead, or make sure $? is checked.",
            );
        }
    }
}

/// True when the pipeline after `p` is joined to it by `&&`/`||`, or when
/// `p` is the last of the script or of its subshell.
fn is_checked_or_last(script: &Script, p: usize) -> bool {
    let Some(pipeline) = script.pipelines.get(p) else {
        return true;
    };
    let next = script
        .pipelines
        .iter()
        .filter(|q| q.span.start >= pipeline.span.end)
        .min_by_key(|q| q.span.start);
    match next {
        None => true,
        Some(q) => {
            matches!(q.connector_before, Some(Connector::And | Connector::Or))
                || (pipeline.nesting.subshell && !q.nesting.subshell)
                || (pipeline.nesting.substitution && !q.nesting.substitution)
        }
    }
}
