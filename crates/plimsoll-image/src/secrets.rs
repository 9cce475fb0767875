//! Secrets in a built image (`PL3040`–`PL3044`): in the files of every
//! layer, deleted ones included, read during the one streaming pass over
//! each layer ([`SecretScan`] is a [`LayerVisitor`]); credential files by
//! name; and the config's `Env`, `Labels` and history, where build
//! arguments of `RUN` steps are recorded.
//!
//! What is read, to stay close to decompression speed:
//! - regular files up to [`MAX_SCANNED_FILE`] (16 MiB); larger files are
//!   data (databases, models, archives) and are skipped, though a
//!   credential file by name is still reported;
//! - not files whose name says binary or compressed (`.so`, `.pyc`,
//!   `.gz`, `.png` …), nor files whose first 8 KiB are binary (an ELF
//!   header, a NUL byte, compressed data);
//! - not documentation (`usr/share/doc`, `man`, `info`) and not the test
//!   and example trees of third-party packages (`site-packages/*/tests`,
//!   `node_modules/*/test`, Python's own `test` package), whose keys and
//!   tokens are fixtures.
//!
//! Token formats and key blocks are looked for everywhere else; the
//! generic `password = …` rule only in configuration files outside
//! third-party trees (`.env`, `*.conf`, `*.ini`, `*.yaml`, `*.json`,
//! `*.properties` …), where a random value under a secret name is a
//! credential rather than code or a test.
//!
//! A finding never contains a secret: it names the layer, the path, the
//! line, the kind of credential and the name it is assigned to. The
//! history text shown with a layer is masked with [`mask_command`].

use crate::analysis::Analysis;
use crate::filesystem::Removal;
use crate::image::Image;
use crate::layer::{FileEntry, LayerVisitor};
use crate::paths;
use plimsoll_diagnostics::{Finding, RuleInfo, Severity};
use plimsoll_secrets::{
    CredentialFile, CredentialKind, Match, ScanOptions, Scanner, StreamScanner, credential_file,
    has_binary_extension, is_placeholder, is_probably_binary, is_secret_name,
};
use serde::Serialize;

/// Files larger than this are not read for secrets (16 MiB).
pub const MAX_SCANNED_FILE: u64 = 16 << 20;

