//! The line loop of BuildKit's `parser.Parse`, made lossless and
//! error-tolerant: directives, comments, continuation lines, heredoc bodies,
//! and a token for every byte.

use crate::checks::check_instruction;
use crate::gocompat::{is_re_whitespace, leading_space_len};
use crate::heredoc::heredocs_from_line;
use crate::instruction::{Ctx, Mark, build};
use crate::logical::{Logical, Piece};
use crate::{
    Comment, Directive, Dockerfile, Form, Heredoc, Instruction, Keyword, Span, SyntaxError, Token,
    TokenKind,
};

/// bufio.Scanner's default limit: BuildKit cannot read a longer line.
pub(crate) const MAX_LINE: usize = 64 * 1024;
pub(crate) const LINE_TOO_LONG: &str = "dockerfile line greater than max allowed size of 65535";

const BOM: &str = "\u{feff}";

/// One physical line.
#[derive(Debug, Clone, Copy)]
struct Line {
    start: usize,
    /// End of the content without trailing `\r`s (BuildKit's `trimNewline`).
    trim_end: usize,
    /// Offset of the `\n`, or the end of the text.
    end: usize,
    /// Start of the next line.
    next: usize,
}

/// A piece of an instruction's physical lines, in source order.
#[derive(Debug, Clone, Copy)]
enum Seg {
    /// Part of the logical line: source range and logical start.
    Content(usize, usize, usize),
    /// Skipped bytes with a fixed token kind.
    Fixed(TokenKind, usize, usize),
    /// The end of a line: trailing `\r`s and the newline.
    LineEnd(Line),
}

pub(crate) fn parse_text(text: String, lossy_at: Option<usize>) -> Dockerfile {
    let mut p = Parser {
        text: &text,
        bytes: text.as_bytes(),
        tokens: Vec::with_capacity(text.len() / 5 + 8),
        directives: Vec::new(),
        comments: Vec::new(),
        instructions: Vec::with_capacity(text.len() / 256 + 4),
        errors: Vec::new(),
        escape: b'\\',
        directives_done: false,
        seen: [false; 3],
        pos: 0,
        line_no: 0,
        scratch: SCRATCH.with(|s| s.take()),
    };
    if let Some(at) = lossy_at {
        let end = (at + 3).min(text.len());
        p.errors.push(SyntaxError {
            span: Span::new(at, end),
            message: "invalid UTF-8: decoded with replacement characters".to_string(),
            fatal_in_buildkit: false,
        });
    }
    if text.starts_with(BOM) {
        p.tokens.push(Token {
            kind: TokenKind::Bom,
            span: Span::new(0, 3),
        });
        p.pos = 3;
    }
    p.run();
    let Parser {
        tokens,
        directives,
        comments,
        instructions,
        mut errors,
        escape,
        scratch,
        ..
    } = p;
    // Keep the buffers for the next parse, unless one grew huge.
    if scratch.buf.capacity() < 1 << 20 && scratch.segs.capacity() < 1 << 16 {
        SCRATCH.with(|s| s.set(scratch));
    }
    if instructions.is_empty() {
        errors.push(SyntaxError {
            span: Span::new(0, text.len()),
            message: "file with no instructions".to_string(),
            fatal_in_buildkit: true,
        });
    }
    Dockerfile {
        lossy_utf8: lossy_at.is_some(),
        tokens,
        directives,
        escape: char::from(escape),
        comments,
        instructions,
        errors,
        text,
    }
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    tokens: Vec<Token>,
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    instructions: Vec<Instruction>,
    errors: Vec<SyntaxError>,
    escape: u8,
    directives_done: bool,
    /// syntax, escape, check
    seen: [bool; 3],
    pos: usize,
    line_no: usize,
    scratch: Scratch,
}

/// Buffers reused from instruction to instruction, and from parse to parse
/// on the same thread.
#[derive(Default)]
struct Scratch {
    segs: Vec<Seg>,
    pieces: Vec<Piece>,
    buf: String,
    marks: Vec<Mark>,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Scratch> = std::cell::Cell::new(Scratch::default());
}

