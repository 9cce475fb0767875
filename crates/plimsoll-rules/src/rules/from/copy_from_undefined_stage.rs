use super::common::{FromRef, resolve_from, suggest};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `COPY --from=<name>` where no earlier stage has that name (or,
    /// for `--from=<number>`, that index): a name defined only later, a
    /// number past the current stage, or a name no stage has. A misspelt
    /// name gets a suggestion. Values that cannot be stage names are image
    /// references and are fine (`--from=nginx:1.27`,
    /// `--from=ghcr.io/org/tool`), unlike in hadolint, which accepts only
    /// those with a `:`. Variables are expanded first; a value that depends
    /// on an unknown variable is left alone.
    ///
    /// ## Why is this bad?
    /// A name that matches no stage is taken as an image on Docker Hub: a
    /// typo in a stage name pulls (or fails to pull) an unrelated image
    /// instead of copying the build output. Referring to a later stage works
    /// in BuildKit but makes the file hard to follow.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS builder
    /// RUN go build -o /out/app .
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=bulider /out/app /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS builder
    /// RUN go build -o /out/app .
    /// FROM gcr.io/distroless/static-debian12
    /// COPY --from=builder /out/app /app
    /// ```
    pub struct CopyFromUndefinedStage {
        code: "DL3022",
        name: "copy_from_undefined_stage",
        aliases: [],
        severity: Warning,
        summary: "`COPY --from` should reference a previously defined `FROM` alias",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3022"),
        fixable: false,
        default_enabled: true,
    }
}

const MESSAGE: &str = "`COPY --from` should reference a previously defined `FROM` alias";

impl Rule for CopyFromUndefinedStage {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        let mut found: Vec<(Span, String)> = Vec::new();
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
            let span = flag.value_span.unwrap_or(flag.span);
            let current = model.stage_of(i).map_or(0, |s| s.index);
            let message = match resolve_from(cx, i, written) {
                FromRef::Later(s) => {
                    let line = model
                        .instruction(model.stages[s].from_instruction)
                        .start_line;
                    format!("{MESSAGE}: stage `{written}` is defined later, on line {line}")
                }
                FromRef::BadIndex => {
                    format!("{MESSAGE}: there is no stage {written} before this one")
                }
                FromRef::UnknownName(name) => {
                    let earlier = model.stages[..current]
                        .iter()
                        .filter_map(|s| s.name.as_deref());
                    let mut message = MESSAGE.to_string();
                    if name != written {
                        message.push_str(&format!(": `{written}` is `{name}`"));
                    }
                    if let Some(s) = suggest(&name.to_ascii_lowercase(), earlier) {
                        message.push_str(&format!(" (did you mean `{s}`?)"));
                    }
                    message
                }
                FromRef::Earlier(_) | FromRef::Own | FromRef::Image(_) | FromRef::Unresolved => {
                    continue;
                }
            };
            found.push((span, message));
        }
        for (span, message) in found {
            cx.report(span, message);
        }
    }
}
