//! Opening an image: find its manifest (choosing among tags and
//! platforms), read and verify its config, and list its layers with the
//! history step that made each.

use crate::digest::{Algorithm, Digest};
use crate::error::Error;
use crate::layer::{
    Compression, Depth, Expected, LayerIndex, LayerVisitor, Limits, read_layer, read_layer_headers,
};
use crate::registry::{self, RegistryImage, RegistryOptions, Remote};
use crate::source::{Format, Selector, Source};
use crate::spec::{
    CONTAINERD_NAME, DOCKER_CONFIG, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, Descriptor,
    DockerArchiveEntry, History, ImageConfig, Index, Manifest, OCI_CONFIG, OCI_INDEX, OCI_MANIFEST,
    Platform, REF_NAME,
};
use crate::store::{ArchiveIndex, Store};
use rayon::prelude::*;
use serde::de::DeserializeOwned;
use std::path::PathBuf;
use std::sync::Arc;

/// How to open an image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenOptions {
    /// The platform to pick from a multi-platform index; by default the
    /// only one, else this machine's ([`Platform::host`]).
    pub platform: Option<Platform>,
    /// How to reach registries, for registry references.
    pub registry: RegistryOptions,
    /// Bounds on what each layer may expand to.
    pub limits: Limits,
}

/// A layer as the manifest and config describe it, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layer {
    /// Position in the manifest, from 0 (the base layer).
    pub index: usize,
    /// The blob digest the manifest names; `None` in a classic `docker
    /// save` archive, which names layers by file.
    pub digest: Option<Digest>,
    /// The digest of the uncompressed tar from the config's
    /// `rootfs.diff_ids`.
    pub diff_id: Option<Digest>,
    pub media_type: Option<String>,
    /// The size the manifest declares.
    pub size: Option<u64>,
    /// The history step that made the layer (`empty_layer` steps skipped).
    pub history: Option<History>,
    /// Where the blob is in the store.
    pub(crate) blob: String,
}

impl Layer {
    /// How messages name the layer: `layer 3 (sha256:0123456789ab)`,
    /// counting from 1.
    pub fn label(&self) -> String {
        let id = match (&self.digest, &self.diff_id) {
            (Some(d), _) | (None, Some(d)) => format!("{}:{}", d.algorithm().as_str(), d.short()),
            (None, None) => self.blob.clone(),
        };
        format!("layer {} ({id})", self.index + 1)
    }

    /// The build step that made the layer (`RUN …`, `COPY …`).
    pub fn created_by(&self) -> Option<&str> {
        self.history.as_ref()?.created_by.as_deref()
    }
}

/// An opened image: its config and layer list, ready to be read.
#[derive(Debug, Clone)]
pub struct Image {
    /// The reference as the user wrote it; findings carry it as their file.
    pub reference: String,
    /// The format found (never [`Format::Detect`]).
    pub format: Format,
    pub manifest_digest: Option<Digest>,
    /// The config's digest, which is also the image ID.
    pub config_digest: Digest,
    pub platform: Option<Platform>,
    /// Names the image has in its layout or archive.
    pub names: Vec<String>,
    pub config: ImageConfig,
    pub layers: Vec<Layer>,
    /// Bounds on what each layer may expand to (from [`OpenOptions`]).
    pub limits: Limits,
    pub(crate) store: Store,
}

impl Image {
    /// Open a reference (`oci:DIR:TAG`, `docker-archive:FILE`, a path,
    /// `registry.example/repo:tag`…).
    pub fn open(reference: &str) -> Result<Image, Error> {
        Image::open_with(reference, &OpenOptions::default())
    }

    pub fn open_with(reference: &str, options: &OpenOptions) -> Result<Image, Error> {
        if let Some(remote) = registry::parse_target(reference) {
            return Image::open_registry(reference, &remote?, options);
        }
        let source = Source::parse(reference)?;
        Image::open_source(reference, &source, options)
    }

