//! Every rule has a fixture, `resources/fixtures/<CODE>.Dockerfile`, made
//! of cases that each start with a header line:
//!
//! ```text
//! ### flagged @1: what this case shows
//! FROM ubuntu
//! ### clean: what this case shows
//! FROM ubuntu:24.04
//! ```
//!
//! Each case is linted on its own with only that rule enabled. A `flagged`
//! case lists, as `@LINE`s (1-based, within the case), the lines on which
//! the rule's findings start — exactly, one `@` per finding, in order; a
//! `clean` case must produce none. Every fixture needs both kinds. The findings (and, for fixable rules, the
//! fixed text) are snapshotted so that a change in behaviour shows in review.

use plimsoll_diagnostics::{LineIndex, Severity};
use plimsoll_rules::{FixMode, LintOptions, Rule, RuleOptions, all_rules, apply_fixes, lint};
use std::fmt::Write;
use std::path::PathBuf;

struct Case {
    flagged: bool,
    /// Start lines of the expected findings (flagged cases).
    expected: Vec<usize>,
    title: String,
    text: String,
}

/// `### flagged @2 @4: title` → (true, [2, 4], "title").
fn header(line: &str) -> Option<(bool, Vec<usize>, &str)> {
    if let Some(t) = line.strip_prefix("### clean:") {
        return Some((false, Vec::new(), t));
    }
    let rest = line.strip_prefix("### flagged")?;
    let (marks, title) = rest.split_once(':')?;
    let expected = marks
        .split_whitespace()
        .map(|m| m.strip_prefix('@').and_then(|n| n.parse().ok()))
        .collect::<Option<Vec<usize>>>()?;
    Some((true, expected, title))
}

fn cases(fixture: &str) -> Vec<Case> {
    let mut out: Vec<Case> = Vec::new();
    for line in fixture.split_inclusive('\n') {
        match header(line) {
            Some((flagged, expected, title)) => out.push(Case {
                flagged,
                expected,
                title: title.trim().to_string(),
                text: String::new(),
            }),
            None => {
                if let Some(c) = out.last_mut() {
                    c.text.push_str(line);
                }
            }
        }
    }
    out
}

pub fn fixture_options() -> RuleOptions {
    RuleOptions {
        trusted_registries: vec!["docker.io".into(), "*.example.com".into()],
        label_schema: [
            ("org.opencontainers.image.source", "url"),
            ("org.opencontainers.image.created", "rfc3339"),
            ("org.opencontainers.image.version", "semver"),
            ("org.opencontainers.image.revision", "hash"),
            ("org.opencontainers.image.licenses", "spdx"),
            ("org.opencontainers.image.authors", "email"),
            ("org.opencontainers.image.title", "text"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.parse().unwrap()))
        .collect(),
        // Only DL3050 reads it; it needs strict labels on to report anything.
        strict_labels: true,
    }
}

fn lint_with(rule: &'static dyn Rule, text: &str) -> Vec<plimsoll_diagnostics::Finding> {
    let code = rule.info().code;
    let select = move |r: &'static dyn Rule| -> Option<Severity> {
        (r.info().code == code).then(|| r.info().severity)
    };
    let opts = LintOptions {
        rules: fixture_options(),
        select: &select,
        disable_ignore_pragma: false,
    };
    let df = plimsoll_syntax::parse_str(text);
    lint(&df, "Dockerfile", &opts)
}

