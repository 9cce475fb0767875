use super::common::{cache_mount_targets, ships_in_final_image};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that runs `yarn install` without `yarn cache clean`
    /// in the same instruction.
    ///
    /// ## Why is this bad?
    /// yarn keeps every package it downloads in its cache
    /// (`/usr/local/share/.cache/yarn` for root). The image never uses it
    /// again, but it stays in the layer; cleaning it in a later `RUN` does
    /// not shrink the image.
    ///
    /// Not reported: when the RUN has a cache mount over yarn's cache
    /// (a `--mount=type=cache` whose target is a yarn cache directory), and
    /// for installs in a stage that does not end up in the final image
    /// (only what is copied out of it ships).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20
    /// RUN yarn install --frozen-lockfile
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20
    /// RUN yarn install --frozen-lockfile && yarn cache clean
    /// ```
    pub struct YarnCacheNotCleaned {
        code: "DL3060",
        name: "yarn_cache_not_cleaned",
        aliases: [],
        severity: Info,
        summary: "`yarn cache clean` missing after `yarn install`",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3060"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for YarnCacheNotCleaned {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (i, _) in cx.instructions() {
            let scripts = cx.scripts(i);
            let commands = || scripts.iter().flat_map(|s| s.commands.iter());
            let Some(install) = commands().find_map(|c| {
                let inv = c.runs("yarn")?;
                inv.subcommand_is("install")
                    .then_some(inv.name.span.cover(c.span))
            }) else {
                continue;
            };
            let cleaned = commands().any(|c| {
                c.runs("yarn").is_some_and(|inv| {
                    let ops = inv.positional_args(&[]);
                    ops.first().is_some_and(|w| w.is("cache"))
                        && ops.get(1).is_some_and(|w| w.is("clean"))
                })
            });
            if cleaned || !ships_in_final_image(cx, i) {
                continue;
            }
            let mounted = cache_mount_targets(cx, i)
                .iter()
                .any(|t| t.to_ascii_lowercase().contains("yarn"));
            if mounted {
                continue;
            }
            found.push(install);
        }
        for span in found {
            cx.report(
                span,
                "`yarn cache clean` missing after `yarn install` was run.",
            );
        }
    }
}
