//! Compose projects: merged files, `extends`, variables, Dockerfiles.

use plimsoll_runtime::compose::{ComposeInput, Project};
use std::collections::HashMap;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn input(dir: &Path, name: &str) -> ComposeInput {
    ComposeInput {
        path: dir.join(name),
        name: name.to_string(),
        reported: true,
    }
}

#[test]
fn overrides_merge_as_compose_does() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "compose.yaml",
        "services:\n  web:\n    image: nginx:1.27\n    command: [a, b]\n    environment:\n      - A=1\n      - B=2\n    ports: ['80:80']\n    volumes: ['./a:/data', 'logs:/logs']\n",
    );
    write(
        t.path(),
        "compose.override.yaml",
        "services:\n  web:\n    command: [c]\n    environment:\n      B: 3\n      C: 4\n    ports: ['443:443', '80:80']\n    volumes: ['./b:/data']\n    user: !reset null\n",
    );
    let p = Project::load(
        &[
            input(t.path(), "compose.yaml"),
            input(t.path(), "compose.override.yaml"),
        ],
        &HashMap::new(),
    )
    .unwrap();
    let web = &p.services[0].node;
    let strings = |key: &str| -> Vec<String> {
        web.get(key)
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(strings("command"), ["c"]);
    assert_eq!(strings("ports"), ["80:80", "443:443"]);
    assert_eq!(strings("volumes"), ["./b:/data", "logs:/logs"]);
    let env = web.get("environment").unwrap();
    assert_eq!(env.get("A").unwrap().as_str(), Some("1"));
    assert_eq!(env.get("B").unwrap().as_str(), Some("3"));
    assert_eq!(env.get("C").unwrap().as_str(), Some("4"));
    // B's value comes from the override (file 1), A's from the base.
    assert_eq!(env.get("B").unwrap().file, 1);
    assert_eq!(env.get("A").unwrap().file, 0);
    assert!(web.get("user").is_none());
}

#[test]
fn extends_in_the_same_file_and_from_another() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "app/compose.yaml",
        "services:\n  base:\n    image: example/base:1\n    read_only: true\n  api:\n    extends: base\n    user: app\n  worker:\n    extends:\n      file: ../common/common.yml\n      service: job\n",
    );
    write(
        t.path(),
        "common/common.yml",
        "services:\n  job:\n    image: example/job:2\n    build: ./job\n",
    );
    write(
        t.path(),
        "common/job/Dockerfile",
        "FROM alpine:3.20\nUSER 1000\n",
    );
    let p = Project::load(&[input(t.path(), "app/compose.yaml")], &HashMap::new()).unwrap();
    let api = p.services.iter().find(|s| s.name == "api").unwrap();
    assert_eq!(api.node.get("read_only").unwrap().as_str(), Some("true"));
    assert_eq!(api.node.get("user").unwrap().as_str(), Some("app"));
    assert!(api.node.get("extends").is_none());
    let worker = p.services.iter().find(|s| s.name == "worker").unwrap();
    assert_eq!(
        worker.node.get("image").unwrap().as_str(),
        Some("example/job:2")
    );
    // The extended file's relative paths are its own.
    let build = worker.build.as_ref().unwrap();
    assert!(
        build.context.as_ref().unwrap().ends_with("common/job"),
        "{build:?}"
    );
    assert_eq!(build.facts.as_ref().unwrap().user.as_deref(), Some("1000"));
    assert_eq!(p.sources.files[1].name, "common/common.yml");
}

#[test]
fn broken_extends_and_structure_are_errors() {
    let t = tempfile::tempdir().unwrap();
    let load = |text: &str| {
        write(t.path(), "compose.yaml", text);
        Project::load(&[input(t.path(), "compose.yaml")], &HashMap::new())
            .err()
            .map(|e| e.to_string())
    };
    let cycle = load("services:\n  a:\n    extends: b\n  b:\n    extends: a\n").unwrap();
    assert!(cycle.contains("cycle"), "{cycle}");
    let missing = load("services:\n  a:\n    extends: nope\n").unwrap();
    assert!(
        missing.contains("`nope`, which is not defined"),
        "{missing}"
    );
    assert!(missing.starts_with("compose.yaml:3"), "{missing}");
    let list = load("services: [a, b]\n").unwrap();
    assert!(list.contains("`services` must be a mapping"), "{list}");
    let top = load("- a\n").unwrap();
    assert!(top.contains("top level"), "{top}");
    assert_eq!(load("# only a comment\n"), None);
    assert_eq!(load(""), None);
}

#[test]
fn variables_come_from_dotenv_under_the_process() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        "compose.yaml",
        "services:\n  web:\n    image: nginx:${TAG}\n    user: ${UID:-1000}\n",
    );
    write(t.path(), ".env", "TAG=1.27\nUID=0\n");
    let mut process = HashMap::new();
    process.insert("UID".to_string(), "33".to_string());
    let p = Project::load(&[input(t.path(), "compose.yaml")], &process).unwrap();
    let web = &p.services[0].node;
    assert_eq!(
        p.resolve(web.get("image").unwrap()).as_deref(),
        Some("nginx:1.27")
    );
    assert_eq!(p.resolve(web.get("user").unwrap()).as_deref(), Some("33"));
}
