//! Shell words: their quoting, literal value and expansions.
//!
//! The scanner here is ours and tolerant (an unterminated quote runs to the
//! end of the word), so the exact parser and the fallback splitter describe
//! words the same way.

use plimsoll_syntax::Span;
use std::ops::Range;

/// One word of a command, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// The word as the shell reads it (quotes kept; Dockerfile line
    /// continuations removed).
    pub text: String,
    /// The value after quote removal when the word has no expansion
    /// (`"a b"` → `a b`, `--x='y'` → `--x=y`); `None` when it has one
    /// (`$HOME`, `$(date)`, `~`). Globs and braces are not expanded: `*.deb`
    /// is `*.deb`.
    pub value: Option<String>,
    /// Where the word is in the Dockerfile.
    pub span: Span,
    pub quoting: Quoting,
    /// Parameter, command, arithmetic and tilde expansions, in order.
    pub expansions: Vec<Expansion>,
}

impl Word {
    pub fn has_expansion(&self) -> bool {
        !self.expansions.is_empty()
    }

    /// The value when known, else the text as written.
    pub fn value_or_text(&self) -> &str {
        self.value.as_deref().unwrap_or(&self.text)
    }

    /// True when the word's literal value is `s`.
    pub fn is(&self, s: &str) -> bool {
        self.value.as_deref() == Some(s)
    }

    /// The Dockerfile span of the bytes `range` of [`Word::text`]. Exact
    /// unless a line continuation or a JSON escape falls inside the word;
    /// then the whole word's span.
    pub fn sub_span(&self, range: Range<usize>) -> Span {
        if self.span.len() == self.text.len() && range.start <= range.end {
            let end = range.end.min(self.text.len());
            Span::new(
                self.span.start + range.start.min(end),
                self.span.start + end,
            )
        } else {
            self.span
        }
    }
}

/// How a word is quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Quoting {
    /// No quotes and no backslash.
    Unquoted,
    /// One pair of single quotes around the whole word (`'a b'`, `$'a\n'`).
    Single,
    /// One pair of double quotes around the whole word (`"a $b"`). Also
    /// every string of an exec-form (JSON) argv.
    Double,
    /// Anything else with a quote or a backslash: `--opt="a b"`, `a\ b`.
    Mixed,
}

/// An expansion inside a word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    pub kind: ExpansionKind,
    /// Inside double quotes (not split into words, not globbed).
    pub quoted: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpansionKind {
    /// `$name`, `${name…}`, `$1`, `$@`: `name` is the parameter's name
    /// (`name`, `1`, `@`; empty when it could not be read).
    Parameter { name: String },
    /// `$(…)` or `` `…` ``; its commands are in the script's commands
    /// (see [`crate::Nesting::substitution`]).
    Command,
    /// `<(…)` or `>(…)`.
    Process,
    /// `$((…))`.
    Arithmetic,
    /// `~`, `~user` at the start of the word.
    Tilde,
}

/// What the scanner finds in a word, in ranges of the word's text.
#[derive(Debug, Default)]
pub(crate) struct Scanned {
    pub value: Option<String>,
    pub quoting: Option<Quoting>,
    pub expansions: Vec<(ExpansionKind, bool, Range<usize>)>,
    pub substitutions: Vec<Substitution>,
}

/// A command substitution to analyse: the range of its body in the word.
#[derive(Debug, Clone)]
pub(crate) struct Substitution {
    pub body: Range<usize>,
    /// `` `…` ``: backslashes inside escape `` ` ``, `\` and `$`.
    pub backquoted: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Paren,
    Brace,
    Double,
    Single,
    Backtick,
}

