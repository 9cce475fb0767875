//! What an image's layers cost: per-layer sizes with the step that made
//! each, bytes wasted on files that never reach the final filesystem,
//! duplicate content, and an efficiency score.
//!
//! ## Definitions
//!
//! - **stored file bytes**: the sizes of every regular file in every
//!   layer, each copy counted.
//! - **wasted bytes**: stored file bytes of copies that are not in the
//!   final filesystem — overwritten by a later entry, deleted by a
//!   whiteout (a deleted directory counts every file below it), or hidden
//!   by an opaque directory. Each superseded copy counts once; the copy a
//!   container sees never counts. So stored = final + wasted, exactly.
//! - **duplicate bytes**: in the final filesystem, identical content
//!   (same SHA-256) at several paths; each extra copy counts. Reported
//!   apart from waste: it is not removable by reordering layers.
//! - **efficiency** = 1 − wasted / stored (1 for an image without files).
//! - **user wasted ratio** = wasted / stored file bytes of every layer but
//!   the first (the base image), 0 when those layers store nothing.
//!
//! ## How this differs from dive
//!
//! dive's efficiency is Σ(smallest size seen per path) / Σ(all sizes per
//! path), and its wasted bytes sum *every* copy of a path found in more
//! than one layer — the surviving copy included — so a file overwritten
//! once counts twice, and a large base-image file that a later layer only
//! `chmod`s counts as waste in full twice over. In the other direction,
//! dive (0.12) does not follow opaque whiteouts and misses files under a
//! directory deleted as a whole. On this crate's test image (a file
//! overwritten, one deleted, a directory deleted, an opaque directory)
//! dive reports 52.5 kB wasted: 50 kB for the deleted file plus both
//! copies of the 1 kB → 1.5 kB overwrite; the true waste is 99 kB
//! (1 kB + 50 kB + 18 kB + 30 kB). The CI thresholds keep dive's names and
//! meaning (`lowestEfficiency`, `highestWastedBytes`,
//! `highestUserWastedPercent`), applied to these numbers.

use crate::digest::{ContentHash, Digest};
use crate::filesystem::{FileSystem, RemovedFile, stack};
use crate::image::{Image, Layer};
use crate::layer::{Compression, EntryKind, LayerIndex};
use serde::Serialize;

/// One layer's line in the breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerSummary {
    pub index: usize,
    /// Blob digest as computed (and verified where the manifest names it).
    pub digest: Digest,
    pub diff_id: Digest,
    /// False when the digests are the declared ones, not checked (a layer
    /// read by its headers alone, `--layers-only`).
    pub verified: bool,
    pub media_type: Option<String>,
    /// What the media type declares, when it says.
    pub declared_compression: Option<Compression>,
    /// What the blob's bytes are.
    pub compression: Compression,
    pub compressed_size: u64,
    pub uncompressed_size: u64,
    /// Regular files and their bytes.
    pub file_count: usize,
    pub file_bytes: u64,
    /// Entries of any kind (directories, links…), whiteouts excluded.
    pub entry_count: usize,
    pub whiteout_count: usize,
    pub created_by: Option<String>,
    pub created: Option<String>,
    pub comment: Option<String>,
    /// Bytes this layer stored that later layers (or itself) removed.
    pub wasted_bytes_added: u64,
    /// Bytes of earlier copies this layer overwrote, deleted or hid.
    pub wasted_bytes_removed: u64,
}

/// Sums over all layers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub layer_count: usize,
    pub compressed_size: u64,
    pub uncompressed_size: u64,
    /// Regular files stored across layers, each copy counted.
    pub stored_files: usize,
    pub stored_file_bytes: u64,
    /// Regular files in the final filesystem.
    pub final_files: usize,
    pub final_file_bytes: u64,
    /// Stored file bytes of layers after the first (dive's "user" size).
    pub user_file_bytes: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Waste {
    pub wasted_bytes: u64,
    pub wasted_files: usize,
    /// Every superseded copy, largest first.
    pub removed: Vec<RemovedFile>,
}

