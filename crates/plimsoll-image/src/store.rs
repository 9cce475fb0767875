//! Where an image's files live: a directory (OCI image layout) or a tar
//! archive (`oci-archive`, `docker save`). Archives are never extracted:
//! one pass over the headers records where each member's bytes start, and
//! every later read seeks there through its own file handle, so layers can
//! be read in parallel.

use crate::digest::Digest;
use crate::error::Error;
use crate::paths;
use crate::registry::Remote;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest JSON document (index, manifest, config) read into memory.
pub(crate) const JSON_LIMIT: u64 = 64 << 20;

/// A readable member of the store.
pub(crate) type Blob = Box<dyn Read + Send>;

/// Where an image's documents and blobs come from.
#[derive(Debug, Clone)]
pub(crate) enum Store {
    Dir(PathBuf),
    Archive(Arc<ArchiveIndex>),
    /// A repository of a registry: blobs stream from the network.
    Registry(Arc<Remote>),
}

#[derive(Debug)]
pub(crate) struct ArchiveIndex {
    path: PathBuf,
    members: HashMap<String, Member>,
}

#[derive(Debug, Clone, Copy)]
struct Member {
    offset: u64,
    size: u64,
}

impl Store {
    /// The directory or archive file.
    pub fn location(&self) -> &Path {
        match self {
            Store::Dir(dir) => dir,
            Store::Archive(index) => &index.path,
            Store::Registry(remote) => remote.location(),
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        match self {
            Store::Dir(dir) => dir.join(name).is_file(),
            Store::Archive(index) => index.members.contains_key(&paths::normalize(name)),
            Store::Registry(_) => false,
        }
    }

    /// Open a member by its path inside the store (`index.json`,
    /// `blobs/sha256/…`); `None` when it does not exist. Names come from
    /// validated digests or from `manifest.json`; a name that tries to
    /// leave a directory store is treated as missing.
    pub fn open(&self, name: &str) -> Result<Option<(Blob, u64)>, Error> {
        match self {
            Store::Dir(dir) => {
                let normal = paths::normalize(name);
                if normal != name.trim_start_matches("./") || normal.is_empty() {
                    return Ok(None);
                }
                let path = dir.join(&normal);
                let file = match File::open(&path) {
                    Ok(f) => f,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
                    Err(e) => return Err(Error::io(path, e)),
                };
                let meta = file.metadata().map_err(|e| Error::io(&path, e))?;
                if !meta.is_file() {
                    return Ok(None);
                }
                Ok(Some((Box::new(file), meta.len())))
            }
            Store::Archive(index) => {
                let Some(member) = index.members.get(&paths::normalize(name)).copied() else {
                    return Ok(None);
                };
                let mut file = File::open(&index.path).map_err(|e| Error::io(&index.path, e))?;
                file.seek(SeekFrom::Start(member.offset))
                    .map_err(|e| Error::io(&index.path, e))?;
                Ok(Some((Box::new(file.take(member.size)), member.size)))
            }
            Store::Registry(remote) => remote.open(name),
        }
    }

    /// A member that can be read out of order (a file of a directory, or
    /// the bytes of an archive member), for reads that seek past file
    /// contents; `None` for registries, whose blobs only stream, and for
    /// members that do not exist.
    pub fn open_window(&self, name: &str) -> Result<Option<Window>, Error> {
        let (path, start, len) = match self {
            Store::Dir(dir) => {
                let normal = paths::normalize(name);
                if normal != name.trim_start_matches("./") || normal.is_empty() {
                    return Ok(None);
                }
                let path = dir.join(&normal);
                match std::fs::metadata(&path) {
                    Ok(meta) if meta.is_file() => (path, 0, meta.len()),
                    _ => return Ok(None),
                }
            }
            Store::Archive(index) => {
                let Some(member) = index.members.get(&paths::normalize(name)).copied() else {
                    return Ok(None);
                };
                (index.path.clone(), member.offset, member.size)
            }
            Store::Registry(_) => return Ok(None),
        };
        let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
        Window::new(file, start, len)
            .map(Some)
            .map_err(|e| Error::io(&path, e))
    }

    /// A manifest, index or config (`what`) by digest, unverified; `None`
    /// when it does not exist.
    pub fn read_digest(&self, digest: &Digest, what: &str) -> Result<Option<Vec<u8>>, Error> {
        match self {
            Store::Registry(remote) => remote.read_document(digest, what),
            _ => self.read_small(&digest.blob_path()),
        }
    }

    /// Read a small member (JSON) whole; `None` when it does not exist.
    pub fn read_small(&self, name: &str) -> Result<Option<Vec<u8>>, Error> {
        let Some((mut reader, size)) = self.open(name)? else {
            return Ok(None);
        };
        let what = format!("{}: {name}", self.location().display());
        if size > JSON_LIMIT {
            return Err(Error::Unsupported {
                what,
                reason: format!("{size} bytes is too large for a JSON document"),
            });
        }
        let mut bytes = Vec::with_capacity(size as usize);
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(self.location().join(name), e))?;
        Ok(Some(bytes))
    }
}

