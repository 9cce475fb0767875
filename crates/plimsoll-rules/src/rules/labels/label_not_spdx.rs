use super::{check_format, formats::is_spdx_expression};
use crate::LabelType;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a label the label schema types as `spdx` whose value is not an
    /// SPDX license expression: license identifiers (`MIT`, `Apache-2.0`,
    /// `GPL-2.0-or-later`, `LicenseRef-…`) combined with `AND`, `OR`, `WITH`
    /// exceptions and parentheses. hadolint accepts a single identifier only;
    /// an expression such as `MIT OR Apache-2.0` (what
    /// `org.opencontainers.image.licenses` asks for) is accepted here.
    ///
    /// The value is the one the image ends up with: after variable expansion,
    /// and the last definition when a key is set more than once, in the final
    /// stage or a stage it is built on. A value that comes from a build
    /// argument (`ARG`) is not judged, as `--build-arg` decides it; neither is
    /// an empty value (DL3051 reports those).
    ///
    /// ## Why is this bad?
    /// License scanners read `org.opencontainers.image.licenses`; `Apache 2` or
    /// `GPLv2` are not identifiers they know.
    ///
    /// ## Example
    /// With `org.opencontainers.image.licenses:spdx` in the label schema:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.licenses="Apache 2"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.licenses="Apache-2.0"
    /// ```
    pub struct LabelNotSpdx {
        code: "DL3054",
        name: "label_not_spdx",
        aliases: [],
        severity: Warning,
        summary: "A label of type spdx is not a valid SPDX license expression",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3054"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for LabelNotSpdx {
    fn check(&self, cx: &mut Checker<'_>) {
        check_format(cx, LabelType::Spdx, is_spdx_expression, |key| {
            format!("Label `{key}` is not a valid SPDX identifier.")
        });
    }
}