impl Waste {
    /// The `n` largest superseded copies.
    pub fn top(&self, n: usize) -> &[RemovedFile] {
        &self.removed[..n.min(self.removed.len())]
    }
}

/// Files with identical content at several paths of the final filesystem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateGroup {
    pub hash: ContentHash,
    pub size: u64,
    /// Sorted.
    pub paths: Vec<String>,
}

impl DuplicateGroup {
    /// Bytes beyond the first copy.
    pub fn extra_bytes(&self) -> u64 {
        self.size * (self.paths.len() as u64 - 1)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Duplicates {
    pub duplicate_bytes: u64,
    /// Largest extra bytes first.
    pub groups: Vec<DuplicateGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub layers: Vec<LayerSummary>,
    pub totals: Totals,
    pub waste: Waste,
    pub duplicates: Duplicates,
    /// 1 − wasted / stored file bytes.
    pub efficiency: f64,
    /// Wasted / stored file bytes above the base layer.
    pub user_wasted_ratio: f64,
    #[serde(skip)]
    pub filesystem: FileSystem,
}

/// Analyse an image from its layers' indexes (in manifest order). The
/// entries move into [`Analysis::filesystem`].
pub fn analyze(image: &Image, indexes: Vec<LayerIndex>) -> Analysis {
    analyze_layers(&image.layers, indexes)
}

pub(crate) fn analyze_layers(image_layers: &[Layer], indexes: Vec<LayerIndex>) -> Analysis {
    let mut totals = Totals {
        layer_count: indexes.len(),
        ..Totals::default()
    };
    let mut layers = Vec::with_capacity(indexes.len());
    for (i, index) in indexes.iter().enumerate() {
        let (file_count, file_bytes) = index.file_stats();
        totals.compressed_size += index.compressed_size;
        totals.uncompressed_size += index.uncompressed_size;
        totals.stored_files += file_count;
        totals.stored_file_bytes += file_bytes;
        if i > 0 {
            totals.user_file_bytes += file_bytes;
        }
        let layer = image_layers.get(i);
        let media_type = layer.and_then(|l| l.media_type.clone());
        let history = layer.and_then(|l| l.history.as_ref());
        layers.push(LayerSummary {
            index: i,
            digest: index.blob_digest.clone(),
            diff_id: index.diff_id.clone(),
            verified: index.verified,
            declared_compression: media_type.as_deref().and_then(Compression::from_media_type),
            media_type,
            compression: index.compression,
            compressed_size: index.compressed_size,
            uncompressed_size: index.uncompressed_size,
            file_count,
            file_bytes,
            entry_count: index.entries.len(),
            whiteout_count: index.whiteouts.len() + index.opaque_dirs.len(),
            // Build arguments and literal credentials in the step are masked.
            created_by: history
                .and_then(|h| h.created_by.as_deref())
                .map(crate::secrets::mask_secrets),
            created: history.and_then(|h| h.created.clone()),
            comment: history.and_then(|h| h.comment.clone()),
            wasted_bytes_added: 0,
            wasted_bytes_removed: 0,
        });
    }

    let stacked = stack(indexes);
    let mut removed = stacked.removed;
    let filesystem = stacked.filesystem;
    for r in &removed {
        layers[r.added_in].wasted_bytes_added += r.size;
        layers[r.removed_in].wasted_bytes_removed += r.size;
    }
    let wasted_bytes: u64 = removed.iter().map(|r| r.size).sum();
    let wasted_files = removed.iter().filter(|r| r.size > 0).count();
    removed.sort_by(|a, b| {
        b.size
            .cmp(&a.size)
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.added_in.cmp(&b.added_in))
    });

    // Files by content, borrowed: only the paths of real duplicates are
    // copied out.
    let mut by_content: Vec<((ContentHash, u64), &str)> = Vec::new();
    for e in filesystem.iter() {
        if e.entry.kind == EntryKind::File {
            totals.final_files += 1;
            if e.entry.size > 0
                && let Some(sum) = e.entry.hash
            {
                by_content.push(((sum, e.entry.size), &e.entry.path));
            }
        }
    }
    // Counting the final bytes this way includes content kept alive only
    // by a hard link whose target path was removed.
    totals.final_file_bytes = totals.stored_file_bytes - wasted_bytes;

    by_content.sort_unstable();
    let mut groups: Vec<DuplicateGroup> = by_content
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|same| same.len() > 1)
        .map(|same| DuplicateGroup {
            hash: same[0].0.0,
            size: same[0].0.1,
            // Sorted by content, then path.
            paths: same.iter().map(|(_, p)| p.to_string()).collect(),
        })
        .collect();
    drop(by_content);
    groups.sort_by(|a, b| {
        b.extra_bytes()
            .cmp(&a.extra_bytes())
            .then_with(|| a.paths.cmp(&b.paths))
    });
    let duplicates = Duplicates {
        duplicate_bytes: groups.iter().map(DuplicateGroup::extra_bytes).sum(),
        groups,
    };