    /// Open an image in a registry: its manifest (through an index for
    /// the platform) and config now, its layers when they are read.
    pub fn open_registry(
        reference: &str,
        remote: &registry::Reference,
        options: &OpenOptions,
    ) -> Result<Image, Error> {
        let remote = Arc::new(Remote::connect(reference, remote, &options.registry)?);
        let store = Store::Registry(remote.clone());
        let cx = Context {
            reference,
            store: &store,
            selector: &Selector::Default,
            options,
        };
        let opened = cx.open_oci()?;
        remote.find_signature(opened.manifest_digest.as_ref());
        Ok(Image {
            reference: reference.to_string(),
            format: Format::Registry,
            manifest_digest: opened.manifest_digest,
            config_digest: opened.config_digest,
            platform: opened.platform,
            names: opened.names,
            config: opened.config,
            layers: opened.layers,
            store,
            limits: options.limits,
        })
    }

    /// For an image read from a registry: the reference, the digest it
    /// resolved to, and whether it is signed.
    pub fn registry(&self) -> Option<RegistryImage> {
        match &self.store {
            Store::Registry(remote) => Some(remote.info()),
            _ => None,
        }
    }

    pub fn open_source(
        reference: &str,
        source: &Source,
        options: &OpenOptions,
    ) -> Result<Image, Error> {
        let path = &source.path;
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        let archive = || -> Result<Store, Error> {
            if meta.is_dir() {
                return Err(Error::NotAnImage {
                    path: path.clone(),
                    reason: "a directory, not an archive (use `oci:` for an OCI image layout)"
                        .into(),
                });
            }
            Ok(Store::Archive(Arc::new(ArchiveIndex::build(path)?)))
        };
        let (format, store) = match source.format {
            Format::OciLayout => {
                if !meta.is_dir() {
                    return Err(Error::NotAnImage {
                        path: path.clone(),
                        reason: "a file, not a directory (use `oci-archive:` or `docker-archive:` for archives)".into(),
                    });
                }
                (Format::OciLayout, Store::Dir(path.clone()))
            }
            Format::OciArchive => (Format::OciArchive, archive()?),
            Format::DockerArchive => (Format::DockerArchive, archive()?),
            Format::Detect if meta.is_dir() => (Format::OciLayout, Store::Dir(path.clone())),
            Format::Registry => {
                return Err(Error::Reference {
                    reference: reference.to_string(),
                    reason: "a registry reference, not a local image".into(),
                });
            }
            Format::Detect => {
                let store = archive()?;
                if store.contains("manifest.json") {
                    (Format::DockerArchive, store)
                } else if store.contains("index.json") {
                    (Format::OciArchive, store)
                } else {
                    return Err(Error::NotAnImage {
                        path: path.clone(),
                        reason: "a tar archive with neither manifest.json (docker save) nor index.json (OCI layout)".into(),
                    });
                }
            }
        };
        let cx = Context {
            reference,
            store: &store,
            selector: &source.selector,
            options,
        };
        let opened = match format {
            Format::DockerArchive => cx.open_docker_archive()?,
            _ => cx.open_oci()?,
        };
        Ok(Image {
            reference: reference.to_string(),
            format,
            manifest_digest: opened.manifest_digest,
            config_digest: opened.config_digest,
            platform: opened.platform,
            names: opened.names,
            config: opened.config,
            layers: opened.layers,
            limits: options.limits,
            store,
        })
    }

    /// Read every layer once, in parallel, verifying digests.
    pub fn index_layers(&self) -> Result<Vec<LayerIndex>, Error> {
        Ok(self
            .scan_layers(|_| ())?
            .into_iter()
            .map(|(index, ())| index)
            .collect())
    }

    /// Read every layer once, in parallel, with a visitor per layer that
    /// sees file contents. The first error in layer order is returned.
    pub fn scan_layers<V, F>(&self, make: F) -> Result<Vec<(LayerIndex, V)>, Error>
    where
        F: Fn(&Layer) -> V + Sync,
        V: LayerVisitor + Send,
    {
        let results: Vec<Result<(LayerIndex, V), Error>> = self
            .layers
            .par_iter()
            .map(|layer| {
                let mut visitor = make(layer);
                let index = self.read_layer(layer, &mut visitor)?;
                Ok((index, visitor))
            })
            .collect();
        results.into_iter().collect()
    }

    /// Read one layer, every byte of it.
    pub fn read_layer<V: LayerVisitor>(
        &self,
        layer: &Layer,
        visitor: &mut V,
    ) -> Result<LayerIndex, Error> {
        self.read_layer_to(layer, visitor, Depth::Contents)
    }

