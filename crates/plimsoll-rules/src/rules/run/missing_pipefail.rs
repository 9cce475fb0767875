use crate::rules::edit::{before_comments, indent_of, is_gnu_distro, reanalyze, root_image};
use crate::rules::prelude::*;
use plimsoll_shell::{Pipeline, Script, ScriptSource, Shell, analyze_run, own_scripts};

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
    ///
    /// ## Fix safety
    /// Unsafe, since a pipeline that used to pass may now fail the build
    /// (that is the point). Where the `RUN` runs in the default `/bin/sh`
    /// and the stage's base image is known to have bash (Debian, Ubuntu,
    /// Fedora, the Red Hat family, SUSE, Arch, and the official language
    /// images built on them; not Alpine, BusyBox or distroless), the fix
    /// inserts `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the
    /// first such `RUN` of the stage. That `SHELL` also applies to every
    /// later `RUN`, and shell-form `CMD`/`ENTRYPOINT`, of the stage and of
    /// stages built on it, which now run in bash instead of `sh` (dash on
    /// Debian): scripts relying on dash's behaviour (`echo` escapes, for
    /// one) change. Where the shell already is bash, the fix prefixes the
    /// `RUN` with `set -o pipefail && ` instead, which changes only it. No
    /// fix for other shells, exec-form and `ONBUILD` `RUN`s, or when the
    /// script turns pipefail off again.
    pub struct MissingPipefail {
        code: "DL4006",
        name: "missing_pipefail",
        aliases: [],
        severity: Warning,
        summary: "Set the SHELL option -o pipefail before RUN with a pipe in it",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL4006"),
        fixable: true,
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
            // A `bash -c "a | b"` string runs in a shell of its own, which
            // the SHELL's options do not reach.
            if last == Some(i) || script.is_command_string() {
                continue;
            }
            if let Some(p) = script.pipelines.iter().find(|p| masks(script, p)) {
                found.push((i, p.span));
                last = Some(i);
            }
        }
        // One SHELL fix per stage: it covers the later RUNs too.
        let mut stages_fixed = Vec::new();
        for (i, span) in found {
            let stage = cx.model.context(i).stage;
            let fix = if stages_fixed.contains(&stage) {
                None
            } else {
                pipefail_fix(cx, i)
            };
            if fix.is_some() {
                stages_fixed.push(stage);
            }
            cx.report(span, MESSAGE).fix = fix;
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

const BASH_PIPEFAIL: [&str; 4] = ["/bin/bash", "-o", "pipefail", "-c"];

/// `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before RUN `index`, or a
/// `set -o pipefail && ` prefix when it already runs in bash; only when
/// the RUN then masks no failure.
fn pipefail_fix(cx: &Checker<'_>, index: usize) -> Option<Fix> {
    let ins = cx.dockerfile.instructions.get(index)?;
    if ins.keyword != Keyword::Run || ins.is_exec_form() {
        return None;
    }
    let argv = &cx.model.context(index).shell;
    let clean = |scripts: &[Script]| {
        !scripts.is_empty()
            && own_scripts(scripts)
                .iter()
                .all(|s| s.is_analyzed() && !s.pipelines.iter().any(|p| masks(s, p)))
    };
    if argv
        .iter()
        .map(String::as_str)
        .eq(plimsoll_model::DEFAULT_SHELL)
        && root_image(cx.model, index).is_some_and(is_gnu_distro)
    {
        let scripts = analyze_run(cx.dockerfile, ins, &Shell::from_argv(&BASH_PIPEFAIL));
        if !clean(&scripts) {
            return None;
        }
        let at = before_comments(cx, index);
        let shell = format!(
            "{}SHELL [{}]\n",
            indent_of(cx, ins.span.start),
            BASH_PIPEFAIL.map(|a| format!("\"{a}\"")).join(", "),
        );
        return Some(Fix::unsafe_(
            "Run the stage's scripts in bash with pipefail",
            vec![Edit::insert(at, shell)],
        ));
    }
    let bash = argv
        .first()
        .is_some_and(|a| a.rsplit('/').next() == Some("bash"));
    let [script] = own_scripts(cx.scripts(index)) else {
        return None;
    };
    if !bash || script.source != ScriptSource::ShellForm {
        return None;
    }
    let edit = Edit::insert(ins.rest.source_offset(0), "set -o pipefail && ");
    let scripts = reanalyze(cx, index, std::slice::from_ref(&edit))?;
    let same = scripts.first().is_some_and(|s| {
        s.text == format!("set -o pipefail && {}", script.text)
            && s.commands.len() == script.commands.len() + 1
    });
    (same && clean(&scripts)).then(|| Fix::unsafe_("Set pipefail for this RUN", vec![edit]))
}
