//! The merged view of all configuration layers.

use crate::values::{
    ContextEntry, FailureThreshold, ImageSettings, LabelType, PerFileIgnore, SeverityOverride,
};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Every setting plimsoll reads, as one layer (command line, environment,
/// a configuration file, the defaults) gives it: `None`, or an empty map,
/// means "this layer does not say".
///
/// Layers are combined with [`Settings::merge`] / [`resolve`], key by key:
/// a key set in a higher layer replaces the whole value of a lower one
/// (lists included). The tables `severity`, `label_schema` and
/// `per_file_ignores` are merged entry by entry instead, the higher layer
/// winning for an entry both set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Rules to enable: codes, prefixes, BuildKit names, or `ALL`. `None`
    /// means the rules that are enabled by default.
    pub select: Option<Vec<String>>,
    /// Rules to enable on top of `select`.
    pub extend_select: Option<Vec<String>>,
    /// Rules to disable.
    pub ignore: Option<Vec<String>>,
    pub failure_threshold: Option<FailureThreshold>,
    pub no_fail: Option<bool>,
    pub no_color: Option<bool>,
    pub disable_ignore_pragma: Option<bool>,
    /// Registries `FROM` may pull from; `None` or empty means any.
    pub trusted_registries: Option<Vec<String>>,
    pub strict_labels: Option<bool>,
    /// Output format name (`tty`, `json`, `sarif`, ...), not validated here.
    pub format: Option<String>,
    /// Run a `shellcheck` binary on `RUN` scripts too.
    pub shellcheck: Option<bool>,
    /// Per code (or prefix, or name) severity, or `off`.
    pub severity: BTreeMap<String, SeverityOverride>,
    /// Labels the image must have, and the format of their values.
    pub label_schema: BTreeMap<String, LabelType>,
    /// Codes not reported in files whose path matches a glob.
    pub per_file_ignores: Vec<PerFileIgnore>,
    /// `plimsoll image` thresholds (`[image]`), merged key by key.
    pub image: ImageSettings,
    /// The build contexts of Dockerfiles (`[[context]]`); a list, replaced
    /// whole by a higher layer.
    pub contexts: Option<Vec<ContextEntry>>,
    /// An explicit configuration file (`--config`, `PLIMSOLL_CONFIG`);
    /// configuration files cannot set it.
    pub config: Option<PathBuf>,
}

impl Settings {
    /// The lowest layer: the values used when no layer sets a key.
    pub fn defaults() -> Settings {
        Settings {
            failure_threshold: Some(FailureThreshold::default()),
            no_fail: Some(false),
            no_color: Some(false),
            disable_ignore_pragma: Some(false),
            strict_labels: Some(false),
            format: Some("tty".to_string()),
            shellcheck: Some(false),
            ..Settings::default()
        }
    }

    /// `self` over `lower`: each key `self` sets wins (see the type's docs).
    #[must_use]
    pub fn merge(self, lower: Settings) -> Settings {
        let mut severity = lower.severity;
        severity.extend(self.severity);
        let mut label_schema = lower.label_schema;
        label_schema.extend(self.label_schema);
        let mut per_file_ignores = self.per_file_ignores;
        for entry in lower.per_file_ignores {
            if !per_file_ignores.iter().any(|e| e.pattern == entry.pattern) {
                per_file_ignores.push(entry);
            }
        }
        Settings {
            select: self.select.or(lower.select),
            extend_select: self.extend_select.or(lower.extend_select),
            ignore: self.ignore.or(lower.ignore),
            failure_threshold: self.failure_threshold.or(lower.failure_threshold),
            no_fail: self.no_fail.or(lower.no_fail),
            no_color: self.no_color.or(lower.no_color),
            disable_ignore_pragma: self.disable_ignore_pragma.or(lower.disable_ignore_pragma),
            trusted_registries: self.trusted_registries.or(lower.trusted_registries),
            strict_labels: self.strict_labels.or(lower.strict_labels),
            format: self.format.or(lower.format),
            shellcheck: self.shellcheck.or(lower.shellcheck),
            severity,
            label_schema,
            per_file_ignores,
            image: self.image.merge(lower.image),
            contexts: self.contexts.or(lower.contexts),
            config: self.config.or(lower.config),
        }
    }

    /// The build context configured for the Dockerfile at `dockerfile`:
    /// the first `[[context]]` entry that matches it.
    pub fn context_for(&self, dockerfile: &std::path::Path) -> Option<PathBuf> {
        self.contexts
            .as_ref()?
            .iter()
            .find(|c| c.matches(dockerfile))
            .map(ContextEntry::context_dir)
    }

    /// Whether a run with findings of `severity` should exit with failure:
    /// false under `no-fail`, else by the failure threshold (default
    /// `info`).
    pub fn fails_on(&self, severity: plimsoll_diagnostics::Severity) -> bool {
        !self.no_fail.unwrap_or(false)
            && self
                .failure_threshold
                .unwrap_or_default()
                .fails_on(severity)
    }
}

/// The layers of configuration, highest precedence first.
#[derive(Debug, Clone, Default)]
pub struct Layers {
    /// Command-line options.
    pub cli: Settings,
    /// `PLIMSOLL_*` over hadolint's variables ([`Settings::from_env_vars`]).
    pub env: Settings,
    /// The `.plimsoll.toml` in force, if any.
    pub plimsoll: Option<Settings>,
    /// The `.hadolint.yaml` in force, if any.
    pub hadolint: Option<Settings>,
}

impl Layers {
    /// Puts the files of a discovery (or an explicit `--config` file) in
    /// their places.
    pub fn with_files(mut self, files: &crate::Discovered) -> Self {
        self.plimsoll = files.plimsoll.as_ref().map(|f| f.settings.clone());
        self.hadolint = files.hadolint.as_ref().map(|f| f.settings.clone());
        self
    }
}

/// Combines the layers, key by key: command line > environment >
/// `.plimsoll.toml` > `.hadolint.yaml` > [`Settings::defaults`].
pub fn resolve(layers: Layers) -> Settings {
    let mut out = Settings::defaults();
    for file in [layers.hadolint, layers.plimsoll].into_iter().flatten() {
        out = file.merge(out);
    }
    out = layers.env.merge(out);
    layers.cli.merge(out)
}
