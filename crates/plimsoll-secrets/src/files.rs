//! Credential files known by their names, and a cheap test for content
//! that cannot hold a secret as text.

use std::fmt;

/// A kind of credential file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialKind {
    /// `id_rsa`, `id_ed25519` …, or a private file under `.ssh/`.
    SshPrivateKey,
    /// `*.pem`, `*.key`, `*.p8` holding a PEM private key.
    PrivateKey,
    /// `*.p12`, `*.pfx`, `*.jks`, `*.keystore`: key stores.
    KeyStore,
    /// `.env`, `.env.production` … (not `.env.example` and such).
    DotEnv,
    /// `.aws/credentials`.
    AwsCredentials,
    /// `.git-credentials`.
    GitCredentials,
    /// `.netrc`, `_netrc`.
    Netrc,
    /// `.pgpass`.
    Pgpass,
    /// `.docker/config.json`, `.dockercfg`.
    DockerConfig,
    /// `.npmrc`, `.yarnrc.yml`.
    NpmConfig,
    /// `.pypirc`.
    Pypirc,
    /// `.kube/config`.
    KubeConfig,
    /// `.vault-token`.
    VaultToken,
    /// `secring.gpg`, `.gnupg/private-keys-v1.d/*`.
    GpgSecretKey,
    /// `.my.cnf`.
    MysqlConfig,
}

impl CredentialKind {
    pub const fn describe(self) -> &'static str {
        match self {
            CredentialKind::SshPrivateKey => "SSH private key",
            CredentialKind::PrivateKey => "private key",
            CredentialKind::KeyStore => "key store",
            CredentialKind::DotEnv => "environment file",
            CredentialKind::AwsCredentials => "AWS credentials",
            CredentialKind::GitCredentials => "git credentials",
            CredentialKind::Netrc => "netrc credentials",
            CredentialKind::Pgpass => "PostgreSQL password file",
            CredentialKind::DockerConfig => "registry credentials",
            CredentialKind::NpmConfig => "npm credentials",
            CredentialKind::Pypirc => "PyPI credentials",
            CredentialKind::KubeConfig => "Kubernetes credentials",
            CredentialKind::VaultToken => "Vault token",
            CredentialKind::GpgSecretKey => "GPG secret key",
            CredentialKind::MysqlConfig => "MySQL client credentials",
        }
    }
}

impl fmt::Display for CredentialKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A path that names a credential file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CredentialFile {
    pub kind: CredentialKind,
    /// The name alone says the file holds a credential (`id_rsa`,
    /// `.git-credentials`). When false, the name only says it often does
    /// (`.npmrc`, `*.pem`): look at the content before reporting it.
    pub by_name: bool,
}

impl CredentialFile {
    const fn name(kind: CredentialKind) -> Option<CredentialFile> {
        Some(CredentialFile {
            kind,
            by_name: true,
        })
    }
    const fn content(kind: CredentialKind) -> Option<CredentialFile> {
        Some(CredentialFile {
            kind,
            by_name: false,
        })
    }
}

/// Endings of `.env.*` names that mark a template, not a live file.
const ENV_TEMPLATES: &[&str] = &[
    "example",
    "sample",
    "template",
    "tmpl",
    "dist",
    "defaults",
    "default",
    "schema",
    "local-example",
];

/// SSH files under `.ssh/` that hold no secret.
fn is_public_ssh_file(name: &str) -> bool {
    name.ends_with(".pub")
        || name.starts_with("known_hosts")
        || matches!(
            name,
            "config" | "authorized_keys" | "authorized_keys2" | "environment" | "rc"
        )
}

