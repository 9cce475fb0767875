//! Stacking layers into the filesystem a container sees, with whiteouts
//! exactly as the OCI image spec defines them
//! (<https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts>),
//! and recording every regular file a layer stored that did not survive.
//!
//! - `.wh.NAME` deletes `NAME` from lower layers: a file, or a directory
//!   with everything below it.
//! - `.wh..wh..opq` in a directory hides the children that lower layers
//!   gave it; the directory itself stays.
//! - Whiteouts apply to lower layers only: an entry in the same layer as
//!   a whiteout survives it, whatever the order inside the tar.
//! - An entry replaces what a lower layer (or an earlier entry of the same
//!   layer) had at its path; a non-directory replacing a directory takes
//!   the directory's subtree with it, as Docker's and containerd's
//!   extractors do. A directory over a directory merges.

use crate::layer::{EntryKind, FileEntry, LayerIndex};
use crate::paths;
use serde::Serialize;
use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashSet};
use std::ops::Bound;

/// A path of the final filesystem and the layer that put it there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FinalEntry {
    pub layer: usize,
    pub entry: FileEntry,
}

/// The filesystem of a container started from the image.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileSystem {
    entries: BTreeSet<ByPath>,
}

/// A final entry ordered and looked up by its path, so the path is
/// stored once (an image's index is mostly paths).
#[derive(Debug, Clone, PartialEq, Eq)]
struct ByPath(FinalEntry);

impl Ord for ByPath {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.entry.path.cmp(&other.0.entry.path)
    }
}

impl PartialOrd for ByPath {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Borrow<str> for ByPath {
    fn borrow(&self) -> &str {
        &self.0.entry.path
    }
}

impl FileSystem {
    /// The entry at a normalised path (`etc/passwd`; a leading `/` is
    /// ignored).
    pub fn get(&self, path: &str) -> Option<&FinalEntry> {
        self.entries.get(path.trim_start_matches('/')).map(|e| &e.0)
    }

    /// Every entry, in path order.
    pub fn iter(&self) -> impl Iterator<Item = &FinalEntry> {
        self.entries.iter().map(|e| &e.0)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries strictly below a directory.
    pub fn children<'a>(&'a self, dir: &str) -> impl Iterator<Item = &'a FinalEntry> + 'a {
        let dir = dir.trim_matches('/');
        let (start, end) = subtree_bounds(dir);
        self.entries
            .range::<str, _>((
                Bound::Included(start.as_str()),
                Bound::Excluded(end.as_str()),
            ))
            .map(|e| &e.0)
    }

    fn remove(&mut self, path: &str) -> Option<FinalEntry> {
        self.entries.take(path).map(|e| e.0)
    }

    /// Take out everything strictly below `dir`, in path order.
    fn remove_below(&mut self, dir: &str) -> Vec<FinalEntry> {
        let paths: Vec<String> = self.children(dir).map(|e| e.entry.path.clone()).collect();
        paths.iter().filter_map(|p| self.remove(p)).collect()
    }
}

/// Why a stored file is not in the final filesystem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Removal {
    /// A later entry was written at its path or at a parent directory's.
    Overwritten,
    /// A whiteout (`.wh.NAME`) deleted it or a directory above it.
    Deleted,
    /// An opaque whiteout (`.wh..wh..opq`) hid its directory's contents.
    HiddenByOpaque,
}

impl Removal {
    pub const fn verb(self) -> &'static str {
        match self {
            Removal::Overwritten => "overwritten",
            Removal::Deleted => "deleted",
            Removal::HiddenByOpaque => "hidden by an opaque directory",
        }
    }
}

/// A regular file stored in a layer that is not in the final filesystem:
/// its bytes are shipped with the image and never seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedFile {
    pub path: String,
    pub size: u64,
    /// The layer that stored it.
    pub added_in: usize,
    /// The layer whose entry or whiteout removed it.
    pub removed_in: usize,
    pub reason: Removal,
}

/// The result of stacking layers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stacked {
    pub filesystem: FileSystem,
    /// Superseded copies of regular files, in the order they were removed.
    pub removed: Vec<RemovedFile>,
}