impl ArchiveIndex {
    /// Read the headers of a tar archive once and record where each file's
    /// bytes are. Symbolic and hard links between members (skopeo writes
    /// `<id>/layer.tar -> ../<digest>.tar`) resolve to their targets.
    pub fn build(path: &Path) -> Result<ArchiveIndex, Error> {
        let io_err = |e| Error::io(path, e);
        let file = File::open(path).map_err(io_err)?;
        let file_len = file.metadata().map_err(io_err)?.len();
        let mut reader = BufReader::new(file);
        let mut magic = [0u8; 6];
        let n = read_prefix(&mut reader, &mut magic).map_err(io_err)?;
        if let Some(kind) = crate::layer::compressed_magic(&magic[..n]) {
            return Err(Error::Unsupported {
                what: path.display().to_string(),
                reason: format!(
                    "the archive is {kind}-compressed; decompress it first (`docker save` writes a plain tar)"
                ),
            });
        }
        reader.seek(SeekFrom::Start(0)).map_err(io_err)?;

        let not_tar = |e: io::Error| Error::NotAnImage {
            path: path.to_path_buf(),
            reason: format!("cannot read it as a tar archive: {e}"),
        };
        let mut archive = tar::Archive::new(reader);
        let mut members = HashMap::new();
        let mut links = Vec::new();
        for entry in archive.entries_with_seek().map_err(not_tar)? {
            let entry = entry.map_err(not_tar)?;
            let name = paths::normalize(&String::from_utf8_lossy(&entry.path_bytes()));
            let kind = entry.header().entry_type();
            if kind.is_file() || kind.is_contiguous() {
                let member = Member {
                    offset: entry.raw_file_position(),
                    size: entry.size(),
                };
                if member.offset.saturating_add(member.size) > file_len {
                    return Err(Error::NotAnImage {
                        path: path.to_path_buf(),
                        reason: format!("the archive is truncated inside `{name}`"),
                    });
                }
                members.insert(name, member);
            } else if kind.is_symlink() || kind.is_hard_link() {
                let target = entry
                    .link_name_bytes()
                    .map(|t| String::from_utf8_lossy(&t).into_owned())
                    .unwrap_or_default();
                let target = if kind.is_symlink() && !target.starts_with('/') {
                    paths::normalize(&paths::join(paths::parent(&name), &target))
                } else {
                    paths::normalize(&target)
                };
                links.push((name, target));
            }
        }
        // Links may point at links; a few rounds resolve any sane chain.
        for _ in 0..8 {
            let mut changed = false;
            for (name, target) in &links {
                if !members.contains_key(name)
                    && let Some(member) = members.get(target).copied()
                {
                    members.insert(name.clone(), member);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        Ok(ArchiveIndex {
            path: path.to_path_buf(),
            members,
        })
    }
}

/// Small, because a window is read for tar headers between seeks: most
/// files of a layer are a few kilobytes, so the next header is often
/// already in the buffer, and a seek past a large file wastes little.
const WINDOW_BUFFER: usize = 16 << 10;

/// `len` bytes of a file from where it was opened, readable and seekable
/// within them. A seek keeps the buffered bytes when it lands inside them.
/// Seeking past the end is allowed (reads then return nothing): the reader
/// checks each file it seeks past against [`Window::len`].
pub(crate) struct Window {
    file: BufReader<File>,
    len: u64,
    pos: u64,
}

impl Window {
    /// The `len` bytes of `file` from `start`.
    pub fn new(mut file: File, start: u64, len: u64) -> io::Result<Window> {
        file.seek(SeekFrom::Start(start))?;
        Ok(Window {
            file: BufReader::with_capacity(WINDOW_BUFFER, file),
            len,
            pos: 0,
        })
    }

    pub fn len(&self) -> u64 {
        self.len
    }
}

impl Read for Window {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.len.saturating_sub(self.pos);
        let max = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        if max == 0 {
            return Ok(0);
        }
        let n = self.file.read(&mut buf[..max])?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Window {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.len.checked_add_signed(d),
        }
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        let delta = i64::try_from(i128::from(target) - i128::from(self.pos))
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "seek too far"))?;
        self.file.seek_relative(delta)?;
        self.pos = target;
        Ok(target)
    }
}

/// Read up to `buf.len()` bytes, fewer only at end of input.
pub(crate) fn read_prefix(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
