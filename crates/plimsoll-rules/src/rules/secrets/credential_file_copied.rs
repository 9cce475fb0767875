use super::common::{effective, shipping_stages, ships};
use crate::rules::prelude::*;
use plimsoll_secrets::{CredentialKind, credential_dir, credential_file};

declare_rule! {
    /// ## What it does
    /// Flags `COPY` and `ADD` in a stage that ships (the final stage, or a
    /// stage it is built `FROM`) whose source names a credential file or
    /// directory: SSH keys (`id_rsa`, `id_ed25519`, `.ssh/`), `.env` files
    /// (not `.env.example` and other templates), `.aws/`,
    /// `.aws/credentials`, `.git-credentials`, `.npmrc`, `.yarnrc.yml`,
    /// `.pypirc`, `.netrc`, `.pgpass`, `.docker/config.json`,
    /// `.kube/config`, `.gnupg/`, `.vault-token`, key stores (`*.p12`,
    /// `*.pfx`, `*.jks`, `*.keystore`) and private keys (`*.key`, `*.p8`,
    /// and `*.pem` files whose name says key: `key.pem`, `privkey.pem`,
    /// `server-key.pem`). Also a copy whose destination is such a file
    /// (`COPY npmrc /root/.npmrc`). Sources from other stages
    /// (`--from`) count too: the key still lands in the image.
    ///
    /// The rule goes by names only. Other `.pem` files are usually
    /// certificates and are not reported; when `plimsoll check` knows the
    /// build context, `PL2002` reads the files a `COPY` sends and reports
    /// private keys whatever their names, and this rule's finding on the
    /// same source is left out. The shared corpus has no case: its
    /// Dockerfiles copy no credential files.
    ///
    /// ## Why is this bad?
    /// Whatever a layer holds ships with the image, even if a later step
    /// deletes it, and anyone who can pull the image can read it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY id_rsa /root/.ssh/id_rsa
    /// RUN pip install git+ssh://git@github.com/acme/private.git
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN --mount=type=ssh pip install git+ssh://git@github.com/acme/private.git
    /// ```
    /// built with `docker build --ssh default .`
    pub struct CredentialFileCopied {
        code: "PL1204",
        name: "credential_file_copied",
        aliases: [],
        severity: Error,
        summary: "COPY or ADD puts a key or credential file into the image",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// What a COPY source names, if it is a credential.
fn copied_credential(path: &str) -> Option<CredentialKind> {
    if let Some(kind) = credential_dir(path) {
        return Some(kind);
    }
    let found = credential_file(path)?;
    if found.kind != CredentialKind::PrivateKey {
        return Some(found.kind);
    }
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
    let public = ["pub", "cert", "crt", "chain", "ca"]
        .iter()
        .any(|w| stem.split(['-', '_', '.']).any(|part| part == *w))
        || stem.contains("public");
    let says_key = stem.contains("key") || stem.contains("priv");
    match ext {
        "key" | "p8" => (!public).then_some(found.kind),
        _ => (says_key && !public).then_some(found.kind),
    }
}

/// Destinations that are credential files by name alone.
fn credential_destination(path: &str) -> Option<CredentialKind> {
    if path.ends_with('/') {
        return None;
    }
    let found = credential_file(path)?;
    match found.kind {
        CredentialKind::DotEnv | CredentialKind::PrivateKey | CredentialKind::KeyStore => None,
        kind => Some(kind),
    }
}

impl Rule for CredentialFileCopied {
    fn check(&self, cx: &mut Checker<'_>) {
        let stages = shipping_stages(cx);
        let mut hits: Vec<(Span, String)> = Vec::new();
        for (i, top) in cx.instructions() {
            let ins = effective(top);
            let keyword = match ins.keyword {
                Keyword::Copy => "COPY",
                Keyword::Add => "ADD",
                _ => continue,
            };
            if !ships(cx, &stages, i) || ins.args.len() < 2 {
                continue;
            }
            let (sources, dest) = ins.args.split_at(ins.args.len() - 1);
            let value = |w: &plimsoll_syntax::Word| {
                cx.model
                    .resolve(i, &w.value)
                    .unwrap_or_else(|| w.value.clone())
            };
            let mut any = false;
            for s in sources {
                let v = value(s);
                if v.starts_with("<<") || v.contains("://") {
                    continue;
                }
                if let Some(kind) = copied_credential(&v) {
                    any = true;
                    hits.push((
                        s.span,
                        format!(
                            "{keyword} puts `{v}` ({kind}) into the image, where anyone who can \
                             pull it can read it; use a secret or SSH mount at build time \
                             (`RUN --mount=type=secret` / `--mount=type=ssh`) and mount \
                             credentials at run time"
                        ),
                    ));
                }
            }
            let d = value(&dest[0]);
            if !any && let Some(kind) = credential_destination(&d) {
                hits.push((
                    dest[0].span,
                    format!(
                        "{keyword} writes `{d}` ({kind}) into the image, where anyone who can \
                         pull it can read it; use a secret mount at build time \
                         (`RUN --mount=type=secret,target={d}`) and mount credentials at run time"
                    ),
                ));
            }
        }
        for (span, message) in hits {
            cx.report(span, message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::copied_credential;

    #[test]
    fn names() {
        for yes in [
            "id_rsa",
            ".ssh",
            "./.ssh/",
            ".env",
            "config/.env.production",
            ".aws",
            ".npmrc",
            "key.pem",
            "privkey.pem",
            "certs/server-key.pem",
            "tls.key",
            "*.key",
            "AuthKey_ABC.p8",
            "keystore.jks",
        ] {
            assert!(copied_credential(yes).is_some(), "{yes}");
        }
        for no in [
            ".env.example",
            "cert.pem",
            "ca.pem",
            "*.pem",
            "fullchain.pem",
            "server.pem",
            "public.key",
            "id_rsa.pub",
            "src/",
            "requirements.txt",
        ] {
            assert!(copied_credential(no).is_none(), "{no}");
        }
    }
}
