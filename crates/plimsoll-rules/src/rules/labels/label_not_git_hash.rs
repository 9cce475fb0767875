use super::{check_format, formats::is_git_hash};
use crate::LabelType;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports a label the label schema types as `hash` whose value is not a
    /// git commit hash: lower-case hexadecimal, abbreviated (7 to 40 digits) or
    /// a full SHA-1 (40) or SHA-256 (64) object name. (hadolint accepts exactly
    /// 7 or 40 digits.)
    ///
    /// The value is the one the image ends up with: after variable expansion,
    /// and the last definition when a key is set more than once, in the final
    /// stage or a stage it is built on. A value that comes from a build
    /// argument (`ARG`) is not judged, as `--build-arg` decides it; neither is
    /// an empty value (DL3051 reports those).
    ///
    /// ## Why is this bad?
    /// `org.opencontainers.image.revision` ties an image to the commit it was
    /// built from; a branch name or tag moves and says nothing precise.
    ///
    /// ## Example
    /// With `org.opencontainers.image.revision:hash` in the label schema:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.revision="main"
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.revision="da39a3ee5e6b4b0d3255bfef95601890afd80709"
    /// ```
    pub struct LabelNotGitHash {
        code: "DL3055",
        name: "label_not_git_hash",
        aliases: [],
        severity: Warning,
        summary: "A label of type hash is not a git commit hash",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3055"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for LabelNotGitHash {
    fn check(&self, cx: &mut Checker<'_>) {
        check_format(cx, LabelType::Hash, is_git_hash, |key| {
            format!("Label `{key}` is not a valid git hash.")
        });
    }
}
