//! A fast secret scanner for container build inputs and image layers.
//!
//! Scanning is two steps. An Aho–Corasick automaton over every rule's
//! keywords (`ghp_`, `AKIA`, `PRIVATE KEY`, `password` …) reads the input
//! once and says which rules can match at all; only those rules run their
//! regular expression (`regex::bytes`, so any bytes work, UTF-8 or not).
//! A rule then picks the secret out of its match and drops stand-ins:
//! documentation examples (`AKIAIOSFODNN7EXAMPLE`), placeholders
//! (`changeme`, `${TOKEN}`, `<password>`, `xxxx`), and, for the generic
//! `name = value` rule, values not random enough to be credentials.
//!
//! ```
//! use plimsoll_secrets::Scanner;
//!
//! let text = b"ENV GITHUB_TOKEN=ghp_R2d5kq8Vw1ZpLm3Nx7Tb9Yc4Hs6Jf0Ga2Qe5\n";
//! let found = Scanner::global().scan(text, Some("Dockerfile"));
//! assert_eq!(found[0].rule.id, "github-token");
//! assert_eq!(&text[found[0].secret.clone()], b"ghp_R2d5kq8Vw1ZpLm3Nx7Tb9Yc4Hs6Jf0Ga2Qe5");
//! ```
//!
//! Large inputs go through [`StreamScanner`], which scans windows with an
//! overlap so memory stays bounded whatever the input's size.
//!
//! Decisions worth knowing:
//! - AWS's documentation keys (`AKIAIOSFODNN7EXAMPLE`,
//!   `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`) and every token with
//!   `EXAMPLE` in it are stand-ins, not findings: they are published and
//!   grant nothing, and they fill documentation and SDK sources.
//! - jwt.io's sample token and Azurite's published development key are
//!   stand-ins too.
//! - The generic rule is [`Confidence::Medium`]; callers scanning third-party
//!   code (an image's `/usr/lib`) can leave it out with
//!   [`ScanOptions::high_confidence`].

mod files;
mod names;
mod rules;
mod text;

pub use files::{
    BINARY_SNIFF_LEN, CredentialFile, CredentialKind, credential_dir, credential_file,
    has_binary_extension, is_probably_binary,
};
pub use names::is_secret_name;
pub use rules::{Confidence, SecretRule};
pub use text::{is_placeholder, shannon_entropy};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::Regex;
use rules::{Case, Ctx, DEFS};
use std::ops::Range;
use std::sync::OnceLock;

/// One secret found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub rule: &'static SecretRule,
    /// The bytes the rule matched (`GITHUB_TOKEN=ghp_…`, a whole PEM block).
    pub range: Range<usize>,
    /// The secret itself, inside `range`: what a report must mask.
    pub secret: Range<usize>,
    /// The name the secret is assigned to, when the rule knows it
    /// (`DB_PASSWORD` in `DB_PASSWORD=…`, the user in `https://user:…@`).
    pub name: Option<Range<usize>>,
    /// The 1-based line where `range` starts.
    pub line: usize,
}

/// Which rules run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// Also run the [`Confidence::Medium`] rules (generic assignments,
    /// passwords in URLs).
    pub medium: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions { medium: true }
    }
}

impl ScanOptions {
    /// Only token formats and key blocks.
    pub const fn high_confidence() -> Self {
        ScanOptions { medium: false }
    }
}

/// Every rule the scanner has, most specific first.
pub fn rules() -> impl Iterator<Item = &'static SecretRule> {
    DEFS.iter().map(|d| &d.rule)
}

/// The compiled rules. Build once ([`Scanner::global`]) and share: it is
/// `Sync` and scanning takes `&self`.
#[derive(Debug)]
pub struct Scanner {
    prefilter: AhoCorasick,
    /// For each prefilter pattern, the rules it wakes.
    wakes: Vec<Vec<usize>>,
    regexes: Vec<Regex>,
}

/// Program sources, where `name = word` is code rather than a literal.
const CODE_EXTENSIONS: &[&str] = &[
    "py", "pyi", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "rb", "java", "kt", "kts", "scala",
    "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "rs", "php", "cs", "swift", "pl", "pm", "lua",
    "groovy", "dart", "m", "ex", "exs", "erl", "hs", "ml", "r", "jl", "vue", "svelte", "el",
    "lisp", "scm", "tcl",
];

fn file_name(path: Option<&str>) -> &str {
    path.map_or("", |p| p.rsplit(['/', '\\']).next().unwrap_or(p))
}

fn is_code(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && CODE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
    })
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::new()
    }
}

