//! Go's `path/filepath` behaviour on Unix, as Docker relies on it:
//! `Clean` (for `.dockerignore` lines and COPY sources) and `Match` (COPY
//! wildcards, and the syntax check every `.dockerignore` pattern must pass).

/// A pattern that Go's `filepath.Match` rejects (`ErrBadPattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BadPattern;

/// `filepath.Clean`: the shortest path naming the same file, purely
/// lexically (`./a/../b` → `b`, `a//b/` → `a/b`, `` → `.`, `/..` → `/`).
pub fn clean(path: &str) -> String {
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => match parts.last() {
                Some(&last) if last != ".." => {
                    parts.pop();
                }
                // `..` above the root is the root.
                _ if rooted => {}
                _ => parts.push(".."),
            },
            _ => parts.push(part),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// `filepath.Dir` of a cleaned, slash-separated path: `a/b` → `a`, `a` → `.`.
pub fn dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => ".",
    }
}

/// Whether a path component holds a wildcard (`*`, `?`, `[`), skipping
/// backslash-escaped characters, as BuildKit's copy decides it.
pub fn contains_wildcards(name: &str) -> bool {
    let mut bytes = name.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'\\' => {
                bytes.next();
            }
            b'*' | b'?' | b'[' => return true,
            _ => {}
        }
    }
    false
}

/// Go's `filepath.Match` on Unix: `*` is any run of non-`/` characters,
/// `?` one non-`/` character, `[a-z]`/`[^a-z]` a class (only `^`
/// negates: `[!x]` is the set of `!` and `x`), `\` escapes. The name must
/// match as a whole. A malformed pattern is an error even when an earlier
/// part already failed to match.
pub fn glob_match(pattern: &str, name: &str) -> Result<bool, BadPattern> {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    glob_match_chars(&pattern, &name)
}

/// Whether `filepath.Match` accepts the pattern at all.
pub fn glob_is_valid(pattern: &str) -> bool {
    glob_match(pattern, ".").is_ok()
}

fn glob_match_chars(mut pattern: &[char], mut name: &[char]) -> Result<bool, BadPattern> {
    'chunks: while !pattern.is_empty() {
        let (star, chunk, rest) = scan_chunk(pattern);
        pattern = rest;
        if star && chunk.is_empty() {
            // A trailing star takes the rest of the name, but not a `/`.
            return Ok(!name.contains(&'/'));
        }
        let here = match_chunk(chunk, name);
        if let Ok(Some(left)) = here
            && (left.is_empty() || !pattern.is_empty())
        {
            name = left;
            continue;
        }
        here?;
        if star {
            // The star takes one more character each round, never a `/`.
            let mut skip = 0;
            while skip < name.len() && name[skip] != '/' {
                skip += 1;
                match match_chunk(chunk, &name[skip..])? {
                    Some(left) if pattern.is_empty() && !left.is_empty() => continue,
                    Some(left) => {
                        name = left;
                        continue 'chunks;
                    }
                    None => {}
                }
            }
        }
        // No match: the rest of the pattern must still be well formed.
        while !pattern.is_empty() {
            let (_, chunk, rest) = scan_chunk(pattern);
            pattern = rest;
            match_chunk(chunk, &[])?;
        }
        return Ok(false);
    }
    Ok(name.is_empty())
}

/// Split off leading stars and the literal run (classes included) that
/// follows them, up to the next star outside a class.
fn scan_chunk(pattern: &[char]) -> (bool, &[char], &[char]) {
    let stars = pattern.iter().take_while(|&&c| c == '*').count();
    let pattern = &pattern[stars..];
    let mut in_class = false;
    let mut i = 0;
    while i < pattern.len() {
        match pattern[i] {
            '\\' if i + 1 < pattern.len() => i += 1,
            '[' => in_class = true,
            ']' => in_class = false,
            '*' if !in_class => break,
            _ => {}
        }
        i += 1;
    }
    (stars > 0, &pattern[..i], &pattern[i..])
}

/// Match a chunk (no stars outside classes) at the start of `name`; the
/// unmatched remainder, `None` on mismatch, an error on bad syntax. After a
/// mismatch the chunk is still parsed to the end to find syntax errors.
fn match_chunk<'n>(
    mut chunk: &[char],
    mut name: &'n [char],
) -> Result<Option<&'n [char]>, BadPattern> {
    let mut failed = false;
    while let Some(&c) = chunk.first() {
        if !failed && name.is_empty() {
            failed = true;
        }
        match c {
            '[' => {
                let ch = if failed {
                    None
                } else {
                    let ch = name[0];
                    name = &name[1..];
                    Some(ch)
                };
                chunk = &chunk[1..];
                let negated = chunk.first() == Some(&'^');
                if negated {
                    chunk = &chunk[1..];
                }
                let mut matched = false;
                let mut ranges = 0;
                loop {
                    if chunk.first() == Some(&']') && ranges > 0 {
                        chunk = &chunk[1..];
                        break;
                    }
                    let (lo, rest) = class_char(chunk)?;
                    chunk = rest;
                    let mut hi = lo;
                    if chunk.first() == Some(&'-') {
                        let (h, rest) = class_char(&chunk[1..])?;
                        hi = h;
                        chunk = rest;
                    }
                    if ch.is_some_and(|ch| lo <= ch && ch <= hi) {
                        matched = true;
                    }
                    ranges += 1;
                }
                if matched == negated {
                    failed = true;
                }
            }
            '?' => {
                if !failed {
                    if name[0] == '/' {
                        failed = true;
                    }
                    name = &name[1..];
                }
                chunk = &chunk[1..];
            }
            _ => {
                let literal = if c == '\\' {
                    chunk = &chunk[1..];
                    *chunk.first().ok_or(BadPattern)?
                } else {
                    c
                };
                if !failed {
                    if name[0] != literal {
                        failed = true;
                    }
                    name = &name[1..];
                }
                chunk = &chunk[1..];
            }
        }
    }
    Ok(if failed { None } else { Some(name) })
}