/// Stack layers, lowest first. The entries move into the filesystem.
pub fn stack(layers: impl IntoIterator<Item = LayerIndex>) -> Stacked {
    let mut fs = FileSystem::default();
    let mut removed = Vec::new();
    for (li, layer) in layers.into_iter().enumerate() {
        for dir in &layer.opaque_dirs {
            remove_below(&mut fs, dir, li, Removal::HiddenByOpaque, &mut removed);
        }
        for path in &layer.whiteouts {
            remove_path(&mut fs, path, li, Removal::Deleted, &mut removed);
        }
        for entry in layer.entries {
            if entry.path.is_empty() {
                continue; // the root directory
            }
            for ancestor in paths::ancestors(&entry.path) {
                if fs
                    .get(ancestor)
                    .is_some_and(|e| e.entry.kind != EntryKind::Dir)
                {
                    remove_path(&mut fs, ancestor, li, Removal::Overwritten, &mut removed);
                }
            }
            if let Some(old) = fs.get(&entry.path) {
                let dir_over_dir = old.entry.kind == EntryKind::Dir && entry.kind == EntryKind::Dir;
                if !dir_over_dir {
                    remove_path(&mut fs, &entry.path, li, Removal::Overwritten, &mut removed);
                }
            }
            fs.entries.replace(ByPath(FinalEntry { layer: li, entry }));
        }
    }
    // A hard link that survives keeps its target's bytes alive even when
    // the target's own path was removed: those bytes are not wasted.
    let linked: HashSet<(usize, &str)> = fs
        .iter()
        .filter(|e| e.entry.kind == EntryKind::Hardlink)
        .filter_map(|e| Some((e.layer, e.entry.link_target.as_deref()?)))
        .collect();
    let removed = if linked.is_empty() {
        removed
    } else {
        removed
            .into_iter()
            .filter(|r: &RemovedFile| !linked.contains(&(r.added_in, r.path.as_str())))
            .collect()
    };
    Stacked {
        filesystem: fs,
        removed,
    }
}

/// The key range of everything strictly below `dir` (`dir/…`); the whole
/// tree for the root.
fn subtree_bounds(dir: &str) -> (String, String) {
    if dir.is_empty() {
        // Every normalised path is non-empty and sorts after "".
        (String::from("\0"), String::from("\u{10FFFF}"))
    } else {
        // '0' is the character after '/'.
        (format!("{dir}/"), format!("{dir}0"))
    }
}

fn remove_below(
    fs: &mut FileSystem,
    dir: &str,
    layer: usize,
    reason: Removal,
    removed: &mut Vec<RemovedFile>,
) {
    for old in fs.remove_below(dir) {
        record(old, layer, reason, removed);
    }
}

fn remove_path(
    fs: &mut FileSystem,
    path: &str,
    layer: usize,
    reason: Removal,
    removed: &mut Vec<RemovedFile>,
) {
    if let Some(old) = fs.remove(path) {
        let was_dir = old.entry.kind == EntryKind::Dir;
        record(old, layer, reason, removed);
        if was_dir {
            remove_below(fs, path, layer, reason, removed);
        }
    } else {
        // A whiteout may name a directory that only exists implicitly
        // (its children were stored without a directory entry).
        remove_below(fs, path, layer, reason, removed);
    }
}

