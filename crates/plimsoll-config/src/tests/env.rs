use super::*;
use crate::{FailureThreshold, LabelType, SeverityOverride};
use plimsoll_diagnostics::Severity;
use std::path::PathBuf;

fn env(vars: &[(&str, &str)]) -> Settings {
    Settings::from_env_vars(vars.iter().copied()).unwrap_or_else(|e| panic!("{e}"))
}

fn env_err(vars: &[(&str, &str)]) -> ConfigError {
    match Settings::from_env_vars(vars.iter().copied()) {
        Ok(s) => panic!("expected an error, got {s:?}"),
        Err(e) => e,
    }
}

#[test]
fn nothing_set_is_an_empty_layer() {
    assert_eq!(env(&[]), Settings::default());
    assert_eq!(
        env(&[("PATH", "/bin"), ("PLIMSOLL_UNKNOWN", "x")]),
        Settings::default()
    );
    // Empty counts as unset.
    assert_eq!(
        env(&[("PLIMSOLL_SELECT", ""), ("PLIMSOLL_NO_FAIL", " ")]),
        Settings::default()
    );
}

#[test]
fn every_plimsoll_variable() {
    let s = env(&[
        ("PLIMSOLL_SELECT", "DL, PL1"),
        ("PLIMSOLL_EXTEND_SELECT", "DL3057"),
        ("PLIMSOLL_IGNORE", "DL3008,DL3009,"),
        ("PLIMSOLL_FAILURE_THRESHOLD", "warning"),
        ("PLIMSOLL_NO_FAIL", "1"),
        ("PLIMSOLL_FORMAT", "json"),
        ("PLIMSOLL_TRUSTED_REGISTRIES", "docker.io,ghcr.io"),
        ("PLIMSOLL_STRICT_LABELS", "true"),
        ("PLIMSOLL_DISABLE_IGNORE_PRAGMA", "TRUE"),
        ("PLIMSOLL_CONFIG", "ci/plimsoll.toml"),
    ]);
    assert_eq!(s.select, Some(strings(&["DL", "PL1"])));
    assert_eq!(s.extend_select, Some(strings(&["DL3057"])));
    assert_eq!(s.ignore, Some(strings(&["DL3008", "DL3009"])));
    assert_eq!(
        s.failure_threshold,
        Some(FailureThreshold::At(Severity::Warning))
    );
    assert_eq!(s.no_fail, Some(true));
    assert_eq!(s.format.as_deref(), Some("json"));
    assert_eq!(
        s.trusted_registries,
        Some(strings(&["docker.io", "ghcr.io"]))
    );
    assert_eq!(s.strict_labels, Some(true));
    assert_eq!(s.disable_ignore_pragma, Some(true));
    assert_eq!(s.config, Some(PathBuf::from("ci/plimsoll.toml")));
}

#[test]
fn plimsoll_booleans() {
    for (v, want) in [
        ("1", true),
        ("true", true),
        ("0", false),
        ("false", false),
        ("False", false),
    ] {
        assert_eq!(env(&[("PLIMSOLL_NO_FAIL", v)]).no_fail, Some(want), "{v}");
    }
    let e = env_err(&[("PLIMSOLL_NO_FAIL", "maybe")]);
    assert!(matches!(&e, ConfigError::Env { var, .. } if var == "PLIMSOLL_NO_FAIL"));
    assert!(
        e.to_string()
            .starts_with("environment variable PLIMSOLL_NO_FAIL: "),
        "{e}"
    );
    let e = env_err(&[("PLIMSOLL_STRICT_LABELS", "2")]);
    assert!(e.to_string().contains("PLIMSOLL_STRICT_LABELS"), "{e}");
}

#[test]
fn invalid_values_name_the_variable() {
    for (var, value) in [
        ("PLIMSOLL_FAILURE_THRESHOLD", "fatal"),
        ("PLIMSOLL_DISABLE_IGNORE_PRAGMA", "sometimes"),
        ("PLIMSOLL_SELECT", "DL 30"),
        ("HADOLINT_FAILURE_THRESHOLD", "fatal"),
        ("HADOLINT_FORMAT", "html"),
        ("HADOLINT_REQUIRE_LABELS", "version"),
        ("HADOLINT_REQUIRE_LABELS", "version:number"),
    ] {
        let e = env_err(&[(var, value)]);
        assert!(
            e.to_string()
                .starts_with(&format!("environment variable {var}: ")),
            "{var}={value}: {e}"
        );
    }
}

#[test]
fn every_hadolint_variable() {
    let s = env(&[
        ("HADOLINT_NOFAIL", "yes"),
        ("HADOLINT_FORMAT", "gitlab_codeclimate"),
        ("HADOLINT_FAILURE_THRESHOLD", "error"),
        ("HADOLINT_IGNORE", "DL3010,DL3020"),
        ("HADOLINT_OVERRIDE_ERROR", "DL3001"),
        ("HADOLINT_OVERRIDE_WARNING", "DL3002"),
        ("HADOLINT_OVERRIDE_INFO", "DL3003"),
        ("HADOLINT_OVERRIDE_STYLE", "DL3004,DL3001"),
        ("HADOLINT_TRUSTED_REGISTRIES", "docker.io"),
        ("HADOLINT_REQUIRE_LABELS", "maintainer:text,version:semver"),
        ("HADOLINT_STRICT_LABELS", "on"),
        ("HADOLINT_DISABLE_IGNORE_PRAGMA", "y"),
        ("NO_COLOR", "1"),
    ]);
    assert_eq!(s.no_fail, Some(true));
    assert_eq!(s.format.as_deref(), Some("gitlab-codeclimate"));
    assert_eq!(
        s.failure_threshold,
        Some(FailureThreshold::At(Severity::Error))
    );
    assert_eq!(s.ignore, Some(strings(&["DL3010", "DL3020"])));
    let sev = |c: &str| s.severity[c];
    // Listed as error and style: the most severe wins.
    assert_eq!(sev("DL3001"), SeverityOverride::Severity(Severity::Error));
    assert_eq!(sev("DL3002"), SeverityOverride::Severity(Severity::Warning));
    assert_eq!(sev("DL3003"), SeverityOverride::Severity(Severity::Info));
    assert_eq!(sev("DL3004"), SeverityOverride::Severity(Severity::Style));
    assert_eq!(s.trusted_registries, Some(strings(&["docker.io"])));
    assert_eq!(s.label_schema["maintainer"], LabelType::Text);
    assert_eq!(s.label_schema["version"], LabelType::Semver);
    assert_eq!(s.strict_labels, Some(true));
    assert_eq!(s.disable_ignore_pragma, Some(true));
    assert_eq!(s.no_color, Some(true));
}

