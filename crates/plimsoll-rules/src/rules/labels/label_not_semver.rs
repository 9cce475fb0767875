use super::{check_format, formats::is_semver};
use crate::LabelType;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a label the label schema types as `semver` whose value is not a
    /// semantic version (SemVer 2.0.0): `MAJOR.MINOR.PATCH` without leading
    /// zeros, optionally with `-prerelease` and `+build` parts. A `v` prefix is
    /// not part of a version.
    ///
    /// The value is the one the image ends up with: after variable expansion,
    /// and the last definition when a key is set more than once, in the final
    /// stage or a stage it is built on. A value that comes from a build
    /// argument (`ARG`) is not judged, as `--build-arg` decides it; neither is
    /// an empty value (DL3051 reports those).
    ///
    /// ## Why is this bad?
    /// Versions that follow one format can be compared and sorted by tools;
    /// `v1.2` or `latest` cannot.
    ///
    /// ## Example
    /// With `org.opencontainers.image.version:semver` in the label schema:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="v1.2"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.version="1.2.0"
    /// ```
    pub struct LabelNotSemver {
        code: "DL3056",
        name: "label_not_semver",
        aliases: [],
        severity: Warning,
        summary: "A label of type semver is not a semantic version",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3056"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for LabelNotSemver {
    fn check(&self, cx: &mut Checker<'_>) {
        check_format(cx, LabelType::Semver, is_semver, |key| {
            format!("Label `{key}` does not conform to semantic versioning.")
        });
    }
}
