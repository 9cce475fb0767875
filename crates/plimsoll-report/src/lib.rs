//! Reporters: turn [`Finding`]s into what a person or a tool reads.
//!
//! Every format is written by [`write_report`]; findings are printed in the
//! order given (callers sort them by file, line, column and code).
//!
//! | format        | for                                                     |
//! | ------------- | ------------------------------------------------------- |
//! | `tty`         | people: Ruff/rustc-style snippets and a summary         |
//! | `json`        | scripts: one object per finding, 1-based char columns   |
//! | `sarif`       | code scanning (GitHub, IDEs): SARIF 2.1.0               |
//! | `checkstyle`  | CI plugins that read hadolint's checkstyle output       |
//! | `codeclimate` | GitLab Code Quality (alias `gitlab`)                    |
//! | `junit`       | test-report viewers: one failing test case per finding  |
//! | `github`      | GitHub Actions annotations (workflow commands)          |

mod codeclimate;
mod github;
mod json;
mod position;
mod sarif;
mod tty;
mod xml;

use plimsoll_diagnostics::{RuleInfo, SourceFile, Span};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;
use std::io::{self, Write};
use std::str::FromStr;

pub use github::{escape_data as github_escape_data, escape_property as github_escape_property};
pub use position::{Region, region};
pub use xml::escape as xml_escape;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// Human-readable, with source snippets (`tty`, alias `text`).
    #[default]
    Tty,
    Json,
    Sarif,
    Checkstyle,
    /// GitLab Code Quality (`codeclimate`, alias `gitlab`).
    Codeclimate,
    Junit,
    Github,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Tty,
        Format::Json,
        Format::Sarif,
        Format::Checkstyle,
        Format::Codeclimate,
        Format::Junit,
        Format::Github,
    ];

    /// The canonical name, as accepted by [`FromStr`].
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Tty => "tty",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Checkstyle => "checkstyle",
            Format::Codeclimate => "codeclimate",
            Format::Junit => "junit",
            Format::Github => "github",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFormat(pub String);

impl fmt::Display for UnknownFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown format `{}` (expected tty, json, sarif, checkstyle, codeclimate, junit or github)",
            self.0
        )
    }
}
impl std::error::Error for UnknownFormat {}

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "tty" | "text" => Ok(Format::Tty),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            "checkstyle" => Ok(Format::Checkstyle),
            "codeclimate" | "gitlab" => Ok(Format::Codeclimate),
            "junit" => Ok(Format::Junit),
            "github" => Ok(Format::Github),
            _ => Err(UnknownFormat(s.to_string())),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportOptions {
    /// Use ANSI colors (only the `tty` format has any).
    pub color: bool,
    /// plimsoll's version, for SARIF's `tool.driver.version`.
    pub tool_version: &'static str,
}

/// Looks up the text of an input by the name findings use for it.
pub trait Sources {
    fn source(&self, file: &str) -> Option<&SourceFile>;
}

impl<S: BuildHasher> Sources for HashMap<String, SourceFile, S> {
    fn source(&self, file: &str) -> Option<&SourceFile> {
        self.get(file)
    }
}

impl Sources for BTreeMap<String, SourceFile> {
    fn source(&self, file: &str) -> Option<&SourceFile> {
        self.get(file)
    }
}

/// No sources: findings are reported without positions or snippets.
impl Sources for () {
    fn source(&self, _file: &str) -> Option<&SourceFile> {
        None
    }
}

/// A single input, found by its [`SourceFile::name`].
impl Sources for SourceFile {
    fn source(&self, file: &str) -> Option<&SourceFile> {
        (self.name == file).then_some(self)
    }
}

/// Looks up by [`SourceFile::name`].
impl Sources for Vec<SourceFile> {
    fn source(&self, file: &str) -> Option<&SourceFile> {
        self.iter().find(|s| s.name == file)
    }
}

/// Looks up by [`SourceFile::name`].
impl<const N: usize> Sources for [SourceFile; N] {
    fn source(&self, file: &str) -> Option<&SourceFile> {
        self.iter().find(|s| s.name == file)
    }
}

/// Writes `findings` to `out` in `format`.
pub fn write_report(
    out: &mut dyn Write,
    format: Format,
    findings: &[plimsoll_diagnostics::Finding],
    sources: &dyn Sources,
    rules: &dyn Fn(&str) -> Option<RuleInfo>,
    opts: &ReportOptions,
) -> io::Result<()> {
    let ctx = Context {
        findings,
        sources,
        rules,
        opts,
    };
    match format {
        Format::Tty => tty::write(out, &ctx),
        Format::Json => json::write(out, &ctx),
        Format::Sarif => sarif::write(out, &ctx),
        Format::Checkstyle => xml::write_checkstyle(out, &ctx),
        Format::Codeclimate => codeclimate::write(out, &ctx),
        Format::Junit => xml::write_junit(out, &ctx),
        Format::Github => github::write(out, &ctx),
    }
}

pub(crate) struct Context<'a> {
    pub findings: &'a [plimsoll_diagnostics::Finding],
    pub sources: &'a dyn Sources,
    pub rules: &'a dyn Fn(&str) -> Option<RuleInfo>,
    pub opts: &'a ReportOptions,
}

impl Context<'_> {
    pub fn source(&self, file: &str) -> Option<&SourceFile> {
        self.sources.source(file)
    }
}

/// True when the character at absolute bytes `at..at + len` overlaps a
/// secret span.
pub(crate) fn is_secret(at: usize, len: usize, spans: &[Span]) -> bool {
    spans
        .iter()
        .any(|s| s.start.min(s.end) < at + len && at < s.end.max(s.start))
}