impl Scanner {
    /// Compile every rule. The patterns are fixed and tested, so this
    /// cannot fail on any input.
    pub fn new() -> Scanner {
        // Keywords, with case variants for rules that match any case, and
        // without duplicates: each pattern wakes every rule that has it.
        let mut keywords: Vec<String> = Vec::new();
        let mut wakes: Vec<Vec<usize>> = Vec::new();
        for (i, def) in DEFS.iter().enumerate() {
            for kw in def.keywords {
                let mut variants = vec![kw.to_string()];
                if def.case == Case::Any {
                    variants.push(kw.to_ascii_lowercase());
                    variants.push(kw.to_ascii_uppercase());
                    let mut cap = kw.to_ascii_lowercase();
                    if let Some(first) = cap.get_mut(0..1) {
                        first.make_ascii_uppercase();
                    }
                    variants.push(cap);
                }
                for v in variants {
                    match keywords.iter().position(|k| *k == v) {
                        Some(p) => {
                            if !wakes[p].contains(&i) {
                                wakes[p].push(i);
                            }
                        }
                        None => {
                            keywords.push(v);
                            wakes.push(vec![i]);
                        }
                    }
                }
            }
        }
        // A DFA: about twice the speed of the default (contiguous NFA)
        // on this many keywords, for a few hundred KB of memory.
        let prefilter = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(&keywords)
            .expect("the keyword set is small and fixed");
        let regexes = DEFS
            .iter()
            .map(|d| {
                regex::bytes::RegexBuilder::new(&format!("(?-u){}", d.pattern))
                    .size_limit(16 << 20)
                    .build()
                    .unwrap_or_else(|e| panic!("rule {}: {e}", d.rule.id))
            })
            .collect();
        Scanner {
            prefilter,
            wakes,
            regexes,
        }
    }

    /// The scanner every caller shares, compiled on first use.
    pub fn global() -> &'static Scanner {
        static SCANNER: OnceLock<Scanner> = OnceLock::new();
        SCANNER.get_or_init(Scanner::new)
    }

    /// Every secret in `data`, with every rule. `path` (a file path or
    /// name, for rules that depend on the kind of file: `.npmrc`,
    /// `.pypirc`, program sources) may be `None`.
    pub fn scan(&self, data: &[u8], path: Option<&str>) -> Vec<Match> {
        self.scan_with(data, path, ScanOptions::default())
    }

    /// Every secret in `data`, ordered by position; where two rules match
    /// the same bytes, the more specific one is kept.
    pub fn scan_with(&self, data: &[u8], path: Option<&str>, options: ScanOptions) -> Vec<Match> {
        let mut out = self.scan_raw(data, path, options);
        let mut line = 1;
        let mut at = 0;
        for m in &mut out {
            line += memchr::memchr_iter(b'\n', &data[at..m.range.start]).count();
            at = m.range.start;
            m.line = line;
        }
        out
    }

    /// Matches without line numbers, ordered by start.
    fn scan_raw(&self, data: &[u8], path: Option<&str>, options: ScanOptions) -> Vec<Match> {
        let enabled = |i: usize| options.medium || DEFS[i].rule.confidence == Confidence::High;
        // For each rule, the windows around its keywords' hits where a
        // match can be, merged where they touch.
        let mut windows: Vec<Vec<Range<usize>>> = vec![Vec::new(); DEFS.len()];
        let mut any = false;
        for m in self.prefilter.find_overlapping_iter(data) {
            for &r in &self.wakes[m.pattern().as_usize()] {
                if !enabled(r) {
                    continue;
                }
                any = true;
                let def = &DEFS[r];
                let w = m.start().saturating_sub(def.back)..(m.end() + def.ahead).min(data.len());
                let list = &mut windows[r];
                match list.last_mut() {
                    Some(last) if w.start <= last.end => {
                        last.start = last.start.min(w.start);
                        last.end = last.end.max(w.end);
                    }
                    _ => list.push(w),
                }
            }
        }
        if !any {
            return Vec::new();
        }
        let name = file_name(path);
        let cx = Ctx {
            hay: data,
            file_name: name,
            code: is_code(name),
        };
        let mut out: Vec<Match> = Vec::new();
        for (i, def) in DEFS.iter().enumerate() {
            let re = &self.regexes[i];
            let mut pos = 0;
            for w in &windows[i] {
                // The search sees the bytes before the window (for `\b`
                // and `^`), and nothing after it.
                let hay = &data[..w.end];
                pos = pos.max(w.start);
                while pos <= hay.len() {
                    let Some(caps) = re.captures_at(hay, pos) else {
                        break;
                    };
                    let Some(whole) = caps.get(0) else {
                        break;
                    };
                    pos = if whole.end() > whole.start() {
                        whole.end()
                    } else {
                        whole.end() + 1
                    };
                    let Some(found) = (def.finish)(&cx, &caps) else {
                        continue;
                    };
                    let overlaps = out.iter().any(|m| {
                        m.secret.start < found.secret.end && found.secret.start < m.secret.end
                    });
                    if overlaps || found.secret.is_empty() {
                        continue;
                    }
                    out.push(Match {
                        rule: &def.rule,
                        range: found.range,
                        secret: found.secret,
                        name: found.name,
                        line: 0,
                    });
                }
            }
        }
        out.sort_by_key(|m| (m.range.start, m.range.end));
        out
    }

    /// A scanner for one input read in pieces.
    pub fn stream<'s>(&'s self, path: Option<&str>, options: ScanOptions) -> StreamScanner<'s> {
        StreamScanner::new(self, path, options)
    }
}

