//! The lexer proper. Its structure follows BuildKit's `shellWord` closely,
//! function for function, because the exact order in which characters are
//! consumed *is* the behaviour: where a nested `${…}` stops, which errors win,
//! which names get looked up.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::env::{Env, NoEnv};
use crate::error::ExpandError;
use crate::pattern;
use crate::references::{Modifier, VarRef};
use crate::scanner::{Scanner, rune_string};
use crate::unicode::{is_digit, is_letter, is_space};

/// The longest value a word may expand to, in bytes; past it expansion
/// fails. BuildKit has no such limit, but every match of `${a//p/r}` pastes
/// the whole replacement, so nesting it multiplies the length at each level:
/// a few hundred bytes could ask for more memory and time than there is.
/// Real words stay far below it.
pub const MAX_EXPANSION_LEN: usize = 1 << 20;

/// Expands variables in Dockerfile words like BuildKit's `shell.Lex`.
///
/// The flags mirror `Lex`'s public fields; all are off by default, which is
/// how BuildKit expands instruction arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lexer {
    escape: char,
    /// Keep quote characters in the output (`RawQuotes`).
    pub raw_quotes: bool,
    /// Keep escape characters in the output (`RawEscapes`).
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters (`SkipProcessQuotes`).
    pub skip_process_quotes: bool,
    /// Leave references to unset variables as written (`SkipUnsetEnv`).
    pub skip_unset_env: bool,
}

/// The result of [`Lexer::process_word`] (BuildKit's `ProcessWordResult`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expansion {
    /// The expanded word, quotes and escapes removed.
    pub value: String,
    /// Names that were looked up and found.
    pub matched: BTreeSet<String>,
    /// Names that were looked up and not found.
    pub unmatched: BTreeSet<String>,
}

impl Lexer {
    /// A lexer for the given escape character (`\`, or `` ` `` under
    /// `# escape=``).
    pub const fn new(escape: char) -> Self {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_process_quotes: false,
            skip_unset_env: false,
        }
    }

    pub const fn escape(&self) -> char {
        self.escape
    }

    pub const fn with_raw_quotes(mut self, on: bool) -> Self {
        self.raw_quotes = on;
        self
    }

    pub const fn with_raw_escapes(mut self, on: bool) -> Self {
        self.raw_escapes = on;
        self
    }

    pub const fn with_skip_process_quotes(mut self, on: bool) -> Self {
        self.skip_process_quotes = on;
        self
    }

    pub const fn with_skip_unset_env(mut self, on: bool) -> Self {
        self.skip_unset_env = on;
        self
    }

    /// Expands `word`, reporting which names were found and which were not
    /// (BuildKit's `ProcessWordWithMatches`).
    pub fn process_word(&self, word: &str, env: &dyn Env) -> Result<Expansion, ExpandError> {
        let mut sw = ShellWord::new(self, word, env, false);
        let (value, _) = sw.run()?;
        Ok(Expansion {
            value,
            matched: sw.matched,
            unmatched: sw.unmatched,
        })
    }

    /// Expands `word` and splits the result into words (BuildKit's
    /// `ProcessWords`): text that came from a variable is split at white
    /// space, quoted text is not, and an escaped space joins.
    pub fn process_words(&self, word: &str, env: &dyn Env) -> Result<Vec<String>, ExpandError> {
        let mut sw = ShellWord::new(self, word, env, true);
        let (_, words) = sw.run()?;
        Ok(words)
    }

    /// Every variable reference in `word`; see [`crate::variable_references`].
    pub fn variable_references(&self, word: &str) -> Vec<VarRef> {
        let mut sw = ShellWord::new(self, word, &NoEnv, false);
        sw.refs = Some(Vec::new());
        // A syntax error ends the scan; what was found before it stands.
        let _ = sw.run();
        let mut refs = sw.refs.unwrap_or_default();
        // Nested references are found before the one around them.
        refs.sort_by_key(|r| r.span.start);
        refs
    }
}

/// An error before it is tied to its word.
struct Fail {
    message: String,
    position: usize,
}

impl Fail {
    fn new(message: impl Into<String>, position: usize) -> Self {
        Fail {
            message: message.into(),
            position,
        }
    }
}

