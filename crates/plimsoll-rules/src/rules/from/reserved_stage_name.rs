use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a stage named `scratch` or `context`, in any case: the names
    /// both hadolint and BuildKit reserve.
    ///
    /// ## Why is this bad?
    /// `scratch` is the empty image and `context` the build context. A stage
    /// with one of these names changes what a later `FROM scratch` or
    /// `COPY --from=context` means, against every reader's expectation, and
    /// BuildKit will not let `--build-context` replace such a stage.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20 AS scratch
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20 AS base
    /// ```
    pub struct ReservedStageName {
        code: "DL3063",
        name: "reserved_stage_name",
        aliases: ["ReservedStageName"],
        severity: Warning,
        summary: "Stage name should not be a reserved word",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3063"),
        fixable: false,
        default_enabled: true,
    }
}

const RESERVED: [&str; 2] = ["context", "scratch"];

impl Rule for ReservedStageName {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        for stage in &model.stages {
            let (Some(name), Some((written, span))) = (&stage.name, &stage.name_written) else {
                continue;
            };
            if RESERVED.contains(&name.as_str()) {
                cx.report(
                    *span,
                    format!("Stage name should not be a reserved word: `{written}` is reserved"),
                );
            }
        }
    }
}