/// Scans an input of any size in pieces, holding at most about
/// [`StreamScanner::WINDOW`] + [`StreamScanner::OVERLAP`] bytes plus one
/// piece. Each window is scanned with the last `OVERLAP` bytes of the one
/// before, so a secret that straddles two pieces is still found whole (up
/// to `OVERLAP` bytes long, which covers an 8192-bit RSA key).
///
/// Offsets and lines in the matches are from the start of the input.
#[derive(Debug)]
pub struct StreamScanner<'s> {
    scanner: &'s Scanner,
    options: ScanOptions,
    path: Option<String>,
    buf: Vec<u8>,
    /// Input offset of `buf[0]`.
    base: usize,
    /// Lines before `buf[0]`.
    lines_before: usize,
    /// Matches must end after this to be new (they overlap an earlier
    /// window's match otherwise).
    reported_to: usize,
    matches: Vec<Match>,
}

impl<'s> StreamScanner<'s> {
    /// Bytes scanned at once.
    pub const WINDOW: usize = 1 << 20;
    /// Bytes each window shares with the next.
    pub const OVERLAP: usize = 16 << 10;

    pub fn new(scanner: &'s Scanner, path: Option<&str>, options: ScanOptions) -> Self {
        StreamScanner {
            scanner,
            options,
            path: path.map(str::to_string),
            buf: Vec::new(),
            base: 0,
            lines_before: 0,
            reported_to: 0,
            matches: Vec::new(),
        }
    }

    /// Start over on a new input, keeping the buffer's memory.
    pub fn reset(&mut self, path: Option<&str>) {
        self.path = path.map(str::to_string);
        self.buf.clear();
        self.base = 0;
        self.lines_before = 0;
        self.reported_to = 0;
        self.matches.clear();
    }

    /// Bytes seen so far.
    pub fn position(&self) -> usize {
        self.base + self.buf.len()
    }

    /// The next piece of the input.
    pub fn push(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            let room = (Self::WINDOW + Self::OVERLAP).saturating_sub(self.buf.len());
            let take = room.min(data.len());
            self.buf.extend_from_slice(&data[..take]);
            data = &data[take..];
            if self.buf.len() >= Self::WINDOW + Self::OVERLAP {
                self.scan_window(false);
            }
        }
    }

    /// The input is complete: every match, ordered by position.
    pub fn finish(&mut self) -> Vec<Match> {
        self.scan_window(true);
        self.buf.clear();
        std::mem::take(&mut self.matches)
    }

    fn scan_window(&mut self, last: bool) {
        if self.buf.is_empty() {
            return;
        }
        let cut = if last {
            self.buf.len()
        } else {
            self.buf.len() - Self::OVERLAP
        };
        let found = self
            .scanner
            .scan_raw(&self.buf, self.path.as_deref(), self.options);
        let mut line = self.lines_before + 1;
        let mut at = 0;
        // What earlier windows reported; matches of this window may nest
        // in each other's ranges (a token inside a JSON key file).
        let earlier = self.reported_to;
        for mut m in found {
            // Starts in the overlap: the next window sees it whole.
            if m.range.start >= cut {
                break;
            }
            let abs = |r: Range<usize>, base: usize| r.start + base..r.end + base;
            // Overlaps what an earlier window reported.
            if m.secret.start + self.base < earlier {
                continue;
            }
            line += memchr::memchr_iter(b'\n', &self.buf[at..m.range.start]).count();
            at = m.range.start;
            m.line = line;
            m.range = abs(m.range, self.base);
            m.secret = abs(m.secret, self.base);
            m.name = m.name.map(|n| abs(n, self.base));
            self.reported_to = self.reported_to.max(m.secret.end);
            self.matches.push(m);
        }
        if !last {
            self.lines_before += memchr::memchr_iter(b'\n', &self.buf[..cut]).count();
            self.buf.drain(..cut);
            self.base += cut;
        }
    }
}

#[cfg(test)]
mod tests;
