use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports an image without a `HEALTHCHECK`: the final stage has none,
    /// and neither has a stage it is built `FROM`. Off by default.
    ///
    /// ## Why is this bad?
    /// Without a health check, Docker and orchestrators only know whether
    /// the main process runs, not whether it works: a hung server stays
    /// "up". `HEALTHCHECK NONE` counts as a deliberate choice (for example
    /// where Kubernetes probes are used instead, which ignore it).
    ///
    /// Unlike hadolint, which asks for one in every stage, only the image
    /// the build produces is checked: build stages are never run as
    /// containers. A `HEALTHCHECK` in the base image cannot be seen here;
    /// disable the rule for such images.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site /usr/share/nginx/html
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx:1.27
    /// COPY site /usr/share/nginx/html
    /// HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1
    /// ```
    pub struct MissingHealthcheck {
        code: "DL3057",
        name: "missing_healthcheck",
        aliases: [],
        severity: Info,
        summary: "`HEALTHCHECK` instruction missing",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3057"),
        fixable: false,
        default_enabled: false,
    }
}

impl Rule for MissingHealthcheck {
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(stage) = cx.model.final_stage() else {
            return;
        };
        let from = stage.from_instruction;
        let last = stage.instructions.end;
        let mut lineage = cx.model.lineage_before(last.saturating_sub(1));
        lineage.push(last.saturating_sub(1));
        let has = lineage.iter().any(|&i| {
            cx.dockerfile
                .instructions
                .get(i)
                .is_some_and(|ins| ins.keyword == Keyword::Healthcheck)
        });
        if has {
            return;
        }
        let Some(span) = cx.dockerfile.instructions.get(from).map(|i| i.keyword_span) else {
            return;
        };
        cx.report(span, "`HEALTHCHECK` instruction missing.");
    }
}
