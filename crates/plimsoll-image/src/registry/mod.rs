//! Images in a registry, read over the OCI distribution API with nothing
//! written to disk: the manifest (or index, then the platform's
//! manifest) and the config are fetched and verified, and each layer blob
//! streams from the network straight into the layer pass, which verifies
//! its digest and diffID on the way.
//!
//! A reference is `[REGISTRY/]REPO[:TAG|@DIGEST]` ([`Reference`]); a bare
//! reference that names an existing path stays a local image. The client
//! ([`client`]) is synchronous (`ureq`, rustls with ring): anonymous,
//! Basic and Bearer-token authentication with Docker's credentials
//! ([`auth`]), plain HTTP for loopback and `--insecure-registry` hosts,
//! retries with backoff, redirects that never carry the registry's
//! credentials to another host, and connect and read timeouts.

mod auth;
mod client;
mod reference;
pub mod rules;

pub use reference::Reference;

use crate::digest::{Algorithm, Digest};
use crate::error::Error;
use crate::spec::{DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST, REF_NAME};
use crate::store::{Blob, JSON_LIMIT};
use client::{Client, HttpResponse, Method, ResumingReader, error_detail, read_body, status_text};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use ureq::http::StatusCode;

/// How to reach registries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryOptions {
    /// Hosts (`host` or `host:port`) that may be reached over plain HTTP
    /// and whose certificates are not verified, as Docker's
    /// `insecure-registries`. Loopback hosts may always use plain HTTP.
    pub insecure: Vec<String>,
    /// PEM files of CA certificates to trust besides Mozilla's roots
    /// (`SSL_CERT_FILE` is added too).
    pub ca_certs: Vec<PathBuf>,
    /// To open a connection, TLS handshake included.
    pub connect_timeout: Duration,
    /// For a response to start and for each read of its body.
    pub read_timeout: Duration,
    /// Further attempts after a 429, a 5xx or a broken connection.
    pub retries: u32,
}

impl Default for RegistryOptions {
    fn default() -> Self {
        RegistryOptions {
            insecure: Vec::new(),
            ca_certs: Vec::new(),
            connect_timeout: Duration::from_secs(15),
            read_timeout: Duration::from_secs(60),
            retries: 3,
        }
    }
}

impl RegistryOptions {
    fn is_insecure(&self, registry: &str) -> bool {
        let host = reference::host_without_port(registry);
        self.insecure
            .iter()
            .any(|i| i.eq_ignore_ascii_case(registry) || i.eq_ignore_ascii_case(host))
    }
}

/// Whether a signature was found for the image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Signature {
    /// Found; `how` says where (the referrers API, a cosign tag).
    Found { how: String },
    /// Looked for in every place plimsoll knows, and absent.
    Missing,
    /// The registry could not be asked.
    Unknown { reason: String },
}

/// What a registry says about an image beyond its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistryImage {
    #[serde(serialize_with = "display")]
    pub reference: Reference,
    /// The digest the reference resolves to: the index for a
    /// multi-platform image, else the manifest. Pin it with `@DIGEST`.
    pub digest: Digest,
    pub signature: Signature,
}

fn display<S: serde::Serializer>(r: &Reference, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(r)
}

/// A registry reference when `reference` is one: `docker://` always; a
/// transport prefix or an existing path never.
pub(crate) fn parse_target(reference: &str) -> Option<Result<Reference, Error>> {
    if let Some(rest) = reference.strip_prefix("docker://") {
        return Some(Reference::parse(rest).map_err(|reason| Error::Reference {
            reference: reference.into(),
            reason,
        }));
    }
    if ["oci:", "oci-archive:", "docker-archive:"]
        .iter()
        .any(|p| reference.starts_with(p))
    {
        return None;
    }
    // `app.tar` is a missing archive more likely than a repository.
    if reference.ends_with(".tar") {
        return None;
    }
    let names_path = |s: &str| !s.is_empty() && Path::new(s).exists();
    if names_path(reference)
        || reference
            .match_indices([':', '@'])
            .any(|(i, _)| names_path(&reference[..i]))
    {
        return None;
    }
    Reference::parse(reference).ok().map(Ok)
}