impl<'t> Parser<'t> {
    fn next_line(&mut self) -> Option<Line> {
        let start = self.pos;
        if start >= self.bytes.len() {
            return None;
        }
        let (end, next) = match find_newline(self.bytes, start) {
            Some(i) => (i, i + 1),
            None => (self.bytes.len(), self.bytes.len()),
        };
        let mut trim_end = end;
        while trim_end > start && self.bytes[trim_end - 1] == b'\r' {
            trim_end -= 1;
        }
        self.pos = next;
        self.line_no += 1;
        // What bufio.Scanner sees: the line with its newline (and, on the
        // first line, the byte order mark).
        if next >= MAX_LINE && self.line_too_long(start, end, next) {
            self.errors.push(SyntaxError {
                span: Span::new(start, trim_end),
                message: LINE_TOO_LONG.to_string(),
                fatal_in_buildkit: true,
            });
        }
        Some(Line {
            start,
            trim_end,
            end,
            next,
        })
    }

    /// Whether bufio.Scanner fails on this line: it cannot hold more than
    /// 64 KiB, newline (and, on the first line, byte order mark) included.
    fn line_too_long(&self, start: usize, end: usize, next: usize) -> bool {
        let raw_start = if self.line_no == 1 { 0 } else { start };
        let raw_len = next - raw_start;
        raw_len > MAX_LINE || (next == end && raw_len == MAX_LINE)
    }

    fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        if end > start {
            self.tokens.push(Token {
                kind,
                span: Span::new(start, end),
            });
        }
    }

    fn push_line_end(&mut self, l: Line) {
        let newline_start = if l.next > l.end && l.end > l.trim_end {
            // `\r\n`
            l.end - 1
        } else {
            l.end
        };
        self.push(TokenKind::Whitespace, l.trim_end, newline_start);
        self.push(TokenKind::Newline, newline_start, l.next);
    }

    fn comment(&mut self, start: usize, end: usize) {
        let text = self.text[start + 1..end].trim().to_string();
        self.comments.push(Comment {
            text,
            span: Span::new(start, end),
        });
        self.push(TokenKind::Comment, start, end);
    }

    fn run(&mut self) {
        while let Some(l) = self.next_line() {
            let lead = leading_space_len(&self.text[l.start..l.trim_end]);
            let t_start = l.start + lead;
            let is_directive = !self.directives_done && self.directive(t_start, l.trim_end);
            if self.bytes.get(t_start) == Some(&b'#') && t_start < l.trim_end {
                self.push(TokenKind::Whitespace, l.start, t_start);
                if is_directive {
                    self.push(TokenKind::Directive, t_start, l.trim_end);
                } else {
                    self.comment(t_start, l.trim_end);
                }
                self.push_line_end(l);
                continue;
            }
            let (content_end, cont) = self.continuation(t_start, l.trim_end);
            if !cont && t_start == l.trim_end {
                self.push(TokenKind::Whitespace, l.start, l.trim_end);
                self.push_line_end(l);
                continue;
            }
            self.instruction(l, t_start, content_end, cont);
        }
    }

    /// BuildKit's line-continuation regex: the escape character, not itself
    /// escaped, followed only by spaces and tabs. Returns where the content
    /// ends and whether the line continues.
    fn continuation(&self, start: usize, end: usize) -> (usize, bool) {
        let b = self.bytes;
        let mut j = end;
        while j > start && (b[j - 1] == b' ' || b[j - 1] == b'\t') {
            j -= 1;
        }
        if j > start && b[j - 1] == self.escape && (j - 1 == start || b[j - 2] != self.escape) {
            (j - 1, true)
        } else {
            (end, false)
        }
    }

    /// BuildKit's `DirectiveParser.ParseLine` on a left-trimmed line.
    fn directive(&mut self, start: usize, end: usize) -> bool {
        let line = &self.text[start..end];
        let Some(after) = line.strip_prefix('#') else {
            self.directives_done = true;
            return false;
        };
        let lead = leading_space_len(after);
        let s = &after[lead..];
        let s_at = start + 1 + lead;
        let b = s.as_bytes();
        // `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`, `\s` being [\t\n\f\r ].
        let is_s = |c: u8| matches!(c, b'\t' | b'\n' | 0x0c | b'\r' | b' ');
        if !b.first().is_some_and(u8::is_ascii_alphabetic) {
            self.directives_done = true;
            return false;
        }
        let key_len = b.iter().take_while(|c| c.is_ascii_alphanumeric()).count();
        let mut p = key_len;
        while p < b.len() && is_s(b[p]) {
            p += 1;
        }
        if b.get(p) != Some(&b'=') || p + 1 >= b.len() {
            self.directives_done = true;
            return false;
        }
        let v = &b[p + 1..];
        let lead_s = v.iter().take_while(|&&c| is_s(c)).count();
        let (vs, ve) = if lead_s < v.len() {
            let trail = v.iter().rev().take_while(|&&c| is_s(c)).count();
            (lead_s, v.len() - trail)
        } else {
            // Only whitespace: the lazy `(.+?)` takes the last character.
            (v.len() - 1, v.len())
        };
        let name = s[..key_len].to_ascii_lowercase();
        let which = match name.as_str() {
            "syntax" => 0,
            "escape" => 1,
            "check" => 2,
            _ => {
                self.directives_done = true;
                return false;
            }
        };
        let v_at = s_at + p + 1;
        let value = self.text[v_at + vs..v_at + ve].to_string();
        let span = Span::new(start, end);
        if self.seen[which] {
            self.errors.push(SyntaxError {
                span,
                message: format!("only one {name} parser directive can be used"),
                fatal_in_buildkit: true,
            });
            return true;
        }
        self.seen[which] = true;
        if which == 1 {
            match value.as_str() {
                "\\" => self.escape = b'\\',
                "`" => self.escape = b'`',
                _ => {
                    self.errors.push(SyntaxError {
                        span,
                        message: format!("invalid escape token '{value}' does not match ` or \\"),
                        fatal_in_buildkit: true,
                    });
                    return true;
                }
            }
        }
        self.directives.push(Directive {
            name,
            value,
            span,
            value_span: Span::new(v_at + vs, v_at + ve),
        });
        true
    }

    fn instruction(&mut self, first: Line, t_start: usize, content_end: usize, mut cont: bool) {
        let start_line = self.line_no;
        let mut segs = std::mem::take(&mut self.scratch.segs);
        segs.clear();
        segs.push(Seg::Fixed(TokenKind::Whitespace, first.start, t_start));
        segs.push(Seg::Content(t_start, content_end, 0));
        segs.push(Seg::Fixed(
            TokenKind::Continuation,
            content_end,
            first.trim_end,
        ));
        segs.push(Seg::LineEnd(first));
        let mut last_end = first.trim_end;
        let mut empty_lines = Vec::new();
        let mut comments_inside = Vec::new();
        while cont {
            let Some(l) = self.next_line() else {
                break;
            };
            last_end = l.trim_end;
            let raw = &self.text[l.start..l.trim_end];
            let lead = leading_space_len(raw);
            if lead < raw.len() && raw.as_bytes()[lead] == b'#' {
                segs.push(Seg::Fixed(TokenKind::Whitespace, l.start, l.start + lead));
                segs.push(Seg::Fixed(TokenKind::Comment, l.start + lead, l.trim_end));
                segs.push(Seg::LineEnd(l));
                comments_inside.push((l.start + lead, l.trim_end));
                continue;
            }
            if lead == raw.len() {
                empty_lines.push(Span::new(l.start, l.trim_end));
                segs.push(Seg::Fixed(TokenKind::Whitespace, l.start, l.trim_end));
                segs.push(Seg::LineEnd(l));
                continue;
            }
            let (ce, c) = self.continuation(l.start, l.trim_end);
            segs.push(Seg::Content(l.start, ce, 0));
            segs.push(Seg::Fixed(TokenKind::Continuation, ce, l.trim_end));
            segs.push(Seg::LineEnd(l));
            cont = c;
        }
        for (s, e) in comments_inside {
            let text = self.text[s + 1..e].trim().to_string();
            self.comments.push(Comment {
                text,
                span: Span::new(s, e),
            });
        }

        // The logical line.
        let mut pieces = std::mem::take(&mut self.scratch.pieces);
        pieces.clear();
        let mut logical_len = 0;
        for seg in segs.iter_mut() {
            if let Seg::Content(s, e, l) = seg {
                *l = logical_len;
                pieces.push(Piece {
                    logical: logical_len,
                    source: *s,
                    len: *e - *s,
                });
                logical_len += *e - *s;
            }
        }
        let mut buf = std::mem::take(&mut self.scratch.buf);
        let non_empty = pieces.iter().filter(|p| p.len > 0).count();
        let text: &str = if non_empty <= 1 {
            match pieces.iter().find(|p| p.len > 0) {
                Some(p) => &self.text[p.source..p.source + p.len],
                None => "",
            }
        } else {
            buf.clear();
            for p in &pieces {
                buf.push_str(&self.text[p.source..p.source + p.len]);
            }
            &buf
        };
        if non_empty <= 1 {
            // A single source run: keep just that piece for the mapping.
            let keep = pieces
                .iter()
                .find(|p| p.len > 0)
                .copied()
                .or(pieces.first().copied());
            pieces.clear();
            pieces.extend(keep.map(|p| Piece { logical: 0, ..p }));
            for seg in segs.iter_mut() {
                if let Seg::Content(_, _, l) = seg {
                    *l = 0;
                }
            }
        }
        let lg = Logical {
            text,
            pieces: &pieces,
        };

        let mut marks = std::mem::take(&mut self.scratch.marks);
        marks.clear();
        let mut ctx = Ctx {
            escape: char::from(self.escape),
            errors: &mut self.errors,
            marks: &mut marks,
        };
        let mut ins = build(&lg, 0, lg.text.len(), &mut ctx);
        let heredoc_words = if can_contain_heredoc(&ins) && lg.text.contains("<<") {
            match heredocs_from_line(lg.text) {
                Ok(words) => words,
                Err(message) => {
                    self.errors.push(SyntaxError {
                        span: ins.span,
                        message,
                        fatal_in_buildkit: true,
                    });
                    Vec::new()
                }
            }
        } else {
            Vec::new()
        };
        let marker_spans: Vec<Span> = heredoc_words
            .iter()
            .map(|h| lg.span(h.start, h.end))
            .collect();

        self.emit(&segs, &marks);
        self.scratch = Scratch {
            segs,
            pieces,
            buf,
            marks,
        };

        for (h, marker_span) in heredoc_words.into_iter().zip(marker_spans) {
            let body_start = self.pos;
            let mut content = String::new();
            let mut end = None;
            while let Some(l) = self.next_line() {
                let line = &self.text[l.start..l.trim_end];
                let candidate = if h.chomp {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                if candidate == h.name {
                    end = Some(l);
                    break;
                }
                content.push_str(&self.text[l.start..l.next]);
            }
            let body_end = end.map_or(self.bytes.len(), |l| l.start);
            self.push(TokenKind::HeredocBody, body_start, body_end);
            let end_span = match end {
                Some(l) => {
                    self.push(TokenKind::HeredocEnd, l.start, l.trim_end);
                    self.push_line_end(l);
                    last_end = l.trim_end;
                    Span::new(l.start, l.trim_end)
                }
                None => {
                    self.errors.push(SyntaxError {
                        span: marker_span,
                        message: "unterminated heredoc".to_string(),
                        fatal_in_buildkit: true,
                    });
                    last_end = self.bytes.len();
                    Span::empty(self.bytes.len())
                }
            };
            if h.chomp {
                content = chomp(&content);
            }
            ins.heredocs.push(Heredoc {
                name: h.name,
                content,
                expand: h.expand,
                chomp: h.chomp,
                marker_span,
                body_span: Span::new(body_start, body_end),
                end_span,
            });
        }

        let end_line = self.line_no;
        finish(&mut ins, last_end, start_line, end_line);
        ins.empty_continuation_lines = empty_lines;
        if let Some(inner) = ins.onbuild.as_deref_mut() {
            inner.heredocs = ins.heredocs.clone();
        }
        check_instruction(&ins, &mut self.errors);
        self.instructions.push(ins);
    }

    /// Tokens for an instruction's lines: keyword and flags from the marks,
    /// the rest split into text and whitespace.
    fn emit(&mut self, segs: &[Seg], marks: &[Mark]) {
        let mut m = 0;
        for &seg in segs {
            match seg {
                Seg::Fixed(kind, s, e) => self.push(kind, s, e),
                Seg::LineEnd(l) => self.push_line_end(l),
                Seg::Content(s, e, lstart) => {
                    let mut i = s;
                    while i < e {
                        let li = lstart + (i - s);
                        while m < marks.len() && marks[m].end <= li {
                            m += 1;
                        }
                        if let Some(mark) = marks.get(m).filter(|mk| mk.start <= li) {
                            let run_end = e.min(s + (mark.end - lstart));
                            self.push(mark.kind, i, run_end);
                            i = run_end;
                            continue;
                        }
                        let limit = marks.get(m).map_or(e, |mk| e.min(s + (mk.start - lstart)));
                        self.split_words(i, limit);
                        i = limit;
                    }
                }
            }
        }
    }

    /// Text and whitespace tokens for `start..end`.
    fn split_words(&mut self, start: usize, end: usize) {
        let bytes: &'t [u8] = self.bytes;
        let mut i = start;
        while i < end {
            let s = i;
            if TOKEN_SPACE[bytes[i] as usize] {
                i += 1;
                while i + 8 <= end && read_u64(bytes, i) == u64::from_le_bytes(*b"        ") {
                    i += 8;
                }
                while i < end && TOKEN_SPACE[bytes[i] as usize] {
                    i += 1;
                }
            }
            if i > s {
                self.tokens.push(Token {
                    kind: TokenKind::Whitespace,
                    span: Span::new(s, i),
                });
            }
            let t = i;
            i = text_run_end(bytes, i, end);
            if i > t {
                self.tokens.push(Token {
                    kind: TokenKind::Text,
                    span: Span::new(t, i),
                });
            }
        }
    }
}

