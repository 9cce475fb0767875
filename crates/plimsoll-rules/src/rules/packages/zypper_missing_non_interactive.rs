use super::common::{ZYPPER_VALUE_FLAGS, commands, subcommand_in};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `zypper install`, `remove`, `source-install` and `patch` (and
    /// their short forms `in`, `rm`, `si`) without a non-interactive switch:
    /// the global `-n`/`--non-interactive`, or `-y`/`--no-confirm`.
    ///
    /// ## Why is this bad?
    /// A build has no one to answer zypper's prompts: without the switch
    /// the command waits for input that never comes and fails.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper install httpd=2.4.58 && zypper clean
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN zypper --non-interactive install httpd=2.4.58 && zypper clean
    /// ```
    pub struct ZypperMissingNonInteractive {
        code: "DL3034",
        name: "zypper_missing_non_interactive",
        aliases: [],
        severity: Warning,
        summary: "Non-interactive switch missing from `zypper` command",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3034"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for ZypperMissingNonInteractive {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for site in commands(cx) {
            let Some((inv, _, _)) = subcommand_in(
                site.cmd,
                &["zypper"],
                &[
                    "install",
                    "in",
                    "remove",
                    "rm",
                    "source-install",
                    "si",
                    "patch",
                ],
                ZYPPER_VALUE_FLAGS,
            ) else {
                continue;
            };
            if !inv.has_flag(&["-n", "--non-interactive", "-y", "--no-confirm"]) {
                spans.push(site.cmd.span);
            }
        }
        for span in spans {
            cx.report(
                span,
                "Non-interactive switch missing from `zypper` command: `zypper install -y`",
            );
        }
    }
}
