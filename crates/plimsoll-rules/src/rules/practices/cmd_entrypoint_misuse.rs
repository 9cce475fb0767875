use super::common::MainProcess;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `CMD` that does not do what it looks like next to the
    /// image's `ENTRYPOINT` (the last of each in the final stage and the
    /// stages it is built on):
    /// - a `CMD` with a shell-form `ENTRYPOINT`: the shell form runs
    ///   `/bin/sh -c "<entrypoint>"`, which ignores `CMD` and the arguments
    ///   of `docker run` altogether;
    /// - an exec-form `CMD` that starts with the `ENTRYPOINT`'s program
    ///   (`ENTRYPOINT ["python", "app.py"]` with `CMD ["python", "app.py"]`):
    ///   `CMD` is appended to `ENTRYPOINT`, so the program is given its own
    ///   name as an argument.
    ///
    /// A `CMD` inherited from a parent stage is reset by an `ENTRYPOINT`
    /// of a later stage (as BuildKit does) and is not considered. Programs
    /// are compared by their file name (`/usr/bin/python3` is `python3`).
    /// Shell-form `CMD`s under an exec-form `ENTRYPOINT` are DL3025's
    /// concern. (The reference corpus of real Dockerfiles has no case of
    /// either mistake; the fixture shows them.)
    ///
    /// ## Why is this bad?
    /// `ENTRYPOINT` names the program and `CMD` its default arguments; the
    /// container runs `ENTRYPOINT + CMD`. Either mistake runs something
    /// other than what the Dockerfile seems to say, and it usually shows
    /// only at run time.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENTRYPOINT ["python"]
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENTRYPOINT ["python"]
    /// CMD ["app.py"]
    /// ```
    pub struct CmdEntrypointMisuse {
        code: "PL1009",
        name: "cmd_entrypoint_misuse",
        aliases: [],
        severity: Warning,
        summary: "CMD ignored by a shell-form ENTRYPOINT, or repeating its program",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

impl Rule for CmdEntrypointMisuse {
    fn check(&self, cx: &mut Checker<'_>) {
        let main = MainProcess::of(cx);
        let (Some(e), Some(c)) = (main.entrypoint, main.cmd) else {
            return;
        };
        let entrypoint = &cx.dockerfile.instructions[e];
        let cmd = &cx.dockerfile.instructions[c];
        if cmd.args.is_empty() || (cmd.is_exec_form() && cmd.rest.text.trim() == "[]") {
            return;
        }
        let span = cmd.rest.source_span(0, cmd.rest.text.len());
        if !entrypoint.is_exec_form() {
            if entrypoint.rest.text.trim().is_empty() {
                return;
            }
            cx.report(
                span,
                format!(
                    "This CMD is ignored: the shell-form ENTRYPOINT (line {}) runs `/bin/sh -c` \
                     without it. Write the ENTRYPOINT in exec form to pass CMD as its arguments",
                    entrypoint.start_line
                ),
            );
            return;
        }
        let (Some(ep), Some(first)) = (entrypoint.args.first(), cmd.args.first()) else {
            return;
        };
        if !cmd.is_exec_form() || ep.value.is_empty() {
            return;
        }
        if basename(&ep.value) == basename(&first.value) {
            cx.report(
                first.span,
                format!(
                    "CMD repeats the ENTRYPOINT's program `{}` (line {}): CMD is appended to \
                     ENTRYPOINT, so it runs `{} {}`. Give CMD only the arguments",
                    ep.value,
                    entrypoint.start_line,
                    entrypoint
                        .args
                        .iter()
                        .map(|a| a.value.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    cmd.args
                        .iter()
                        .map(|a| a.value.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            );
        }
    }
}
