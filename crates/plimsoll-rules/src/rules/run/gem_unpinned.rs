use super::common::operands_after;
use crate::rules::pins::{Packages, Report, report_unpinned};
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
        report_unpinned(
            cx,
            |cmd| {
                let inv = cmd.runs("gem")?;
                let gems = operands_after(&inv, &["install", "i"], WITH_VALUES)?;
                // `-v` pins every gem of the command.
                (!inv.has_flag(&["-v", "--version"])).then(|| Packages::new(gems, version_fixed))
            },
            Report::First,
            "Pin versions in gem install. Instead of `gem install <gem>` use `gem install \
             <gem>:<version>`.",
        );
    }
}

/// `rails:7.1.3`, or a local `.gem` file.
fn version_fixed(gem: &str) -> bool {
    gem.contains(':') || gem.ends_with(".gem")
}
