//! One parallel walk of the build context, deciding for every entry what
//! BuildKit would send.
//!
//! Like BuildKit's context transfer (tonistiigi/fsutil) the walk never
//! follows symlinks and hands each directory's pattern results down to its
//! children; an excluded directory is not entered unless an exception may
//! re-include something below it. Unlike it, a read error does not stop the
//! walk: it becomes a [`WalkIssue`] naming the path.

use crate::gopath;
use crate::ignore_file::{IgnoreFile, MatchInfo};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The build context as the walk saw it.
#[derive(Debug, Clone)]
pub struct Context {
    root: PathBuf,
    /// Sorted so that a directory's entries follow it contiguously.
    entries: Vec<Entry>,
    issues: Vec<WalkIssue>,
    stats: ContextStats,
    /// Computed on first use (it may read a few files' first bytes).
    pub(crate) ignorable: std::sync::OnceLock<Vec<crate::items::IgnorableItem>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A FIFO, socket or device node (never opened).
    Other,
}

/// One file, directory, symlink or special file of the context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative to the context, `/`-separated (lossy for names that are
    /// not UTF-8).
    pub path: String,
    pub kind: EntryKind,
    /// Size in bytes of a regular file (of the link itself for a symlink);
    /// 0 otherwise.
    pub size: u64,
    /// The ignore file excludes this path.
    pub ignored: bool,
    /// BuildKit sends it: not excluded, or a directory that holds
    /// something an exception re-includes.
    pub sent: bool,
    /// An excluded directory the walk did not enter: nothing below it is
    /// sent, and what it holds is unknown.
    pub pruned: bool,
    /// A symlink's target as stored.
    pub link_target: Option<String>,
}

impl Entry {
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
    pub fn is_dir(&self) -> bool {
        self.kind == EntryKind::Dir
    }
}

/// Something the walk could not read; the walk went on without it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkIssue {
    /// Relative to the context (`""` for the context itself).
    pub path: String,
    pub message: String,
}

/// Totals over the walked entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContextStats {
    /// Non-directory entries seen (files, symlinks, special files).
    pub files: u64,
    pub dirs: u64,
    /// Non-directory entries BuildKit sends, and their bytes.
    pub files_sent: u64,
    pub bytes_sent: u64,
    /// Excluded non-directory entries seen, and their bytes (entries in
    /// pruned directories are not counted: they were not walked).
    pub files_ignored: u64,
    pub bytes_ignored: u64,
    /// Excluded directories not entered.
    pub pruned_dirs: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ContextError {
    #[error("cannot read build context {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("build context {} is not a directory", .0.display())]
    NotADirectory(PathBuf),
}

/// How to walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkOptions {
    /// Skip excluded directories that no exception can reach into, as
    /// BuildKit does (their contents are then unknown). Off, every
    /// directory is walked and ignored files are counted too.
    pub prune: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions { prune: true }
    }
}

struct Shared<'a> {
    root: &'a Path,
    ignore: &'a IgnoreFile,
    options: WalkOptions,
    entries: Mutex<Vec<Entry>>,
    issues: Mutex<Vec<WalkIssue>>,
}

