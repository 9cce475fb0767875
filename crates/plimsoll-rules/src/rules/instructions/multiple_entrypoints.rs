use super::common::report_repeated;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags every `ENTRYPOINT` after the first one in a stage. This is also
    /// BuildKit's `MultipleInstructionsDisallowed` check for `ENTRYPOINT`.
    ///
    /// ## Why is this bad?
    /// An image has one entrypoint: only the last `ENTRYPOINT` of the stage
    /// takes effect, the others are dead code that misleads readers.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENTRYPOINT ["/usr/bin/env"]
    /// ENTRYPOINT ["/app/server"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENTRYPOINT ["/app/server"]
    /// ```
    pub struct MultipleEntrypoints {
        code: "DL4004",
        name: "multiple_entrypoints",
        aliases: ["MultipleInstructionsDisallowed"],
        severity: Error,
        summary: "Multiple ENTRYPOINT instructions in one stage",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL4004"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for MultipleEntrypoints {
    fn check(&self, cx: &mut Checker<'_>) {
        report_repeated(
            cx,
            Keyword::Entrypoint,
            "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect",
        );
    }
}
