use super::*;
use crate::{FailureThreshold, LabelType, SeverityOverride};
use plimsoll_diagnostics::Severity;
use std::path::PathBuf;

#[test]
fn empty_file_sets_nothing() {
    assert_eq!(toml(""), Settings::default());
    assert_eq!(toml("# only a comment\n"), Settings::default());
}

#[test]
fn every_key() {
    let s = toml(
        r#"
select = ["DL", "PL1"]
extend-select = ["DL3057"]
ignore = ["DL3008"]
failure-threshold = "warning"
no-fail = true
no-color = true
disable-ignore-pragma = true
trusted-registries = ["docker.io", "ghcr.io"]
strict-labels = true
format = "sarif"
shellcheck = true

[severity]
DL3008 = "error"
DL30 = "style"
StageNameCasing = "off"

[label-schema]
"org.opencontainers.image.source" = "url"
version = "semver"

[per-file-ignores]
"legacy/*.Dockerfile" = ["DL3006", "DL3007"]
"#,
    );
    assert_eq!(s.select, Some(strings(&["DL", "PL1"])));
    assert_eq!(s.extend_select, Some(strings(&["DL3057"])));
    assert_eq!(s.ignore, Some(strings(&["DL3008"])));
    assert_eq!(
        s.failure_threshold,
        Some(FailureThreshold::At(Severity::Warning))
    );
    assert_eq!(s.no_fail, Some(true));
    assert_eq!(s.no_color, Some(true));
    assert_eq!(s.disable_ignore_pragma, Some(true));
    assert_eq!(
        s.trusted_registries,
        Some(strings(&["docker.io", "ghcr.io"]))
    );
    assert_eq!(s.strict_labels, Some(true));
    assert_eq!(s.format.as_deref(), Some("sarif"));
    assert_eq!(s.shellcheck, Some(true));
    assert_eq!(
        s.severity.get("DL3008"),
        Some(&SeverityOverride::Severity(Severity::Error))
    );
    assert_eq!(
        s.severity.get("DL30"),
        Some(&SeverityOverride::Severity(Severity::Style))
    );
    assert_eq!(
        s.severity.get("StageNameCasing"),
        Some(&SeverityOverride::Off)
    );
    assert_eq!(
        s.label_schema.get("org.opencontainers.image.source"),
        Some(&LabelType::Url)
    );
    assert_eq!(s.label_schema.get("version"), Some(&LabelType::Semver));
    assert_eq!(s.per_file_ignores.len(), 1);
    let pfi = &s.per_file_ignores[0];
    assert_eq!(pfi.pattern, "legacy/*.Dockerfile");
    assert_eq!(pfi.codes, strings(&["DL3006", "DL3007"]));
    assert_eq!(pfi.base, Some(PathBuf::from("/proj")));
    assert_eq!(s.config, None);
}

#[test]
fn every_label_type_and_threshold() {
    for ty in LabelType::ALL {
        let s = toml(&format!("[label-schema]\nx = \"{ty}\"\n"));
        assert_eq!(s.label_schema["x"], ty);
    }
    for (word, want) in [
        ("error", FailureThreshold::At(Severity::Error)),
        ("warning", FailureThreshold::At(Severity::Warning)),
        ("info", FailureThreshold::At(Severity::Info)),
        ("style", FailureThreshold::At(Severity::Style)),
        ("none", FailureThreshold::Never),
    ] {
        let s = toml(&format!("failure-threshold = \"{word}\"\n"));
        assert_eq!(s.failure_threshold, Some(want), "{word}");
    }
}

#[test]
fn false_booleans_are_set_not_absent() {
    let s = toml("no-fail = false\nshellcheck = false\n");
    assert_eq!(s.no_fail, Some(false));
    assert_eq!(s.shellcheck, Some(false));
    assert_eq!(s.strict_labels, None);
}

#[test]
fn unknown_key_names_file_line_and_column() {
    let e = toml_err("select = [\"DL\"]\n\n  selct = [\"DL\"]\n");
    let msg = e.to_string();
    assert!(msg.starts_with("/proj/.plimsoll.toml:3:3: "), "{msg}");
    assert!(msg.contains("unknown field `selct`"), "{msg}");
    assert_eq!(e.line(), Some(3));
}

#[test]
fn unknown_key_in_a_table_is_an_error() {
    // `severity` values must be severities; a nested table is not one.
    let e = toml_err("[severity.DL3008]\nlevel = \"error\"\n");
    assert_eq!(e.line(), Some(1), "{e}");
}