/// Whether `path` (a file path, `/`-separated, with or without a leading
/// `/` or `./`) names a credential file.
pub fn credential_file(path: &str) -> Option<CredentialFile> {
    let path = path.trim_end_matches('/');
    let mut parts = path.rsplit('/');
    let name = parts.next()?;
    let parent = parts.next().unwrap_or("");
    let grandparent = parts.next().unwrap_or("");
    let lower = name.to_ascii_lowercase();
    match name {
        "id_rsa" | "id_dsa" | "id_ecdsa" | "id_ed25519" | "id_ecdsa_sk" | "id_ed25519_sk" => {
            return CredentialFile::name(CredentialKind::SshPrivateKey);
        }
        ".env" => return CredentialFile::name(CredentialKind::DotEnv),
        ".git-credentials" => return CredentialFile::name(CredentialKind::GitCredentials),
        ".pgpass" => return CredentialFile::name(CredentialKind::Pgpass),
        ".vault-token" => return CredentialFile::name(CredentialKind::VaultToken),
        "secring.gpg" => return CredentialFile::name(CredentialKind::GpgSecretKey),
        ".netrc" | "_netrc" => return CredentialFile::content(CredentialKind::Netrc),
        ".dockercfg" => return CredentialFile::content(CredentialKind::DockerConfig),
        ".npmrc" | ".yarnrc.yml" => return CredentialFile::content(CredentialKind::NpmConfig),
        ".pypirc" => return CredentialFile::content(CredentialKind::Pypirc),
        ".my.cnf" => return CredentialFile::content(CredentialKind::MysqlConfig),
        _ => {}
    }
    if let Some(suffix) = name.strip_prefix(".env.") {
        let last = suffix.rsplit('.').next().unwrap_or(suffix);
        return if ENV_TEMPLATES.contains(&last.to_ascii_lowercase().as_str()) {
            None
        } else {
            CredentialFile::name(CredentialKind::DotEnv)
        };
    }
    match parent {
        ".ssh" if !is_public_ssh_file(name) => {
            return CredentialFile::content(CredentialKind::SshPrivateKey);
        }
        ".aws" if name == "credentials" => {
            return CredentialFile::name(CredentialKind::AwsCredentials);
        }
        ".docker" if name == "config.json" => {
            return CredentialFile::content(CredentialKind::DockerConfig);
        }
        ".kube" if name == "config" => return CredentialFile::name(CredentialKind::KubeConfig),
        "private-keys-v1.d" if grandparent == ".gnupg" => {
            return CredentialFile::name(CredentialKind::GpgSecretKey);
        }
        _ => {}
    }
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "pem" | "key" | "p8" => CredentialFile::content(CredentialKind::PrivateKey),
        "p12" | "pfx" | "jks" | "keystore" => CredentialFile::name(CredentialKind::KeyStore),
        _ => None,
    }
}

/// Directories that hold credentials as a whole (`COPY .ssh /root/.ssh`).
pub fn credential_dir(path: &str) -> Option<CredentialKind> {
    let name = path.trim_end_matches('/').rsplit('/').next()?;
    match name {
        ".ssh" => Some(CredentialKind::SshPrivateKey),
        ".aws" => Some(CredentialKind::AwsCredentials),
        ".gnupg" => Some(CredentialKind::GpgSecretKey),
        ".docker" => Some(CredentialKind::DockerConfig),
        ".kube" => Some(CredentialKind::KubeConfig),
        _ => None,
    }
}

/// How much of the start of a file [`is_probably_binary`] looks at.
pub const BINARY_SNIFF_LEN: usize = 8192;

/// Whether content that starts with `prefix` is binary: an executable,
/// an archive or compressed stream, an image, a font, or anything with a
/// NUL byte in its first 8 KiB (git's test). Such content cannot hold a
/// secret as searchable text, so scanners skip it.
pub fn is_probably_binary(prefix: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"\x7fELF",
        b"\x1f\x8b",
        b"\x28\xb5\x2f\xfd",
        b"BZh",
        b"\xfd7zXZ\x00",
        b"PK\x03\x04",
        b"7z\xbc\xaf\x27\x1c",
        b"\x89PNG",
        b"\xff\xd8\xff",
        b"GIF8",
        b"\xca\xfe\xba\xbe",
        b"\xcf\xfa\xed\xfe",
        b"\xfe\xed\xfa\xcf",
        b"\x00asm",
        b"wOFF",
        b"wOF2",
        b"OTTO",
        b"\x00\x01\x00\x00\x00",
        b"RIFF",
        b"%PDF",
        b"SQLite format 3",
        b"!<arch>",
    ];
    if MAGIC.iter().any(|m| prefix.starts_with(m)) {
        return true;
    }
    let head = &prefix[..prefix.len().min(BINARY_SNIFF_LEN)];
    memchr::memchr(0, head).is_some()
}