    /// Read one layer as deep as `depth` says: with [`Depth::Headers`],
    /// an uncompressed layer in a file is read by seeking past the file
    /// contents the visitor does not want.
    pub fn read_layer_to<V: LayerVisitor>(
        &self,
        layer: &Layer,
        visitor: &mut V,
        depth: Depth,
    ) -> Result<LayerIndex, Error> {
        let label = layer.label();
        let missing = || Error::MissingBlob {
            what: format!("{label}: {}", layer.blob),
            location: self.store.location().to_path_buf(),
        };
        let expected = Expected {
            label: &label,
            blob: layer.digest.as_ref(),
            size: layer.size,
            diff_id: layer.diff_id.as_ref(),
            limits: self.limits,
            depth,
        };
        if depth == Depth::Headers
            && let Some(window) = self.store.open_window(&layer.blob)?
            && let Some(index) = read_layer_headers(window, &expected, visitor)?
        {
            return Ok(index);
        }
        let Some((blob, _)) = self.store.open(&layer.blob)? else {
            return Err(missing());
        };
        read_layer(blob, &expected, visitor)
    }

    /// The first `limit` bytes of the regular file at `path` (normalised,
    /// no leading `/`) in layer `layer`; `None` if the layer has no such
    /// file. The last copy wins when a layer holds the path twice.
    pub fn read_file(
        &self,
        layer: usize,
        path: &str,
        limit: usize,
    ) -> Result<Option<Vec<u8>>, Error> {
        struct Grab<'a> {
            path: &'a str,
            limit: usize,
            current: Option<Vec<u8>>,
            found: Option<Vec<u8>>,
        }
        impl LayerVisitor for Grab<'_> {
            fn wants(&mut self, entry: &crate::FileEntry) -> bool {
                let hit = entry.path == self.path;
                if hit {
                    self.current = Some(Vec::new());
                }
                hit
            }
            fn chunk(&mut self, data: &[u8]) {
                if let Some(buf) = &mut self.current {
                    let room = self.limit.saturating_sub(buf.len());
                    buf.extend_from_slice(&data[..data.len().min(room)]);
                }
            }
            fn end_file(&mut self, _: &crate::FileEntry) {
                self.found = self.current.take();
            }
        }
        let Some(layer) = self.layers.get(layer) else {
            return Ok(None);
        };
        let mut grab = Grab {
            path: path.trim_start_matches('/'),
            limit,
            current: None,
            found: None,
        };
        self.read_layer(layer, &mut grab)?;
        Ok(grab.found)
    }
}

struct Opened {
    manifest_digest: Option<Digest>,
    config_digest: Digest,
    platform: Option<Platform>,
    names: Vec<String>,
    config: ImageConfig,
    layers: Vec<Layer>,
}

struct Context<'a> {
    reference: &'a str,
    store: &'a Store,
    selector: &'a Selector,
    options: &'a OpenOptions,
}

/// A manifest reachable from `index.json`.
struct Candidate {
    digest: Digest,
    media_type: Option<String>,
    size: Option<u64>,
    platform: Option<Platform>,
    names: Vec<String>,
    /// The digests of the indexes it was found through, then its own.
    chain: Vec<Digest>,
}

const MAX_INDEX_DEPTH: usize = 4;

