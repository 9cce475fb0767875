use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `ONBUILD ONBUILD`, `ONBUILD FROM` and `ONBUILD MAINTAINER`.
    ///
    /// ## Why is this bad?
    /// These instructions cannot be triggers: BuildKit refuses the
    /// Dockerfile (`FROM isn't allowed as an ONBUILD trigger`).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ONBUILD FROM alpine:3.20
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ONBUILD COPY . /app/
    /// ```
    pub struct OnbuildForbiddenTrigger {
        code: "DL3043",
        name: "onbuild_forbidden_trigger",
        aliases: [],
        severity: Error,
        summary: "ONBUILD, FROM or MAINTAINER triggered from within ONBUILD instruction",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3043"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for OnbuildForbiddenTrigger {
    fn check(&self, cx: &mut Checker<'_>) {
        for (_, ins) in cx.instructions_of(Keyword::Onbuild) {
            let Some(inner) = ins.onbuild.as_deref() else {
                continue;
            };
            if matches!(
                inner.keyword,
                Keyword::Onbuild | Keyword::From | Keyword::Maintainer
            ) {
                cx.report(
                    inner.keyword_span,
                    "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.",
                );
            }
        }
    }
}
