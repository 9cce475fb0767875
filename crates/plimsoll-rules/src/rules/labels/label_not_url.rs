use super::{check_format, formats::is_url};
use crate::LabelType;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a label the label schema types as `url` whose value is not an
    /// absolute URL (RFC 3986): a scheme, `:`, and URI characters only; `http`
    /// and `https` URLs need a host.
    ///
    /// The value is the one the image ends up with: after variable expansion,
    /// and the last definition when a key is set more than once, in the final
    /// stage or a stage it is built on. A value that comes from a build
    /// argument (`ARG`) is not judged, as `--build-arg` decides it; neither is
    /// an empty value (DL3051 reports those).
    ///
    /// ## Why is this bad?
    /// Tools follow these labels (`org.opencontainers.image.source` links an
    /// image to its repository). A `git@host:repo` path or a bare
    /// `github.com/acme/app` is not a URL they can open.
    ///
    /// ## Example
    /// With `org.opencontainers.image.source:url` in the label schema:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="github.com/acme/app"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.source="https://github.com/acme/app"
    /// ```
    pub struct LabelNotUrl {
        code: "DL3052",
        name: "label_not_url",
        aliases: [],
        severity: Warning,
        summary: "A label of type url is not a valid URL",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3052"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for LabelNotUrl {
    fn check(&self, cx: &mut Checker<'_>) {
        check_format(cx, LabelType::Url, is_url, |key| {
            format!("Label `{key}` is not a valid URL.")
        });
    }
}