impl Context<'_> {
    fn location(&self) -> PathBuf {
        self.store.location().to_path_buf()
    }

    fn selection_error(&self, reason: String) -> Error {
        Error::Selection {
            reference: self.reference.to_string(),
            reason,
        }
    }

    fn read_named<T: DeserializeOwned>(&self, name: &str) -> Result<(T, Vec<u8>), Error> {
        let Some(bytes) = self.store.read_small(name)? else {
            return Err(Error::NotAnImage {
                path: self.location(),
                reason: format!("no {name}"),
            });
        };
        let value = parse_json(&bytes, || format!("{}: {name}", self.location().display()))?;
        Ok((value, bytes))
    }

    /// Read a blob named by a digest and verify it.
    fn read_blob(&self, digest: &Digest, what: &str) -> Result<Vec<u8>, Error> {
        let Some(bytes) = self.store.read_digest(digest, what)? else {
            return Err(Error::MissingBlob {
                what: format!("{what} {digest}"),
                location: self.location(),
            });
        };
        verify(&bytes, digest, what)?;
        Ok(bytes)
    }

    fn parse_digest(&self, value: &str, what: &str) -> Result<Digest, Error> {
        Digest::parse(value).map_err(|source| Error::Digest {
            what: format!("{}: {what}", self.location().display()),
            source,
        })
    }

    fn open_oci(&self) -> Result<Opened, Error> {
        let (index, _): (Index, _) = self.read_named("index.json")?;
        let mut candidates = Vec::new();
        for desc in &index.manifests {
            let names = descriptor_names(desc);
            if let Selector::Tag(tag) = self.selector
                && !names.iter().any(|n| n == tag)
            {
                continue;
            }
            self.expand(desc, names, Vec::new(), None, 0, &mut candidates)?;
        }
        if let Selector::Digest(d) = self.selector {
            candidates.retain(|c| c.chain.contains(d));
        }
        let chosen = self.choose(candidates, &index)?;

        let bytes = self.read_blob(&chosen.digest, "manifest")?;
        let manifest = parse_manifest(&bytes, &chosen.digest)?;
        if let Some(size) = chosen.size
            && size != bytes.len() as u64
        {
            return Err(Error::SizeMismatch {
                what: format!("manifest {}", chosen.digest),
                expected: size,
                actual: bytes.len() as u64,
            });
        }
        if let Some(mt) = manifest.config.media_type.as_deref()
            && mt != OCI_CONFIG
            && mt != DOCKER_CONFIG
        {
            return Err(Error::NotAnImage {
                path: self.location(),
                reason: format!(
                    "manifest {} has a config of type `{mt}`: an artifact, not a container image",
                    chosen.digest
                ),
            });
        }
        let config_digest = self.parse_digest(&manifest.config.digest, "manifest config digest")?;
        let config_bytes = self.read_blob(&config_digest, "config")?;
        let config: ImageConfig = parse_json(&config_bytes, || format!("config {config_digest}"))?;

        let diff_ids = self.diff_ids(&config, manifest.layers.len())?;
        let mut layers = Vec::with_capacity(manifest.layers.len());
        for (i, (desc, diff_id)) in manifest.layers.iter().zip(diff_ids).enumerate() {
            let digest = self.parse_digest(&desc.digest, &format!("layer {} digest", i + 1))?;
            if let Some(mt) = desc.media_type.as_deref()
                && Compression::from_media_type(mt).is_none()
            {
                return Err(Error::Unsupported {
                    what: format!("layer {} ({digest})", i + 1),
                    reason: format!("unknown layer media type `{mt}`"),
                });
            }
            layers.push(Layer {
                index: i,
                blob: digest.blob_path(),
                digest: Some(digest),
                diff_id: Some(diff_id),
                media_type: desc.media_type.clone(),
                size: desc.size.and_then(|s| u64::try_from(s).ok()),
                history: None,
            });
        }
        attach_history(&mut layers, &config.history);
        Ok(Opened {
            manifest_digest: Some(chosen.digest),
            config_digest,
            platform: chosen.platform.or_else(|| config_platform(&config)),
            names: chosen.names,
            config,
            layers,
        })
    }

    /// Follow a descriptor from `index.json` down to image manifests.
    fn expand(
        &self,
        desc: &Descriptor,
        names: Vec<String>,
        mut chain: Vec<Digest>,
        platform: Option<Platform>,
        depth: usize,
        out: &mut Vec<Candidate>,
    ) -> Result<(), Error> {
        if desc
            .annotations
            .get("vnd.docker.reference.type")
            .is_some_and(|t| t == "attestation-manifest")
        {
            return Ok(());
        }
        let digest = self.parse_digest(&desc.digest, "index entry digest")?;
        chain.push(digest.clone());
        let platform = desc.platform.clone().or(platform);
        let media_type = desc.media_type.as_deref();
        let is_index = match media_type {
            Some(OCI_INDEX | DOCKER_MANIFEST_LIST) => true,
            Some(OCI_MANIFEST | DOCKER_MANIFEST) => false,
            // Unknown or missing: look at the document itself.
            _ => {
                let bytes = self.read_blob(&digest, "manifest")?;
                let value: serde_json::Value = parse_json(&bytes, || format!("manifest {digest}"))?;
                if value.get("manifests").is_some() {
                    true
                } else if value.get("config").is_some() {
                    false
                } else {
                    // Not an image (an artifact without config).
                    return Ok(());
                }
            }
        };
        if !is_index {
            out.push(Candidate {
                digest,
                media_type: desc.media_type.clone(),
                size: desc.size.and_then(|s| u64::try_from(s).ok()),
                platform,
                names,
                chain,
            });
            return Ok(());
        }
        if depth >= MAX_INDEX_DEPTH {
            return Err(Error::Unsupported {
                what: format!("index {digest}"),
                reason: "indexes nested too deep".into(),
            });
        }
        let bytes = self.read_blob(&digest, "index")?;
        let index: Index = parse_json(&bytes, || format!("index {digest}"))?;
        for child in &index.manifests {
            let mut child_names = names.clone();
            for n in descriptor_names(child) {
                if !child_names.contains(&n) {
                    child_names.push(n);
                }
            }
            self.expand(
                child,
                child_names,
                chain.clone(),
                platform.clone(),
                depth + 1,
                out,
            )?;
        }
        Ok(())
    }

    fn choose(&self, candidates: Vec<Candidate>, index: &Index) -> Result<Candidate, Error> {
        if candidates.is_empty() {
            return Err(self.selection_error(match self.selector {
                Selector::Default => "no image manifest in the layout".into(),
                Selector::Tag(t) => {
                    let tags: Vec<String> =
                        index.manifests.iter().flat_map(descriptor_names).collect();
                    format!("no image tagged `{t}` (tags: {})", list_or_none(&tags))
                }
                Selector::Digest(d) => format!("no manifest or index {d}"),
            }));
        }
        let distinct = |cs: &[&Candidate]| {
            let mut ds: Vec<&Digest> = cs.iter().map(|c| &c.digest).collect();
            ds.sort();
            ds.dedup();
            ds.len()
        };
        let all: Vec<&Candidate> = candidates.iter().collect();
        let pick = |c: &Candidate| candidates.iter().position(|x| x.digest == c.digest);
        let chosen = if distinct(&all) == 1 {
            Some(0)
        } else {
            let wanted = self.options.platform.clone().unwrap_or_else(Platform::host);
            let matching: Vec<&Candidate> = candidates
                .iter()
                .filter(|c| c.platform.as_ref().is_some_and(|p| p.satisfies(&wanted)))
                .collect();
            match distinct(&matching) {
                1 => pick(matching[0]),
                0 => {
                    let offered: Vec<String> = candidates
                        .iter()
                        .filter_map(|c| c.platform.as_ref().map(ToString::to_string))
                        .collect();
                    if offered.is_empty() {
                        None
                    } else {
                        return Err(self.selection_error(format!(
                            "no image for platform {wanted} (platforms: {})",
                            offered.join(", ")
                        )));
                    }
                }
                _ => None,
            }
        };
        let Some(i) = chosen else {
            let listed: Vec<String> = candidates
                .iter()
                .map(|c| {
                    let mut s = c.digest.to_string();
                    if let Some(p) = &c.platform {
                        s.push_str(&format!(" {p}"));
                    }
                    if !c.names.is_empty() {
                        s.push_str(&format!(" ({})", c.names.join(", ")));
                    }
                    s
                })
                .collect();
            return Err(self.selection_error(format!(
                "several images; name one with `:TAG` or `@DIGEST`: {}",
                listed.join("; ")
            )));
        };
        let mut candidates = candidates;
        let chosen = candidates.swap_remove(i);
        if chosen
            .media_type
            .as_deref()
            .is_some_and(|m| m != OCI_MANIFEST && m != DOCKER_MANIFEST)
        {
            return Err(Error::Unsupported {
                what: format!("manifest {}", chosen.digest),
                reason: format!("media type `{}`", chosen.media_type.unwrap_or_default()),
            });
        }
        Ok(chosen)
    }

    fn diff_ids(&self, config: &ImageConfig, layers: usize) -> Result<Vec<Digest>, Error> {
        if config.rootfs.diff_ids.len() != layers {
            return Err(Error::Inconsistent {
                what: self.reference.to_string(),
                reason: format!(
                    "the manifest lists {layers} layers but the config has {} diff_ids",
                    config.rootfs.diff_ids.len()
                ),
            });
        }
        config
            .rootfs
            .diff_ids
            .iter()
            .enumerate()
            .map(|(i, d)| self.parse_digest(d, &format!("config rootfs.diff_ids[{i}]")))
            .collect()
    }

    fn open_docker_archive(&self) -> Result<Opened, Error> {
        let (entries, _): (Vec<DockerArchiveEntry>, _) = self.read_named("manifest.json")?;
        let entry = match self.selector {
            Selector::Default => match entries.as_slice() {
                [only] => only,
                [] => {
                    return Err(self.selection_error("manifest.json lists no image".into()));
                }
                _ => {
                    let tags: Vec<String> =
                        entries.iter().flat_map(|e| e.repo_tags.clone()).collect();
                    return Err(self.selection_error(format!(
                        "the archive holds {} images; name one with `:NAME:TAG` (tags: {})",
                        entries.len(),
                        list_or_none(&tags)
                    )));
                }
            },
            Selector::Tag(name) => {
                let want = normalize_name(name);
                let found = entries
                    .iter()
                    .find(|e| e.repo_tags.iter().any(|t| normalize_name(t) == want));
                let Some(found) = found else {
                    let tags: Vec<String> =
                        entries.iter().flat_map(|e| e.repo_tags.clone()).collect();
                    return Err(self.selection_error(format!(
                        "no image named `{name}` (tags: {})",
                        list_or_none(&tags)
                    )));
                };
                found
            }
            Selector::Digest(_) => {
                return Err(self.selection_error(
                    "a docker archive is selected by `:NAME:TAG`, not by digest".into(),
                ));
            }
        };

        let Some(config_bytes) = self.store.read_small(&entry.config)? else {
            return Err(Error::MissingBlob {
                what: format!("config {}", entry.config),
                location: self.location(),
            });
        };
        // The file name is the config digest in both classic (`<hex>.json`)
        // and Docker 25+ (`blobs/sha256/<hex>`) archives.
        if let Some(named) = digest_in_name(&entry.config) {
            verify(&config_bytes, &named, &format!("config {}", entry.config))?;
        }
        let config_digest = Digest::of(Algorithm::Sha256, &config_bytes);
        let config: ImageConfig = parse_json(&config_bytes, || format!("config {}", entry.config))?;

        let diff_ids = self.diff_ids(&config, entry.layers.len())?;
        let mut layers = Vec::with_capacity(entry.layers.len());
        for (i, (blob, diff_id)) in entry.layers.iter().zip(diff_ids).enumerate() {
            let source = entry.layer_sources.get(&diff_id.to_string());
            layers.push(Layer {
                index: i,
                digest: blob_path_digest(blob),
                media_type: source.and_then(|s| s.media_type.clone()),
                size: None,
                diff_id: Some(diff_id),
                history: None,
                blob: blob.clone(),
            });
        }
        attach_history(&mut layers, &config.history);
        Ok(Opened {
            manifest_digest: None,
            config_digest,
            platform: config_platform(&config),
            names: entry.repo_tags.clone(),
            config,
            layers,
        })
    }
}

