//! A logical line: the physical lines of one instruction joined the way
//! BuildKit joins them, with a map back to source offsets.

use crate::{LogicalText, Span};

/// A run of the logical text copied from one place in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Piece {
    pub logical: usize,
    pub source: usize,
    pub len: usize,
}

/// The logical text of an instruction and where each byte came from.
#[derive(Clone, Copy)]
pub(crate) struct Logical<'a> {
    pub text: &'a str,
    pub pieces: &'a [Piece],
}

impl Logical<'_> {
    /// Source offset of logical byte `i`; past the end, the source offset
    /// just past the last piece.
    #[inline]
    pub fn src(&self, i: usize) -> usize {
        if let [only] = self.pieces {
            return only.source + i.min(only.len);
        }
        let Some(last) = self.pieces.last() else {
            return 0;
        };
        if i >= self.text.len() {
            return last.source + last.len;
        }
        let idx = self.pieces.partition_point(|p| p.logical <= i);
        match idx.checked_sub(1).and_then(|k| self.pieces.get(k)) {
            Some(p) => p.source + (i - p.logical).min(p.len),
            None => 0,
        }
    }

    /// Source span of the logical range `a..b`: from the first byte's source
    /// to just past the last byte's source.
    #[inline]
    pub fn span(&self, a: usize, b: usize) -> Span {
        if let [only] = self.pieces {
            let end = b.max(a).min(only.len);
            return Span::new(only.source + a.min(end), only.source + end);
        }
        if b <= a {
            let at = self.src(a);
            return Span::new(at, at);
        }
        Span::new(self.src(a), self.src(b - 1) + 1)
    }

    /// An owned [`LogicalText`] for the logical range `a..b`.
    pub fn logical_text(&self, a: usize, b: usize) -> LogicalText {
        let b = b.max(a);
        let text = self.text.get(a..b).unwrap_or("").to_string();
        let mut offsets = Vec::with_capacity(text.len() + 1);
        for p in self.pieces {
            let lo = a.max(p.logical);
            let hi = b.min(p.logical + p.len);
            if lo < hi {
                let s = p.source + (lo - p.logical);
                offsets.extend(s..s + (hi - lo));
            }
        }
        let end = match offsets.last() {
            Some(&last) => last + 1,
            None => self.src(a),
        };
        offsets.push(end);
        LogicalText { text, offsets }
    }
}

/// The smallest char boundary of `s` at or after `i`.
pub(crate) fn ceil_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_across_pieces() {
        // "ab" from 10, "cd" from 20.
        let pieces = [
            Piece {
                logical: 0,
                source: 10,
                len: 2,
            },
            Piece {
                logical: 2,
                source: 20,
                len: 2,
            },
        ];
        let lg = Logical {
            text: "abcd",
            pieces: &pieces,
        };
        assert_eq!(lg.src(0), 10);
        assert_eq!(lg.src(2), 20);
        assert_eq!(lg.src(4), 22);
        assert_eq!(lg.span(1, 3), Span::new(11, 21));
        let lt = lg.logical_text(1, 4);
        assert_eq!(lt.text, "bcd");
        assert_eq!(lt.offsets, vec![11, 20, 21, 22]);
        assert_eq!(lg.logical_text(2, 2).offsets, vec![20]);
    }
}
