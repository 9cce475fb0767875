use super::common::report_missing_yes;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `dnf` (or `microdnf`) `install` (also `groupinstall`, `localinstall`)
    /// without `-y`/`--assumeyes`.
    ///
    /// ## Why is this bad?
    /// A build has no one to answer the confirmation prompt: without `-y`
    /// the install is aborted.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install httpd-2.4.57 && dnf clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd-2.4.57 && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `-y` is inserted after the subcommand; it only answers the
    /// prompt that would otherwise abort the build.
    pub struct DnfMissingYes {
        code: "DL3038",
        name: "dnf_missing_yes",
        aliases: [],
        severity: Warning,
        summary: "Use the -y switch to avoid manual input with dnf install",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3038"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for DnfMissingYes {
    fn check(&self, cx: &mut Checker<'_>) {
        report_missing_yes(
            cx,
            &["dnf", "microdnf"],
            "Use the -y switch to avoid manual input `dnf install -y <package>`.",
        );
    }
}