pub const SECRET_IN_FILE: RuleInfo = RuleInfo {
    code: "PL3040",
    name: "secret_in_layer_file",
    aliases: &["CIS-DI-0010"],
    severity: Severity::Error,
    summary: "A file in a layer holds a credential (even if a later layer deletes it)",
    docs: "## What it does
Reads every text file of every layer, files that later layers delete or
overwrite included, and reports credentials in them: private key blocks
(RSA, EC, DSA, PKCS#8, OpenSSH, PGP), cloud and service tokens of known
formats (AWS access keys, GitHub, GitLab, Slack, Stripe, npm, PyPI,
Google, OpenAI and others), JWTs, Google service-account keys, registry
`auth` in `.docker/config.json`, `_authToken` in `.npmrc`, passwords in
`.pypirc`, `.netrc` and URLs, and, in configuration files outside
third-party trees, random values assigned to secret names
(`DB_PASSWORD=…`). One finding per file, naming the layer, the step that
made it, the path and the lines; never the secret.

Skipped: files over 16 MiB, binary and compressed files, documentation
(`usr/share/doc`, `man`, `info`) and the test and example trees of
third-party packages (their keys are fixtures). Documentation stand-ins
such as `AKIAIOSFODNN7EXAMPLE`, `changeme` or `${TOKEN}` are not reported.

## Why is this bad?
A layer is a tar file anyone who pulls the image can unpack. Deleting a
file in a later layer hides it from containers but not from `docker
save`, `skopeo copy` or a registry download: the credential ships.

## Example
```dockerfile
FROM node:22-slim
COPY .npmrc /root/.npmrc
RUN npm ci && rm /root/.npmrc
```

Use instead:
```dockerfile
FROM node:22-slim
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
```

## Fix
Revoke the credential, then rebuild without it: secret mounts for build
steps, environment or mounted files at run time.
",
    fixable: false,
    url: Some("https://github.com/goodwithtech/dockle/blob/master/CHECKPOINT.md#cis-di-0010"),
};

pub const CREDENTIAL_FILE: RuleInfo = RuleInfo {
    code: "PL3041",
    name: "credential_file_in_layer",
    aliases: &[],
    severity: Severity::Error,
    summary: "A layer holds a credential file (an SSH key, .git-credentials, .aws/credentials…)",
    docs: "## What it does
Reports files of any layer (deleted ones included) that are credentials by
their name alone: SSH private keys (`id_rsa`, `id_ed25519` …),
`.aws/credentials`, `.git-credentials`, `.pgpass`, `.kube/config`,
`.vault-token`, GPG secret keyrings and key stores (`*.p12`, `*.pfx`,
`*.jks`, `*.keystore`). Empty files are not reported, nor files in the
test and example trees of third-party packages. Files that are
credentials only when they hold one (`.env`, `.npmrc`, `*.pem`,
`.docker/config.json`, `.netrc`) are reported by `PL3040` when their
content does, and so is a credential file whose content shows the
credential (an `id_rsa` holding a key block): one finding per file.

## Why is this bad?
Whatever a layer holds ships with the image; deleting it in a later
layer does not take it out.

## Example
```dockerfile
FROM alpine:3.20
COPY id_rsa /root/.ssh/id_rsa
RUN git clone git@github.com:acme/app.git && rm /root/.ssh/id_rsa
```

Use instead:
```dockerfile
FROM alpine:3.20
RUN --mount=type=ssh git clone git@github.com:acme/app.git
```

## Fix
Revoke the credential and rebuild with secret or SSH mounts.
",
    fixable: false,
    url: None,
};

pub const SECRET_IN_ENV: RuleInfo = RuleInfo {
    code: "PL3042",
    name: "secret_in_image_env",
    aliases: &[],
    severity: Severity::Error,
    summary: "The image config's Env holds a credential",
    docs: "## What it does
Reports variables of the image config's `Env` whose value is a credential
(a known token format, a key, a password in a URL, a random value under a
secret-looking name), or whose name says secret (`DB_PASSWORD`,
`GITHUB_TOKEN`; the names `DL3064` knows) with a value that is not a
placeholder, a variable or a path (`DB_PASSWORD_FILE=/run/secrets/db` is
fine). The value is never shown.

## Why is this bad?
Every container of the image starts with these variables, `docker
inspect` shows them, and so does anyone who can pull the image.

## Example
```dockerfile
FROM postgres:16
ENV POSTGRES_PASSWORD=Xk39fLq2pW7z
```

Use instead:
```dockerfile
FROM postgres:16
ENV POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password
```

## Fix
Pass secrets at run time (an orchestrator secret, a mounted file) and
rebuild the image without the `ENV`.
",
    fixable: false,
    url: None,
};

pub const SECRET_IN_LABEL: RuleInfo = RuleInfo {
    code: "PL3043",
    name: "secret_in_image_label",
    aliases: &[],
    severity: Severity::Error,
    summary: "An image label holds a credential",
    docs: "## What it does
Reports labels of the image config whose value is a credential: a token
of a known format, a key, a password in a URL, or a random value under a
label name that says secret. The value is never shown.

## Why is this bad?
Labels are public metadata: registries, `docker inspect` and every
scanner show them.

## Example
```dockerfile
LABEL deploy.token=glpat-Jr3J1TWDtkwtDDb_xHKa
```

Use instead: keep credentials out of labels.

## Fix
Revoke the credential and rebuild without the label.
",
    fixable: false,
    url: None,
};

pub const SECRET_IN_HISTORY: RuleInfo = RuleInfo {
    code: "PL3044",
    name: "secret_in_image_history",
    aliases: &[],
    severity: Severity::Error,
    summary: "The image history records a secret build argument or a literal credential",
    docs: "## What it does
Reads the `created_by` of every history step. Builders record the build
arguments a `RUN` sees in front of its command (`RUN |1 NPM_TOKEN=… /bin/sh
-c npm ci`): a build argument whose name says secret and whose value is
not a placeholder is reported, and so is a credential written literally
in any step (`RUN curl -H \"Authorization: token ghp_…\"`). Values that
`PL3042` and `PL3043` already report in `Env` and `Labels` are not
reported again. The value is never shown.

## Why is this bad?
`docker history --no-trunc` prints every step to anyone who can pull the
image; build arguments are not a way to pass secrets.

## Example
```dockerfile
FROM node:22-slim
ARG NPM_TOKEN
RUN echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc
```

Use instead:
```dockerfile
FROM node:22-slim
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \\
    echo \"//registry.npmjs.org/:_authToken=${NPM_TOKEN}\" > .npmrc && npm ci && rm .npmrc
```

## Fix
Revoke the credential and rebuild with `--secret` instead of
`--build-arg`.
",
    fixable: false,
    url: None,
};

/// The image secret rules, in code order.
pub const RULES: [&RuleInfo; 5] = [
    &SECRET_IN_FILE,
    &CREDENTIAL_FILE,
    &SECRET_IN_ENV,
    &SECRET_IN_LABEL,
    &SECRET_IN_HISTORY,
];

/// One thing found in a file of a layer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSecret {
    /// The layer, from 0.
    pub layer: usize,
    /// Normalised path (no leading `/`).
    pub path: String,
    /// What it is (`GitHub token`, `SSH private key`).
    pub what: String,
    /// The 1-based line, for secrets found in the content.
    pub line: Option<usize>,
    /// The name the secret is assigned to (`DB_PASSWORD`), when known.
    pub name: Option<String>,
    /// True for a credential file known by its name alone (`PL3041`).
    pub by_name: bool,
}