fn parse_json<T: DeserializeOwned>(
    bytes: &[u8],
    what: impl FnOnce() -> String,
) -> Result<T, Error> {
    serde_json::from_slice(bytes).map_err(|source| Error::Json {
        what: what(),
        source,
    })
}

fn parse_manifest(bytes: &[u8], digest: &Digest) -> Result<Manifest, Error> {
    let what = || format!("manifest {digest}");
    let value: serde_json::Value = parse_json(bytes, what)?;
    if value
        .get("schemaVersion")
        .and_then(serde_json::Value::as_i64)
        == Some(1)
    {
        return Err(Error::Unsupported {
            what: what(),
            reason: "Docker schema 1 manifests are deprecated and not supported".into(),
        });
    }
    serde_json::from_value(value).map_err(|source| Error::Json {
        what: what(),
        source,
    })
}

fn verify(bytes: &[u8], digest: &Digest, what: &str) -> Result<(), Error> {
    let actual = Digest::of(digest.algorithm(), bytes);
    if actual != *digest {
        return Err(Error::DigestMismatch {
            what: what.to_string(),
            expected: digest.clone(),
            actual,
        });
    }
    Ok(())
}

/// The names a descriptor in an index carries: the OCI tag annotation and
/// containerd's full name.
fn descriptor_names(desc: &Descriptor) -> Vec<String> {
    let mut names = Vec::new();
    if let Some(tag) = desc.annotations.get(REF_NAME) {
        names.push(tag.clone());
    }
    if let Some(full) = desc.annotations.get(CONTAINERD_NAME) {
        names.push(full.clone());
        if let Some((_, tag)) = full.rsplit_once(':')
            && !tag.contains('/')
            && !names.iter().any(|n| n == tag)
        {
            names.push(tag.to_string());
        }
    }
    names
}

