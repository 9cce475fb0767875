use super::image_labels;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports each label of the label schema that the image does not
    /// get. The finding points at the final stage's `FROM`, where the
    /// labels belong.
    ///
    /// Only the labels of the final stage and of the stages it is built on
    /// count: those are the labels the image carries. (hadolint asks every
    /// stage for the labels, except stages used only by `COPY --from`.)
    /// When a label key is written with a variable that cannot be
    /// resolved, nothing is reported, as it may be any of them.
    ///
    /// Runs only when a label schema is configured (`label-schema` in the
    /// configuration, `--require-label` on the command line).
    ///
    /// ## Why is this bad?
    /// Labels such as `org.opencontainers.image.source` or
    /// `org.opencontainers.image.revision` are how registries, scanners and
    /// people trace an image back to its code. A schema makes sure every
    /// image has them.
    ///
    /// ## Example
    /// With `org.opencontainers.image.source` in the schema:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.title="app"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.title="app" \
    ///       org.opencontainers.image.source="https://github.com/acme/app"
    /// ```
    pub struct MissingLabel {
        code: "DL3049",
        name: "missing_label",
        aliases: [],
        severity: Info,
        summary: "A label of the label schema is missing",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3049"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for MissingLabel {
    fn check(&self, cx: &mut Checker<'_>) {
        if cx.options.label_schema.is_empty() {
            return;
        }
        let Some(from) = cx
            .model
            .final_stage()
            .and_then(|s| cx.dockerfile.instructions.get(s.from_instruction))
        else {
            return;
        };
        let labels = image_labels(cx);
        if labels.iter().any(|l| l.key.is_none()) {
            return;
        }
        let missing: Vec<String> = cx
            .options
            .label_schema
            .keys()
            .filter(|k| !labels.iter().any(|l| l.key.as_deref() == Some(k.as_str())))
            .cloned()
            .collect();
        for key in missing {
            cx.report(from.span, format!("Label `{key}` is missing."));
        }
    }
}
