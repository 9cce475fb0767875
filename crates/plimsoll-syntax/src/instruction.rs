//! One logical line to an [`Instruction`], following BuildKit's
//! `newNodeFromLine`: `splitCommand`, `extractBuilderFlags`, and the line
//! parser BuildKit dispatches to for the keyword.

use crate::gocompat::{go_quote, is_re_whitespace, is_space, is_space_byte, trim_space_range};
use crate::json::{JsonArray, JsonString, parse_array};
use crate::logical::{Logical, ceil_boundary};
use crate::{Flag, Form, Instruction, KeyValue, Keyword, Span, SyntaxError, TokenKind, Word};

/// ONBUILD nesting deeper than this is not followed (BuildKit itself
/// rejects any `ONBUILD ONBUILD` later, in `instructions.Parse`).
const MAX_ONBUILD_DEPTH: usize = 16;

/// A logical range that becomes a token of its own kind.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
}

pub(crate) struct Ctx<'e> {
    pub escape: char,
    pub errors: &'e mut Vec<SyntaxError>,
    pub marks: &'e mut Vec<Mark>,
}

impl Ctx<'_> {
    fn fatal(&mut self, span: Span, message: String) {
        self.errors.push(SyntaxError {
            span,
            message,
            fatal_in_buildkit: true,
        });
    }

    fn soft(&mut self, span: Span, message: String) {
        self.errors.push(SyntaxError {
            span,
            message,
            fatal_in_buildkit: false,
        });
    }
}

/// Builds the instruction for the logical range `a..b` of `lg`. The span
/// runs to the end of the range; the caller extends it over heredocs and
/// sets the line numbers.
pub(crate) fn build(lg: &Logical<'_>, a: usize, b: usize, ctx: &mut Ctx<'_>) -> Instruction {
    build_at_depth(lg, a, b, ctx, 0)
}

fn build_at_depth(
    lg: &Logical<'_>,
    a: usize,
    b: usize,
    ctx: &mut Ctx<'_>,
    depth: usize,
) -> Instruction {
    let text = lg.text;
    // splitCommand: trim, then split off the command at `[\t\v\f\r ]+`.
    let (t0, t1) = trim_space_range(&text[a..b]);
    let (t0, t1) = (a + t0, a + t1);
    let line = &text[t0..t1];
    let cmd_len = line
        .bytes()
        .position(is_re_whitespace)
        .unwrap_or(line.len());
    let ws_len = line.as_bytes()[cmd_len..]
        .iter()
        .take_while(|&&c| is_re_whitespace(c))
        .count();
    let keyword_text = &line[..cmd_len];
    let keyword = Keyword::parse(keyword_text);
    ctx.marks.push(Mark {
        start: t0,
        end: t0 + cmd_len,
        kind: TokenKind::Keyword,
    });

    let args_start = t0 + cmd_len + ws_len;
    let (rest_start, flags) = if cmd_len < line.len() {
        extract_flags(lg, args_start, t1, ctx)
    } else {
        (t1, Vec::new())
    };
    let (r0, r1) = trim_space_range(&text[rest_start..t1]);
    let (rs, re) = (rest_start + r0, rest_start + r1);
    let line_span = lg.span(t0, t1);

    let mut ins = Instruction {
        keyword,
        keyword_text: keyword_text.to_string(),
        keyword_span: lg.span(t0, t0 + cmd_len),
        span: Span::new(lg.src(t0), lg.span(t0, t1).end),
        start_line: 0,
        end_line: 0,
        flags,
        form: Form::Shell,
        rest: lg.logical_text(rs, re),
        args: Vec::new(),
        pairs: Vec::new(),
        heredocs: Vec::new(),
        onbuild: None,
        empty_continuation_lines: Vec::new(),
    };
    if t0 == t1 {
        ins.span = Span::new(lg.src(t0), lg.src(t0));
    }

    let rest = Rest {
        lg,
        start: rs,
        end: re,
    };
    match keyword {
        Keyword::Add | Keyword::Copy | Keyword::Volume => {
            maybe_json_to_list(&rest, &mut ins, ctx, line_span);
        }
        Keyword::Cmd | Keyword::Entrypoint | Keyword::Run | Keyword::Shell => {
            maybe_json(&rest, &mut ins, ctx, line_span);
        }
        Keyword::Arg => name_or_name_val(&rest, &mut ins, ctx.escape),
        Keyword::Env => name_val(&rest, &mut ins, ctx, "ENV", line_span),
        Keyword::Label => name_val(&rest, &mut ins, ctx, "LABEL", line_span),
        Keyword::Expose | Keyword::From => {
            ins.args = whitespace_delimited(&rest);
        }
        Keyword::Healthcheck => health_config(&rest, &mut ins, ctx, line_span),
        Keyword::Maintainer | Keyword::Stopsignal | Keyword::User | Keyword::Workdir => {
            if rs < re {
                ins.args = vec![rest.word(rs, re)];
            }
        }
        Keyword::Onbuild => {
            if rs < re {
                if depth < MAX_ONBUILD_DEPTH {
                    let inner = build_at_depth(lg, rs, re, ctx, depth + 1);
                    ins.onbuild = Some(Box::new(inner));
                } else {
                    ctx.soft(line_span, "ONBUILD nested too deeply".to_string());
                }
            }
        }
        Keyword::Unknown => {}
    }
    ins
}