struct Current {
    path: String,
    credential: Option<CredentialFile>,
    sniffed: bool,
    binary: bool,
}

/// The [`LayerVisitor`] that looks for secrets in one layer's files.
pub struct SecretScan {
    layer: usize,
    stream: StreamScanner<'static>,
    current: Option<Current>,
    /// What was found, in tar order.
    pub found: Vec<FileSecret>,
}

impl SecretScan {
    pub fn new(layer: usize) -> Self {
        SecretScan {
            layer,
            stream: Scanner::global().stream(None, ScanOptions::high_confidence()),
            current: None,
            found: Vec::new(),
        }
    }

    fn by_name(&mut self, path: &str, kind: CredentialKind) {
        self.found.push(FileSecret {
            layer: self.layer,
            path: path.to_string(),
            what: kind.describe().to_string(),
            line: None,
            name: None,
            by_name: true,
        });
    }
}

/// Directories whose files are someone else's: packages of a language or
/// a distribution.
const THIRD_PARTY: &[&str] = &[
    "site-packages",
    "dist-packages",
    "node_modules",
    "vendor",
    "gems",
    "bundle",
    ".cargo",
    "pkg/mod",
    "usr/lib",
    "usr/share",
    "usr/local/lib",
    "opt/conda",
];

const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "testing",
    "fixtures",
    "__fixtures__",
    "test-fixtures",
    "spec",
    "examples",
    "example",
    "samples",
    "docs",
];

fn in_third_party_tree(path: &str) -> bool {
    THIRD_PARTY
        .iter()
        .any(|t| path.starts_with(&format!("{t}/")) || path.contains(&format!("/{t}/")))
}

/// Documentation, and tests and examples of third-party packages: their
/// keys and tokens are fixtures.
pub fn is_fixture_or_doc(path: &str) -> bool {
    if [
        "usr/share/doc/",
        "usr/share/man/",
        "usr/share/info/",
        "usr/share/help/",
    ]
    .iter()
    .any(|d| path.starts_with(d))
    {
        return true;
    }
    in_third_party_tree(path)
        && path
            .split('/')
            .rev()
            .skip(1)
            .any(|c| TEST_DIRS.contains(&c))
}

