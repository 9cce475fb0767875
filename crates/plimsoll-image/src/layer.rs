//! One streaming pass over a layer blob: decompress, walk the tar, record
//! every entry with the SHA-256 of its content, and hash the compressed
//! blob (the manifest digest) and the uncompressed tar (the config's
//! diffID) on the way. Nothing is held in memory but one chunk.

use crate::digest::{Algorithm, ContentHash, Digest, HashingReader, Tally};
use crate::error::Error;
use crate::paths;
use crate::store::{Blob, Window, read_prefix};
use serde::Serialize;
use std::fmt;
use std::io::{self, BufReader, Read, Seek, SeekFrom};

const CHUNK: usize = 128 << 10;

/// How a layer blob is compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub const fn as_str(self) -> &'static str {
        match self {
            Compression::None => "uncompressed",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }

    /// What a layer media type declares; `None` for media types that say
    /// nothing plimsoll knows about compression.
    pub fn from_media_type(media_type: &str) -> Option<Compression> {
        match media_type {
            "application/vnd.oci.image.layer.v1.tar"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar"
            | "application/vnd.docker.image.rootfs.diff.tar" => Some(Compression::None),
            "application/vnd.oci.image.layer.v1.tar+gzip"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
            | "application/vnd.docker.image.rootfs.diff.tar.gzip"
            | "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip" => {
                Some(Compression::Gzip)
            }
            "application/vnd.oci.image.layer.v1.tar+zstd"
            | "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd" => {
                Some(Compression::Zstd)
            }
            _ => None,
        }
    }
}

impl fmt::Display for Compression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name of a compression format recognised by its magic bytes, for
/// formats other than plain tar.
pub(crate) fn compressed_magic(prefix: &[u8]) -> Option<&'static str> {
    if prefix.starts_with(&[0x1f, 0x8b]) {
        Some("gzip")
    } else if prefix.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some("zstd")
    } else if prefix.starts_with(b"BZh") {
        Some("bzip2")
    } else if prefix.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        Some("xz")
    } else {
        None
    }
}

/// The kind of a tar entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    Hardlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Other,
}

/// One entry of a layer's tar, whiteouts excluded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileEntry {
    /// Normalised: relative to the root, no leading or trailing slash.
    pub path: String,
    pub kind: EntryKind,
    /// Content size for regular files, 0 for everything else.
    pub size: u64,
    pub mode: u32,
    /// Owner and group; IDs beyond `u32` (no real system has them) are
    /// kept as `u32::MAX`.
    pub uid: u32,
    pub gid: u32,
    /// Symlink target as written, or hardlink target normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_target: Option<Box<str>>,
    /// The hash of the content, for regular files read whole.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<ContentHash>,
}

/// What one pass over a layer found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerIndex {
    /// Entries in tar order, whiteouts excluded.
    pub entries: Vec<FileEntry>,
    /// Paths this layer deletes from lower layers (`.wh.NAME`).
    pub whiteouts: Vec<String>,
    /// Directories whose lower-layer children this layer hides
    /// (`.wh..wh..opq`).
    pub opaque_dirs: Vec<String>,
    /// The compression found by sniffing the blob's first bytes.
    pub compression: Compression,
    pub compressed_size: u64,
    pub uncompressed_size: u64,
    /// The digest of the blob as stored, verified against the manifest
    /// when it names one.
    pub blob_digest: Digest,
    /// The digest of the uncompressed tar, verified against the config's
    /// `rootfs.diff_ids`.
    pub diff_id: Digest,
    /// False when the layer was read by seeking past file contents
    /// ([`Depth::Headers`] on an uncompressed layer): its digests are the
    /// ones the manifest and config declare, not checked.
    pub verified: bool,
}