fn too_long(position: usize) -> Fail {
    Fail::new(
        format!("expansion longer than {MAX_EXPANSION_LEN} bytes"),
        position,
    )
}

fn unsupported(chs: &str, position: usize) -> Fail {
    Fail::new(
        format!("unsupported modifier ({chs}) in substitution"),
        position,
    )
}

/// The state of one expansion (BuildKit's `shellWord`).
struct ShellWord<'a> {
    lex: &'a Lexer,
    word: &'a str,
    scanner: Scanner<'a>,
    env: &'a dyn Env,
    /// Whether word splitting is wanted (`ProcessWords`).
    split: bool,
    /// The word being built, shared by every nesting level. BuildKit shares
    /// this buffer too, and clears it whenever a nested `${…}` operand starts,
    /// so the part of a word before such an operand is dropped from the split
    /// words (`a${X:-b}c` splits to `bc`). Reproduced on purpose.
    words_buf: String,
    matched: BTreeSet<String>,
    unmatched: BTreeSet<String>,
    /// `Some` when collecting references instead of expanding.
    refs: Option<Vec<VarRef>>,
}

/// BuildKit's `wordsStruct`, minus the buffer, which lives in `ShellWord`.
#[derive(Default)]
struct Words {
    words: Vec<String>,
    in_word: bool,
}

impl Words {
    fn add_char(&mut self, buf: &mut String, ch: char) {
        if is_space(ch) && self.in_word {
            if !buf.is_empty() {
                self.words.push(std::mem::take(buf));
                self.in_word = false;
            }
        } else if !is_space(ch) {
            self.add_raw_char(buf, ch);
        }
    }

    fn add_raw_char(&mut self, buf: &mut String, ch: char) {
        buf.push(ch);
        self.in_word = true;
    }

    fn add_string(&mut self, buf: &mut String, s: &str) {
        for ch in s.chars() {
            self.add_char(buf, ch);
        }
    }

    fn add_raw_string(&mut self, buf: &mut String, s: &str) {
        buf.push_str(s);
        self.in_word = true;
    }

    fn finish(mut self, buf: &mut String) -> Vec<String> {
        if !buf.is_empty() {
            self.words.push(std::mem::take(buf));
        }
        self.words
    }
}

enum Special {
    Dollar,
    SingleQuote,
    DoubleQuote,
}

impl<'a> ShellWord<'a> {
    fn new(lex: &'a Lexer, word: &'a str, env: &'a dyn Env, split: bool) -> Self {
        ShellWord {
            lex,
            word,
            scanner: Scanner::new(word),
            env,
            split,
            words_buf: String::new(),
            matched: BTreeSet::new(),
            unmatched: BTreeSet::new(),
            refs: None,
        }
    }

    fn run(&mut self) -> Result<(String, Vec<String>), ExpandError> {
        self.process_stop_on(None, self.lex.raw_escapes)
            .map_err(|fail| ExpandError {
                message: fail.message,
                position: fail.position,
                word: self.word.to_owned(),
            })
    }