#[test]
fn every_rule_has_a_fixture_that_behaves_and_a_snapshot() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/fixtures");
    let mut problems = Vec::new();
    let mut snapshots = Vec::new();
    // While working on some rules: PLIMSOLL_FIXTURE_FILTER=DL30,StageNameCasing
    let filter: Vec<String> = std::env::var("PLIMSOLL_FIXTURE_FILTER")
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    for &rule in all_rules() {
        let info = rule.info();
        if !filter.is_empty() && !filter.iter().any(|f| info.code.starts_with(f.as_str())) {
            continue;
        }
        let path = dir.join(format!("{}.Dockerfile", info.code));
        let Ok(fixture) = std::fs::read_to_string(&path) else {
            problems.push(format!("{}: no fixture at {}", info.code, path.display()));
            continue;
        };
        let cases = cases(&fixture);
        if !cases.iter().any(|c| c.flagged) || !cases.iter().any(|c| !c.flagged) {
            problems.push(format!("{}: needs both flagged and clean cases", info.code));
        }
        let mut snap = String::new();
        let mut any_fix = false;
        for case in &cases {
            let findings = lint_with(rule, &case.text);
            let idx = LineIndex::new(&case.text);
            let own = findings.iter().filter(|f| f.code == info.code).count();
            let lines: Vec<usize> = findings
                .iter()
                .filter(|f| f.code == info.code)
                .map(|f| {
                    idx.location(&case.text, f.span.unwrap_or_default().start)
                        .line
                })
                .collect();
            if case.flagged && case.expected.is_empty() {
                problems.push(format!(
                    "{}: flagged case `{}` lists no expected `@LINE`",
                    info.code, case.title
                ));
            }
            if case.flagged && lines != case.expected {
                problems.push(format!(
                    "{}: flagged case `{}` expected findings on lines {:?}, found {:?}",
                    info.code, case.title, case.expected, lines
                ));
            }
            if !case.flagged && own != 0 {
                problems.push(format!(
                    "{}: clean case `{}` found {own}: {:?}",
                    info.code,
                    case.title,
                    findings.iter().map(|f| &f.message).collect::<Vec<_>>()
                ));
            }
            let kind = if case.flagged { "flagged" } else { "clean" };
            writeln!(snap, "--- {kind}: {}", case.title).unwrap();
            for f in &findings {
                let span = f.span.unwrap_or_default();
                let (s, e) = (
                    idx.location(&case.text, span.start),
                    idx.location(&case.text, span.end),
                );
                writeln!(
                    snap,
                    "{}:{}-{}:{} {} [{}] {}",
                    s.line, s.column, e.line, e.column, f.code, f.severity, f.message
                )
                .unwrap();
                if let Some(fix) = &f.fix {
                    writeln!(snap, "  fix ({:?}): {}", fix.applicability, fix.message).unwrap();
                }
            }
            if findings.iter().any(|f| f.fix.is_some()) {
                any_fix = true;
                let (fixed, _) = apply_fixes(&case.text, &findings, FixMode::Unsafe);
                writeln!(snap, "  fixed:").unwrap();
                for l in fixed.lines() {
                    writeln!(snap, "  | {l}").unwrap();
                }
                // Fixing is idempotent: the fixed text needs no more fixes
                // from this rule.
                let again = lint_with(rule, &fixed);
                if again.iter().any(|f| f.fix.is_some()) {
                    problems.push(format!(
                        "{}: fix of `{}` is not idempotent",
                        info.code, case.title
                    ));
                }
                let reparsed = plimsoll_syntax::parse_str(&fixed);
                if reparsed.errors.len() > plimsoll_syntax::parse_str(&case.text).errors.len() {
                    problems.push(format!(
                        "{}: fix of `{}` breaks parsing",
                        info.code, case.title
                    ));
                }
            }
        }
        if info.fixable && !any_fix {
            problems.push(format!("{}: fixable, but no case shows a fix", info.code));
        }
        snapshots.push((info.code, snap));
    }
    assert!(
        problems.is_empty(),
        "fixture problems:\n{}",
        problems.join("\n")
    );
    assert!(!snapshots.is_empty());
    for (code, snap) in snapshots {
        insta::assert_snapshot!(code, snap);
    }
}

#[test]
fn every_rule_is_documented() {
    for &rule in all_rules() {
        let info = rule.info();
        for section in ["## What it does", "## Why is this bad?", "## Example"] {
            assert!(
                info.docs.contains(section),
                "{} lacks `{section}`",
                info.code
            );
        }
        assert!(!info.summary.is_empty(), "{} lacks a summary", info.code);
        if info.fixable {
            assert!(
                info.docs.contains("## Fix safety"),
                "{} lacks `## Fix safety`",
                info.code
            );
        }
    }
}
