/// A character cursor with the behaviour of Go's `text/scanner` as BuildKit
/// uses it (`Peek`/`Next` only): a byte-order mark is skipped when it is the
/// very first character, and nothing else is special.
#[derive(Debug, Clone)]
pub(crate) struct Scanner<'a> {
    src: &'a str,
    pos: usize,
}

const BOM: char = '\u{FEFF}';

impl<'a> Scanner<'a> {
    pub(crate) fn new(src: &'a str) -> Self {
        let pos = if src.starts_with(BOM) {
            BOM.len_utf8()
        } else {
            0
        };
        Scanner { src, pos }
    }

    pub(crate) fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    pub(crate) fn next(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.pos += ch.len_utf8();
        Some(ch)
    }

    /// Byte offset of the next character.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }
}

/// Go's `string(r)` for a rune that may be `scanner.EOF` (-1), which Go
/// renders as U+FFFD. BuildKit puts such strings into error messages.
pub(crate) fn rune_string(ch: Option<char>) -> String {
    ch.unwrap_or(char::REPLACEMENT_CHARACTER).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_only_a_leading_bom() {
        let mut s = Scanner::new("\u{FEFF}a\u{FEFF}");
        assert_eq!(s.pos(), 3);
        assert_eq!(s.next(), Some('a'));
        assert_eq!(s.next(), Some(BOM));
        assert_eq!(s.next(), None);
        assert_eq!(s.peek(), None);
    }
}