/// A registry image's blob source: one repository, the document the
/// reference resolved to, and the signature found.
pub(crate) struct Remote {
    client: Arc<Client>,
    /// The reference as the user wrote it, for messages.
    name: String,
    digest: Digest,
    media_type: Option<String>,
    document: Vec<u8>,
    signature: OnceLock<Signature>,
}

impl std::fmt::Debug for Remote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Remote")
            .field("name", &self.name)
            .field("digest", &self.digest)
            .finish_non_exhaustive()
    }
}

impl Remote {
    /// Resolve the reference: fetch its manifest or index.
    pub fn connect(
        name: &str,
        reference: &Reference,
        options: &RegistryOptions,
    ) -> Result<Remote, Error> {
        let fail = |reason: String| Error::Registry {
            reference: name.to_string(),
            reason,
        };
        let client = Arc::new(Client::new(reference, options).map_err(|f| fail(f.0))?);
        let what = match (&reference.digest, &reference.tag) {
            (Some(d), _) => format!("manifest {d}"),
            (None, t) => format!("tag `{}`", t.as_deref().unwrap_or("latest")),
        };
        let path = format!(
            "/v2/{}/manifests/{}",
            reference.repository,
            reference.manifest_ref()
        );
        let resp = client
            .request(Method::Get, &path, MANIFEST_TYPES, None)
            .map_err(|f| fail(f.0))?;
        let status = resp.status();
        if !status.is_success() {
            let body = read_body(resp, client::SMALL_BODY).unwrap_or_default();
            let reason = if status == StatusCode::NOT_FOUND {
                format!(
                    "{what} not found in {}/{} ({}{})",
                    reference.registry,
                    reference.repository,
                    status_text(status),
                    error_detail(&body)
                )
            } else {
                format!(
                    "fetching the {what}: {} answered {}{}",
                    reference.registry,
                    status_text(status),
                    error_detail(&body)
                )
            };
            return Err(fail(reason));
        }
        let header_digest = header(&resp, "docker-content-digest");
        let content_type = header(&resp, "content-type");
        let document =
            read_body(resp, JSON_LIMIT).map_err(|e| fail(format!("reading the {what}: {e}")))?;
        let digest = match (
            &reference.digest,
            header_digest.and_then(|h| Digest::parse(&h).ok()),
        ) {
            // Verified by the image reader against the digest asked for.
            (Some(d), _) => d.clone(),
            (None, Some(claimed)) => {
                let actual = Digest::of(claimed.algorithm(), &document);
                if actual != claimed {
                    return Err(Error::DigestMismatch {
                        what: format!("{name}: {what}"),
                        expected: claimed,
                        actual,
                    });
                }
                actual
            }
            (None, None) => Digest::of(Algorithm::Sha256, &document),
        };
        let media_type = content_type
            .map(|c| c.split(';').next().unwrap_or_default().trim().to_string())
            .filter(|c| {
                [
                    OCI_INDEX,
                    OCI_MANIFEST,
                    DOCKER_MANIFEST_LIST,
                    DOCKER_MANIFEST,
                ]
                .contains(&c.as_str())
            });
        Ok(Remote {
            client,
            name: name.to_string(),
            digest,
            media_type,
            document,
            signature: OnceLock::new(),
        })
    }

    pub fn location(&self) -> &Path {
        Path::new(&self.name)
    }

    fn fail(&self, reason: String) -> Error {
        Error::Registry {
            reference: self.name.clone(),
            reason,
        }
    }

    fn repository(&self) -> &str {
        &self.client.reference().repository
    }