    /// Processes up to the end of the word or `stop`, which is consumed.
    /// `raw_escapes` is BuildKit's temporarily switched `sw.rawEscapes`: it
    /// holds for this level and the quotes in it, not for nested `${…}`.
    fn process_stop_on(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), Fail> {
        let mut result = String::new();
        let mut words = Words::default();
        if self.split {
            self.words_buf.clear();
        }

        while let Some(ch) = self.scanner.peek() {
            if stop == Some(ch) {
                self.scanner.next();
                return Ok((result, self.finish_words(words)));
            }
            let special = match ch {
                '$' => Some(Special::Dollar),
                '\'' if !self.lex.skip_process_quotes => Some(Special::SingleQuote),
                '"' if !self.lex.skip_process_quotes => Some(Special::DoubleQuote),
                _ => None,
            };
            if let Some(special) = special {
                let at = self.scanner.pos();
                let tmp = match special {
                    Special::Dollar => self.process_dollar()?,
                    Special::SingleQuote => self.process_single_quote()?,
                    Special::DoubleQuote => self.process_double_quote(raw_escapes)?,
                };
                result.push_str(&tmp);
                if result.len() > MAX_EXPANSION_LEN {
                    return Err(too_long(at));
                }
                if self.split {
                    if ch == '$' {
                        words.add_string(&mut self.words_buf, &tmp);
                    } else {
                        words.add_raw_string(&mut self.words_buf, &tmp);
                    }
                }
                continue;
            }

            self.scanner.next();
            let mut ch = ch;
            if ch == self.lex.escape {
                if raw_escapes {
                    if self.split {
                        words.add_raw_char(&mut self.words_buf, ch);
                    }
                    result.push(ch);
                }
                // The escape escapes anything, and vanishes at the end.
                match self.scanner.next() {
                    None => break,
                    Some(next) => ch = next,
                }
                if self.split {
                    words.add_raw_char(&mut self.words_buf, ch);
                }
            } else if self.split {
                words.add_char(&mut self.words_buf, ch);
            }
            result.push(ch);
        }

        if let Some(stop) = stop {
            return Err(Fail::new(
                format!("unexpected end of statement while looking for matching {stop}"),
                self.scanner.pos(),
            ));
        }
        Ok((result, self.finish_words(words)))
    }

    fn finish_words(&mut self, words: Words) -> Vec<String> {
        if self.split {
            words.finish(&mut self.words_buf)
        } else {
            Vec::new()
        }
    }

    /// `'…'`: everything literal up to the next `'`; there is no escape.
    fn process_single_quote(&mut self) -> Result<String, Fail> {
        let start = self.scanner.pos();
        let mut result = String::new();
        let quote = self.scanner.next();
        if self.lex.raw_quotes {
            result.extend(quote);
        }
        loop {
            match self.scanner.next() {
                None => {
                    return Err(Fail::new(
                        "unexpected end of statement while looking for matching single-quote",
                        start,
                    ));
                }
                Some('\'') => {
                    if self.lex.raw_quotes {
                        result.push('\'');
                    }
                    return Ok(result);
                }
                Some(ch) => result.push(ch),
            }
        }
    }

    /// `"…"`: literal except `$`, and the escape character, which escapes
    /// only `"`, `$` and itself and is kept before anything else.
    fn process_double_quote(&mut self, raw_escapes: bool) -> Result<String, Fail> {
        let start = self.scanner.pos();
        let mut result = String::new();
        let quote = self.scanner.next();
        if self.lex.raw_quotes {
            result.extend(quote);
        }
        loop {
            match self.scanner.peek() {
                None => {
                    return Err(Fail::new(
                        "unexpected end of statement while looking for matching double-quote",
                        start,
                    ));
                }
                Some('"') => {
                    self.scanner.next();
                    if self.lex.raw_quotes {
                        result.push('"');
                    }
                    return Ok(result);
                }
                Some('$') => {
                    let at = self.scanner.pos();
                    let value = self.process_dollar()?;
                    result.push_str(&value);
                    if result.len() > MAX_EXPANSION_LEN {
                        return Err(too_long(at));
                    }
                }
                Some(mut ch) => {
                    self.scanner.next();
                    if ch == self.lex.escape {
                        if raw_escapes {
                            result.push(ch);
                        }
                        match self.scanner.peek() {
                            // An escape right before the end is dropped; the
                            // missing quote is reported next time round.
                            None => continue,
                            Some(next) if next == '"' || next == '$' || next == self.lex.escape => {
                                self.scanner.next();
                                ch = next;
                            }
                            Some(_) => {}
                        }
                    }
                    result.push(ch);
                }
            }
        }
    }