/// How much of each layer a read looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Depth {
    /// Every byte: each file's content hashed and shown to the visitor,
    /// the blob digest and diffID verified.
    #[default]
    Contents,
    /// Tar headers, and only the contents a visitor asks for: no content
    /// hashes. An uncompressed layer in a file is read by seeking past the
    /// rest, so its digests are not verified; a compressed or streamed one
    /// is still decompressed whole and verified.
    Headers,
}

impl LayerIndex {
    /// Regular files and their total size.
    pub fn file_stats(&self) -> (usize, u64) {
        self.entries
            .iter()
            .filter(|e| e.kind == EntryKind::File)
            .fold((0, 0), |(n, b), e| (n + 1, b + e.size))
    }
}

/// Sees file contents during the one pass over a layer, so content
/// checks (secrets, package databases) need no second read.
pub trait LayerVisitor {
    /// Called for each regular file before its content (`entry.size` is
    /// the size its tar header declares, `entry.hash` is not known yet);
    /// return true to receive the content.
    fn wants(&mut self, entry: &FileEntry) -> bool {
        let _ = entry;
        false
    }
    /// The next chunk of the file accepted by `wants`.
    fn chunk(&mut self, data: &[u8]) {
        let _ = data;
    }
    /// The file accepted by `wants` is complete.
    fn end_file(&mut self, entry: &FileEntry) {
        let _ = entry;
    }
}

impl LayerVisitor for () {}

/// Bounds on what one layer may expand to, so that a decompression bomb
/// or a tar of millions of empty entries ends in an error, not in hours of
/// work or gigabytes of memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes a layer's uncompressed tar may have.
    pub max_layer_bytes: u64,
    /// The most entries (files, directories, links, whiteouts) a layer's
    /// file index may hold.
    pub max_layer_entries: usize,
}

impl Limits {
    /// 32 GiB: larger than the largest real layers (CUDA, model weights),
    /// small enough that a bomb stops within minutes.
    pub const DEFAULT_MAX_LAYER_BYTES: u64 = 32 << 30;
    /// Two million: ten times the files of a full distribution with a
    /// desktop; about 400 MB of index at most.
    pub const DEFAULT_MAX_LAYER_ENTRIES: usize = 2_000_000;
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_layer_bytes: Limits::DEFAULT_MAX_LAYER_BYTES,
            max_layer_entries: Limits::DEFAULT_MAX_LAYER_ENTRIES,
        }
    }
}

/// What the manifest and config say a layer must be.
pub(crate) struct Expected<'a> {
    /// How errors name the layer (`layer 3 (sha256:…)`).
    pub label: &'a str,
    pub blob: Option<&'a Digest>,
    pub size: Option<u64>,
    pub diff_id: Option<&'a Digest>,
    pub limits: Limits,
    pub depth: Depth,
}

pub(crate) fn read_layer<V: LayerVisitor>(
    blob: Blob,
    expected: &Expected<'_>,
    visitor: &mut V,
) -> Result<LayerIndex, Error> {
    let blob_algorithm = expected.blob.map_or(Algorithm::Sha256, Digest::algorithm);
    let diff_algorithm = expected
        .diff_id
        .map_or(Algorithm::Sha256, Digest::algorithm);
    let mut blob_tally = Tally::offloaded(blob_algorithm);
    let mut diff_tally = Tally::offloaded(diff_algorithm);
    let parts = stream(
        blob,
        (&mut blob_tally, &mut diff_tally),
        blob_algorithm == diff_algorithm,
        expected,
        visitor,
    )?;
    let compressed_size = blob_tally.bytes;
    let uncompressed_size = diff_tally.bytes;
    let lost = || Error::Layer {
        layer: expected.label.to_string(),
        reason: "the digest thread failed".into(),
    };
    let blob_digest = blob_tally.finish().ok_or_else(lost)?;
    // An uncompressed blob is its own tar: one digest serves both.
    let diff_id = match diff_tally.finish() {
        Some(d) => d,
        None => blob_digest.clone(),
    };

    if let Some(want) = expected.blob
        && *want != blob_digest
    {
        return Err(Error::DigestMismatch {
            what: expected.label.to_string(),
            expected: want.clone(),
            actual: blob_digest,
        });
    }
    if let Some(want) = expected.size
        && want != compressed_size
    {
        return Err(Error::SizeMismatch {
            what: expected.label.to_string(),
            expected: want,
            actual: compressed_size,
        });
    }
    if let Some(want) = expected.diff_id
        && *want != diff_id
    {
        return Err(Error::DigestMismatch {
            what: format!("{}: uncompressed tar (diffID)", expected.label),
            expected: want.clone(),
            actual: diff_id,
        });
    }
    let mut entries = parts.entries;
    // Kept until the layers are stacked: no spare capacity.
    entries.shrink_to_fit();
    Ok(LayerIndex {
        entries,
        whiteouts: parts.whiteouts,
        opaque_dirs: parts.opaque_dirs,
        compression: parts.compression,
        compressed_size,
        uncompressed_size,
        blob_digest,
        diff_id,
        verified: true,
    })
}

