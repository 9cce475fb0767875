use super::common::{
    ZYPPER_VALUE_FLAGS, cache_mounted, commands, later_in_run, rm_recursive, ships, subcommand_in,
};
use crate::rules::edit::cleanup_after_last;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `zypper install` (`zypper in`) not followed, in the same
    /// `RUN`, by `zypper clean` (`zypper cc`) or by removing
    /// `/var/cache/zypp`. A cache or tmpfs mount of the `RUN` over
    /// `/var/cache/zypp` also satisfies it. Unlike hadolint, only stages
    /// that end up in the built image are checked.
    ///
    /// ## Why is this bad?
    /// The downloaded packages and repository metadata stay in the layer
    /// and make the image larger; a later `RUN` cannot reclaim the space.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN zypper --non-interactive install httpd=2.4.58
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN zypper --non-interactive install httpd=2.4.58 && zypper clean --all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: ` && zypper clean --all` is appended to the `&&` list holding
    /// the last zypper command of the script, so it runs only when that
    /// list succeeded; zypper downloads the metadata again when it next
    /// needs it.
    pub struct ZypperCleanMissing {
        code: "DL3036",
        name: "zypper_clean_missing",
        aliases: [],
        severity: Warning,
        summary: "`zypper clean` missing after zypper use",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3036"),
        fixable: true,
        default_enabled: true,
    }
}

const CACHES: &[&str] = &["/var/cache/zypp"];

impl Rule for ZypperCleanMissing {
    fn check(&self, cx: &mut Checker<'_>) {
        let sites = commands(cx);
        let mut spans = Vec::new();
        for (k, site) in sites.iter().enumerate() {
            if subcommand_in(
                site.cmd,
                &["zypper"],
                &["install", "in"],
                ZYPPER_VALUE_FLAGS,
            )
            .is_none()
            {
                continue;
            }
            if !ships(cx.model, site.index)
                || CACHES
                    .iter()
                    .any(|d| cache_mounted(cx.model, site.index, d))
            {
                continue;
            }
            let cleaned = later_in_run(&sites, k, |s| {
                subcommand_in(s.cmd, &["zypper"], &["clean", "cc"], ZYPPER_VALUE_FLAGS).is_some()
                    || rm_recursive(s.cmd, s.dialect, CACHES)
            });
            if !cleaned {
                spans.push((site.cmd.span, site.index, site.script));
            }
        }
        for (span, index, script) in spans {
            let uses = |c: &plimsoll_shell::Command| c.runs("zypper").is_some();
            let fix =
                cleanup_after_last(cx, index, script, uses, "zypper clean --all", 1).map(|e| {
                    Fix::safe(
                        "Run `zypper clean --all` after the last zypper command",
                        vec![e],
                    )
                });
            cx.report(span, "`zypper clean` missing after zypper use.")
                .fix = fix;
        }
    }
}
