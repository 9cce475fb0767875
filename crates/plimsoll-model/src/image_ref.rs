//! Image references per the distribution reference grammar
//! (`github.com/distribution/reference`), normalised the way Docker does:
//! `ubuntu` is `docker.io/library/ubuntu:latest`.

use std::fmt;

pub const DEFAULT_REGISTRY: &str = "docker.io";

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    /// Registry host (with port), `docker.io` when none was written.
    pub registry: String,
    /// Whether the registry was written in the reference.
    pub explicit_registry: bool,
    /// Repository path, with `library/` added for official Docker Hub images.
    pub repository: String,
    pub tag: Option<String>,
    /// `algorithm:hex`.
    pub digest: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRefError(pub String);

impl fmt::Display for ImageRefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for ImageRefError {}

impl ImageRef {
    /// Parse a reference as Docker's `ParseNormalizedNamed` does.
    pub fn parse(s: &str) -> Result<ImageRef, ImageRefError> {
        let err = |why: &str| ImageRefError(format!("invalid image reference `{s}`: {why}"));
        if s.is_empty() {
            return Err(err("empty"));
        }
        if s.len() > 255 + 7 + 128 + 71 {
            return Err(err("too long"));
        }
        let (rest, digest) = match s.split_once('@') {
            Some((r, d)) => {
                check_digest(d).map_err(|w| err(&w))?;
                (r, Some(d.to_string()))
            }
            None => (s, None),
        };
        // A tag is after the last `:` that follows the last `/`.
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[last_slash..].rfind(':') {
            Some(i) => {
                let at = last_slash + i;
                let tag = &rest[at + 1..];
                check_tag(tag).map_err(|w| err(&w))?;
                (&rest[..at], Some(tag.to_string()))
            }
            None => (rest, None),
        };
        if name.is_empty() {
            return Err(err("missing repository name"));
        }
        let (registry, explicit_registry, path) = match name.split_once('/') {
            Some((first, remainder))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                check_domain(first).map_err(|w| err(&w))?;
                (first.to_string(), true, remainder)
            }
            _ => (DEFAULT_REGISTRY.to_string(), false, name),
        };
        if path.bytes().any(|b| b.is_ascii_uppercase()) {
            return Err(err("repository name must be lowercase"));
        }
        for component in path.split('/') {
            check_path_component(component).map_err(|w| err(&w))?;
        }
        let registry = if registry == "index.docker.io" {
            DEFAULT_REGISTRY.to_string()
        } else {
            registry
        };
        let repository = if registry == DEFAULT_REGISTRY && !path.contains('/') {
            format!("library/{path}")
        } else {
            path.to_string()
        };
        Ok(ImageRef {
            registry,
            explicit_registry,
            repository,
            tag,
            digest,
        })
    }

    /// The tag in effect: the written one, or `latest` when there is
    /// neither tag nor digest.
    pub fn effective_tag(&self) -> Option<&str> {
        match (&self.tag, &self.digest) {
            (Some(t), _) => Some(t),
            (None, None) => Some("latest"),
            (None, Some(_)) => None,
        }
    }

    pub fn is_docker_hub(&self) -> bool {
        self.registry == DEFAULT_REGISTRY
    }

    /// The repository as users write it: `ubuntu` rather than
    /// `library/ubuntu`, with the registry only when it was written.
    pub fn familiar_name(&self) -> String {
        let repo = if self.is_docker_hub() {
            self.repository
                .strip_prefix("library/")
                .unwrap_or(&self.repository)
        } else {
            &self.repository
        };
        if self.explicit_registry && !self.is_docker_hub() {
            format!("{}/{repo}", self.registry)
        } else {
            repo.to_string()
        }
    }

    /// Last path component (`python` for `docker.io/library/python`).
    pub fn short_name(&self) -> &str {
        self.repository
            .rsplit('/')
            .next()
            .unwrap_or(&self.repository)
    }
}

impl fmt::Display for ImageRef {
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

fn check_tag(tag: &str) -> Result<(), String> {
    let mut bytes = tag.bytes();
    let ok_first = bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
    if !ok_first
        || tag.len() > 128
        || !bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        return Err(format!("invalid tag `{tag}`"));
    }
    Ok(())
}

