//! Lenient serde structs for the JSON documents of an image: OCI index and
//! manifest (and Docker's v2 equivalents, which have the same shape),
//! the image config, and `docker save`'s `manifest.json`. Unknown fields are
//! ignored and `null` reads as empty, as Docker writes `null` for empty
//! lists.

use serde::{Deserialize, Deserializer, Serialize};
use std::collections::BTreeMap;
use std::fmt;

pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
pub const DOCKER_MANIFEST_LIST: &str = "application/vnd.docker.distribution.manifest.list.v2+json";
pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
pub const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
pub const DOCKER_CONFIG: &str = "application/vnd.docker.container.image.v1+json";

/// The annotation an OCI layout uses to name a tag.
pub const REF_NAME: &str = "org.opencontainers.image.ref.name";
/// The annotation Docker 25+ and containerd add with the full image name.
pub const CONTAINERD_NAME: &str = "io.containerd.image.name";

fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Descriptor {
    #[serde(rename = "mediaType", default)]
    pub media_type: Option<String>,
    pub digest: String,
    #[serde(default)]
    pub size: Option<i64>,
    #[serde(default, deserialize_with = "null_default")]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub platform: Option<Platform>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Index {
    #[serde(default, deserialize_with = "null_default")]
    pub manifests: Vec<Descriptor>,
}

#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Manifest {
    pub config: Descriptor,
    #[serde(default, deserialize_with = "null_default")]
    pub layers: Vec<Descriptor>,
}

/// An entry of a `docker save` archive's `manifest.json`.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct DockerArchiveEntry {
    #[serde(rename = "Config")]
    pub config: String,
    #[serde(rename = "RepoTags", default, deserialize_with = "null_default")]
    pub repo_tags: Vec<String>,
    #[serde(rename = "Layers", default, deserialize_with = "null_default")]
    pub layers: Vec<String>,
    /// Docker writes this for foreign layers, keyed by diffID.
    #[serde(rename = "LayerSources", default, deserialize_with = "null_default")]
    pub layer_sources: BTreeMap<String, Descriptor>,
}

/// The platform an image is built for.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Platform {
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub architecture: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
}

impl Platform {
    pub fn new(os: &str, architecture: &str, variant: Option<&str>) -> Platform {
        Platform {
            os: os.to_string(),
            architecture: architecture.to_string(),
            variant: variant.map(str::to_string),
        }
    }

    /// The platform images are run on here: Linux, on this machine's
    /// architecture in Go's names (`amd64`, `arm64`…).
    pub fn host() -> Platform {
        let (arch, variant) = match std::env::consts::ARCH {
            "x86_64" => ("amd64", None),
            "x86" => ("386", None),
            "aarch64" => ("arm64", None),
            "arm" => ("arm", Some("v7")),
            "powerpc64" if cfg!(target_endian = "little") => ("ppc64le", None),
            "loongarch64" => ("loong64", None),
            "mips64" if cfg!(target_endian = "little") => ("mips64le", None),
            other => (other, None),
        };
        Platform::new("linux", arch, variant)
    }

    /// Parse `os/arch[/variant]` (`linux/arm64/v8`).
    pub fn parse(value: &str) -> Option<Platform> {
        let mut parts = value.split('/');
        let os = parts.next().filter(|s| !s.is_empty())?;
        let arch = parts.next().filter(|s| !s.is_empty())?;
        let variant = parts.next().filter(|s| !s.is_empty());
        if parts.next().is_some() {
            return None;
        }
        Some(Platform::new(os, arch, variant))
    }

    /// True when `self` (what an image offers) satisfies `wanted`: the
    /// same OS and architecture, and the same variant if one is wanted.
    pub fn satisfies(&self, wanted: &Platform) -> bool {
        self.os == wanted.os
            && self.architecture == wanted.architecture
            && match &wanted.variant {
                Some(v) => self.variant.as_deref() == Some(v.as_str()),
                None => true,
            }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

/// The image config (`application/vnd.oci.image.config.v1+json`), the
/// fields plimsoll reads. Docker's config has the same shape.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct ImageConfig {
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub variant: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    pub config: ContainerConfig,
    #[serde(default, deserialize_with = "null_default")]
    pub rootfs: RootFs,
    #[serde(default, deserialize_with = "null_default")]
    pub history: Vec<History>,
}

/// How a container of the image runs (`config` in the image config).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct ContainerConfig {
    #[serde(rename = "User", default)]
    pub user: Option<String>,
    #[serde(rename = "Env", default, deserialize_with = "null_default")]
    pub env: Vec<String>,
    #[serde(rename = "Entrypoint", default)]
    pub entrypoint: Option<Vec<String>>,
    #[serde(rename = "Cmd", default)]
    pub cmd: Option<Vec<String>>,
    #[serde(rename = "WorkingDir", default)]
    pub working_dir: Option<String>,
    #[serde(rename = "Labels", default, deserialize_with = "null_default")]
    pub labels: BTreeMap<String, String>,
    #[serde(rename = "ExposedPorts", default, deserialize_with = "null_default")]
    pub exposed_ports: BTreeMap<String, serde_json::Value>,
    #[serde(rename = "Volumes", default, deserialize_with = "null_default")]
    pub volumes: BTreeMap<String, serde_json::Value>,
    #[serde(rename = "StopSignal", default)]
    pub stop_signal: Option<String>,
    /// Docker's extension; absent from OCI configs.
    #[serde(rename = "Healthcheck", default)]
    pub healthcheck: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct RootFs {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default, deserialize_with = "null_default")]
    pub diff_ids: Vec<String>,
}

/// One step of the build, as the config records it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
pub struct History {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// True for steps that changed only the config (`ENV`, `USER`…).
    #[serde(default, deserialize_with = "null_default")]
    pub empty_layer: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docker_nulls_read_as_empty() {
        let config: ImageConfig = serde_json::from_str(
            r#"{"config":{"User":"","Env":null,"Labels":null,"Cmd":null},
                "rootfs":{"type":"layers","diff_ids":null},"history":null}"#,
        )
        .unwrap();
        assert_eq!(config.config.user.as_deref(), Some(""));
        assert!(config.config.env.is_empty());
        assert!(config.rootfs.diff_ids.is_empty());
        assert!(config.history.is_empty());
    }

    #[test]
    fn platforms() {
        let p = Platform::parse("linux/arm64/v8").unwrap();
        assert_eq!(p.to_string(), "linux/arm64/v8");
        assert!(p.satisfies(&Platform::parse("linux/arm64").unwrap()));
        assert!(!Platform::parse("linux/arm64").unwrap().satisfies(&p));
        assert!(Platform::parse("linux").is_none());
    }
}
