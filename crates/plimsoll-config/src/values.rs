//! Value types shared by both file formats and the environment.

use plimsoll_diagnostics::Severity;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Implements `Deserialize` through `FromStr`, so that an invalid value is
/// reported by the format's deserializer with its location.
macro_rules! deserialize_via_from_str {
    ($ty:ty, $expecting:literal) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$ty, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

/// When the exit status reports failure: at findings of this severity or
/// above, or never (`none`; hadolint also spells it `ignore`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FailureThreshold {
    At(Severity),
    Never,
}

impl FailureThreshold {
    /// True when a finding of `severity` makes the run fail.
    pub fn fails_on(self, severity: Severity) -> bool {
        match self {
            FailureThreshold::At(threshold) => severity.reaches(threshold),
            FailureThreshold::Never => false,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            FailureThreshold::At(s) => s.as_str(),
            FailureThreshold::Never => "none",
        }
    }
}

impl Default for FailureThreshold {
    /// hadolint's default: fail on `info` and above.
    fn default() -> Self {
        FailureThreshold::At(Severity::Info)
    }
}

impl fmt::Display for FailureThreshold {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for FailureThreshold {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" | "ignore" => Ok(FailureThreshold::Never),
            other => other.parse().map(FailureThreshold::At).map_err(|_| {
                format!(
                    "unknown failure threshold `{s}` (expected error, warning, info, style or none)"
                )
            }),
        }
    }
}

deserialize_via_from_str!(
    FailureThreshold,
    "a failure threshold (error, warning, info, style or none)"
);

/// A severity given to a rule by configuration: one of the four severities,
/// or `off` to disable the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SeverityOverride {
    Severity(Severity),
    Off,
}

impl SeverityOverride {
    pub fn as_str(self) -> &'static str {
        match self {
            SeverityOverride::Severity(s) => s.as_str(),
            SeverityOverride::Off => "off",
        }
    }
}

impl From<Severity> for SeverityOverride {
    fn from(s: Severity) -> Self {
        SeverityOverride::Severity(s)
    }
}

impl fmt::Display for SeverityOverride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SeverityOverride {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        if s.trim().eq_ignore_ascii_case("off") {
            return Ok(SeverityOverride::Off);
        }
        s.parse().map(SeverityOverride::Severity).map_err(|_| {
            format!("unknown severity `{s}` (expected error, warning, info, style or off)")
        })
    }
}

deserialize_via_from_str!(
    SeverityOverride,
    "a severity (error, warning, info, style or off)"
);

/// The format a label's value must have (hadolint's label schema types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LabelType {
    /// Anything.
    Text,
    /// A URI (RFC 3986).
    Url,
    /// A semantic version.
    Semver,
    /// A short or long git hash.
    Hash,
    /// An RFC 3339 timestamp.
    Rfc3339,
    /// An SPDX license identifier.
    Spdx,
    /// An e-mail address (RFC 5322).
    Email,
}

impl LabelType {
    pub const ALL: [LabelType; 7] = [
        LabelType::Text,
        LabelType::Url,
        LabelType::Semver,
        LabelType::Hash,
        LabelType::Rfc3339,
        LabelType::Spdx,
        LabelType::Email,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LabelType::Text => "text",
            LabelType::Url => "url",
            LabelType::Semver => "semver",
            LabelType::Hash => "hash",
            LabelType::Rfc3339 => "rfc3339",
            LabelType::Spdx => "spdx",
            LabelType::Email => "email",
        }
    }
}

impl fmt::Display for LabelType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LabelType {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let t = s.trim();
        LabelType::ALL
            .into_iter()
            .find(|l| l.as_str() == t)
            .ok_or_else(|| {
                format!(
                    "unknown label type `{s}` (expected text, url, semver, hash, rfc3339, spdx or email)"
                )
            })
    }
}

deserialize_via_from_str!(
    LabelType,
    "a label type (text, url, semver, hash, rfc3339, spdx or email)"
);

