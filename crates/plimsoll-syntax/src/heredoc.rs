//! Heredoc detection as BuildKit does it: the instruction line is split into
//! words by BuildKit's shell lexer (raw quotes, raw escapes, no variables
//! set), and every word of the form `[n]<<[-]WORD` opens a heredoc.
//!
//! Only the part of the lexer that word splitting needs is here: with no
//! variables set and unset variables kept, `$x`, `${x}` and `${x:-y}` come
//! back as written, but their syntax errors still make the whole line have
//! no heredocs, as in BuildKit.

use crate::gocompat::{is_digit, is_letter, is_space};

/// A heredoc word found in an instruction line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeredocWord {
    pub name: String,
    pub expand: bool,
    pub chomp: bool,
    /// Byte range of the word in the lexed line (approximate when the word
    /// was built from variable syntax containing spaces).
    pub start: usize,
    pub end: usize,
}

/// BuildKit's `heredocsFromLine`. `Err` is a lexing error inside a heredoc
/// word, which BuildKit's parser reports as a parse error.
pub(crate) fn heredocs_from_line(line: &str) -> Result<Vec<HeredocWord>, String> {
    let Ok(words) = Lexer::new(line, true, true).words() else {
        return Ok(Vec::new());
    };
    let mut docs = Vec::new();
    for (word, start, end) in words {
        if let Some((name, expand, chomp)) = parse_heredoc(&word)? {
            docs.push(HeredocWord {
                name,
                expand,
                chomp,
                start,
                end,
            });
        }
    }
    Ok(docs)
}

/// BuildKit's `ParseHeredoc`: `^(\d*)<<(-?)([^<]*)$` and a single-word
/// delimiter. Returns the name, whether the body is expanded (the delimiter
/// was not quoted) and whether `<<-` strips leading tabs.
pub(crate) fn parse_heredoc(word: &str) -> Result<Option<(String, bool, bool)>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, rest) = match after.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, after),
    };
    if rest.contains('<') || rest.is_empty() {
        return Ok(None);
    }
    let words = Lexer::new(rest, false, false).words()?;
    if words.len() != 1 {
        return Ok(None);
    }
    let raw = Lexer::new(rest, true, false).words()?;
    if raw.len() != words.len() {
        return Err(format!(
            "internal lexing of heredoc produced inconsistent results: {rest}"
        ));
    }
    let count = |s: &str| s.bytes().filter(|&b| b == b'\'' || b == b'"').count();
    let name = words[0].0.clone();
    let expand = count(&name) == count(&raw[0].0);
    Ok(Some((name, expand, chomp)))
}

/// Word accumulation of BuildKit's lexer (`wordsStruct`), with byte ranges.
#[derive(Default)]
struct Words {
    word: String,
    start: usize,
    end: usize,
    in_word: bool,
    words: Vec<LexWord>,
}

impl Words {
    fn add_char(&mut self, c: char, at: usize, next: usize) {
        if is_space(c) {
            if self.in_word && !self.word.is_empty() {
                self.flush();
            }
        } else {
            self.add_raw_char(c, at, next);
        }
    }

    fn add_raw_char(&mut self, c: char, at: usize, next: usize) {
        if self.word.is_empty() {
            self.start = at;
        }
        self.word.push(c);
        self.end = next;
        self.in_word = true;
    }

    fn add_string(&mut self, s: &str, at: usize, next: usize) {
        for c in s.chars() {
            self.add_char(c, at, next);
        }
    }

    fn add_raw_string(&mut self, s: &str, at: usize, next: usize) {
        if self.word.is_empty() {
            self.start = at;
        }
        self.word.push_str(s);
        self.end = next;
        self.in_word = true;
    }

    fn flush(&mut self) {
        let w = std::mem::take(&mut self.word);
        self.words.push((w, self.start, self.end));
        self.in_word = false;
    }

    fn finish(mut self) -> Vec<LexWord> {
        if !self.word.is_empty() {
            self.flush();
        }
        self.words
    }
}

/// The subset of BuildKit's `shell.Lex` used for heredoc detection, with
/// `\` as the escape character, `SkipUnsetEnv` and an empty environment.
struct Lexer<'a> {
    s: &'a str,
    pos: usize,
    raw_quotes: bool,
    raw_escapes: bool,
}

type LexResult<T> = Result<T, String>;

/// A lexed word and its byte range.
type LexWord = (String, usize, usize);

impl<'a> Lexer<'a> {
    fn new(s: &'a str, raw_quotes: bool, raw_escapes: bool) -> Self {
        // Go's text/scanner skips a byte order mark at the very start.
        let pos = if s.starts_with('\u{feff}') { 3 } else { 0 };
        Lexer {
            s,
            pos,
            raw_quotes,
            raw_escapes,
        }
    }

    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn words(mut self) -> LexResult<Vec<LexWord>> {
        let raw = self.raw_escapes;
        let (_, words) = self.process_stop_on(None, raw, true)?;
        Ok(words)
    }

