//! Shell patterns of `${a#p}`, `${a%p}` and `${a/p/r}`, done the way BuildKit
//! does them: the pattern becomes a regular expression (Go's RE2, whose
//! leftmost-first semantics the `regex` crate shares) and matching goes
//! through it. Bracket expressions are not patterns there: `[` is literal.

use std::cell::RefCell;
use std::collections::HashMap;

use regex::Regex;

use crate::scanner::{Scanner, rune_string};
use crate::unicode::{is_digit, is_letter};

/// The longest pattern of `${a#p}`, `${a%p}` or `${a/p/r}`, in bytes, after
/// expansion. BuildKit has no such limit, but compiling a regular expression
/// costs about a microsecond a byte, and nested `${a//p/r}` can build a
/// pattern of up to [`crate::MAX_EXPANSION_LEN`] bytes out of a few dozen:
/// one word could then take seconds. Real patterns are a few bytes long.
pub const MAX_PATTERN_LEN: usize = 4096;

/// BuildKit's `convertShellPatternToRegex`: `*` is `.*` (or `.*?` when not
/// greedy), `?` is `.`, `\*` `\?` `\\` are literal, `\}` and `\/` drop the
/// backslash (it only protected the character from the `${}` parser), and
/// any other escape is an error. The pattern escape is always `\`, whatever
/// the Dockerfile's escape character.
pub(crate) fn shell_pattern_to_regex(
    pattern: &str,
    greedy: bool,
    anchored: bool,
) -> Result<Regex, String> {
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(format!("longer than {MAX_PATTERN_LEN} bytes"));
    }
    let mut s = Scanner::new(pattern);
    let mut out = String::with_capacity(pattern.len() + 4);
    if anchored {
        out.push('^');
    }
    let star = if greedy { ".*" } else { ".*?" };
    while let Some(mut tok) = s.next() {
        match tok {
            '*' => {
                out.push_str(star);
                continue;
            }
            '?' => {
                out.push('.');
                continue;
            }
            '\\' => {
                if matches!(s.peek(), Some('}' | '/')) {
                    continue;
                }
                out.push('\\');
                match s.next() {
                    Some(c @ ('*' | '?' | '\\')) => tok = c,
                    other => return Err(format!("invalid escape '\\{}'", rune_string(other))),
                }
            }
            '[' | ']' | '{' | '}' | '.' | '+' | '(' | ')' | '|' | '^' | '$' => out.push('\\'),
            _ => {}
        }
        out.push(tok);
    }
    compile(out)
}

/// Compiles a regex, remembering the last few per thread: the same patterns
/// (`${F##*/}`, `${V//-/_}`) come back in file after file, and compiling
/// costs far more than matching.
fn compile(source: String) -> Result<Regex, String> {
    const CAPACITY: usize = 64;
    thread_local! {
        static CACHE: RefCell<HashMap<String, Regex>> = RefCell::new(HashMap::new());
    }
    if let Some(re) = CACHE.with(|c| c.borrow().get(&source).cloned()) {
        return Ok(re);
    }
    let re = Regex::new(&source).map_err(|e| e.to_string().replace('\n', " "))?;
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CAPACITY {
            cache.clear();
        }
        cache.insert(source, re.clone());
    });
    Ok(re)
}

fn invalid(pattern: &str, err: String) -> String {
    format!("invalid pattern ({pattern}) in substitution: {err}")
}

/// `${a#p}` / `${a##p}`: remove the shortest (longest) matching prefix.
pub(crate) fn trim_prefix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let re = shell_pattern_to_regex(pattern, greedy, true).map_err(|e| invalid(pattern, e))?;
    Ok(match re.find(value) {
        Some(m) => value[m.end()..].to_owned(),
        None => value.to_owned(),
    })
}

/// `${a%p}` / `${a%%p}`: remove the shortest (longest) matching suffix.
/// A regular expression cannot ask for the shortest rightmost match, so like
/// BuildKit this reverses the pattern and the value and trims a prefix.
pub(crate) fn trim_suffix(pattern: &str, value: &str, greedy: bool) -> Result<String, String> {
    let pattern = reverse_pattern(pattern);
    let value: String = value.chars().rev().collect();
    let trimmed = trim_prefix(&pattern, &value, greedy)?;
    Ok(trimmed.chars().rev().collect())
}

/// Reverses a pattern by characters, keeping each `\x` pair in order.
pub(crate) fn reverse_pattern(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let Some(last) = chars.len().checked_sub(1) else {
        return String::new();
    };
    let mut out = vec!['\0'; chars.len()];
    let mut i = 0;
    while i <= last {
        let tok = chars[i];
        let at = last - i;
        if tok == '\\' && i != last {
            out[at - 1] = tok;
            out[at] = chars[i + 1];
            i += 2;
        } else {
            out[at] = tok;
            i += 1;
        }
    }
    out.into_iter().collect()
}

/// `${a/p/r}`: the first match replaced by `r`, taken literally.
pub(crate) fn replace_first(re: &Regex, value: &str, replacement: &str) -> String {
    match re.find(value) {
        Some(m) => [&value[..m.start()], replacement, &value[m.end()..]].concat(),
        None => value.to_owned(),
    }
}

