//! Script texts and their maps back to the Dockerfile.
//!
//! Every script is a [`LogicalText`]: its bytes and, for each byte, the
//! Dockerfile offset it came from. The shell form's is the instruction's
//! own; heredoc bodies (with `<<-` tabs stripped), the script BuildKit
//! builds from a RUN line and its heredocs, and JSON strings of the exec
//! form get theirs here.

use plimsoll_syntax::{Heredoc, LogicalText, Span};

/// A script's map to the Dockerfile: a [`LogicalText`], and for texts
/// decoded from escapes (JSON strings), where each byte's source ends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SourceMap {
    pub text: LogicalText,
    pub ends: Option<Vec<usize>>,
}

impl SourceMap {
    pub fn new(text: LogicalText) -> Self {
        SourceMap { text, ends: None }
    }

    /// The source span of the bytes `start..end` of the text: from the
    /// first byte's offset to just past the last byte's.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let s = self.text.source_offset(start);
        if end <= start {
            return Span::new(s, s);
        }
        let e = match &self.ends {
            Some(ends) => ends.get(end - 1).or(ends.last()).copied().unwrap_or(s),
            None => self.text.source_offset(end - 1) + 1,
        };
        Span::new(s, e.max(s))
    }
}

/// Appends `text`, whose byte `i` came from source offset `offsets(i)`.
fn push(out: &mut LogicalText, text: &str, offsets: impl IntoIterator<Item = usize>) {
    // Drop the end entry of what came before: it is re-added below.
    out.offsets.truncate(out.text.len());
    out.text.push_str(text);
    out.offsets.extend(offsets.into_iter().take(text.len()));
    // Pad (defensive; callers give one offset per byte).
    while out.offsets.len() < out.text.len() {
        let last = out.offsets.last().copied().unwrap_or(0);
        out.offsets.push(last);
    }
}

fn finish(out: &mut LogicalText, end: usize) {
    out.offsets.truncate(out.text.len());
    out.offsets.push(end);
}

/// A heredoc's content, mapped into its body lines. `<<-` strips leading
/// tabs, so the content is shorter than the body; lines are matched up to
/// learn where each content byte sits.
pub(crate) fn heredoc_text(source: &str, h: &Heredoc) -> LogicalText {
    let mut out = LogicalText::default();
    let body = source.get(h.body_span.range()).unwrap_or("");
    let base = h.body_span.start;
    let mut line_start = 0;
    for line in body.split_inclusive('\n') {
        let skip = if h.chomp {
            line.len() - line.trim_start_matches('\t').len()
        } else {
            0
        };
        let kept = &line[skip..];
        let from = base + line_start + skip;
        push(&mut out, kept, from..from + kept.len());
        line_start += line.len();
    }
    finish(&mut out, h.body_span.end);
    if out.text != h.content {
        // Not the body we expected (the caller's source is not the
        // instruction's file): keep the content, map it approximately.
        return approximate(&h.content, h.body_span);
    }
    out
}

/// `text` spread over `span`, byte by byte, clamped to the span.
pub(crate) fn approximate(text: &str, span: Span) -> LogicalText {
    let offsets = (0..text.len())
        .map(|i| (span.start + i).min(span.end.saturating_sub(1).max(span.start)))
        .chain(std::iter::once(span.end))
        .collect();
    LogicalText {
        text: text.to_string(),
        offsets,
    }
}

/// The script BuildKit hands to the shell for a RUN line with heredocs
/// that is not a lone `<<EOF`: the line, then for each heredoc a newline,
/// its content and its delimiter (`dispatchRun` in BuildKit's
/// `dockerfile2llb/convert.go`).
pub(crate) fn with_heredocs(source: &str, rest: &LogicalText, heredocs: &[Heredoc]) -> LogicalText {
    let mut out = LogicalText {
        text: String::with_capacity(rest.text.len()),
        offsets: Vec::with_capacity(rest.offsets.len()),
    };
    push(&mut out, &rest.text, rest.offsets.iter().copied());
    let mut newline_at = rest.source_offset(rest.text.len());
    for h in heredocs {
        push(&mut out, "\n", [newline_at]);
        let body = heredoc_text(source, h);
        push(&mut out, &body.text, body.offsets.iter().copied());
        // The delimiter ends its line (after any `<<-` tabs).
        let name_at = h
            .end_span
            .end
            .saturating_sub(h.name.len())
            .max(h.end_span.start);
        push(&mut out, &h.name, name_at..name_at + h.name.len());
        newline_at = h.end_span.end;
    }
    finish(&mut out, newline_at);
    // An unterminated heredoc's delimiter is not in the source: keep its
    // bytes on the last byte there is.
    let last = source.len().saturating_sub(1);
    let n = out.text.len();
    for o in &mut out.offsets[..n] {
        *o = (*o).min(last);
    }
    out
}

