use super::*;
use crate::{FailureThreshold, LabelType, SeverityOverride};
use plimsoll_diagnostics::Severity;

#[test]
fn empty_file_sets_nothing() {
    assert_eq!(yaml(""), Settings::default());
    assert_eq!(yaml("# nothing\n"), Settings::default());
    assert_eq!(yaml("ignored:\n"), Settings::default());
}

#[test]
fn every_key() {
    let f = yaml_file(
        r#"
ignored:
  - DL3000
  - SC1010
override:
  error: [DL3001, DL3002]
  warning: [DL3042]
  info: [DL3032]
  style: [DL3015]
trustedRegistries:
  - docker.io
  - "*.gcr.io"
label-schema:
  author: text
  contact: email
  created: rfc3339
  version: semver
  documentation: url
  git-revision: hash
  license: spdx
strict-labels: true
failure-threshold: warning
disable-ignore-pragma: true
no-fail: true
no-color: true
format: json
verbose: true
"#,
    );
    assert!(f.warnings.is_empty(), "{:?}", f.warnings);
    let s = f.settings;
    assert_eq!(s.ignore, Some(strings(&["DL3000", "SC1010"])));
    let sev = |c: &str| s.severity.get(c).copied();
    assert_eq!(
        sev("DL3001"),
        Some(SeverityOverride::Severity(Severity::Error))
    );
    assert_eq!(
        sev("DL3002"),
        Some(SeverityOverride::Severity(Severity::Error))
    );
    assert_eq!(
        sev("DL3042"),
        Some(SeverityOverride::Severity(Severity::Warning))
    );
    assert_eq!(
        sev("DL3032"),
        Some(SeverityOverride::Severity(Severity::Info))
    );
    assert_eq!(
        sev("DL3015"),
        Some(SeverityOverride::Severity(Severity::Style))
    );
    assert_eq!(s.severity.len(), 5);
    assert_eq!(
        s.trusted_registries,
        Some(strings(&["docker.io", "*.gcr.io"]))
    );
    assert_eq!(s.label_schema.len(), 7);
    assert_eq!(s.label_schema["author"], LabelType::Text);
    assert_eq!(s.label_schema["contact"], LabelType::Email);
    assert_eq!(s.label_schema["created"], LabelType::Rfc3339);
    assert_eq!(s.label_schema["version"], LabelType::Semver);
    assert_eq!(s.label_schema["documentation"], LabelType::Url);
    assert_eq!(s.label_schema["git-revision"], LabelType::Hash);
    assert_eq!(s.label_schema["license"], LabelType::Spdx);
    assert_eq!(s.strict_labels, Some(true));
    assert_eq!(
        s.failure_threshold,
        Some(FailureThreshold::At(Severity::Warning))
    );
    assert_eq!(s.disable_ignore_pragma, Some(true));
    assert_eq!(s.no_fail, Some(true));
    assert_eq!(s.no_color, Some(true));
    assert_eq!(s.format.as_deref(), Some("json"));
    // Keys hadolint has no equivalent for stay unset.
    assert_eq!(s.select, None);
    assert_eq!(s.extend_select, None);
    assert_eq!(s.shellcheck, None);
}

#[test]
fn trusted_registries_may_be_one_string() {
    let s = yaml("trustedRegistries: my-company.com:5000\n");
    assert_eq!(
        s.trusted_registries,
        Some(strings(&["my-company.com:5000"]))
    );
}

#[test]
fn a_code_in_two_override_lists_gets_the_most_severe() {
    let s = yaml("override:\n  style: [DL3000]\n  error: [DL3000]\n  info: [DL3000]\n");
    assert_eq!(
        s.severity["DL3000"],
        SeverityOverride::Severity(Severity::Error)
    );
}

#[test]
fn failure_threshold_none_and_ignore_never_fail() {
    for word in ["none", "ignore"] {
        let s = yaml(&format!("failure-threshold: {word}\n"));
        assert_eq!(s.failure_threshold, Some(FailureThreshold::Never));
    }
    for (word, sev) in [
        ("error", Severity::Error),
        ("info", Severity::Info),
        ("style", Severity::Style),
    ] {
        let s = yaml(&format!("failure-threshold: {word}\n"));
        assert_eq!(s.failure_threshold, Some(FailureThreshold::At(sev)));
    }
}

#[test]
fn formats_map_to_plimsoll_names() {
    for (hadolint, ours) in [
        ("tty", "tty"),
        ("json", "json"),
        ("checkstyle", "checkstyle"),
        ("codeclimate", "codeclimate"),
        ("gitlab_codeclimate", "gitlab-codeclimate"),
        ("gnu", "gnu"),
        ("codacy", "codacy"),
        ("sonarqube", "sonarqube"),
        ("sarif", "sarif"),
        ("junit", "junit"),
    ] {
        let s = yaml(&format!("format: {hadolint}\n"));
        assert_eq!(s.format.as_deref(), Some(ours), "{hadolint}");
    }
    let e = yaml_err("format: html\n");
    assert!(
        e.to_string().contains("unknown output format `html`"),
        "{e}"
    );
}

#[test]
fn unknown_keys_are_ignored_with_a_warning() {
    let f = yaml_file("ignored: [DL3000]\nfoo: 1\ntrusted-registries: [docker.io]\n");
    assert_eq!(f.settings.ignore, Some(strings(&["DL3000"])));
    // hadolint ignores the old spelling too: nothing is trusted.
    assert_eq!(f.settings.trusted_registries, None);
    assert_eq!(f.warnings.len(), 2, "{:?}", f.warnings);
    assert!(
        f.warnings[0].starts_with("/proj/.hadolint.yaml:2:1: unknown key `foo`"),
        "{:?}",
        f.warnings
    );
    assert!(f.warnings[1].contains("did you mean `trustedRegistries`?"));
}

#[test]
fn syntax_error_names_file_line_and_column() {
    let e = yaml_err("ignored: [DL3000\nno-fail: true\n");
    assert_eq!(
        e.to_string(),
        "/proj/.hadolint.yaml:2:8: illegal placement of ':' indicator"
    );
    let e = yaml_err("ignored:\n  - DL3000\n bad: indent\n");
    assert_eq!(e.line(), Some(3), "{e}");
}

#[test]
fn wrong_type_names_file_line_and_what() {
    let e = yaml_err("ignored:\n  - DL3000\nno-fail: maybe\n");
    assert_eq!(e.to_string(), "/proj/.hadolint.yaml:3:10: invalid boolean");

    let e = yaml_err("ignored: DL3000\n");
    assert_eq!(e.to_string(), "/proj/.hadolint.yaml:1:10: expected a list");

    let e = yaml_err("override:\n  error: DL3000\n");
    assert_eq!(e.line(), Some(2), "{e}");

    let e = yaml_err("- DL3000\n");
    assert_eq!(
        e.to_string(),
        "/proj/.hadolint.yaml:1:1: expected a mapping"
    );

    let e = yaml_err("label-schema:\n  version: number\n");
    assert_eq!(e.line(), Some(2), "{e}");
    assert!(e.to_string().contains("unknown label type `number`"), "{e}");

    let e = yaml_err("failure-threshold: fatal\n");
    assert!(e.to_string().contains("unknown failure threshold"), "{e}");
}
