use super::common::{apk_add, cache_mounted, commands, later_runs_rely_on, rm_recursive};
use crate::rules::edit::{checked_script_edit, top_level_pipeline};
use crate::rules::prelude::*;
use plimsoll_shell::{Command, Connector};

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
    ///
    /// ## Fix safety
    /// Safe: `--no-cache` is inserted after `add`, and an `apk update &&`
    /// right before that `apk add` (the only other apk command of the
    /// script) is removed, since `--no-cache` fetches a fresh index itself.
    /// The same packages are installed; only the index is no longer kept.
    /// No fix is offered when a later `RUN` of the image runs apk without
    /// `--no-cache`, `--update` or its own `apk update`: it may rely on
    /// the index this one keeps.
    pub struct ApkAddWithoutNoCache {
        code: "DL3019",
        name: "apk_add_without_no_cache",
        aliases: [],
        severity: Info,
        summary: "Use the `--no-cache` switch with apk add",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3019"),
        fixable: true,
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
                .any(|s| rm_recursive(s.cmd, s.dialect, CACHES) || removes_files(s.cmd));
            if !removed {
                spans.push((site.cmd.span, site.index, site.script));
            }
        }
        for (span, index, script) in spans {
            let fix = no_cache(cx, index, script, span);
            cx.report(
                span,
                "Use the `--no-cache` switch to avoid the need to use `--update` and remove \
                 `/var/cache/apk/*` when done installing packages",
            )
            .fix = fix;
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

/// apk commands that read the package index.
fn needs_index(cmd: &Command) -> bool {
    cmd.runs("apk").is_some_and(|inv| {
        [
            "add", "upgrade", "search", "fetch", "policy", "list", "dot", "info",
        ]
        .iter()
        .any(|s| inv.subcommand_is(s))
            && !inv.has_flag(&["--no-cache", "-U", "--update", "--update-cache"])
    })
}

fn refreshes_index(cmd: &Command) -> bool {
    cmd.runs("apk")
        .is_some_and(|inv| inv.subcommand_is("update"))
}

/// `apk add --no-cache`, without the `apk update &&` before it.
fn no_cache(cx: &Checker<'_>, index: usize, script: usize, add_cmd: Span) -> Option<Fix> {
    if later_runs_rely_on(cx, index, needs_index, refreshes_index) {
        return None;
    }
    let s = cx.scripts(index).get(script)?;
    let (k, cmd) = s.find(|c| c.span == add_cmd)?;
    let (_, add, _) = apk_add(cmd)?;
    if cx.slice(add.span) != "add" {
        return None;
    }
    let mut edits = vec![Edit::insert(add.span.end, " --no-cache")];
    let only_apk = s
        .commands
        .iter()
        .filter(|c| c.runs("apk").is_some())
        .count()
        == 2;
    if let Some(update) = update_before(s, k).filter(|_| only_apk) {
        edits.push(Edit::delete(Span::new(update.span.start, cmd.span.start)));
        if let Some(edits) = checked_script_edit(cx, index, script, edits.clone(), -1) {
            return Some(Fix::safe("Use `apk add --no-cache`", edits));
        }
        edits.pop();
    }
    let edits = checked_script_edit(cx, index, script, edits, 0)?;
    Some(Fix::safe("Add `--no-cache` after `add`", edits))
}

/// A plain `apk update` joined by `&&` right before the pipeline of
/// command `k`.
fn update_before(s: &plimsoll_shell::Script, k: usize) -> Option<&Command> {
    let p = top_level_pipeline(s, k)?;
    let pipeline = &s.pipelines[p];
    if pipeline.connector_before != Some(Connector::And) || pipeline.stages.len() != 1 {
        return None;
    }
    let k_update = k.checked_sub(1)?;
    let update = s.commands.get(k_update)?;
    let plain = update
        .runs("apk")
        .is_some_and(|inv| inv.args.len() == 1 && inv.subcommand_is("update"))
        && update
            .effective()
            .is_some_and(|inv| inv.wrappers.is_empty());
    (plain && top_level_pipeline(s, k_update).is_some_and(|q| s.pipelines[q].span == update.span))
        .then_some(update)
}
