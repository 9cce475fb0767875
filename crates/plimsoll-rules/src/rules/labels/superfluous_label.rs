use super::image_labels;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// With strict labels on (`strict-labels`, `--strict-labels`), reports
    /// every label of the image whose key is not in the label schema.
    ///
    /// Only the labels of the final stage and of the stages it is built on
    /// are checked; keys that cannot be resolved are skipped.
    ///
    /// ## Why is this bad?
    /// A strict schema is a contract: the image carries exactly the labels
    /// it lists. Extra labels are usually typos of schema keys or leftovers.
    ///
    /// ## Example
    /// With only `org.opencontainers.image.source` in the schema:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://github.com/acme/app" team=ops
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://github.com/acme/app"
    /// ```
    pub struct SuperfluousLabel {
        code: "DL3050",
        name: "superfluous_label",
        aliases: [],
        severity: Info,
        summary: "Superfluous label(s) present",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3050"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for SuperfluousLabel {
    fn check(&self, cx: &mut Checker<'_>) {
        if !cx.options.strict_labels {
            return;
        }
        for label in image_labels(cx) {
            let Some(key) = &label.key else { continue };
            if !cx.options.label_schema.contains_key(key) {
                cx.report(
                    label.key_span,
                    format!("Superfluous label `{key}` present: it is not in the label schema."),
                );
            }
        }
    }
}