#[test]
fn wrong_type_names_the_line() {
    let e = toml_err("ignore = [\"DL3008\"]\nno-fail = \"yes\"\n");
    assert_eq!(e.line(), Some(2), "{e}");
    assert!(e.to_string().contains("expected a boolean"), "{e}");
    let e = toml_err("select = \"DL\"\n");
    assert_eq!(e.line(), Some(1), "{e}");
}

#[test]
fn syntax_error_names_the_line() {
    let e = toml_err("select = [\"DL\"\nignore = []\n");
    assert!(matches!(e, ConfigError::Parse { .. }));
    assert_eq!(e.path(), Some(Path::new("/proj/.plimsoll.toml")));
    assert!(e.line().is_some(), "{e}");
}

#[test]
fn invalid_values_are_errors_with_location() {
    let e = toml_err("\n[severity]\nDL3008 = \"fatal\"\n");
    assert_eq!(e.line(), Some(3));
    assert!(e.to_string().contains("unknown severity `fatal`"), "{e}");

    let e = toml_err("failure-threshold = \"critical\"\n");
    assert!(e.to_string().contains("unknown failure threshold"), "{e}");

    let e = toml_err("[label-schema]\nversion = \"number\"\n");
    assert_eq!(e.line(), Some(2));
    assert!(e.to_string().contains("unknown label type"), "{e}");

    let e = toml_err("ignore = [\"DL3008, DL3009\"]\n");
    assert!(e.to_string().contains("invalid rule code"), "{e}");

    let e = toml_err("select = [\"\"]\n");
    assert!(e.to_string().contains("empty rule code"), "{e}");

    let e = toml_err("[per-file-ignores]\n\"src/[a\" = [\"DL3006\"]\n");
    assert_eq!(e.line(), Some(2));
    assert!(e.to_string().contains("invalid glob"), "{e}");
}

#[test]
fn image_thresholds() {
    let s = toml(
        r#"
[image]
lowest-efficiency = 0.95
highest-wasted-bytes = "20MB"
highest-user-wasted-percent = "disabled"
"#,
    );
    assert_eq!(s.image.lowest_efficiency.as_deref(), Some("0.95"));
    assert_eq!(s.image.highest_wasted_bytes.as_deref(), Some("20MB"));
    assert_eq!(
        s.image.highest_user_wasted_percent.as_deref(),
        Some("disabled")
    );
    let s = toml("[image]\nhighest-wasted-bytes = 1000\n");
    assert_eq!(s.image.highest_wasted_bytes.as_deref(), Some("1000"));
    assert_eq!(s.image.lowest_efficiency, None);

    let e = toml_err("[image]\nlowest-efficiency = 20\n").to_string();
    assert!(e.contains("0.2 for 20%") && e.contains(":2:"), "{e}");
    let e = toml_err("[image]\nlowestEfficiency = 0.9\n").to_string();
    assert!(e.contains("lowestEfficiency"), "{e}");
}

#[test]
fn context_entries_name_the_context_of_dockerfiles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".plimsoll.toml");
    let text = "[[context]]\ndockerfile = \"docker/api.Dockerfile\"\ndir = \".\"\n\n[[context]]\ndockerfile = \"*.worker.Dockerfile\"\ndir = \"services/worker\"\n";
    let file = parse_plimsoll_toml(text, &path).unwrap();
    let s = file.settings;
    let base = std::path::absolute(dir.path()).unwrap();
    assert_eq!(
        s.context_for(&dir.path().join("docker/api.Dockerfile")),
        Some(base.join("."))
    );
    assert_eq!(
        s.context_for(&dir.path().join("deep/x/a.worker.Dockerfile")),
        Some(base.join("services/worker"))
    );
    assert_eq!(
        s.context_for(&dir.path().join("docker/web.Dockerfile")),
        None
    );
    let err = parse_plimsoll_toml("[[context]]\ndockerfile = \"x\"\n", &path).unwrap_err();
    assert!(err.to_string().contains("dir"), "{err}");
    let err = parse_plimsoll_toml(
        "[[context]]\ndockerfile = \"x\"\ndir = \".\"\ncontext = \"y\"\n",
        &path,
    )
    .unwrap_err();
    assert!(err.to_string().contains("unknown field"), "{err}");
}
