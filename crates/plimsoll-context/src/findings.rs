//! The build-context rules: findings with spans into the Dockerfile.

use crate::gopath;
use crate::ignore_file::IgnoreFile;
use crate::items::{ItemKind, SecretKind, classify_secret, in_third_party_tree};
use crate::resolve::{CopyInstruction, SourceStatus};
use crate::walk::Context;
use plimsoll_diagnostics::{Finding, RuleInfo, Severity, Span};
use plimsoll_model::SemanticModel;
use plimsoll_syntax::Keyword;

pub const SOURCE_NOT_FOUND: &str = "PL2001";
pub const COPY_IGNORED_FILE: &str = "CopyIgnoredFile";
pub const SECRETS_COPIED: &str = "PL2002";
pub const MISSING_DOCKERIGNORE: &str = "PL2003";
pub const CONTEXT_SIZE: &str = "PL2004";
pub const INVALID_IGNORE_PATTERN: &str = "PL2005";

/// PL2004 reports when what a `.dockerignore` would keep out weighs more
/// than this (10 MB).
pub const DEFAULT_SIZE_THRESHOLD: u64 = 10_000_000;

/// How many paths a message names before "and N more".
const LISTED: usize = 5;

pub const SOURCE_NOT_FOUND_DOCS: &str = r#"## What it does
Resolves every `COPY`/`ADD` source (without `--from`) against the build
context as BuildKit sends it (variables expanded, `.dockerignore`
applied, wildcards matched with Go's `filepath.Match`) and reports a
source that names nothing at all.

A plain path that does not exist fails the build (`failed to compute cache
key: "/app.py": not found`): an error. A wildcard that matches nothing, or
any source with `--parents`, is silently skipped by BuildKit, so nothing is
copied and the image is not what the Dockerfile says: a warning.

A wildcard beside other sources that do copy something is taken for the
optional-file idiom (`COPY package.json yarn.lock* ./`) and not reported.
A source excluded by `.dockerignore` is reported by `CopyIgnoredFile`
instead. Sources whose variables have no known value are not checked.

## Why is this bad?
The build breaks, or quietly produces an image without the file.

## Example
```dockerfile
FROM python:3.12-slim
COPY requirments.txt /app/
```

Use instead:
```dockerfile
FROM python:3.12-slim
COPY requirements.txt /app/
```
"#;

pub const COPY_IGNORED_FILE_DOCS: &str = r#"## What it does
Reports a `COPY`/`ADD` source that exists only among the files the
`.dockerignore` (or `<Dockerfile>.dockerignore`) excludes, so the builder
never receives it. BuildKit's own check compares the source text with the
patterns (only when the file has no `!` exceptions); this one also looks
at the files: a wildcard or directory whose every match is excluded is
reported too, and exceptions are understood.

## Why is this bad?
Files which match the patterns in `.dockerignore` are not in the context
when the image is built. Copying one fails the build (a plain path) or
copies nothing (a wildcard).

## Example
With `.dockerignore`:
```text
*/tmp/*
```
```dockerfile
FROM scratch
COPY ./tmp/helloworld.txt /helloworld.txt
```

Use instead: copy a file the `.dockerignore` keeps, or add an exception
(`!tmp/helloworld.txt`).
"#;

pub const SECRETS_COPIED_DOCS: &str = r#"## What it does
Reports secret files that are both sent in the build context (not excluded
by `.dockerignore`) and copied into the image by a `COPY`/`ADD`: `.env`
files, PEM private keys (`*.pem`, `*.key` holding `-----BEGIN … PRIVATE
KEY-----`), SSH keys (`id_rsa`, `id_ed25519`, `.ssh/`), `.aws/credentials`,
`.npmrc`/`.pypirc` holding a literal token or password (plimsoll's secret
scanner decides; `_authToken=${NPM_TOKEN}` holds none), `.netrc`,
`.docker/config.json` with registry auth, `.git-credentials`, and `.git/`
directories. Files in dependency, virtualenv and test-fixture trees are
not considered. The message names the files, never their contents.

## Why is this bad?
Anything copied into a layer stays in the image, even if a later step
deletes it, and anyone who can pull the image can read it.

## Example
```dockerfile
FROM node:22-slim
WORKDIR /app
COPY . .
```
with `.env` and `.npmrc` (holding `_authToken`) in the context.

Use instead: add them to `.dockerignore`, and pass secrets to the steps
that need them with `RUN --mount=type=secret`:
```text
.env
.npmrc
.git
```
"#;

pub const MISSING_DOCKERIGNORE_DOCS: &str = r#"## What it does
Reports a build context without a `.dockerignore` (nor a
`<Dockerfile>.dockerignore` next to the Dockerfile) that holds what one
would keep out: `.git`, virtualenvs (`venv/`, `.venv/`, any directory with
`pyvenv.cfg`), `node_modules`, `*.log` files, or secrets. The finding
points at the first `COPY`/`ADD` that sends the whole context, or else at
the final `FROM`.

## Why is this bad?
Everything in the context is sent to the builder and `COPY . .` puts it in
the image: slower builds, bigger images, cache misses on every commit, and
leaked secrets.

## Example
A context with `.git/`, `node_modules/` and `.env`, and:
```dockerfile
FROM node:22-slim
COPY . .
```

Use instead: a `.dockerignore` such as
```text
.git
node_modules
.env
*.log
```
"#;

pub const CONTEXT_SIZE_DOCS: &str = r#"## What it does
Reports, as information, how much of the build context is made of what a
`.dockerignore` usually keeps out (version-control metadata,
`node_modules`, virtualenvs, caches, logs, secrets) when that is more than
10 MB, naming the biggest items and the lines that would drop them.

## Why is this bad?
The builder receives the whole context before the first step; a large one
slows every build, and `COPY . .` carries it into the image.

## Example
A context of 320 MB of which `node_modules` is 250 MB and `.git` 40 MB.

Use instead: add `node_modules` and `.git` to `.dockerignore`.
"#;

pub const INVALID_IGNORE_PATTERN_DOCS: &str = r#"## What it does
Reports a line of the `.dockerignore` (or `<Dockerfile>.dockerignore`)
that Docker cannot read as a pattern: a `[` class that is never closed, a
`\` at the end of a pattern, a lone `!`. The finding points at the line in
the ignore file.

## Why is this bad?
BuildKit refuses the whole file: the build fails before its first step
(`failed to solve: … syntax error in pattern`). Until then the context
checks here read the file without that line.

## Example
```text
node_modules
[abc
!
```

Use instead:
```text
node_modules
\[abc
```
"#;

/// The rules' metadata, for the rule registry.
pub static RULES: [RuleInfo; 6] = [
    RuleInfo {
        code: SOURCE_NOT_FOUND,
        name: "copy_source_not_found",
        aliases: &[],
        severity: Severity::Error,
        summary: "COPY/ADD source matches nothing in the build context",
        docs: SOURCE_NOT_FOUND_DOCS,
        fixable: false,
        url: None,
    },
    RuleInfo {
        code: COPY_IGNORED_FILE,
        name: "copy_ignored_file",
        aliases: &[],
        severity: Severity::Warning,
        summary: "Attempting to Copy file that is excluded by .dockerignore",
        docs: COPY_IGNORED_FILE_DOCS,
        fixable: false,
        url: Some("https://docs.docker.com/reference/build-checks/copy-ignored-file/"),
    },
    RuleInfo {
        code: SECRETS_COPIED,
        name: "secret_files_copied",
        aliases: &[],
        severity: Severity::Error,
        summary: "Secret files in the build context are copied into the image",
        docs: SECRETS_COPIED_DOCS,
        fixable: false,
        url: None,
    },
    RuleInfo {
        code: MISSING_DOCKERIGNORE,
        name: "missing_dockerignore",
        aliases: &[],
        severity: Severity::Warning,
        summary: "No .dockerignore, and the build context holds what one would keep out",
        docs: MISSING_DOCKERIGNORE_DOCS,
        fixable: false,
        url: None,
    },
    RuleInfo {
        code: CONTEXT_SIZE,
        name: "context_size",
        aliases: &[],
        severity: Severity::Info,
        summary: "Much of the build context is what a .dockerignore would keep out",
        docs: CONTEXT_SIZE_DOCS,
        fixable: false,
        url: None,
    },
    RuleInfo {
        code: INVALID_IGNORE_PATTERN,
        name: "dockerignore_invalid_pattern",
        aliases: &[],
        severity: Severity::Error,
        summary: "A .dockerignore line is not a valid pattern; the build fails",
        docs: INVALID_IGNORE_PATTERN_DOCS,
        fixable: false,
        url: None,
    },
];

/// PL2005: the lines of an ignore file Docker rejects, as findings in
/// that file (`file` is the name it is reported under).
pub fn invalid_ignore_patterns(ignore: &IgnoreFile, file: &str) -> Vec<Finding> {
    ignore
        .errors()
        .iter()
        .map(|e| {
            Finding::new(
                INVALID_IGNORE_PATTERN,
                Severity::Error,
                format!(
                    "`{}` is not a valid .dockerignore pattern ({}); Docker refuses the build",
                    e.text, e.message
                ),
                file,
            )
            .with_span(e.span)
        })
        .collect()
}

/// Everything the context rules look at.
#[derive(Clone, Copy)]
pub struct ContextCheck<'a> {
    /// The Dockerfile as the user named it (findings' `file`).
    pub file: &'a str,
    pub model: &'a SemanticModel<'a>,
    pub context: &'a Context,
    /// The ignore file in force, if any.
    pub ignore: Option<&'a IgnoreFile>,
    /// From [`crate::resolve_copies`].
    pub copies: &'a [CopyInstruction],
}

impl ContextCheck<'_> {
    /// All five rules, PL2004 at [`DEFAULT_SIZE_THRESHOLD`].
    pub fn run_all(&self) -> Vec<Finding> {
        let mut out = self.source_not_found();
        out.extend(self.copy_ignored_file());
        out.extend(self.secrets_copied());
        out.extend(self.missing_dockerignore());
        out.extend(self.context_size(DEFAULT_SIZE_THRESHOLD));
        out.sort_by_key(|f| f.span.map_or(usize::MAX, |s| s.start));
        out
    }

    /// PL2001.
    pub fn source_not_found(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for copy in self.copies {
            let keyword = keyword_name(copy.keyword);
            // `COPY package.json yarn.lock* ./` is the idiom for an optional
            // file: a wildcard beside sources that copy something is fine.
            let copies_something = copy.sources.iter().any(|s| s.status == SourceStatus::Found);
            for s in copy
                .sources
                .iter()
                .filter(|s| s.status == SourceStatus::Missing)
            {
                if s.is_pattern && copies_something {
                    continue;
                }
                let shown = shown_source(&s.written, s.expanded.as_deref());
                let (severity, message) = if s.is_pattern {
                    (
                        Severity::Warning,
                        format!(
                            "{keyword} source {shown} matches nothing in the build context; \
                             BuildKit copies nothing"
                        ),
                    )
                } else {
                    (
                        Severity::Error,
                        format!(
                            "{keyword} source {shown} does not exist in the build context; \
                             the build would fail"
                        ),
                    )
                };
                out.push(
                    Finding::new(SOURCE_NOT_FOUND, severity, message, self.file).with_span(s.span),
                );
            }
        }
        out
    }

    /// CopyIgnoredFile, with BuildKit's message.
    pub fn copy_ignored_file(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for copy in self.copies {
            for s in copy
                .sources
                .iter()
                .filter(|s| s.status == SourceStatus::OnlyIgnored)
            {
                let src = gopath::clean(s.expanded.as_deref().unwrap_or(&s.written));
                let message = format!(
                    "Attempting to {} file {} that is excluded by .dockerignore",
                    copy.command_name(),
                    plimsoll_syntax::go_quote(&src)
                );
                out.push(
                    Finding::new(COPY_IGNORED_FILE, Severity::Warning, message, self.file)
                        .with_span(s.span),
                );
            }
        }
        out
    }

    /// PL2002: one finding per source that copies secrets.
    pub fn secrets_copied(&self) -> Vec<Finding> {
        let entries = self.context.entries();
        let mut out = Vec::new();
        for copy in self.copies {
            let keyword = keyword_name(copy.keyword);
            for s in &copy.sources {
                let mut found: Vec<(String, SecretKind)> = Vec::new();
                for &i in &s.files {
                    let e = &entries[i];
                    if let Some(git) = git_dir_of(&e.path) {
                        if !in_third_party_tree(git) && !found.iter().any(|(p, _)| p == git) {
                            found.push((git.to_string(), SecretKind::GitDirectory));
                        }
                        continue;
                    }
                    if let Some(kind) = classify_secret(self.context, e) {
                        found.push((e.path.clone(), kind));
                    }
                }
                if found.is_empty() {
                    continue;
                }
                let listed = list(found.iter().map(|(path, kind)| {
                    let shown = if *kind == SecretKind::GitDirectory {
                        format!("{path}/")
                    } else {
                        path.clone()
                    };
                    format!("`{shown}` ({kind})")
                }));
                let message = format!(
                    "{keyword} {} copies secrets from the build context into the image: {listed}; \
                     exclude them in .dockerignore and use secret mounts",
                    shown_source(&s.written, s.expanded.as_deref()),
                );
                out.push(
                    Finding::new(SECRETS_COPIED, Severity::Error, message, self.file)
                        .with_span(s.span),
                );
            }
        }
        out
    }

    /// PL2003.
    pub fn missing_dockerignore(&self) -> Vec<Finding> {
        if self.ignore.is_some() {
            return Vec::new();
        }
        let items: Vec<_> = self
            .context
            .ignorable_items()
            .iter()
            .filter(|item| item.kind != ItemKind::Cache)
            .collect();
        if items.is_empty() {
            return Vec::new();
        }
        let Some(span) = self.anchor() else {
            return Vec::new();
        };
        let listed = list(items.iter().map(|item| {
            format!(
                "`{}` ({}, {})",
                item.path,
                item.kind.describe(),
                human_bytes(item.bytes)
            )
        }));
        let patterns = items
            .iter()
            .map(|i| i.suggested_pattern())
            .take(LISTED)
            .collect::<Vec<_>>()
            .join(", ");
        let message = format!(
            "no .dockerignore: the build context sends {listed}; add a .dockerignore with {patterns}"
        );
        vec![
            Finding::new(MISSING_DOCKERIGNORE, Severity::Warning, message, self.file)
                .with_span(span),
        ]
    }

    /// PL2004, when what a `.dockerignore` would drop weighs more than
    /// `threshold` bytes.
    pub fn context_size(&self, threshold: u64) -> Vec<Finding> {
        let items = self.context.ignorable_items();
        let droppable: u64 = items.iter().map(|i| i.bytes).sum();
        if droppable <= threshold {
            return Vec::new();
        }
        let Some(span) = self.anchor() else {
            return Vec::new();
        };
        let stats = self.context.stats();
        let listed = list(
            items
                .iter()
                .map(|i| format!("`{}` ({})", i.path, human_bytes(i.bytes))),
        );
        let message = format!(
            "the build context sends {} in {} files; {} of it is what a .dockerignore usually keeps out: {listed}",
            human_bytes(stats.bytes_sent),
            stats.files_sent,
            human_bytes(droppable),
        );
        vec![Finding::new(CONTEXT_SIZE, Severity::Info, message, self.file).with_span(span)]
    }

    /// Where context-wide findings point: the first source that sends the
    /// whole context, else the final FROM.
    fn anchor(&self) -> Option<Span> {
        let whole = self
            .copies
            .iter()
            .flat_map(|c| &c.sources)
            .find(|s| s.path.as_deref() == Some(""));
        if let Some(s) = whole {
            return Some(s.span);
        }
        let stage = self.model.final_stage()?;
        let from = self.model.instruction(stage.from_instruction);
        Some(from.keyword_span.cover(stage.base_span))
    }
}

/// The `.git` directory a path lies in, if any.
fn git_dir_of(path: &str) -> Option<&str> {
    let mut end = 0;
    for component in path.split('/') {
        let stop = end + component.len();
        if component == ".git" && stop < path.len() {
            return Some(&path[..stop]);
        }
        end = stop + 1;
    }
    None
}

fn keyword_name(k: Keyword) -> &'static str {
    if k == Keyword::Add { "ADD" } else { "COPY" }
}

fn shown_source(written: &str, expanded: Option<&str>) -> String {
    match expanded {
        Some(e) if e != written => format!("`{written}` (`{e}`)"),
        _ => format!("`{written}`"),
    }
}

fn list(items: impl Iterator<Item = String>) -> String {
    let all: Vec<String> = items.collect();
    let mut text = all
        .iter()
        .take(LISTED)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if all.len() > LISTED {
        text.push_str(&format!(" and {} more", all.len() - LISTED));
    }
    text
}

/// Sizes in decimal units, as `docker build` prints them.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_are_human() {
        assert_eq!(human_bytes(0), "0 B");
        assert_eq!(human_bytes(999), "999 B");
        assert_eq!(human_bytes(1500), "1.5 kB");
        assert_eq!(human_bytes(250_000_000), "250.0 MB");
        assert_eq!(human_bytes(999_999), "1.0 MB");
    }

    #[test]
    fn git_dirs() {
        assert_eq!(git_dir_of(".git/config"), Some(".git"));
        assert_eq!(git_dir_of("sub/.git/HEAD"), Some("sub/.git"));
        assert_eq!(git_dir_of(".gitignore"), None);
        assert_eq!(git_dir_of("a/.git"), None);
    }

    #[test]
    fn rules_have_docs() {
        for rule in RULES {
            assert!(rule.docs.starts_with("## What it does"), "{}", rule.code);
            assert!(rule.docs.contains("## Why is this bad?"), "{}", rule.code);
            assert!(rule.docs.contains("## Example"), "{}", rule.code);
        }
    }
}