/// The 8 bytes at `i` as a little-endian word (the caller checks bounds).
#[inline(always)]
fn read_u64(bytes: &[u8], i: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[i..i + 8]);
    u64::from_le_bytes(word)
}

/// Offset of the first `\n` at or after `start`. Dockerfile lines are
/// short, so a word-at-a-time scan beats a vectorised search's setup.
fn find_newline(bytes: &[u8], start: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    const NL: u64 = ONES * b'\n' as u64;
    let mut i = start;
    while i + 8 <= bytes.len() {
        let x = read_u64(bytes, i) ^ NL;
        let found = x.wrapping_sub(ONES) & !x & HIGHS;
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    bytes[i.min(bytes.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|p| i + p)
}

/// End of the run of non-separator bytes starting at `i` (before `end`).
#[inline]
fn text_run_end(bytes: &[u8], mut i: usize, end: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // Separators are all below 0x21: look for such bytes 8 at a time.
    while i + 8 <= end {
        let x = read_u64(bytes, i);
        let low = x.wrapping_sub(ONES * 0x21) & !x & HIGHS;
        if low == 0 {
            i += 8;
            continue;
        }
        let k = i + (low.trailing_zeros() / 8) as usize;
        if TOKEN_SPACE[bytes[k] as usize] {
            return k;
        }
        // A control byte that does not separate: go on after it.
        i = k + 1;
    }
    while i < end && !TOKEN_SPACE[bytes[i] as usize] {
        i += 1;
    }
    i
}

/// Bytes that separate text tokens: BuildKit's `[\t\v\f\r ]`.
static TOKEN_SPACE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = is_re_whitespace(b as u8);
        b += 1;
    }
    t
};

/// BuildKit's `canContainHeredoc`: RUN, COPY and ADD in shell form, also as
/// the trigger of an ONBUILD.
fn can_contain_heredoc(ins: &Instruction) -> bool {
    let target = match (&ins.keyword, &ins.onbuild) {
        (Keyword::Onbuild, Some(inner)) => inner.as_ref(),
        _ => ins,
    };
    matches!(target.keyword, Keyword::Run | Keyword::Copy | Keyword::Add)
        && target.form == Form::Shell
}

fn finish(ins: &mut Instruction, end: usize, start_line: usize, end_line: usize) {
    ins.span = Span::new(ins.keyword_span.start, end.max(ins.keyword_span.start));
    ins.start_line = start_line;
    ins.end_line = end_line;
    if let Some(inner) = ins.onbuild.as_deref_mut() {
        finish(inner, end, start_line, end_line);
    }
}

/// BuildKit's `ChompHeredocContent`: leading tabs off every line.
fn chomp(content: &str) -> String {
    content
        .split_inclusive('\n')
        .map(|l| l.trim_start_matches('\t'))
        .collect()
}
