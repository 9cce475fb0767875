//! Every compose and Kubernetes rule has a fixture,
//! `resources/fixtures/<CODE>.yaml`, made of cases that each start with a
//! header line, as the Dockerfile rules' fixtures do:
//!
//! ```text
//! ### flagged @3: what this case shows
//! services:
//!   db:
//!     image: postgres
//! ### clean: what this case shows
//! ...
//! ```
//!
//! A case is a compose file (PL40xx, written as `compose.yaml`) or a
//! manifest (PL50xx, `manifest.yaml`), checked on its own with only that
//! rule enabled. Lines `#### file: NAME` start further files of the case
//! (a `Dockerfile`, a `.env`, an override, a file `extends` reads); a line
//! `#### compose-file: NAME` adds a file to the project after
//! `compose.yaml`, as `-f` does. A `flagged` case lists, as `@LINE`s
//! (1-based, within `compose.yaml`/`manifest.yaml` unless written
//! `@NAME:LINE`), exactly where the rule's findings start; a `clean` case
//! must produce none. Every fixture needs both kinds. The findings are
//! snapshotted.

use plimsoll_diagnostics::{LineIndex, RuleInfo, Severity};
use plimsoll_runtime::compose::{ComposeInput, Project};
use plimsoll_runtime::kube::Manifest;
use plimsoll_runtime::{Options, check_manifest, check_project, rules};
use std::collections::HashMap;
use std::fmt::Write;
use std::path::{Path, PathBuf};

struct Case {
    flagged: bool,
    expected: Vec<String>,
    title: String,
    /// (name, text); the first is the main file.
    files: Vec<(String, String)>,
    /// Extra `-f` files, in order.
    compose_files: Vec<String>,
}

fn header(line: &str) -> Option<(bool, Vec<String>, &str)> {
    if let Some(t) = line.strip_prefix("### clean:") {
        return Some((false, Vec::new(), t));
    }
    let mut rest = line.strip_prefix("### flagged")?;
    let mut marks = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(title) = rest.strip_prefix(':') {
            return Some((true, marks, title));
        }
        let token = rest.split_whitespace().next()?;
        let m = token.strip_prefix('@')?;
        rest = &rest[token.len()..];
        match m.strip_suffix(':') {
            Some(m) => {
                marks.push(m.to_string());
                return Some((true, marks, rest));
            }
            None => marks.push(m.to_string()),
        }
    }
}

fn cases(fixture: &str, main: &str) -> Vec<Case> {
    let mut out: Vec<Case> = Vec::new();
    for line in fixture.split_inclusive('\n') {
        if let Some((flagged, expected, title)) = header(line.trim_end_matches('\n')) {
            out.push(Case {
                flagged,
                expected,
                title: title.trim().to_string(),
                files: vec![(main.to_string(), String::new())],
                compose_files: Vec::new(),
            });
            continue;
        }
        let Some(case) = out.last_mut() else { continue };
        let trimmed = line.trim_end();
        if let Some(name) = trimmed.strip_prefix("#### file:") {
            case.files.push((name.trim().to_string(), String::new()));
        } else if let Some(name) = trimmed.strip_prefix("#### compose-file:") {
            case.files.push((name.trim().to_string(), String::new()));
            case.compose_files.push(name.trim().to_string());
        } else if let Some(last) = case.files.last_mut() {
            last.1.push_str(line);
        }
    }
    out
}

/// `@3` → (main, 3); `@base.yaml:4` → (base.yaml, 4).
fn mark(m: &str, main: &str) -> (String, usize) {
    match m.rsplit_once(':') {
        Some((file, line)) => (file.to_string(), line.parse().unwrap_or(0)),
        None => (main.to_string(), m.parse().unwrap_or(0)),
    }
}

