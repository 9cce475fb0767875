use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an instruction before the first `FROM` other than `ARG`
    /// (comments and parser directives may come first too). Unknown
    /// instructions are left to DL1000.
    ///
    /// ## Why is this bad?
    /// Before the first `FROM` there is no stage for an instruction to act
    /// on: BuildKit refuses the Dockerfile. Only `ARG`, which declares
    /// variables for the `FROM` lines, may come first.
    ///
    /// ## Example
    /// ```dockerfile
    /// LABEL org.opencontainers.image.title="api"
    /// FROM alpine:3.20
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.title="api"
    /// ```
    pub struct InstructionBeforeFrom {
        code: "DL3061",
        name: "instruction_before_from",
        aliases: [],
        severity: Error,
        summary: "Invalid instruction order: a Dockerfile must begin with FROM, ARG or a comment",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3061"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for InstructionBeforeFrom {
    fn check(&self, cx: &mut Checker<'_>) {
        let early: Vec<Span> = cx
            .instructions()
            .take_while(|(_, ins)| ins.keyword != Keyword::From)
            .filter(|(_, ins)| !matches!(ins.keyword, Keyword::Arg | Keyword::Unknown))
            .map(|(_, ins)| ins.keyword_span)
            .collect();
        for span in early {
            cx.report(
                span,
                "Invalid instruction order. Dockerfile must begin with `FROM`, `ARG` or comment.",
            );
        }
    }
}