/// Index just past the construct opened before `i` (`$(`, `${`, `"`, `` `
/// ``), or the end of `s` when it is not closed. Iterative, so nesting
/// cannot overflow the stack.
pub(crate) fn find_close(s: &[u8], mut i: usize, open: u8) -> usize {
    let mut stack = vec![match open {
        b'(' => Ctx::Paren,
        b'{' => Ctx::Brace,
        b'"' => Ctx::Double,
        b'\'' => Ctx::Single,
        _ => Ctx::Backtick,
    }];
    while let Some(&top) = stack.last() {
        let Some(&c) = s.get(i) else {
            return s.len();
        };
        let next = s.get(i + 1).copied();
        i += 1;
        match top {
            Ctx::Single => {
                if c == b'\'' {
                    stack.pop();
                }
            }
            Ctx::Backtick => match c {
                b'\\' => i += 1,
                b'`' => {
                    stack.pop();
                }
                _ => {}
            },
            Ctx::Double => match c {
                b'\\' => i += 1,
                b'"' => {
                    stack.pop();
                }
                b'`' => stack.push(Ctx::Backtick),
                b'$' if next == Some(b'(') => {
                    i += 1;
                    stack.push(Ctx::Paren);
                }
                b'$' if next == Some(b'{') => {
                    i += 1;
                    stack.push(Ctx::Brace);
                }
                _ => {}
            },
            Ctx::Paren | Ctx::Brace => match c {
                b'\\' => i += 1,
                b'\'' => stack.push(Ctx::Single),
                b'"' => stack.push(Ctx::Double),
                b'`' => stack.push(Ctx::Backtick),
                b'$' if next == Some(b'(') => {
                    i += 1;
                    stack.push(Ctx::Paren);
                }
                b'$' if next == Some(b'{') => {
                    i += 1;
                    stack.push(Ctx::Brace);
                }
                b'(' if top == Ctx::Paren => stack.push(Ctx::Paren),
                b')' if top == Ctx::Paren => {
                    stack.pop();
                }
                b'}' if top == Ctx::Brace => {
                    stack.pop();
                }
                _ => {}
            },
        }
    }
    i.min(s.len())
}

/// Scans one word.
pub(crate) fn scan(text: &str) -> Scanned {
    let s = text.as_bytes();
    let mut out = Scanned::default();
    let mut value = String::new();
    // Whole-word quoting: the kind of the only quoted segment, and whether
    // anything lies outside it.
    let mut segments = 0usize;
    let mut segment_kind = Quoting::Unquoted;
    let mut outside = false;
    let mut escaped = false;
    let mut i = 0;
    let mut literal_from = 0;

    macro_rules! flush {
        ($to:expr) => {
            if literal_from < $to {
                value.push_str(&text[literal_from..$to]);
            }
        };
    }

    if s.first() == Some(&b'~') {
        let end = s
            .iter()
            .position(|&c| c == b'/' || c == b':')
            .unwrap_or(s.len());
        let name_ok = s[1..end]
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'+'));
        if name_ok {
            out.expansions.push((ExpansionKind::Tilde, false, 0..end));
            i = end;
            literal_from = end;
            outside = true;
        }
    }

    while i < s.len() {
        let c = s[i];
        match c {
            b'\'' => {
                flush!(i);
                let end = find_close(s, i + 1, b'\'');
                let inner_end = if s.get(end.wrapping_sub(1)) == Some(&b'\'') && end > i + 1 {
                    end - 1
                } else {
                    end
                };
                value.push_str(&text[i + 1..inner_end]);
                segments += 1;
                segment_kind = Quoting::Single;
                i = end;
                literal_from = i;
            }
            b'"' => {
                flush!(i);
                let end = double_quoted(text, i + 1, &mut value, &mut out);
                segments += 1;
                segment_kind = Quoting::Double;
                i = end;
                literal_from = i;
            }
            b'\\' => {
                flush!(i);
                escaped = true;
                match text[i + 1..].chars().next() {
                    Some('\n') => i += 2,
                    Some(ch) => {
                        value.push(ch);
                        i += 1 + ch.len_utf8();
                    }
                    None => {
                        value.push('\\');
                        i += 1;
                    }
                }
                literal_from = i;
            }
            b'$' if s.get(i + 1) == Some(&b'\'') => {
                flush!(i);
                let end = ansi_c(text, i + 2, &mut value);
                segments += 1;
                segment_kind = Quoting::Single;
                i = end;
                literal_from = i;
            }
            b'$' if s.get(i + 1) == Some(&b'"') => {
                flush!(i);
                let end = double_quoted(text, i + 2, &mut value, &mut out);
                segments += 1;
                segment_kind = Quoting::Double;
                i = end;
                literal_from = i;
            }
            b'$' | b'`' => {
                flush!(i);
                match dollar(text, i, false, &mut out) {
                    Some(end) => {
                        outside = true;
                        i = end;
                    }
                    None => {
                        // A lone `$` is literal.
                        value.push('$');
                        outside = true;
                        i += 1;
                    }
                }
                literal_from = i;
            }
            _ => {
                outside = true;
                i += 1;
            }
        }
    }
    flush!(s.len());

    out.quoting = Some(if segments == 0 && !escaped {
        Quoting::Unquoted
    } else if segments == 1 && !escaped && !outside {
        segment_kind
    } else {
        Quoting::Mixed
    });
    if out.expansions.is_empty() {
        out.value = Some(value);
    }
    out
}

