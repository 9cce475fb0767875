//! Brace expansion (`/var/lib/{apt,dpkg}/`, `file{1..3}`), as bash, ksh
//! and zsh do it before any other expansion. POSIX `sh` (dash, busybox
//! ash) has none: there `{a,b}` is a literal word.

use crate::dialect::Dialect;
use crate::word::Word;

/// At most this many words come out of one word; more gives `None`.
const MAX_WORDS: usize = 1024;

impl Dialect {
    /// True for the shells that expand braces (bash, ksh, mksh, zsh):
    /// [`Dialect::Bash`].
    pub fn expands_braces(&self) -> bool {
        matches!(self, Dialect::Bash)
    }
}

impl Word {
    /// The words this literal word becomes by brace expansion in
    /// `dialect`, quotes removed: `/var/lib/{apt,dpkg}/` gives
    /// `/var/lib/apt/` and `/var/lib/dpkg/` in bash; in POSIX sh, or
    /// without an unquoted brace pair, the word's value alone. Braces in
    /// quotes or after a backslash stay literal; `{1..3}` and `{a..c}`
    /// sequences are expanded. `None` when the word has an expansion (its
    /// value is unknown) or would give more than 1024 words.
    pub fn brace_expansion(&self, dialect: &Dialect) -> Option<Vec<String>> {
        let value = self.value.as_ref()?;
        if !dialect.expands_braces() || !self.text.contains('{') {
            return Some(vec![value.clone()]);
        }
        let Some(marked) = mark(&self.text) else {
            return Some(vec![value.clone()]);
        };
        let mut out = Vec::new();
        expand(&marked, &mut out)?;
        Some(
            out.into_iter()
                .map(|w| w.into_iter().map(|(c, _)| c).collect())
                .collect(),
        )
    }
}

/// A character of the word after quote removal, and whether it is
/// unquoted (a brace or comma that can take part in an expansion).
type Marked = Vec<(char, bool)>;

/// The word's characters with quotes removed, each marked active when
/// unquoted and not escaped. `None` for quoting this does not follow
/// (`$'…'`, an unterminated quote).
fn mark(text: &str) -> Option<Marked> {
    let mut out = Vec::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '$') if matches!(chars.peek(), Some('\'' | '"')) => return None,
            (None, '\\') => {
                if let Some(n) = chars.next() {
                    out.push((n, false));
                }
            }
            (Some('"'), '\\') => match chars.peek() {
                Some(&n) if matches!(n, '$' | '`' | '"' | '\\') => {
                    chars.next();
                    out.push((n, false));
                }
                _ => out.push((c, false)),
            },
            (None, c) => out.push((c, true)),
            (Some(_), c) => out.push((c, false)),
        }
    }
    quote.is_none().then_some(out)
}

/// Appends the words `word` expands to; `None` past [`MAX_WORDS`].
fn expand(word: &[(char, bool)], out: &mut Vec<Marked>) -> Option<()> {
    if out.len() > MAX_WORDS {
        return None;
    }
    let Some((open, close, parts)) = first_expansion(word)? else {
        out.push(word.to_vec());
        return Some(());
    };
    for part in parts {
        let mut next: Marked = word[..open].to_vec();
        next.extend(part);
        next.extend_from_slice(&word[close + 1..]);
        expand(&next, out)?;
    }
    (out.len() <= MAX_WORDS).then_some(())
}

/// The first brace pair that expands: its `{` and `}` indices and the
/// alternatives it gives (`{a,b}` → `a`, `b`; `{1..3}` → `1`, `2`, `3`).
/// `None` for a sequence longer than [`MAX_WORDS`].
#[allow(clippy::type_complexity)]
fn first_expansion(word: &[(char, bool)]) -> Option<Option<(usize, usize, Vec<Marked>)>> {
    for open in 0..word.len() {
        if word[open] != ('{', true) {
            continue;
        }
        // `${`: a parameter (the word would have no value, but be safe).
        if open > 0 && word[open - 1] == ('$', true) {
            continue;
        }
        let mut depth = 0usize;
        let mut commas = Vec::new();
        let mut close = None;
        for (i, &(c, active)) in word.iter().enumerate().skip(open + 1) {
            if !active {
                continue;
            }
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    close = Some(i);
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => commas.push(i),
                _ => {}
            }
        }
        let Some(close) = close else {
            continue;
        };
        if !commas.is_empty() {
            let mut parts = Vec::new();
            let mut from = open + 1;
            for &c in commas.iter().chain(std::iter::once(&close)) {
                parts.push(word[from..c].to_vec());
                from = c + 1;
            }
            return Some(Some((open, close, parts)));
        }
        let inner: String = word[open + 1..close].iter().map(|&(c, _)| c).collect();
        if let Some(parts) = sequence(&inner) {
            let parts = parts?
                .into_iter()
                .map(|s| s.chars().map(|c| (c, false)).collect())
                .collect();
            return Some(Some((open, close, parts)));
        }
    }
    Some(None)
}

