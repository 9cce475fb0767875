use super::common::{cache_mounted, commands, rm_recursive, ships};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that runs `apt-get update` (or `apt update`) but does not remove
    /// `/var/lib/apt/lists` afterwards in the same `RUN`
    /// (`rm -rf /var/lib/apt/lists/*`, or `apt-get distclean`).
    ///
    /// A cache or tmpfs mount over `/var/lib/apt/lists` (or `/var/lib/apt`)
    /// satisfies the rule: the lists then never reach the layer. Unlike
    /// hadolint, only stages that end up in the built image are checked (the
    /// target stage and the stages it is built on): the lists left in a
    /// build stage that is only copied from do not ship.
    ///
    /// ## Why is this bad?
    /// The package lists are tens of megabytes the image does not need at
    /// run time; left in a layer, a later `RUN` cannot reclaim the space.
    /// Stale lists also tempt a later `apt-get install` without an update.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=8.5.0-2
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends curl=8.5.0-2 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    pub struct AptListsNotDeleted {
        code: "DL3009",
        name: "apt_lists_not_deleted",
        aliases: [],
        severity: Info,
        summary: "Delete the apt-get lists after installing something",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3009"),
        fixable: false,
        default_enabled: true,
    }
}

const LISTS: &str = "/var/lib/apt/lists";

impl Rule for AptListsNotDeleted {
    fn check(&self, cx: &mut Checker<'_>) {
        let sites = commands(cx);
        let mut spans = Vec::new();
        for (k, site) in sites.iter().enumerate() {
            let Some(inv) = site.cmd.runs("apt-get").or_else(|| site.cmd.runs("apt")) else {
                continue;
            };
            if !inv.subcommand_is("update") {
                continue;
            }
            if !ships(cx.model, site.index) || cache_mounted(cx.model, site.index, LISTS) {
                continue;
            }
            // A cleanup later in the same RUN.
            let cleaned = sites[k + 1..]
                .iter()
                .take_while(|s| s.index == site.index)
                .any(|s| {
                    rm_recursive(s.cmd, &[LISTS, "/var/lib/apt"])
                        || s.cmd
                            .runs("apt-get")
                            .or_else(|| s.cmd.runs("apt"))
                            .is_some_and(|i| {
                                i.subcommand_is("distclean") || i.subcommand_is("dist-clean")
                            })
                });
            if !cleaned {
                spans.push(site.cmd.span);
            }
        }
        for span in spans {
            cx.report(span, "Delete the apt-get lists after installing something");
        }
    }
}
