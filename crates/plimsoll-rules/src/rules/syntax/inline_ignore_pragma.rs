use crate::rules::prelude::*;
use crate::{PragmaKind, parse_pragma};

declare_rule! {
    /// ## What it does
    /// Flags inline ignore pragmas: `# hadolint ignore=…` and
    /// `# plimsoll ignore=…` comments, with or without the `global` and
    /// `stage` scopes. Off by default; select it to make every suppression
    /// go through the configuration file instead.
    ///
    /// ## Why is this bad?
    /// Suppressions spread through Dockerfiles are hard to audit and tend
    /// to outlive the reason they were added. Keeping them in one
    /// configuration file (`ignore`, `per-file-ignores`) makes them
    /// visible and reviewable.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// # hadolint ignore=DL3008
    /// RUN apt-get update && apt-get install -y curl
    /// ```
    ///
    /// Use instead, in `.plimsoll.toml`:
    /// ```toml
    /// [per-file-ignores]
    /// "Dockerfile" = ["DL3008"]
    /// ```
    pub struct InlineIgnorePragma {
        code: "DL1001",
        name: "inline_ignore_pragma",
        aliases: [],
        severity: Info,
        summary: "Inline ignore pragmas should not be used",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL1001"),
        fixable: false,
        default_enabled: false,
    }
}

impl Rule for InlineIgnorePragma {
    fn check(&self, cx: &mut Checker<'_>) {
        for c in &cx.dockerfile.comments {
            let Some(p) = parse_pragma(&c.text) else {
                continue;
            };
            if matches!(p.kind, PragmaKind::Shell(_)) {
                continue;
            }
            cx.report(
                c.span,
                format!(
                    "Please refrain from using inline ignore pragmas `# {} ignore=…`.",
                    p.tool
                ),
            );
        }
    }
}
