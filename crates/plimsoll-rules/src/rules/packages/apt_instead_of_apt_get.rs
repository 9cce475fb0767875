use super::common::commands;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags commands that run `apt` (also through `sudo` and similar
    /// wrappers).
    ///
    /// ## Why is this bad?
    /// `apt` is meant for people at a terminal: its output and behaviour
    /// may change between releases and it warns that it "does not have a
    /// stable CLI interface". `apt-get` and `apt-cache` are the stable
    /// interfaces for scripts.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt update && apt install -y curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl
    /// ```
    pub struct AptInsteadOfAptGet {
        code: "DL3027",
        name: "apt_instead_of_apt_get",
        aliases: [],
        severity: Warning,
        summary: "Do not use apt, use apt-get or apt-cache instead",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3027"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for AptInsteadOfAptGet {
    fn check(&self, cx: &mut Checker<'_>) {
        let spans: Vec<_> = commands(cx)
            .iter()
            .filter_map(|s| s.cmd.runs("apt").map(|inv| inv.name.span))
            .collect();
        for span in spans {
            cx.report(
                span,
                "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead",
            );
        }
    }
}