/// Scans a double-quoted string from `i` (just inside the quote); returns
/// the index after the closing quote.
fn double_quoted(text: &str, mut i: usize, value: &mut String, out: &mut Scanned) -> usize {
    let s = text.as_bytes();
    let mut literal_from = i;
    while i < s.len() {
        match s[i] {
            b'"' => {
                value.push_str(&text[literal_from..i]);
                return i + 1;
            }
            b'\\' => {
                value.push_str(&text[literal_from..i]);
                match s.get(i + 1) {
                    Some(b'\n') => i += 2,
                    Some(&c @ (b'$' | b'`' | b'"' | b'\\')) => {
                        value.push(c as char);
                        i += 2;
                    }
                    _ => {
                        value.push('\\');
                        i += 1;
                    }
                }
                literal_from = i;
            }
            b'$' | b'`' => {
                value.push_str(&text[literal_from..i]);
                match dollar(text, i, true, out) {
                    Some(end) => i = end,
                    None => {
                        value.push('$');
                        i += 1;
                    }
                }
                literal_from = i;
            }
            _ => i += 1,
        }
    }
    value.push_str(&text[literal_from..]);
    s.len()
}

/// Scans `$'…'` from `i` (just inside the quote), decoding the common
/// escapes.
fn ansi_c(text: &str, mut i: usize, value: &mut String) -> usize {
    let s = text.as_bytes();
    while i < s.len() {
        match s[i] {
            b'\'' => return i + 1,
            b'\\' if i + 1 < s.len() => {
                let decoded = match s[i + 1] {
                    b'n' => Some('\n'),
                    b't' => Some('\t'),
                    b'r' => Some('\r'),
                    b'\\' => Some('\\'),
                    b'\'' => Some('\''),
                    b'"' => Some('"'),
                    b'a' => Some('\x07'),
                    b'b' => Some('\x08'),
                    b'e' | b'E' => Some('\x1b'),
                    b'f' => Some('\x0c'),
                    b'v' => Some('\x0b'),
                    _ => None,
                };
                match decoded {
                    Some(ch) => {
                        value.push(ch);
                        i += 2;
                    }
                    None => {
                        value.push('\\');
                        i += 1;
                    }
                }
            }
            _ => {
                let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
                value.push(ch);
                i += ch.len_utf8();
            }
        }
    }
    s.len()
}

