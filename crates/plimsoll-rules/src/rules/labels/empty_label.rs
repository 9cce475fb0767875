use super::{LabelValue, effective_labels, image_labels};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a label of the label schema whose value is empty.
    ///
    /// The value is the one the image ends up with: after variable
    /// expansion, and the last definition when a key is set more than once.
    /// A value that comes from a build argument is not judged, as
    /// `--build-arg` decides it.
    ///
    /// ## Why is this bad?
    /// An empty label is as good as a missing one, but hides from the
    /// missing-label check (DL3049).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.title=""
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.title="app"
    /// ```
    pub struct EmptyLabel {
        code: "DL3051",
        name: "empty_label",
        aliases: [],
        severity: Warning,
        summary: "A label of the label schema is empty",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3051"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for EmptyLabel {
    fn check(&self, cx: &mut Checker<'_>) {
        if cx.options.label_schema.is_empty() {
            return;
        }
        let labels = image_labels(cx);
        for l in effective_labels(&labels) {
            let (Some(key), LabelValue::Known(value)) = (&l.key, &l.value) else {
                continue;
            };
            if value.is_empty() && cx.options.label_schema.contains_key(key) {
                cx.report(l.value_span, format!("Label `{key}` is empty."));
            }
        }
    }
}
