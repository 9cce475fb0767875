use super::*;
use crate::{PerFileIgnore, RuleSelector, SeverityOverride};
use plimsoll_diagnostics::Severity;

fn sel(select: Option<&[&str]>, extend: &[&str], ignore: &[&str]) -> RuleSelector {
    RuleSelector::new(&Settings {
        select: select.map(strings),
        extend_select: Some(strings(extend)),
        ignore: Some(strings(ignore)),
        ..Settings::default()
    })
}

#[test]
fn default_set_is_the_enabled_by_default_rules() {
    let s = sel(None, &[], &[]);
    assert!(s.is_enabled("DL3008", &[], true));
    assert!(!s.is_enabled("DL3057", &[], false));
}

#[test]
fn prefixes_select_ranges() {
    let s = sel(Some(&["DL30"]), &[], &[]);
    assert!(s.is_enabled("DL3000", &[], true));
    assert!(s.is_enabled("DL3099", &[], true));
    assert!(!s.is_enabled("DL3100", &[], true));
    assert!(!s.is_enabled("DL4000", &[], true));
    assert!(!s.is_enabled("PL1001", &[], true));
    // A prefix does not enable an off-by-default rule...
    assert!(!s.is_enabled("DL3057", &[], false));
    // ...an exact code does, and so does ALL.
    assert!(sel(Some(&["DL3057"]), &[], &[]).is_enabled("DL3057", &[], false));
    assert!(sel(Some(&["ALL"]), &[], &[]).is_enabled("DL3057", &[], false));
    assert!(sel(Some(&["ALL"]), &[], &[]).is_enabled("SC2086", &[], true));
}

#[test]
fn prefixes_match_only_code_shaped_entries_and_codes() {
    // Case-sensitive: `dl` is not `DL`.
    assert!(!sel(Some(&["dl"]), &[], &[]).is_enabled("DL3000", &[], true));
    // Names are never matched by prefix.
    assert!(!sel(Some(&["Stage"]), &[], &[]).is_enabled("StageNameCasing", &[], true));
    assert!(!sel(Some(&["S"]), &[], &[]).is_enabled("StageNameCasing", &[], true));
    assert!(sel(Some(&["StageNameCasing"]), &[], &[]).is_enabled("StageNameCasing", &[], true));
    // Not a prefix ending inside digits of another shape.
    assert!(!sel(Some(&["DL3"]), &[], &[]).is_enabled("DLX3000", &[], true));
}

#[test]
fn extend_select_adds_to_the_selection() {
    let s = sel(None, &["DL3057"], &[]);
    assert!(s.is_enabled("DL3057", &[], false));
    assert!(s.is_enabled("DL3008", &[], true));
    let s = sel(Some(&["PL"]), &["DL3008"], &[]);
    assert!(s.is_enabled("DL3008", &[], true));
    assert!(!s.is_enabled("DL3009", &[], true));
    assert!(s.is_enabled("PL1001", &[], true));
}

#[test]
fn most_specific_entry_wins_between_select_and_ignore() {
    // Narrower select beats a broader ignore.
    let s = sel(Some(&["DL3008"]), &[], &["DL"]);
    assert!(s.is_enabled("DL3008", &[], true));
    assert!(!s.is_enabled("DL3009", &[], true));
    let s = sel(Some(&["DL30"]), &[], &["DL3"]);
    assert!(s.is_enabled("DL3001", &[], true));
    assert!(!s.is_enabled("DL3101", &[], true));
    // Narrower ignore beats a broader select.
    let s = sel(Some(&["DL"]), &[], &["DL30"]);
    assert!(!s.is_enabled("DL3001", &[], true));
    assert!(s.is_enabled("DL4000", &[], true));
    // Equal specificity: ignore wins.
    assert!(!sel(Some(&["DL3008"]), &[], &["DL3008"]).is_enabled("DL3008", &[], true));
    assert!(!sel(Some(&["ALL"]), &[], &["ALL"]).is_enabled("DL3008", &[], true));
    // The implicit default set is as broad as ALL.
    assert!(!sel(None, &[], &["ALL"]).is_enabled("DL3008", &[], true));
    assert!(sel(None, &["DL3008"], &["ALL"]).is_enabled("DL3008", &[], true));
    assert!(!sel(None, &[], &["DL"]).is_enabled("DL3008", &[], true));
}

#[test]
fn aliases_match_exactly() {
    let aliases = ["StageNameCasing"];
    let s = sel(None, &[], &["StageNameCasing"]);
    assert!(!s.is_enabled("PL1001", &aliases, true));
    let s = sel(None, &[], &["stagenamecasing"]);
    assert!(s.is_enabled("PL1001", &aliases, true));
    // An alias is as specific as a code.
    let s = sel(Some(&["StageNameCasing"]), &[], &["PL"]);
    assert!(s.is_enabled("PL1001", &aliases, true));
}