/// Read an uncompressed layer in `window` by its tar headers alone,
/// seeking past every file the visitor does not want. `None` when the
/// blob is compressed (it must then be streamed), or when the manifest
/// and config name no digest to report for it.
pub(crate) fn read_layer_headers<V: LayerVisitor>(
    mut window: Window,
    expected: &Expected<'_>,
    visitor: &mut V,
) -> Result<Option<LayerIndex>, Error> {
    let fail = |e: io::Error| Error::Layer {
        layer: expected.label.to_string(),
        reason: format!("cannot read the uncompressed tar stream: {e}"),
    };
    let Some(diff_id) = expected.diff_id.or(expected.blob) else {
        return Ok(None);
    };
    let mut magic = [0u8; 6];
    let n = read_prefix(&mut window, &mut magic).map_err(fail)?;
    if compressed_magic(&magic[..n]).is_some() {
        return Ok(None);
    }
    window.seek(SeekFrom::Start(0)).map_err(fail)?;
    let len = window.len();
    if let Some(want) = expected.size
        && want != len
    {
        return Err(Error::SizeMismatch {
            what: expected.label.to_string(),
            expected: want,
            actual: len,
        });
    }
    let mut parts = Parts {
        entries: Vec::new(),
        whiteouts: Vec::new(),
        opaque_dirs: Vec::new(),
        compression: Compression::None,
    };
    let mut archive = tar::Archive::new(window);
    let entries = archive.entries_with_seek().map_err(fail)?;
    walk_tar(entries, Some(len), &mut parts, expected, visitor).map_err(fail)?;
    parts.entries.shrink_to_fit();
    Ok(Some(LayerIndex {
        entries: parts.entries,
        whiteouts: parts.whiteouts,
        opaque_dirs: parts.opaque_dirs,
        compression: Compression::None,
        compressed_size: len,
        uncompressed_size: len,
        blob_digest: expected.blob.unwrap_or(diff_id).clone(),
        diff_id: diff_id.clone(),
        verified: false,
    }))
}

struct Parts {
    entries: Vec<FileEntry>,
    whiteouts: Vec<String>,
    opaque_dirs: Vec<String>,
    compression: Compression,
}