/// The rest of an instruction (after keyword and flags, trimmed).
struct Rest<'a, 'b> {
    lg: &'b Logical<'a>,
    start: usize,
    end: usize,
}

impl Rest<'_, '_> {
    fn text(&self) -> &str {
        &self.lg.text[self.start..self.end]
    }

    /// A word that is the logical range `s..e` verbatim.
    fn word(&self, s: usize, e: usize) -> Word {
        Word {
            value: self.lg.text[s..e].to_string(),
            span: self.lg.span(s, e),
        }
    }
}

/// BuildKit's `extractBuilderFlags`, byte by byte as Go does it. Returns the
/// logical offset where the rest starts and the flags.
fn extract_flags(
    lg: &Logical<'_>,
    start: usize,
    end: usize,
    ctx: &mut Ctx<'_>,
) -> (usize, Vec<Flag>) {
    #[derive(PartialEq)]
    enum Phase {
        Spaces,
        Word,
        Quote,
    }
    let line = &lg.text.as_bytes()[start..end];
    let len = line.len();
    let mut flags = Vec::new();
    let mut phase = Phase::Spaces;
    let mut word: Vec<u8> = Vec::new();
    // Offset (in `line`) of each byte of `word`.
    let mut word_pos: Vec<usize> = Vec::new();
    let mut word_start = 0;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut pos = 0;
    let mut rest_at = len;
    while pos <= len {
        let mut ch = line.get(pos).copied().unwrap_or(0);
        if phase == Phase::Spaces {
            if pos == len {
                break;
            }
            if is_space_byte(ch) {
                pos += 1;
                continue;
            }
            if ch != b'-' || pos + 1 == len || line[pos + 1] != b'-' {
                rest_at = pos;
                break;
            }
            phase = Phase::Word;
            word_start = pos;
        }
        if pos == len {
            if word != b"--" && (blank_ok || !word.is_empty()) {
                flags.push(make_flag(lg, start, word_start, len, &word, &word_pos, ctx));
            }
            break;
        }
        if phase == Phase::Word {
            if is_space_byte(ch) {
                phase = Phase::Spaces;
                if word == b"--" {
                    rest_at = pos;
                    break;
                }
                if blank_ok || !word.is_empty() {
                    flags.push(make_flag(lg, start, word_start, pos, &word, &word_pos, ctx));
                }
                word.clear();
                word_pos.clear();
                blank_ok = false;
                pos += 1;
                continue;
            }
            if ch == b'\'' || ch == b'"' {
                quote = ch;
                blank_ok = true;
                phase = Phase::Quote;
                pos += 1;
                continue;
            }
            if ch == b'\\' {
                if pos + 1 == len {
                    pos += 1;
                    continue;
                }
                pos += 1;
                ch = line[pos];
            }
            word.push(ch);
            word_pos.push(pos);
            pos += 1;
            continue;
        }
        // In quotes.
        if ch == quote {
            phase = Phase::Word;
            pos += 1;
            continue;
        }
        if ch == b'\\' {
            if pos + 1 == len {
                phase = Phase::Word;
                pos += 1;
                continue;
            }
            pos += 1;
            ch = line[pos];
        }
        word.push(ch);
        word_pos.push(pos);
        pos += 1;
    }
    let rest = ceil_boundary(lg.text, start + rest_at);
    (rest, flags)
}