/// `docker.io/library/alpine:latest` for `alpine`, to compare names.
fn normalize_name(name: &str) -> String {
    let name = name.trim();
    let (repo, tag) = match name.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (name, "latest"),
    };
    let first = repo.split('/').next().unwrap_or_default();
    let has_registry =
        repo.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let repo = if has_registry {
        repo.to_string()
    } else if repo.contains('/') {
        format!("docker.io/{repo}")
    } else {
        format!("docker.io/library/{repo}")
    };
    format!("{repo}:{tag}")
}

/// `blobs/sha256/<hex>` names its digest.
fn blob_path_digest(path: &str) -> Option<Digest> {
    let normal = crate::paths::normalize(path);
    let mut parts = normal.split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("blobs"), Some(alg), Some(hex), None) => Digest::parse(&format!("{alg}:{hex}")).ok(),
        _ => None,
    }
}

/// A config file named by its digest: `<hex>.json` or `blobs/sha256/<hex>`.
fn digest_in_name(name: &str) -> Option<Digest> {
    blob_path_digest(name).or_else(|| {
        let hex = name.strip_suffix(".json")?;
        Digest::parse(&format!("sha256:{hex}")).ok()
    })
}

fn config_platform(config: &ImageConfig) -> Option<Platform> {
    Some(Platform::new(
        config.os.as_deref()?,
        config.architecture.as_deref()?,
        config.variant.as_deref(),
    ))
}

