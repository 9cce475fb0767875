use super::common::{cache_mounted, commands, later_runs_rely_on, rm_recursive, ships};
use crate::rules::edit::cleanup_after_last;
use crate::rules::prelude::*;
use plimsoll_shell::Command;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that runs `apt-get update` (or `apt update`) but does not remove
    /// `/var/lib/apt/lists` afterwards in the same `RUN`
    /// (`rm -rf /var/lib/apt/lists/*`, or `apt-get distclean`). Commands
    /// inside a `sh -c "…"` string count where the string is. A brace
    /// expansion counts in bash (`rm -rf /var/lib/apt/{lists,cache}`), not
    /// in `/bin/sh`: dash does none, so there the braces are a literal
    /// name and the lists stay.
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
    ///
    /// ## Fix safety
    /// Safe: ` && rm -rf /var/lib/apt/lists/*` is appended to the `&&`
    /// list holding the last apt command of the script (after the last
    /// `apt-get install`, `apt-cache`, `add-apt-repository` …), so it runs
    /// only when that list succeeded and the `RUN` fails exactly when it
    /// failed before; under `sudo` the removal runs under `sudo` too. No
    /// fix is offered when a later `RUN` of the image uses apt without its
    /// own `apt-get update` (it relies on the lists this one leaves), when
    /// another script of the same `RUN` runs apt, or when the last apt
    /// command is inside a function or a background list.
    pub struct AptListsNotDeleted {
        code: "DL3009",
        name: "apt_lists_not_deleted",
        aliases: [],
        severity: Info,
        summary: "Delete the apt-get lists after installing something",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3009"),
        fixable: true,
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
                    rm_recursive(s.cmd, s.dialect, &[LISTS, "/var/lib/apt"])
                        || s.cmd
                            .runs("apt-get")
                            .or_else(|| s.cmd.runs("apt"))
                            .is_some_and(|i| {
                                i.subcommand_is("distclean") || i.subcommand_is("dist-clean")
                            })
                });
            if !cleaned {
                spans.push((site.cmd.span, site.index, site.script));
            }
        }
        for (span, index, script) in spans {
            let fix = remove_lists(cx, index, script, span);
            cx.report(span, "Delete the apt-get lists after installing something")
                .fix = fix;
        }
    }
}

/// apt commands that read the package lists (or write them).
fn uses_lists(cmd: &Command) -> bool {
    [
        "apt-get",
        "apt",
        "apt-cache",
        "aptitude",
        "add-apt-repository",
        "apt-add-repository",
    ]
    .iter()
    .any(|p| cmd.runs(p).is_some())
}

fn updates(cmd: &Command) -> bool {
    ["apt-get", "apt"]
        .iter()
        .any(|p| cmd.runs(p).is_some_and(|i| i.subcommand_is("update")))
}

/// `&& rm -rf /var/lib/apt/lists/*` after the last apt command of the
/// script holding the `apt-get update` at `update`.
fn remove_lists(cx: &Checker<'_>, index: usize, script: usize, update: Span) -> Option<Fix> {
    if later_runs_rely_on(cx, index, uses_lists, updates) {
        return None;
    }
    let last = cx
        .scripts(index)
        .get(script)?
        .commands
        .iter()
        .rfind(|c| uses_lists(c))?;
    if last.span.start < update.start {
        return None;
    }
    let edit = cleanup_after_last(
        cx,
        index,
        script,
        uses_lists,
        "rm -rf /var/lib/apt/lists/*",
        1,
    )?;
    Some(Fix::safe(
        "Remove the apt lists after the last apt command",
        vec![edit],
    ))
}
