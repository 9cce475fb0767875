use super::*;
use crate::{FailureThreshold, LabelType, Layers, SeverityOverride, resolve};
use plimsoll_diagnostics::Severity;

/// A layer that sets every scalar and list key to values tagged `tag`.
fn full(tag: &str, flag: bool, threshold: Severity) -> Settings {
    let mut s = Settings {
        select: Some(vec![format!("{tag}-select")]),
        extend_select: Some(vec![format!("{tag}-extend")]),
        ignore: Some(vec![format!("{tag}-ignore")]),
        failure_threshold: Some(FailureThreshold::At(threshold)),
        no_fail: Some(flag),
        no_color: Some(flag),
        disable_ignore_pragma: Some(flag),
        trusted_registries: Some(vec![format!("{tag}.io")]),
        strict_labels: Some(flag),
        format: Some(tag.to_string()),
        shellcheck: Some(flag),
        config: Some(format!("{tag}.toml").into()),
        ..Settings::default()
    };
    s.severity
        .insert("DL3000".into(), SeverityOverride::Severity(threshold));
    s.label_schema.insert("version".into(), LabelType::Text);
    s
}

fn check_all_from(s: &Settings, tag: &str, flag: bool, threshold: Severity) {
    assert_eq!(s.select, Some(vec![format!("{tag}-select")]));
    assert_eq!(s.extend_select, Some(vec![format!("{tag}-extend")]));
    assert_eq!(s.ignore, Some(vec![format!("{tag}-ignore")]));
    assert_eq!(s.failure_threshold, Some(FailureThreshold::At(threshold)));
    assert_eq!(s.no_fail, Some(flag));
    assert_eq!(s.no_color, Some(flag));
    assert_eq!(s.disable_ignore_pragma, Some(flag));
    assert_eq!(s.trusted_registries, Some(vec![format!("{tag}.io")]));
    assert_eq!(s.strict_labels, Some(flag));
    assert_eq!(s.format.as_deref(), Some(tag));
    assert_eq!(s.shellcheck, Some(flag));
    assert_eq!(s.severity["DL3000"], SeverityOverride::Severity(threshold));
}

#[test]
fn defaults_fill_what_no_layer_sets() {
    let s = resolve(Layers::default());
    assert_eq!(s, Settings::defaults());
    assert_eq!(
        s.failure_threshold,
        Some(FailureThreshold::At(Severity::Info))
    );
    assert_eq!(s.no_fail, Some(false));
    assert_eq!(s.format.as_deref(), Some("tty"));
    assert_eq!(s.shellcheck, Some(false));
    assert_eq!(s.select, None);
}

#[test]
fn each_layer_beats_the_one_below_on_every_key() {
    // Alternate flag and threshold so each layer's values differ from the
    // next one's.
    let cli = full("cli", true, Severity::Error);
    let env = full("env", false, Severity::Warning);
    let plimsoll = full("plimsoll", true, Severity::Style);
    let hadolint = full("hadolint", false, Severity::Info);

    let s = resolve(Layers {
        cli: cli.clone(),
        env: env.clone(),
        plimsoll: Some(plimsoll.clone()),
        hadolint: Some(hadolint.clone()),
    });
    check_all_from(&s, "cli", true, Severity::Error);

    let s = resolve(Layers {
        env: env.clone(),
        plimsoll: Some(plimsoll.clone()),
        hadolint: Some(hadolint.clone()),
        ..Layers::default()
    });
    check_all_from(&s, "env", false, Severity::Warning);

    let s = resolve(Layers {
        plimsoll: Some(plimsoll.clone()),
        hadolint: Some(hadolint.clone()),
        ..Layers::default()
    });
    check_all_from(&s, "plimsoll", true, Severity::Style);

    let s = resolve(Layers {
        hadolint: Some(hadolint),
        ..Layers::default()
    });
    check_all_from(&s, "hadolint", false, Severity::Info);
}

#[test]
fn precedence_is_key_by_key() {
    let s = resolve(Layers {
        cli: Settings {
            format: Some("json".into()),
            ..Settings::default()
        },
        env: Settings {
            no_fail: Some(true),
            ..Settings::default()
        },
        plimsoll: Some(toml("ignore = [\"DL3008\"]\nstrict-labels = true\n")),
        hadolint: Some(yaml(
            "ignored: [DL3009]\nfailure-threshold: error\nstrict-labels: false\nformat: sarif\n",
        )),
    });
    assert_eq!(s.format.as_deref(), Some("json")); // cli
    assert_eq!(s.no_fail, Some(true)); // env
    assert_eq!(s.ignore, Some(strings(&["DL3008"]))); // plimsoll over hadolint
    assert_eq!(s.strict_labels, Some(true)); // plimsoll over hadolint
    assert_eq!(
        s.failure_threshold,
        Some(FailureThreshold::At(Severity::Error))
    ); // hadolint
    assert_eq!(s.shellcheck, Some(false)); // default
}

#[test]
fn tables_merge_entry_by_entry() {
    let s = resolve(Layers {
        cli: Settings {
            severity: [("DL3001".to_string(), SeverityOverride::Off)].into(),
            ..Settings::default()
        },
        plimsoll: Some(toml(
            "[severity]\nDL3001 = \"style\"\nDL3002 = \"error\"\n[label-schema]\nversion = \"semver\"\n\
             [per-file-ignores]\n\"a/*\" = [\"DL3000\"]\n",
        )),
        hadolint: Some(yaml(
            "override:\n  info: [DL3002, DL3003]\nlabel-schema:\n  version: text\n  author: text\n",
        )),
        ..Layers::default()
    });
    assert_eq!(s.severity["DL3001"], SeverityOverride::Off);
    assert_eq!(
        s.severity["DL3002"],
        SeverityOverride::Severity(Severity::Error)
    );
    assert_eq!(
        s.severity["DL3003"],
        SeverityOverride::Severity(Severity::Info)
    );
    assert_eq!(s.label_schema["version"], LabelType::Semver);
    assert_eq!(s.label_schema["author"], LabelType::Text);
    assert_eq!(s.per_file_ignores.len(), 1);
}

#[test]
fn per_file_ignores_of_the_same_pattern_come_from_the_higher_layer() {
    let high = toml("[per-file-ignores]\n\"*.Dockerfile\" = [\"DL3006\"]\n");
    let low = toml("[per-file-ignores]\n\"*.Dockerfile\" = [\"DL3007\"]\n\"b/*\" = [\"DL3008\"]\n");
    let s = high.merge(low);
    assert_eq!(s.per_file_ignores.len(), 2);
    assert_eq!(s.per_file_ignores[0].codes, strings(&["DL3006"]));
    assert_eq!(s.per_file_ignores[1].pattern, "b/*");
}

#[test]
fn failing_follows_threshold_and_no_fail() {
    let mut s = Settings::defaults();
    assert!(s.fails_on(Severity::Info));
    assert!(!s.fails_on(Severity::Style));
    s.failure_threshold = Some(FailureThreshold::Never);
    assert!(!s.fails_on(Severity::Error));
    s.failure_threshold = Some(FailureThreshold::At(Severity::Style));
    assert!(s.fails_on(Severity::Style));
    s.no_fail = Some(true);
    assert!(!s.fails_on(Severity::Error));
}