    /// `$…`, with the scanner on the `$`.
    fn process_dollar(&mut self) -> Result<String, Fail> {
        let start = self.scanner.pos();
        self.scanner.next();

        if self.scanner.peek() != Some('{') {
            let name_start = self.scanner.pos();
            let name = self.process_name();
            if name.is_empty() {
                return Ok("$".to_owned());
            }
            let end = self.scanner.pos();
            if self.record(&name, start..end, name_start..end, None) {
                return Ok(String::new());
            }
            let (value, found) = self.get_env(&name);
            if !found && self.lex.skip_unset_env {
                return Ok(format!("${name}"));
            }
            return Ok(value.to_owned());
        }

        self.scanner.next();
        match self.scanner.peek() {
            None => return Err(Fail::new("syntax error: missing '}'", start)),
            Some('{' | '}' | ':') => {
                return Err(Fail::new("syntax error: bad substitution", start));
            }
            Some(_) => {}
        }
        let name_start = self.scanner.pos();
        let name = self.process_name();
        let name_span = name_start..self.scanner.pos();
        let first = self.scanner.next();
        let mut chs = rune_string(first);

        match first {
            Some('}') => {
                let span = start..self.scanner.pos();
                if self.record(&name, span, name_span, None) {
                    return Ok(String::new());
                }
                let (value, set) = self.get_env(&name);
                if !set && self.lex.skip_unset_env {
                    return Ok(format!("${{{name}}}"));
                }
                Ok(value.to_owned())
            }
            Some(':' | '+' | '-' | '?' | '#' | '%') => {
                // `:` is followed by any character at all, like Go's
                // fallthrough; only the ones below are then accepted.
                let colon = first == Some(':');
                let op = if colon {
                    let op = self.scanner.next();
                    chs.push_str(&rune_string(op));
                    op
                } else {
                    first
                };
                let trims = matches!(op, Some('#' | '%'));
                if colon && trims {
                    return Err(unsupported(&chs, start));
                }
                let word = self.operand(Some('}'), trims, start, "syntax error: missing '}'")?;

                if self.refs.is_some() {
                    let modifier = match op {
                        Some('-') => Modifier::Default { colon },
                        Some('+') => Modifier::Alternative { colon },
                        Some('?') => Modifier::Required { colon },
                        Some('#') => Modifier::TrimPrefix {
                            longest: word.starts_with('#'),
                        },
                        Some('%') => Modifier::TrimSuffix {
                            longest: word.starts_with('%'),
                        },
                        _ => return Err(unsupported(&chs, start)),
                    };
                    self.record(&name, start..self.scanner.pos(), name_span, Some(modifier));
                    return Ok(String::new());
                }

                let (value, set) = self.get_env(&name);
                if self.lex.skip_unset_env && !set {
                    return Ok(format!("${{{name}{chs}{word}}}"));
                }
                let null = colon && value.is_empty();
                match op {
                    Some('-') => Ok(if !set || null { word } else { value.to_owned() }),
                    Some('+') => Ok(if !set || null { String::new() } else { word }),
                    Some('?') => {
                        let default = if !set {
                            "is not allowed to be unset"
                        } else if null {
                            "is not allowed to be empty"
                        } else {
                            return Ok(value.to_owned());
                        };
                        let message = if word.is_empty() { default } else { &word };
                        Err(Fail::new(format!("{name}: {message}"), start))
                    }
                    Some(op @ ('#' | '%')) => {
                        // `##`/`%%` is seen after the operand was expanded.
                        let (pattern, greedy) = match word.strip_prefix(op) {
                            Some(rest) => (rest, true),
                            None => (word.as_str(), false),
                        };
                        let trimmed = if op == '%' {
                            pattern::trim_suffix(pattern, value, greedy)
                        } else {
                            pattern::trim_prefix(pattern, value, greedy)
                        };
                        trimmed.map_err(|message| Fail::new(message, start))
                    }
                    _ => Err(unsupported(&chs, start)),
                }
            }
            Some('/') => {
                let all = self.scanner.peek() == Some('/');
                if all {
                    self.scanner.next();
                }
                let pat =
                    self.operand(Some('/'), true, start, "syntax error: missing '/' in ${}")?;
                let replacement =
                    self.operand(Some('}'), true, start, "syntax error: missing '}'")?;

                if self.refs.is_some() {
                    let span = start..self.scanner.pos();
                    self.record(&name, span, name_span, Some(Modifier::Replace { all }));
                    return Ok(String::new());
                }

                let (value, set) = self.get_env(&name);
                if self.lex.skip_unset_env && !set {
                    // BuildKit writes a single `/` back, even for `//`.
                    return Ok(format!("${{{name}/{pat}/{replacement}}}"));
                }
                let re = pattern::shell_pattern_to_regex(&pat, true, false).map_err(|e| {
                    Fail::new(
                        format!("invalid pattern ({pat}) in substitution: {e}"),
                        start,
                    )
                })?;
                if all {
                    pattern::replace_all(&re, value, &replacement, MAX_EXPANSION_LEN)
                        .ok_or_else(|| too_long(start))
                } else {
                    Ok(pattern::replace_first(&re, value, &replacement))
                }
            }
            _ => Err(unsupported(&chs, start)),
        }
    }