/// Configuration files, where the generic `name = value` rule applies.
fn is_config_file(path: &str) -> bool {
    let name = paths::file_name(path);
    if name == ".env" || name.starts_with(".env.") || name.ends_with(".env") {
        return true;
    }
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "conf"
            | "cfg"
            | "ini"
            | "cnf"
            | "properties"
            | "yaml"
            | "yml"
            | "json"
            | "toml"
            | "xml"
            | "env"
    ) && !in_third_party_tree(path)
}

impl LayerVisitor for SecretScan {
    fn wants(&mut self, entry: &FileEntry) -> bool {
        let path = entry.path.as_str();
        if is_fixture_or_doc(path) {
            return false;
        }
        // A `.env` is reported for what it holds: many set only
        // `NODE_ENV=production`.
        let credential = credential_file(path).map(|c| CredentialFile {
            by_name: c.by_name && c.kind != CredentialKind::DotEnv,
            ..c
        });
        let named = credential.filter(|c| c.by_name);
        if entry.size == 0 {
            return false;
        }
        if entry.size > MAX_SCANNED_FILE || has_binary_extension(path) {
            if let Some(c) = named {
                self.by_name(path, c.kind);
            }
            return false;
        }
        self.stream.reset(Some(path));
        self.current = Some(Current {
            path: path.to_string(),
            credential,
            sniffed: false,
            binary: false,
        });
        true
    }

    fn chunk(&mut self, data: &[u8]) {
        let Some(cur) = &mut self.current else { return };
        if !cur.sniffed {
            cur.sniffed = true;
            cur.binary = is_probably_binary(data);
            if !cur.binary && is_config_file(&cur.path) {
                // The stream was set up for high-confidence rules only.
                let path = cur.path.clone();
                self.stream = Scanner::global().stream(Some(&path), ScanOptions::default());
            }
        }
        if self.current.as_ref().is_some_and(|c| !c.binary) {
            self.stream.push(data);
        }
    }

    fn end_file(&mut self, _entry: &FileEntry) {
        let Some(cur) = self.current.take() else {
            return;
        };
        let matches = if cur.binary {
            Vec::new()
        } else {
            self.stream.finish()
        };
        // Back to the cheap default for the next file.
        if is_config_file(&cur.path) {
            self.stream = Scanner::global().stream(None, ScanOptions::high_confidence());
        }
        // A credential file whose content shows the credential is
        // reported once, for its content.
        if let Some(c) = cur.credential.filter(|c| c.by_name)
            && matches.is_empty()
        {
            self.by_name(&cur.path, c.kind);
        }
        let kind = cur.credential.map(|c| c.kind);
        for m in matches {
            self.found
                .push(content_secret(self.layer, &cur.path, kind, &m));
        }
    }
}

fn content_secret(layer: usize, path: &str, kind: Option<CredentialKind>, m: &Match) -> FileSecret {
    let what = match (m.rule.id, kind) {
        ("generic-secret", Some(k)) => k.describe().to_string(),
        ("generic-secret", None) => "secret".to_string(),
        _ => m.rule.title.to_string(),
    };
    FileSecret {
        layer,
        path: path.to_string(),
        what,
        line: Some(m.line),
        // The name a value is assigned to is not the secret; a URL's
        // user name is left out all the same.
        name: None,
        by_name: false,
    }
}

/// Two visitors in one pass over a layer: each sees the files it wants
/// (`Both::new(other, SecretScan::new(i))`).
pub struct Both<A, B> {
    pub first: A,
    pub second: B,
    wanted: (bool, bool),
}

impl<A, B> Both<A, B> {
    pub fn new(first: A, second: B) -> Self {
        Both {
            first,
            second,
            wanted: (false, false),
        }
    }
}