fn make_flag(
    lg: &Logical<'_>,
    base: usize,
    start: usize,
    end: usize,
    word: &[u8],
    word_pos: &[usize],
    ctx: &mut Ctx<'_>,
) -> Flag {
    let text = lg.text;
    let at = |rel: usize| ceil_boundary(text, base + rel);
    let (fs, fe) = (at(start), at(end));
    ctx.marks.push(Mark {
        start: fs,
        end: fe,
        kind: TokenKind::Flag,
    });
    let body = word.get(2..).unwrap_or(&[]);
    let name_from = word_pos.get(2).map_or(fe, |&p| at(p));
    let (name, value, name_span, value_span) = match body.iter().position(|&c| c == b'=') {
        Some(eq) => {
            let eq_at = word_pos.get(2 + eq).map_or(fe, |&p| at(p));
            let value_from = ceil_boundary(text, eq_at + 1).min(fe);
            (
                String::from_utf8_lossy(&body[..eq]).into_owned(),
                Some(String::from_utf8_lossy(&body[eq + 1..]).into_owned()),
                lg.span(name_from.min(eq_at), eq_at),
                Some(lg.span(value_from, fe)),
            )
        }
        None => (
            String::from_utf8_lossy(body).into_owned(),
            None,
            lg.span(name_from.min(fe), fe),
            None,
        ),
    };
    let span = lg.span(fs, fe);
    if name.is_empty() {
        ctx.soft(span, "flag with an empty name".to_string());
    }
    Flag {
        name,
        value,
        span,
        name_span,
        value_span,
    }
}

/// BuildKit's `parseStringsWhitespaceDelimited`: split at `[\t\v\f\r ]+`.
fn whitespace_delimited(rest: &Rest<'_, '_>) -> Vec<Word> {
    let bytes = rest.lg.text.as_bytes();
    let mut words = Vec::with_capacity(
        1 + bytes[rest.start..rest.end]
            .iter()
            .filter(|&&b| b == b' ')
            .count(),
    );
    let mut i = rest.start;
    while i < rest.end {
        let s = i;
        while i < rest.end && !is_re_whitespace(bytes[i]) {
            i += 1;
        }
        words.push(rest.word(s, i));
        while i < rest.end && is_re_whitespace(bytes[i]) {
            i += 1;
        }
    }
    words
}

/// The JSON array in the rest, if the rest looks like one.
fn json(rest: &Rest<'_, '_>) -> JsonArray {
    if !rest.text().starts_with('[') {
        return JsonArray::Invalid;
    }
    parse_array(rest.text())
}

fn json_words(rest: &Rest<'_, '_>, strings: Vec<JsonString>) -> Vec<Word> {
    strings
        .into_iter()
        .map(|s| Word {
            value: s.value,
            span: rest.lg.span(rest.start + s.start, rest.start + s.end),
        })
        .collect()
}

const NOT_STRING_ARRAY: &str =
    "when using JSON array syntax, arrays must be comprised of strings only";

/// Applies a JSON outcome; `false` when it is not JSON at all.
fn apply_json(
    rest: &Rest<'_, '_>,
    ins: &mut Instruction,
    ctx: &mut Ctx<'_>,
    line_span: Span,
) -> bool {
    match json(rest) {
        JsonArray::Strings(v) => {
            ins.args = json_words(rest, v);
            ins.form = Form::Exec;
            true
        }
        JsonArray::NotStrings(v) => {
            ctx.fatal(line_span, NOT_STRING_ARRAY.to_string());
            ins.args = json_words(rest, v);
            ins.form = Form::Exec;
            true
        }
        JsonArray::Invalid => false,
    }
}

/// BuildKit's `parseMaybeJSON`.
fn maybe_json(rest: &Rest<'_, '_>, ins: &mut Instruction, ctx: &mut Ctx<'_>, line_span: Span) {
    if rest.start == rest.end {
        return;
    }
    if !apply_json(rest, ins, ctx, line_span) {
        ins.args = vec![rest.word(rest.start, rest.end)];
    }
}

/// BuildKit's `parseMaybeJSONToList`.
fn maybe_json_to_list(
    rest: &Rest<'_, '_>,
    ins: &mut Instruction,
    ctx: &mut Ctx<'_>,
    line_span: Span,
) {
    if !apply_json(rest, ins, ctx, line_span) {
        ins.args = whitespace_delimited(rest);
    }
}

/// Width and Go-whitespace-ness of the character at `i`.
#[inline(always)]
fn char_at(text: &str, i: usize) -> (usize, bool) {
    let c = text.as_bytes()[i];
    if c < 0x80 {
        (1, matches!(c, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' '))
    } else {
        let ch = text[i..].chars().next().unwrap_or('\0');
        (ch.len_utf8(), is_space(ch))
    }
}

