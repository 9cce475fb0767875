//! The few small files whose content the image checks read — account
//! databases, package databases, package metadata — captured during the
//! one streaming pass over each layer, then resolved against the stacked
//! filesystem so that only the version a container sees counts: a file
//! deleted by a whiteout, or replaced by a later layer, is not read from a
//! lower layer.
//!
//! Memory is bounded: each kind of file has a size cap (a longer file is
//! kept truncated and marked so), and each layer captures at most
//! [`LAYER_BUDGET`] bytes in all.

use crate::filesystem::FileSystem;
use crate::layer::{EntryKind, FileEntry, LayerVisitor};
use crate::paths;
use std::collections::BTreeMap;

/// The most bytes one layer's capture holds.
pub const LAYER_BUDGET: usize = 256 << 20;

/// The content of a captured file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured {
    /// The first bytes, up to the cap of its kind.
    pub data: Vec<u8>,
    /// True when the file was longer than its cap (or than what was left of
    /// the layer's budget).
    pub truncated: bool,
}

/// How many bytes of a file at `path` to capture, if any.
pub fn capture_limit(path: &str) -> Option<usize> {
    const ACCOUNTS: usize = 4 << 20;
    const DATABASE: usize = 64 << 20;
    const METADATA: usize = 256 << 10;
    match path {
        "etc/passwd" | "etc/group" | "etc/shadow" => return Some(ACCOUNTS),
        "etc/os-release" | "usr/lib/os-release" => return Some(64 << 10),
        "var/lib/dpkg/status" | "lib/apk/db/installed" => return Some(DATABASE),
        _ => {}
    }
    let parent = paths::parent(path);
    let name = paths::file_name(path);
    if parent == "var/lib/dpkg/status.d" && !is_dpkg_control_file(name) {
        return Some(ACCOUNTS);
    }
    let parent_name = paths::file_name(parent);
    if (name == "METADATA" && parent_name.ends_with(".dist-info"))
        || (name == "PKG-INFO" && parent_name.ends_with(".egg-info"))
        || (name.ends_with(".egg-info") && is_python_lib_dir(parent))
    {
        return Some(METADATA);
    }
    if name == "package.json" && is_npm_package_dir(parent) {
        return Some(1 << 20);
    }
    None
}

/// A file beside a package's stanza in distroless's `status.d` that is
/// not one (`libc6.md5sums`). Package names may hold dots
/// (`libpython3.11-minimal`): only the suffixes of dpkg's control files
/// count.
fn is_dpkg_control_file(name: &str) -> bool {
    name.rsplit_once('.').is_some_and(|(_, suffix)| {
        matches!(
            suffix,
            "md5sums"
                | "conffiles"
                | "list"
                | "shlibs"
                | "symbols"
                | "triggers"
                | "templates"
                | "preinst"
                | "postinst"
                | "prerm"
                | "postrm"
        )
    })
}

/// `…/site-packages` or `…/dist-packages`.
fn is_python_lib_dir(dir: &str) -> bool {
    matches!(paths::file_name(dir), "site-packages" | "dist-packages")
}

/// `…/node_modules/NAME` or `…/node_modules/@SCOPE/NAME`.
pub(crate) fn is_npm_package_dir(dir: &str) -> bool {
    let up = paths::parent(dir);
    let name = paths::file_name(dir);
    if name.is_empty() || name.starts_with('.') {
        return false;
    }
    if paths::file_name(up) == "node_modules" {
        return !name.starts_with('@');
    }
    paths::file_name(up).starts_with('@') && paths::file_name(paths::parent(up)) == "node_modules"
}

/// The visitor that captures one layer's interesting files.
#[derive(Debug, Default)]
pub struct Capture {
    files: BTreeMap<String, Captured>,
    current: Option<(String, usize, Captured)>,
    used: usize,
}

impl Capture {
    /// What the layer held, by normalised path; the last copy wins when a
    /// layer stores a path twice.
    pub fn into_files(self) -> BTreeMap<String, Captured> {
        self.files
    }
}

impl LayerVisitor for Capture {
    fn wants(&mut self, entry: &FileEntry) -> bool {
        let Some(limit) = capture_limit(&entry.path) else {
            return false;
        };
        let room = LAYER_BUDGET.saturating_sub(self.used);
        let limit = limit.min(room);
        self.current = Some((
            entry.path.clone(),
            limit,
            Captured {
                data: Vec::new(),
                truncated: false,
            },
        ));
        true
    }