    /// The operand of a `${…}` operator, up to `stop`. Any failure that
    /// leaves the scanner at the end of the word is reported as `at_end`.
    fn operand(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
        start: usize,
        at_end: &str,
    ) -> Result<String, Fail> {
        match self.process_stop_on(stop, raw_escapes) {
            Ok((word, _)) => Ok(word),
            Err(_) if self.scanner.peek().is_none() => Err(Fail::new(at_end, start)),
            Err(fail) => Err(fail),
        }
    }

    /// A name: letters, digits and `_`; or a run of digits (positional); or
    /// one special parameter character.
    fn process_name(&mut self) -> String {
        let mut name = String::new();
        while let Some(ch) = self.scanner.peek() {
            if name.is_empty() && is_digit(ch) {
                while let Some(d) = self.scanner.peek().filter(|&d| is_digit(d)) {
                    self.scanner.next();
                    name.push(d);
                }
                return name;
            }
            if name.is_empty() && is_special_param(ch) {
                self.scanner.next();
                return ch.to_string();
            }
            if !is_letter(ch) && !is_digit(ch) && ch != '_' {
                break;
            }
            self.scanner.next();
            name.push(ch);
        }
        name
    }

    fn get_env(&mut self, name: &str) -> (&'a str, bool) {
        let env: &'a dyn Env = self.env;
        match env.get(name) {
            Some(value) => {
                if !self.matched.contains(name) {
                    self.matched.insert(name.to_owned());
                }
                (value, true)
            }
            None => {
                if !self.unmatched.contains(name) {
                    self.unmatched.insert(name.to_owned());
                }
                ("", false)
            }
        }
    }

    /// In reference mode, records the reference and returns `true`.
    fn record(
        &mut self,
        name: &str,
        span: Range<usize>,
        name_span: Range<usize>,
        modifier: Option<Modifier>,
    ) -> bool {
        match &mut self.refs {
            Some(refs) => {
                refs.push(VarRef {
                    name: name.to_owned(),
                    span,
                    name_span,
                    modifier,
                });
                true
            }
            None => false,
        }
    }
}

