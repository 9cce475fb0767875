//! The `plimsoll` binary end to end: discovery, formats, fixes, config,
//! pragmas and exit codes.

mod support;

use predicates::prelude::*;
use std::fs;
use support::{plimsoll, write};
use tempfile::TempDir;

const MAINTAINER: &str = "FROM alpine:3.20\nMAINTAINER Jane <jane@example.com>\n";
const CLEAN: &str = "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=jane\n";

#[test]
fn finds_dockerfiles_in_a_directory_and_exits_1() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", MAINTAINER);
    write(t.path(), "svc/api.Dockerfile", MAINTAINER);
    write(t.path(), "svc/Dockerfile.dev", MAINTAINER);
    write(t.path(), "Dockerfile.template", MAINTAINER);
    write(t.path(), "Dockerfile.dockerignore", "node_modules\n");
    write(t.path(), "ignored/Dockerfile", MAINTAINER);
    write(t.path(), ".gitignore", "ignored/\n");
    let out = plimsoll(t.path())
        .args(["check", "--format", "json", "."])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = support::json_of(&out);
    let mut files: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    files.dedup();
    assert_eq!(
        files,
        ["Dockerfile", "svc/Dockerfile.dev", "svc/api.Dockerfile"]
    );
}

#[test]
fn templates_are_checked_when_named() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile.template", MAINTAINER);
    plimsoll(t.path())
        .args(["check", "Dockerfile.template"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("DL4000"));
}

#[test]
fn clean_file_exits_0() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", CLEAN);
    plimsoll(t.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("All checks passed!"));
}

#[test]
fn json_has_the_documented_fields() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", MAINTAINER);
    let out = plimsoll(t.path())
        .args(["check", "--format=json", "Dockerfile"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = support::json_of(&out);
    let f = &v[0];
    assert_eq!(f["code"], "DL4000");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["file"], "Dockerfile");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        (f["end_line"].as_u64(), f["end_column"].as_u64()),
        (Some(2), Some(11))
    );
    assert_eq!(f["fix"]["applicability"], "safe");
    let edit = &f["fix"]["edits"][0];
    assert_eq!(edit["line"], 2);
    assert!(edit["content"].as_str().unwrap().starts_with("LABEL "));
}

#[test]
fn every_format_renders() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", MAINTAINER);
    for (format, needle) in [
        ("tty", "DL4000"),
        ("sarif", "\"2.1.0\""),
        ("checkstyle", "<checkstyle"),
        ("codeclimate", "\"check_name\""),
        ("gitlab_codeclimate", "\"check_name\""),
        ("junit", "<testsuites"),
        ("github", "::error file=Dockerfile,line=2"),
    ] {
        plimsoll(t.path())
            .args(["check", "--format", format, "Dockerfile"])
            .assert()
            .code(1)
            .stdout(predicate::str::contains(needle));
    }
    plimsoll(t.path())
        .args(["check", "--format", "yaml", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown format"));
}

#[test]
fn a_bad_input_is_reported_and_the_rest_still_checked() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", MAINTAINER);
    fs::write(t.path().join("Dockerfile.bin"), b"FROM a\0\0\0binary").unwrap();
    plimsoll(t.path())
        .args([
            "check",
            "missing/Dockerfile",
            "Dockerfile.bin",
            "Dockerfile",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("DL4000"))
        .stderr(predicate::str::contains("missing/Dockerfile"))
        .stderr(predicate::str::contains("Dockerfile.bin"));
}

#[test]
fn parse_errors_are_findings_and_the_rest_is_checked() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM alpine:3.20\nRUNN echo\nMAINTAINER x\n",
    );
    plimsoll(t.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("DL1000"))
        .stdout(predicate::str::contains("DL4000"));
}

#[test]
fn fix_rewrites_and_is_idempotent() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", MAINTAINER);
    plimsoll(t.path())
        .args(["check", "--fix", "Dockerfile"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("Fixed 1 problem"));
    let fixed = fs::read_to_string(t.path().join("Dockerfile")).unwrap();
    assert_eq!(
        fixed,
        "FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane <jane@example.com>\"\n"
    );
    plimsoll(t.path())
        .args(["check", "--fix", "Dockerfile"])
        .assert()
        .code(0);
    assert_eq!(
        fs::read_to_string(t.path().join("Dockerfile")).unwrap(),
        fixed
    );
}

