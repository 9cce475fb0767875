use super::common::report_repeated;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags every `HEALTHCHECK` after the first one in a stage
    /// (`HEALTHCHECK NONE` included). This is also BuildKit's
    /// `MultipleInstructionsDisallowed` check for `HEALTHCHECK`.
    ///
    /// ## Why is this bad?
    /// An image has one health check: only the last `HEALTHCHECK` of the
    /// stage takes effect, the others are dead code that misleads readers.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK CMD curl -f http://localhost/ || exit 1
    /// HEALTHCHECK CMD curl -f http://localhost/healthz || exit 1
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// HEALTHCHECK CMD curl -f http://localhost/healthz || exit 1
    /// ```
    pub struct MultipleHealthchecks {
        code: "DL3012",
        name: "multiple_healthchecks",
        aliases: ["MultipleInstructionsDisallowed"],
        severity: Error,
        summary: "Multiple HEALTHCHECK instructions in one stage",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3012"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for MultipleHealthchecks {
    fn check(&self, cx: &mut Checker<'_>) {
        report_repeated(
            cx,
            Keyword::Healthcheck,
            "Multiple `HEALTHCHECK` instructions.",
        );
    }
}