    fn chunk(&mut self, data: &[u8]) {
        if let Some((_, limit, captured)) = &mut self.current {
            let room = limit.saturating_sub(captured.data.len());
            if data.len() > room {
                captured.truncated = true;
            }
            let take = data.len().min(room);
            captured.data.extend_from_slice(&data[..take]);
            self.used += take;
        }
    }

    fn end_file(&mut self, _: &FileEntry) {
        if let Some((path, _, captured)) = self.current.take()
            && let Some(old) = self.files.insert(path, captured)
        {
            self.used = self.used.saturating_sub(old.data.len());
        }
    }
}

/// Two visitors over the same pass; each sees only the files it wants.
#[derive(Debug, Default)]
pub struct Both<A, B> {
    pub first: A,
    pub second: B,
    first_wants: bool,
    second_wants: bool,
}

impl<A, B> Both<A, B> {
    pub fn new(first: A, second: B) -> Self {
        Both {
            first,
            second,
            first_wants: false,
            second_wants: false,
        }
    }
}

impl<A: LayerVisitor, B: LayerVisitor> LayerVisitor for Both<A, B> {
    fn wants(&mut self, entry: &FileEntry) -> bool {
        self.first_wants = self.first.wants(entry);
        self.second_wants = self.second.wants(entry);
        self.first_wants || self.second_wants
    }
    fn chunk(&mut self, data: &[u8]) {
        if self.first_wants {
            self.first.chunk(data);
        }
        if self.second_wants {
            self.second.chunk(data);
        }
    }
    fn end_file(&mut self, entry: &FileEntry) {
        if self.first_wants {
            self.first.end_file(entry);
        }
        if self.second_wants {
            self.second.end_file(entry);
        }
    }
}

/// A captured file of the final filesystem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalFile {
    /// The layer that holds the version a container sees.
    pub layer: usize,
    pub content: Captured,
}

/// The captured files that survive in the final filesystem, each from the
/// layer that put its final version there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contents {
    files: BTreeMap<String, FinalFile>,
    /// Symbolic links of the final filesystem that point at captured
    /// paths (`etc/os-release -> ../usr/lib/os-release`), resolved.
    links: BTreeMap<String, String>,
}

impl Contents {
    /// Keep, for each path of the final filesystem, the copy captured in
    /// the layer that wrote it. `captures` are in layer order.
    pub fn resolve(captures: Vec<BTreeMap<String, Captured>>, fs: &FileSystem) -> Contents {
        let mut files = BTreeMap::new();
        let mut links = BTreeMap::new();
        for (layer, captured) in captures.into_iter().enumerate() {
            for (path, content) in captured {
                if let Some(e) = fs.get(&path)
                    && e.layer == layer
                    && e.entry.kind == EntryKind::File
                {
                    files.insert(path, FinalFile { layer, content });
                }
            }
        }
        // Hard links inside the layer that stored their target, and
        // symbolic links to captured files (os-release is usually one).
        for e in fs.iter() {
            let path = &e.entry.path;
            if files.contains_key(path) || capture_limit(path).is_none() {
                continue;
            }
            match e.entry.kind {
                EntryKind::Hardlink => {
                    if let Some(target) = e.entry.link_target.as_deref()
                        && let Some(f) = files.get(target)
                        && f.layer == e.layer
                    {
                        let f = f.clone();
                        files.insert(path.clone(), f);
                    }
                }
                EntryKind::Symlink => {
                    if let Some(target) = resolve_symlink(fs, path) {
                        links.insert(path.clone(), target);
                    }
                }
                _ => {}
            }
        }
        Contents { files, links }
    }

    /// The final version of a captured file (`etc/passwd`; a leading `/`
    /// is ignored), through a symbolic link if it is one.
    pub fn get(&self, path: &str) -> Option<&FinalFile> {
        let path = path.trim_start_matches('/');
        self.files
            .get(path)
            .or_else(|| self.files.get(self.links.get(path)?))
    }

