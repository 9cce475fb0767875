use super::{check_format, formats::is_rfc3339};
use crate::LabelType;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a label the label schema types as `rfc3339` whose value is not
    /// an RFC 3339 date and time with a time zone (`2024-05-01T12:30:00Z`,
    /// `2024-05-01T14:30:00+02:00`). Dates and times are checked for range (no
    /// 30 February).
    ///
    /// The value is the one the image ends up with: after variable expansion,
    /// and the last definition when a key is set more than once, in the final
    /// stage or a stage it is built on. A value that comes from a build
    /// argument (`ARG`) is not judged, as `--build-arg` decides it; neither is
    /// an empty value (DL3051 reports those).
    ///
    /// ## Why is this bad?
    /// `org.opencontainers.image.created` and similar labels are read by
    /// machines, which need one unambiguous format.
    ///
    /// ## Example
    /// With `org.opencontainers.image.created:rfc3339` in the label schema:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.created="May 1st, 2024"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.created="2024-05-01T12:30:00Z"
    /// ```
    pub struct LabelNotRfc3339 {
        code: "DL3053",
        name: "label_not_rfc3339",
        aliases: [],
        severity: Warning,
        summary: "A label of type rfc3339 is not an RFC 3339 timestamp",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3053"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for LabelNotRfc3339 {
    fn check(&self, cx: &mut Checker<'_>) {
        check_format(cx, LabelType::Rfc3339, is_rfc3339, |key| {
            format!("Label `{key}` is not a valid time format - must conform to RFC3339.")
        });
    }
}
