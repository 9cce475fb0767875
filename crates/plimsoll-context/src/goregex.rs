//! Docker turns `.dockerignore` patterns into Go (RE2) regular
//! expressions. This module translates such an expression into one the
//! `regex` crate reads the same way: the syntaxes agree except inside
//! character classes (Go takes `[` literally, Rust nests classes and has
//! `&&`, `--`, `~~` operators), in a few escapes, and in `\d`, `\w`, `\s`,
//! `\b`, which are ASCII-only in Go.

/// `None` when Go would reject the expression (or it uses a Go feature
/// with no equivalent here, such as `\Q…\E`): the pattern is then invalid,
/// as it is for Docker.
pub fn translate(go: &str) -> Option<String> {
    let chars: Vec<char> = go.chars().collect();
    let mut out = String::with_capacity(go.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '\\' => {
                let e = *chars.get(i)?;
                i += 1;
                out.push_str(&escape_outside(e)?);
            }
            '[' => i = class(&chars, i, &mut out)?,
            ']' => out.push_str(r"\]"),
            _ => out.push(c),
        }
    }
    Some(out)
}

/// An escape outside a class.
fn escape_outside(e: char) -> Option<String> {
    Some(match e {
        'd' => "[0-9]".into(),
        'D' => "[^0-9]".into(),
        'w' => "[0-9A-Za-z_]".into(),
        'W' => "[^0-9A-Za-z_]".into(),
        's' => r"[\t\n\f\r ]".into(),
        'S' => r"[^\t\n\f\r ]".into(),
        'b' => r"(?-u:\b)".into(),
        'B' => r"(?-u:\B)".into(),
        'a' | 'f' | 'n' | 'r' | 't' | 'v' | 'A' | 'z' | 'x' | 'p' | 'P' => format!("\\{e}"),
        _ if e.is_ascii_punctuation() => regex::escape(&e.to_string()),
        _ => return None,
    })
}

const POSIX_CLASSES: [&str; 14] = [
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower", "print", "punct",
    "space", "upper", "word", "xdigit",
];

/// A class starting after its `[`; returns the index after its `]`.
fn class(chars: &[char], mut i: usize, out: &mut String) -> Option<usize> {
    out.push('[');
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    loop {
        let c = *chars.get(i)?;
        if c == ']' && !first {
            out.push(']');
            return Some(i + 1);
        }
        first = false;
        if c == '['
            && chars.get(i + 1) == Some(&':')
            && let Some(len) = posix_class_len(&chars[i..])
        {
            out.extend(&chars[i..i + len]);
            i += len;
            continue;
        }
        let (item, next) = class_item(chars, i)?;
        i = next;
        let lo = match item {
            ClassItem::Char(c) => c,
            ClassItem::Set(set) => {
                out.push_str(set);
                continue;
            }
        };
        if chars.get(i) == Some(&'-') && chars.get(i + 1).is_some_and(|&c| c != ']') {
            let (hi, next) = class_item(chars, i + 1)?;
            let ClassItem::Char(hi) = hi else {
                return None;
            };
            if hi < lo {
                return None;
            }
            i = next;
            push_class_char(out, lo);
            out.push('-');
            push_class_char(out, hi);
        } else {
            push_class_char(out, lo);
        }
    }
}

enum ClassItem {
    Char(char),
    Set(&'static str),
}

fn class_item(chars: &[char], i: usize) -> Option<(ClassItem, usize)> {
    let c = *chars.get(i)?;
    if c != '\\' {
        return Some((ClassItem::Char(c), i + 1));
    }
    let e = *chars.get(i + 1)?;
    let item = match e {
        'd' => ClassItem::Set("0-9"),
        'D' => ClassItem::Set("[^0-9]"),
        'w' => ClassItem::Set("0-9A-Za-z_"),
        'W' => ClassItem::Set("[^0-9A-Za-z_]"),
        's' => ClassItem::Set(r"\t\n\f\r "),
        'S' => ClassItem::Set(r"[^\t\n\f\r ]"),
        'a' => ClassItem::Char('\x07'),
        'f' => ClassItem::Char('\x0c'),
        'n' => ClassItem::Char('\n'),
        'r' => ClassItem::Char('\r'),
        't' => ClassItem::Char('\t'),
        'v' => ClassItem::Char('\x0b'),
        _ if e.is_ascii_punctuation() => ClassItem::Char(e),
        _ => return None,
    };
    Some((item, i + 2))
}

fn posix_class_len(chars: &[char]) -> Option<usize> {
    // `[:name:]` or `[:^name:]`
    let body_start = if chars.get(2) == Some(&'^') { 3 } else { 2 };
    let end = (body_start..chars.len().saturating_sub(1))
        .find(|&j| chars[j] == ':' && chars[j + 1] == ']')?;
    let name: String = chars[body_start..end].iter().collect();
    POSIX_CLASSES.contains(&name.as_str()).then_some(end + 2)
}

fn push_class_char(out: &mut String, c: char) {
    if matches!(c, '\\' | ']' | '[' | '^' | '-' | '&' | '~') {
        out.push('\\');
    }
    match c {
        '\n' => out.push_str(r"\n"),
        '\t' => out.push_str(r"\t"),
        '\r' => out.push_str(r"\r"),
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::translate;

    fn is_match(go: &str, text: &str) -> bool {
        let rust = translate(go).expect("translatable");
        regex::Regex::new(&rust).expect("compiles").is_match(text)
    }

    #[test]
    fn classes_take_brackets_literally() {
        // Go: a class of `[`, `^`, `/` followed by `*`, then a literal `]`.
        assert!(is_match(r"^[[^/]*]$", "]"));
        assert!(is_match(r"^[[^/]*]$", "[^]"));
        assert!(!is_match(r"^[[^/]*]$", "a]"));
        assert!(is_match(r"^a[!x]b$", "a!b"));
        assert!(!is_match(r"^a[!x]b$", "ayb"));
        assert!(is_match(r"^a[^x]b$", "ayb"));
        assert!(is_match(r"^[]a]$", "]"));
        assert!(is_match(r"^[a-]$", "-"));
        assert!(is_match(r"^[&&x]$", "&"));
        assert!(is_match(r"^[[:digit:]x]$", "7"));
    }

    #[test]
    fn escapes() {
        assert!(is_match(r"^a\*b$", "a*b"));
        assert!(is_match(r"^a\<b$", "a<b"));
        assert!(is_match(r"^\d$", "7"));
        assert!(!is_match(r"^\d$", "٣"));
        assert_eq!(translate(r"a\q"), None);
        assert_eq!(translate(r"a\"), None);
        assert_eq!(translate(r"[z-a]"), None);
        assert_eq!(translate(r"[abc"), None);
    }
}
