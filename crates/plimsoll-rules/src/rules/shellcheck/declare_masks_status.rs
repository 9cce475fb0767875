use super::common::is_shell;
use crate::rules::prelude::*;
use plimsoll_shell::ExpansionKind;

declare_rule! {
    /// ## What it does
    /// Flags `export`, `local`, `declare`, `readonly` or `typeset` given
    /// `NAME=$(command)` (ShellCheck SC2155).
    ///
    /// ## Why is this bad?
    /// The status of the line is the status of `export`, which succeeds:
    /// when the command in `$(…)` fails, neither `&&` nor `set -e` notices,
    /// and the build goes on with an empty or partial value.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN export VERSION=$(cat /opt/app/VERSION) && ./build.sh "$VERSION"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN VERSION=$(cat /opt/app/VERSION) && export VERSION && ./build.sh "$VERSION"
    /// ```
    pub struct DeclareMasksStatus {
        code: "SC2155",
        name: "declare_masks_status",
        aliases: [],
        severity: Warning,
        summary: "Declare and assign separately to avoid masking return values",
        url: Some("https://www.shellcheck.net/wiki/SC2155"),
        fixable: false,
        default_enabled: true,
    }
}

const DECLARERS: &[&str] = &["export", "local", "declare", "readonly", "typeset"];

impl Rule for DeclareMasksStatus {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for (_, script) in cx.run_scripts() {
            if !is_shell(script) {
                continue;
            }
            for cmd in &script.commands {
                if !DECLARERS.iter().any(|d| cmd.name_is(d)) {
                    continue;
                }
                for word in &cmd.args {
                    let Some(eq) = word.text.find('=') else {
                        continue;
                    };
                    let name = &word.text[..eq];
                    let name = name.strip_suffix('+').unwrap_or(name);
                    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                    let substitutes = word.expansions.iter().any(|e| {
                        e.kind == ExpansionKind::Command && e.span.start >= word.span.start + eq
                    });
                    if valid && substitutes {
                        spans.push(word.span);
                    }
                }
            }
        }
        for span in spans {
            cx.report(
                span,
                "Declare and assign separately to avoid masking return values.",
            );
        }
    }
}
