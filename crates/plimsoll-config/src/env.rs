//! Settings from environment variables, read from a map handed in (never
//! from the process environment inside the logic, so tests do not race).

use crate::error::ConfigError;
use crate::settings::Settings;
use crate::values::{
    FailureThreshold, ImageSettings, LabelType, SeverityOverride, map_hadolint_format,
    validate_code, validate_ratio,
};
use plimsoll_diagnostics::Severity;
use std::collections::HashMap;
use std::path::PathBuf;

/// The variables this crate reads, plimsoll's then hadolint's.
pub const ENV_VARS: &[&str] = &[
    "PLIMSOLL_CONFIG",
    "PLIMSOLL_SELECT",
    "PLIMSOLL_EXTEND_SELECT",
    "PLIMSOLL_IGNORE",
    "PLIMSOLL_FAILURE_THRESHOLD",
    "PLIMSOLL_NO_FAIL",
    "PLIMSOLL_FORMAT",
    "PLIMSOLL_TRUSTED_REGISTRIES",
    "PLIMSOLL_STRICT_LABELS",
    "PLIMSOLL_DISABLE_IGNORE_PRAGMA",
    "PLIMSOLL_IMAGE_LOWEST_EFFICIENCY",
    "PLIMSOLL_IMAGE_HIGHEST_WASTED_BYTES",
    "PLIMSOLL_IMAGE_HIGHEST_USER_WASTED_PERCENT",
    "HADOLINT_NOFAIL",
    "HADOLINT_FORMAT",
    "HADOLINT_FAILURE_THRESHOLD",
    "HADOLINT_IGNORE",
    "HADOLINT_OVERRIDE_ERROR",
    "HADOLINT_OVERRIDE_WARNING",
    "HADOLINT_OVERRIDE_INFO",
    "HADOLINT_OVERRIDE_STYLE",
    "HADOLINT_TRUSTED_REGISTRIES",
    "HADOLINT_ALLOWED_REGISTRIES",
    "HADOLINT_REQUIRE_LABELS",
    "HADOLINT_STRICT_LABELS",
    "HADOLINT_DISABLE_IGNORE_PRAGMA",
    "NO_COLOR",
];

impl Settings {
    /// The environment layer: `PLIMSOLL_*` variables over hadolint's own
    /// (`HADOLINT_*`, `NO_COLOR`), key by key. Pass `std::env::vars()` or a
    /// test's own pairs; other variables are skipped. A variable set to the
    /// empty string counts as unset.
    ///
    /// An unusable value is an error naming the variable. hadolint's
    /// booleans follow hadolint: `1`, `y`, `yes`, `on`, `true` (any case)
    /// are true and anything else false.
    pub fn from_env_vars<I, K, V>(vars: I) -> Result<Settings, ConfigError>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let map: HashMap<String, String> = vars
            .into_iter()
            .filter(|(k, _)| ENV_VARS.contains(&k.as_ref()))
            .filter(|(_, v)| !v.as_ref().trim().is_empty())
            .map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string()))
            .collect();
        let env = Env(&map);
        Ok(plimsoll_env(&env)?.merge(hadolint_env(&env)?))
    }

    /// [`Settings::from_env_vars`] on the process environment (variables
    /// whose value is not UTF-8 are skipped).
    pub fn from_process_env() -> Result<Settings, ConfigError> {
        Settings::from_env_vars(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        )
    }
}

struct Env<'a>(&'a HashMap<String, String>);

impl Env<'_> {
    fn get(&self, var: &str) -> Option<&str> {
        self.0.get(var).map(|v| v.trim())
    }

    fn list(&self, var: &str) -> Option<Vec<String>> {
        self.get(var).map(split_list)
    }

    fn codes(&self, var: &str) -> Result<Option<Vec<String>>, ConfigError> {
        self.list(var)
            .map(|l| {
                l.iter()
                    .map(|c| validate_code(c).map_err(|m| ConfigError::env(var, m)))
                    .collect()
            })
            .transpose()
    }

    fn strict_bool(&self, var: &str) -> Result<Option<bool>, ConfigError> {
        self.get(var)
            .map(|v| match v.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Ok(true),
                "0" | "false" | "no" | "off" => Ok(false),
                _ => Err(ConfigError::env(
                    var,
                    format!("invalid boolean `{v}` (expected 1, true, 0 or false)"),
                )),
            })
            .transpose()
    }

    /// hadolint's `truthy`.
    fn truthy(&self, var: &str) -> Option<bool> {
        self.get(var).map(|v| {
            matches!(
                v.to_ascii_lowercase().as_str(),
                "1" | "y" | "on" | "true" | "yes"
            )
        })
    }

    fn ratio(&self, var: &str) -> Result<Option<String>, ConfigError> {
        self.get(var)
            .map(|v| validate_ratio(v).map_err(|m| ConfigError::env(var, m)))
            .transpose()
    }

    fn threshold(&self, var: &str) -> Result<Option<FailureThreshold>, ConfigError> {
        self.get(var)
            .map(|v| v.parse().map_err(|m| ConfigError::env(var, m)))
            .transpose()
    }
}

