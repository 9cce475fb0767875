//! The few pieces of Go's standard library whose exact behaviour BuildKit's
//! parser depends on: `unicode.IsSpace`, `strings.TrimSpace`,
//! `strings.ToLower`, `unicode.IsLetter`/`IsDigit` and `strconv.Quote`.

use unicode_general_category::{GeneralCategory, get_general_category};

/// Go's `unicode.IsSpace` (the Unicode White_Space property, which is also
/// what Rust's `char::is_whitespace` implements).
#[inline]
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `unicode.IsSpace(rune(b))` applied to a single *byte*, as BuildKit's
/// byte-wise loops (`extractBuilderFlags`, `parseHealthConfig`) do: the
/// Latin-1 bytes 0x85 and 0xA0 count as spaces there.
#[inline]
pub(crate) fn is_space_byte(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | 0x85 | 0xa0)
}

/// The characters of BuildKit's `reWhitespace` (`[\t\v\f\r ]`).
#[inline]
pub(crate) const fn is_re_whitespace(b: u8) -> bool {
    matches!(b, b'\t' | 0x0b | 0x0c | b'\r' | b' ')
}

/// Length of the leading Go-whitespace of `s`.
#[inline]
pub(crate) fn leading_space_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
                i += 1;
                continue;
            }
            return i;
        }
        return i + (s.len() - i - s[i..].trim_start_matches(is_space).len());
    }
    i
}

/// Length of `s` without its trailing Go-whitespace.
#[inline]
pub(crate) fn trimmed_end_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = b.len();
    while i > 0 {
        let c = b[i - 1];
        if c < 0x80 {
            if matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
                i -= 1;
                continue;
            }
            return i;
        }
        return s[..i].trim_end_matches(is_space).len();
    }
    0
}

/// `strings.TrimSpace` as a byte range of `s`.
pub(crate) fn trim_space_range(s: &str) -> (usize, usize) {
    let start = leading_space_len(s);
    let end = start + trimmed_end_len(&s[start..]);
    (start, end)
}

/// Go's `strings.TrimSpace`.
pub(crate) fn trim_space(s: &str) -> &str {
    let (a, b) = trim_space_range(s);
    &s[a..b]
}

/// Go's `unicode.ToLower` (simple case mapping).
pub(crate) fn to_lower_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if c == '\u{130}' {
        // Go maps İ to plain `i`; Rust's full mapping adds a combining dot.
        return 'i';
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Go's `strings.ToLower`.
pub(crate) fn to_lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.chars().map(to_lower_char).collect()
}

/// Go's `unicode.IsLetter` (general category L).
pub(crate) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    matches!(
        get_general_category(c),
        GeneralCategory::UppercaseLetter
            | GeneralCategory::LowercaseLetter
            | GeneralCategory::TitlecaseLetter
            | GeneralCategory::ModifierLetter
            | GeneralCategory::OtherLetter
    )
}

/// Go's `unicode.IsDigit` (general category Nd).
pub(crate) fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    get_general_category(c) == GeneralCategory::DecimalNumber
}

/// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols
/// and the ASCII space.
pub(crate) fn is_print(c: char) -> bool {
    let r = c as u32;
    if r <= 0xff {
        return (0x20..=0x7e).contains(&r) || ((0xa1..=0xff).contains(&r) && r != 0xad);
    }
    use GeneralCategory::*;
    !matches!(
        get_general_category(c),
        SpaceSeparator
            | LineSeparator
            | ParagraphSeparator
            | Control
            | Format
            | Surrogate
            | PrivateUse
            | Unassigned
    )
}

const LOWER_HEX: &[u8; 16] = b"0123456789abcdef";

/// Go's `strconv.Quote` (the `%q` verb) for a valid UTF-8 string.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    go_quote_into(&mut out, s);
    out
}

pub(crate) fn go_quote_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c => {
                let r = c as u32;
                if r < 0x20 || r == 0x7f {
                    out.push_str("\\x");
                    out.push(LOWER_HEX[(r >> 4) as usize] as char);
                    out.push(LOWER_HEX[(r & 0xf) as usize] as char);
                } else if r < 0x10000 {
                    out.push_str("\\u");
                    for shift in [12, 8, 4, 0] {
                        out.push(LOWER_HEX[((r >> shift) & 0xf) as usize] as char);
                    }
                } else {
                    out.push_str("\\U");
                    for shift in [28, 24, 20, 16, 12, 8, 4, 0] {
                        out.push(LOWER_HEX[((r >> shift) & 0xf) as usize] as char);
                    }
                }
            }
        }
    }
    out.push('"');
}

/// The bytes of `s` read as Latin-1, which is what Go's
/// `word.WriteRune(rune(line[pos]))` in `extractBuilderFlags` makes of
/// non-ASCII flag text.
pub(crate) fn latin1_mangle(s: &str) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    s.bytes().map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_matches_go() {
        assert_eq!(go_quote("a\"b\\c"), r#""a\"b\\c""#);
        assert_eq!(
            go_quote("\t\n\r\u{b}\u{c}\u{7}\u{8}"),
            r#""\t\n\r\v\f\a\b""#
        );
        assert_eq!(go_quote("\0\u{1f}\u{7f}"), r#""\x00\x1f\x7f""#);
        assert_eq!(go_quote("♥☃é"), "\"♥☃é\"");
        assert_eq!(go_quote("\u{a0}\u{ad}\u{85}"), r#""\u00a0\u00ad\u0085""#);
        assert_eq!(go_quote("\u{200b}\u{feff}"), r#""\u200b\ufeff""#);
        assert_eq!(go_quote("\u{e000}"), r#""\ue000""#);
        assert_eq!(go_quote("\u{f0000}"), r#""\U000f0000""#);
        assert_eq!(go_quote("😀 x"), "\"😀 x\"");
        assert_eq!(go_quote("\u{2028}\u{3000}"), r#""\u2028\u3000""#);
    }

    #[test]
    fn lower_and_trim() {
        assert_eq!(to_lower("RUN"), "run");
        assert_eq!(to_lower("HEALTHCHEC\u{212a}"), "healthcheck");
        assert_eq!(to_lower("ONBU\u{130}LD"), "onbuild");
        assert_eq!(trim_space("\u{a0} a b \u{3000}\t"), "a b");
        assert_eq!(trim_space("  "), "");
        assert!(is_space_byte(0xa0) && is_space_byte(0x85) && !is_space_byte(b'a'));
        assert_eq!(latin1_mangle("é"), "Ã©");
    }
}