impl<A: LayerVisitor, B: LayerVisitor> LayerVisitor for Both<A, B> {
    fn wants(&mut self, entry: &FileEntry) -> bool {
        // Both are asked: each keeps its own per-file state.
        self.wanted = (self.first.wants(entry), self.second.wants(entry));
        self.wanted.0 || self.wanted.1
    }
    fn chunk(&mut self, data: &[u8]) {
        if self.wanted.0 {
            self.first.chunk(data);
        }
        if self.wanted.1 {
            self.second.chunk(data);
        }
    }
    fn end_file(&mut self, entry: &FileEntry) {
        if self.wanted.0 {
            self.first.end_file(entry);
        }
        if self.wanted.1 {
            self.second.end_file(entry);
        }
    }
}

/// Secrets in the config and history, and findings for what
/// [`SecretScan`]s found in the layers.
pub fn check(image: &Image, analysis: &Analysis, scans: &[Vec<FileSecret>]) -> Vec<Finding> {
    let finding = |rule: &RuleInfo, message: String| {
        Finding::new(rule.code, rule.severity, message, image.reference.clone())
    };
    let mut out = Vec::new();
    for found in scans {
        let mut i = 0;
        while i < found.len() {
            // One finding per file and kind (content or name).
            let first = &found[i];
            let mut j = i + 1;
            while j < found.len()
                && found[j].path == first.path
                && found[j].by_name == first.by_name
                && found[j].layer == first.layer
            {
                j += 1;
            }
            let group = &found[i..j];
            i = j;
            let rule = if first.by_name {
                &CREDENTIAL_FILE
            } else {
                &SECRET_IN_FILE
            };
            let mut what: Vec<String> = Vec::new();
            for s in group {
                let item = match s.line {
                    Some(l) => format!("{} on line {l}", s.what),
                    None => s.what.clone(),
                };
                if !what.contains(&item) {
                    what.push(item);
                }
            }
            let listed = if what.len() > 3 {
                format!("{} and {} more", what[..3].join(", "), what.len() - 3)
            } else {
                what.join(", ")
            };
            let said = if first.by_name {
                format!("is a credential file ({listed})")
            } else {
                format!("holds a credential ({listed})")
            };
            out.push(
                finding(
                    rule,
                    format!(
                        "{} in {} {said}{}",
                        paths::display(&first.path),
                        layer_name(image, first.layer),
                        removal(analysis, first.layer, &first.path)
                    ),
                )
                .in_layer(first.layer)
                .at_path(paths::display(&first.path)),
            );
        }
    }

    let config = &image.config.config;
    let mut reported: Vec<Vec<u8>> = Vec::new();
    for var in &config.env {
        let Some((name, value)) = var.split_once('=') else {
            continue;
        };
        if let Some(what) = config_secret(name, value, true, &mut reported) {
            out.push(finding(
                &SECRET_IN_ENV,
                format!("the image's Env sets {name} to {what}"),
            ));
        }
    }
    for (name, value) in &config.labels {
        if let Some(what) = config_secret(name, value, false, &mut reported) {
            out.push(finding(
                &SECRET_IN_LABEL,
                format!("the image's label {name} is {what}"),
            ));
        }
    }
    for (step, h) in image.config.history.iter().enumerate() {
        let Some(by) = h.created_by.as_deref() else {
            continue;
        };
        for (name, value) in build_args(by) {
            if is_secret_name(name)
                && !is_placeholder(value.as_bytes())
                && !reported.iter().any(|r| r == value.as_bytes())
            {
                reported.push(value.as_bytes().to_vec());
                out.push(finding(
                    &SECRET_IN_HISTORY,
                    format!(
                        "history step {} (`{}`) records the build argument {name}, a secret",
                        step + 1,
                        mask_command(by, 60)
                    ),
                ));
            }
        }
        for m in Scanner::global().scan(by.as_bytes(), None) {
            let secret = &by.as_bytes()[m.secret.clone()];
            if reported.iter().any(|r| r == secret) {
                continue;
            }
            reported.push(secret.to_vec());
            let what = if m.rule.id == "generic-secret" {
                "secret"
            } else {
                m.rule.title
            };
            out.push(finding(
                &SECRET_IN_HISTORY,
                format!(
                    "history step {} (`{}`) holds a literal {what}",
                    step + 1,
                    mask_command(by, 60)
                ),
            ));
        }
    }
    out
}

