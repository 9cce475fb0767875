//! Go's `unicode.IsLetter`, `unicode.IsDigit` and `unicode.IsSpace`, which
//! BuildKit uses for variable names and word splitting. Rust's
//! `char::is_alphabetic`/`is_numeric` use different Unicode properties, so the
//! general categories are checked with `regex`'s tables instead.

use std::sync::LazyLock;

use regex::Regex;

static LETTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\A\p{L}\z").expect("constant regex"));
static DIGIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\A\p{Nd}\z").expect("constant regex"));

/// General category L (Lu, Ll, Lt, Lm, Lo).
pub(crate) fn is_letter(ch: char) -> bool {
    if ch.is_ascii() {
        ch.is_ascii_alphabetic()
    } else {
        LETTER.is_match(ch.encode_utf8(&mut [0; 4]))
    }
}

/// General category Nd.
pub(crate) fn is_digit(ch: char) -> bool {
    if ch.is_ascii() {
        ch.is_ascii_digit()
    } else {
        DIGIT.is_match(ch.encode_utf8(&mut [0; 4]))
    }
}

/// Go's `unicode.IsSpace` is the White_Space property, as is Rust's.
pub(crate) fn is_space(ch: char) -> bool {
    ch.is_whitespace()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_match_go() {
        for ch in ['a', 'Z', 'ª', 'µ', 'é', '한', 'ß', 'ǅ', 'ʰ'] {
            assert!(is_letter(ch), "{ch:?}");
        }
        // Alphabetic in Rust, but not letters in Go: Nl and combining marks.
        for ch in ['Ⅻ', '\u{0345}', '_', '1', '٣'] {
            assert!(!is_letter(ch), "{ch:?}");
        }
        for ch in ['0', '9', '٣', '߀', '９'] {
            assert!(is_digit(ch), "{ch:?}");
        }
        // Numeric in Rust, but not Nd.
        for ch in ['²', '½', 'Ⅻ', 'a'] {
            assert!(!is_digit(ch), "{ch:?}");
        }
        for ch in [
            ' ', '\t', '\n', '\u{0B}', '\u{0C}', '\r', '\u{85}', '\u{A0}', '\u{3000}',
        ] {
            assert!(is_space(ch), "{ch:?}");
        }
        for ch in ['\u{1C}', '\u{200B}', 'x'] {
            assert!(!is_space(ch), "{ch:?}");
        }
    }
}
