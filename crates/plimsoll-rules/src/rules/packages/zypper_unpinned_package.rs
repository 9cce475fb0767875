use super::common::{ZYPPER_VALUE_FLAGS, subcommand_in};
use crate::rules::pins::{Packages, Report, report_unpinned};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a package of `zypper install` (`zypper in`) without a version
    /// constraint (`httpd` rather than `httpd=2.4.58`). Accepted: `=`, `<`,
    /// `>`, `<=`, `>=` constraints, `.rpm` files, paths and URLs. Packages
    /// given through variables are checked with the values of their
    /// `ARG`/`ENV`; a variable whose value is not known is not flagged.
    ///
    /// ## Why is this bad?
    /// Without a pin, each build installs whatever the repositories hold
    /// that day: the image changes without any change to the Dockerfile,
    /// and a new upstream version can break it.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper --non-interactive install httpd && zypper clean
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN zypper --non-interactive install httpd=2.4.58 && zypper clean
    /// ```
    pub struct ZypperUnpinnedPackage {
        code: "DL3037",
        name: "zypper_unpinned_package",
        aliases: [],
        severity: Warning,
        summary: "Specify version with `zypper install -y <package>=<version>`",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3037"),
        fixable: false,
        default_enabled: true,
    }
}

fn pinned(v: &str) -> bool {
    v.contains(['=', '<', '>', '/']) || v.ends_with(".rpm")
}

impl Rule for ZypperUnpinnedPackage {
    fn check(&self, cx: &mut Checker<'_>) {
        report_unpinned(
            cx,
            |cmd| {
                subcommand_in(cmd, &["zypper"], &["install", "in"], ZYPPER_VALUE_FLAGS)
                    .map(|(_, _, words)| Packages::new(words, pinned))
            },
            Report::Each,
            "Specify version with `zypper install -y <package>=<version>`.",
        );
    }
}
