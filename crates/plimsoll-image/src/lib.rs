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
//! 4. [`analyze`] ([`analysis`]) and [`check`] ([`checks`]): per-layer
//!    breakdown, waste, duplicates, efficiency, and `PL3xxx` findings.
//!
//! [`inspect`] runs all four.

pub mod analysis;
pub mod checks;
pub mod ci;
pub mod digest;
mod error;
pub mod filesystem;
pub mod image;
pub mod layer;
pub mod paths;
pub mod secrets;
pub mod source;
pub mod spec;
mod store;

pub use analysis::{Analysis, DuplicateGroup, Duplicates, LayerSummary, Totals, Waste, analyze};
pub use checks::{CheckOptions, RULES, check, find_rule};
pub use ci::{CiRules, CiRulesError, SizeError, format_size, parse_size};
pub use digest::{Algorithm, Digest, DigestError, Sha256Sum};
pub use error::Error;
pub use filesystem::{FileSystem, FinalEntry, Removal, RemovedFile, Stacked, stack};
pub use image::{Image, Layer, OpenOptions};
pub use layer::{Compression, EntryKind, FileEntry, LayerIndex, LayerVisitor};
pub use source::{Format, Selector, Source};
pub use spec::{ContainerConfig, History, ImageConfig, Platform, RootFs};

use plimsoll_diagnostics::Finding;

/// An image read end to end.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub image: Image,
    pub layers: Vec<LayerIndex>,
    pub analysis: Analysis,
    pub findings: Vec<Finding>,
}

/// Open `reference`, read every layer, analyse and check it.
pub fn inspect(
    reference: &str,
    open: &OpenOptions,
    checks: &CheckOptions,
) -> Result<Inspection, Error> {
    let image = Image::open_with(reference, open)?;
    // Secrets are looked for in the same pass that indexes the layers.
    let (layers, found): (Vec<LayerIndex>, Vec<_>) = if checks.secrets {
        image
            .scan_layers(|l| secrets::SecretScan::new(l.index))?
            .into_iter()
            .map(|(index, scan)| (index, scan.found))
            .unzip()
    } else {
        (image.index_layers()?, Vec::new())
    };
    let analysis = analyze(&image, &layers);
    let mut findings = check(&image, &analysis, checks);
    if checks.secrets {
        findings.extend(secrets::check(&image, &layers, &found));
    }
    Ok(Inspection {
        image,
        layers,
        analysis,
        findings,
    })
}
