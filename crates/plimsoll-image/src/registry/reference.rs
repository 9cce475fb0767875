//! Registry references as Docker reads them: `[REGISTRY/]REPO[:TAG][@DIGEST]`.
//! A first component with a `.` or `:`, or `localhost`, names the
//! registry; otherwise it is Docker Hub, where a one-component name lives
//! under `library/`.

use crate::digest::Digest;
use std::fmt;

/// Docker Hub as references name it.
pub const DOCKER_HUB: &str = "docker.io";
/// Docker Hub's API host.
const DOCKER_HUB_API: &str = "registry-1.docker.io";

/// A parsed registry reference.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Reference {
    /// `host[:port]`; `docker.io` for Docker Hub.
    pub registry: String,
    /// The repository path (`library/alpine`).
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<Digest>,
}

impl Reference {
    /// Parse a reference; the reason when it is not one.
    pub fn parse(value: &str) -> Result<Reference, String> {
        if value.is_empty() {
            return Err("empty reference".into());
        }
        let (name, digest) = match value.split_once('@') {
            Some((name, d)) => (name, Some(Digest::parse(d).map_err(|e| e.to_string())?)),
            None => (value, None),
        };
        let (name, tag) = match name.rsplit_once(':') {
            Some((n, t)) if !t.contains('/') => (n, Some(t)),
            _ => (name, None),
        };
        if let Some(t) = tag
            && !valid_tag(t)
        {
            return Err(format!(
                "`{t}` is not a valid tag (letters, digits, `_`, `.`, `-`; at most 128)"
            ));
        }
        let (registry, path) = match name.split_once('/') {
            Some((first, rest))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (first, rest)
            }
            _ => (DOCKER_HUB, name),
        };
        if !valid_host(registry) {
            return Err(format!("`{registry}` is not a valid registry host"));
        }
        if path.is_empty() || !path.split('/').all(valid_component) {
            return Err(format!(
                "`{path}` is not a valid repository name (lowercase letters, digits and separators)"
            ));
        }
        let registry = match registry {
            "index.docker.io" | "registry-1.docker.io" => DOCKER_HUB,
            r => r,
        };
        let repository = if registry == DOCKER_HUB && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_string()
        };
        Ok(Reference {
            registry: registry.to_string(),
            repository,
            tag: tag.map(str::to_string),
            digest,
        })
    }

    /// The host the API is served from.
    pub fn api_host(&self) -> &str {
        if self.registry == DOCKER_HUB {
            DOCKER_HUB_API
        } else {
            &self.registry
        }
    }

    /// What the manifest is fetched by: the digest when there is one.
    pub fn manifest_ref(&self) -> String {
        match (&self.digest, &self.tag) {
            (Some(d), _) => d.to_string(),
            (None, Some(t)) => t.clone(),
            (None, None) => "latest".into(),
        }
    }

    /// The host without its port.
    pub fn hostname(&self) -> &str {
        host_without_port(&self.registry)
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.registry, self.repository)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// `host` of `host:port`, `[::1]:5000` → `::1`.
pub(crate) fn host_without_port(registry: &str) -> &str {
    if let Some(rest) = registry.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    match registry.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => registry,
    }
}

fn valid_tag(tag: &str) -> bool {
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && (bytes[0].is_ascii_alphanumeric() || bytes[0] == b'_')
        && bytes
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

/// `[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*`
fn valid_component(c: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = c.as_bytes();
    if bytes.is_empty() || !alnum(bytes[0]) || !alnum(bytes[bytes.len() - 1]) {
        return false;
    }
    let mut i = 0;
    while i < bytes.len() {
        if alnum(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        if !(sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|b| b == b'-')) {
            return false;
        }
    }
    true
}

fn valid_host(host: &str) -> bool {
    if let Some(rest) = host.strip_prefix('[') {
        // An IPv6 literal, `[::1]:5000`.
        return rest.split_once(']').is_some_and(|(addr, port)| {
            addr.parse::<std::net::Ipv6Addr>().is_ok()
                && (port.is_empty()
                    || port
                        .strip_prefix(':')
                        .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
        });
    }
    let (name, port) = match host.rsplit_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (host, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return false;
    }
    !name.is_empty()
        && name.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> (String, String, Option<String>, Option<String>) {
        let r = Reference::parse(s).unwrap();
        (
            r.registry,
            r.repository,
            r.tag,
            r.digest.map(|d| d.to_string()),
        )
    }

    #[test]
    fn docker_defaults() {
        let d = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert_eq!(
            parse("alpine"),
            ("docker.io".into(), "library/alpine".into(), None, None)
        );
        assert_eq!(
            parse("alpine:3.20").2.as_deref(),
            Some("3.20"),
            "tag after the name"
        );
        assert_eq!(parse("user/app:1").1, "user/app");
        assert_eq!(parse("index.docker.io/alpine").1, "library/alpine");
        assert_eq!(
            parse("127.0.0.1:5000/repo/x:v1"),
            (
                "127.0.0.1:5000".into(),
                "repo/x".into(),
                Some("v1".into()),
                None
            )
        );
        assert_eq!(parse("localhost/x").0, "localhost");
        assert_eq!(parse("ghcr.io/a/b").1, "a/b");
        let (reg, repo, tag, digest) = parse(&format!("[::1]:5000/x:t@{d}"));
        assert_eq!((reg.as_str(), repo.as_str()), ("[::1]:5000", "x"));
        assert_eq!((tag.as_deref(), digest.as_deref()), (Some("t"), Some(d)));
        let r = Reference::parse("localhost:5000/a").unwrap();
        assert_eq!(
            (r.hostname(), r.manifest_ref().as_str()),
            ("localhost", "latest")
        );
        assert_eq!(
            Reference::parse("alpine").unwrap().api_host(),
            DOCKER_HUB_API
        );
        assert_eq!(
            Reference::parse("alpine:1").unwrap().to_string(),
            "docker.io/library/alpine:1"
        );
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            "Alpine",
            "./image.tar",
            "/tmp/x",
            "a//b",
            "a/-b",
            "x:",
            "x:-t",
            "x@sha256:zz",
            "ex ample.com/a",
            "host:port/a",
        ] {
            assert!(Reference::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(host_without_port("[::1]:5000"), "::1");
        assert_eq!(host_without_port("example.com"), "example.com");
    }
}
