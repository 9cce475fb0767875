//! `.dockerignore` with Docker's exact semantics.
//!
//! Reading follows BuildKit's `ReadAll` (moby/patternmatcher `ignorefile`):
//! a UTF-8 BOM is dropped, a line whose first byte is `#` is a comment
//! (an indented `#` is a pattern), lines are trimmed, a leading `!` makes
//! an exception, the rest is `filepath.Clean`ed and one leading `/` is
//! dropped. Each pattern must pass Go's `filepath.Match` syntax check.
//!
//! Matching follows moby/patternmatcher: a pattern becomes an exact,
//! prefix (`dir/**`), suffix (`**/name`) or regular-expression match on the
//! whole slash-separated path; `*` and `?` stay within one component, `**`
//! crosses any number, `[…]` is a Go class (`[^x]` negates, `[!x]` is the
//! set of `!` and `x`), `\` escapes. The last pattern that matches decides,
//! and a pattern matching a directory covers everything below it.
//! [`IgnoreFile::matches`] answers the question the way BuildKit's context
//! transfer does (tonistiigi/fsutil walking with
//! `MatchesUsingParentResults`); [`IgnoreFile::matches_or_parent_matches`]
//! is patternmatcher's function of that name, which BuildKit's
//! `CopyIgnoredFile` check uses.

use crate::gopath::{clean, glob_is_valid};
use crate::goregex;
use plimsoll_diagnostics::Span;
use std::io;
use std::path::{Path, PathBuf};

/// A parsed `.dockerignore` (or `--exclude` list).
#[derive(Debug, Clone, Default)]
pub struct IgnoreFile {
    patterns: Vec<IgnorePattern>,
    errors: Vec<PatternError>,
    has_exceptions: bool,
    /// No exception pattern holds a wildcard (after dropping a trailing
    /// `/**` or `/*`): then an excluded directory can be skipped unless an
    /// exception names a path below it (fsutil's walk optimisation).
    only_prefix_exceptions: bool,
}

/// One valid pattern.
#[derive(Debug, Clone)]
pub struct IgnorePattern {
    /// The pattern as Docker compares it: cleaned, without `!`.
    pub pattern: String,
    /// `!pattern`: re-includes what earlier patterns excluded.
    pub exception: bool,
    /// 1-based line in the ignore file (0 for a pattern given in code).
    pub line: usize,
    /// The trimmed line in the ignore file's text.
    pub span: Span,
    matcher: Matcher,
}

/// A line Docker rejects: the build fails with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    pub line: usize,
    pub span: Span,
    /// The line as written (trimmed).
    pub text: String,
    pub message: String,
}

#[derive(Debug, Clone)]
enum Matcher {
    Exact(String),
    Prefix(String),
    /// `**` then a literal: the path ends with it, or equals it without
    /// its leading `/`.
    Suffix(String),
    Regex(regex::Regex),
}

impl IgnorePattern {
    fn is_match(&self, path: &str) -> bool {
        match &self.matcher {
            Matcher::Exact(p) => path == p,
            Matcher::Prefix(p) => path.starts_with(p.as_str()),
            Matcher::Suffix(s) => {
                path.ends_with(s.as_str()) || s.strip_prefix('/').is_some_and(|bare| path == bare)
            }
            Matcher::Regex(re) => re.is_match(path),
        }
    }
}

/// Per-pattern results for a directory, handed down to its children as
/// fsutil does (`MatchInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchInfo {
    parent_matched: Vec<bool>,
}

impl IgnoreFile {
    /// Parse an ignore file's text as BuildKit reads `.dockerignore`.
    pub fn parse(text: &str) -> IgnoreFile {
        let mut builder = Builder::default();
        let mut offset = 0;
        for (index, raw_line) in text.split_inclusive('\n').enumerate() {
            let line_start = offset;
            offset += raw_line.len();
            let mut line = raw_line.strip_suffix('\n').unwrap_or(raw_line);
            line = line.strip_suffix('\r').unwrap_or(line);
            let mut start = line_start;
            if index == 0
                && let Some(rest) = line.strip_prefix('\u{feff}')
            {
                line = rest;
                start += '\u{feff}'.len_utf8();
            }
            if line.starts_with('#') {
                continue;
            }
            let trimmed = line.trim();
            if trimmed.is_empty() {
                continue;
            }
            let lead = line.len() - line.trim_start().len();
            let span = Span::new(start + lead, start + lead + trimmed.len());
            let (exception, body) = match trimmed.strip_prefix('!') {
                Some(rest) => (true, rest.trim()),
                None => (false, trimmed),
            };
            let mut body = if body.is_empty() {
                String::new()
            } else {
                clean(body)
            };
            if body.len() > 1 && body.starts_with('/') {
                body.remove(0);
            }
            let pattern = if exception { format!("!{body}") } else { body };
            builder.add(&pattern, index + 1, span, trimmed);
        }
        builder.finish()
    }