/// POSIX special parameters, as BuildKit lists them (`0` is caught earlier,
/// as a digit).
fn is_special_param(ch: char) -> bool {
    matches!(ch, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(word: &str, env: &[(&str, &str)]) -> Result<String, String> {
        Lexer::new('\\')
            .process_word(word, &env)
            .map(|e| e.value)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn messages_match_buildkit() {
        let cases = [
            (
                "he${}",
                "failed to process \"he${}\": syntax error: bad substitution",
            ),
            (
                "${a",
                "failed to process \"${a\": unsupported modifier (\u{FFFD}) in substitution",
            ),
            (
                "${a:-b",
                "failed to process \"${a:-b\": syntax error: missing '}'",
            ),
            (
                "${a/b",
                "failed to process \"${a/b\": syntax error: missing '/' in ${}",
            ),
            (
                "${a=b}",
                "failed to process \"${a=b}\": unsupported modifier (=) in substitution",
            ),
            (
                "${a:=b}",
                "failed to process \"${a:=b}\": unsupported modifier (:=) in substitution",
            ),
            (
                "${a:#b}",
                "failed to process \"${a:#b}\": unsupported modifier (:#) in substitution",
            ),
            (
                "${X?}",
                "failed to process \"${X?}\": X: is not allowed to be unset",
            ),
            (
                "${E:?}",
                "failed to process \"${E:?}\": E: is not allowed to be empty",
            ),
            ("${X?no $E.}", "failed to process \"${X?no $E.}\": X: no ."),
            (
                "'a",
                "failed to process \"'a\": unexpected end of statement while looking for matching single-quote",
            ),
            (
                "\"a",
                "failed to process \"\\\"a\": unexpected end of statement while looking for matching double-quote",
            ),
            (
                "${E#\\x}",
                "failed to process \"${E#\\\\x}\": invalid pattern (\\x) in substitution: invalid escape '\\x'",
            ),
            // BuildKit names the reversed pattern for `%`.
            (
                "${E%a\\x}",
                "failed to process \"${E%a\\\\x}\": invalid pattern (\\xa) in substitution: invalid escape '\\x'",
            ),
        ];
        for (word, expected) in cases {
            assert_eq!(expand(word, &[("E", "")]).unwrap_err(), expected, "{word}");
        }
    }

    #[test]
    fn error_positions() {
        let pos = |w: &str| {
            Lexer::new('\\')
                .process_word(w, &NoEnv)
                .unwrap_err()
                .position
        };
        assert_eq!(pos("ab${}"), 2);
        assert_eq!(pos("ab'cd"), 2);
        assert_eq!(pos("a\"b${x:-c}"), 1);
        assert_eq!(pos("${A:-${B:?}}"), 5);
        assert_eq!(pos("${A:-${B:-x}"), 0);
    }

    #[test]
    fn flags() {
        let env = [("A", "a")];
        let raw = Lexer::new('\\').with_raw_quotes(true);
        assert_eq!(
            raw.process_word("'x'\"$A\"", &env).unwrap().value,
            "'x'\"a\""
        );
        let keep = Lexer::new('\\').with_skip_unset_env(true);
        for w in [
            "$U", "${U}", "${U:-d}", "${U-$A}", "${U#p}", "${U?m}", "${U:=x}",
        ] {
            let want = w.replace("$A", "a");
            assert_eq!(keep.process_word(w, &env).unwrap().value, want, "{w}");
        }
        assert_eq!(
            keep.process_word("${U//p/r}", &env).unwrap().value,
            "${U/p/r}"
        );
        assert_eq!(keep.process_word("$A${A:+x}", &env).unwrap().value, "ax");
        let escapes = Lexer::new('\\').with_raw_escapes(true);
        assert_eq!(
            escapes.process_word("a\\ b\"\\t\"", &env).unwrap().value,
            "a\\ b\\\\t"
        );
        // Inside `${X:-…}` BuildKit switches raw escapes off again.
        assert_eq!(
            escapes.process_word("${U:-\\$A}", &env).unwrap().value,
            "$A"
        );
        let plain = Lexer::new('\\').with_skip_process_quotes(true);
        assert_eq!(
            plain.process_word("'$A' \"x\"", &env).unwrap().value,
            "'a' \"x\""
        );
    }

    #[test]
    fn backtick_escape() {
        let lex = Lexer::new('`');
        let env = [("A", "a")];
        assert_eq!(lex.process_word("`$A\\$A", &env).unwrap().value, "$A\\a");
        assert_eq!(
            lex.process_word("\"`\"`$`x\"", &env).unwrap().value,
            "\"$`x"
        );
        assert_eq!(lex.process_word("C:\\dir`", &env).unwrap().value, "C:\\dir");
    }

    #[test]
    fn leading_bom_is_dropped() {
        assert_eq!(expand("\u{FEFF}a\u{FEFF}", &[]).unwrap(), "a\u{FEFF}");
    }

    #[test]
    fn split_words_share_one_buffer_like_buildkit() {
        let lex = Lexer::new('\\');
        let env = [("S", "x  y")];
        let words = |w: &str| lex.process_words(w, &env).unwrap();
        assert_eq!(words("a $S b"), ["a", "x", "y", "b"]);
        assert_eq!(words("a\" $S \"b"), ["a x  y b"]);
        assert_eq!(words("ab${U:-c}d"), ["cd"]);
        assert_eq!(words("a b${U:-c d}e"), ["a", "c", "de"]);
        assert_eq!(words("\"\" ''"), Vec::<String>::new());
    }
}
