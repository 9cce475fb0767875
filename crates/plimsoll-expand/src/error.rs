use std::fmt;

/// A word BuildKit would refuse to expand.
///
/// `Display` gives BuildKit's own text, on one line:
/// `failed to process "he${}": syntax error: bad substitution`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpandError {
    /// BuildKit's message, without the `failed to process "…"` prefix.
    pub message: String,
    /// Byte offset into the word of the construct that failed: the `$` of a
    /// substitution, or the opening quote of an unterminated string.
    pub position: usize,
    /// The word that was being expanded.
    pub word: String,
}

impl fmt::Display for ExpandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to process {}: ", go_quote(&self.word))?;
        // A `${X?message}` may carry line breaks; keep the error on one line.
        for ch in self.message.chars() {
            match ch {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                _ => fmt::Write::write_char(f, ch)?,
            }
        }
        Ok(())
    }
}

impl std::error::Error for ExpandError {}

/// Go's `%q` (strconv.Quote), close enough for messages: quotes and
/// backslashes escaped, control and invisible characters written as escapes.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0B}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7F}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if c.is_control() || (c.is_whitespace() && c != ' ') || is_invisible(c) => {
                if (c as u32) <= 0xFFFF {
                    out.push_str(&format!("\\u{:04x}", c as u32));
                } else {
                    out.push_str(&format!("\\U{:08x}", c as u32));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_one_line_and_quoted() {
        let err = ExpandError {
            message: "X: line1\nline2".into(),
            position: 0,
            word: "a\"b\n\u{FEFF}한".into(),
        };
        assert_eq!(
            err.to_string(),
            "failed to process \"a\\\"b\\n\\ufeff한\": X: line1\\nline2"
        );
    }
}
