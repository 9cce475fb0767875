use super::common::is_shell;
use crate::rules::prelude::*;
use plimsoll_shell::{RedirectOp, Word};

declare_rule! {
    /// ## What it does
    /// Flags a backslash before an ordinary character outside quotes, such
    /// as `\o` in `echo Yay \o/` (ShellCheck SC1001).
    ///
    /// ## Why is this bad?
    /// Outside quotes a backslash only keeps the next character from being
    /// special; before a letter it does nothing and the shell drops it.
    /// `\o` is just `o`, `grep \w` greps for `w`, `sed s/\d/x/` replaces
    /// the letter `d`. Whoever wrote it wanted a literal backslash (quote
    /// it: `'\o'`) or an escape sequence (use `printf` or `$'…'`).
    ///
    /// Flagged, as in ShellCheck: a backslash before a letter or digit
    /// (any script), `_`, `-`, `/`, `:`, `=`, `%` or `^`, in a command's
    /// words, assignments and redirection targets, `$(…)` included. Not
    /// flagged: `\n`, `\t` and `\r` (ShellCheck reports them as SC1012),
    /// a backslash that starts a command name (`\ls` skips an alias), a
    /// quoted heredoc delimiter (`<<\EOF`), anything inside quotes or
    /// `${…}`. The corpus has no case (hadolint, through ShellCheck, finds
    /// none there either): official images quote their patterns.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN grep -E \w+@example\.com /etc/aliases
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN grep -E '\w+@example\.com' /etc/aliases
    /// ```
    pub struct UselessEscape {
        code: "SC1001",
        name: "useless_escape",
        aliases: [],
        severity: Info,
        summary: "A backslash before an ordinary character does nothing outside quotes",
        url: Some("https://www.shellcheck.net/wiki/SC1001"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for UselessEscape {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (_, script) in cx.run_scripts() {
            if !is_shell(script) {
                continue;
            }
            for cmd in &script.commands {
                let mut words: Vec<(&Word, bool)> = Vec::new();
                words.extend(cmd.name.iter().map(|w| (w, true)));
                words.extend(cmd.args.iter().map(|w| (w, false)));
                words.extend(cmd.env.iter().map(|a| (&a.value, false)));
                for r in &cmd.redirects {
                    if !matches!(r.op, RedirectOp::Heredoc { .. }) {
                        words.extend(r.target.iter().map(|w| (w, false)));
                    }
                }
                for (word, is_name) in words {
                    for (range, ch) in useless_escapes(&word.text) {
                        if is_name && range.start == 0 {
                            continue;
                        }
                        found.push((word.sub_span(range), ch));
                    }
                }
            }
        }
        for (span, ch) in found {
            cx.report(
                span,
                format!("This \\{ch} will be a regular '{ch}' in this context."),
            );
        }
    }
}

/// The unquoted `\c` of `text` (outside quotes, `$(…)`, `` `…` `` and
/// `${…}`, whose commands are checked on their own) where `c` is an
/// ordinary character: their byte ranges and the character.
fn useless_escapes(text: &str) -> Vec<(std::ops::Range<usize>, char)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut double = false;
    while i < b.len() {
        match b[i] {
            b'\\' => {
                let Some(c) = text.get(i + 1..).and_then(|r| r.chars().next()) else {
                    break;
                };
                let ordinary = (c.is_alphanumeric() && !matches!(c, 'n' | 't' | 'r'))
                    || matches!(c, '_' | '-' | '/' | ':' | '=' | '%' | '^');
                if !double && ordinary {
                    out.push((i..i + 1 + c.len_utf8(), c));
                }
                i += 1 + c.len_utf8();
            }
            b'\'' if !double => {
                i = text[i + 1..].find('\'').map_or(b.len(), |k| i + 2 + k);
            }
            b'"' => {
                double = !double;
                i += 1;
            }
            b'$' if matches!(b.get(i + 1), Some(b'(' | b'{')) => {
                i = skip_group(b, i + 1);
            }
            b'`' => {
                i = text[i + 1..].find('`').map_or(b.len(), |k| i + 2 + k);
            }
            _ => i += 1,
        }
    }
    out
}

/// Index just past the bracket group opening at `open` (`(` or `{`),
/// nested groups and quotes included; the end of `b` when unclosed.
fn skip_group(b: &[u8], open: usize) -> usize {
    let (o, c) = if b[open] == b'(' {
        (b'(', b')')
    } else {
        (b'{', b'}')
    };
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let mut i = open;
    while i < b.len() {
        let ch = b[i];
        match quote {
            Some(q) if ch == q => quote = None,
            Some(b'"') if ch == b'\\' => i += 1,
            Some(_) => {}
            None if ch == b'\\' => i += 1,
            None if ch == b'\'' || ch == b'"' => quote = Some(ch),
            None if ch == o => depth += 1,
            None if ch == c => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            None => {}
        }
        i += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::useless_escapes;

    fn chars(text: &str) -> Vec<char> {
        useless_escapes(text).into_iter().map(|(_, c)| c).collect()
    }

    #[test]
    fn ordinary_characters_outside_quotes() {
        assert_eq!(chars("\\o"), ['o']);
        assert_eq!(chars("x\\o"), ['o']);
        assert_eq!(chars("s/\\d/x/"), ['d']);
        assert_eq!(chars("'\\o'\\o"), ['o']);
        assert_eq!(chars("\\1\\_\\-\\é"), ['1', '_', '-', 'é']);
        assert_eq!(useless_escapes("ab\\o")[0].0, 2..4);
    }

    #[test]
    fn quoted_special_and_nested_are_left_alone() {
        assert!(chars("\"\\o\"").is_empty());
        assert!(chars("\\n\\t\\r").is_empty());
        assert!(chars("\\\\o").is_empty());
        assert!(chars("a\\.b\\ c\\$d\\*").is_empty());
        assert!(chars("${x:-\\o}").is_empty());
        assert!(chars("$(echo \\o)").is_empty());
        assert!(chars("`echo \\o`").is_empty());
        assert!(chars("\\").is_empty());
    }
}
