//! Spans to lines and columns.

use plimsoll_diagnostics::{SourceFile, Span};
use serde::Serialize;

/// Where a span is, as editors count: 1-based lines, 1-based columns in
/// Unicode scalar values, the end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Region {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// The region of `span` in `source`. Reversed spans are read as their normal
/// form, offsets past the end clamp to the end, and offsets inside a UTF-8
/// sequence widen the span to whole characters.
pub fn region(source: &SourceFile, span: Span) -> Region {
    let span = normalize(&source.text, span);
    let start = source.location(span.start);
    let end = source.location(span.end);
    Region {
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// `span` ordered, clamped to `text` and widened to character boundaries.
pub(crate) fn normalize(text: &str, span: Span) -> Span {
    let start = span.start.min(span.end).min(text.len());
    let end = span.end.max(span.start).min(text.len());
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    if start == end {
        // An empty span stays a point.
        return Span::empty(floor(start));
    }
    let mut end = end;
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(floor(start), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(line: usize, column: usize, end_line: usize, end_column: usize) -> Region {
        Region {
            line,
            column,
            end_line,
            end_column,
        }
    }

    #[test]
    fn columns_count_chars_not_bytes() {
        // `é` is two bytes, `日` three: `x` is at byte 12, char column 3.
        let src = SourceFile::new("f", "FROM a\né日x\n");
        assert_eq!(&src.text[12..13], "x");
        assert_eq!(region(&src, Span::new(12, 13)), r(2, 3, 2, 4));
        assert_eq!(region(&src, Span::new(7, 12)), r(2, 1, 2, 3));
    }

    #[test]
    fn multi_line_and_empty_spans() {
        let src = SourceFile::new("f", "RUN a \\\n  b\n");
        assert_eq!(region(&src, Span::new(0, 11)), r(1, 1, 2, 4));
        // A span that takes the newline ends at column 1 of the next line.
        assert_eq!(region(&src, Span::new(8, 12)), r(2, 1, 3, 1));
        assert_eq!(region(&src, Span::empty(4)), r(1, 5, 1, 5));
    }

    #[test]
    fn odd_spans_are_tolerated() {
        let src = SourceFile::new("f", "aé");
        // Reversed.
        assert_eq!(region(&src, Span::new(1, 0)), r(1, 1, 1, 2));
        // Inside `é` (bytes 1..3): widened to the whole character.
        assert_eq!(region(&src, Span::new(2, 3)), r(1, 2, 1, 3));
        assert_eq!(normalize(&src.text, Span::new(2, 2)), Span::new(1, 1));
        // Past the end.
        assert_eq!(region(&src, Span::new(1, 99)), r(1, 2, 1, 3));
    }
}
