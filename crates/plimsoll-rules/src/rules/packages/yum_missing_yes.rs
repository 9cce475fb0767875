use super::common::report_missing_yes;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `yum` `install` (also `groupinstall`, `localinstall`)
    /// without `-y`/`--assumeyes`.
    ///
    /// ## Why is this bad?
    /// A build has no one to answer the confirmation prompt: without `-y`
    /// the install is aborted.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN yum install httpd-2.4.6 && yum clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `-y` is inserted after the subcommand; it only answers the
    /// prompt that would otherwise abort the build.
    pub struct YumMissingYes {
        code: "DL3030",
        name: "yum_missing_yes",
        aliases: [],
        severity: Warning,
        summary: "Use the -y switch to avoid manual input with yum install",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3030"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for YumMissingYes {
    fn check(&self, cx: &mut Checker<'_>) {
        report_missing_yes(
            cx,
            &["yum"],
            "Use the -y switch to avoid manual input `yum install -y <package>`",
        );
    }
}
