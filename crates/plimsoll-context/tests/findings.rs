mod common;

use common::{add, codes, findings, tree};
use plimsoll_diagnostics::Severity;

const PRIVATE_KEY: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAtopsecretmaterial\n-----END RSA PRIVATE KEY-----\n";
const CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n";

fn span_text<'a>(dockerfile: &'a str, f: &plimsoll_diagnostics::Finding) -> &'a str {
    &dockerfile[f.span.expect("span").range()]
}

// PL2001

#[test]
fn missing_literal_source_is_an_error() {
    let dir = tree(&[(".dockerignore", "\n"), ("app.py", "")]);
    let df = "FROM python:3.12\nCOPY requirments.txt app.py /app/\n";
    let f = findings(dir.path(), df);
    assert_eq!(codes(&f), ["PL2001"]);
    assert_eq!(f[0].severity, Severity::Error);
    assert_eq!(span_text(df, &f[0]), "requirments.txt");
    assert!(
        f[0].message.contains("the build would fail"),
        "{}",
        f[0].message
    );
}

#[test]
fn wildcard_matching_nothing_is_a_warning() {
    let dir = tree(&[(".dockerignore", "\n"), ("app.py", "")]);
    let df = "FROM python:3.12\nARG EXT=whl\nCOPY dist/*.$EXT /wheels/\n";
    let f = findings(dir.path(), df);
    assert_eq!(codes(&f), ["PL2001"]);
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(
        f[0].message.contains("`dist/*.$EXT` (`dist/*.whl`)"),
        "{}",
        f[0].message
    );
}

#[test]
fn optional_file_idiom_is_clean() {
    let dir = tree(&[(".dockerignore", "\n"), ("package.json", "{}")]);
    let df = "FROM node:22\nCOPY package.json yarn.lock* ./\n";
    assert!(findings(dir.path(), df).is_empty());
}

#[test]
fn existing_and_unknown_sources_are_clean() {
    let dir = tree(&[(".dockerignore", "\n"), ("app.py", ""), ("lib/x.py", "")]);
    let df = "FROM python:3.12\nARG WHERE\nCOPY app.py lib/ *.py /app/\nCOPY $WHERE /x\nCOPY --from=build /nope /y\n";
    assert!(findings(dir.path(), df).is_empty());
}

// CopyIgnoredFile

#[test]
fn copy_ignored_file_has_buildkit_message() {
    let dir = tree(&[
        (".dockerignore", "tmp\n"),
        ("tmp/helloworld.txt", "hi"),
        ("keep.txt", ""),
    ]);
    let df =
        "FROM scratch\nCOPY ./tmp/helloworld.txt /helloworld.txt\nADD tmp /t\nCOPY keep.txt /k\n";
    let f = findings(dir.path(), df);
    assert_eq!(codes(&f), ["CopyIgnoredFile", "CopyIgnoredFile"]);
    assert_eq!(
        f[0].message,
        "Attempting to Copy file \"tmp/helloworld.txt\" that is excluded by .dockerignore"
    );
    assert_eq!(f[0].severity, Severity::Warning);
    assert_eq!(span_text(df, &f[0]), "./tmp/helloworld.txt");
    assert_eq!(
        f[1].message,
        "Attempting to Add file \"tmp\" that is excluded by .dockerignore"
    );
}

#[test]
fn copy_ignored_file_understands_exceptions_and_wildcards() {
    let dir = tree(&[
        (".dockerignore", "*.md\n!README.md\nbuild/*\n"),
        ("README.md", ""),
        ("CHANGES.md", ""),
        ("build/out.bin", ""),
    ]);
    let df = "FROM scratch\nCOPY README.md /r\nCOPY CHANGES.md /c\nCOPY build /b\n";
    let f = findings(dir.path(), df);
    assert_eq!(codes(&f), ["CopyIgnoredFile", "CopyIgnoredFile"]);
    assert!(f[0].message.contains("\"CHANGES.md\""));
    assert!(f[1].message.contains("\"build\""));
}

