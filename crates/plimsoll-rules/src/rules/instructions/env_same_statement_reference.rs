use super::common::literal_span;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a reference to a variable in an `ENV` that defines that
    /// variable in an earlier pair, as in `ENV A=1 B=$A`.
    ///
    /// A reference to a variable that was already defined before the `ENV`
    /// (by an `ENV` or `ARG` in the stage or the stages it is built on, or
    /// `PATH`, which every image has) is not flagged: it deliberately uses
    /// the old value, as in `ENV PATH=/opt/bin:$PATH GOPATH=/go`. Redefining
    /// a variable from itself twice in one `ENV`
    /// (`ENV PATH=/a:$PATH PATH=/b:$PATH`) is always flagged, as the first
    /// assignment is lost.
    ///
    /// ## Why is this bad?
    /// All the values of one `ENV` are expanded before any of its variables
    /// is set, so `$A` is the value `A` had before the instruction (often
    /// empty), not the one set next to it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME=/app APP_BIN=$APP_HOME/bin
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ENV APP_HOME=/app
    /// ENV APP_BIN=$APP_HOME/bin
    /// ```
    pub struct EnvSameStatementReference {
        code: "DL3044",
        name: "env_same_statement_reference",
        aliases: [],
        severity: Error,
        summary: "Do not refer to an environment variable within the same ENV statement where it is defined",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3044"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for EnvSameStatementReference {
    fn check(&self, cx: &mut Checker<'_>) {
        let escape = cx.dockerfile.escape;
        for (i, ins) in cx.instructions_of(Keyword::Env) {
            let scope = &cx.model.context(i).scope;
            let mut spans = Vec::new();
            for (j, pair) in ins.pairs.iter().enumerate() {
                let Some(value) = &pair.value else {
                    continue;
                };
                let earlier = &ins.pairs[..j];
                for r in plimsoll_expand::variable_references(&value.value, escape) {
                    if r.is_special() || !earlier.iter().any(|p| p.key.value == r.name) {
                        continue;
                    }
                    let known_before = scope.is_declared(&r.name) || r.name == "PATH";
                    if known_before && pair.key.value != r.name {
                        continue;
                    }
                    let span = literal_span(cx, value).map_or(value.span, |s| {
                        Span::new(s.start + r.span.start, s.start + r.span.end)
                    });
                    spans.push(span);
                }
            }
            for span in spans {
                cx.report(
                    span,
                    "Do not refer to an environment variable within the same `ENV` statement where it is defined.",
                );
            }
        }
    }
}
