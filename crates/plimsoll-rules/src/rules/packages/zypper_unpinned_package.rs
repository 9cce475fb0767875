use super::common::{ZYPPER_VALUE_FLAGS, commands, site_word_values, subcommand_in};
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
        let mut spans = Vec::new();
        for site in commands(cx) {
            let Some((_, _, packages)) = subcommand_in(
                site.cmd,
                &["zypper"],
                &["install", "in"],
                ZYPPER_VALUE_FLAGS,
            ) else {
                continue;
            };
            for word in packages {
                let Some(values) = site_word_values(cx, &site, word) else {
                    continue;
                };
                if values.iter().any(|v| !pinned(v)) {
                    spans.push(word.span);
                }
            }
        }
        for span in spans {
            cx.report(
                span,
                "Specify version with `zypper install -y <package>=<version>`.",
            );
        }
    }
}
