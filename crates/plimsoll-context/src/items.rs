//! What a `.dockerignore` usually keeps out: version-control metadata,
//! dependency and virtualenv directories, caches, logs, and secrets.

use crate::walk::{Context, Entry, EntryKind};
use std::collections::HashSet;
use std::fmt;
use std::sync::OnceLock;

/// A kind of secret file. Messages name the kind and the path, never the
/// contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// `.env`, `.env.production` … (not `.env.example` and such).
    DotEnv,
    /// A PEM private key (`*.pem`, `*.key` holding `-----BEGIN … PRIVATE KEY-----`).
    PrivateKey,
    /// `id_rsa`, `id_ed25519` …, or a non-public file under `.ssh/`.
    SshKey,
    /// `.aws/credentials`.
    AwsCredentials,
    /// `.npmrc` holding an auth token or password.
    NpmToken,
    /// `.pypirc` holding a password or token.
    PypiCredentials,
    /// `.git-credentials`.
    GitCredentials,
    /// `.netrc` holding a password.
    Netrc,
    /// `.docker/config.json` holding registry auth.
    DockerConfig,
    /// A `.git` directory: history, remotes, and sometimes tokens in
    /// `.git/config`.
    GitDirectory,
}

impl SecretKind {
    pub fn describe(self) -> &'static str {
        match self {
            SecretKind::DotEnv => "environment file",
            SecretKind::PrivateKey => "private key",
            SecretKind::SshKey => "SSH private key",
            SecretKind::AwsCredentials => "AWS credentials",
            SecretKind::NpmToken => "npm token",
            SecretKind::PypiCredentials => "PyPI credentials",
            SecretKind::GitCredentials => "git credentials",
            SecretKind::Netrc => "netrc password",
            SecretKind::DockerConfig => "registry credentials",
            SecretKind::GitDirectory => "git repository",
        }
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// What an [`IgnorableItem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// `.git`, `.hg`, `.svn`.
    VersionControl,
    NodeModules,
    /// `venv/`, `.venv/`, or any directory holding `pyvenv.cfg`.
    Virtualenv,
    /// `__pycache__`, `.pytest_cache`, `.mypy_cache`, `.ruff_cache`,
    /// `.tox`, `.nox`, `.terraform` (all of one kind are one item).
    Cache,
    /// `*.log` files (all of them are one item).
    Logs,
    Secret(SecretKind),
}

impl ItemKind {
    pub fn describe(self) -> &'static str {
        match self {
            ItemKind::VersionControl => "version control",
            ItemKind::NodeModules => "node modules",
            ItemKind::Virtualenv => "virtualenv",
            ItemKind::Cache => "cache",
            ItemKind::Logs => "log files",
            ItemKind::Secret(s) => s.describe(),
        }
    }
}

/// Something sent in the context that a `.dockerignore` would normally
/// keep out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnorableItem {
    /// The directory or file; for items that gather many places, the
    /// `.dockerignore` pattern covering them (`**/__pycache__`, `**/*.log`).
    pub path: String,
    pub kind: ItemKind,
    pub files: u64,
    pub bytes: u64,
}

impl IgnorableItem {
    /// A `.dockerignore` line that keeps the item out.
    pub fn suggested_pattern(&self) -> String {
        if self.path.contains('*') {
            return self.path.clone();
        }
        match self.kind {
            ItemKind::VersionControl | ItemKind::NodeModules if !self.path.contains('/') => {
                self.path.clone()
            }
            ItemKind::NodeModules => "**/node_modules".to_string(),
            _ => self.path.clone(),
        }
    }
}

const VCS_DIRS: [&str; 3] = [".git", ".hg", ".svn"];
const CACHE_DIRS: [&str; 7] = [
    "__pycache__",
    ".pytest_cache",
    ".mypy_cache",
    ".ruff_cache",
    ".tox",
    ".nox",
    ".terraform",
];
/// Trees whose files are third-party or test data: a key there is a
/// fixture, not the project's secret.
const NOT_OURS: [&str; 12] = [
    "node_modules",
    "site-packages",
    "dist-packages",
    "vendor",
    ".venv",
    "venv",
    ".tox",
    ".nox",
    "testdata",
    "fixtures",
    "__fixtures__",
    "test-fixtures",
];
const ENV_TEMPLATES: [&str; 8] = [
    "example", "sample", "template", "tmpl", "dist", "defaults", "default", "schema",
];
/// How much of a file is read to look for a key or token.
const HEAD_LIMIT: usize = 256 * 1024;

/// Whether a path lies in a dependency, virtualenv or fixture tree.
pub(crate) fn in_third_party_tree(path: &str) -> bool {
    path.split('/').any(|c| NOT_OURS.contains(&c))
}

