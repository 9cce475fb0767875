use super::common::{operands_after, word_values};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `gem install` of a gem without a version:
    /// `gem install rails` instead of `gem install rails:7.1.3` or
    /// `gem install rails -v 7.1.3`.
    ///
    /// ## Why is this bad?
    /// An unpinned install takes the newest release on the day of the
    /// build, so rebuilding the same Dockerfile can give different gems and
    /// break without any change on your side.
    ///
    /// A `-v`/`--version` option pins the gems of the command. Local `.gem`
    /// files are fine. Gems given through `ARG`/`ENV` variables are checked
    /// with their values; a variable whose value is unknown is not reported.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ruby:3.3
    /// RUN gem install bundler
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM ruby:3.3
    /// RUN gem install bundler:2.5.10
    /// ```
    pub struct GemUnpinned {
        code: "DL3028",
        name: "gem_unpinned",
        aliases: [],
        severity: Warning,
        summary: "Pin versions in gem install",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3028"),
        fixable: false,
        default_enabled: true,
    }
}

/// gem install options that take a separate value.
const WITH_VALUES: &[&str] = &[
    "-v",
    "--version",
    "-i",
    "--install-dir",
    "-n",
    "--bindir",
    "-s",
    "--source",
    "-P",
    "--trust-policy",
    "--platform",
    "-g",
    "--file",
    "--build-root",
    "-p",
    "--http-proxy",
];

impl Rule for GemUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (i, script) in cx.run_scripts() {
            for cmd in &script.commands {
                let Some(inv) = cmd.runs("gem") else {
                    continue;
                };
                let Some(gems) = operands_after(&inv, &["install", "i"], WITH_VALUES) else {
                    continue;
                };
                if inv.has_flag(&["-v", "--version"]) {
                    continue;
                }
                let unpinned = gems.into_iter().find(|w| {
                    word_values(cx, i, w).is_some_and(|values| {
                        values
                            .iter()
                            .any(|v| !v.contains(':') && !v.ends_with(".gem"))
                    })
                });
                if let Some(w) = unpinned {
                    found.push(w.span);
                }
            }
        }
        for span in found {
            cx.report(
                span,
                "Pin versions in gem install. Instead of `gem install <gem>` use `gem install \
                 <gem>:<version>`.",
            );
        }
    }
}
