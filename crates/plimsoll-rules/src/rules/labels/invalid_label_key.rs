use super::image_labels;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Checks the keys of the labels the image gets against the label key
    /// format: lower-case letters, digits, `.`, `-`, and (as hadolint
    /// allows, and Red Hat's `com.redhat.license_terms` uses) `_` and `/`,
    /// starting with a
    /// letter and ending with a letter or digit, without `..` or `--`, and
    /// outside the namespaces Docker reserves (`com.docker.*`,
    /// `io.docker.*`, `org.dockerproject.*`).
    ///
    /// Keys written with variables are checked after expansion; keys that
    /// cannot be resolved are skipped. Only the labels of the final stage
    /// and of the stages it is built on are checked: those are the labels
    /// the image carries.
    ///
    /// ## Why is this bad?
    /// Tools that read labels expect reverse-DNS keys
    /// (`org.opencontainers.image.source`). Mixed case, spaces or a
    /// reserved namespace make labels hard to query and may clash with
    /// Docker's own.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL Maintainer="jane@example.com" com.docker.team=ops
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// LABEL org.opencontainers.image.authors="jane@example.com" com.example.team=ops
    /// ```
    pub struct InvalidLabelKey {
        code: "DL3048",
        name: "invalid_label_key",
        aliases: [],
        severity: Style,
        summary: "Invalid label key",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3048"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for InvalidLabelKey {
    fn check(&self, cx: &mut Checker<'_>) {
        for label in image_labels(cx) {
            let Some(key) = &label.key else { continue };
            if let Some(why) = key_problem(key) {
                cx.report(label.key_span, format!("Invalid label key `{key}`: {why}"));
            }
        }
    }
}

/// Why a label key is invalid, or `None` when it is fine.
fn key_problem(key: &str) -> Option<&'static str> {
    const RESERVED: [&str; 3] = ["com.docker.", "io.docker.", "org.dockerproject."];
    if key.is_empty() {
        return Some("it is empty");
    }
    if RESERVED.iter().any(|r| key.starts_with(r)) {
        return Some(
            "`com.docker.*`, `io.docker.*` and `org.dockerproject.*` are reserved for Docker",
        );
    }
    if !key
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_/".contains(&b))
    {
        return Some("use only lower-case letters, digits, `.`, `-`, `_` and `/`");
    }
    if !key.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Some("it must start with a lower-case letter");
    }
    if !key.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Some("it must end with a lower-case letter or a digit");
    }
    if key.contains("..") || key.contains("--") {
        return Some("it must not contain `..` or `--`");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::key_problem;

    #[test]
    fn keys() {
        for ok in [
            "org.opencontainers.image.source",
            "com.example.team-a",
            "version",
            "a1",
            "com.redhat.license_terms",
            "registry_image",
        ] {
            assert_eq!(key_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "Maintainer",
            "com.docker.x",
            "io.docker.y",
            "org.dockerproject.z",
            "1abc",
            "abc.",
            "abc-",
            "a..b",
            "a--b",
            "a_",
            "a b",
        ] {
            assert!(key_problem(bad).is_some(), "{bad}");
        }
    }
}