    /// `processStopOn`: reads up to `stop` (or the end), returning the
    /// processed text and, at the top level, the words.
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
        top: bool,
    ) -> LexResult<(String, Vec<LexWord>)> {
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let r = self.process_stop_on_inner(stop, top);
        self.raw_escapes = saved;
        r
    }

    fn process_stop_on_inner(
        &mut self,
        stop: Option<char>,
        top: bool,
    ) -> LexResult<(String, Vec<LexWord>)> {
        let mut result = String::new();
        let mut words = Words::default();
        while let Some(c) = self.peek() {
            let at = self.pos;
            if stop == Some(c) {
                self.next();
                return Ok((result, if top { words.finish() } else { Vec::new() }));
            }
            match c {
                '$' => {
                    let tmp = self.process_dollar()?;
                    result.push_str(&tmp);
                    if top {
                        words.add_string(&tmp, at, self.pos);
                    }
                }
                '\'' => {
                    let tmp = self.process_single_quote()?;
                    result.push_str(&tmp);
                    if top {
                        words.add_raw_string(&tmp, at, self.pos);
                    }
                }
                '"' => {
                    let tmp = self.process_double_quote()?;
                    result.push_str(&tmp);
                    if top {
                        words.add_raw_string(&tmp, at, self.pos);
                    }
                }
                _ => {
                    self.next();
                    if c == '\\' {
                        if self.raw_escapes {
                            words.add_raw_char(c, at, self.pos);
                            result.push(c);
                        }
                        let Some(escaped) = self.next() else {
                            break;
                        };
                        words.add_raw_char(escaped, at, self.pos);
                        result.push(escaped);
                    } else {
                        words.add_char(c, at, self.pos);
                        result.push(c);
                    }
                }
            }
        }
        if let Some(stop) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {stop}"
            ));
        }
        Ok((result, if top { words.finish() } else { Vec::new() }))
    }

    fn process_single_quote(&mut self) -> LexResult<String> {
        let mut result = String::new();
        let q = self.next();
        if self.raw_quotes {
            result.extend(q);
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    );
                }
                Some('\'') => {
                    if self.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(c) => result.push(c),
            }
        }
    }

    fn process_double_quote(&mut self) -> LexResult<String> {
        let mut result = String::new();
        let q = self.next();
        if self.raw_quotes {
            result.extend(q);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    );
                }
                Some('"') => {
                    self.next();
                    if self.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let v = self.process_dollar()?;
                    result.push_str(&v);
                }
                Some(_) => {
                    let Some(mut c) = self.next() else {
                        continue;
                    };
                    if c == '\\' {
                        if self.raw_escapes {
                            result.push(c);
                        }
                        match self.peek() {
                            None => continue,
                            Some('"' | '$' | '\\') => {
                                if let Some(n) = self.next() {
                                    c = n;
                                }
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(c);
                }
            }
        }
    }

    fn process_dollar(&mut self) -> LexResult<String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.process_name();
            return Ok(format!("${name}"));
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            Some(_) => {}
        }
        let name = self.process_name();
        let first = self.next();
        let mut modifier = first.map(String::from).unwrap_or_default();
        let op = match first {
            Some('}') => return Ok(format!("${{{name}}}")),
            Some(':') => {
                let second = self.next();
                modifier.push(second.unwrap_or('\u{fffd}'));
                second
            }
            Some(c @ ('+' | '-' | '?' | '#' | '%')) => Some(c),
            Some('/') => {
                if self.peek() == Some('/') {
                    self.next();
                }
                let (pattern, _) = self.process_stop_on(Some('/'), true, false)?;
                let (replacement, _) = self.process_stop_on(Some('}'), true, false)?;
                return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
            }
            _ => return Err(format!("unsupported modifier ({modifier}) in substitution")),
        };
        let raw = matches!(op, Some('#' | '%'));
        let (word, _) = self.process_stop_on(Some('}'), raw, false)?;
        Ok(format!("${{{name}{modifier}{word}}}"))
    }

    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && is_digit(c) {
                while let Some(d) = self.peek() {
                    if !is_digit(d) {
                        break;
                    }
                    self.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0') {
                self.next();
                name.push(c);
                return name;
            }
            if !is_letter(c) && !is_digit(c) && c != '_' {
                break;
            }
            self.next();
            name.push(c);
        }
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(line: &str) -> Vec<(String, bool, bool)> {
        heredocs_from_line(line)
            .unwrap()
            .into_iter()
            .map(|h| (h.name, h.expand, h.chomp))
            .collect()
    }

    #[test]
    fn finds_heredoc_words() {
        assert_eq!(names("RUN <<EOF"), vec![("EOF".into(), true, false)]);
        assert_eq!(
            names("RUN python3 <<EOF"),
            vec![("EOF".into(), true, false)]
        );
        assert_eq!(names("RUN <<-EOF"), vec![("EOF".into(), true, true)]);
        assert_eq!(names("RUN <<'EOF'"), vec![("EOF".into(), false, false)]);
        assert_eq!(names(r#"RUN <<"EOF""#), vec![("EOF".into(), false, false)]);
        assert_eq!(names(r#"RUN <<E"O"F"#), vec![("EOF".into(), false, false)]);
        assert_eq!(
            names("RUN cat <<A 2<<B > x"),
            vec![("A".into(), true, false), ("B".into(), true, false)]
        );
        assert_eq!(names("COPY <<EOF /dest"), vec![("EOF".into(), true, false)]);
    }

    #[test]
    fn not_heredocs() {
        assert!(names("RUN echo <<<EOF").is_empty());
        assert!(names("RUN echo '<<EOF'").is_empty());
        assert!(names("RUN echo <<").is_empty());
        assert!(names("RUN echo \"unterminated <<EOF").is_empty());
        assert!(names("RUN echo ${} <<EOF").is_empty());
        assert!(names("RUN echo <<-").is_empty());
    }

    #[test]
    fn word_positions() {
        let docs = heredocs_from_line("RUN cat <<EOF").unwrap();
        assert_eq!((docs[0].start, docs[0].end), (8, 13));
    }

    #[test]
    fn variables_survive_splitting() {
        let w = Lexer::new("a ${x:-y z} $1 ${a/b/c} \"$q\" '$r'", true, true)
            .words()
            .unwrap();
        let w: Vec<_> = w.into_iter().map(|w| w.0).collect();
        assert_eq!(w, ["a", "${x:-y", "z}", "$1", "${a/b/c}", "\"$q\"", "'$r'"]);
    }
}