fn stream<V: LayerVisitor>(
    blob: Blob,
    (blob_tally, diff_tally): (&mut Tally, &mut Tally),
    same_algorithm: bool,
    expected: &Expected<'_>,
    visitor: &mut V,
) -> Result<Parts, Error> {
    let label = expected.label;
    let limits = expected.limits;
    let fail = |compression: Option<Compression>, e: io::Error| Error::Layer {
        layer: label.to_string(),
        reason: match compression {
            Some(c) => format!("cannot read the {c} tar stream: {e}"),
            None => format!("cannot read the blob: {e}"),
        },
    };
    let mut hashed = HashingReader::new(blob, blob_tally);
    let mut magic = [0u8; 6];
    let n = read_prefix(&mut hashed, &mut magic).map_err(|e| fail(None, e))?;
    let compression = match compressed_magic(&magic[..n]) {
        None => Compression::None,
        Some("gzip") => Compression::Gzip,
        Some("zstd") => Compression::Zstd,
        Some(other) => {
            return Err(Error::Unsupported {
                what: label.to_string(),
                reason: format!("{other}-compressed layers are not supported"),
            });
        }
    };
    if compression == Compression::None && same_algorithm {
        diff_tally.count_only();
    }
    let mut source =
        BufReader::with_capacity(CHUNK, io::Cursor::new(magic[..n].to_vec()).chain(hashed));
    let fail = |e| fail(Some(compression), e);
    let decoded: Box<dyn Read + '_> = match compression {
        Compression::None => Box::new(&mut source),
        // Go's gzip reader, and so Docker and containerd, accept several
        // concatenated gzip members as one stream.
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(&mut source)),
        Compression::Zstd => {
            Box::new(zstd::stream::read::Decoder::with_buffer(&mut source).map_err(fail)?)
        }
    };
    let decoded = Capped {
        inner: decoded,
        left: limits.max_layer_bytes,
    };
    // Buffered above the hasher, so it sees large chunks rather than
    // the tar reader's 512-byte headers.
    let mut diff = BufReader::with_capacity(CHUNK, HashingReader::new(decoded, diff_tally));
    let mut parts = Parts {
        entries: Vec::new(),
        whiteouts: Vec::new(),
        opaque_dirs: Vec::new(),
        compression,
    };
    let mut archive = tar::Archive::new(&mut diff);
    let entries = archive.entries().map_err(fail)?;
    walk_tar(entries, None, &mut parts, expected, visitor).map_err(fail)?;
    // The end-of-archive blocks and any padding are part of the diffID,
    // and trailing compressed bytes part of the blob digest.
    io::copy(&mut diff, &mut io::sink()).map_err(fail)?;
    drop(diff);
    io::copy(&mut source, &mut io::sink()).map_err(fail)?;
    Ok(parts)
}

/// A reader that fails once more than `left` bytes came through.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                self.left = left;
                Ok(n)
            }
            None => Err(io::Error::other(
                "the layer expands past the limit on its uncompressed size (a decompression bomb?); raise it with --max-layer-size",
            )),
        }
    }
}

