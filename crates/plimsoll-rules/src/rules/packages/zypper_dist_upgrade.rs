use super::common::{ZYPPER_VALUE_FLAGS, commands, subcommand_in};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `zypper dist-upgrade` (`zypper dup`).
    ///
    /// ## Why is this bad?
    /// A distribution upgrade inside an image moves it to whatever the
    /// repositories hold at build time, possibly a new release of the
    /// distribution: the image stops matching its base, and builds are not
    /// reproducible. Use a newer base image instead, or `zypper patch` /
    /// `zypper update` for fixes within the release.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper --non-interactive dist-upgrade
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM opensuse/leap:15.6
    /// ```
    pub struct ZypperDistUpgrade {
        code: "DL3035",
        name: "zypper_dist_upgrade",
        aliases: [],
        severity: Warning,
        summary: "Do not use `zypper dist-upgrade`",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3035"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for ZypperDistUpgrade {
    fn check(&self, cx: &mut Checker<'_>) {
        let spans: Vec<_> = commands(cx)
            .iter()
            .filter_map(|s| {
                subcommand_in(
                    s.cmd,
                    &["zypper"],
                    &["dist-upgrade", "dup"],
                    ZYPPER_VALUE_FLAGS,
                )
                .map(|(_, sub, _)| sub.span)
            })
            .collect();
        for span in spans {
            cx.report(span, "Do not use `zypper dist-upgrade`.");
        }
    }
}
