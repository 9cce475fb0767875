use super::common::is_shell;
use crate::rules::prelude::*;
use plimsoll_shell::{Connector, Script};

declare_rule! {
    /// ## What it does
    /// Flags a `cd` (or `pushd`, `popd`) whose failure nothing checks
    /// (ShellCheck SC2164).
    ///
    /// ## Why is this bad?
    /// `RUN` runs `/bin/sh -c` without `-e`: when `cd` fails, the next
    /// command after `;` or a newline still runs, in the wrong directory,
    /// where `rm -rf *` or `make install` does something else.
    ///
    /// Not flagged: a `cd` followed by `&&` or `||`, one in an `if`/`while`
    /// condition, one under `set -e` (or a `SHELL` with `-e`), and, unlike
    /// ShellCheck, a `cd` that is the last command of the script (its
    /// failure fails the RUN).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN cd /opt/app; make install
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// WORKDIR /opt/app
    /// RUN make install
    /// ```
    ///
    /// or `RUN cd /opt/app && make install`.
    pub struct CdWithoutCheck {
        code: "SC2164",
        name: "cd_without_check",
        aliases: [],
        severity: Warning,
        summary: "Use `cd … || exit` in case cd fails",
        url: Some("https://www.shellcheck.net/wiki/SC2164"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for CdWithoutCheck {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for (_, script) in cx.run_scripts() {
            if !is_shell(script) {
                continue;
            }
            for (k, cmd) in script.commands.iter().enumerate() {
                let is_cd = cmd.name_is("cd") || cmd.name_is("pushd") || cmd.name_is("popd");
                if !is_cd || cmd.options.errexit || cmd.nesting.condition || cmd.background {
                    continue;
                }
                let Some(pipeline) = script.pipelines.get(cmd.pipeline) else {
                    continue;
                };
                if pipeline.is_piped() || pipeline.negated {
                    continue;
                }
                match next_connector(script, k) {
                    Some(Connector::And | Connector::Or) => continue,
                    None if cmd.nesting == Default::default() => continue,
                    _ => {}
                }
                spans.push(cmd.span);
            }
        }
        for span in spans {
            cx.report(
                span,
                "Use 'cd ... || exit' or 'cd ... || return' in case cd fails.",
            );
        }
    }
}

/// How the command after command `k` (the next one outside `k`'s own
/// substitutions) is joined to it; `None` when `k` is the last.
fn next_connector(script: &Script, k: usize) -> Option<Connector> {
    let cmd = script.commands.get(k)?;
    script
        .commands
        .iter()
        .skip(k + 1)
        .find(|c| c.span.start >= cmd.span.end)
        .map(|c| c.connector_before.unwrap_or(Connector::Seq))
}