/// Record every entry of a tar. With [`Depth::Contents`] each regular
/// file is read whole and hashed; with [`Depth::Headers`] only the files
/// the visitor wants are read, and `window_len` (the size of a seekable
/// tar) catches files that would end past it.
fn walk_tar<R: Read, V: LayerVisitor>(
    entries: tar::Entries<'_, R>,
    window_len: Option<u64>,
    parts: &mut Parts,
    expected: &Expected<'_>,
    visitor: &mut V,
) -> io::Result<()> {
    let limits = expected.limits;
    let hashing = expected.depth == Depth::Contents;
    let max_entries = limits.max_layer_entries;
    // Sparse files expand beyond the bytes of the tar stream: their
    // content counts against the same limit.
    let mut expanded = 0u64;
    let mut buf = vec![0u8; CHUNK];
    for entry in entries {
        let mut entry = entry?;
        if parts.entries.len() + parts.whiteouts.len() + parts.opaque_dirs.len() >= max_entries {
            return Err(io::Error::other(format!(
                "the layer has more than {max_entries} entries, the limit on a layer's file index; raise it with --max-layer-files"
            )));
        }
        let header = entry.header();
        let tar_kind = header.entry_type();
        if tar_kind.is_pax_global_extensions()
            || tar_kind.is_pax_local_extensions()
            || tar_kind.is_gnu_longname()
            || tar_kind.is_gnu_longlink()
        {
            continue;
        }
        let path = paths::normalize(&String::from_utf8_lossy(&entry.path_bytes()));
        let name = paths::file_name(&path);
        if let Some(target) = name.strip_prefix(".wh.") {
            let dir = paths::parent(&path);
            if target == ".wh..opq" {
                parts.opaque_dirs.push(dir.to_string());
            } else if !target.starts_with(".wh.") && !matches!(target, "" | "." | "..") {
                parts.whiteouts.push(paths::join(dir, target));
            }
            // Other `.wh..wh.*` names are AUFS bookkeeping, not files.
            continue;
        }
        let kind = if tar_kind.is_file() || tar_kind.is_contiguous() || tar_kind.is_gnu_sparse() {
            EntryKind::File
        } else if tar_kind.is_dir() {
            EntryKind::Dir
        } else if tar_kind.is_symlink() {
            EntryKind::Symlink
        } else if tar_kind.is_hard_link() {
            EntryKind::Hardlink
        } else if tar_kind.is_character_special() {
            EntryKind::CharDevice
        } else if tar_kind.is_block_special() {
            EntryKind::BlockDevice
        } else if tar_kind.is_fifo() {
            EntryKind::Fifo
        } else {
            EntryKind::Other
        };
        let link_target = entry.link_name_bytes().map(|t| {
            let t = String::from_utf8_lossy(&t);
            if kind == EntryKind::Hardlink {
                paths::normalize(&t).into_boxed_str()
            } else {
                t.into()
            }
        });
        let mut file = FileEntry {
            path,
            kind,
            size: 0,
            mode: header.mode().unwrap_or(0),
            uid: id(header.uid()),
            gid: id(header.gid()),
            link_target: link_target
                .filter(|_| matches!(kind, EntryKind::Symlink | EntryKind::Hardlink)),
            hash: None,
        };
        if kind == EntryKind::File {
            let declared = entry.size();
            // The header's size, so visitors can skip large files; the
            // size read replaces it below.
            file.size = declared;
            let wants = visitor.wants(&file);
            if let Some(len) = window_len
                && entry.raw_file_position().saturating_add(declared) > len
            {
                return Err(truncated(
                    &file.path,
                    len - entry.raw_file_position().min(len),
                    declared,
                ));
            }
            if !hashing && !wants {
                // Skipped by the next header read: a seek in a window.
                parts.entries.push(file);
                continue;
            }
            let mut hasher = hashing.then(xxhash_rust::xxh3::Xxh3::new);
            let mut read = 0u64;
            loop {
                let n = match entry.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                expanded += n as u64;
                if expanded > limits.max_layer_bytes {
                    return Err(io::Error::other(
                        "the layer's files expand past the limit on its uncompressed size (a decompression bomb?); raise it with --max-layer-size",
                    ));
                }
                if let Some(h) = &mut hasher {
                    h.update(&buf[..n]);
                }
                if wants {
                    visitor.chunk(&buf[..n]);
                }
                read += n as u64;
            }
            if read < declared && !tar_kind.is_gnu_sparse() {
                return Err(truncated(&file.path, read, declared));
            }
            file.size = read;
            file.hash = hasher.map(|h| ContentHash(h.digest128()));
            if wants {
                visitor.end_file(&file);
            }
        }
        parts.entries.push(file);
    }
    Ok(())
}

/// A tar header's owner or group ID.
fn id(value: io::Result<u64>) -> u32 {
    value.map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX))
}