#[test]
fn dockerfile_specific_ignore_file_wins() {
    let dir = tree(&[
        (".dockerignore", "secret.txt\n"),
        ("api.Dockerfile.dockerignore", "other.txt\n"),
        ("secret.txt", ""),
        ("other.txt", ""),
    ]);
    let root = dir.path();
    let (_, ignore) =
        plimsoll_context::IgnoreFile::for_dockerfile(root, &root.join("api.Dockerfile"))
            .unwrap()
            .unwrap();
    let ctx = plimsoll_context::Context::walk(root, &ignore).unwrap();
    assert!(ctx.entry("secret.txt").unwrap().sent);
    assert!(!ctx.entry("other.txt").unwrap().sent);
}

// PL2002

#[test]
fn secrets_copied_into_the_image() {
    let dir = tree(&[
        (".dockerignore", "node_modules\n"),
        (".env", "API_KEY=topsecretvalue\n"),
        ("certs/server.key", PRIVATE_KEY),
        ("deploy/id_ed25519", "key"),
        (".aws/credentials", "[default]\naws_secret_access_key=x\n"),
        (".npmrc", "//registry.npmjs.org/:_authToken=npm_abcdef\n"),
        (".git/config", "[core]\n"),
        (".git/HEAD", "ref: refs/heads/main\n"),
        ("app.js", ""),
    ]);
    let df = "FROM node:22\nCOPY . .\n";
    let f = findings(dir.path(), df);
    let secrets: Vec<_> = f.iter().filter(|f| f.code == "PL2002").collect();
    assert_eq!(secrets.len(), 1, "{f:?}");
    let m = &secrets[0].message;
    assert_eq!(secrets[0].severity, Severity::Error);
    assert_eq!(span_text(df, secrets[0]), ".");
    for shown in [
        "`.env` (environment file)",
        "`certs/server.key` (private key)",
        "`.git/` (git repository)",
        "`.npmrc` (npm token)",
    ] {
        assert!(m.contains(shown), "{shown} in {m}");
    }
    assert!(
        m.contains("and 1 more") || m.contains("deploy/id_ed25519"),
        "{m}"
    );
    for secret in ["topsecretvalue", "npm_abcdef", "MIIEow", "aws_secret"] {
        assert!(!m.contains(secret), "leaked {secret}");
    }
}

#[test]
fn secrets_not_copied_or_not_secret_are_clean() {
    let dir = tree(&[
        (".dockerignore", ".env\n"),
        (".env", "API_KEY=1\n"),
        (".env.example", "API_KEY=\n"),
        ("certs/ca.pem", CERTIFICATE),
        (".npmrc", "registry=https://registry.npmjs.org/\n"),
        ("keys/server.key", PRIVATE_KEY),
        ("node_modules/lib/test/fixtures/key.pem", PRIVATE_KEY),
        ("src/app.js", ""),
    ]);
    // `.env` is excluded; keys/ is in the context but not copied.
    let df = "FROM node:22\nCOPY src/ .env.example certs/ .npmrc node_modules/ /app/\n";
    let f = findings(dir.path(), df);
    assert!(f.iter().all(|f| f.code != "PL2002"), "{f:?}");
}

#[test]
fn copying_a_secret_by_name() {
    let dir = tree(&[
        (".dockerignore", "\n"),
        ("id_rsa", "k"),
        (".pypirc", "[pypi]\npassword = pypi-abc\n"),
    ]);
    let df = "FROM alpine\nCOPY id_rsa /root/.ssh/id_rsa\nCOPY .pypirc /root/\n";
    let f = findings(dir.path(), df);
    assert_eq!(codes(&f), ["PL2002", "PL2002"]);
    assert!(f[0].message.contains("SSH private key"));
    assert!(f[1].message.contains("PyPI credentials"));
    assert!(!f[1].message.contains("pypi-abc"));
}

// PL2003

#[test]
fn missing_dockerignore_points_at_the_context_copy() {
    let dir = tree(&[
        (".git/HEAD", "ref"),
        ("node_modules/x/index.js", "x"),
        ("venv/pyvenv.cfg", "home = /usr"),
        ("server.log", "log"),
        ("app.js", ""),
    ]);
    let df = "FROM node:22\nCOPY package.json* ./\nCOPY . .\n";
    let f = findings(dir.path(), df);
    let missing: Vec<_> = f.iter().filter(|f| f.code == "PL2003").collect();
    assert_eq!(missing.len(), 1, "{f:?}");
    assert_eq!(missing[0].severity, Severity::Warning);
    assert_eq!(span_text(df, missing[0]), ".");
    for shown in ["`.git`", "`node_modules`", "`venv`", "`**/*.log`"] {
        assert!(
            missing[0].message.contains(shown),
            "{shown}: {}",
            missing[0].message
        );
    }
}

