//! Every real Dockerfile of the shared corpus parses losslessly, and we
//! reject exactly the files BuildKit's parser rejects.
//!
//! Which files BuildKit rejects was established with BuildKit's own parser
//! (the `dockerfile` Python binding) over the whole corpus; our dumps were
//! compared with its AST there too. None of the corpus files is rejected.

mod common;

use plimsoll_syntax::{buildkit_dump, parse};
use std::fs;

/// Corpus files (`<repo>/<path>`) that BuildKit's `parser.Parse` rejects.
const REJECTED_BY_BUILDKIT: &[&str] = &[];

#[test]
fn corpus_parses_losslessly_and_agrees_with_buildkit() {
    let root = plimsoll_testkit::shared_dir().join("corpus/dockerfiles");
    let manifest = fs::read_to_string(root.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    let mut seen = 0;
    let mut failures = Vec::new();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 || cols[4] != "dockerfile" {
            continue;
        }
        let rel = format!("{}/{}", cols[0], cols[2]);
        let bytes = fs::read(root.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        seen += 1;
        let df = match parse(&bytes) {
            Ok(df) => df,
            Err(e) => {
                failures.push(format!("{rel}: not parsed: {e}"));
                continue;
            }
        };
        if let Err(e) = common::check_invariants(&df) {
            failures.push(format!("{rel}: {e}"));
        }
        if !df.lossy_utf8 && df.reconstruct().as_bytes() != &bytes[..] {
            failures.push(format!("{rel}: reconstruct() differs from the file"));
        }
        let expect_rejected = REJECTED_BY_BUILDKIT.contains(&rel.as_str());
        match (buildkit_dump(&df), expect_rejected) {
            (Ok(_), false) | (Err(_), true) => {}
            (Ok(_), true) => failures.push(format!("{rel}: BuildKit rejects it, we accept it")),
            (Err(e), false) => failures.push(format!("{rel}: BuildKit accepts it, we reject: {e}")),
        }
    }
    assert!(seen > 1000, "only {seen} corpus files found");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The corpus templates (Dockerfiles with template syntax) are not valid
/// Dockerfiles, but still parse without panicking and losslessly.
#[test]
fn templates_parse_losslessly() {
    let root = plimsoll_testkit::shared_dir().join("corpus/dockerfiles");
    let manifest = fs::read_to_string(root.join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    let mut seen = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() < 5 || cols[4] != "template" {
            continue;
        }
        let rel = format!("{}/{}", cols[0], cols[2]);
        let bytes = fs::read(root.join(&rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        seen += 1;
        let df = parse(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        common::check_invariants(&df).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let _ = buildkit_dump(&df);
    }
    assert!(seen > 50, "only {seen} templates found");
}