/// Give each layer its history step: steps with `empty_layer` made no
/// layer, the others match layers in order.
fn attach_history(layers: &mut [Layer], history: &[History]) {
    let mut steps = history.iter().filter(|h| !h.empty_layer);
    for layer in layers {
        layer.history = steps.next().cloned();
    }
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_skips_empty_layers() {
        let mut layers: Vec<Layer> = (0..2)
            .map(|i| Layer {
                index: i,
                digest: None,
                diff_id: None,
                media_type: None,
                size: None,
                history: None,
                blob: format!("{i}.tar"),
            })
            .collect();
        let step = |by: &str, empty| History {
            created_by: Some(by.into()),
            empty_layer: empty,
            ..History::default()
        };
        attach_history(
            &mut layers,
            &[
                step("ENV A=1", true),
                step("COPY . /", false),
                step("USER app", true),
                step("RUN make", false),
            ],
        );
        assert_eq!(layers[0].created_by(), Some("COPY . /"));
        assert_eq!(layers[1].created_by(), Some("RUN make"));
        assert_eq!(layers[1].label(), "layer 2 (1.tar)");
    }

    #[test]
    fn names_normalise() {
        assert_eq!(normalize_name("alpine"), "docker.io/library/alpine:latest");
        assert_eq!(
            normalize_name("docker.io/library/t:v1"),
            normalize_name("t:v1")
        );
        assert_eq!(
            normalize_name("localhost:5000/x/y"),
            "localhost:5000/x/y:latest"
        );
        assert_eq!(normalize_name("ghcr.io/a/b:1"), "ghcr.io/a/b:1");
    }

    #[test]
    fn digests_in_names() {
        let hex = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        assert!(digest_in_name(&format!("{hex}.json")).is_some());
        assert!(blob_path_digest(&format!("blobs/sha256/{hex}")).is_some());
        assert!(blob_path_digest(&format!("{hex}.tar")).is_none());
        assert!(blob_path_digest(&format!("{hex}/layer.tar")).is_none());
    }
}