/// Whether a file of the context is a secret, by its name and, for names
/// that are only sometimes secret, its first 256 KiB. Files inside
/// dependency, virtualenv and fixture trees are not considered.
pub fn classify_secret(context: &Context, entry: &Entry) -> Option<SecretKind> {
    if entry.kind != EntryKind::File {
        return None;
    }
    let path = entry.path.as_str();
    let components: Vec<&str> = path.split('/').collect();
    let (&name, parents) = components.split_last()?;
    if parents
        .iter()
        .any(|c| NOT_OURS.contains(c) || VCS_DIRS.contains(c))
    {
        return None;
    }
    let parent = parents.last().copied().unwrap_or("");
    let head = || context.read_head(path, HEAD_LIMIT).unwrap_or_default();
    let contains = |haystack: &[u8], needle: &str| {
        haystack
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
    };
    if name == ".env" {
        return Some(SecretKind::DotEnv);
    }
    if let Some(suffix) = name.strip_prefix(".env.") {
        let last = suffix.rsplit('.').next().unwrap_or(suffix);
        return (!ENV_TEMPLATES.contains(&last.to_ascii_lowercase().as_str()))
            .then_some(SecretKind::DotEnv);
    }
    if matches!(
        name,
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk"
    ) {
        return Some(SecretKind::SshKey);
    }
    if parent == ".ssh" {
        let public = name.ends_with(".pub")
            || name.starts_with("known_hosts")
            || matches!(name, "config" | "authorized_keys" | "environment");
        return (!public).then_some(SecretKind::SshKey);
    }
    if parent == ".aws" && name == "credentials" {
        return Some(SecretKind::AwsCredentials);
    }
    if name == ".git-credentials" {
        return Some(SecretKind::GitCredentials);
    }
    let lower = name.to_ascii_lowercase();
    if [".pem", ".key", ".p8"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        return private_key_marker()
            .is_match(&head())
            .then_some(SecretKind::PrivateKey);
    }
    match name {
        // The secret scanner's rules for these files: a literal token or
        // password, not `_authToken=${NPM_TOKEN}`, which holds none.
        ".npmrc" => holds_secret(&head(), name).then_some(SecretKind::NpmToken),
        ".pypirc" => holds_secret(&head(), name).then_some(SecretKind::PypiCredentials),
        ".netrc" | "_netrc" => contains(&head(), "password").then_some(SecretKind::Netrc),
        "config.json" if parent == ".docker" => {
            contains(&head(), "\"auth\"").then_some(SecretKind::DockerConfig)
        }
        _ => None,
    }
}

fn private_key_marker() -> &'static regex::bytes::Regex {
    static RE: OnceLock<regex::bytes::Regex> = OnceLock::new();
    RE.get_or_init(|| {
        regex::bytes::Regex::new(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----")
            .expect("valid regex")
    })
}

fn holds_secret(text: &[u8], name: &str) -> bool {
    !plimsoll_secrets::Scanner::global()
        .scan(text, Some(name))
        .is_empty()
}

impl Context {
    /// Everything sent that a `.dockerignore` would usually keep out,
    /// biggest first. A directory item covers what is below it (a
    /// `node_modules` inside `node_modules` is not counted twice).
    pub fn ignorable_items(&self) -> &[IgnorableItem] {
        self.ignorable.get_or_init(|| self.find_ignorable_items())
    }

    fn find_ignorable_items(&self) -> Vec<IgnorableItem> {
        let entries = self.entries();
        let venvs: HashSet<&str> = entries
            .iter()
            .filter(|e| e.sent && e.kind == EntryKind::File && e.name() == "pyvenv.cfg")
            .filter_map(|e| e.path.rsplit_once('/').map(|(dir, _)| dir))
            .collect();
        let mut items: Vec<IgnorableItem> = Vec::new();
        // One item per cache name, gathering all its places.
        let mut caches: Vec<IgnorableItem> = Vec::new();
        let mut logs = IgnorableItem {
            path: "**/*.log".to_string(),
            kind: ItemKind::Logs,
            files: 0,
            bytes: 0,
        };
        let mut i = 0;
        while i < entries.len() {
            let e = &entries[i];
            i += 1;
            if !e.sent {
                continue;
            }
            if e.is_dir() {
                let name = e.name();
                let kind = if VCS_DIRS.contains(&name) {
                    Some(ItemKind::VersionControl)
                } else if name == "node_modules" {
                    Some(ItemKind::NodeModules)
                } else if name == "venv" || name == ".venv" || venvs.contains(e.path.as_str()) {
                    Some(ItemKind::Virtualenv)
                } else if CACHE_DIRS.contains(&name) {
                    Some(ItemKind::Cache)
                } else if name == ".ssh" {
                    Some(ItemKind::Secret(SecretKind::SshKey))
                } else {
                    None
                };
                let Some(kind) = kind else { continue };
                let range = self.subtree_range(&e.path);
                let (files, bytes) = sent_totals(&entries[range.clone()]);
                i = range.end;
                if kind == ItemKind::Cache {
                    let pattern = format!("**/{name}");
                    match caches.iter_mut().find(|c| c.path == pattern) {
                        Some(c) => {
                            c.files += files;
                            c.bytes += bytes;
                        }
                        None => caches.push(IgnorableItem {
                            path: pattern,
                            kind,
                            files,
                            bytes,
                        }),
                    }
                    continue;
                }
                let kind = if name == ".git" {
                    ItemKind::Secret(SecretKind::GitDirectory)
                } else {
                    kind
                };
                items.push(IgnorableItem {
                    path: e.path.clone(),
                    kind,
                    files,
                    bytes,
                });
                continue;
            }
            if e.kind == EntryKind::File && e.name().ends_with(".log") {
                logs.files += 1;
                logs.bytes += e.size;
                continue;
            }
            if let Some(secret) = classify_secret(self, e) {
                items.push(IgnorableItem {
                    path: e.path.clone(),
                    kind: ItemKind::Secret(secret),
                    files: 1,
                    bytes: e.size,
                });
            }
        }
        items.extend(caches);
        if logs.files > 0 {
            items.push(logs);
        }
        items.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
        items
    }
}

fn sent_totals(entries: &[Entry]) -> (u64, u64) {
    entries
        .iter()
        .filter(|e| e.sent && !e.is_dir())
        .fold((0, 0), |(f, b), e| (f + 1, b + e.size))
}
