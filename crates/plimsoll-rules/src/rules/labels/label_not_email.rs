use super::{check_format, formats::is_email};
use crate::LabelType;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a label the label schema types as `email` whose value is not an
    /// e-mail address as RFC 5322 writes a mailbox: `jane@example.com`, or with
    /// a name, `Jane Doe <jane@example.com>`; several may be separated by
    /// commas. (hadolint accepts a bare address only.)
    ///
    /// The value is the one the image ends up with: after variable expansion,
    /// and the last definition when a key is set more than once, in the final
    /// stage or a stage it is built on. A value that comes from a build
    /// argument (`ARG`) is not judged, as `--build-arg` decides it; neither is
    /// an empty value (DL3051 reports those).
    ///
    /// ## Why is this bad?
    /// A contact label that is not an address cannot be used to reach anyone.
    ///
    /// ## Example
    /// With `org.opencontainers.image.authors:email` in the label schema:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="Jane Doe"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="Jane Doe <jane@example.com>"
    /// ```
    pub struct LabelNotEmail {
        code: "DL3058",
        name: "label_not_email",
        aliases: [],
        severity: Warning,
        summary: "A label of type email is not a valid e-mail address",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3058"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for LabelNotEmail {
    fn check(&self, cx: &mut Checker<'_>) {
        check_format(cx, LabelType::Email, is_email, |key| {
            format!("Label `{key}` is not a valid email format - must conform to RFC5322.")
        });
    }
}
