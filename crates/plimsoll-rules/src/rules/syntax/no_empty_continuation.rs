use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags empty (or whitespace-only) lines inside an instruction that
    /// continues over several lines with the escape character.
    ///
    /// ## Why is this bad?
    /// BuildKit drops such lines today but warns that empty continuation
    /// lines will become errors in a future release. They also make it
    /// easy to miss that the instruction goes on: a reader takes the
    /// blank line for its end.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache \
    ///
    ///     curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN apk add --no-cache \
    ///     curl
    /// ```
    ///
    /// A comment line in the middle is fine: it does not count as empty.
    ///
    /// ## Fix safety
    /// Safe: the fix deletes the empty lines, which BuildKit ignores; the
    /// instruction means the same.
    pub struct NoEmptyContinuation {
        code: "NoEmptyContinuation",
        name: "no_empty_continuation",
        aliases: [],
        severity: Warning,
        summary: "Empty continuation lines will become errors in a future release",
        url: Some("https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for NoEmptyContinuation {
    fn check(&self, cx: &mut Checker<'_>) {
        let text = cx.dockerfile.text.as_str();
        for (_, ins) in cx.instructions() {
            for &line in &ins.empty_continuation_lines {
                // Delete the line with its line break.
                let rest = text.get(line.end..).unwrap_or("");
                let newline = if rest.starts_with("\r\n") {
                    2
                } else {
                    usize::from(rest.starts_with('\n'))
                };
                let whole = Span::new(line.start, line.end + newline);
                let fix = Fix::safe("Remove the empty line", vec![Edit::delete(whole)]);
                cx.report(line, "Empty continuation line").fix = Some(fix);
            }
        }
    }
}