/// One character of a class, backslash escapes processed. A class char
/// may not be `-` or `]` unescaped, and the class must go on after it.
fn class_char(chunk: &[char]) -> Result<(char, &[char]), BadPattern> {
    let mut chunk = chunk;
    match chunk.first() {
        None | Some('-') | Some(']') => return Err(BadPattern),
        Some('\\') => chunk = &chunk[1..],
        _ => {}
    }
    let (&c, rest) = chunk.split_first().ok_or(BadPattern)?;
    if rest.is_empty() {
        return Err(BadPattern);
    }
    Ok((c, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_matches_go() {
        for (input, want) in [
            ("", "."),
            (".", "."),
            ("./a/../b", "b"),
            ("a//b/", "a/b"),
            ("/..", "/"),
            ("/../a", "/a"),
            ("../a", "../a"),
            ("a/../..", ".."),
            ("a/./b/.", "a/b"),
            ("//a", "/a"),
            ("!.", "!."),
            ("abc/def/../../..", ".."),
        ] {
            assert_eq!(clean(input), want, "clean({input:?})");
        }
    }

    #[test]
    fn dir_of() {
        assert_eq!(dir("a/b/c"), "a/b");
        assert_eq!(dir("a"), ".");
        assert_eq!(dir("/a"), "/");
    }

    #[test]
    fn wildcards() {
        assert!(contains_wildcards("*.txt"));
        assert!(contains_wildcards("a[bc]"));
        assert!(contains_wildcards("a?"));
        assert!(!contains_wildcards(r"a\*b"));
        assert!(!contains_wildcards("plain"));
    }

    // Go's own table for filepath.Match (the cases hold on Unix).
    #[test]
    fn glob_match_table() {
        let ok = |p: &str, n: &str, want: bool| {
            assert_eq!(glob_match(p, n), Ok(want), "match({p:?}, {n:?})");
        };
        let bad = |p: &str, n: &str| {
            assert_eq!(glob_match(p, n), Err(BadPattern), "match({p:?}, {n:?})");
        };
        ok("abc", "abc", true);
        ok("*", "abc", true);
        ok("*c", "abc", true);
        ok("a*", "a", true);
        ok("a*", "abc", true);
        ok("a*", "ab/c", false);
        ok("a*/b", "abc/b", true);
        ok("a*/b", "a/c/b", false);
        ok("a*b*c*d*e*/f", "axbxcxdxe/f", true);
        ok("a*b*c*d*e*/f", "axbxcxdxexxx/f", true);
        ok("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false);
        ok("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false);
        ok("a*b?c*x", "abxbbxdbxebxczzx", true);
        ok("a*b?c*x", "abxbbxdbxebxczzy", false);
        ok("ab[c]", "abc", true);
        ok("ab[b-d]", "abc", true);
        ok("ab[e-g]", "abc", false);
        ok("ab[^c]", "abc", false);
        ok("ab[^b-d]", "abc", false);
        ok("ab[^e-g]", "abc", true);
        ok("a\\*b", "a*b", true);
        ok("a\\*b", "ab", false);
        ok("a?b", "a☺b", true);
        ok("a[^a]b", "a☺b", true);
        ok("a???b", "a☺b", false);
        ok("[a-ζ]*", "α", true);
        ok("*[a-ζ]", "A", false);
        ok("a?b", "a/b", false);
        ok("a*b", "a/b", false);
        ok("[\\]a]", "]", true);
        ok("[\\-]", "-", true);
        ok("[x\\-]", "-", true);
        ok("[x\\-]", "z", false);
        ok("[!x]", "!", true);
        ok("[!x]", "y", false);
        ok("*x", "xxx", true);
        bad("[]a]", "]");
        bad("[-]", "-");
        bad("[x-]", "x");
        bad("[-x]", "x");
        bad("\\", "a");
        bad("[a-b-c]", "a");
        bad("[", "a");
        bad("[^", "a");
        bad("[^bc", "a");
        bad("a[", "a");
        bad("a[", "ab");
        bad("*[", "x");
        // The rest of the pattern is checked after a mismatch.
        bad("x*[", "abc");
    }
}
