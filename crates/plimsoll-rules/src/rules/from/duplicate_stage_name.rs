use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a stage whose name an earlier stage already has. Stage names
    /// are compared ignoring case, as BuildKit resolves them.
    ///
    /// ## Why is this bad?
    /// BuildKit refuses to build a Dockerfile with two stages of the same
    /// name: a `FROM <name>` or `COPY --from=<name>` could not say which one
    /// it means.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS builder
    /// RUN go build -o /app .
    /// FROM node:22 AS builder
    /// RUN npm ci && npm run build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS go-builder
    /// RUN go build -o /app .
    /// FROM node:22 AS web-builder
    /// RUN npm ci && npm run build
    /// ```
    pub struct DuplicateStageName {
        code: "DL3024",
        name: "duplicate_stage_name",
        aliases: ["DuplicateStageName"],
        severity: Error,
        summary: "FROM aliases (stage names) must be unique",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3024"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for DuplicateStageName {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        for (i, stage) in model.stages.iter().enumerate() {
            let (Some(name), Some((written, span))) = (&stage.name, &stage.name_written) else {
                continue;
            };
            let Some(first) = model.stages[..i]
                .iter()
                .find(|s| s.name.as_ref() == Some(name))
            else {
                continue;
            };
            let line = model.instruction(first.from_instruction).start_line;
            cx.report(
                *span,
                format!(
                    "FROM aliases (stage names) must be unique: `{written}` already names the stage on line {line}"
                ),
            );
        }
    }
}
