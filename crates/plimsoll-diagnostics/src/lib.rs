//! Findings are data: every checker (Dockerfile, build context, image,
//! compose) produces [`Finding`]s and every reporter consumes them without
//! knowing where they came from.

mod line_index;

pub use line_index::{LineIndex, Location};
use serde::Serialize;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// A half-open byte range into a source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub const fn empty(at: usize) -> Self {
        Span { start: at, end: at }
    }
    pub const fn len(self) -> usize {
        self.end - self.start
    }
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
    /// The smallest span covering both.
    pub fn cover(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
    pub fn contains(self, offset: usize) -> bool {
        self.start <= offset && offset < self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Self {
        Span::new(r.start, r.end)
    }
}

/// Severities are hadolint's, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
    Style,
}

impl Severity {
    pub const ALL: [Severity; 4] = [
        Severity::Error,
        Severity::Warning,
        Severity::Info,
        Severity::Style,
    ];

    /// Higher is more severe.
    pub const fn rank(self) -> u8 {
        match self {
            Severity::Error => 3,
            Severity::Warning => 2,
            Severity::Info => 1,
            Severity::Style => 0,
        }
    }

    /// True when `self` is at or above `threshold`.
    pub fn reaches(self, threshold: Severity) -> bool {
        self.rank() >= threshold.rank()
    }

    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }
}

impl PartialOrd for Severity {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Severity {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.rank().cmp(&other.rank())
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSeverity(pub String);

impl fmt::Display for UnknownSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown severity `{}` (expected error, warning, info or style)",
            self.0
        )
    }
}
impl std::error::Error for UnknownSeverity {}

impl FromStr for Severity {
    type Err = UnknownSeverity;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "error" => Ok(Severity::Error),
            "warning" => Ok(Severity::Warning),
            "info" => Ok(Severity::Info),
            "style" => Ok(Severity::Style),
            _ => Err(UnknownSeverity(s.to_string())),
        }
    }
}

/// Whether a fix may be applied without review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning of the file; applied by `--fix`.
    Safe,
    /// May change behaviour; applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Replace the bytes of `span` with `content`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Self {
        Edit {
            span,
            content: content.into(),
        }
    }
    pub fn insert(at: usize, content: impl Into<String>) -> Self {
        Edit::replace(Span::empty(at), content)
    }
    pub fn delete(span: Span) -> Self {
        Edit::replace(span, "")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub message: String,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            applicability: Applicability::Safe,
            message: message.into(),
            edits,
        }
    }
    pub fn unsafe_(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Fix {
            applicability: Applicability::Unsafe,
            message: message.into(),
            edits,
        }
    }
}

/// One problem found in one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The rule's code (`DL3008`, `PL1001`, `StageNameCasing`).
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// The input as the user named it (a path, `-`, an image reference).
    pub file: String,
    /// Where in the source the problem is; `None` for findings about an
    /// input as a whole (an image, a missing file).
    pub span: Option<Span>,
    pub fix: Option<Fix>,
    /// Byte ranges of the source that hold a secret: reporters mask them in
    /// snippets, and the message never contains the secret itself.
    pub redact: Vec<Span>,
    /// For findings about a built image: the layer (0-based, in manifest
    /// order) that put the problem there, when one layer did.
    pub layer: Option<usize>,
    /// For findings about a built image: the path in its filesystem
    /// (`/etc/shadow`), when the finding is about one.
    pub path: Option<String>,
}

impl Finding {
    pub fn new(
        code: impl Into<String>,
        severity: Severity,
        message: impl Into<String>,
        file: impl Into<String>,
    ) -> Self {
        Finding {
            code: code.into(),
            severity,
            message: message.into(),
            file: file.into(),
            span: None,
            fix: None,
            redact: Vec::new(),
            layer: None,
            path: None,
        }
    }
    pub fn with_span(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
    pub fn with_redaction(mut self, span: Span) -> Self {
        self.redact.push(span);
        self
    }
    /// The image layer (0-based) the finding is about.
    pub fn in_layer(mut self, layer: usize) -> Self {
        self.layer = Some(layer);
        self
    }
    /// The path inside an image the finding is about (`/etc/shadow`).
    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
}

/// A rule's metadata, as reporters (SARIF rule descriptors, `plimsoll
/// rules`) need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    pub code: &'static str,
    /// Readable name in snake_case (`apt_get_missing_yes`).
    pub name: &'static str,
    /// Other codes that select the same rule (BuildKit check names).
    pub aliases: &'static [&'static str],
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// The whole documentation in Markdown: what it does, why, example, fix.
    pub docs: &'static str,
    pub fixable: bool,
    /// Upstream documentation (hadolint wiki, BuildKit docs), if any.
    pub url: Option<&'static str>,
}

/// A source text with its line index: what reporters need to turn spans
/// into lines, columns and snippets.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: std::sync::Arc<str>,
    pub index: std::sync::Arc<LineIndex>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<std::sync::Arc<str>>) -> Self {
        let text = text.into();
        let index = std::sync::Arc::new(LineIndex::new(&text));
        SourceFile {
            name: name.into(),
            text,
            index,
        }
    }
    pub fn location(&self, offset: usize) -> Location {
        self.index.location(&self.text, offset)
    }
}
