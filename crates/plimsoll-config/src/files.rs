//! Reading `.plimsoll.toml` and `.hadolint.yaml` files into [`Settings`].

use crate::error::{ConfigError, line_column};
use crate::settings::Settings;
use crate::values::{
    CodeEntry, CodeList, ContextEntry, FailureThreshold, GlobPattern, ImageSettings, LabelType,
    OneOrMany, PerFileIgnore, Ratio, SeverityOverride, SizeText, map_hadolint_format,
};
use plimsoll_diagnostics::Severity;
use serde::Deserialize;
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Which format a configuration file is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfigKind {
    /// `.plimsoll.toml`.
    Plimsoll,
    /// `.hadolint.yaml`: hadolint's format.
    Hadolint,
}

impl ConfigKind {
    /// By extension: `.toml` is plimsoll's, `.yaml`/`.yml` hadolint's.
    pub fn from_path(path: &Path) -> Option<ConfigKind> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "toml" => Some(ConfigKind::Plimsoll),
            "yaml" | "yml" => Some(ConfigKind::Hadolint),
            _ => None,
        }
    }
}

/// One configuration file, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub kind: ConfigKind,
    pub settings: Settings,
    /// Problems that do not stop the run, each naming file and line (in
    /// hadolint's format: keys hadolint does not know, which it ignores).
    pub warnings: Vec<String>,
}

/// Reads an explicitly named configuration file (`--config FILE`), its
/// format chosen by extension.
pub fn load_file(path: &Path) -> Result<ConfigFile, ConfigError> {
    let kind = ConfigKind::from_path(path).ok_or_else(|| ConfigError::UnknownFormat {
        path: path.to_path_buf(),
    })?;
    load_file_as(path, kind)
}

/// Reads a configuration file in the given format.
pub fn load_file_as(path: &Path, kind: ConfigKind) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    match kind {
        ConfigKind::Plimsoll => parse_plimsoll_toml(&text, path),
        ConfigKind::Hadolint => parse_hadolint_yaml(&text, path),
    }
}

/// The directory relative patterns of a file are resolved against.
fn base_dir(path: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(path).ok()?;
    abs.parent().map(Path::to_path_buf)
}

// ---------------------------------------------------------------------------
// .plimsoll.toml

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct PlimsollToml {
    select: Option<CodeList>,
    extend_select: Option<CodeList>,
    ignore: Option<CodeList>,
    failure_threshold: Option<FailureThreshold>,
    no_fail: Option<bool>,
    no_color: Option<bool>,
    disable_ignore_pragma: Option<bool>,
    trusted_registries: Option<Vec<String>>,
    strict_labels: Option<bool>,
    format: Option<String>,
    shellcheck: Option<bool>,
    #[serde(default)]
    severity: BTreeMap<CodeEntry, SeverityOverride>,
    #[serde(default)]
    label_schema: BTreeMap<String, LabelType>,
    #[serde(default)]
    per_file_ignores: BTreeMap<GlobPattern, CodeList>,
    image: Option<ImageToml>,
    context: Option<Vec<RawContext>>,
}

/// `[[context]]`: `dockerfile = "docker/api.Dockerfile"`, `dir = "."`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawContext {
    dockerfile: GlobPattern,
    dir: String,
}

/// `[image]`: dive's CI thresholds for `plimsoll image`.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct ImageToml {
    lowest_efficiency: Option<Ratio>,
    highest_wasted_bytes: Option<SizeText>,
    highest_user_wasted_percent: Option<Ratio>,
}