fn truncated(path: &str, read: u64, declared: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::UnexpectedEof,
        format!(
            "truncated inside `{}` ({read} of {declared} bytes)",
            paths::display(path)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::{Cursor, Write};

    fn header(kind: tar::EntryType, size: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(0o644);
        h.set_uid(1000);
        h.set_gid(1000);
        h
    }

    fn tar_of(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (path, data) in files {
            if let Some(dir) = path.strip_suffix('/') {
                let mut h = header(tar::EntryType::Directory, 0);
                b.append_data(&mut h, dir, io::empty()).unwrap();
            } else {
                let mut h = header(tar::EntryType::Regular, data.len() as u64);
                b.append_data(&mut h, path, *data).unwrap();
            }
        }
        b.into_inner().unwrap()
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn sha(data: &[u8]) -> Digest {
        Digest::of(Algorithm::Sha256, data)
    }

    fn read(
        blob: Vec<u8>,
        digest: Option<&Digest>,
        diff_id: Option<&Digest>,
    ) -> Result<LayerIndex, Error> {
        let expected = Expected {
            label: "layer 1 (test)",
            blob: digest,
            size: None,
            diff_id,
            limits: Limits::default(),
            depth: Depth::Contents,
        };
        read_layer(Box::new(Cursor::new(blob)), &expected, &mut ())
    }

    fn sample() -> Vec<u8> {
        tar_of(&[
            ("etc/", b""),
            ("./etc/hosts", b"127.0.0.1 localhost\n"),
            ("etc/.wh.motd", b""),
            ("var/.wh..wh..opq", b""),
            ("var/.wh..wh.plnk", b""),
            ("big", &[7u8; 300_000]),
        ])
    }

    #[test]
    fn reads_plain_gzip_and_zstd_alike() {
        let tar = sample();
        let diff_id = sha(&tar);
        let gz = gzip(&tar);
        let zst = zstd::encode_all(&tar[..], 3).unwrap();
        for (blob, kind) in [
            (tar.clone(), Compression::None),
            (gz, Compression::Gzip),
            (zst, Compression::Zstd),
        ] {
            let digest = sha(&blob);
            let index = read(blob.clone(), Some(&digest), Some(&diff_id)).unwrap();
            assert_eq!(index.compression, kind);
            assert_eq!(index.blob_digest, digest);
            assert_eq!(index.diff_id, diff_id);
            assert_eq!(index.compressed_size, blob.len() as u64);
            assert_eq!(index.uncompressed_size, tar.len() as u64);
            let paths: Vec<&str> = index.entries.iter().map(|e| e.path.as_str()).collect();
            assert_eq!(paths, ["etc", "etc/hosts", "big"]);
            assert_eq!(index.whiteouts, ["etc/motd"]);
            assert_eq!(index.opaque_dirs, ["var"]);
            let hosts = &index.entries[1];
            assert_eq!(
                (hosts.kind, hosts.size, hosts.uid, hosts.mode),
                (EntryKind::File, 20, 1000, 0o644)
            );
            assert_eq!(hosts.hash, Some(ContentHash::of(b"127.0.0.1 localhost\n")));
            assert_eq!(index.file_stats(), (2, 300_020));
        }
    }

    #[test]
    fn concatenated_gzip_members_are_one_stream() {
        let tar = sample();
        let (a, b) = tar.split_at(777);
        let mut blob = gzip(a);
        blob.extend(gzip(b));
        let index = read(blob, None, Some(&sha(&tar))).unwrap();
        assert_eq!(index.entries.len(), 3);
        assert_eq!(index.entries[2].size, 300_000);
    }

    #[test]
    fn digest_mismatches_name_the_layer() {
        let tar = sample();
        let blob = gzip(&tar);
        let wrong = sha(b"something else");
        let e = read(blob.clone(), Some(&wrong), None).unwrap_err();
        assert!(matches!(e, Error::DigestMismatch { .. }), "{e}");
        assert!(
            e.to_string()
                .starts_with("layer 1 (test): content does not match"),
            "{e}"
        );
        let e = read(blob, None, Some(&wrong)).unwrap_err();
        assert!(e.to_string().contains("(diffID)"), "{e}");
        let e = read_layer(
            Box::new(Cursor::new(tar.clone())),
            &Expected {
                label: "layer 1 (test)",
                blob: None,
                size: Some(5),
                diff_id: None,
                limits: Limits::default(),
                depth: Depth::Contents,
            },
            &mut (),
        )
        .unwrap_err();
        assert!(matches!(e, Error::SizeMismatch { expected: 5, .. }), "{e}");
    }

    #[test]
    fn corrupt_and_truncated_inputs_are_errors() {
        let tar = sample();
        let gz = gzip(&tar);
        let mut corrupt = gz.clone();
        for b in &mut corrupt[20..60] {
            *b ^= 0x55;
        }
        let truncated_gz = gz[..gz.len() / 2].to_vec();
        let truncated_tar = tar[..tar.len() - 150_000].to_vec();
        let truncated_header = tar[..512 + 600].to_vec();
        let garbage_tar = vec![b'x'; 4096];
        let zst = zstd::encode_all(&tar[..], 3).unwrap();
        let truncated_zst = zst[..zst.len() - 10].to_vec();
        for (name, blob) in [
            ("corrupt gzip", corrupt),
            ("truncated gzip", truncated_gz),
            ("truncated tar", truncated_tar),
            ("truncated header", truncated_header),
            ("not a tar", garbage_tar),
            ("truncated zstd", truncated_zst),
        ] {
            match read(blob, None, None) {
                Err(Error::Layer { layer, reason }) => {
                    assert_eq!(layer, "layer 1 (test)", "{name}");
                    assert!(!reason.is_empty(), "{name}");
                }
                other => panic!("{name}: expected a layer error, got {other:?}"),
            }
        }
        let e = read(b"BZh91AY&SY".to_vec(), None, None).unwrap_err();
        assert!(e.to_string().contains("bzip2"), "{e}");
    }

    #[test]
    fn missing_end_of_archive_blocks_are_accepted() {
        // Debian's umoci 0.4.7 `insert` writes such layers; skopeo, dive
        // and Docker read them, so plimsoll does too.
        let tar = sample();
        let cut = tar.len() - 1024;
        assert!(tar[cut..].iter().all(|b| *b == 0));
        let index = read(gzip(&tar[..cut]), None, Some(&sha(&tar[..cut]))).unwrap();
        assert_eq!(index.entries.len(), 3);
    }

    /// `blob` as a file window, read by headers.
    fn read_headers(blob: &[u8], diff_id: &Digest) -> Result<Option<LayerIndex>, Error> {
        let mut file = tempfile::tempfile().unwrap();
        // Something before and after, as in an archive.
        file.write_all(b"before").unwrap();
        file.write_all(blob).unwrap();
        file.write_all(&[1u8; 700]).unwrap();
        let window = Window::new(file, 6, blob.len() as u64).unwrap();
        let expected = Expected {
            label: "layer 1 (test)",
            blob: None,
            size: None,
            diff_id: Some(diff_id),
            limits: Limits::default(),
            depth: Depth::Headers,
        };
        read_layer_headers(window, &expected, &mut ())
    }

    #[test]
    fn headers_alone_give_the_same_index_without_hashes() {
        let tar = sample();
        let full = read(tar.clone(), None, None).unwrap();
        let fast = read_headers(&tar, &sha(&tar)).unwrap().unwrap();
        assert!(full.verified && !fast.verified);
        let unhashed: Vec<FileEntry> = full
            .entries
            .iter()
            .cloned()
            .map(|e| FileEntry { hash: None, ..e })
            .collect();
        assert_eq!(fast.entries, unhashed);
        assert_eq!(fast.whiteouts, full.whiteouts);
        assert_eq!(fast.opaque_dirs, full.opaque_dirs);
        assert_eq!(fast.uncompressed_size, tar.len() as u64);
        // The declared diffID, not checked.
        let other = sha(b"not this tar");
        assert_eq!(read_headers(&tar, &other).unwrap().unwrap().diff_id, other);
        // A compressed blob must be streamed.
        assert!(read_headers(&gzip(&tar), &sha(&tar)).unwrap().is_none());
    }

    #[test]
    fn headers_of_a_truncated_tar_are_an_error() {
        let tar = sample();
        // Inside the 300,000-byte file: its header says more than is left.
        let cut = &tar[..tar.len() - 200_000];
        let e = read_headers(cut, &sha(cut)).unwrap_err();
        assert!(e.to_string().contains("truncated inside `/big`"), "{e}");
    }

    #[test]
    fn empty_blob_is_an_empty_layer() {
        let index = read(Vec::new(), None, None).unwrap();
        assert!(index.entries.is_empty());
        assert_eq!(index.diff_id, sha(b""));
    }

    #[test]
    fn visitor_sees_wanted_content() {
        #[derive(Default)]
        struct Collect(Vec<(String, Vec<u8>)>);
        impl LayerVisitor for Collect {
            fn wants(&mut self, entry: &FileEntry) -> bool {
                let yes = entry.path.starts_with("etc/");
                if yes {
                    self.0.push((entry.path.clone(), Vec::new()));
                }
                yes
            }
            fn chunk(&mut self, data: &[u8]) {
                self.0.last_mut().unwrap().1.extend_from_slice(data);
            }
        }
        let mut visitor = Collect::default();
        let expected = Expected {
            label: "layer 1 (test)",
            blob: None,
            size: None,
            diff_id: None,
            limits: Limits::default(),
            depth: Depth::Contents,
        };
        read_layer(
            Box::new(Cursor::new(gzip(&sample()))),
            &expected,
            &mut visitor,
        )
        .unwrap();
        assert_eq!(
            visitor.0,
            [("etc/hosts".to_string(), b"127.0.0.1 localhost\n".to_vec())]
        );
    }

    #[test]
    fn decompression_bombs_stop_at_the_limits() {
        // 64 MiB of zeros in one file, in well under 1 MB of gzip.
        let mut b = tar::Builder::new(Vec::new());
        let mut h = header(tar::EntryType::Regular, 64 << 20);
        b.append_data(&mut h, "zeros", io::repeat(0).take(64 << 20))
            .unwrap();
        let bomb = gzip(&b.into_inner().unwrap());
        assert!(bomb.len() < 1 << 20, "{}", bomb.len());
        let limited = |limits: Limits| {
            read_layer(
                Box::new(Cursor::new(bomb.clone())),
                &Expected {
                    label: "layer 1 (test)",
                    blob: None,
                    size: None,
                    diff_id: None,
                    limits,
                    depth: Depth::Contents,
                },
                &mut (),
            )
        };
        let e = limited(Limits {
            max_layer_bytes: 1 << 20,
            ..Limits::default()
        })
        .unwrap_err();
        assert!(
            matches!(&e, Error::Layer { reason, .. } if reason.contains("--max-layer-size")),
            "{e}"
        );
        assert!(limited(Limits::default()).is_ok());

        // Many entries.
        let many: Vec<(String, Vec<u8>)> =
            (0..100).map(|i| (format!("f{i}"), Vec::new())).collect();
        let refs: Vec<(&str, &[u8])> = many
            .iter()
            .map(|(p, d)| (p.as_str(), d.as_slice()))
            .collect();
        let tar = tar_of(&refs);
        let e = read_layer(
            Box::new(Cursor::new(tar)),
            &Expected {
                label: "layer 1 (test)",
                blob: None,
                size: None,
                diff_id: None,
                limits: Limits {
                    max_layer_entries: 50,
                    ..Limits::default()
                },
                depth: Depth::Contents,
            },
            &mut (),
        )
        .unwrap_err();
        assert!(e.to_string().contains("more than 50 entries"), "{e}");
    }

    #[test]
    fn media_types() {
        assert_eq!(
            Compression::from_media_type("application/vnd.docker.image.rootfs.diff.tar.gzip"),
            Some(Compression::Gzip)
        );
        assert_eq!(
            Compression::from_media_type("application/vnd.oci.image.layer.v1.tar"),
            Some(Compression::None)
        );
        assert_eq!(Compression::from_media_type("application/x-unknown"), None);
    }
}