/// ASCII bytes that are neither whitespace, quotes nor an escape character.
static PLAIN_WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x80 {
        t[b] = !matches!(
            b as u8,
            b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ' | b'\'' | b'"' | b'\\' | b'`'
        );
        b += 1;
    }
    t
};

/// The next word of BuildKit's `parseWords` at or after `pos`: its byte
/// range in `text` (without an escape character BuildKit drops at the very
/// end) and where to continue. Words are independent of each other, so
/// this is `parseWords` one word at a time.
fn next_word(text: &str, mut pos: usize, escape: char) -> Option<(usize, usize, usize)> {
    let b = text.as_bytes();
    let len = b.len();
    // The escape character is ASCII (`\` or a backtick).
    let esc = if escape.is_ascii() { escape as u8 } else { 0 };
    while pos < len {
        let (w, space) = char_at(text, pos);
        if !space {
            break;
        }
        pos += w;
    }
    if pos >= len {
        return None;
    }
    let start = pos;
    let mut in_quote = false;
    let mut quote = 0u8;
    let mut blank_ok = false;
    let mut has_chars = false;
    while pos < len {
        let c = b[pos];
        if !in_quote {
            if PLAIN_WORD_BYTE[c as usize] {
                // Fast path: ordinary ASCII word characters.
                has_chars = true;
                pos += 1;
                while pos < len && PLAIN_WORD_BYTE[b[pos] as usize] {
                    pos += 1;
                }
                continue;
            }
            let (w, space) = char_at(text, pos);
            if space {
                return (blank_ok || has_chars)
                    .then_some((start, pos, pos + w))
                    .or_else(|| next_word(text, pos + w, escape));
            }
            if c == b'\'' || c == b'"' {
                quote = c;
                blank_ok = true;
                in_quote = true;
            }
            if c == esc && esc != 0 {
                if pos + 1 == len {
                    // BuildKit drops an escape character ending the line.
                    return (blank_ok || has_chars).then_some((start, pos, len));
                }
                // The escaped character belongs to the word, whatever it is.
                pos += 1 + char_at(text, pos + 1).0;
                has_chars = true;
                continue;
            }
            has_chars = true;
            pos += w;
            continue;
        }
        if c == quote {
            in_quote = false;
        }
        if c == esc && esc != 0 && quote != b'\'' {
            if pos + 1 == len {
                return (blank_ok || has_chars).then_some((start, pos, len));
            }
            pos += 1 + char_at(text, pos + 1).0;
            has_chars = true;
            continue;
        }
        has_chars = true;
        pos += if c < 0x80 { 1 } else { char_at(text, pos).0 };
    }
    (blank_ok || has_chars).then_some((start, len, len))
}

/// BuildKit's `parseWords`: whitespace-separated words, quotes and escapes
/// kept, as byte ranges of `text`.
fn parse_words(text: &str, escape: char) -> Vec<(usize, usize)> {
    let mut words = Vec::new();
    let mut pos = 0;
    while let Some((s, e, next)) = next_word(text, pos, escape) {
        words.push((s, e));
        pos = next;
    }
    words
}

fn parsed_words(rest: &Rest<'_, '_>, escape: char) -> Vec<(usize, usize)> {
    let mut words = parse_words(rest.text(), escape);
    for w in &mut words {
        *w = (rest.start + w.0, rest.start + w.1);
    }
    words
}

/// BuildKit's `parseNameOrNameVal` (ARG): the words go to `args`, and each
/// is also split into a pair at its first `=`.
fn name_or_name_val(rest: &Rest<'_, '_>, ins: &mut Instruction, escape: char) {
    for (s, e) in parsed_words(rest, escape) {
        let word = rest.word(s, e);
        let pair = match word.value.find('=') {
            Some(eq) => KeyValue {
                key: rest.word(s, s + eq),
                value: Some(rest.word(s + eq + 1, e)),
                equals: true,
                span: word.span,
            },
            None => KeyValue {
                key: word.clone(),
                value: None,
                equals: false,
                span: word.span,
            },
        };
        ins.pairs.push(pair);
        ins.args.push(word);
    }
}