/// Parses `.plimsoll.toml` text; `path` names the file in errors and is
/// the base of `per-file-ignores` patterns.
pub fn parse_plimsoll_toml(text: &str, path: &Path) -> Result<ConfigFile, ConfigError> {
    let raw: PlimsollToml = toml::from_str(text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        location: e.span().map(|s| line_column(text, s.start)),
        message: e.message().trim_end().to_string(),
    })?;
    let base = base_dir(path);
    let mut per_file_ignores = Vec::new();
    for (pattern, codes) in raw.per_file_ignores {
        let entry = PerFileIgnore::new(pattern.0, codes.0, base.clone()).map_err(|message| {
            ConfigError::Parse {
                path: path.to_path_buf(),
                location: None,
                message,
            }
        })?;
        per_file_ignores.push(entry);
    }
    let contexts = match raw.context {
        None => None,
        Some(list) => Some(
            list.into_iter()
                .map(|c| {
                    ContextEntry::new(c.dockerfile.0, c.dir, base.clone()).map_err(|message| {
                        ConfigError::Parse {
                            path: path.to_path_buf(),
                            location: None,
                            message,
                        }
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let settings = Settings {
        select: raw.select.map(|c| c.0),
        extend_select: raw.extend_select.map(|c| c.0),
        ignore: raw.ignore.map(|c| c.0),
        failure_threshold: raw.failure_threshold,
        no_fail: raw.no_fail,
        no_color: raw.no_color,
        disable_ignore_pragma: raw.disable_ignore_pragma,
        trusted_registries: raw.trusted_registries,
        strict_labels: raw.strict_labels,
        format: raw.format,
        shellcheck: raw.shellcheck,
        severity: raw.severity.into_iter().map(|(k, v)| (k.0, v)).collect(),
        label_schema: raw.label_schema,
        per_file_ignores,
        image: raw
            .image
            .map(|i| ImageSettings {
                lowest_efficiency: i.lowest_efficiency.map(|r| r.0),
                highest_wasted_bytes: i.highest_wasted_bytes.map(|s| s.0),
                highest_user_wasted_percent: i.highest_user_wasted_percent.map(|r| r.0),
            })
            .unwrap_or_default(),
        contexts,
        config: None,
    };
    Ok(ConfigFile {
        path: path.to_path_buf(),
        kind: ConfigKind::Plimsoll,
        settings,
        warnings: Vec::new(),
    })
}

// ---------------------------------------------------------------------------
// .hadolint.yaml

/// The keys hadolint reads (`verbose` is read and has no use here).
const HADOLINT_KEYS: &[&str] = &[
    "ignored",
    "override",
    "trustedRegistries",
    "label-schema",
    "strict-labels",
    "failure-threshold",
    "disable-ignore-pragma",
    "no-fail",
    "no-color",
    "format",
    "verbose",
];

#[derive(Deserialize, Default)]
struct HadolintYaml {
    ignored: Option<CodeList>,
    #[serde(rename = "override")]
    override_: Option<HadolintOverride>,
    #[serde(rename = "trustedRegistries")]
    trusted_registries: Option<OneOrMany>,
    #[serde(rename = "label-schema")]
    label_schema: Option<BTreeMap<String, LabelType>>,
    #[serde(rename = "strict-labels")]
    strict_labels: Option<bool>,
    #[serde(rename = "failure-threshold")]
    failure_threshold: Option<FailureThreshold>,
    #[serde(rename = "disable-ignore-pragma")]
    disable_ignore_pragma: Option<bool>,
    #[serde(rename = "no-fail")]
    no_fail: Option<bool>,
    #[serde(rename = "no-color")]
    no_color: Option<bool>,
    format: Option<HadolintFormat>,
}

#[derive(Deserialize, Default)]
struct HadolintOverride {
    error: Option<CodeList>,
    warning: Option<CodeList>,
    info: Option<CodeList>,
    style: Option<CodeList>,
}

struct HadolintFormat(String);

impl<'de> Deserialize<'de> for HadolintFormat {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        map_hadolint_format(&s).map(HadolintFormat).ok_or_else(|| {
            de::Error::custom(format!(
                "unknown output format `{s}` (expected one of {})",
                crate::values::HADOLINT_FORMATS.join(", ")
            ))
        })
    }
}

/// The top-level keys of a YAML mapping, with their positions.
struct TopKeys(Vec<(String, usize, usize)>);

impl<'de> Deserialize<'de> for TopKeys {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TopKeys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_unit<E: de::Error>(self) -> Result<TopKeys, E> {
                Ok(TopKeys(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopKeys, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<serde_saphyr::Spanned<String>>()? {
                    map.next_value::<IgnoredAny>()?;
                    let loc = key.referenced;
                    keys.push((key.value, loc.line() as usize, loc.column() as usize));
                }
                Ok(TopKeys(keys))
            }
        }
        d.deserialize_any(V)
    }
}

fn yaml_error(path: &Path, e: &serde_saphyr::Error) -> ConfigError {
    let location = e
        .location()
        .filter(|l| l.line() > 0)
        .map(|l| (l.line() as usize, l.column() as usize));
    let mut message = e.without_snippet().to_string();
    // The plain rendering is "error: line L column C: message".
    if let Some(rest) = message.strip_prefix("error: ") {
        message = rest.to_string();
    }
    if let Some((line, column)) = location {
        let prefix = format!("line {line} column {column}: ");
        if let Some(rest) = message.strip_prefix(&prefix) {
            message = rest.to_string();
        }
        let suffix = format!(" at line {line}, column {column}");
        if let Some(rest) = message.trim_end().strip_suffix(&suffix) {
            message = rest.to_string();
        }
    }
    let message = match message.trim_end() {
        "expected sequence start" => "expected a list".to_string(),
        "expected mapping start" => "expected a mapping".to_string(),
        m => m.to_string(),
    };
    ConfigError::Parse {
        path: path.to_path_buf(),
        location,
        message,
    }
}

/// Parses `.hadolint.yaml` text with hadolint's keys. An empty file is an
/// empty configuration. Keys hadolint does not know are ignored, as
/// hadolint ignores them, and reported in [`ConfigFile::warnings`].
pub fn parse_hadolint_yaml(text: &str, path: &Path) -> Result<ConfigFile, ConfigError> {
    let raw: Option<HadolintYaml> =
        serde_saphyr::from_str(text).map_err(|e| yaml_error(path, &e))?;
    let raw = raw.unwrap_or_default();
    let mut warnings = Vec::new();
    if let Ok(keys) = serde_saphyr::from_str::<TopKeys>(text) {
        for (key, line, column) in keys.0 {
            if !HADOLINT_KEYS.contains(&key.as_str()) {
                let hint = match key.as_str() {
                    "trusted-registries" | "trusted_registries" => {
                        " (did you mean `trustedRegistries`?)"
                    }
                    "ignore" => " (did you mean `ignored`?)",
                    "overrides" => " (did you mean `override`?)",
                    _ => "",
                };
                warnings.push(format!(
                    "{}:{line}:{column}: unknown key `{key}` ignored, as hadolint ignores it{hint}",
                    path.display()
                ));
            }
        }
    }
    let mut severity = BTreeMap::new();
    if let Some(o) = raw.override_ {
        // Least severe first, so a code listed twice gets the most severe.
        for (list, sev) in [
            (o.style, Severity::Style),
            (o.info, Severity::Info),
            (o.warning, Severity::Warning),
            (o.error, Severity::Error),
        ] {
            for code in list.map(|c| c.0).unwrap_or_default() {
                severity.insert(code, SeverityOverride::Severity(sev));
            }
        }
    }
    let settings = Settings {
        ignore: raw.ignored.map(|c| c.0),
        failure_threshold: raw.failure_threshold,
        no_fail: raw.no_fail,
        no_color: raw.no_color,
        disable_ignore_pragma: raw.disable_ignore_pragma,
        trusted_registries: raw.trusted_registries.map(|r| r.0),
        strict_labels: raw.strict_labels,
        format: raw.format.map(|f| f.0),
        severity,
        label_schema: raw.label_schema.unwrap_or_default(),
        ..Settings::default()
    };
    Ok(ConfigFile {
        path: path.to_path_buf(),
        kind: ConfigKind::Hadolint,
        settings,
        warnings,
    })
}