#[test]
fn diff_shows_fixes_without_writing() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", MAINTAINER);
    plimsoll(t.path())
        .args(["check", "--diff", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("-MAINTAINER Jane"))
        .stdout(predicate::str::contains(
            "+LABEL org.opencontainers.image.authors",
        ));
    assert_eq!(
        fs::read_to_string(t.path().join("Dockerfile")).unwrap(),
        MAINTAINER
    );
}

#[test]
fn stdin_with_a_filename() {
    let t = TempDir::new().unwrap();
    plimsoll(t.path())
        .args([
            "check",
            "--format",
            "json",
            "--stdin-filename",
            "web/Dockerfile",
            "-",
        ])
        .write_stdin(MAINTAINER)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"file\": \"web/Dockerfile\""));
}

#[test]
fn hadolint_yaml_and_plimsoll_toml_are_read_and_toml_wins() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", MAINTAINER);
    write(t.path(), ".hadolint.yaml", "ignored:\n  - DL4000\n");
    plimsoll(t.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(0);
    // The TOML sets `ignore` too, and wins key by key.
    write(t.path(), ".plimsoll.toml", "ignore = []\n");
    plimsoll(t.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(1);
    // hadolint's override and failure-threshold.
    write(t.path(), ".plimsoll.toml", "");
    write(
        t.path(),
        ".hadolint.yaml",
        "override:\n  style:\n    - DL4000\nfailure-threshold: warning\n",
    );
    plimsoll(t.path())
        .args(["check", "--format", "json", "Dockerfile"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("\"severity\": \"style\""));
}

#[test]
fn config_found_by_walking_up_from_the_file() {
    let t = TempDir::new().unwrap();
    write(t.path(), "a/b/Dockerfile", MAINTAINER);
    write(t.path(), "a/.plimsoll.toml", "ignore = [\"DL4000\"]\n");
    write(t.path(), "c/Dockerfile", MAINTAINER);
    let out = plimsoll(t.path())
        .args(["check", "--format", "json", "."])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = support::json_of(&out);
    let files: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["c/Dockerfile"]);
}

#[test]
fn a_malformed_config_is_an_error() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", CLEAN);
    write(
        t.path(),
        ".plimsoll.toml",
        "ignore = \"DL4000\"\nunknown-key = 1\n",
    );
    plimsoll(t.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".plimsoll.toml"));
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", CLEAN);
    write(t.path(), ".hadolint.yaml", "ignored: [DL3000\n");
    plimsoll(t.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".hadolint.yaml"));
}

#[test]
fn command_line_beats_environment_beats_config() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", MAINTAINER);
    write(
        t.path(),
        ".plimsoll.toml",
        "failure-threshold = \"error\"\n",
    );
    // Config: fail at error; DL4000 is an error.
    plimsoll(t.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(1);
    // Environment beats the config file.
    plimsoll(t.path())
        .env("PLIMSOLL_IGNORE", "DL4000")
        .args(["check", "Dockerfile"])
        .assert()
        .code(0);
    // The command line beats the environment.
    plimsoll(t.path())
        .env("PLIMSOLL_IGNORE", "DL4000")
        .args(["check", "--ignore", "DL1000", "Dockerfile"])
        .assert()
        .code(1);
    plimsoll(t.path())
        .args(["check", "--no-fail", "Dockerfile"])
        .assert()
        .code(0);
    plimsoll(t.path())
        .args([
            "check",
            "--warning",
            "DL4000",
            "--failure-threshold",
            "error",
            "Dockerfile",
        ])
        .assert()
        .code(0);
}

#[test]
fn pragmas_hadolint_and_plimsoll() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM alpine:3.20\n# hadolint ignore=DL4000\nMAINTAINER a\n",
    );
    plimsoll(t.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(0);
    write(
        t.path(),
        "Dockerfile",
        "# plimsoll global ignore=MaintainerDeprecated -- legacy\nFROM alpine:3.20\nMAINTAINER a\n",
    );
    plimsoll(t.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(0);
    plimsoll(t.path())
        .args(["check", "--disable-ignore-pragma", "Dockerfile"])
        .assert()
        .code(1);
    write(
        t.path(),
        "Dockerfile",
        "FROM alpine:3.20 AS a\n# hadolint stage ignore=DL4000\nMAINTAINER a\nMAINTAINER b\nFROM a\nMAINTAINER c\n",
    );
    plimsoll(t.path())
        .args(["check", "--format", "json", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\"line\": 6"))
        .stdout(predicate::str::contains("\"line\": 3").not());
}

#[test]
fn buildkit_check_directive_skips_and_raises() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "# check=skip=MaintainerDeprecated\nFROM alpine:3.20\nMAINTAINER a\n",
    );
    plimsoll(t.path())
        .args(["check", "Dockerfile"])
        .assert()
        .code(0);
}