/// `${a//p/r}`: Go's `Regexp.ReplaceAllString`, including how it steps over
/// empty matches and that it expands `$0`/`${0}` (the match) and `$$` in the
/// replacement, other `$name`s becoming empty.
///
/// `None` when the result would be longer than `limit`: every match can
/// paste the whole replacement, so nested `${a//p/${a//p/…}}` multiply a
/// word's length at each level.
pub(crate) fn replace_all(
    re: &Regex,
    src: &str,
    replacement: &str,
    limit: usize,
) -> Option<String> {
    let mut buf = String::with_capacity(src.len().min(limit));
    let mut last_match_end = 0;
    let mut search_pos = 0;
    while search_pos <= src.len() {
        let Some(m) = re.find_at(src, search_pos) else {
            break;
        };
        buf.push_str(&src[last_match_end..m.start()]);
        // No replacement for an empty match right after another match.
        if (m.end() > last_match_end || m.start() == 0)
            && !expand_template(&mut buf, replacement, m.as_str(), limit)
        {
            return None;
        }
        last_match_end = m.end();
        let width = src[search_pos..].chars().next().map_or(0, char::len_utf8);
        if search_pos + width > m.end() {
            search_pos += width;
        } else if search_pos + 1 > m.end() {
            search_pos += 1;
        } else {
            search_pos = m.end();
        }
    }
    buf.push_str(&src[last_match_end..]);
    (buf.len() <= limit).then_some(buf)
}

/// Go's `Regexp.expand` for a regexp without groups: only group 0 exists.
/// False, with `dst` left part-way, as soon as `dst` is longer than `limit`
/// (each `$0` pastes the whole match).
fn expand_template(dst: &mut String, template: &str, matched: &str, limit: usize) -> bool {
    let mut t = template;
    while let Some(i) = t.find('$') {
        dst.push_str(&t[..i]);
        t = &t[i + 1..];
        if let Some(rest) = t.strip_prefix('$') {
            dst.push('$');
            t = rest;
            continue;
        }
        match extract_name(t) {
            None => dst.push('$'),
            Some((name, rest)) => {
                t = rest;
                if name == "0" {
                    dst.push_str(matched);
                }
            }
        }
        if dst.len() > limit {
            return false;
        }
    }
    dst.push_str(t);
    dst.len() <= limit
}

/// Go's `extract`: a leading `name` or `{name}` of letters, digits and `_`.
fn extract_name(s: &str) -> Option<(&str, &str)> {
    let (brace, s) = match s.strip_prefix('{') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let len = s
        .char_indices()
        .find(|&(_, c)| !(is_letter(c) || is_digit(c) || c == '_'))
        .map_or(s.len(), |(i, _)| i);
    if len == 0 {
        return None;
    }
    let (name, mut rest) = s.split_at(len);
    if brace {
        rest = rest.strip_prefix('}')?;
    }
    Some((name, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_like_buildkit() {
        // TestConvertShellPatternToRegex
        let cases = [
            ("*", "^.*"),
            ("?", "^."),
            ("\\*", "^\\*"),
            (
                "(()[]{\\}^$.\\*\\?|\\\\",
                "^\\(\\(\\)\\[\\]\\{\\}\\^\\$\\.\\*\\?\\|\\\\",
            ),
        ];
        for (pattern, expected) in cases {
            let re = shell_pattern_to_regex(pattern, true, true).unwrap();
            assert_eq!(re.as_str(), expected, "{pattern}");
        }
        for pattern in ["\\", "\\x", "\\\\\\"] {
            assert!(
                shell_pattern_to_regex(pattern, true, true).is_err(),
                "{pattern}"
            );
        }
        assert_eq!(
            shell_pattern_to_regex("a*/\\/", false, false)
                .unwrap()
                .as_str(),
            "a.*?//"
        );
    }

    #[test]
    fn reverses_patterns_like_buildkit() {
        // TestReversePattern
        let cases = [
            ("a\\*c", "c\\*a"),
            ("\\\\\\ab", "b\\a\\\\"),
            ("ab\\", "\\ba"),
            ("👽\\🚀🖖", "🖖\\🚀👽"),
            ("\\\\b", "b\\\\"),
            ("", ""),
        ];
        for (pattern, expected) in cases {
            assert_eq!(reverse_pattern(pattern), expected, "{pattern}");
        }
    }

    #[test]
    fn replace_all_follows_go() {
        let re = |p: &str| shell_pattern_to_regex(p, true, false).unwrap();
        let all = |p: &str, src: &str, r: &str| replace_all(&re(p), src, r, usize::MAX).unwrap();
        assert_eq!(all("", "ab", "-"), "-a-b-");
        assert_eq!(all("*", "abc", "-"), "-");
        assert_eq!(all("x*", "abxc", "-"), "ab-");
        assert_eq!(all("b", "abcb", "[$0]"), "a[b]c[b]");
        assert_eq!(all("b", "ab", "${0}$$$1$x${0"), "ab$${0");
        assert_eq!(all("b", "ab", "$.$"), "a$.$");
        assert_eq!(all("b", "ab", "$00"), "a");
        assert_eq!(all("한", "한국", "$0$0"), "한한국");
    }

    #[test]
    fn replace_all_stops_past_the_limit() {
        let re = shell_pattern_to_regex("?", true, false).unwrap();
        assert_eq!(replace_all(&re, "abc", "xy", 6).as_deref(), Some("xyxyxy"));
        assert_eq!(replace_all(&re, "abc", "xy", 5), None);
        // One `$0` too many is caught inside a single replacement.
        let re = shell_pattern_to_regex("*", true, false).unwrap();
        assert_eq!(replace_all(&re, "abc", "$0$0", 5), None);
    }
}
