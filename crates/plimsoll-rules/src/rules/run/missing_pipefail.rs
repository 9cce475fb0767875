use crate::rules::prelude::*;
use plimsoll_shell::{Pipeline, Script};

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` with a pipe (`a | b`) when the shell does not run it
    /// with the `pipefail` option.
    ///
    /// ## Why is this bad?
    /// Without `pipefail` a pipeline's status is that of its last command:
    /// in `RUN wget -O - https://example.com/install.sh | sh`, a failed
    /// download still gives a successful step (`sh` happily runs an empty
    /// script), and the build goes on with a broken image.
    ///
    /// `pipefail` counts when it is set by the stage's `SHELL` (also one
    /// inherited from the stage it is built `FROM`), by a `set -o pipefail`
    /// (`set -euo pipefail`) earlier in the same script, or by the shell of
    /// an exec-form `RUN ["bash", "-o", "pipefail", "-c", "…"]`. Pipes whose
    /// commands before the last cannot fail (`echo`, `printf`, `yes`,
    /// `true`) are not reported. Unlike hadolint, `pipefail` set for
    /// `/bin/sh` counts too: a shell without the option stops the build at
    /// once, so no failure goes unnoticed. For `/bin/sh` images, consider
    /// `SHELL ["/bin/ash", "-o", "pipefail", "-c"]` on Alpine or
    /// `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` where bash exists.
    /// PowerShell and cmd scripts are not checked.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN wget -O - https://example.com/key.asc | gpg --dearmor > /usr/share/keyrings/example.gpg
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// SHELL ["/bin/bash", "-o", "pipefail", "-c"]
    /// RUN wget -O - https://example.com/key.asc | gpg --dearmor > /usr/share/keyrings/example.gpg
    /// ```
    pub struct MissingPipefail {
        code: "DL4006",
        name: "missing_pipefail",
        aliases: [],
        severity: Warning,
        summary: "Set the SHELL option -o pipefail before RUN with a pipe in it",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL4006"),
        fixable: false,
        default_enabled: true,
    }
}

const MESSAGE: &str = "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are \
using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider \
explicitly setting your SHELL to /bin/ash, or disable this check";

/// Commands that cannot fail in a useful way before a pipe.
const CANNOT_FAIL: &[&str] = &["echo", "printf", "yes", "true", ":"];

impl Rule for MissingPipefail {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        let mut last = None;
        for (i, script) in cx.run_scripts() {
            if last == Some(i) {
                continue;
            }
            if let Some(p) = script.pipelines.iter().find(|p| masks(script, p)) {
                found.push(p.span);
                last = Some(i);
            }
        }
        for span in found {
            cx.report(span, MESSAGE);
        }
    }
}

/// A pipeline whose failure before the last stage would go unnoticed.
fn masks(script: &Script, p: &Pipeline) -> bool {
    if !p.masks_failure() {
        return false;
    }
    let Some(upstream) = p.stages.len().checked_sub(1) else {
        return false;
    };
    (0..upstream).any(|k| {
        let cmds = script.stage(p, k);
        // A compound stage (`{ …; } | x`), `(( … ))` or a command we do not
        // know can fail.
        cmds.len() != 1
            || !cmds
                .iter()
                .all(|c| CANNOT_FAIL.iter().any(|n| c.name_is(n)))
    })
}