#[test]
fn unknown_codes_are_refused() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", CLEAN);
    plimsoll(t.path())
        .args(["check", "--select", "XX9999", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("XX9999"));
}

#[test]
fn rule_docs_by_code_alias_and_name() {
    let t = TempDir::new().unwrap();
    for q in ["DL4000", "MaintainerDeprecated", "maintainer_deprecated"] {
        plimsoll(t.path())
            .args(["rule", q])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("# maintainer_deprecated (DL4000)"))
            .stdout(predicate::str::contains("## Why is this bad?"));
    }
    plimsoll(t.path()).args(["rule", "NOPE"]).assert().code(2);
    plimsoll(t.path())
        .args(["rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("DL1000"))
        .stdout(predicate::str::contains("maintainer_deprecated"));
}

#[test]
fn debug_buildkit_ast() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM alpine:3.20 AS b\nENV A=1 B=2\nENV C 3\n",
    );
    plimsoll(t.path())
        .args(["debug", "buildkit-ast", "Dockerfile"])
        .assert()
        .code(0)
        .stdout(
            "(from \"alpine:3.20\" \"AS\" \"b\")\n(env \"A\" \"1\" \"=\" \"B\" \"2\" \"=\")\n(env \"C\" \"3\" \"\")\n",
        );
    write(t.path(), "Empty", "# only a comment\n");
    plimsoll(t.path())
        .args(["debug", "buildkit-ast", "Empty"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains("Empty"));
}

#[test]
fn fixing_stdin_prints_the_fixed_text_and_reports_on_stderr() {
    let t = TempDir::new().unwrap();
    plimsoll(t.path())
        .args(["check", "--fix", "-"])
        .write_stdin(MAINTAINER)
        .assert()
        .code(0)
        .stdout("FROM alpine:3.20\nLABEL org.opencontainers.image.authors=\"Jane <jane@example.com>\"\n")
        .stderr(predicate::str::contains("Fixed 1 problem"));
}

#[test]
fn secrets_are_masked_in_snippets_json_fixes_and_diffs() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM alpine:3.20\nENV DB_PASSWORD s3cr3t-value\n",
    );
    for args in [
        vec!["check", "Dockerfile"],
        vec!["check", "--format", "json", "Dockerfile"],
        vec!["check", "--format", "sarif", "Dockerfile"],
        vec!["check", "--diff", "Dockerfile"],
    ] {
        plimsoll(t.path())
            .args(&args)
            .assert()
            .code(1)
            .stdout(predicate::str::contains("s3cr3t").not());
    }
}

#[test]
fn build_context_checks_run_when_the_directory_is_evidently_the_context() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM alpine:3.20\nCOPY app.py /app/\nCOPY missing.txt /app/\nCOPY .env /app/\n",
    );
    write(t.path(), "app.py", "print('hi')\n");
    write(t.path(), ".env", "DB_PASSWORD=hunter2\n");
    let out = plimsoll(t.path())
        .args(["check", "--format", "json", "."])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("\"PL2001\""), "{text}");
    assert!(text.contains("\"PL2002\""), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    // A pragma silences a context finding like any other.
    write(
        t.path(),
        "Dockerfile",
        "FROM alpine:3.20\nCOPY app.py /app/\n# plimsoll ignore=PL2001\nCOPY missing.txt /app/\n",
    );
    plimsoll(t.path())
        .args(["check", "--format", "json", "--ignore", "PL2003", "."])
        .assert()
        .stdout(predicate::str::contains("PL2001").not());
}

