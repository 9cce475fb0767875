use super::common::{apk_add, cache_mounted, commands, rm_recursive};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `apk add` without `--no-cache`. A cache or tmpfs mount of the
    /// `RUN` over `/var/cache/apk` or `/etc/apk/cache`, or removing
    /// `/var/cache/apk` later in the same `RUN`, also satisfies it.
    ///
    /// ## Why is this bad?
    /// Without `--no-cache`, the package index (and with a cache
    /// configured, the packages) stays in the layer. `--no-cache` fetches
    /// a fresh index and keeps nothing, so neither `apk update` nor
    /// `rm -rf /var/cache/apk/*` is needed.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk update && apk add curl=8.11.1-r0
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add --no-cache curl=8.11.1-r0
    /// ```
    pub struct ApkAddWithoutNoCache {
        code: "DL3019",
        name: "apk_add_without_no_cache",
        aliases: [],
        severity: Info,
        summary: "Use the `--no-cache` switch with apk add",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3019"),
        fixable: false,
        default_enabled: true,
    }
}

const CACHES: &[&str] = &["/var/cache/apk", "/etc/apk/cache"];

impl Rule for ApkAddWithoutNoCache {
    fn check(&self, cx: &mut Checker<'_>) {
        let sites = commands(cx);
        let mut spans = Vec::new();
        for (k, site) in sites.iter().enumerate() {
            let Some((inv, _, _)) = apk_add(site.cmd) else {
                continue;
            };
            if inv.has_flag(&["--no-cache"]) {
                continue;
            }
            if CACHES
                .iter()
                .any(|d| cache_mounted(cx.model, site.index, d))
            {
                continue;
            }
            let removed = sites[k + 1..]
                .iter()
                .take_while(|s| s.index == site.index)
                .any(|s| rm_recursive(s.cmd, CACHES) || removes_files(s.cmd));
            if !removed {
                spans.push(site.cmd.span);
            }
        }
        for span in spans {
            cx.report(
                span,
                "Use the `--no-cache` switch to avoid the need to use `--update` and remove \
                 `/var/cache/apk/*` when done installing packages",
            );
        }
    }
}

/// `rm -f /var/cache/apk/*` (the cache holds files only).
fn removes_files(cmd: &plimsoll_shell::Command) -> bool {
    cmd.runs("rm").is_some_and(|inv| {
        inv.positional_args(&[])
            .iter()
            .any(|w| w.value.as_deref() == Some("/var/cache/apk/*"))
    })
}