fn split_list(v: &str) -> Vec<String> {
    v.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn plimsoll_env(env: &Env<'_>) -> Result<Settings, ConfigError> {
    Ok(Settings {
        select: env.codes("PLIMSOLL_SELECT")?,
        extend_select: env.codes("PLIMSOLL_EXTEND_SELECT")?,
        ignore: env.codes("PLIMSOLL_IGNORE")?,
        failure_threshold: env.threshold("PLIMSOLL_FAILURE_THRESHOLD")?,
        no_fail: env.strict_bool("PLIMSOLL_NO_FAIL")?,
        format: env.get("PLIMSOLL_FORMAT").map(str::to_string),
        trusted_registries: env.list("PLIMSOLL_TRUSTED_REGISTRIES"),
        strict_labels: env.strict_bool("PLIMSOLL_STRICT_LABELS")?,
        disable_ignore_pragma: env.strict_bool("PLIMSOLL_DISABLE_IGNORE_PRAGMA")?,
        config: env.get("PLIMSOLL_CONFIG").map(PathBuf::from),
        image: ImageSettings {
            lowest_efficiency: env.ratio("PLIMSOLL_IMAGE_LOWEST_EFFICIENCY")?,
            highest_wasted_bytes: env
                .get("PLIMSOLL_IMAGE_HIGHEST_WASTED_BYTES")
                .map(str::to_string),
            highest_user_wasted_percent: env.ratio("PLIMSOLL_IMAGE_HIGHEST_USER_WASTED_PERCENT")?,
        },
        ..Settings::default()
    })
}

fn hadolint_env(env: &Env<'_>) -> Result<Settings, ConfigError> {
    let mut severity = std::collections::BTreeMap::new();
    // Least severe first: a code in several lists gets the most severe.
    for (var, sev) in [
        ("HADOLINT_OVERRIDE_STYLE", Severity::Style),
        ("HADOLINT_OVERRIDE_INFO", Severity::Info),
        ("HADOLINT_OVERRIDE_WARNING", Severity::Warning),
        ("HADOLINT_OVERRIDE_ERROR", Severity::Error),
    ] {
        for code in env.codes(var)?.unwrap_or_default() {
            severity.insert(code, SeverityOverride::Severity(sev));
        }
    }
    let format = env
        .get("HADOLINT_FORMAT")
        .map(|f| {
            map_hadolint_format(f).ok_or_else(|| {
                ConfigError::env("HADOLINT_FORMAT", format!("unknown output format `{f}`"))
            })
        })
        .transpose()?;
    let mut label_schema = std::collections::BTreeMap::new();
    if let Some(v) = env.get("HADOLINT_REQUIRE_LABELS") {
        for item in split_list(v) {
            let (name, ty) = item.split_once(':').ok_or_else(|| {
                ConfigError::env(
                    "HADOLINT_REQUIRE_LABELS",
                    format!("`{item}` is not `label:type`"),
                )
            })?;
            let ty: LabelType = ty
                .parse()
                .map_err(|m| ConfigError::env("HADOLINT_REQUIRE_LABELS", m))?;
            label_schema.insert(name.trim().to_string(), ty);
        }
    }
    Ok(Settings {
        no_fail: env.truthy("HADOLINT_NOFAIL"),
        // https://no-color.org: set to anything non-empty.
        no_color: env.get("NO_COLOR").map(|_| true),
        format,
        failure_threshold: env.threshold("HADOLINT_FAILURE_THRESHOLD")?,
        ignore: env.codes("HADOLINT_IGNORE")?,
        severity,
        trusted_registries: env
            .list("HADOLINT_TRUSTED_REGISTRIES")
            .or_else(|| env.list("HADOLINT_ALLOWED_REGISTRIES")),
        label_schema,
        strict_labels: env.truthy("HADOLINT_STRICT_LABELS"),
        disable_ignore_pragma: env.truthy("HADOLINT_DISABLE_IGNORE_PRAGMA"),
        ..Settings::default()
    })
}
