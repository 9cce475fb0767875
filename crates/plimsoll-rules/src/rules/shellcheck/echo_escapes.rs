use super::common::is_shell;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `echo` given a quoted argument with a backslash escape such
    /// as `\n` or `\t` (ShellCheck SC2028).
    ///
    /// ## Why is this bad?
    /// Whether `echo` turns `\n` into a line feed depends on the shell:
    /// dash (Debian's and Ubuntu's `/bin/sh`) does, bash does not unless
    /// given `-e`, busybox does not. The same RUN writes different files
    /// on different base images. `printf` behaves the same everywhere.
    ///
    /// Not flagged, as in ShellCheck: `echo -e` (a portability question of
    /// its own) and unquoted words, where the shell removes the backslash.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN echo "[app]\nport = 8080" > /etc/app.ini
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN printf '[app]\nport = 8080\n' > /etc/app.ini
    /// ```
    pub struct EchoEscapes {
        code: "SC2028",
        name: "echo_escapes",
        aliases: [],
        severity: Info,
        summary: "echo may not expand escape sequences; use printf",
        url: Some("https://www.shellcheck.net/wiki/SC2028"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for EchoEscapes {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for (_, script) in cx.run_scripts() {
            if !is_shell(script) {
                continue;
            }
            for cmd in &script.commands {
                if !cmd.name_is("echo") {
                    continue;
                }
                let interprets = cmd.args.first().is_some_and(|a| {
                    a.value.as_deref().is_some_and(|v| {
                        v.strip_prefix('-').is_some_and(|f| {
                            f.contains('e') && f.chars().all(|c| matches!(c, 'n' | 'e' | 'E'))
                        })
                    })
                });
                if interprets {
                    continue;
                }
                if let Some(word) = cmd.args.iter().find(|w| quoted_escape(&w.text)) {
                    spans.push(word.span);
                }
            }
        }
        for span in spans {
            cx.report(span, "echo may not expand escape sequences. Use printf.");
        }
    }
}

/// True when a quoted part of `text` hands `echo` a backslash escape
/// (`\n`, `\t`, `\\`, …).
fn quoted_escape(text: &str) -> bool {
    let b = text.as_bytes();
    let escape = |c: Option<&u8>| {
        matches!(
            c,
            Some(b'a' | b'b' | b'c' | b'e' | b'f' | b'n' | b'r' | b't' | b'v' | b'0' | b'\\')
        )
    };
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while let Some(&c) = b.get(i) {
        match (quote, c) {
            (None, b'\\') => i += 2,
            (None, b'\'' | b'"') => {
                quote = Some(c);
                i += 1;
            }
            (Some(q), c) if c == q => {
                quote = None;
                i += 1;
            }
            (Some(b'\''), b'\\') => {
                if escape(b.get(i + 1)) {
                    return true;
                }
                i += 1;
            }
            (Some(_), b'\\') => {
                // In double quotes `\\` reaches echo as one backslash.
                let next = b.get(i + 1);
                let after = if next == Some(&b'\\') {
                    b.get(i + 2)
                } else {
                    next
                };
                if escape(after) {
                    return true;
                }
                i += if next == Some(&b'\\') { 2 } else { 1 };
            }
            _ => i += 1,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::quoted_escape as f;

    #[test]
    fn finds_escapes_echo_would_see() {
        assert!(f("\"a\\nb\""));
        assert!(f("'a\\tb'"));
        assert!(f("\"a\\\\nb\""));
        assert!(f("'a\\\\b'"));
        assert!(f("x=\"$V\\n\""));
    }

    #[test]
    fn ignores_other_backslashes() {
        assert!(!f("a\\nb"));
        assert!(!f("\"a\\$b\""));
        assert!(!f("\"a \\\"b\\\"\""));
        assert!(!f("\"plain\""));
    }
}
