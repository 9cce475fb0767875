//! BuildKit's own parser fixtures: for each `testfiles/<case>/Dockerfile`,
//! our `buildkit_dump` must equal BuildKit's `result` byte for byte, and
//! every `testfiles-negative` case must be rejected.

mod common;

use plimsoll_diagnostics::LineIndex;
use plimsoll_syntax::{buildkit_dump, parse};
use std::fs;
use std::path::Path;

fn case_dirs(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// A line diff good enough to read a failing case.
fn diff(expected: &str, actual: &str) -> String {
    let mut out = String::new();
    let (e, a): (Vec<_>, Vec<_>) = (expected.lines().collect(), actual.lines().collect());
    for i in 0..e.len().max(a.len()) {
        match (e.get(i), a.get(i)) {
            (Some(x), Some(y)) if x == y => {}
            (x, y) => {
                out.push_str(&format!("  line {}:\n", i + 1));
                out.push_str(&format!("    - {}\n", x.unwrap_or(&"<none>")));
                out.push_str(&format!("    + {}\n", y.unwrap_or(&"<none>")));
            }
        }
    }
    if out.is_empty() {
        out.push_str("  (differs only in the final newline)\n");
    }
    out
}

#[test]
fn dumps_match_buildkit_results() {
    let dir = plimsoll_testkit::shared_dir().join("buildkit/parser/testfiles");
    let cases = case_dirs(&dir);
    assert_eq!(cases.len(), 33, "expected BuildKit's 33 fixture cases");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let source = fs::read(case.join("Dockerfile")).expect("Dockerfile");
        let expected = fs::read_to_string(case.join("result")).expect("result");
        let df = parse(&source).expect("fixture is text");
        assert_eq!(df.reconstruct().as_bytes(), &source[..], "{name}: lossless");
        match buildkit_dump(&df) {
            Ok(actual) if actual == expected => {}
            Ok(actual) => failures.push(format!("{name}:\n{}", diff(&expected, &actual))),
            Err(e) => failures.push(format!("{name}: rejected: {e}")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from BuildKit:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn negative_cases_are_rejected() {
    let dir = plimsoll_testkit::shared_dir().join("buildkit/parser/testfiles-negative");
    let cases = case_dirs(&dir);
    assert_eq!(cases.len(), 4);
    for case in &cases {
        let source = fs::read(case.join("Dockerfile")).expect("Dockerfile");
        let df = parse(&source).expect("text");
        assert_eq!(df.reconstruct().as_bytes(), &source[..]);
        let dump = buildkit_dump(&df);
        assert!(dump.is_err(), "{} accepted: {dump:?}", case.display());
        assert!(
            df.errors.iter().any(|e| e.fatal_in_buildkit),
            "{}: no fatal syntax error",
            case.display()
        );
    }
}

/// BuildKit's `TestParseIncludesLineNumbers`.
#[test]
fn line_numbers_match_buildkit() {
    let path = plimsoll_testkit::shared_dir().join("buildkit/parser/testfile-line/Dockerfile");
    let source = fs::read(&path).expect("testfile-line");
    let df = parse(&source).expect("text");
    let lines: Vec<_> = df
        .instructions
        .iter()
        .map(|i| (i.start_line, i.end_line))
        .collect();
    assert_eq!(lines, [(5, 5), (11, 12), (17, 31)]);
    // The spans agree with the line numbers.
    let index = LineIndex::new(&df.text);
    for ins in &df.instructions {
        assert_eq!(index.line_of(ins.span.start), ins.start_line);
        assert_eq!(index.line_of(ins.span.end), ins.end_line);
    }
}
