//! Every compose and Kubernetes rule over ../shared/corpus/compose: each
//! file loads (or fails with a clear error), nothing panics, findings lie
//! inside their files, and the count per code is snapshotted for review.

use plimsoll_diagnostics::{RuleInfo, Severity};
use plimsoll_runtime::compose::{ComposeInput, Project};
use plimsoll_runtime::kube::Manifest;
use plimsoll_runtime::{Options, check_manifest, check_project};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::{Path, PathBuf};

use plimsoll_testkit::shared_dir as shared;

fn corpus_files() -> Vec<PathBuf> {
    let root = shared().join("corpus/compose");
    let manifest = std::fs::read_to_string(root.join("MANIFEST.tsv"))
        .expect("corpus MANIFEST.tsv (set PLIMSOLL_SHARED to the shared/ folder)");
    manifest
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            (cols.len() == 3).then(|| root.join(cols[0]).join(cols[1]))
        })
        .collect()
}

/// Compose rules the corpus has no case for, and why (their fixtures show
/// them). Kubernetes rules are not here: the corpus has no manifests.
const NOT_IN_CORPUS: &[(&str, &str)] = &[
    ("PL4008", "no service of the corpus runs privileged"),
    (
        "PL4011",
        "no service shares the host's PID, IPC, UTS or user namespace",
    ),
    ("PL4014", "no service's command logs to a file"),
];

#[test]
fn every_compose_rule_runs_over_the_corpus() {
    let files = corpus_files();
    assert_eq!(files.len(), 78, "corpus has {} compose files", files.len());
    let all =
        |info: &'static RuleInfo, _on: bool, _p: &Path| -> Option<Severity> { Some(info.severity) };
    let opts = Options {
        select: &all,
        disable_ignore_pragma: false,
    };
    let mut per_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut errors = Vec::new();
    let mut problems = Vec::new();
    let mut services = 0;
    for path in &files {
        let input = ComposeInput {
            path: path.clone(),
            name: path.display().to_string(),
            reported: true,
        };
        // No process environment: the counts must not depend on the machine.
        let project = match Project::load(&[input], &HashMap::new()) {
            Ok(p) => p,
            Err(e) => {
                errors.push(e.to_string());
                continue;
            }
        };
        services += project.services.len();
        for f in check_project(&project, &opts) {
            *per_code.entry(f.code.clone()).or_default() += 1;
            let Some(src) = project.sources.files.iter().find(|s| s.name == f.file) else {
                problems.push(format!(
                    "{}: finding in unknown file {}",
                    path.display(),
                    f.file
                ));
                continue;
            };
            if let Some(s) = f.span
                && (s.start > s.end || s.end > src.text.len())
            {
                problems.push(format!(
                    "{}: {} span {s:?} outside the file",
                    path.display(),
                    f.code
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let mut snap = String::new();
    writeln!(
        snap,
        "files: {}, loaded: {}, services: {services}",
        files.len(),
        files.len() - errors.len()
    )
    .unwrap();
    for e in &errors {
        let shown = e.rsplit("corpus/compose/").next().unwrap_or(e);
        writeln!(snap, "error: {shown}").unwrap();
    }
    for (code, n) in &per_code {
        writeln!(snap, "{code}: {n}").unwrap();
    }
    let silent: Vec<&str> = plimsoll_runtime::compose::rules::RULES
        .iter()
        .map(|r| r.info().code)
        .filter(|c| !per_code.contains_key(*c))
        .collect();
    let documented: Vec<&str> = NOT_IN_CORPUS.iter().map(|(c, _)| *c).collect();
    assert_eq!(silent, documented, "rules without a corpus case");
    insta::assert_snapshot!("corpus_findings_per_code", snap);
}

/// Corpus files with bytes deleted, duplicated or replaced by YAML's
/// special characters: each either loads and is checked, or is refused
/// with an error; nothing panics.
#[test]
fn mangled_corpus_files_never_panic() {
    const SPECIAL: &[u8] = b":-[]{}&*!|>'\"%@`#,?<\n \t\\$";
    let all =
        |info: &'static RuleInfo, _on: bool, _p: &Path| -> Option<Severity> { Some(info.severity) };
    let opts = Options {
        select: &all,
        disable_ignore_pragma: false,
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("compose.yaml");
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n.max(1) as u64) as usize
    };
    let (mut loaded, mut refused) = (0, 0);
    for file in corpus_files() {
        let original = std::fs::read(&file).unwrap();
        for _ in 0..12 {
            let mut bytes = original.clone();
            for _ in 0..1 + next(4) {
                let at = next(bytes.len());
                match next(3) {
                    0 if !bytes.is_empty() => {
                        bytes.remove(at.min(bytes.len() - 1));
                    }
                    0 => {}
                    1 => {
                        let end = (at + 1 + next(40)).min(bytes.len());
                        let chunk = bytes[at..end].to_vec();
                        bytes.splice(at..at, chunk);
                    }
                    _ => {
                        if let Some(b) = bytes.get_mut(at) {
                            *b = SPECIAL[next(SPECIAL.len())];
                        }
                    }
                }
            }
            std::fs::write(&path, &bytes).unwrap();
            let input = ComposeInput {
                path: path.clone(),
                name: "compose.yaml".into(),
                reported: true,
            };
            match Project::load(&[input], &HashMap::new()) {
                Ok(project) => {
                    loaded += 1;
                    let _ = check_project(&project, &opts);
                }
                Err(e) => {
                    refused += 1;
                    assert!(!e.to_string().is_empty());
                }
            }
        }
    }
    assert!(
        loaded > 100 && refused > 100,
        "loaded {loaded}, refused {refused}"
    );

    // The same for manifests, from the Kubernetes rules' fixtures.
    let fixtures = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("resources/fixtures");
    let mut workloads = 0;
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let file = entry.unwrap().path();
        if !file
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("PL50")
        {
            continue;
        }
        let original = std::fs::read_to_string(&file)
            .unwrap()
            .replace("###", "---\n#");
        for _ in 0..12 {
            let mut bytes = original.clone().into_bytes();
            for _ in 0..1 + next(4) {
                let at = next(bytes.len());
                if let Some(b) = bytes.get_mut(at) {
                    *b = SPECIAL[next(SPECIAL.len())];
                }
            }
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if let Ok(m) = Manifest::from_text(&path, "manifest.yaml", text) {
                workloads += m.workloads.len();
                let _ = check_manifest(&m, &opts);
            }
        }
    }
    assert!(workloads > 100, "{workloads} workloads");
}
