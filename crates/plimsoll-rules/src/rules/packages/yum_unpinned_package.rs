use super::rpm_pins::{install_operands, yum_pinned};
use crate::rules::pins::{Report, report_unpinned};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a package of `yum install` without a version (as hadolint: a
    /// name without a `-` followed by a digit, so `epel-release` is not
    /// pinned but `httpd-2.4.6` is), and a module of `yum module install` without
    /// a stream (`nodejs` rather than `nodejs:20`). Groups (`@core`), `.rpm`
    /// files, paths and URLs are not flagged; packages given through
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
    /// RUN yum install -y httpd && yum clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    pub struct YumUnpinnedPackage {
        code: "DL3033",
        name: "yum_unpinned_package",
        aliases: [],
        severity: Warning,
        summary: "Specify version with yum install",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3033"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for YumUnpinnedPackage {
    fn check(&self, cx: &mut Checker<'_>) {
        report_unpinned(
            cx,
            |cmd| install_operands(cmd, &["yum"], yum_pinned),
            Report::Each,
            "Specify version with `yum install -y <package>-<version>`.",
        );
    }
}