/// Scans an expansion starting at `i` (`$…` or `` `…` ``). Returns the
/// index after it, or `None` when the `$` is literal.
fn dollar(text: &str, i: usize, quoted: bool, out: &mut Scanned) -> Option<usize> {
    let s = text.as_bytes();
    if s[i] == b'`' {
        let end = find_close(s, i + 1, b'`');
        let body_end = if end > i + 1 && s[end - 1] == b'`' {
            end - 1
        } else {
            end
        };
        out.expansions
            .push((ExpansionKind::Command, quoted, i..end));
        out.substitutions.push(Substitution {
            body: i + 1..body_end,
            backquoted: true,
        });
        return Some(end);
    }
    let next = *s.get(i + 1)?;
    match next {
        b'(' if s.get(i + 2) == Some(&b'(') => {
            let end = find_close(s, i + 2, b'(');
            // `$((a) (b))` can be a subshell inside a substitution; bash
            // decides by the closing `))`. Close enough for words.
            let end = if s.get(end) == Some(&b')') {
                end + 1
            } else {
                end
            };
            out.expansions
                .push((ExpansionKind::Arithmetic, quoted, i..end));
            Some(end)
        }
        b'(' => {
            let end = find_close(s, i + 2, b'(');
            let body_end = if end > i + 2 && s[end - 1] == b')' {
                end - 1
            } else {
                end
            };
            out.expansions
                .push((ExpansionKind::Command, quoted, i..end));
            out.substitutions.push(Substitution {
                body: i + 2..body_end,
                backquoted: false,
            });
            Some(end)
        }
        b'{' => {
            let end = find_close(s, i + 2, b'{');
            let inner = &text[i + 2..end.max(i + 2)];
            let inner = inner.trim_start_matches(['#', '!']);
            let name = if inner.starts_with(|c: char| !is_name_char(c))
                && !inner.is_empty()
                && !inner.starts_with('}')
            {
                inner.chars().take(1).collect()
            } else {
                inner.chars().take_while(|&c| is_name_char(c)).collect()
            };
            out.expansions
                .push((ExpansionKind::Parameter { name }, quoted, i..end));
            Some(end)
        }
        b'0'..=b'9' | b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!' => {
            out.expansions.push((
                ExpansionKind::Parameter {
                    name: (next as char).to_string(),
                },
                quoted,
                i..i + 2,
            ));
            Some(i + 2)
        }
        c if c == b'_' || c.is_ascii_alphabetic() => {
            let len = s[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            out.expansions.push((
                ExpansionKind::Parameter {
                    name: text[i + 1..i + 1 + len].to_string(),
                },
                quoted,
                i..i + 1 + len,
            ));
            Some(i + 1 + len)
        }
        _ => None,
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The body of a backquoted substitution with its backslash escapes
/// removed, and for each byte of the result the index in `body` it came
/// from (one more entry for the end).
pub(crate) fn unescape_backquoted(body: &str) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(body.len());
    let mut map = Vec::with_capacity(body.len() + 1);
    let s = body.as_bytes();
    let mut i = 0;
    while i < s.len() {
        if s[i] == b'\\' && matches!(s.get(i + 1), Some(b'`' | b'\\' | b'$')) {
            text.push(s[i + 1] as char);
            map.push(i + 1);
            i += 2;
            continue;
        }
        let ch = body[i..].chars().next().unwrap_or('\u{fffd}');
        let len = ch.len_utf8();
        text.push(ch);
        map.extend(i..i + len);
        i += len;
    }
    map.push(s.len());
    (text, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(s: &str) -> Option<String> {
        scan(s).value
    }

    #[test]
    fn values_and_quoting() {
        assert_eq!(value("abc").as_deref(), Some("abc"));
        assert_eq!(value("'a b'").as_deref(), Some("a b"));
        assert_eq!(value(r#""a \" \$ \x""#).as_deref(), Some(r#"a " $ \x"#));
        assert_eq!(value(r"a\ b").as_deref(), Some("a b"));
        assert_eq!(value("--x='y z'").as_deref(), Some("--x=y z"));
        assert_eq!(value("$'a\\tb'").as_deref(), Some("a\tb"));
        assert_eq!(value("a$").as_deref(), Some("a$"));
        assert_eq!(value("$HOME"), None);
        assert_eq!(value("~/x"), None);
        assert_eq!(value("\"unterminated").as_deref(), Some("unterminated"));
        assert_eq!(scan("abc").quoting, Some(Quoting::Unquoted));
        assert_eq!(scan("'a'").quoting, Some(Quoting::Single));
        assert_eq!(scan("\"a$b\"").quoting, Some(Quoting::Double));
        assert_eq!(scan("a\"b\"").quoting, Some(Quoting::Mixed));
        assert_eq!(scan("a\\ b").quoting, Some(Quoting::Mixed));
    }

    #[test]
    fn expansions() {
        let s = scan(r#"$a"${b:-x}"$(c "$(d)")`e`$((1+2))$1"#);
        let kinds: Vec<_> = s.expansions.iter().map(|e| (&e.0, e.1)).collect();
        assert_eq!(
            kinds,
            [
                (&ExpansionKind::Parameter { name: "a".into() }, false),
                (&ExpansionKind::Parameter { name: "b".into() }, true),
                (&ExpansionKind::Command, false),
                (&ExpansionKind::Command, false),
                (&ExpansionKind::Arithmetic, false),
                (&ExpansionKind::Parameter { name: "1".into() }, false),
            ]
        );
        let text = r#"$a"${b:-x}"$(c "$(d)")`e`$((1+2))$1"#;
        assert_eq!(&text[s.substitutions[0].body.clone()], r#"c "$(d)""#);
        assert_eq!(&text[s.substitutions[1].body.clone()], "e");
        assert!(s.substitutions[1].backquoted);
    }

    #[test]
    fn backquote_unescaping() {
        let (t, map) = unescape_backquoted(r"echo \`x\` \\");
        assert_eq!(t, r"echo `x` \");
        assert_eq!(map.len(), t.len() + 1);
        assert_eq!(map[5], 6);
    }
}
