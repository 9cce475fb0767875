//! Image references for local images, in skopeo's transport syntax:
//! `oci:DIR[:TAG|@DIGEST]`, `oci-archive:FILE[:TAG|@DIGEST]`,
//! `docker-archive:FILE[:NAME:TAG]`, or a bare path whose format is
//! detected when it is opened.

use crate::digest::Digest;
use crate::error::Error;
use std::fmt;
use std::path::{Path, PathBuf};

/// How the image is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// An OCI image layout directory (`index.json`, `blobs/`).
    OciLayout,
    /// A tar of an OCI image layout.
    OciArchive,
    /// A `docker save` tar: `manifest.json`, classic or Docker 25+.
    DockerArchive,
    /// A bare path: decided when opened.
    Detect,
    /// An image in a registry, read over the distribution API.
    Registry,
}

impl Format {
    pub const fn prefix(self) -> &'static str {
        match self {
            Format::OciLayout => "oci",
            Format::OciArchive => "oci-archive",
            Format::DockerArchive => "docker-archive",
            Format::Detect => "",
            Format::Registry => "docker",
        }
    }

    /// True when layers are stored as a registry would serve them, so
    /// their compression is the image's own choice (a `docker save`
    /// archive always stores plain tars).
    pub const fn stores_distribution_form(self) -> bool {
        matches!(
            self,
            Format::OciLayout | Format::OciArchive | Format::Registry
        )
    }
}

/// Which image of a layout or archive holding several.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Selector {
    /// The only one (or the one for the platform asked for).
    Default,
    /// A tag (`org.opencontainers.image.ref.name`) in an OCI layout, a
    /// `RepoTags` entry (`name:tag`) in a docker archive.
    Tag(String),
    /// A manifest (or index) digest.
    Digest(Digest),
}

/// A parsed reference to a local image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    pub format: Format,
    pub path: PathBuf,
    pub selector: Selector,
}

impl Source {
    /// Parse a reference. Paths may contain `:`; the longest prefix that
    /// exists on disk is taken as the path when the whole string is not.
    pub fn parse(reference: &str) -> Result<Source, Error> {
        let invalid = |reason: &str| Error::Reference {
            reference: reference.to_string(),
            reason: reason.to_string(),
        };
        let (format, rest) = [Format::OciArchive, Format::DockerArchive, Format::OciLayout]
            .into_iter()
            .find_map(|f| {
                reference
                    .strip_prefix(f.prefix())
                    .and_then(|r| r.strip_prefix(':'))
                    .map(|r| (f, r))
            })
            .unwrap_or((Format::Detect, reference));
        if rest.is_empty() {
            return Err(invalid("no path"));
        }
        if let Some((path, digest)) = rest.rsplit_once('@')
            && !Path::new(rest).exists()
            && digest.contains(':')
        {
            if format == Format::DockerArchive {
                return Err(invalid(
                    "a docker archive is selected by `:NAME:TAG`, not by digest",
                ));
            }
            let digest = Digest::parse(digest).map_err(|e| invalid(&e.to_string()))?;
            return Ok(Source {
                format,
                path: PathBuf::from(path),
                selector: Selector::Digest(digest),
            });
        }
        let (path, tag) = split_existing(rest);
        let selector = match tag {
            Some(t) if !t.is_empty() => Selector::Tag(t.to_string()),
            _ => Selector::Default,
        };
        Ok(Source {
            format,
            path: PathBuf::from(path),
            selector,
        })
    }
}

/// `path` or `path:selector`, preferring a path that exists.
fn split_existing(rest: &str) -> (&str, Option<&str>) {
    if Path::new(rest).exists() {
        return (rest, None);
    }
    for (i, _) in rest.match_indices(':') {
        if Path::new(&rest[..i]).exists() {
            return (&rest[..i], Some(&rest[i + 1..]));
        }
    }
    // Nothing exists: a tag has no `/`, so a last `:` followed by one
    // is part of the path; the open then reports the missing path.
    match rest.rsplit_once(':') {
        Some((path, tag)) if !tag.contains('/') && !path.is_empty() => (path, Some(tag)),
        _ => (rest, None),
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.format != Format::Detect {
            write!(f, "{}:", self.format.prefix())?;
        }
        write!(f, "{}", self.path.display())?;
        match &self.selector {
            Selector::Default => Ok(()),
            Selector::Tag(t) => write!(f, ":{t}"),
            Selector::Digest(d) => write!(f, "@{d}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_transports() {
        let dir = tempfile::tempdir().unwrap();
        let layout = dir.path().join("lay:out");
        std::fs::create_dir(&layout).unwrap();
        let l = layout.display().to_string();

        let s = Source::parse(&format!("oci:{l}")).unwrap();
        assert_eq!(
            (s.format, s.path.as_path(), &s.selector),
            (Format::OciLayout, layout.as_path(), &Selector::Default)
        );
        let s = Source::parse(&format!("oci:{l}:v1")).unwrap();
        assert_eq!(s.selector, Selector::Tag("v1".into()));
        assert_eq!(s.path, layout);

        let d = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        let s = Source::parse(&format!("oci-archive:{l}@{d}")).unwrap();
        assert_eq!(s.format, Format::OciArchive);
        assert_eq!(s.selector, Selector::Digest(Digest::parse(d).unwrap()));

        let s = Source::parse(&format!("docker-archive:{l}:library/x:1.0")).unwrap();
        assert_eq!(s.format, Format::DockerArchive);
        assert_eq!(s.selector, Selector::Tag("library/x:1.0".into()));
        assert_eq!(s.to_string(), format!("docker-archive:{l}:library/x:1.0"));

        let s = Source::parse(&l).unwrap();
        assert_eq!(s.format, Format::Detect);
        assert_eq!(s.path, layout);

        assert!(Source::parse("oci:").is_err());
        assert!(Source::parse("oci:/x@sha256:zz").is_err());
        let s = Source::parse("oci:/does/not/exist:v2").unwrap();
        assert_eq!(s.path, Path::new("/does/not/exist"));
    }
}