    /// The image reader's view: `index.json` names the resolved document
    /// (with the tag, if any); `blobs/ALG/HEX` streams a blob.
    pub fn open(&self, name: &str) -> Result<Option<(Blob, u64)>, Error> {
        if name == "index.json" {
            let mut desc = serde_json::json!({
                "digest": self.digest.to_string(),
                "size": self.document.len(),
            });
            if let Some(mt) = &self.media_type {
                desc["mediaType"] = mt.clone().into();
            }
            if let Some(tag) = &self.client.reference().tag {
                desc["annotations"] = serde_json::json!({ REF_NAME: tag });
            }
            let index = serde_json::json!({ "schemaVersion": 2, "manifests": [desc] });
            let bytes = serde_json::to_vec(&index).unwrap_or_default();
            let len = bytes.len() as u64;
            return Ok(Some((Box::new(std::io::Cursor::new(bytes)), len)));
        }
        let Some(digest) = blob_digest(name) else {
            return Ok(None);
        };
        let path = format!("/v2/{}/blobs/{digest}", self.repository());
        let resp = self
            .client
            .request(Method::Get, &path, &[], None)
            .map_err(|f| self.fail(format!("blob {digest}: {}", f.0)))?;
        match resp.status() {
            s if s.is_success() => {
                let len = content_length(&resp).unwrap_or(0);
                let reader = ResumingReader::new(self.client.clone(), path, resp);
                Ok(Some((Box::new(reader), len)))
            }
            StatusCode::NOT_FOUND => Ok(None),
            s => Err(self.blob_status_error(&digest, s, resp)),
        }
    }

    fn blob_status_error(&self, digest: &Digest, status: StatusCode, resp: HttpResponse) -> Error {
        let body = read_body(resp, client::SMALL_BODY).unwrap_or_default();
        self.fail(format!(
            "blob {digest}: the registry answered {}{}",
            status_text(status),
            error_detail(&body)
        ))
    }

    /// A manifest or index (`what` is not `config`) or a config blob, read
    /// whole; the caller verifies it.
    pub fn read_document(&self, digest: &Digest, what: &str) -> Result<Option<Vec<u8>>, Error> {
        if *digest == self.digest {
            return Ok(Some(self.document.clone()));
        }
        let path = if what == "config" {
            format!("/v2/{}/blobs/{digest}", self.repository())
        } else {
            format!("/v2/{}/manifests/{digest}", self.repository())
        };
        let accept: &[&str] = if what == "config" {
            &[]
        } else {
            MANIFEST_TYPES
        };
        let resp = self
            .client
            .request(Method::Get, &path, accept, None)
            .map_err(|f| self.fail(format!("{what} {digest}: {}", f.0)))?;
        match resp.status() {
            s if s.is_success() => read_body(resp, JSON_LIMIT)
                .map(Some)
                .map_err(|e| self.fail(format!("{what} {digest}: {e}"))),
            StatusCode::NOT_FOUND => Ok(None),
            s => Err(self.blob_status_error(digest, s, resp)),
        }
    }

    /// Look for a signature of the resolved digest and of the platform's
    /// manifest: the referrers API where the registry has it, then
    /// cosign's `sha256-HEX.sig` tag.
    pub fn find_signature(&self, manifest: Option<&Digest>) {
        let mut digests = vec![&self.digest];
        if let Some(m) = manifest
            && *m != self.digest
        {
            digests.push(m);
        }
        let mut unknown = None;
        for digest in digests {
            match self.signature_of(digest) {
                Ok(Some(how)) => {
                    let _ = self.signature.set(Signature::Found { how });
                    return;
                }
                Ok(None) => {}
                Err(reason) => unknown = Some(reason),
            }
        }
        let _ = self.signature.set(match unknown {
            Some(reason) => Signature::Unknown { reason },
            None => Signature::Missing,
        });
    }