/// BuildKit's `parseNameVal` (ENV, LABEL).
fn name_val(
    rest: &Rest<'_, '_>,
    ins: &mut Instruction,
    ctx: &mut Ctx<'_>,
    key: &str,
    line_span: Span,
) {
    let text = rest.lg.text;
    let Some((f0, f1, _)) = next_word(rest.text(), 0, ctx.escape) else {
        return;
    };
    if !rest.text()[f0..f1].contains('=') {
        // Legacy `KEY name value`: split the raw rest once at whitespace.
        let bytes = text.as_bytes();
        let k_end = (rest.start..rest.end)
            .find(|&i| is_re_whitespace(bytes[i]))
            .unwrap_or(rest.end);
        let mut v_start = k_end;
        while v_start < rest.end && is_re_whitespace(bytes[v_start]) {
            v_start += 1;
        }
        let key_word = rest.word(rest.start, k_end);
        if k_end == rest.end {
            ctx.fatal(line_span, format!("{key} must have two arguments"));
            ins.pairs.push(KeyValue {
                span: key_word.span,
                key: key_word,
                value: None,
                equals: false,
            });
            return;
        }
        let value = rest.word(v_start, rest.end);
        ins.pairs.push(KeyValue {
            span: key_word.span.cover(value.span),
            key: key_word,
            value: Some(value),
            equals: false,
        });
        return;
    }
    let mut reported = false;
    for (s, e) in parsed_words(rest, ctx.escape) {
        let word = &text[s..e];
        match word.find('=') {
            Some(eq) => ins.pairs.push(KeyValue {
                key: rest.word(s, s + eq),
                value: Some(rest.word(s + eq + 1, e)),
                equals: true,
                span: rest.lg.span(s, e),
            }),
            None => {
                let w = rest.word(s, e);
                if !reported {
                    reported = true;
                    ctx.fatal(
                        w.span,
                        format!(
                            "Syntax error - can't find = in {}. Must be of the form: name=value",
                            go_quote(word)
                        ),
                    );
                }
                ins.pairs.push(KeyValue {
                    span: w.span,
                    key: w,
                    value: None,
                    equals: false,
                });
            }
        }
    }
}

/// BuildKit's `parseHealthConfig`: a type word, then `parseMaybeJSON`.
/// Like BuildKit it looks at bytes, so 0x85 and 0xA0 bytes separate too.
fn health_config(rest: &Rest<'_, '_>, ins: &mut Instruction, ctx: &mut Ctx<'_>, line_span: Span) {
    let text = rest.lg.text;
    let bytes = &text.as_bytes()[rest.start..rest.end];
    let sep = bytes
        .iter()
        .position(|&b| is_space_byte(b))
        .unwrap_or(bytes.len());
    if sep == 0 {
        return;
    }
    let next = sep
        + bytes[sep..]
            .iter()
            .take_while(|&&b| is_space_byte(b))
            .count();
    let typ = Word {
        value: String::from_utf8_lossy(&bytes[..sep]).into_owned(),
        span: rest
            .lg
            .span(rest.start, ceil_boundary(text, rest.start + sep)),
    };
    let cmd = Rest {
        lg: rest.lg,
        start: ceil_boundary(text, rest.start + next).min(rest.end),
        end: rest.end,
    };
    if cmd.start < cmd.end && apply_json(&cmd, ins, ctx, line_span) {
        ins.args.insert(0, typ);
        return;
    }
    ins.args.push(typ);
    if cmd.start < cmd.end {
        ins.args.push(cmd.word(cmd.start, cmd.end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str, esc: char) -> Vec<&str> {
        parse_words(s, esc)
            .into_iter()
            .map(|(a, b)| &s[a..b])
            .collect()
    }

    #[test]
    fn parse_words_like_buildkit() {
        assert_eq!(words("foo", '\\'), ["foo"]);
        assert_eq!(words("foo bar", '\\'), ["foo", "bar"]);
        assert_eq!(words("foo\\ bar", '\\'), ["foo\\ bar"]);
        assert_eq!(words("foo=bar", '\\'), ["foo=bar"]);
        assert_eq!(
            words("foo bar 'abc xyz'", '\\'),
            ["foo", "bar", "'abc xyz'"]
        );
        assert_eq!(
            words("foo bar \"abc xyz\"", '\\'),
            ["foo", "bar", "\"abc xyz\""]
        );
        assert_eq!(words("àöû", '\\'), ["àöû"]);
        assert_eq!(
            words("föo bàr \"âbc xÿz\"", '\\'),
            ["föo", "bàr", "\"âbc xÿz\""]
        );
        assert_eq!(words("a\\", '\\'), ["a"]);
        assert_eq!(words("a=\"b c", '\\'), ["a=\"b c"]);
        assert_eq!(words("a=\"b\\", '\\'), ["a=\"b"]);
        assert_eq!(words("a='b\\", '\\'), ["a='b\\"]);
        assert_eq!(words("a`  b", '`'), ["a` ", "b"]);
        assert_eq!(words("''", '\\'), ["''"]);
    }
}