/// Masks every character of `text` that overlaps one of `spans` with `*`
/// (one `*` per character, so columns stay put). `text` is a slice of a
/// source that starts at byte `base`; `spans` are byte ranges of that
/// source. Line endings are kept so the shape of the text survives.
pub fn redact(text: &str, spans: &[Span], base: usize) -> String {
    if spans.is_empty() {
        return text.to_string();
    }
    text.char_indices()
        .map(|(i, c)| {
            if c != '\n' && c != '\r' && is_secret(base + i, c.len_utf8(), spans) {
                '*'
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_parse() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
        assert_eq!("text".parse::<Format>(), Ok(Format::Tty));
        assert_eq!("GitLab".parse::<Format>(), Ok(Format::Codeclimate));
        assert_eq!(" SARIF ".parse::<Format>(), Ok(Format::Sarif));
        let err = "gnu".parse::<Format>().unwrap_err();
        assert!(err.to_string().contains("unknown format `gnu`"));
    }

    #[test]
    fn sources_lookup() {
        let a = SourceFile::new("a", "FROM a\n");
        let b = SourceFile::new("b", "FROM b\n");
        let by_name = |s: &dyn Sources, f: &str| s.source(f).map(|s| s.name.clone());
        assert_eq!(by_name(&(), "a"), None);
        assert_eq!(by_name(&a, "a").as_deref(), Some("a"));
        assert_eq!(by_name(&a, "b"), None);
        let list = [a.clone(), b.clone()];
        assert_eq!(by_name(&list, "b").as_deref(), Some("b"));
        assert_eq!(by_name(&list.to_vec(), "b").as_deref(), Some("b"));
        let map: HashMap<String, SourceFile> = HashMap::from([("x".to_string(), a)]);
        assert_eq!(by_name(&map, "x").as_deref(), Some("a"));
    }

    #[test]
    fn redact_masks_chars_not_bytes() {
        // `é` is two bytes; the secret covers `é1` at bytes 9..12.
        let text = "ENV KEY=aé1 x";
        assert_eq!(redact(text, &[Span::new(9, 12)], 0), "ENV KEY=a** x");
        // A span that starts inside a character masks that character.
        assert_eq!(redact(text, &[Span::new(10, 11)], 0), "ENV KEY=a*1 x");
    }

    #[test]
    fn redact_uses_base_and_keeps_newlines() {
        let text = "A=sec\nret B";
        // The slice starts at byte 100 of its source.
        assert_eq!(redact(text, &[Span::new(102, 109)], 100), "A=***\n*** B");
        assert_eq!(redact(text, &[], 100), text);
        // Spans outside the slice change nothing.
        assert_eq!(redact(text, &[Span::new(0, 100)], 100), text);
        assert_eq!(redact(text, &[Span::new(111, 200)], 100), text);
    }

    #[test]
    fn redact_ignores_empty_spans() {
        assert_eq!(redact("abc", &[Span::empty(1)], 0), "abc");
        // Reversed spans are read as their normal form.
        assert_eq!(redact("abc", &[Span::new(2, 1)], 0), "a*c");
    }
}

/// Prepares one file's findings for output so that no secret shows: a
/// secret any finding marked (its `redact` spans) is masked in every
/// finding of the file — in source snippets, messages and fix contents.
/// Call it on the findings of one source just before reporting; the fixes
/// it masks are for display only, never for applying.
pub fn mask_secrets(text: &str, findings: &mut [plimsoll_diagnostics::Finding]) {
    let spans: Vec<Span> = findings
        .iter()
        .flat_map(|f| f.redact.iter().copied())
        .collect();
    let secrets = secret_strings(text, &spans);
    if secrets.is_empty() {
        return;
    }
    for f in findings.iter_mut() {
        f.redact.clone_from(&spans);
        mask_in(&mut f.message, &secrets);
        if let Some(fix) = &mut f.fix {
            mask_in(&mut fix.message, &secrets);
            for e in &mut fix.edits {
                mask_in(&mut e.content, &secrets);
            }
        }
    }
}

/// The distinct non-empty texts of `spans` in `text`, longest first.
pub fn secret_strings(text: &str, spans: &[Span]) -> Vec<String> {
    let mut out: Vec<String> = spans
        .iter()
        .filter_map(|s| text.get(s.range()))
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.len()));
    out.dedup();
    out
}

/// Replace every occurrence of each secret in `s` by one `*` per character.
pub fn mask_in(s: &mut String, secrets: &[String]) {
    for secret in secrets {
        if s.contains(secret.as_str()) {
            *s = s.replace(secret.as_str(), &"*".repeat(secret.chars().count()));
        }
    }
}

#[cfg(test)]
mod mask_tests {
    use super::*;
    use plimsoll_diagnostics::{Edit, Finding, Fix, Severity};

    #[test]
    fn a_secret_is_masked_in_every_finding_of_the_file() {
        let text = "ENV PASSWORD hunter2\n";
        let secret = Span::new(13, 20);
        let mut findings = vec![
            Finding::new("A", Severity::Warning, "secret", "f")
                .with_span(Span::new(4, 12))
                .with_redaction(secret),
            Finding::new("B", Severity::Warning, "legacy form", "f")
                .with_span(Span::new(4, 20))
                .with_fix(Fix::safe(
                    "use =",
                    vec![Edit::replace(Span::new(4, 20), "PASSWORD=hunter2")],
                )),
        ];
        mask_secrets(text, &mut findings);
        assert_eq!(findings[1].redact, vec![secret]);
        assert_eq!(
            findings[1].fix.as_ref().unwrap().edits[0].content,
            "PASSWORD=*******"
        );
        let mut diff = "-ENV PASSWORD hunter2".to_string();
        mask_in(&mut diff, &secret_strings(text, &[secret]));
        assert_eq!(diff, "-ENV PASSWORD *******");
    }
}