/// One JSON string literal of an exec-form argv: its decoded value mapped
/// to the source, and where the literal (quotes included) is in `rest`.
pub(crate) struct JsonString {
    pub value: SourceMap,
    pub literal: std::ops::Range<usize>,
}

/// The string literals of a JSON array in `rest`, decoded with offsets.
/// Tolerant: stops at the first thing that is not a string.
pub(crate) fn json_strings(rest: &LogicalText) -> Vec<JsonString> {
    let s = rest.text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'"' => {
                let start = i;
                let mut value = LogicalText::default();
                let mut ends = Vec::new();
                i += 1;
                while i < s.len() && s[i] != b'"' {
                    let at = rest.source_offset(i);
                    if s[i] == b'\\' && i + 1 < s.len() {
                        let (ch, len) = json_escape(&rest.text[i + 1..]);
                        let mut buf = [0u8; 4];
                        let enc = ch.encode_utf8(&mut buf);
                        push(&mut value, enc, std::iter::repeat_n(at, enc.len()));
                        let end = rest.source_offset(i + len) + 1;
                        ends.extend(std::iter::repeat_n(end, enc.len()));
                        i += 1 + len;
                    } else {
                        let ch = rest.text[i..].chars().next().unwrap_or('\u{fffd}');
                        let len = ch.len_utf8();
                        let offsets: Vec<usize> =
                            (i..i + len).map(|j| rest.source_offset(j)).collect();
                        ends.extend(offsets.iter().map(|o| o + 1));
                        push(&mut value, &rest.text[i..i + len], offsets);
                        i += len;
                    }
                }
                finish(&mut value, rest.source_offset(i));
                i = (i + 1).min(s.len());
                out.push(JsonString {
                    value: SourceMap {
                        text: value,
                        ends: Some(ends),
                    },
                    literal: start..i,
                });
            }
            b'[' | b']' | b',' | b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            _ => break,
        }
    }
    out
}

/// Decodes the escape after a backslash: the character and how many bytes
/// of `s` it used.
fn json_escape(s: &str) -> (char, usize) {
    let b = s.as_bytes();
    match b.first() {
        Some(b'n') => ('\n', 1),
        Some(b't') => ('\t', 1),
        Some(b'r') => ('\r', 1),
        Some(b'b') => ('\x08', 1),
        Some(b'f') => ('\x0c', 1),
        Some(b'u') => {
            let hex = |at: usize| {
                s.get(at..at + 4)
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
            };
            match hex(1) {
                Some(hi @ 0xd800..=0xdbff) => {
                    if s.get(5..7) == Some("\\u")
                        && let Some(lo @ 0xdc00..=0xdfff) = hex(7)
                    {
                        let c = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
                        return (char::from_u32(c).unwrap_or('\u{fffd}'), 11);
                    }
                    ('\u{fffd}', 5)
                }
                Some(c) => (char::from_u32(c).unwrap_or('\u{fffd}'), 5),
                None => ('u', 1),
            }
        }
        Some(_) => {
            let ch = s.chars().next().unwrap_or('\u{fffd}');
            (ch, ch.len_utf8())
        }
        None => ('\\', 0),
    }
}

/// Maps brush-parser's character indices to byte offsets of one text.
pub(crate) struct CharIndex<'a> {
    text: &'a str,
    /// Byte offset of each character, plus the end; empty for ASCII text,
    /// where both are the same.
    bytes: Vec<usize>,
}

impl<'a> CharIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(i, _)| i)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        CharIndex { text, bytes }
    }

    pub fn byte(&self, char_index: usize) -> usize {
        if self.bytes.is_empty() {
            char_index.min(self.text.len())
        } else {
            self.bytes
                .get(char_index)
                .copied()
                .unwrap_or(self.text.len())
        }
    }
}
