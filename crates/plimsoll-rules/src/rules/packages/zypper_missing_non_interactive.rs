use super::common::{ZYPPER_VALUE_FLAGS, commands, subcommand_in};
use crate::rules::edit::insert_after_word;
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
    ///
    /// ## Fix safety
    /// Safe: the global `-n` (`--non-interactive`) is inserted after
    /// `zypper`; it only answers the prompts that would otherwise abort the
    /// build, and works for every subcommand.
    pub struct ZypperMissingNonInteractive {
        code: "DL3034",
        name: "zypper_missing_non_interactive",
        aliases: [],
        severity: Warning,
        summary: "Non-interactive switch missing from `zypper` command",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3034"),
        fixable: true,
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
                spans.push((site.cmd.span, site.index, site.script, inv.name.span));
            }
        }
        for (span, index, script, zypper) in spans {
            let fix = insert_after_word(cx, index, script, zypper, "-n")
                .map(|e| Fix::safe("Add `-n` after `zypper`", vec![e]));
            cx.report(
                span,
                "Non-interactive switch missing from `zypper` command: `zypper install -y`",
            )
            .fix = fix;
        }
    }
}