/// Checks one rule code or selector: not empty, no whitespace or commas.
pub(crate) fn validate_code(code: &str) -> Result<String, String> {
    let code = code.trim();
    if code.is_empty() {
        return Err("empty rule code".into());
    }
    if code.contains(|c: char| c.is_whitespace() || c == ',') {
        return Err(format!(
            "invalid rule code `{code}` (one code or prefix per entry)"
        ));
    }
    Ok(code.to_string())
}

/// A list of rule codes or prefixes, each validated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CodeList(pub Vec<String>);

impl<'de> Deserialize<'de> for CodeList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Vec::<CodeEntry>::deserialize(d)?;
        Ok(CodeList(raw.into_iter().map(|c| c.0).collect()))
    }
}

/// One validated rule code (also usable as a map key).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct CodeEntry(pub String);

impl<'de> Deserialize<'de> for CodeEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = CodeEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a rule code")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CodeEntry, E> {
                validate_code(v).map(CodeEntry).map_err(E::custom)
            }
        }
        d.deserialize_str(V)
    }
}

/// A string or a list of strings (hadolint's `trustedRegistries`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany(vec![v.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
                let mut out = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    out.push(s);
                }
                Ok(OneOrMany(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// A glob pattern, checked when it is read so that a bad pattern is
/// reported with its location.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct GlobPattern(pub String);

impl<'de> Deserialize<'de> for GlobPattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PerFileIgnore::build_glob(&s).map_err(de::Error::custom)?;
        Ok(GlobPattern(s))
    }
}

/// One `[per-file-ignores]` entry: files matching `pattern` do not report
/// `codes`.
///
/// A pattern is matched against the file's path relative to `base` (the
/// directory of the configuration file that declared it; with no base,
/// against the path as given). `*` and `?` do not cross `/`; `**` does. A
/// pattern without `/` also matches the file name alone, at any depth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerFileIgnore {
    pub pattern: String,
    pub codes: Vec<String>,
    pub base: Option<PathBuf>,
    pub(crate) glob: globset::Glob,
}

impl PerFileIgnore {
    /// Fails when `pattern` is not a valid glob or a code is empty.
    pub fn new(
        pattern: impl Into<String>,
        codes: Vec<String>,
        base: Option<PathBuf>,
    ) -> Result<Self, String> {
        let pattern = pattern.into();
        let glob = Self::build_glob(&pattern)?;
        let codes = codes
            .iter()
            .map(|c| validate_code(c))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(PerFileIgnore {
            pattern,
            codes,
            base,
            glob,
        })
    }

    pub(crate) fn build_glob(pattern: &str) -> Result<globset::Glob, String> {
        if pattern.trim().is_empty() {
            return Err("empty glob pattern".into());
        }
        globset::GlobBuilder::new(pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .map_err(|e| format!("invalid glob pattern: {e}"))
    }
}

/// One `[[context]]` entry: the build context of the Dockerfiles whose
/// path matches `dockerfile`.
///
/// `dockerfile` is a glob matched as `[per-file-ignores]` globs are
/// (relative to `base`, the directory of the configuration file; without
/// `/` also against the bare file name); `dir` is relative to `base`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContextEntry {
    pub dockerfile: String,
    pub dir: PathBuf,
    pub base: Option<PathBuf>,
    pub(crate) glob: globset::Glob,
}

impl ContextEntry {
    /// Fails when `dockerfile` is not a valid glob or `dir` is empty.
    pub fn new(
        dockerfile: impl Into<String>,
        dir: impl Into<PathBuf>,
        base: Option<PathBuf>,
    ) -> Result<Self, String> {
        let dockerfile = dockerfile.into();
        let dir = dir.into();
        if dir.as_os_str().is_empty() {
            return Err("`dir` of a [[context]] entry is empty".into());
        }
        let glob = PerFileIgnore::build_glob(&dockerfile)?;
        Ok(ContextEntry {
            dockerfile,
            dir,
            base,
            glob,
        })
    }