    fn signature_of(&self, digest: &Digest) -> Result<Option<String>, String> {
        let referrers = format!("/v2/{}/referrers/{digest}", self.repository());
        let resp = self
            .client
            .request(Method::Get, &referrers, &[OCI_INDEX], None)
            .map_err(|f| f.0)?;
        // 404: no referrers API (distribution 2.8) — the tag scheme decides.
        if resp.status().is_success() {
            let body = read_body(resp, JSON_LIMIT)?;
            if let Some(kind) = signature_referrer(&body) {
                return Ok(Some(format!("a {kind} referrer of {digest}")));
            }
        }
        let tag = format!("{}-{}.sig", digest.algorithm().as_str(), digest.hex());
        let path = format!("/v2/{}/manifests/{tag}", self.repository());
        let resp = self
            .client
            .request(Method::Head, &path, MANIFEST_TYPES, None)
            .map_err(|f| f.0)?;
        match resp.status() {
            s if s.is_success() => Ok(Some(format!("the cosign tag `{tag}`"))),
            StatusCode::NOT_FOUND => Ok(None),
            s => Err(format!("asking for the tag `{tag}`: {}", status_text(s))),
        }
    }

    pub fn info(&self) -> RegistryImage {
        RegistryImage {
            reference: self.client.reference().clone(),
            digest: self.digest.clone(),
            signature: self.signature.get().cloned().unwrap_or(Signature::Unknown {
                reason: "not looked for".into(),
            }),
        }
    }
}

const MANIFEST_TYPES: &[&str] = &[
    OCI_INDEX,
    OCI_MANIFEST,
    DOCKER_MANIFEST_LIST,
    DOCKER_MANIFEST,
];

/// Artifact types of signatures: cosign (simple signing, sigstore
/// bundles) and Notary v2.
fn signature_referrer(index: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Referrers {
        #[serde(default)]
        manifests: Vec<Referrer>,
    }
    #[derive(serde::Deserialize)]
    struct Referrer {
        #[serde(rename = "artifactType", default)]
        artifact_type: Option<String>,
    }
    let referrers: Referrers = serde_json::from_slice(index).ok()?;
    referrers
        .manifests
        .into_iter()
        .filter_map(|r| r.artifact_type)
        .find(|t| {
            t.starts_with("application/vnd.dev.cosign.")
                || t.starts_with("application/vnd.dev.sigstore.bundle")
                || t == "application/vnd.cncf.notary.signature"
        })
}

fn header(resp: &HttpResponse, name: &str) -> Option<String> {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn content_length(resp: &HttpResponse) -> Option<u64> {
    header(resp, "content-length")?.parse().ok()
}

/// `blobs/ALG/HEX` → the digest.
fn blob_digest(name: &str) -> Option<Digest> {
    let rest = name.strip_prefix("blobs/")?;
    let (alg, hex) = rest.split_once('/')?;
    Digest::parse(&format!("{alg}:{hex}")).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        let dir = tempfile::tempdir().unwrap();
        let existing = dir.path().join("img");
        std::fs::create_dir(&existing).unwrap();
        let e = existing.display().to_string();
        assert!(parse_target(&e).is_none());
        assert!(parse_target(&format!("{e}:v1")).is_none());
        assert!(parse_target("oci:x").is_none());
        assert!(parse_target("./missing.tar").is_none());
        assert!(parse_target("missing.tar").is_none());
        let r = parse_target("docker://alpine").unwrap().unwrap();
        assert_eq!(r.repository, "library/alpine");
        let r = parse_target("127.0.0.1:5000/x:v1").unwrap().unwrap();
        assert_eq!(r.registry, "127.0.0.1:5000");
        assert!(parse_target("docker://Bad").unwrap().is_err());
    }

    #[test]
    fn referrers() {
        let index = br#"{"manifests":[{"artifactType":"application/spdx+json"},
            {"artifactType":"application/vnd.dev.sigstore.bundle.v0.3+json"}]}"#;
        assert_eq!(
            signature_referrer(index).as_deref(),
            Some("application/vnd.dev.sigstore.bundle.v0.3+json")
        );
        assert_eq!(signature_referrer(br#"{"manifests":[]}"#), None);
        let d = Digest::of(Algorithm::Sha256, b"");
        assert_eq!(blob_digest(&d.blob_path()), Some(d));
        assert_eq!(blob_digest("index.json"), None);
        let opts = RegistryOptions {
            insecure: vec!["reg.local".into()],
            ..RegistryOptions::default()
        };
        assert!(opts.is_insecure("reg.local:5000") && !opts.is_insecure("other:5000"));
    }
}