fn run(
    info: &'static RuleInfo,
    case: &Case,
    main: &str,
) -> Result<Vec<plimsoll_diagnostics::Finding>, String> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in &case.files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let code = info.code;
    let select = move |i: &'static RuleInfo, _on: bool, _p: &Path| -> Option<Severity> {
        (i.code == code).then_some(i.severity)
    };
    let opts = Options {
        select: &select,
        disable_ignore_pragma: false,
    };
    let path = dir.path().join(main);
    if main == "compose.yaml" {
        let mut inputs = vec![ComposeInput {
            path: path.clone(),
            name: main.to_string(),
            reported: true,
        }];
        for f in &case.compose_files {
            inputs.push(ComposeInput {
                path: dir.path().join(f),
                name: f.clone(),
                reported: true,
            });
        }
        let project = Project::load(&inputs, &HashMap::new()).map_err(|e| e.to_string())?;
        Ok(check_project(&project, &opts))
    } else {
        let manifest = Manifest::load(&path, main).map_err(|e| e.to_string())?;
        Ok(check_manifest(&manifest, &opts))
    }
}

#[test]
fn every_rule_has_a_fixture_that_behaves_and_a_snapshot() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/fixtures");
    let filter: Vec<String> = std::env::var("PLIMSOLL_FIXTURE_FILTER")
        .map(|v| v.split(',').map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    let mut problems = Vec::new();
    let mut snapshots = Vec::new();
    for &(info, _) in rules() {
        if !filter.is_empty() && !filter.iter().any(|f| info.code.starts_with(f.as_str())) {
            continue;
        }
        let main = if info.code.starts_with("PL40") {
            "compose.yaml"
        } else {
            "manifest.yaml"
        };
        let path = dir.join(format!("{}.yaml", info.code));
        let Ok(fixture) = std::fs::read_to_string(&path) else {
            problems.push(format!("{}: no fixture at {}", info.code, path.display()));
            continue;
        };
        let cases = cases(&fixture, main);
        if !cases.iter().any(|c| c.flagged) || !cases.iter().any(|c| !c.flagged) {
            problems.push(format!("{}: needs both flagged and clean cases", info.code));
        }
        let mut snap = String::new();
        for case in &cases {
            let kind = if case.flagged { "flagged" } else { "clean" };
            writeln!(snap, "--- {kind}: {}", case.title).unwrap();
            let findings = match run(info, case, main) {
                Ok(f) => f,
                Err(e) => {
                    problems.push(format!(
                        "{}: case `{}` did not load: {e}",
                        info.code, case.title
                    ));
                    continue;
                }
            };
            let texts: HashMap<&str, &str> = case
                .files
                .iter()
                .map(|(n, t)| (n.as_str(), t.as_str()))
                .collect();
            let mut found = Vec::new();
            for f in &findings {
                let text = texts.get(f.file.as_str()).copied().unwrap_or("");
                let idx = LineIndex::new(text);
                let span = f.span.unwrap_or_default();
                let (s, e) = (idx.location(text, span.start), idx.location(text, span.end));
                found.push((f.file.clone(), s.line));
                let file = if f.file == main {
                    String::new()
                } else {
                    format!("{} ", f.file)
                };
                writeln!(
                    snap,
                    "{file}{}:{}-{}:{} {} [{}] {}",
                    s.line, s.column, e.line, e.column, f.code, f.severity, f.message
                )
                .unwrap();
            }
            let expected: Vec<(String, usize)> =
                case.expected.iter().map(|m| mark(m, main)).collect();
            if case.flagged && expected.is_empty() {
                problems.push(format!(
                    "{}: flagged case `{}` lists no `@LINE`",
                    info.code, case.title
                ));
            }
            if case.flagged && found != expected {
                problems.push(format!(
                    "{}: flagged case `{}` expected findings at {:?}, found {:?}",
                    info.code, case.title, expected, found
                ));
            }
            if !case.flagged && !findings.is_empty() {
                problems.push(format!(
                    "{}: clean case `{}` found {:?}",
                    info.code,
                    case.title,
                    findings.iter().map(|f| &f.message).collect::<Vec<_>>()
                ));
            }
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
    for &(info, _) in rules() {
        for section in ["## What it does", "## Why is this bad?", "## Example"] {
            assert!(
                info.docs.contains(section),
                "{} lacks `{section}`",
                info.code
            );
        }
        assert!(!info.summary.is_empty(), "{} lacks a summary", info.code);
        assert!(
            info.code.starts_with("PL40") || info.code.starts_with("PL50"),
            "{}",
            info.code
        );
    }
    assert_eq!(rules().len(), 26);
}