    /// Whether this entry is about the Dockerfile at `path`.
    pub fn matches(&self, path: &Path) -> bool {
        crate::selector::glob_matches(
            &self.glob.compile_matcher(),
            !self.dockerfile.contains('/'),
            self.base.as_deref(),
            path,
        )
    }

    /// The context directory.
    pub fn context_dir(&self) -> PathBuf {
        match &self.base {
            Some(base) => base.join(&self.dir),
            None => self.dir.clone(),
        }
    }
}

/// Output format names as plimsoll spells them, from hadolint's names:
/// the same words, with `_` written `-` (`gitlab_codeclimate` →
/// `gitlab-codeclimate`).
pub const HADOLINT_FORMATS: [&str; 10] = [
    "tty",
    "json",
    "checkstyle",
    "codeclimate",
    "gitlab_codeclimate",
    "gnu",
    "codacy",
    "sonarqube",
    "sarif",
    "junit",
];

/// Maps one of hadolint's output format names to plimsoll's; `None` for a
/// name hadolint does not know.
pub fn map_hadolint_format(name: &str) -> Option<String> {
    let name = name.trim();
    HADOLINT_FORMATS
        .contains(&name)
        .then(|| name.replace('_', "-"))
}

/// `plimsoll image`'s dive-compatible thresholds, as a layer of
/// configuration gives them (`[image]` in `.plimsoll.toml`,
/// `PLIMSOLL_IMAGE_*`): ratios as written (`0.9`, `disabled`), sizes as
/// written (`20MB`, `disabled`). The sizes are parsed by the image
/// command, which knows dive's units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageSettings {
    /// dive's `lowestEfficiency`: a ratio 0–1 or `disabled`.
    pub lowest_efficiency: Option<String>,
    /// dive's `highestWastedBytes`: a size or `disabled`.
    pub highest_wasted_bytes: Option<String>,
    /// dive's `highestUserWastedPercent`: a ratio 0–1 or `disabled`.
    pub highest_user_wasted_percent: Option<String>,
}

impl ImageSettings {
    /// `self` over `lower`, key by key.
    #[must_use]
    pub fn merge(self, lower: ImageSettings) -> ImageSettings {
        ImageSettings {
            lowest_efficiency: self.lowest_efficiency.or(lower.lowest_efficiency),
            highest_wasted_bytes: self.highest_wasted_bytes.or(lower.highest_wasted_bytes),
            highest_user_wasted_percent: self
                .highest_user_wasted_percent
                .or(lower.highest_user_wasted_percent),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == ImageSettings::default()
    }
}

/// Checks a ratio threshold: a number from 0 to 1, or `disabled`.
pub(crate) fn validate_ratio(value: &str) -> Result<String, String> {
    let v = value.trim();
    if v.eq_ignore_ascii_case("disabled") {
        return Ok("disabled".into());
    }
    match v.parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(v.to_string()),
        Ok(r) => Err(format!(
            "{r} is not a ratio between 0 and 1 (write 0.2 for 20%) or `disabled`"
        )),
        Err(_) => Err(format!(
            "`{v}` is not a ratio between 0 and 1 or `disabled`"
        )),
    }
}

/// A ratio threshold in a file: a number or a string, checked.
pub(crate) struct Ratio(pub String);

impl<'de> Deserialize<'de> for Ratio {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = scalar_text(d)?;
        validate_ratio(&text).map(Ratio).map_err(de::Error::custom)
    }
}

/// A size threshold in a file: a number of bytes or a string (`20MB`).
pub(crate) struct SizeText(pub String);

impl<'de> Deserialize<'de> for SizeText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = scalar_text(d)?;
        if text.trim().is_empty() {
            return Err(de::Error::custom("an empty size"));
        }
        Ok(SizeText(text.trim().to_string()))
    }
}

fn scalar_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct V;
    impl Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a number or a string")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(V)
}