impl Shared<'_> {
    fn issue(&self, path: &str, error: &io::Error) {
        lock(&self.issues).push(WalkIssue {
            path: path.to_string(),
            message: error.to_string(),
        });
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Context {
    /// Walk `dir` with BuildKit's pruning.
    pub fn walk(dir: impl AsRef<Path>, ignore: &IgnoreFile) -> Result<Context, ContextError> {
        Context::walk_with(dir, ignore, WalkOptions::default())
    }

    pub fn walk_with(
        dir: impl AsRef<Path>,
        ignore: &IgnoreFile,
        options: WalkOptions,
    ) -> Result<Context, ContextError> {
        let root = dir.as_ref();
        let meta = std::fs::metadata(root).map_err(|source| ContextError::Io {
            path: root.to_path_buf(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(ContextError::NotADirectory(root.to_path_buf()));
        }
        let shared = Shared {
            root,
            ignore,
            options,
            entries: Mutex::new(Vec::new()),
            issues: Mutex::new(Vec::new()),
        };
        rayon::scope(|scope| walk_dir(scope, &shared, String::new(), None));
        let mut entries = shared
            .entries
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut issues = shared
            .issues
            .into_inner()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        entries.par_sort_unstable_by(|a, b| cmp_paths(&a.path, &b.path));
        issues.sort_by(|a, b| cmp_paths(&a.path, &b.path));
        if ignore.has_exceptions() {
            mark_sent_parents(&mut entries);
        }
        let stats = stats(&entries);
        Ok(Context {
            root: root.to_path_buf(),
            entries,
            issues,
            stats,
            ignorable: std::sync::OnceLock::new(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every entry seen, sorted by path (a directory's entries follow it).
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn issues(&self) -> &[WalkIssue] {
        &self.issues
    }

    pub fn stats(&self) -> ContextStats {
        self.stats
    }

    /// Index of the entry at `path` (context-relative, `/`-separated).
    pub fn find(&self, path: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|e| cmp_paths(&e.path, path))
            .ok()
    }

    pub fn entry(&self, path: &str) -> Option<&Entry> {
        self.find(path).map(|i| &self.entries[i])
    }

    /// Index range of everything below directory `dir` (`""` for the whole
    /// context).
    pub fn subtree_range(&self, dir: &str) -> std::ops::Range<usize> {
        if dir.is_empty() {
            return 0..self.entries.len();
        }
        let prefix = format!("{dir}/");
        let start = self
            .entries
            .partition_point(|e| cmp_paths(&e.path, &prefix) == Ordering::Less);
        let len = self.entries[start..].partition_point(|e| e.path.starts_with(&prefix));
        start..start + len
    }

    pub fn subtree(&self, dir: &str) -> &[Entry] {
        &self.entries[self.subtree_range(dir)]
    }

    /// The nearest pruned directory at or above `path`, if any: `path`
    /// lies in a part of the context that is excluded and was not walked.
    pub fn pruned_ancestor(&self, path: &str) -> Option<&Entry> {
        let mut at = path;
        loop {
            if let Some(e) = self.entry(at)
                && e.pruned
            {
                return Some(e);
            }
            match at.rfind('/') {
                Some(i) => at = &at[..i],
                None => return None,
            }
        }
    }

    /// Follow symlinks in `path` the way BuildKit resolves a COPY source
    /// inside the context (absolute targets are taken relative to the
    /// context root; `..` cannot leave it). Components that do not exist
    /// are kept as written. `None` on a symlink loop.
    pub fn resolve_symlinks(&self, path: &str) -> Option<String> {
        let mut pending: Vec<String> = path
            .split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .rev()
            .map(str::to_string)
            .collect();
        let mut current = String::new();
        let mut hops = 0;
        while let Some(component) = pending.pop() {
            if component == ".." {
                current = match current.rfind('/') {
                    Some(i) => current[..i].to_string(),
                    None => String::new(),
                };
                continue;
            }
            let candidate = if current.is_empty() {
                component
            } else {
                format!("{current}/{component}")
            };
            match self.entry(&candidate) {
                Some(Entry {
                    kind: EntryKind::Symlink,
                    link_target: Some(target),
                    ..
                }) => {
                    hops += 1;
                    if hops > 255 {
                        return None;
                    }
                    if target.starts_with('/') {
                        current.clear();
                    }
                    pending.extend(
                        target
                            .split('/')
                            .filter(|c| !c.is_empty() && *c != ".")
                            .rev()
                            .map(str::to_string),
                    );
                }
                _ => current = candidate,
            }
        }
        Some(current)
    }

    /// Read at most `limit` bytes from the start of a regular file of the
    /// context; `None` for anything else or on error.
    pub fn read_head(&self, path: &str, limit: usize) -> Option<Vec<u8>> {
        use std::io::Read;
        let entry = self.entry(path)?;
        if entry.kind != EntryKind::File {
            return None;
        }
        let file = std::fs::File::open(self.root.join(path)).ok()?;
        let mut buf = Vec::with_capacity(limit.min(entry.size as usize));
        file.take(limit as u64).read_to_end(&mut buf).ok()?;
        Some(buf)
    }
}

/// Order paths component by component, so that `a/…` sorts right after `a`
/// (before `a-b` and `a.txt`).
pub(crate) fn cmp_paths(a: &str, b: &str) -> Ordering {
    let key = |c: u8| if c == b'/' { 0 } else { c };
    a.bytes().map(key).cmp(b.bytes().map(key))
}

fn walk_dir<'s>(
    scope: &rayon::Scope<'s>,
    shared: &'s Shared<'s>,
    rel: String,
    info: Option<MatchInfo>,
) {
    let dir = if rel.is_empty() {
        shared.root.to_path_buf()
    } else {
        shared.root.join(&rel)
    };
    let read = match std::fs::read_dir(&dir) {
        Ok(read) => read,
        Err(e) => {
            shared.issue(&rel, &e);
            return;
        }
    };
    let ignore = shared.ignore;
    let mut local = Vec::new();
    for dent in read {
        let dent = match dent {
            Ok(d) => d,
            Err(e) => {
                shared.issue(&rel, &e);
                continue;
            }
        };
        let name = dent.file_name();
        let name = name.to_string_lossy();
        let path = if rel.is_empty() {
            name.into_owned()
        } else {
            format!("{rel}/{name}")
        };
        let file_type = match dent.file_type() {
            Ok(t) => t,
            Err(e) => {
                shared.issue(&path, &e);
                continue;
            }
        };
        if file_type.is_dir() {
            let (ignored, child_info) = ignore.match_path(&path, info.as_ref());
            let enter = !ignored || !shared.options.prune || ignore.may_include_below(&path);
            local.push(Entry {
                path: path.clone(),
                kind: EntryKind::Dir,
                size: 0,
                ignored,
                sent: !ignored,
                pruned: !enter,
                link_target: None,
            });
            if enter {
                scope.spawn(move |scope| walk_dir(scope, shared, path, Some(child_info)));
            }
            continue;
        }
        let ignored = ignore.match_leaf(&path, info.as_ref());
        let (kind, link_target) = if file_type.is_symlink() {
            let target = std::fs::read_link(dent.path())
                .map(|t| t.to_string_lossy().into_owned())
                .map_err(|e| shared.issue(&path, &e))
                .ok();
            (EntryKind::Symlink, target)
        } else if file_type.is_file() {
            (EntryKind::File, None)
        } else {
            (EntryKind::Other, None)
        };
        let size = match kind {
            EntryKind::File | EntryKind::Symlink => match dent.metadata() {
                Ok(m) => {
                    if kind == EntryKind::File && !ignored && !world_readable(&m) {
                        // BuildKit fails on a file it cannot read; opening
                        // only the files not readable by all keeps this
                        // cheap.
                        if let Err(e) = std::fs::File::open(dent.path()) {
                            shared.issue(&path, &e);
                        }
                    }
                    m.len()
                }
                Err(e) => {
                    shared.issue(&path, &e);
                    0
                }
            },
            _ => 0,
        };
        local.push(Entry {
            path,
            kind,
            size,
            ignored,
            sent: !ignored,
            pruned: false,
            link_target,
        });
    }
    if !local.is_empty() {
        lock(&shared.entries).append(&mut local);
    }
}

#[cfg(unix)]
fn world_readable(m: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    m.permissions().mode() & 0o004 != 0
}

#[cfg(not(unix))]
fn world_readable(_: &std::fs::Metadata) -> bool {
    true
}

/// A directory that is excluded but holds something re-included is sent
/// all the same (fsutil creates it on the way to what it holds).
fn mark_sent_parents(entries: &mut [Entry]) {
    for i in 0..entries.len() {
        if !entries[i].sent {
            continue;
        }
        let mut path = entries[i].path.clone();
        while let Some(cut) = path.rfind('/') {
            path.truncate(cut);
            match entries.binary_search_by(|e| cmp_paths(&e.path, &path)) {
                Ok(j) if !entries[j].sent => entries[j].sent = true,
                _ => break,
            }
        }
    }
}

fn stats(entries: &[Entry]) -> ContextStats {
    let mut s = ContextStats::default();
    for e in entries {
        if e.is_dir() {
            s.dirs += 1;
            if e.pruned {
                s.pruned_dirs += 1;
            }
            continue;
        }
        s.files += 1;
        if e.sent {
            s.files_sent += 1;
            s.bytes_sent += e.size;
        } else {
            s.files_ignored += 1;
            s.bytes_ignored += e.size;
        }
    }
    s
}

/// A COPY source or pattern made relative to the context, as BuildKit
/// normalizes it (`path.Join("/", src)`): `./a/../b` → `b`, `../x` → `x`,
/// `.` → `""`.
pub(crate) fn context_relative(path: &str) -> String {
    let cleaned = gopath::clean(&format!("/{path}"));
    cleaned.trim_start_matches('/').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_order_keeps_subtrees_together() {
        let mut paths = vec!["a.txt", "a/b", "a-b", "a", "a/b/c", "b"];
        paths.sort_by(|a, b| cmp_paths(a, b));
        assert_eq!(paths, ["a", "a/b", "a/b/c", "a-b", "a.txt", "b"]);
    }

    #[test]
    fn relative_sources() {
        assert_eq!(context_relative("./a/../b"), "b");
        assert_eq!(context_relative("../x"), "x");
        assert_eq!(context_relative("."), "");
        assert_eq!(context_relative("/abs/p/"), "abs/p");
    }
}