#[test]
fn hadolint_booleans_are_truthy_or_false() {
    assert_eq!(env(&[("HADOLINT_NOFAIL", "0")]).no_fail, Some(false));
    assert_eq!(env(&[("HADOLINT_NOFAIL", "whatever")]).no_fail, Some(false));
    assert_eq!(env(&[("HADOLINT_NOFAIL", "TRUE")]).no_fail, Some(true));
}

#[test]
fn allowed_registries_is_an_alias() {
    let s = env(&[("HADOLINT_ALLOWED_REGISTRIES", "quay.io")]);
    assert_eq!(s.trusted_registries, Some(strings(&["quay.io"])));
    let s = env(&[
        ("HADOLINT_ALLOWED_REGISTRIES", "quay.io"),
        ("HADOLINT_TRUSTED_REGISTRIES", "docker.io"),
    ]);
    assert_eq!(s.trusted_registries, Some(strings(&["docker.io"])));
}

#[test]
fn plimsoll_variables_beat_hadolint_ones_key_by_key() {
    let s = env(&[
        ("PLIMSOLL_IGNORE", "DL3008"),
        ("HADOLINT_IGNORE", "DL3009"),
        ("PLIMSOLL_NO_FAIL", "false"),
        ("HADOLINT_NOFAIL", "1"),
        ("PLIMSOLL_FAILURE_THRESHOLD", "style"),
        ("HADOLINT_FAILURE_THRESHOLD", "error"),
        ("PLIMSOLL_FORMAT", "sarif"),
        ("HADOLINT_FORMAT", "json"),
        ("PLIMSOLL_TRUSTED_REGISTRIES", "ghcr.io"),
        ("HADOLINT_TRUSTED_REGISTRIES", "docker.io"),
        ("PLIMSOLL_STRICT_LABELS", "0"),
        ("HADOLINT_STRICT_LABELS", "1"),
        ("PLIMSOLL_DISABLE_IGNORE_PRAGMA", "0"),
        ("HADOLINT_DISABLE_IGNORE_PRAGMA", "1"),
        // No PLIMSOLL_ equivalent: hadolint's value stays.
        ("HADOLINT_OVERRIDE_ERROR", "DL3001"),
    ]);
    assert_eq!(s.ignore, Some(strings(&["DL3008"])));
    assert_eq!(s.no_fail, Some(false));
    assert_eq!(
        s.failure_threshold,
        Some(FailureThreshold::At(Severity::Style))
    );
    assert_eq!(s.format.as_deref(), Some("sarif"));
    assert_eq!(s.trusted_registries, Some(strings(&["ghcr.io"])));
    assert_eq!(s.strict_labels, Some(false));
    assert_eq!(s.disable_ignore_pragma, Some(false));
    assert_eq!(
        s.severity["DL3001"],
        SeverityOverride::Severity(Severity::Error)
    );
}

#[test]
fn accepts_owned_pairs_like_std_env_vars() {
    let vars: Vec<(String, String)> = vec![("PLIMSOLL_SELECT".into(), "DL".into())];
    let s = Settings::from_env_vars(vars).unwrap();
    assert_eq!(s.select, Some(strings(&["DL"])));
}

#[test]
fn image_threshold_variables() {
    let s = env(&[
        ("PLIMSOLL_IMAGE_LOWEST_EFFICIENCY", "0.8"),
        ("PLIMSOLL_IMAGE_HIGHEST_WASTED_BYTES", "5MB"),
        ("PLIMSOLL_IMAGE_HIGHEST_USER_WASTED_PERCENT", "disabled"),
    ]);
    assert_eq!(s.image.lowest_efficiency.as_deref(), Some("0.8"));
    assert_eq!(s.image.highest_wasted_bytes.as_deref(), Some("5MB"));
    assert_eq!(
        s.image.highest_user_wasted_percent.as_deref(),
        Some("disabled")
    );
    let e = env_err(&[("PLIMSOLL_IMAGE_LOWEST_EFFICIENCY", "high")]).to_string();
    assert!(e.contains("PLIMSOLL_IMAGE_LOWEST_EFFICIENCY"), "{e}");
    // Key by key: the environment's efficiency over the file's, the
    // file's wasted bytes kept.
    let file = toml("[image]\nlowest-efficiency = 0.9\nhighest-wasted-bytes = \"1MB\"\n");
    let merged = env(&[("PLIMSOLL_IMAGE_LOWEST_EFFICIENCY", "0.5")]).merge(file);
    assert_eq!(merged.image.lowest_efficiency.as_deref(), Some("0.5"));
    assert_eq!(merged.image.highest_wasted_bytes.as_deref(), Some("1MB"));
}