fn record(old: FinalEntry, layer: usize, reason: Removal, removed: &mut Vec<RemovedFile>) {
    if old.entry.kind == EntryKind::File {
        removed.push(RemovedFile {
            path: old.entry.path,
            size: old.entry.size,
            added_in: old.layer,
            removed_in: layer,
            reason,
        });
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::digest::{Algorithm, Digest};
    use crate::layer::Compression;

    pub(crate) fn file(path: &str, size: u64) -> FileEntry {
        FileEntry {
            path: path.into(),
            kind: EntryKind::File,
            size,
            mode: 0o644,
            uid: 0,
            gid: 0,
            link_target: None,
            hash: Some(crate::digest::ContentHash(u128::from(size))),
        }
    }

    pub(crate) fn dir(path: &str) -> FileEntry {
        FileEntry {
            kind: EntryKind::Dir,
            size: 0,
            hash: None,
            ..file(path, 0)
        }
    }

    pub(crate) fn layer(
        entries: Vec<FileEntry>,
        whiteouts: &[&str],
        opaque_dirs: &[&str],
    ) -> LayerIndex {
        LayerIndex {
            entries,
            whiteouts: whiteouts.iter().map(|s| s.to_string()).collect(),
            opaque_dirs: opaque_dirs.iter().map(|s| s.to_string()).collect(),
            compression: Compression::Gzip,
            compressed_size: 0,
            uncompressed_size: 0,
            blob_digest: Digest::of(Algorithm::Sha256, b""),
            diff_id: Digest::of(Algorithm::Sha256, b""),
            verified: true,
        }
    }

    fn paths_of(fs: &FileSystem) -> Vec<&str> {
        fs.iter().map(|e| e.entry.path.as_str()).collect()
    }

    fn removed_summary(s: &Stacked) -> Vec<(&str, u64, usize, usize, Removal)> {
        s.removed
            .iter()
            .map(|r| (r.path.as_str(), r.size, r.added_in, r.removed_in, r.reason))
            .collect()
    }

    #[test]
    fn whiteout_deletes_a_file() {
        let s = stack([
            layer(vec![dir("a"), file("a/x", 10), file("a/y", 20)], &[], &[]),
            layer(vec![], &["a/x"], &[]),
        ]);
        assert_eq!(paths_of(&s.filesystem), ["a", "a/y"]);
        assert_eq!(removed_summary(&s), [("a/x", 10, 0, 1, Removal::Deleted)]);
    }

    #[test]
    fn whiteout_deletes_a_whole_directory() {
        let s = stack([
            layer(
                vec![
                    dir("d"),
                    file("d/1", 1),
                    dir("d/sub"),
                    file("d/sub/2", 2),
                    file("d0", 100), // sorts right after "d/": must survive
                    file("d.txt", 5),
                ],
                &[],
                &[],
            ),
            layer(vec![], &["d"], &[]),
        ]);
        assert_eq!(paths_of(&s.filesystem), ["d.txt", "d0"]);
        let mut r = removed_summary(&s);
        r.sort();
        assert_eq!(
            r,
            [
                ("d/1", 1, 0, 1, Removal::Deleted),
                ("d/sub/2", 2, 0, 1, Removal::Deleted)
            ]
        );
    }

    #[test]
    fn whiteout_of_implicit_directory() {
        let s = stack([
            layer(vec![file("i/a", 3)], &[], &[]),
            layer(vec![], &["i"], &[]),
        ]);
        assert!(s.filesystem.is_empty());
        assert_eq!(removed_summary(&s), [("i/a", 3, 0, 1, Removal::Deleted)]);
    }

    #[test]
    fn opaque_hides_lower_children_only() {
        let s = stack([
            layer(
                vec![dir("o"), file("o/old", 7), file("o/sub/deep", 9)],
                &[],
                &[],
            ),
            layer(vec![file("o/mid", 4)], &[], &[]),
            // The tar lists the new file before the opaque marker; it
            // survives all the same.
            layer(vec![dir("o"), file("o/new", 1)], &[], &["o"]),
        ]);
        assert_eq!(paths_of(&s.filesystem), ["o", "o/new"]);
        let mut r = removed_summary(&s);
        r.sort();
        assert_eq!(
            r,
            [
                ("o/mid", 4, 1, 2, Removal::HiddenByOpaque),
                ("o/old", 7, 0, 2, Removal::HiddenByOpaque),
                ("o/sub/deep", 9, 0, 2, Removal::HiddenByOpaque),
            ]
        );
    }

    #[test]
    fn whiteout_does_not_touch_its_own_layer() {
        let s = stack([
            layer(vec![file("f", 10)], &[], &[]),
            layer(vec![file("f", 12)], &["f"], &[]),
        ]);
        assert_eq!(s.filesystem.get("/f").unwrap().entry.size, 12);
        assert_eq!(removed_summary(&s), [("f", 10, 0, 1, Removal::Deleted)]);
    }

    #[test]
    fn overwrites_count_each_superseded_copy_once() {
        let s = stack([
            layer(vec![file("c", 100)], &[], &[]),
            layer(vec![file("c", 200)], &[], &[]),
            layer(vec![file("c", 300), file("c", 50)], &[], &[]),
        ]);
        assert_eq!(s.filesystem.get("c").unwrap().entry.size, 50);
        assert_eq!(
            removed_summary(&s),
            [
                ("c", 100, 0, 1, Removal::Overwritten),
                ("c", 200, 1, 2, Removal::Overwritten),
                ("c", 300, 2, 2, Removal::Overwritten),
            ]
        );
    }

    #[test]
    fn file_replacing_directory_takes_subtree() {
        let mut link = file("lib", 0);
        link.kind = EntryKind::Symlink;
        link.link_target = Some("usr/lib".into());
        link.hash = None;
        let s = stack([
            layer(vec![dir("lib"), file("lib/libc.so", 1000)], &[], &[]),
            layer(vec![link], &[], &[]),
        ]);
        assert_eq!(paths_of(&s.filesystem), ["lib"]);
        assert_eq!(
            removed_summary(&s),
            [("lib/libc.so", 1000, 0, 1, Removal::Overwritten)]
        );
    }

    #[test]
    fn directory_replacing_file_and_parent_file() {
        let s = stack([
            layer(vec![file("p", 5), file("q", 6)], &[], &[]),
            layer(
                vec![dir("p"), file("p/child", 1), file("q/child", 2)],
                &[],
                &[],
            ),
        ]);
        assert_eq!(paths_of(&s.filesystem), ["p", "p/child", "q/child"]);
        let mut r = removed_summary(&s);
        r.sort();
        assert_eq!(
            r,
            [
                ("p", 5, 0, 1, Removal::Overwritten),
                ("q", 6, 0, 1, Removal::Overwritten)
            ]
        );
    }

    #[test]
    fn surviving_hard_link_keeps_bytes() {
        let mut hl = file("b", 0);
        hl.kind = EntryKind::Hardlink;
        hl.link_target = Some("a".into());
        hl.hash = None;
        let s = stack([
            layer(vec![file("a", 40), hl], &[], &[]),
            layer(vec![], &["a"], &[]),
        ]);
        assert_eq!(paths_of(&s.filesystem), ["b"]);
        assert!(s.removed.is_empty());
    }

    #[test]
    fn children_lists_subtree() {
        let s = stack([layer(
            vec![dir("e"), file("e/a", 1), file("e/b/c", 1), file("f", 1)],
            &[],
            &[],
        )]);
        let kids: Vec<&str> = s
            .filesystem
            .children("/e/")
            .map(|e| e.entry.path.as_str())
            .collect();
        assert_eq!(kids, ["e/a", "e/b/c"]);
        assert_eq!(s.filesystem.children("").count(), 4);
    }
}
