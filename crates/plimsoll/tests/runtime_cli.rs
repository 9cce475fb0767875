//! `plimsoll check` on compose files and Kubernetes manifests end to end,
//! the Dockerfiles compose services build, and bad input: broken YAML,
//! YAML bombs, huge files, broken build contexts.

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};
use support::write;
use tempfile::TempDir;

/// `support::plimsoll`, stopped after a minute: bad input must not hang.
fn plimsoll(dir: &Path) -> Command {
    let mut cmd = support::plimsoll(dir);
    cmd.timeout(Duration::from_secs(60));
    cmd
}

/// Findings as (file, line, code).
fn json_findings(out: &[u8]) -> Vec<(String, u64, String)> {
    support::json_of(out)
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["file"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn has(findings: &[(String, u64, String)], file: &str, line: u64, code: &str) -> bool {
    findings
        .iter()
        .any(|(f, l, c)| f == file && *l == line && c == code)
}

const COMPOSE: &str = "services:
  web:
    image: nginx
    privileged: true
    environment:
      DB_PASSWORD: hunter2
";

#[test]
fn compose_files_in_a_directory_are_found_merged_and_reported_where_written() {
    let t = TempDir::new().unwrap();
    write(t.path(), "compose.yaml", COMPOSE);
    write(
        t.path(),
        "compose.override.yaml",
        "services:\n  web:\n    network_mode: host\n",
    );
    write(
        t.path(),
        "compose.prod.yaml",
        "services:\n  web:\n    pid: host\n",
    );
    let out = plimsoll(t.path())
        .args(["check", "--format", "json", "."])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(!text.contains("hunter2"), "the secret is masked: {text}");
    let f = json_findings(&out);
    assert!(has(&f, "compose.yaml", 3, "PL4001"), "{f:?}");
    assert!(has(&f, "compose.yaml", 4, "PL4008"), "{f:?}");
    assert!(has(&f, "compose.yaml", 6, "PL4013"), "{f:?}");
    assert!(has(&f, "compose.override.yaml", 3, "PL4010"), "{f:?}");
    assert!(has(&f, "compose.prod.yaml", 3, "PL4011"), "{f:?}");
    // compose.prod.yaml is checked on top of compose.yaml, reporting only
    // its own findings: the base's are not doubled.
    let privileged = f.iter().filter(|(_, _, c)| c == "PL4008").count();
    assert_eq!(privileged, 1, "{f:?}");
}

#[test]
fn compose_file_flags_and_explicit_files() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "base.yml",
        "services:\n  api:\n    image: example/api:1.0\n",
    );
    write(
        t.path(),
        "extra.yml",
        "services:\n  api:\n    privileged: true\n",
    );
    write(t.path(), "other/compose.yaml", COMPOSE);
    // Without paths, only the --compose-file project is checked.
    let out = plimsoll(t.path())
        .args([
            "check",
            "--format",
            "json",
            "--select",
            "PL4008,PL4001",
            "--compose-file",
            "base.yml",
            "--compose-file",
            "extra.yml",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let f = json_findings(&out);
    assert_eq!(f, vec![("extra.yml".to_string(), 3, "PL4008".to_string())]);
    // A file named on the command line is read by its content.
    let out = plimsoll(t.path())
        .args([
            "check",
            "--format",
            "json",
            "--select",
            "PL4001",
            "base.yml",
            "extra.yml",
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert!(json_findings(&out).is_empty());
}

#[test]
fn selection_severity_thresholds_and_per_file_ignores_apply() {
    let t = TempDir::new().unwrap();
    write(t.path(), "compose.yaml", COMPOSE);
    write(
        t.path(),
        ".plimsoll.toml",
        "[per-file-ignores]\n\"compose.yaml\" = [\"PL4013\"]\n\n[severity]\nPL4008 = \"info\"\n",
    );
    let out = plimsoll(t.path())
        .args([
            "check", "--format", "json", "--select", "PL40", "--ignore", "PL4001",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = support::json_of(&out);
    let codes: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        !codes.contains(&"PL4001") && !codes.contains(&"PL4013"),
        "{codes:?}"
    );
    let privileged = v
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "PL4008")
        .unwrap();
    assert_eq!(privileged["severity"], "info");
    // Only info and below: under a warning threshold, exit 0.
    plimsoll(t.path())
        .args(["check", "--select", "PL4008", "-t", "warning"])
        .assert()
        .code(0);
    // Every output format renders runtime findings.
    for format in [
        "tty",
        "sarif",
        "checkstyle",
        "codeclimate",
        "junit",
        "github",
    ] {
        plimsoll(t.path())
            .args(["check", "--format", format, "--select", "PL4008"])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("PL4008"));
    }
}

#[test]
fn yaml_pragmas_suppress_findings() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "compose.yaml",
        "# plimsoll global ignore=PL4003,PL4004,PL4005,PL4006\nservices:\n  # plimsoll ignore=PL4001 -- pinned elsewhere\n  web:\n    image: nginx\n  proxy:\n    image: traefik\n    privileged: true  # hadolint ignore=PL4008\n",
    );
    let out = plimsoll(t.path())
        .args(["check", "--format", "json", "."])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let f = json_findings(&out);
    assert_eq!(
        f,
        vec![("compose.yaml".to_string(), 7, "PL4001".to_string())],
        "{f:?}"
    );
    plimsoll(t.path())
        .args([
            "check",
            "--format",
            "json",
            "--disable-ignore-pragma",
            "--select",
            "PL4008",
            ".",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PL4008"));
}

#[test]
fn kubernetes_manifests_are_recognised_by_content() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "deploy/app.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n        - name: api\n          image: example/api:latest\n",
    );
    write(t.path(), ".github/workflows/ci.yml", "on: push\njobs: {}\n");
    write(t.path(), "broken-but-not-k8s.yaml", "a: [1, 2\n");
    write(
        t.path(),
        "chart/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: \"{{ .Release.Name }}\"\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx\n",
    );
    let assert = plimsoll(t.path())
        .args([
            "check",
            "--format",
            "json",
            "--select",
            "PL5007,PL5009",
            ".",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "skipped 1 YAML file with `{{ }}` templating",
        ))
        .stderr(predicate::str::contains("error").not());
    let f = json_findings(&assert.get_output().stdout);
    assert_eq!(
        f,
        vec![
            ("deploy/app.yaml".to_string(), 11, "PL5007".to_string()),
            ("deploy/app.yaml".to_string(), 14, "PL5009".to_string()),
        ]
    );
    // Named explicitly, a Helm template is read as YAML.
    let out = plimsoll(t.path())
        .args([
            "check",
            "--format",
            "json",
            "--select",
            "PL5009",
            "chart/templates/deployment.yaml",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        json_findings(&out),
        vec![(
            "chart/templates/deployment.yaml".to_string(),
            10,
            "PL5009".to_string()
        )]
    );
    write(
        t.path(),
        "chart/templates/broken.yaml",
        "kind: {{ if .x }}: [\n",
    );
    plimsoll(t.path())
        .args(["check", "chart/templates/broken.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "chart/templates/broken.yaml: invalid YAML",
        ));
}

#[test]
fn rules_are_listed_and_documented() {
    let t = TempDir::new().unwrap();
    plimsoll(t.path())
        .args(["rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("PL4012"))
        .stdout(predicate::str::contains("PL5011"));
    plimsoll(t.path())
        .args(["rule", "PL4015"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("--worker-tmp-dir"))
        .stdout(predicate::str::contains("## Why is this bad?"));
    plimsoll(t.path())
        .args(["check", "--select", "PL50", "."])
        .assert()
        .code(0);
}

#[test]
fn a_service_build_checks_its_dockerfile_with_its_context() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "compose.yaml",
        "services:\n  api:\n    build:\n      context: ./src\n      dockerfile: ../docker/api.Dockerfile\n",
    );
    write(
        t.path(),
        "docker/api.Dockerfile",
        "FROM python:3.12-slim\nMAINTAINER x\nCOPY app.py missing.py /app/\nUSER app\n",
    );
    write(t.path(), "src/app.py", "print('hi')\n");
    let out = plimsoll(t.path())
        .args(["check", "--format", "json", "compose.yaml"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let f = json_findings(&out);
    // The Dockerfile's own rules, and the context check against ./src.
    assert!(has(&f, "docker/api.Dockerfile", 2, "DL4000"), "{f:?}");
    assert!(has(&f, "docker/api.Dockerfile", 3, "PL2001"), "{f:?}");
    // Its final USER is not root: the service is fine on that count.
    assert!(!f.iter().any(|(_, _, c)| c == "PL4005"), "{f:?}");
}

#[test]
fn config_names_the_context_of_a_dockerfile() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        ".plimsoll.toml",
        "[[context]]\ndockerfile = \"docker/api.Dockerfile\"\ndir = \".\"\n",
    );
    write(
        t.path(),
        "docker/api.Dockerfile",
        "FROM alpine:3.20\nCOPY app.py nope.txt /app/\n",
    );
    write(t.path(), "app.py", "x\n");
    let out = plimsoll(t.path())
        .args(["check", "--format", "json", "docker/api.Dockerfile"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let f = json_findings(&out);
    assert_eq!(
        f.iter().filter(|(_, _, c)| c == "PL2001").count(),
        1,
        "only nope.txt is missing from the configured context: {f:?}"
    );
    // A context that is not a directory: one clear line, exit 2.
    write(
        t.path(),
        ".plimsoll.toml",
        "[[context]]\ndockerfile = \"*.Dockerfile\"\ndir = \"app.py\"\n",
    );
    plimsoll(t.path())
        .args(["check", "docker/api.Dockerfile"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("app.py is not a directory"));
}

#[test]
fn dockerignore_pattern_errors_are_findings() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM alpine:3.20\nCOPY app.py /app/\n",
    );
    write(t.path(), "app.py", "x\n");
    write(t.path(), ".dockerignore", "node_modules\n[abc\n");
    let out = plimsoll(t.path())
        .args(["check", "--format", "json", "Dockerfile"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let f = json_findings(&out);
    assert!(has(&f, ".dockerignore", 2, "PL2005"), "{f:?}");
    plimsoll(t.path())
        .args(["check", "Dockerfile"])
        .assert()
        .stdout(predicate::str::contains("2 | [abc"));
}

#[test]
fn invalid_yaml_is_one_clear_error_and_the_rest_is_checked() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "a/compose.yaml",
        "services:\n  web:\n    image: [nginx\n",
    );
    write(t.path(), "b/compose.yaml", COMPOSE);
    write(
        t.path(),
        "c/docker-compose.yml",
        "services:\n  web:\n    image: a\n    image: b\n",
    );
    plimsoll(t.path())
        .args(["check", "--select", "PL4008", "."])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("PL4008"))
        .stderr(predicate::str::contains(
            "a/compose.yaml: invalid YAML at line",
        ))
        .stderr(predicate::str::contains(
            "c/docker-compose.yml: duplicate key `image` at line 4 (first at line 3)",
        ));
    write(t.path(), "not-utf8/compose.yaml", "");
    fs::write(
        t.path().join("not-utf8/compose.yaml"),
        b"services: \xff\xfe\n",
    )
    .unwrap();
    plimsoll(t.path())
        .args(["check", "not-utf8"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not UTF-8"));
}

#[test]
fn yaml_bombs_and_huge_files_are_refused_quickly() {
    let t = TempDir::new().unwrap();
    let mut bomb = String::from("x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        bomb.push_str(&format!("x-a{i}: &a{i} [{refs}]\n"));
    }
    bomb.push_str("services:\n  web:\n    image: nginx:1.27\n    labels: *a11\n");
    write(t.path(), "compose.yaml", &bomb);
    let start = Instant::now();
    plimsoll(t.path())
        .args(["check", "compose.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("compose.yaml: aliases at line"))
        .stderr(predicate::str::contains("YAML bomb"));
    assert!(start.elapsed() < Duration::from_secs(30));

    let huge = format!(
        "services:\n  web:\n    image: nginx:1.27\n# {}\n",
        "x".repeat(11 * 1024 * 1024)
    );
    write(t.path(), "big/compose.yaml", &huge);
    plimsoll(t.path())
        .args(["check", "big/compose.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "more than the 10485760-byte limit",
        ));
    // Found by a walk, a huge YAML file that is not a compose file is
    // skipped quietly.
    write(t.path(), "data/huge.yaml", &huge);
    plimsoll(t.path())
        .args(["check", "data"])
        .assert()
        .code(0)
        .stderr(predicate::str::is_empty());
}

#[test]
fn symlink_loops_in_a_context_do_not_hang() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM alpine:3.20\nCOPY loop/ a /app/\nCOPY . /app/\n",
    );
    write(t.path(), ".dockerignore", "*.log\n");
    std::os::unix::fs::symlink(".", t.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("b", t.path().join("a")).unwrap();
    std::os::unix::fs::symlink("a", t.path().join("b")).unwrap();
    let start = Instant::now();
    plimsoll(t.path())
        .args(["check", "--format", "json", "Dockerfile"])
        .assert()
        .code(predicate::in_iter([0, 1]));
    assert!(start.elapsed() < Duration::from_secs(30));
}

#[test]
fn unreadable_parts_of_a_context_are_errors() {
    let t = TempDir::new().unwrap();
    write(t.path(), "Dockerfile", "FROM alpine:3.20\nCOPY . /app/\n");
    write(t.path(), ".dockerignore", "*.log\n");
    write(t.path(), "ok.txt", "x\n");
    // Root reads anything; a path longer than the kernel accepts cannot
    // be read by anyone.
    let name = "n".repeat(250);
    let script =
        format!("for i in $(seq 20); do mkdir {name} && cd {name} || exit 1; done; touch leaf");
    let made = std::process::Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(t.path())
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "could not build a deep tree");
    plimsoll(t.path())
        .args(["check", "--format", "json", "Dockerfile"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Dockerfile: build context:"))
        .stderr(predicate::str::contains("BuildKit could not send it"));
}

#[test]
fn a_symlink_to_the_context_is_the_whole_context() {
    let t = TempDir::new().unwrap();
    write(
        t.path(),
        "Dockerfile",
        "FROM alpine:3.20\nCOPY loop/ /app/\nCOPY a /app/\n",
    );
    write(t.path(), ".dockerignore", "*.log\n");
    write(t.path(), "app.py", "x\n");
    std::os::unix::fs::symlink(".", t.path().join("loop")).unwrap();
    std::os::unix::fs::symlink("b", t.path().join("a")).unwrap();
    std::os::unix::fs::symlink("a", t.path().join("b")).unwrap();
    let out = plimsoll(t.path())
        .args([
            "check",
            "--format",
            "json",
            "--select",
            "PL2001",
            "Dockerfile",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    // `loop/` copies the context; `a` is a symlink loop BuildKit cannot
    // follow.
    assert_eq!(
        json_findings(&out),
        vec![("Dockerfile".to_string(), 3, "PL2001".to_string())]
    );
}

#[test]
fn fifos_are_not_read() {
    let t = TempDir::new().unwrap();
    let made = std::process::Command::new("mkfifo")
        .args(["compose.yaml", "pipe.yaml"])
        .current_dir(t.path())
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo failed");
    let start = Instant::now();
    plimsoll(t.path())
        .args(["check", "compose.yaml", "pipe.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("compose.yaml: not a regular file"))
        .stderr(predicate::str::contains("pipe.yaml: not a regular file"));
    // Found by a walk: skipped.
    plimsoll(t.path())
        .args(["check", "--select", "PL5", "."])
        .assert()
        .code(predicate::in_iter([0, 2]));
    assert!(start.elapsed() < Duration::from_secs(30));
}