/// File name endings of content that is binary or compressed, so a
/// scanner can skip a file before reading it.
pub fn has_binary_extension(path: &str) -> bool {
    const EXTS: &[&str] = &[
        "so", "a", "o", "ko", "pyc", "pyo", "class", "jar", "war", "whl", "egg", "zip", "gz",
        "tgz", "xz", "txz", "bz2", "zst", "lz4", "lzma", "7z", "rar", "png", "jpg", "jpeg", "gif",
        "ico", "webp", "bmp", "tif", "tiff", "woff", "woff2", "ttf", "otf", "eot", "mo", "gmo",
        "db", "sqlite", "pdf", "mp3", "mp4", "ogg", "wav", "deb", "rpm", "apk", "exe", "dll",
        "bin", "dat", "cache", "wasm", "node", "pack", "idx",
    ];
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => {
            let ext = ext.to_ascii_lowercase();
            EXTS.contains(&ext.as_str())
                // `libfoo.so.1.2`
                || name.contains(".so.")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_files_by_name() {
        let by_name = |p: &str| credential_file(p).map(|c| (c.kind, c.by_name));
        use CredentialKind::*;
        assert_eq!(by_name("root/.ssh/id_rsa"), Some((SshPrivateKey, true)));
        assert_eq!(by_name("/home/a/id_ed25519"), Some((SshPrivateKey, true)));
        assert_eq!(
            by_name("home/a/.ssh/deploy_key"),
            Some((SshPrivateKey, false))
        );
        assert_eq!(by_name("home/a/.ssh/id_rsa.pub"), None);
        assert_eq!(by_name("home/a/.ssh/known_hosts"), None);
        assert_eq!(by_name("app/.env"), Some((DotEnv, true)));
        assert_eq!(by_name("app/.env.production"), Some((DotEnv, true)));
        assert_eq!(by_name("app/.env.example"), None);
        assert_eq!(by_name("app/.env.local.sample"), None);
        assert_eq!(
            by_name("root/.aws/credentials"),
            Some((AwsCredentials, true))
        );
        assert_eq!(by_name("root/.aws/config"), None);
        assert_eq!(by_name(".git-credentials"), Some((GitCredentials, true)));
        assert_eq!(by_name("root/.netrc"), Some((Netrc, false)));
        assert_eq!(by_name("root/.pgpass"), Some((Pgpass, true)));
        assert_eq!(
            by_name("root/.docker/config.json"),
            Some((DockerConfig, false))
        );
        assert_eq!(by_name("app/config.json"), None);
        assert_eq!(by_name("app/.npmrc"), Some((NpmConfig, false)));
        assert_eq!(by_name("root/.pypirc"), Some((Pypirc, false)));
        assert_eq!(
            by_name("etc/ssl/private/server.key"),
            Some((PrivateKey, false))
        );
        assert_eq!(by_name("certs/tls.PEM"), Some((PrivateKey, false)));
        assert_eq!(by_name("app/keystore.jks"), Some((KeyStore, true)));
        assert_eq!(by_name("root/.kube/config"), Some((KubeConfig, true)));
        assert_eq!(
            by_name("root/.gnupg/private-keys-v1.d/AB12.key"),
            Some((GpgSecretKey, true))
        );
        assert_eq!(by_name("usr/bin/env"), None);
        assert_eq!(by_name("app/keys.py"), None);
    }

    #[test]
    fn credential_dirs() {
        assert_eq!(credential_dir(".ssh"), Some(CredentialKind::SshPrivateKey));
        assert_eq!(
            credential_dir("home/.aws/"),
            Some(CredentialKind::AwsCredentials)
        );
        assert_eq!(credential_dir("src"), None);
    }

    #[test]
    fn binary_content() {
        assert!(is_probably_binary(b"\x7fELF\x02\x01\x01"));
        assert!(is_probably_binary(b"\x1f\x8b\x08\x00"));
        assert!(is_probably_binary(b"PK\x03\x04rest"));
        assert!(is_probably_binary(b"text\x00more"));
        assert!(!is_probably_binary(b"#!/bin/sh\necho hi\n"));
        assert!(!is_probably_binary(b""));
        assert!(!is_probably_binary("héllo wörld".as_bytes()));
        // A NUL past the sniffed prefix does not count.
        let mut late = vec![b'a'; BINARY_SNIFF_LEN + 10];
        late.push(0);
        assert!(!is_probably_binary(&late));
    }

    #[test]
    fn binary_extensions() {
        assert!(has_binary_extension("usr/lib/libc.so.6"));
        assert!(has_binary_extension("a/b/c.PNG"));
        assert!(has_binary_extension("x.pyc"));
        assert!(!has_binary_extension("x.py"));
        assert!(!has_binary_extension(".gz"));
        assert!(!has_binary_extension("README"));
    }
}
