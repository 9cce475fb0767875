use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `CMD` and `ENTRYPOINT` written in shell form (`CMD npm start`)
    /// instead of exec form (`CMD ["npm", "start"]`). As in BuildKit's
    /// `JSONArgsRecommended` check, a stage that sets its own `SHELL` (or
    /// is built on a stage that does) is left alone: choosing the shell says
    /// the shell form is meant.
    ///
    /// ## Why is this bad?
    /// In shell form the command runs as `/bin/sh -c "…"`: the shell is PID
    /// 1, and `docker stop`'s `SIGTERM` goes to the shell, which does not
    /// pass it on. The program is killed after the stop timeout instead of
    /// shutting down cleanly. In exec form the program is PID 1 and receives
    /// the signal. A shell-form `ENTRYPOINT` also ignores `CMD` and the
    /// arguments of `docker run`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// CMD node server.js
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// CMD ["node", "server.js"]
    /// ```
    ///
    /// ## Fix safety
    /// A fix is offered only when the command is plain words (letters,
    /// digits and `-_./:,+@%=`, no shell builtin or keyword first, no
    /// `VAR=value` prefix): then splitting at white space gives exactly the
    /// words the shell would run, and the only difference is the one this
    /// rule is about, that the program is PID 1 and gets signals.
    ///
    /// For `CMD` the fix is safe when no `ENTRYPOINT` is set in the stage or
    /// the stages it is built on. If the base image has an `ENTRYPOINT`, it
    /// now receives the command's words instead of `/bin/sh -c "…"`, which
    /// is what entrypoint scripts ending in `exec "$@"` expect. With an
    /// `ENTRYPOINT` in the Dockerfile the fix is unsafe, because the words
    /// become its arguments without the shell in between.
    ///
    /// For `ENTRYPOINT` the fix is always unsafe: an exec-form entrypoint
    /// receives `CMD` and the arguments of `docker run`, which the shell form
    /// ignored.
    pub struct ShellFormCommand {
        code: "DL3025",
        name: "shell_form_command",
        aliases: ["JSONArgsRecommended"],
        severity: Warning,
        summary: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3025"),
        fixable: true,
        default_enabled: true,
    }
}

/// Shell builtins and keywords that are not programs an exec form can run.
const SHELL_WORDS: &[&str] = &[
    ".", ":", "alias", "bg", "break", "case", "cd", "command", "continue", "do", "done", "elif",
    "else", "esac", "eval", "exec", "exit", "export", "fc", "fg", "fi", "for", "function",
    "getopts", "hash", "if", "jobs", "local", "read", "readonly", "return", "select", "set",
    "shift", "source", "then", "time", "trap", "type", "ulimit", "umask", "unalias", "unset",
    "until", "wait", "while",
];

impl Rule for ShellFormCommand {
    fn check(&self, cx: &mut Checker<'_>) {
        for (i, ins) in cx.instructions() {
            if !matches!(ins.keyword, Keyword::Cmd | Keyword::Entrypoint)
                || ins.is_exec_form()
                || ins.rest.text.trim().is_empty()
            {
                continue;
            }
            let lineage = cx.model.lineage_before(i);
            let shell_set = lineage.iter().any(|&j| {
                let prior = cx.model.instruction(j);
                prior.keyword == Keyword::Shell && prior.is_exec_form() && !prior.args.is_empty()
            });
            if shell_set {
                continue;
            }
            let span = ins.rest.source_span(0, ins.rest.text.len());
            let fix = exec_form(&ins.rest.text)
                .filter(|_| !cx.slice(span).contains('#'))
                .map(|json| {
                    let edits = vec![Edit::replace(span, json)];
                    let message = "Convert to exec form";
                    if ins.keyword == Keyword::Cmd && !has_entrypoint(cx, i, &lineage) {
                        Fix::safe(message, edits)
                    } else {
                        Fix::unsafe_(message, edits)
                    }
                });
            cx.report(
                span,
                "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
            )
            .fix = fix;
        }
    }
}

/// An ENTRYPOINT in force at `i` or set later in its stage.
fn has_entrypoint(cx: &Checker<'_>, i: usize, lineage: &[usize]) -> bool {
    let later = cx
        .model
        .stage_of(i)
        .map_or(i + 1..i + 1, |s| i + 1..s.instructions.end);
    lineage
        .iter()
        .copied()
        .chain(later)
        .any(|j| cx.model.instruction(j).keyword == Keyword::Entrypoint)
}

/// The JSON array for a command made of plain words, `None` when the
/// shell would do more than split it at white space.
fn exec_form(command: &str) -> Option<String> {
    let words: Vec<&str> = command.split_ascii_whitespace().collect();
    let first = words.first()?;
    let plain = |w: &str| {
        w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:,+@%=".contains(&b))
    };
    if !words.iter().all(|w| plain(w)) || first.contains('=') || SHELL_WORDS.contains(first) {
        return None;
    }
    let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
    Some(format!("[{}]", quoted.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::exec_form;

    #[test]
    fn plain_words_become_json() {
        assert_eq!(
            exec_form("node server.js").as_deref(),
            Some(r#"["node", "server.js"]"#)
        );
        assert_eq!(
            exec_form("gunicorn -b 0.0.0.0:8000 app.wsgi").as_deref(),
            Some(r#"["gunicorn", "-b", "0.0.0.0:8000", "app.wsgi"]"#)
        );
        assert_eq!(
            exec_form("./run --level=debug").as_deref(),
            Some(r#"["./run", "--level=debug"]"#)
        );
    }

    #[test]
    fn shell_syntax_is_left_alone() {
        for cmd in [
            "a && b",
            "echo $HOME",
            "echo \"hi\"",
            "a | b",
            "a; b",
            "a > log",
            "ls *.txt",
            "exec node",
            "cd /app",
            "PORT=80 node",
            "echo ~",
            "a # comment",
            "ünïcode",
            "",
        ] {
            assert_eq!(exec_form(cmd), None, "{cmd}");
        }
    }
}