fn check_digest(d: &str) -> Result<(), String> {
    let bad = || format!("invalid digest `{d}`");
    let (alg, hex) = d.split_once(':').ok_or_else(bad)?;
    let alg_ok = !alg.is_empty()
        && alg.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'+' | b'.' | b'_' | b'-')
        });
    let hex_ok = hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit());
    if !alg_ok || !hex_ok {
        return Err(bad());
    }
    if alg == "sha256" && hex.len() != 64 {
        return Err(format!("invalid sha256 digest length in `{d}`"));
    }
    Ok(())
}

fn check_domain(domain: &str) -> Result<(), String> {
    let (host, port) = match domain.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || domain.starts_with('[') => (h, Some(p)),
        _ => (domain, None),
    };
    if let Some(p) = port
        && (p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("invalid registry port in `{domain}`"));
    }
    let host_ok = if host.starts_with('[') {
        host.ends_with(']')
    } else {
        !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            })
    };
    if !host_ok {
        return Err(format!("invalid registry `{domain}`"));
    }
    Ok(())
}

/// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`
fn check_path_component(c: &str) -> Result<(), String> {
    let bad = || format!("invalid repository path component `{c}`");
    let b = c.as_bytes();
    let alnum = |x: u8| x.is_ascii_lowercase() || x.is_ascii_digit();
    if b.is_empty() || !alnum(b[0]) || !alnum(b[b.len() - 1]) {
        return Err(bad());
    }
    let mut i = 0;
    while i < b.len() {
        if alnum(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !alnum(b[i]) {
            i += 1;
        }
        let sep = &c[start..i];
        let ok = sep == "." || sep == "_" || sep == "__" || sep.bytes().all(|x| x == b'-');
        if !ok {
            return Err(bad());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> ImageRef {
        ImageRef::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn official_image_gets_library_prefix_and_implicit_latest() {
        let r = p("ubuntu");
        assert_eq!(r.registry, "docker.io");
        assert!(!r.explicit_registry);
        assert_eq!(r.repository, "library/ubuntu");
        assert_eq!(r.tag, None);
        assert_eq!(r.effective_tag(), Some("latest"));
        assert_eq!(r.familiar_name(), "ubuntu");
        assert_eq!(r.to_string(), "docker.io/library/ubuntu");
    }

    #[test]
    fn registry_with_port_is_not_a_tag() {
        let r = p("localhost:5000/team/app");
        assert_eq!(r.registry, "localhost:5000");
        assert_eq!(r.repository, "team/app");
        assert_eq!(r.tag, None);
        let r = p("registry.example.com:443/app:1.2");
        assert_eq!(r.registry, "registry.example.com:443");
        assert_eq!(r.tag.as_deref(), Some("1.2"));
    }

    #[test]
    fn user_repositories_and_digests() {
        let d = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let r = p(&format!("bitnami/redis:7.2@{d}"));
        assert_eq!(r.repository, "bitnami/redis");
        assert_eq!(r.tag.as_deref(), Some("7.2"));
        assert_eq!(r.digest.as_deref(), Some(d));
        let r = p(&format!("alpine@{d}"));
        assert_eq!(r.effective_tag(), None);
        assert_eq!(
            p("index.docker.io/library/ubuntu:22.04").registry,
            "docker.io"
        );
        assert_eq!(
            p("ghcr.io/owner/img:v1").familiar_name(),
            "ghcr.io/owner/img"
        );
        assert_eq!(p("mcr.microsoft.com/dotnet/sdk:8.0").short_name(), "sdk");
    }

    #[test]
    fn invalid_references() {
        for s in [
            "",
            "Ubuntu",
            "ubuntu:",
            "ubuntu:-x",
            "ubuntu@sha256:abc",
            "a//b",
            "-a",
            "a:b:c",
            "ubuntu@md5",
            "a__-b",
        ] {
            assert!(ImageRef::parse(s).is_err(), "{s} should be rejected");
        }
        assert!(ImageRef::parse("a__b").is_ok());
        assert!(ImageRef::parse("a---b").is_ok());
    }
}