    /// Patterns given directly (BuildKit's `--exclude` values): trimmed and
    /// cleaned as patternmatcher does, without `.dockerignore`'s comment or
    /// leading-`/` handling.
    pub fn from_patterns<S: AsRef<str>>(patterns: &[S]) -> IgnoreFile {
        let mut builder = Builder::default();
        for p in patterns {
            let p = p.as_ref();
            builder.add(p, 0, Span::default(), p.trim());
        }
        builder.finish()
    }

    /// The ignore file BuildKit uses for a build: `<Dockerfile>.dockerignore`
    /// beside the Dockerfile (`build/api.Dockerfile.dockerignore`) when it
    /// exists, else `<context>/.dockerignore`; `None` when neither exists.
    pub fn for_dockerfile(
        context_dir: &Path,
        dockerfile_path: &Path,
    ) -> io::Result<Option<(PathBuf, IgnoreFile)>> {
        let mut candidates = Vec::with_capacity(2);
        if let Some(name) = dockerfile_path.file_name() {
            let mut specific = name.to_os_string();
            specific.push(".dockerignore");
            candidates.push(dockerfile_path.with_file_name(specific));
        }
        candidates.push(context_dir.join(".dockerignore"));
        for path in candidates {
            match std::fs::read(&path) {
                Ok(bytes) => {
                    let text = String::from_utf8_lossy(&bytes);
                    let ignore = IgnoreFile::parse(&text);
                    return Ok(Some((path, ignore)));
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        Ok(None)
    }

    pub fn patterns(&self) -> &[IgnorePattern] {
        &self.patterns
    }

    /// Lines Docker rejects (the build would fail).
    pub fn errors(&self) -> &[PatternError] {
        &self.errors
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether any `!` exception exists.
    pub fn has_exceptions(&self) -> bool {
        self.has_exceptions
    }

    /// Whether BuildKit leaves `path` (a file or directory, relative to
    /// the context, `/`-separated) out of the context it sends.
    ///
    /// This walks the path's ancestors the way the context transfer does:
    /// a pattern that matched a parent directory keeps matching below it,
    /// and an exception re-includes only what it matches itself (or below
    /// what it matches).
    pub fn matches(&self, path: &str) -> bool {
        let Some(path) = normalize(path) else {
            return false;
        };
        if self.patterns.is_empty() {
            return false;
        }
        let mut info: Option<MatchInfo> = None;
        for (i, _) in path.match_indices('/') {
            info = Some(self.match_path(&path[..i], info.as_ref()).1);
        }
        self.match_leaf(&path, info.as_ref())
    }

    /// patternmatcher's `MatchesOrParentMatches`: each pattern is tried on
    /// the path and on each of its parent directories independently. The
    /// path is only `filepath.Clean`ed, as BuildKit's CopyIgnoredFile
    /// check does.
    pub fn matches_or_parent_matches(&self, path: &str) -> bool {
        let path = clean(path);
        let mut matched = false;
        for p in &self.patterns {
            if p.exception != matched {
                continue;
            }
            if p.is_match(&path) || self.parent_matches(p, &path) {
                matched = !p.exception;
            }
        }
        matched
    }

    fn parent_matches(&self, p: &IgnorePattern, path: &str) -> bool {
        let parent = crate::gopath::dir(path);
        if parent == "." {
            return false;
        }
        let mut ends: Vec<usize> = parent.match_indices('/').map(|(i, _)| i).collect();
        ends.push(parent.len());
        ends.into_iter().any(|end| p.is_match(&parent[..end]))
    }

    /// patternmatcher's `MatchesUsingParentResults`: whether `path` is
    /// excluded given the results for its parent directory (`None` for a
    /// path at the top of the context, or when they are not known), and
    /// the results to hand to its children.
    pub fn match_path(&self, path: &str, parent: Option<&MatchInfo>) -> (bool, MatchInfo) {
        let mut out = Vec::with_capacity(self.patterns.len());
        let matched = self.match_into(path, parent, Some(&mut out));
        (
            matched,
            MatchInfo {
                parent_matched: out,
            },
        )
    }

    /// [`IgnoreFile::match_path`] for a path whose children don't matter
    /// (a file): no allocation.
    pub fn match_leaf(&self, path: &str, parent: Option<&MatchInfo>) -> bool {
        self.match_into(path, parent, None)
    }

    fn match_into(
        &self,
        path: &str,
        parent: Option<&MatchInfo>,
        mut out: Option<&mut Vec<bool>>,
    ) -> bool {
        let parent = parent
            .map(|p| p.parent_matched.as_slice())
            .filter(|p| p.len() == self.patterns.len());
        let mut matched = false;
        for (i, p) in self.patterns.iter().enumerate() {
            let mut m = parent.is_some_and(|pm| pm[i]);
            if !m {
                if p.exception != matched {
                    if let Some(out) = out.as_deref_mut() {
                        out.push(false);
                    }
                    continue;
                }
                m = p.is_match(path) || (parent.is_none() && self.parent_matches(p, path));
            }
            if let Some(out) = out.as_deref_mut() {
                out.push(m);
            }
            if m {
                matched = !p.exception;
            }
        }
        matched
    }

    /// For an excluded directory: whether the walk must still look inside
    /// because an exception may re-include something there. `false` means
    /// nothing below `dir` is sent (fsutil skips the directory).
    pub fn may_include_below(&self, dir: &str) -> bool {
        if !self.has_exceptions {
            return false;
        }
        if !self.only_prefix_exceptions {
            return true;
        }
        let dir_slash = format!("{dir}/");
        self.patterns
            .iter()
            .filter(|p| p.exception)
            .any(|p| format!("{}/", without_trailing_glob(&p.pattern)).starts_with(&dir_slash))
    }
}

/// A context-relative path as the matcher sees it: cleaned, no leading
/// `/` or `./`; `None` for the context root itself.
fn normalize(path: &str) -> Option<String> {
    let cleaned = clean(path);
    let cleaned = cleaned.trim_start_matches('/');
    (!cleaned.is_empty() && cleaned != ".").then(|| cleaned.to_string())
}

fn without_trailing_glob(p: &str) -> &str {
    let p = p.strip_suffix("/**").unwrap_or(p);
    p.strip_suffix("/*").unwrap_or(p)
}

#[derive(Default)]
struct Builder {
    file: IgnoreFile,
}

impl Builder {
    /// One pattern as patternmatcher's `New` takes it (`!` included).
    fn add(&mut self, pattern: &str, line: usize, span: Span, written: &str) {
        let p = pattern.trim();
        if p.is_empty() {
            return;
        }
        let p = clean(p);
        let (exception, body) = match p.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, p.as_str()),
        };
        let error = |message: &str| PatternError {
            line,
            span,
            text: written.to_string(),
            message: message.to_string(),
        };
        if exception && body.is_empty() {
            self.file
                .errors
                .push(error("illegal exclusion pattern: \"!\""));
            return;
        }
        if !glob_is_valid(body) {
            self.file.errors.push(error("syntax error in pattern"));
            return;
        }
        let Some(matcher) = compile(body) else {
            self.file.errors.push(error(
                "syntax error in pattern (not a valid regular expression for Docker)",
            ));
            return;
        };
        if exception {
            self.file.has_exceptions = true;
        }
        self.file.patterns.push(IgnorePattern {
            pattern: body.to_string(),
            exception,
            line,
            span,
            matcher,
        });
    }

    fn finish(mut self) -> IgnoreFile {
        const PATTERN_CHARS: &[char] = &['*', '[', ']', '?', '^', '\\'];
        self.file.only_prefix_exceptions = self
            .file
            .patterns
            .iter()
            .filter(|p| p.exception)
            .all(|p| !without_trailing_glob(&p.pattern).contains(PATTERN_CHARS));
        self.file
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Exact,
    Prefix,
    Suffix,
    Regex,
}

/// patternmatcher's compilation of one cleaned pattern.
fn compile(pattern: &str) -> Option<Matcher> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut re = String::from("^");
    let mut kind = Kind::Exact;
    let mut i = 0;
    let mut step = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '*' if chars.get(i) == Some(&'*') => {
                i += 1;
                if chars.get(i) == Some(&'/') {
                    i += 1;
                }
                if i == chars.len() {
                    // `**` at the end: everything below, like .gitignore.
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        re.push_str(".*");
                        kind = Kind::Regex;
                    }
                } else {
                    // Any number of components, none included.
                    re.push_str("(.*/)?");
                    kind = Kind::Regex;
                }
                if step == 0 {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                re.push_str("[^/]*");
                kind = Kind::Regex;
            }
            '?' => {
                re.push_str("[^/]");
                kind = Kind::Regex;
            }
            '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$' => {
                re.push('\\');
                re.push(c);
            }
            '\\' => match chars.get(i) {
                Some(&next) => {
                    re.push('\\');
                    re.push(next);
                    i += 1;
                    kind = Kind::Regex;
                }
                None => re.push('\\'),
            },
            '[' | ']' => {
                re.push(c);
                kind = Kind::Regex;
            }
            _ => re.push(c),
        }
        step += 1;
    }
    Some(match kind {
        Kind::Exact => Matcher::Exact(pattern.to_string()),
        Kind::Prefix => Matcher::Prefix(pattern.strip_suffix("**").unwrap_or(pattern).to_string()),
        Kind::Suffix => Matcher::Suffix(pattern.strip_prefix("**").unwrap_or(pattern).to_string()),
        Kind::Regex => {
            re.push('$');
            let rust = goregex::translate(&re)?;
            Matcher::Regex(regex::Regex::new(&rust).ok()?)
        }
    })
}

#[cfg(test)]
mod tests;
