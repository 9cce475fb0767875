use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports every place where the Dockerfile cannot be parsed: an unknown
    /// instruction, an instruction without its required arguments, an
    /// unterminated heredoc, text that is not valid UTF-8.
    ///
    /// ## Why is this bad?
    /// BuildKit refuses to build a file with these errors, usually only after
    /// the build has started. plimsoll reports each one and keeps checking
    /// the rest of the file.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUNN apk add --no-cache curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache curl
    /// ```
    pub struct ParseError {
        code: "DL1000",
        name: "parse_error",
        aliases: [],
        severity: Error,
        summary: "The Dockerfile cannot be parsed",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for ParseError {
    fn check(&self, cx: &mut Checker<'_>) {
        for e in &cx.dockerfile.errors {
            cx.report(e.span, e.message.clone());
        }
    }
}
