use super::common::{FromRef, resolve_from};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `COPY --from=<stage>` that names the stage it is in, by name
    /// (ignoring case, after expanding variables) or by index.
    ///
    /// ## Why is this bad?
    /// A stage cannot copy from itself: BuildKit stops with a circular
    /// dependency error. Usually a different stage was meant, or the files
    /// are already in place and a `RUN cp` would do.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// COPY --from=build /src/app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// RUN go build -o /app ./src/app
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=build /app /app
    /// ```
    pub struct CopyFromOwnStage {
        code: "DL3023",
        name: "copy_from_own_stage",
        aliases: [],
        severity: Error,
        summary: "`COPY --from` cannot reference its own `FROM` alias",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3023"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for CopyFromOwnStage {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found: Vec<Span> = Vec::new();
        for (i, ins) in cx.dockerfile.instructions.iter().enumerate() {
            if ins.keyword != Keyword::Copy {
                continue;
            }
            let Some(flag) = ins.flag("from") else {
                continue;
            };
            let Some(written) = flag.value.as_deref() else {
                continue;
            };
            if resolve_from(cx, i, written) == FromRef::Own {
                found.push(flag.value_span.unwrap_or(flag.span));
            }
        }
        for span in found {
            cx.report(span, "`COPY --from` cannot reference its own `FROM` alias");
        }
    }
}