#[test]
fn missing_dockerignore_without_context_copy_points_at_final_from() {
    let dir = tree(&[("env/pyvenv.cfg", "home = /usr"), ("main.py", "")]);
    let df = "FROM python:3.12 AS build\nRUN true\nFROM python:3.12-slim\nCOPY main.py /\n";
    let f = findings(dir.path(), df);
    assert_eq!(codes(&f), ["PL2003"]);
    assert_eq!(span_text(df, &f[0]), "FROM python:3.12-slim");
    assert!(
        f[0].message.contains("`env` (virtualenv"),
        "{}",
        f[0].message
    );
}

#[test]
fn dockerignore_present_or_clean_context_is_clean() {
    let dir = tree(&[
        (".dockerignore", "\n"),
        (".git/HEAD", "ref"),
        ("main.py", ""),
    ]);
    // The .git directory is still copied (PL2002), but there is an ignore file.
    assert_eq!(
        codes(&findings(dir.path(), "FROM python:3.12\nCOPY . .\n")),
        ["PL2002"]
    );
    let dir = tree(&[("main.py", ""), ("lib/util.py", "")]);
    assert!(findings(dir.path(), "FROM python:3.12\nCOPY . .\n").is_empty());
}

// PL2004

#[test]
fn context_size_reports_bulky_items() {
    let dir = tree(&[(".dockerignore", "*.tmp\n"), ("app.js", "")]);
    add(dir.path(), "node_modules/big/blob.bin", "");
    add(dir.path(), ".git/objects/pack/pack.pack", "");
    let set_len = |path: &str, len: u64| {
        std::fs::OpenOptions::new()
            .write(true)
            .open(dir.path().join(path))
            .unwrap()
            .set_len(len)
            .unwrap();
    };
    set_len("node_modules/big/blob.bin", 30_000_000);
    set_len(".git/objects/pack/pack.pack", 5_000_000);
    let df = "FROM node:22\nCOPY . .\n";
    let f = findings(dir.path(), df);
    let size: Vec<_> = f.iter().filter(|f| f.code == "PL2004").collect();
    assert_eq!(size.len(), 1, "{f:?}");
    assert_eq!(size[0].severity, Severity::Info);
    assert!(
        size[0]
            .message
            .contains("`node_modules` (30.0 MB), `.git` (5.0 MB)"),
        "{}",
        size[0].message
    );
    assert!(
        size[0].message.contains("35.0 MB in 4 files"),
        "{}",
        size[0].message
    );
}

#[test]
fn context_size_below_threshold_is_clean() {
    let dir = tree(&[
        (".dockerignore", "\n"),
        ("node_modules/x/index.js", "small"),
        ("app.js", ""),
    ]);
    let f = findings(dir.path(), "FROM node:22\nCOPY . .\n");
    assert!(f.iter().all(|f| f.code != "PL2004"), "{f:?}");
}

#[test]
fn ignored_bulk_is_not_counted() {
    let dir = tree(&[(".dockerignore", "node_modules\n"), ("app.js", "")]);
    add(dir.path(), "node_modules/big/blob.bin", "");
    std::fs::OpenOptions::new()
        .write(true)
        .open(dir.path().join("node_modules/big/blob.bin"))
        .unwrap()
        .set_len(50_000_000)
        .unwrap();
    assert!(findings(dir.path(), "FROM node:22\nCOPY . .\n").is_empty());
}

#[test]
fn invalid_ignore_patterns_are_findings_in_the_ignore_file() {
    let text = "node_modules\n[abc\n!\nok/*.log\n";
    let ignore = plimsoll_context::IgnoreFile::parse(text);
    let findings = plimsoll_context::invalid_ignore_patterns(&ignore, "app/.dockerignore");
    let shown: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.code.as_str(), &text[f.span.unwrap().range()]))
        .collect();
    assert_eq!(shown, [("PL2005", "[abc"), ("PL2005", "!")]);
    assert!(findings.iter().all(|f| f.file == "app/.dockerignore"));
    assert!(
        findings[0].message.contains("syntax error in pattern"),
        "{}",
        findings[0].message
    );
}
