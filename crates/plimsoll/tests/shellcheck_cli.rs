//! `plimsoll check --shellcheck` (and `shellcheck = true` in
//! `.plimsoll.toml`) end to end with the real `shellcheck` program:
//! positions mapped through continuations and exec-form strings, SC codes
//! and severities, pragmas and selection, no duplicates of native checks,
//! and a clear error when the program is missing. `scripts/test` installs
//! ShellCheck; a test that needs it says so and passes when it is absent.

mod support;

use std::path::Path;
use support::{plimsoll, write};
use tempfile::TempDir;

fn have_shellcheck() -> bool {
    let found = plimsoll_rules::ShellcheckBinary::on_path().is_some();
    if !found {
        eprintln!("shellcheck is not on PATH: skipped (apt-get install shellcheck)");
    }
    found
}

/// (code, severity, line, column) of each finding of a JSON report.
fn findings(out: &[u8]) -> Vec<(String, String, u64, u64)> {
    support::json_of(out)
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

const DOCKERFILE: &str = "FROM debian:12
RUN echo start && \\
    echo `date` > /tmp/now
RUN [\"sh\", \"-c\", \"echo `uname`\"]
# hadolint ignore=SC2006
RUN echo `hostname`
SHELL [\"pwsh\", \"-Command\"]
RUN Write-Host `date`
";

fn run(dir: &Path, args: &[&str]) -> Vec<(String, String, u64, u64)> {
    let out = plimsoll(dir)
        .args(["check", "--no-fail", "--format", "json"])
        .args(args)
        .arg("Dockerfile")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    findings(&out)
}

#[test]
fn findings_land_on_the_exact_dockerfile_position() {
    if !have_shellcheck() {
        return;
    }
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", DOCKERFILE);
    let sc2006: Vec<_> = run(t.path(), &["--shellcheck"])
        .into_iter()
        .filter(|f| f.0 == "SC2006")
        .collect();
    // Line 3 col 10: inside the continuation. Line 4: inside the
    // JSON string of the exec form (col 24). Line 6 is ignored by its pragma, and
    // the PowerShell RUN is not sent.
    assert_eq!(
        sc2006,
        [
            ("SC2006".into(), "style".into(), 3, 10),
            ("SC2006".into(), "style".into(), 4, 24),
        ]
    );
}

#[test]
fn without_the_flag_nothing_runs() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", DOCKERFILE);
    assert!(!run(t.path(), &[]).iter().any(|f| f.0 == "SC2006"));
}

#[test]
fn the_config_key_turns_it_on_and_selection_applies() {
    if !have_shellcheck() {
        return;
    }
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", DOCKERFILE);
    write(t.path(), ".plimsoll.toml", "shellcheck = true\n");
    let all = run(t.path(), &[]);
    assert!(all.iter().any(|f| f.0 == "SC2006"), "{all:?}");
    let ignored = run(t.path(), &["--ignore", "SC2006"]);
    assert!(!ignored.iter().any(|f| f.0 == "SC2006"), "{ignored:?}");
    let as_error = run(t.path(), &["--error", "SC2006"]);
    assert!(as_error.iter().any(|f| f.0 == "SC2006" && f.1 == "error"));
}

#[test]
fn a_native_finding_is_not_reported_twice() {
    if !have_shellcheck() {
        return;
    }
    let t = TempDir::new().unwrap();
    // SC2086 (native and ShellCheck's) and SC1001 at the same places.
    write(
        t.path(),
        "Dockerfile",
        "FROM debian:12\nRUN cp $SRC /opt/ && echo \\o\n",
    );
    let found = run(t.path(), &["--shellcheck"]);
    let count = |code: &str| found.iter().filter(|f| f.0 == code).count();
    assert_eq!(count("SC2086"), 1, "{found:?}");
    assert_eq!(count("SC1001"), 1, "{found:?}");
}

#[test]
fn a_missing_shellcheck_is_one_clear_error_and_exit_2() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", DOCKERFILE);
    let out = plimsoll(t.path())
        .env("PATH", t.path().join("empty"))
        .args(["check", "--shellcheck", "Dockerfile"])
        .assert()
        .code(2)
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("no `shellcheck` program on PATH"),
        "{stderr}"
    );
}

#[test]
fn a_heredoc_keeps_its_own_shebang_line() {
    if !have_shellcheck() {
        return;
    }
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM debian:12\nRUN <<EOF\n#!/bin/bash\necho `date`\nEOF\n",
    );
    let found = run(t.path(), &["--shellcheck"]);
    // No SC1128 (shebang not first); SC2006 on line 4, column 6.
    assert!(!found.iter().any(|f| f.0 == "SC1128"), "{found:?}");
    assert!(
        found.contains(&("SC2006".into(), "style".into(), 4, 6)),
        "{found:?}"
    );
}
