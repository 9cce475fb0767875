use super::common::{
    Content, MainProcess, defines_function, last_top_level, program_file, written_files,
};
use crate::rules::prelude::*;
use plimsoll_shell::Word;

declare_rule! {
    /// ## What it does
    /// Flags the shell script an image runs as its main command (the
    /// program of the effective `ENTRYPOINT`, or of `CMD` without one, or
    /// the script given to `sh`/`bash` there) when its last command does
    /// not `exec` the long-running program.
    ///
    /// The script's text must be known:
    /// - written by the Dockerfile itself: `COPY <<EOF /entrypoint.sh`,
    ///   `RUN cat > /entrypoint.sh <<EOF`, `RUN tee … <<EOF`, or built with
    ///   `echo`/`printf` redirections (`echo '…' > /start.sh && echo '…' >>
    ///   /start.sh`);
    /// - or copied from the build context (`COPY docker/entrypoint.sh
    ///   /usr/local/bin/`) when the context is known (`plimsoll check
    ///   --context DIR`, or the Dockerfile's directory when it evidently is
    ///   the context). Files over 256 KiB or outside the context are not
    ///   read.
    ///
    /// The last command is the last one that runs at the script's top
    /// level (it may be in an `if` or `case` branch; function bodies and
    /// command substitutions do not count). Stays quiet when it is `exec
    /// …`, a call of a function the script defines, `exit`/`return`,
    /// a command sent to the background, or something that does not run
    /// a program (`echo`, `true`, `:`, `set`, `export`); and for scripts
    /// in another language (`#!/usr/bin/env python3`). A file written only
    /// in one branch of an `if` or `case` has no known text. (The reference
    /// corpus holds Dockerfiles without their build contexts, and none of
    /// them writes its entrypoint script unconditionally, so the rule finds
    /// nothing there.)
    ///
    /// ## Why is this bad?
    /// Without `exec`, the shell stays PID 1 and runs the program as its
    /// child. `docker stop` sends `SIGTERM` to the shell, which does not pass
    /// it on: the program never hears about the shutdown and is killed
    /// after the timeout, losing in-flight work. With `exec` the program
    /// replaces the shell, becomes PID 1, and receives the signals.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY --chmod=755 <<EOF /entrypoint.sh
    /// #!/bin/sh
    /// python manage.py migrate
    /// gunicorn app.wsgi
    /// EOF
    /// ENTRYPOINT ["/entrypoint.sh"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY --chmod=755 <<EOF /entrypoint.sh
    /// #!/bin/sh
    /// python manage.py migrate
    /// exec gunicorn app.wsgi
    /// EOF
    /// ENTRYPOINT ["/entrypoint.sh"]
    /// ```
    ///
    /// ## Fix safety
    /// Offered for scripts in a heredoc of the Dockerfile (the only text
    /// plimsoll can edit), when the last command is a simple command
    /// outside a pipeline and a subshell: `exec ` is inserted before it. It
    /// is unsafe because nothing after the command runs any more, and
    /// traps the script set do not fire; that is the intent, but the
    /// script's author has to confirm it.
    pub struct EntrypointScriptWithoutExec {
        code: "PL1014",
        name: "entrypoint_script_without_exec",
        aliases: [],
        severity: Warning,
        summary: "Entrypoint script does not `exec` its final command",
        url: None,
        fixable: true,
        default_enabled: true,
    }
}

/// Commands after which nothing long-running is left to exec.
const NOT_A_PROGRAM: &[&str] = &[
    "exit", "return", "echo", "printf", "true", "false", ":", "set", "export", "unset", "cd",
    "source", ".", "trap", "shift", "eval", "exec",
];

/// The word naming the script the main command runs.
fn script_word<'c>(cx: &'c Checker<'_>, i: usize) -> Option<&'c Word> {
    let scripts = cx.command_scripts(i);
    let first = scripts.first()?.commands.first()?;
    let inv = first.effective()?;
    if matches!(inv.basename(), Some("sh" | "bash" | "ash" | "dash")) {
        if inv.has_flag(&["-c"]) {
            // `["sh", "-c", "/entrypoint.sh"]`: the script's first command.
            let inner = scripts.get(1)?.commands.first()?;
            return inner.effective().map(|x| x.name);
        }
        return inv.positional_args(&["-o", "-O"]).into_iter().next();
    }
    Some(inv.name)
}

impl Rule for EntrypointScriptWithoutExec {
    fn check(&self, cx: &mut Checker<'_>) {
        let main = MainProcess::of(cx);
        let Some(i) = main.entrypoint.or(main.cmd) else {
            return;
        };
        let Some(word) = script_word(cx, i) else {
            return;
        };
        let files = written_files(cx);
        let Some(file) = program_file(cx, i, word, &files) else {
            return;
        };
        let Some(script) = super::common::file_script(cx, file) else {
            return;
        };
        if !script.is_analyzed() {
            return;
        }
        let Some((_, last)) = last_top_level(&script) else {
            return;
        };
        let Some(inv) = last.effective() else {
            return;
        };
        let name = inv.basename().unwrap_or("");
        if last.name_is("exec")
            || NOT_A_PROGRAM.contains(&name)
            || last.background
            || defines_function(&script, name)
        {
            return;
        }
        let in_dockerfile = matches!(file.content, Content::Heredoc { .. });
        let text = if in_dockerfile {
            cx.slice(last.span).to_string()
        } else {
            script.text.get(last.span.range()).unwrap_or("").to_string()
        };
        let text = super::sources_before_dependency_install::truncate(
            text.lines().next().unwrap_or("").trim(),
            50,
        );
        let message = format!(
            "`{}` ends with `{text}` without `exec`: the shell stays PID 1 and the program does \
             not receive `docker stop`'s SIGTERM. Write `exec {text}`",
            file.path
        );
        if in_dockerfile {
            let pipeline = script.pipelines.get(last.pipeline);
            let simple = pipeline.is_some_and(|p| !p.is_piped())
                && !last.nesting.subshell
                && !last.nesting.condition
                && last.name.is_some();
            let at = last.name.as_ref().map(|w| w.span.start);
            let finding = cx.report(last.span, message);
            if simple && let Some(at) = at {
                finding.fix = Some(Fix::unsafe_(
                    "Insert `exec` before the last command",
                    vec![Edit::insert(at, "exec ")],
                ));
            }
        } else {
            let ins = &cx.dockerfile.instructions[i];
            let span = ins.rest.source_span(0, ins.rest.text.len());
            cx.report(span, message);
        }
    }
}
