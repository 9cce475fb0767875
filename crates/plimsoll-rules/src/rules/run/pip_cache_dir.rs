use super::common::{is_cache_mounted, operands_after, pip, ships_in_final_image};
use crate::rules::prelude::*;
use plimsoll_shell::{Script, ScriptSource};

declare_rule! {
    /// ## What it does
    /// Flags `pip install` without `--no-cache-dir`.
    ///
    /// ## Why is this bad?
    /// pip keeps every wheel it downloads or builds in its cache
    /// (`~/.cache/pip`). In an image that cache is never used again, but it
    /// stays in the layer and makes the image bigger.
    ///
    /// Not reported: when `PIP_NO_CACHE_DIR` is set to a true value (by
    /// `ENV`/`ARG`, also in a parent stage, or in the script itself), when
    /// the RUN has a cache mount over `/root/.cache/pip` (or `/root/.cache`),
    /// for `pipx` and `pipenv`, and for installs in a stage that does not
    /// end up in the final image (only what is copied out of it ships).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// RUN pip install flask==3.0.3
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12
    /// RUN pip install --no-cache-dir flask==3.0.3
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `--no-cache-dir` is added after `install`; only where pip
    /// keeps its downloads changes.
    pub struct PipCacheDir {
        code: "DL3042",
        name: "pip_cache_dir",
        aliases: [],
        severity: Warning,
        summary: "Avoid use of cache directory with pip",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3042"),
        fixable: true,
        default_enabled: true,
    }
}

const TRUTHY: &[&str] = &["1", "true", "on", "yes"];

fn truthy(v: &str) -> bool {
    TRUTHY.iter().any(|t| v.eq_ignore_ascii_case(t))
}

impl Rule for PipCacheDir {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (i, script) in cx.run_scripts() {
            if !ships_in_final_image(cx, i) || env_disables_cache(cx, i) {
                continue;
            }
            if is_cache_mounted(cx, i, "/root/.cache/pip") {
                continue;
            }
            for (k, cmd) in script.commands.iter().enumerate() {
                let Some(inv) = pip(cmd) else {
                    continue;
                };
                let Some(install) = inv.positional_args(&[]).into_iter().next() else {
                    continue;
                };
                if operands_after(&inv, &["install"], &[]).is_none()
                    || inv.has_flag(&["--no-cache-dir"])
                    || script_disables_cache(script, k)
                {
                    continue;
                }
                let fixable =
                    script.source != ScriptSource::ExecForm && !script.is_command_string();
                found.push((cmd.span, fixable.then_some(install.span)));
            }
        }
        for (span, install) in found {
            let finding = cx.report(
                span,
                "Avoid use of cache directory with pip. Use `pip install --no-cache-dir \
                 <package>`.",
            );
            finding.fix = install.map(|install| {
                Fix::safe(
                    "Add `--no-cache-dir`",
                    vec![Edit::insert(install.end, " --no-cache-dir")],
                )
            });
        }
    }
}

/// `PIP_NO_CACHE_DIR` set to a true value by ENV or ARG.
fn env_disables_cache(cx: &Checker<'_>, i: usize) -> bool {
    cx.model
        .context(i)
        .scope
        .get_var("PIP_NO_CACHE_DIR")
        .and_then(|v| v.value.as_deref())
        .is_some_and(truthy)
}

/// `PIP_NO_CACHE_DIR=1 pip install …` or an `export PIP_NO_CACHE_DIR=1`
/// earlier in the script.
fn script_disables_cache(script: &Script, k: usize) -> bool {
    let assigns = |c: &plimsoll_shell::Command| {
        c.env
            .iter()
            .any(|a| a.name == "PIP_NO_CACHE_DIR" && a.value.value.as_deref().is_some_and(truthy))
    };
    if script.commands.get(k).is_some_and(assigns) {
        return true;
    }
    script.commands.iter().take(k).any(|c| {
        (c.name.is_none() && assigns(c))
            || (c.name_is("export")
                && c.args.iter().any(|w| {
                    w.value
                        .as_deref()
                        .and_then(|v| v.strip_prefix("PIP_NO_CACHE_DIR="))
                        .is_some_and(truthy)
                }))
    })
}