    /// Every captured final file, by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &FinalFile)> {
        self.files.iter().map(|(p, f)| (p.as_str(), f))
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Follow a chain of symbolic links in the final filesystem to a regular
/// file; `None` if it leads nowhere or loops.
fn resolve_symlink(fs: &FileSystem, path: &str) -> Option<String> {
    let mut current = path.to_string();
    for _ in 0..16 {
        let entry = &fs.get(&current)?.entry;
        match entry.kind {
            EntryKind::File => return Some(current),
            EntryKind::Symlink => {
                let target = entry.link_target.as_deref()?;
                current = if target.starts_with('/') {
                    paths::normalize(target)
                } else {
                    paths::normalize(&paths::join(paths::parent(&current), target))
                };
            }
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filesystem::stack;
    use crate::filesystem::tests::{file, layer};

    fn captured(data: &[u8]) -> Captured {
        Captured {
            data: data.to_vec(),
            truncated: false,
        }
    }

    #[test]
    fn limits_by_path() {
        assert!(capture_limit("etc/passwd").is_some());
        assert!(capture_limit("etc/passwd-").is_none());
        assert!(capture_limit("var/lib/dpkg/status.d/libc6").is_some());
        assert!(capture_limit("var/lib/dpkg/status.d/libc6.md5sums").is_none());
        assert!(capture_limit("var/lib/dpkg/status.d/libpython3.11-minimal").is_some());
        assert!(capture_limit("var/lib/dpkg/status.d/libpython3.11-minimal.md5sums").is_none());
        assert!(
            capture_limit("usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA").is_some()
        );
        assert!(capture_limit("usr/lib/python3.11/site-packages/x-1.0.egg-info").is_some());
        assert!(capture_limit("usr/lib/python3.11/site-packages/x.egg-info/PKG-INFO").is_some());
        assert!(capture_limit("app/node_modules/left-pad/package.json").is_some());
        assert!(capture_limit("app/node_modules/@types/node/package.json").is_some());
        assert!(capture_limit("app/node_modules/left-pad/lib/package.json").is_none());
        assert!(capture_limit("app/node_modules/@types/package.json").is_none());
        assert!(capture_limit("app/package.json").is_none());
    }

    #[test]
    fn visitor_caps_and_keeps_the_last_copy() {
        let mut c = Capture::default();
        let mut entry = file("etc/passwd", 3);
        assert!(c.wants(&entry));
        c.chunk(b"old");
        c.end_file(&entry);
        entry.size = 3;
        assert!(c.wants(&entry));
        c.chunk(b"new");
        c.end_file(&entry);
        assert!(!c.wants(&file("etc/motd", 1)));
        let files = c.into_files();
        assert_eq!(files["etc/passwd"], captured(b"new"));
    }

    #[test]
    fn only_the_final_version_counts() {
        let fs = stack([
            layer(vec![file("etc/passwd", 1), file("etc/shadow", 1)], &[], &[]),
            layer(vec![file("etc/passwd", 2)], &["etc/shadow"], &[]),
        ]);
        let mut lower = BTreeMap::new();
        lower.insert("etc/passwd".to_string(), captured(b"lower"));
        lower.insert("etc/shadow".to_string(), captured(b"root::1:"));
        let mut upper = BTreeMap::new();
        upper.insert("etc/passwd".to_string(), captured(b"upper"));
        let contents = Contents::resolve(vec![lower, upper], &fs.filesystem);
        let passwd = contents.get("/etc/passwd").unwrap();
        assert_eq!(
            (passwd.layer, passwd.content.data.as_slice()),
            (1, &b"upper"[..])
        );
        assert!(
            contents.get("etc/shadow").is_none(),
            "deleted by a whiteout"
        );
    }

    #[test]
    fn symbolic_links_resolve() {
        let mut link = file("etc/os-release", 0);
        link.kind = EntryKind::Symlink;
        link.link_target = Some("../usr/lib/os-release".into());
        let fs = stack([layer(vec![file("usr/lib/os-release", 5), link], &[], &[])]);
        let mut caps = BTreeMap::new();
        caps.insert("usr/lib/os-release".to_string(), captured(b"ID=x\n"));
        let contents = Contents::resolve(vec![caps], &fs.filesystem);
        assert_eq!(
            contents.get("etc/os-release").unwrap().content.data,
            b"ID=x\n"
        );
    }
}