#[test]
fn a_lone_dockerfile_gets_no_context_findings() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM alpine:3.20\nCOPY requirements.txt /app/\nCOPY . /app\n",
    );
    plimsoll(t.path())
        .args(["check", "--format", "json", "Dockerfile"])
        .assert()
        .stdout(predicate::str::contains("PL20").not());
    // Named explicitly, the context is checked.
    write(t.path(), "ctx/README", "x\n");
    plimsoll(t.path())
        .args([
            "check",
            "--format",
            "json",
            "--context",
            "ctx",
            "Dockerfile",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PL2001"));
    plimsoll(t.path())
        .args(["check", "--context", "nope", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope"));
}

#[test]
fn entrypoint_scripts_are_read_from_the_build_context() {
    let t = TempDir::new().unwrap();
    let dockerfile = "FROM python:3.12-slim\nCOPY docker/entrypoint.sh /usr/local/bin/\n\
                      ENTRYPOINT [\"entrypoint.sh\"]\n";
    write(t.path(), "Dockerfile", dockerfile);
    write(
        t.path(),
        "docker/entrypoint.sh",
        "#!/bin/sh\nset -e\npython manage.py migrate\ngunicorn app.wsgi\n",
    );
    // The COPY names a file of the directory: it is evidently the context.
    plimsoll(t.path())
        .args(["check", "--select", "PL1014", "Dockerfile"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PL1014"))
        .stdout(predicate::str::contains("gunicorn app.wsgi"));
    write(
        t.path(),
        "docker/entrypoint.sh",
        "#!/bin/sh\nset -e\npython manage.py migrate\nexec gunicorn app.wsgi\n",
    );
    plimsoll(t.path())
        .args(["check", "--select", "PL1014", "Dockerfile"])
        .assert()
        .code(0);
    // Elsewhere, with the context named, the same script is read from it.
    write(
        t.path(),
        "ctx/docker/entrypoint.sh",
        "#!/bin/sh\ngunicorn app.wsgi\n",
    );
    write(t.path(), "other/Dockerfile", dockerfile);
    plimsoll(t.path())
        .args(["check", "--select", "PL1014", "other/Dockerfile"])
        .assert()
        .code(0);
    plimsoll(t.path())
        .args([
            "check",
            "--select",
            "PL1014",
            "--context",
            "ctx",
            "other/Dockerfile",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PL1014"));
}

#[test]
fn context_files_outside_the_context_are_not_read() {
    let t = TempDir::new().unwrap();
    write(t.path(), "outside.sh", "#!/bin/sh\ngunicorn app.wsgi\n");
    write(
        t.path(),
        "ctx/Dockerfile",
        "FROM debian:12-slim\nCOPY ../outside.sh /a.sh\nCOPY link.sh /b.sh\nENTRYPOINT [\"/a.sh\"]\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(t.path().join("outside.sh"), t.path().join("ctx/link.sh")).unwrap();
    plimsoll(t.path())
        .args([
            "check",
            "--select",
            "PL1014",
            "--context",
            "ctx",
            "ctx/Dockerfile",
        ])
        .assert()
        .code(0);
    write(
        t.path(),
        "ctx/Dockerfile",
        "FROM debian:12-slim\nCOPY link.sh /b.sh\nENTRYPOINT [\"/b.sh\"]\n",
    );
    plimsoll(t.path())
        .args([
            "check",
            "--select",
            "PL1014",
            "--context",
            "ctx",
            "ctx/Dockerfile",
        ])
        .assert()
        .code(0);
}

#[test]
fn exec_is_inserted_in_a_heredoc_entrypoint_with_unsafe_fixes() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM python:3.12-slim\nCOPY --chmod=755 <<EOF /entrypoint.sh\n#!/bin/sh\n\
         python manage.py migrate\nPORT=8000 gunicorn app.wsgi\nEOF\nENTRYPOINT [\"/entrypoint.sh\"]\n",
    );
    plimsoll(t.path())
        .args(["check", "--select", "PL1014", "--fix", "Dockerfile"])
        .assert()
        .code(1);
    plimsoll(t.path())
        .args([
            "check",
            "--select",
            "PL1014",
            "--unsafe-fixes",
            "Dockerfile",
        ])
        .assert()
        .code(0);
    let fixed = fs::read_to_string(t.path().join("Dockerfile")).unwrap();
    assert!(
        fixed.contains("\nPORT=8000 exec gunicorn app.wsgi\n"),
        "{fixed}"
    );
}

#[test]
fn an_allow_list_dockerignore_silences_copy_of_the_whole_context() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM python:3.12-slim\nCOPY . /app\n",
    );
    write(t.path(), ".dockerignore", ".git\n");
    plimsoll(t.path())
        .args(["check", "--select", "PL1011", "Dockerfile"])
        .assert()
        .stdout(predicate::str::contains("PL1011"));
    write(t.path(), ".dockerignore", "*\n!app.py\n!requirements.txt\n");
    plimsoll(t.path())
        .args(["check", "--select", "PL1011", "Dockerfile"])
        .assert()
        .code(0);
}