/// Whether `name=value` of the config holds a secret; what it is.
fn config_secret(
    name: &str,
    value: &str,
    by_name: bool,
    reported: &mut Vec<Vec<u8>>,
) -> Option<String> {
    if value.trim().is_empty() {
        return None;
    }
    let text = format!("{name}={value}");
    let found = Scanner::global()
        .scan(text.as_bytes(), None)
        .into_iter()
        .find(|m| m.secret.start > name.len());
    if let Some(m) = found {
        reported.push(text.as_bytes()[m.secret.clone()].to_vec());
        return Some(if m.rule.id == "generic-secret" {
            "a secret".into()
        } else {
            format!("a {}", m.rule.title)
        });
    }
    let looks_set = !is_placeholder(value.as_bytes())
        && !value.starts_with('/')
        && !value.starts_with("./")
        && !value.eq_ignore_ascii_case("true")
        && !value.eq_ignore_ascii_case("false");
    if by_name && is_secret_name(name) && looks_set {
        reported.push(value.as_bytes().to_vec());
        return Some("a value (its name says secret)".into());
    }
    None
}

/// The build arguments a builder recorded in front of a `RUN`:
/// `|2 A=1 B=2 /bin/sh -c …` (also after `RUN `).
fn build_args(created_by: &str) -> Vec<(&str, &str)> {
    let s = created_by.trim_start();
    let s = s.strip_prefix("RUN ").unwrap_or(s).trim_start();
    let Some(rest) = s.strip_prefix('|') else {
        return Vec::new();
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let Ok(n) = rest[..digits].parse::<usize>() else {
        return Vec::new();
    };
    rest[digits..]
        .split_ascii_whitespace()
        .take(n)
        .filter_map(|kv| kv.split_once('='))
        .collect()
}

/// A history command fit to show: [`mask_secrets`], whitespace collapsed,
/// the `/bin/sh -c` and `#(nop)` prefixes gone, at most `max` characters.
pub fn mask_command(text: &str, max: usize) -> String {
    let out = mask_secrets(text);
    let out = out.split_whitespace().collect::<Vec<_>>().join(" ");
    let out = out.strip_prefix("/bin/sh -c ").unwrap_or(&out);
    let out = out.strip_prefix("#(nop) ").unwrap_or(out).trim();
    if out.chars().count() > max {
        let cut: String = out.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        out.to_string()
    }
}

/// `text` with the values of secret build arguments (`|1 NPM_TOKEN=…`)
/// and every credential the scanner finds replaced by `***`.
pub fn mask_secrets(text: &str) -> String {
    let mut spans: Vec<std::ops::Range<usize>> = Scanner::global()
        .scan(text.as_bytes(), None)
        .into_iter()
        .map(|m| m.secret)
        .collect();
    for (name, value) in build_args(text) {
        if is_secret_name(name) && !value.is_empty() {
            let at = value.as_ptr() as usize - text.as_ptr() as usize;
            spans.push(at..at + value.len());
        }
    }
    spans.sort_by_key(|r| r.start);
    let mut out = String::new();
    let mut at = 0;
    for r in spans {
        if r.start < at || !text.is_char_boundary(r.start) || !text.is_char_boundary(r.end) {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str("***");
        at = r.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `layer 3 (`RUN npm ci`)`, masked and shortened.
fn layer_name(image: &Image, index: usize) -> String {
    let step = image
        .layers
        .get(index)
        .and_then(|l| l.created_by())
        .map(|s| format!(" (`{}`)", mask_command(s, 60)))
        .unwrap_or_default();
    format!("layer {}{step}", index + 1)
}

/// `; deleted in layer 4, but layer 3 still ships it`, when a later layer
/// deletes, hides or overwrites the file.
/// How a later layer removed a file that `added` stored, if one did.
fn removal(analysis: &Analysis, added: usize, path: &str) -> String {
    let Some(r) = analysis
        .waste
        .removed
        .iter()
        .find(|r| r.added_in == added && r.removed_in > added && r.path == path)
    else {
        return String::new();
    };
    let verb = match r.reason {
        Removal::Deleted => "deleted",
        Removal::HiddenByOpaque => "hidden",
        Removal::Overwritten => "overwritten",
    };
    format!(
        "; {verb} in layer {}, but layer {} still ships it",
        r.removed_in + 1,
        added + 1
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_args_in_history() {
        assert_eq!(
            build_args("RUN |2 NPM_TOKEN=abc DEBUG=1 /bin/sh -c npm ci # buildkit"),
            [("NPM_TOKEN", "abc"), ("DEBUG", "1")]
        );
        assert_eq!(build_args("|1 A=b /bin/sh -c x"), [("A", "b")]);
        assert!(build_args("/bin/sh -c echo |2 A=b").is_empty());
        assert!(build_args("RUN |x").is_empty());
    }

    #[test]
    fn commands_are_masked() {
        let by = "RUN |2 NPM_TOKEN=npm_Ab3dE5gH7jK9mN1pQ3sT5vW7yZ9bC1dE3fG5 V=1 /bin/sh -c npm ci";
        let shown = mask_command(by, 200);
        assert_eq!(shown, "RUN |2 NPM_TOKEN=*** V=1 /bin/sh -c npm ci");
        let curl =
            "/bin/sh -c curl -H 'Authorization: token ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d' x";
        assert_eq!(
            mask_command(curl, 200),
            "curl -H 'Authorization: token ***' x"
        );
        assert_eq!(
            mask_command("/bin/sh -c #(nop)  CMD [\"sh\"]", 200),
            "CMD [\"sh\"]"
        );
        assert_eq!(mask_command("RUN abcdef", 4), "RUN…");
    }

    #[test]
    fn fixtures_and_docs() {
        assert!(is_fixture_or_doc("usr/share/doc/git/contrib/x.netrc"));
        assert!(is_fixture_or_doc(
            "usr/lib/python3/dist-packages/oauthlib/tests/x.py"
        ));
        assert!(is_fixture_or_doc("app/node_modules/pkg/test/key.pem"));
        assert!(!is_fixture_or_doc("app/test/key.pem"));
        assert!(!is_fixture_or_doc("root/.ssh/id_rsa"));
        assert!(is_config_file("app/.env"));
        assert!(is_config_file("etc/app/config.yaml"));
        assert!(!is_config_file("usr/lib/node_modules/x/config.json"));
        assert!(!is_config_file("app/main.py"));
    }

    #[test]
    fn config_values() {
        let mut r = Vec::new();
        assert!(config_secret("POSTGRES_PASSWORD", "Xk39fLq2pW7z", true, &mut r).is_some());
        assert!(config_secret("DB_PASSWORD_FILE", "/run/secrets/db", true, &mut r).is_none());
        assert!(config_secret("API_KEY", "${API_KEY}", true, &mut r).is_none());
        assert!(config_secret("PATH", "/usr/bin", true, &mut r).is_none());
        assert!(
            config_secret(
                "GPG_KEY",
                "A035C8C19219BA821ECEA86B64E628F8D684696D",
                true,
                &mut r
            )
            .is_none()
        );
        assert!(
            config_secret(
                "GH",
                "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d",
                true,
                &mut r
            )
            .is_some()
        );
        assert!(config_secret("maintainer.token", "abc", false, &mut r).is_none());
    }
}