    let efficiency = if totals.stored_file_bytes == 0 {
        1.0
    } else {
        1.0 - wasted_bytes as f64 / totals.stored_file_bytes as f64
    };
    let user_wasted_ratio = if totals.user_file_bytes == 0 {
        0.0
    } else {
        wasted_bytes as f64 / totals.user_file_bytes as f64
    };
    Analysis {
        layers,
        totals,
        waste: Waste {
            wasted_bytes,
            wasted_files,
            removed,
        },
        duplicates,
        efficiency,
        user_wasted_ratio,
        filesystem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filesystem::tests::{dir, file, layer};

    fn same_content(mut e: crate::FileEntry, seed: u8) -> crate::FileEntry {
        e.hash = Some(ContentHash(u128::from(seed)));
        e
    }

    #[test]
    fn waste_duplicates_and_scores() {
        let layers = [
            layer(
                vec![dir("a"), file("a/base", 600), file("a/tmp", 200)],
                &[],
                &[],
            ),
            layer(
                vec![
                    same_content(file("x/one", 50), 9),
                    same_content(file("y/two", 50), 9),
                    same_content(file("y/three", 50), 9),
                    file("z", 100),
                ],
                &["a/tmp"],
                &[],
            ),
            layer(vec![file("z", 40)], &[], &[]),
        ];
        let a = analyze_layers(&[], layers.to_vec());
        // stored: 800 + 250 + 40; wasted: a/tmp 200 + z 100.
        assert_eq!(a.totals.stored_file_bytes, 1090);
        assert_eq!(a.waste.wasted_bytes, 300);
        assert_eq!(a.waste.wasted_files, 2);
        assert_eq!(a.totals.final_file_bytes, 790);
        assert_eq!(a.totals.final_files, 5);
        assert_eq!(a.waste.top(1)[0].path, "a/tmp");
        assert_eq!(a.duplicates.duplicate_bytes, 100);
        assert_eq!(a.duplicates.groups[0].paths, ["x/one", "y/three", "y/two"]);
        assert!((a.efficiency - (1.0 - 300.0 / 1090.0)).abs() < 1e-12);
        assert_eq!(a.totals.user_file_bytes, 290);
        assert!((a.user_wasted_ratio - 300.0 / 290.0).abs() < 1e-12);
        assert_eq!(
            (
                a.layers[0].wasted_bytes_added,
                a.layers[1].wasted_bytes_removed
            ),
            (200, 200)
        );
        assert_eq!(a.layers[1].whiteout_count, 1);
        assert_eq!(
            (
                a.layers[1].wasted_bytes_added,
                a.layers[2].wasted_bytes_removed
            ),
            (100, 100)
        );
    }

    #[test]
    fn empty_image_is_fully_efficient() {
        let a = analyze_layers(&[], Vec::new());
        assert_eq!(a.efficiency, 1.0);
        assert_eq!(a.user_wasted_ratio, 0.0);
        let a = analyze_layers(&[], vec![layer(vec![dir("d")], &[], &[])]);
        assert_eq!((a.efficiency, a.totals.layer_count), (1.0, 1));
    }
}
