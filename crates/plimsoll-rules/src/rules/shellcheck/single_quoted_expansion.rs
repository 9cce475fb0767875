use super::common::is_shell;
use crate::rules::prelude::*;
use plimsoll_shell::{Command, Word};
use std::ops::Range;

declare_rule! {
    /// ## What it does
    /// Flags `$VAR`, `${…}`, `$(…)` or `` `…` `` inside single quotes in a
    /// command's arguments (ShellCheck SC2016).
    ///
    /// ## Why is this bad?
    /// Nothing expands inside single quotes: the command gets the text
    /// `$HOME` itself, which is usually a mistake for double quotes.
    ///
    /// Not flagged: arguments of programs that read such text as their own
    /// language and expect it literal — shells (`sh -c '…'`, also through
    /// `sudo`, `su -c`, `env`, `xargs` or `find -exec`), `awk`, `perl`,
    /// `python`, `ruby`, `php`, `node`, `jq`, `yq`, `ssh`, `trap`, `eval`,
    /// `envsubst`, `dpkg-query` and `docker`/`kubectl exec`; and `$'…'`
    /// strings.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN echo 'export PATH=$HOME/bin:$PATH' > /etc/profile.d/app.sh && echo 'Home: $HOME'
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN echo 'export PATH=$HOME/bin:$PATH' > /etc/profile.d/app.sh && echo "Home: $HOME"
    /// ```
    ///
    /// Text written to a file for later (the first `echo` above) is meant
    /// literal: ignore the finding there with `# hadolint ignore=SC2016`.
    pub struct SingleQuotedExpansion {
        code: "SC2016",
        name: "single_quoted_expansion",
        aliases: [],
        severity: Info,
        summary: "Expressions don't expand in single quotes",
        url: Some("https://www.shellcheck.net/wiki/SC2016"),
        fixable: false,
        default_enabled: true,
    }
}

/// Programs whose arguments are code or templates of their own.
const INTERPRETERS: &[&str] = &[
    "sh",
    "bash",
    "dash",
    "ash",
    "zsh",
    "ksh",
    "mksh",
    "busybox",
    "su",
    "runuser",
    "awk",
    "gawk",
    "mawk",
    "nawk",
    "perl",
    "python",
    "python2",
    "python3",
    "ruby",
    "php",
    "node",
    "jq",
    "yq",
    "ssh",
    "trap",
    "eval",
    "envsubst",
    "dpkg-query",
    "docker",
    "kubectl",
    "podman",
    "xargs",
    "parallel",
    "watch",
    "flock",
    "script",
];

impl Rule for SingleQuotedExpansion {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for (_, script) in cx.run_scripts() {
            if !is_shell(script) {
                continue;
            }
            for cmd in &script.commands {
                if runs_code(cmd) {
                    continue;
                }
                for word in &cmd.args {
                    if let Some(range) = single_quoted_expression(&word.text) {
                        spans.push(word.sub_span(range));
                    }
                }
            }
        }
        for span in spans {
            cx.report(
                span,
                "Expressions don't expand in single quotes, use double quotes for that.",
            );
        }
    }
}

/// True when the command (or a program it runs, `find -exec sh -c`)
/// takes code whose `$` belongs to another language or a later shell.
fn runs_code(cmd: &Command) -> bool {
    let Some(inv) = cmd.effective() else {
        return true;
    };
    let is_interpreter = |w: &Word| {
        w.value.as_deref().is_some_and(|v| {
            let base = v.rsplit('/').next().unwrap_or(v);
            INTERPRETERS.contains(&base) || base.starts_with("python")
        })
    };
    is_interpreter(inv.name) || inv.args.iter().any(is_interpreter)
}

/// The range of the first single-quoted segment of `text` holding an
/// expression the writer probably meant to expand.
fn single_quoted_expression(text: &str) -> Option<Range<usize>> {
    let b = text.as_bytes();
    let mut i = 0;
    let mut double = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'\\' if !double || matches!(b.get(i + 1), Some(b'"' | b'\\' | b'$' | b'`')) => i += 2,
            b'"' => {
                double = !double;
                i += 1;
            }
            b'\'' if !double => {
                let ansi = i > 0 && b.get(i - 1) == Some(&b'$');
                let end = b[i + 1..]
                    .iter()
                    .position(|&c| c == b'\'')
                    .map_or(b.len(), |p| i + 1 + p);
                let body = &b[i + 1..end];
                if !ansi && looks_expanded(body) {
                    return Some(i..(end + 1).min(b.len()));
                }
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    None
}

/// `$name`, `${name`, `$(`, `$1`, or a pair of backquotes. `${\1…}` (a
/// sed replacement that writes shell code) is no expansion, as in
/// ShellCheck.
fn looks_expanded(body: &[u8]) -> bool {
    let name = |c: u8| c == b'_' || c.is_ascii_alphanumeric();
    let dollar = (0..body.len()).any(|j| {
        body[j] == b'$'
            && match body.get(j + 1) {
                Some(b'{') => body
                    .get(j + 2)
                    .is_some_and(|&c| name(c) || b"#!@*?-".contains(&c)),
                Some(&c) => c == b'(' || name(c),
                None => false,
            }
    });
    dollar || body.iter().filter(|&&c| c == b'`').count() >= 2
}

#[cfg(test)]
mod tests {
    use super::single_quoted_expression as f;

    #[test]
    fn finds_expressions_in_single_quotes() {
        assert_eq!(f("'$HOME'"), Some(0..7));
        assert_eq!(f("--x='${a}'"), Some(4..10));
        assert_eq!(f("'a `b`'"), Some(0..7));
        assert_eq!(f("'unterminated $x"), Some(0..16));
    }

    #[test]
    fn ignores_other_text() {
        assert_eq!(f("\"'$HOME'\""), None);
        assert_eq!(f("'a $ b'"), None);
        assert_eq!(f("'s/$/x/'"), None);
        assert_eq!(f("$'\\n$x'"), None);
        assert_eq!(f("\\'$x"), None);
        assert_eq!(f("'a$'"), None);
        assert_eq!(f("'s/x/: ${\\1:=\\2}/'"), None);
        assert_eq!(f("'${#a}'"), Some(0..7));
    }
}
