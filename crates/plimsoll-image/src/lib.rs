//! plimsoll's image analysis: open a built image (OCI layout, OCI archive,
//! `docker save` archive), read each layer once, verify it, stack the
//! layers into the final filesystem, and report what the layers cost.
//!
//! The data flows in four steps, one module each:
//!
//! 1. [`Image::open`] ([`source`], [`image`]): parse the reference, find
//!    the manifest for the platform, read and verify the config, match
//!    history steps to layers.
//! 2. [`Image::index_layers`] ([`layer`]): one streaming pass per layer,
//!    layers in parallel — decompress (gzip, concatenated gzip members,
//!    zstd, plain), list tar entries with each file's SHA-256, and verify
//!    the blob digest and the diffID on the way.
//! 3. [`stack`] ([`filesystem`]): apply entries and whiteouts in order to
//!    get the final filesystem and every stored copy that did not survive.
//! 4. [`analyze`] ([`analysis`]) and [`check`] ([`checks`],
//!    [`practices`]): per-layer breakdown, waste, duplicates, efficiency,
//!    and `PL3xxx` findings on the config and the final filesystem.
//!
//! During step 2 a [`contents::Capture`] visitor keeps the few small files
//! whose content matters (account and package databases, package
//! metadata); [`Contents::resolve`] keeps the final version of each, from
//! which [`packages::inventory`] lists the installed packages and
//! [`sbom::cyclonedx`] writes a CycloneDX SBOM.
//!
//! [`inspect`] runs all of it.

pub mod analysis;
pub mod checks;
pub mod ci;
pub mod contents;
pub mod digest;
mod error;
pub mod filesystem;
pub mod image;
pub mod layer;
pub mod packages;
pub mod paths;
pub mod practices;
pub mod registry;
pub mod sbom;
pub mod secrets;
pub mod source;
pub mod spec;
mod store;

pub use analysis::{Analysis, DuplicateGroup, Duplicates, LayerSummary, Totals, Waste, analyze};
pub use checks::{CheckOptions, RULES, check, find_rule};
pub use ci::{CiRules, CiRulesError, SizeError, format_size, parse_size};
pub use contents::{Both, Capture, Captured, Contents, FinalFile};
pub use digest::{Algorithm, ContentHash, Digest, DigestError};
pub use error::Error;
pub use filesystem::{FileSystem, FinalEntry, Removal, RemovedFile, Stacked, stack};
pub use image::{Image, Layer, OpenOptions};
pub use layer::{Compression, Depth, EntryKind, FileEntry, LayerIndex, LayerVisitor, Limits};
pub use packages::{Ecosystem, Package, inventory};
pub use registry::{Reference, RegistryImage, RegistryOptions, Signature};
pub use source::{Format, Selector, Source};
pub use spec::{ContainerConfig, History, ImageConfig, Platform, RootFs};

use plimsoll_diagnostics::Finding;
use rayon::prelude::*;

/// An image read end to end.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub image: Image,
    pub analysis: Analysis,
    /// The captured small files of the final filesystem.
    pub contents: Contents,
    /// Installed packages, from the final filesystem's databases.
    pub packages: Vec<Package>,
    pub findings: Vec<Finding>,
    /// How deep the layers were read ([`CheckOptions::depth`]): with
    /// [`Depth::Headers`] there are no content hashes, so no duplicates,
    /// and no secrets found in file contents.
    pub depth: Depth,
}

/// What [`inspect_with`] reports while it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The image is open: this many layers to read, of this many bytes
    /// in all when the manifest says.
    Opened { layers: usize, bytes: Option<u64> },
    /// One more layer read (layers finish in any order).
    LayerRead { index: usize, bytes: u64 },
}

/// One layer read: its index, the small files captured for the checks,
/// and the secrets found in it.
type LayerRead = (LayerIndex, Capture, Vec<secrets::FileSecret>);

/// Open `reference`, read every layer, analyse and check it.
pub fn inspect(
    reference: &str,
    open: &OpenOptions,
    checks: &CheckOptions,
) -> Result<Inspection, Error> {
    inspect_with(reference, open, checks, &|_| {})
}

/// [`inspect`], telling `progress` how far it got.
pub fn inspect_with(
    reference: &str,
    open: &OpenOptions,
    checks: &CheckOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Inspection, Error> {
    let image = Image::open_with(reference, open)?;
    let bytes = image.layers.iter().map(|l| l.size).sum::<Option<u64>>();
    progress(Progress::Opened {
        layers: image.layers.len(),
        bytes,
    });
    let results: Vec<Result<LayerRead, Error>> = image
        .layers
        .par_iter()
        .map(|layer| {
            let mut capture = Capture::default();
            // Secrets are looked for in the same pass that indexes the layers.
            let (index, found) = if checks.secrets && checks.depth == Depth::Contents {
                let mut both = Both::new(capture, secrets::SecretScan::new(layer.index));
                let index = image.read_layer(layer, &mut both)?;
                capture = both.first;
                (index, both.second.found)
            } else {
                let index = image.read_layer_to(layer, &mut capture, checks.depth)?;
                (index, Vec::new())
            };
            progress(Progress::LayerRead {
                index: layer.index,
                bytes: index.compressed_size,
            });
            Ok((index, capture, found))
        })
        .collect();
    let mut layers = Vec::with_capacity(results.len());
    let mut captures = Vec::with_capacity(results.len());
    let mut found = Vec::with_capacity(results.len());
    for r in results {
        let (index, capture, secrets) = r?;
        layers.push(index);
        captures.push(capture.into_files());
        found.push(secrets);
    }
    let analysis = analyze(&image, layers);
    let contents = Contents::resolve(captures, &analysis.filesystem);
    let packages = inventory(&contents);
    let mut findings = check(&image, &analysis, checks);
    findings.extend(practices::check(&image, &analysis, &contents));
    if checks.secrets {
        findings.extend(secrets::check(&image, &analysis, &found));
    }
    Ok(Inspection {
        image,
        analysis,
        contents,
        packages,
        findings,
        depth: checks.depth,
    })
}
