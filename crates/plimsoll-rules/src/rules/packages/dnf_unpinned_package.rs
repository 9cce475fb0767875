use super::rpm_pins::{dnf_pinned, install_operands};
use crate::rules::pins::{Report, report_unpinned};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a package of `dnf install` (or `microdnf install`) without a
    /// version: after the name, a `-` and a version starting with a digit
    /// (`httpd-2.4.57`; `python3-pip` is a name, not a pin). A module of
    /// `dnf module install` needs a stream (`nodejs:20`). Groups (`@core`),
    /// `.rpm` files, paths and URLs are not flagged; packages given through
    /// variables are checked with the values of their `ARG`/`ENV` (or of
    /// a literal assignment earlier in the same script).
    ///
    /// ## Why is this bad?
    /// Without a pin, each build installs whatever the repositories hold
    /// that day: the image changes without any change to the Dockerfile,
    /// and a new upstream version can break it.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd-2.4.57 && dnf clean all
    /// ```
    pub struct DnfUnpinnedPackage {
        code: "DL3041",
        name: "dnf_unpinned_package",
        aliases: [],
        severity: Warning,
        summary: "Specify version with dnf install",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3041"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for DnfUnpinnedPackage {
    fn check(&self, cx: &mut Checker<'_>) {
        report_unpinned(
            cx,
            |cmd| install_operands(cmd, &["dnf", "microdnf"], dnf_pinned),
            Report::Each,
            "Specify version with `dnf install -y <package>-<version>`.",
        );
    }
}
