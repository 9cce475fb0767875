/// A 1-based line and column; the column counts Unicode scalar values, so
/// it is what an editor shows for text without wide characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

/// Byte offsets of line starts, for offset → line/column conversion.
///
/// A line ends after `\n`; a lone `\r` does not end a line (BuildKit splits
/// on `\n` and strips a trailing `\r`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// Number of lines (a trailing newline starts an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Line and column of a byte offset. Offsets past the end clamp to the
    /// end; offsets inside a UTF-8 sequence count as that character.
    pub fn location(&self, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts[line - 1];
        let column = text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or_else(|| {
                String::from_utf8_lossy(&text.as_bytes()[start..offset])
                    .chars()
                    .count()
            });
        Location {
            line,
            column: column + 1,
        }
    }

    /// The text of 1-based `line` without its line ending.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let Some(start) = self.line_start(line) else {
            return "";
        };
        let end = self.line_start(line + 1).unwrap_or(text.len());
        let s = &text[start..end];
        let s = s.strip_suffix('\n').unwrap_or(s);
        s.strip_suffix('\r').unwrap_or(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "FROM a\nRUN é x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.location(text, 0), Location { line: 1, column: 1 });
        assert_eq!(idx.location(text, 7), Location { line: 2, column: 1 });
        // `x` comes after a two-byte `é`: byte 14, column 7.
        assert_eq!(idx.location(text, 14), Location { line: 2, column: 7 });
        assert_eq!(idx.location(text, 999), Location { line: 3, column: 1 });
        assert_eq!(idx.line_text(text, 2), "RUN é x");
        assert_eq!(idx.line_count(), 3);
    }

    #[test]
    fn crlf_is_stripped_from_line_text() {
        let text = "A\r\nB";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_text(text, 1), "A");
        assert_eq!(idx.line_text(text, 2), "B");
    }
}