/// `1..3`, `3..1`, `a..e`: the values of a sequence expression; `Some(None)`
/// when there would be more than [`MAX_WORDS`].
fn sequence(inner: &str) -> Option<Option<Vec<String>>> {
    let (a, b) = inner.split_once("..")?;
    if let (Ok(x), Ok(y)) = (a.parse::<i64>(), b.parse::<i64>()) {
        let n = x.abs_diff(y);
        if n >= MAX_WORDS as u64 {
            return Some(None);
        }
        let step = if x <= y { 1 } else { -1 };
        return Some(Some(
            (0..=n as i64).map(|k| (x + step * k).to_string()).collect(),
        ));
    }
    let (mut ca, mut cb) = (a.chars(), b.chars());
    let (Some(x), None, Some(y), None) = (ca.next(), ca.next(), cb.next(), cb.next()) else {
        return None;
    };
    if !x.is_ascii_alphabetic() || !y.is_ascii_alphabetic() {
        return None;
    }
    let (lo, hi) = (x.min(y) as u8, x.max(y) as u8);
    let mut out: Vec<String> = (lo..=hi).map(|c| (c as char).to_string()).collect();
    if x > y {
        out.reverse();
    }
    Some(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_syntax::Span;

    fn word(text: &str, value: &str) -> Word {
        Word {
            text: text.to_string(),
            value: Some(value.to_string()),
            span: Span::new(0, text.len()),
            quoting: crate::Quoting::Unquoted,
            expansions: Vec::new(),
        }
    }

    fn bash(text: &str) -> Vec<String> {
        word(text, text).brace_expansion(&Dialect::Bash).unwrap()
    }

    #[test]
    fn alternatives_and_sequences() {
        assert_eq!(
            bash("/var/lib/{apt,dpkg}/"),
            ["/var/lib/apt/", "/var/lib/dpkg/"]
        );
        assert_eq!(
            bash("/var/lib/apt/{lists,cache}/*"),
            ["/var/lib/apt/lists/*", "/var/lib/apt/cache/*"]
        );
        assert_eq!(bash("a{b,c{d,e}}f"), ["abf", "acdf", "acef"]);
        assert_eq!(bash("{a,b}{1,2}"), ["a1", "a2", "b1", "b2"]);
        assert_eq!(bash("f{1..3}"), ["f1", "f2", "f3"]);
        assert_eq!(bash("{c..a}"), ["c", "b", "a"]);
        assert_eq!(bash("{}"), ["{}"]);
        assert_eq!(bash("{a}"), ["{a}"]);
        assert_eq!(bash("x{a,}"), ["xa", "x"]);
    }

    #[test]
    fn quoted_braces_and_posix_sh_stay_literal() {
        let w = word("'{a,b}'", "{a,b}");
        assert_eq!(w.brace_expansion(&Dialect::Bash).unwrap(), ["{a,b}"]);
        let w = word(r"\{a,b}", "{a,b}");
        assert_eq!(w.brace_expansion(&Dialect::Bash).unwrap(), ["{a,b}"]);
        let w = word("/x/{a,b}", "/x/{a,b}");
        assert_eq!(w.brace_expansion(&Dialect::Posix).unwrap(), ["/x/{a,b}"]);
        let mut w = word("$X/{a,b}", "");
        w.value = None;
        assert!(w.brace_expansion(&Dialect::Bash).is_none());
        assert!(bash_opt("{1..100000}").is_none());
        assert!(bash_opt("{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}").is_none());
    }

    fn bash_opt(text: &str) -> Option<Vec<String>> {
        word(text, text).brace_expansion(&Dialect::Bash)
    }
}