#[test]
fn severity_overrides_by_specificity() {
    let mut settings = Settings::default();
    settings
        .severity
        .insert("DL".into(), Severity::Style.into());
    settings
        .severity
        .insert("DL30".into(), Severity::Warning.into());
    settings
        .severity
        .insert("DL3008".into(), Severity::Error.into());
    settings
        .severity
        .insert("DL3009".into(), SeverityOverride::Off);
    settings
        .severity
        .insert("JSONArgsRecommended".into(), Severity::Info.into());
    let s = RuleSelector::new(&settings);
    assert_eq!(
        s.severity("DL3008", &[], Severity::Info),
        Some(Severity::Error)
    );
    assert_eq!(
        s.severity("DL3001", &[], Severity::Info),
        Some(Severity::Warning)
    );
    assert_eq!(
        s.severity("DL4000", &[], Severity::Info),
        Some(Severity::Style)
    );
    assert_eq!(
        s.severity("PL1001", &[], Severity::Info),
        Some(Severity::Info)
    );
    assert_eq!(
        s.severity("PL1002", &["JSONArgsRecommended"], Severity::Warning),
        Some(Severity::Info)
    );
    assert_eq!(s.severity("DL3009", &[], Severity::Info), None);
    assert!(!s.is_enabled("DL3009", &[], true));
    assert!(s.is_enabled("DL3008", &[], true));
    assert_eq!(
        s.effective_severity("DL3009", &[], true, Severity::Info),
        None
    );
    assert_eq!(
        s.effective_severity("DL3008", &[], true, Severity::Info),
        Some(Severity::Error)
    );
    assert_eq!(
        s.effective_severity("DL3057", &[], false, Severity::Info),
        None
    );

    // A more specific severity turns an `off` prefix back on.
    let mut settings = Settings::default();
    settings.severity.insert("DL".into(), SeverityOverride::Off);
    settings
        .severity
        .insert("DL3008".into(), Severity::Warning.into());
    let s = RuleSelector::new(&settings);
    assert!(!s.is_enabled("DL3007", &[], true));
    assert!(s.is_enabled("DL3008", &[], true));
}

#[test]
fn per_file_ignores_match_globs() {
    let settings = Settings {
        per_file_ignores: vec![
            PerFileIgnore::new("legacy/*.Dockerfile", strings(&["DL3006"]), None).unwrap(),
            PerFileIgnore::new("*.dev.Dockerfile", strings(&["DL30"]), None).unwrap(),
            PerFileIgnore::new("tools/**", strings(&["StageNameCasing"]), None).unwrap(),
        ],
        ..Settings::default()
    };
    let s = RuleSelector::new(&settings);
    // Without a path, per-file ignores do not apply.
    assert!(s.is_enabled("DL3006", &[], true));

    let legacy = s.for_path(Path::new("legacy/app.Dockerfile"));
    assert!(!legacy.is_enabled("DL3006", &[], true));
    assert!(legacy.is_enabled("DL3007", &[], true));
    assert_eq!(legacy.file_ignores(), strings(&["DL3006"]).as_slice());
    assert!(
        !s.for_path(Path::new("./legacy/app.Dockerfile"))
            .is_enabled("DL3006", &[], true)
    );
    // `*` does not cross `/`.
    assert!(
        s.for_path(Path::new("legacy/sub/app.Dockerfile"))
            .is_enabled("DL3006", &[], true)
    );
    assert!(
        s.for_path(Path::new("other/app.Dockerfile"))
            .is_enabled("DL3006", &[], true)
    );

    // A pattern without `/` matches the file name at any depth; prefixes work.
    let dev = s.for_path(Path::new("a/b/web.dev.Dockerfile"));
    assert!(!dev.is_enabled("DL3001", &[], true));
    assert!(dev.is_enabled("DL4000", &[], true));

    // `**` crosses directories; aliases match.
    let tools = s.for_path(Path::new("tools/x/y/Dockerfile"));
    assert!(!tools.is_enabled("PL1001", &["StageNameCasing"], true));
    assert!(tools.is_enabled("PL1001", &[], true));

    // Per-file ignores beat an exact select.
    let settings = Settings {
        select: Some(strings(&["DL3006"])),
        ..settings
    };
    let s = RuleSelector::new(&settings).for_path(Path::new("legacy/app.Dockerfile"));
    assert!(!s.is_enabled("DL3006", &[], true));
}

#[test]
fn per_file_ignore_rejects_bad_globs() {
    assert!(PerFileIgnore::new("a/[", vec![], None).is_err());
    assert!(PerFileIgnore::new("", vec![], None).is_err());
    assert!(PerFileIgnore::new("a", strings(&[""]), None).is_err());
}
