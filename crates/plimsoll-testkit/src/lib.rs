//! Test support shared by plimsoll's crates (a dev-dependency only): real
//! OCI images built with umoci (Debian package `umoci`), external tools
//! run with a hint of how to install them, files written with their
//! directories and modes.
//!
//! ```no_run
//! use plimsoll_testkit::Umoci;
//! let image = Umoci::new("/tmp/x", "apt-get install -y umoci");
//! image.write("etc/os-release", b"ID=alpine\n");
//! image.repack("COPY rootfs/ /");
//! image.config(&["--config.user", "1000"]);
//! assert!(image.reference("v1").ends_with("/oci:v1"));
//! ```
//!
//! Debian's umoci 0.4.7 writes valid layers with `repack` (one layer per
//! call); `insert` writes tars without end-of-archive blocks, so it is not
//! offered here.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `program ARGS` in `dir` and returns its stdout. Panics with
/// `hint` (how to install it) when the program cannot be started, and
/// with its stderr when it fails.
pub fn run_tool(dir: &Path, program: &str, args: &[&str], hint: &str) -> String {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e} ({hint})"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Where `name` is on `PATH`; panics with `hint` when it is not.
pub fn tool(name: &str, hint: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("`{name}` is not on PATH; {hint}"))
}

/// Incompressible, reproducible content: the same `seed` and `len`
/// always give the same bytes.
pub fn content(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

/// Writes `data` to `root/path`, creating the directories on the way.
pub fn write(root: &Path, path: &str, data: &[u8]) {
    let p = root.join(path);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, data).unwrap();
}

/// [`write`], then sets the file's permission bits to `mode`.
pub fn write_mode(root: &Path, path: &str, data: &[u8], mode: u32) {
    write(root, path, data);
    fs::set_permissions(root.join(path), fs::Permissions::from_mode(mode)).unwrap();
}

/// Creates the directory `root/path` (and its parents) with mode `mode`.
pub fn mkdir(root: &Path, path: &str, mode: u32) {
    let p = root.join(path);
    fs::create_dir_all(&p).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(mode)).unwrap();
}

/// A copy of the directory tree `from` at `to` (files and directories).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A shell script at `dir/name`, executable.
pub fn script(dir: &Path, name: &str, text: &str) -> PathBuf {
    write_mode(dir, name, text.as_bytes(), 0o755);
    dir.join(name)
}

/// `dir` first, then the process's own `PATH`: for fake programs.
pub fn path_with(dir: &Path) -> String {
    format!(
        "{}:{}",
        dir.display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Which busybox applets to link into an image.
pub enum Applets<'a> {
    /// Every name `busybox --list` prints.
    All,
    /// Only these.
    Only(&'a [&'a str]),
}

/// Copies the machine's static busybox (Debian `busybox-static`) to
/// `rootfs/bin/busybox` (mode 0755) and symlinks the `applets` beside it.
/// Returns the number of busybox bytes written.
pub fn install_busybox(rootfs: &Path, applets: Applets<'_>, hint: &str) -> u64 {
    let busybox = tool("busybox", hint);
    let bytes =
        fs::read(&busybox).unwrap_or_else(|e| panic!("{}: {e} ({hint})", busybox.display()));
    write_mode(rootfs, "bin/busybox", &bytes, 0o755);
    let listed;
    let names: Vec<&str> = match applets {
        Applets::All => {
            listed = run_tool(rootfs, &busybox.display().to_string(), &["--list"], hint);
            listed.lines().collect()
        }
        Applets::Only(names) => names.to_vec(),
    };
    for name in names.into_iter().filter(|n| *n != "busybox") {
        std::os::unix::fs::symlink("busybox", rootfs.join("bin").join(name)).unwrap();
    }
    bytes.len() as u64
}

/// An image being built with umoci in a directory of its own: the OCI
/// layout `ROOT/oci` with tag `v1`, unpacked rootless into `ROOT/bundle`.
/// Write into [`Umoci::rootfs`], then [`Umoci::repack`] for each layer.
pub struct Umoci {
    root: PathBuf,
    hint: &'static str,
}

impl Umoci {
    /// A fresh `root` (whatever was there is removed) holding an empty
    /// image `oci:v1`, unpacked. `hint` says how to install the tools.
    pub fn new(root: impl Into<PathBuf>, hint: &'static str) -> Umoci {
        let root = root.into();
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        let image = Umoci { root, hint };
        image.umoci(&["init", "--layout", "oci"]);
        image.umoci(&["new", "--image", "oci:v1"]);
        image.umoci(&["unpack", "--rootless", "--image", "oci:v1", "bundle"]);
        image
    }

    /// The directory everything is in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The filesystem the next layer is made from.
    pub fn rootfs(&self) -> PathBuf {
        self.root.join("bundle/rootfs")
    }

    /// The OCI layout directory.
    pub fn layout(&self) -> PathBuf {
        self.root.join("oci")
    }

    /// `oci:LAYOUT:TAG`, as plimsoll takes it.
    pub fn reference(&self, tag: &str) -> String {
        format!("oci:{}:{tag}", self.layout().display())
    }

    /// Runs `umoci ARGS` in the root directory; its stdout.
    pub fn umoci(&self, args: &[&str]) -> String {
        run_tool(&self.root, "umoci", args, self.hint)
    }

    /// Runs `skopeo copy --quiet ARGS` in the root directory (so
    /// `oci:oci:v1` is this image).
    pub fn skopeo_copy(&self, args: &[&str]) {
        let mut all = vec!["copy", "--quiet"];
        all.extend_from_slice(args);
        run_tool(&self.root, "skopeo", &all, self.hint);
    }

    /// Repacks the rootfs into `v1` as a new layer whose history says
    /// `step` (as a Dockerfile step would).
    pub fn repack(&self, step: &str) {
        self.umoci(&[
            "repack",
            "--refresh-bundle",
            "--image",
            "oci:v1",
            "--history.created_by",
            step,
            "bundle",
        ]);
    }

    /// `umoci config --image oci:v1 ARGS`: changes `v1`'s configuration
    /// (with a history entry unless ARGS say `--no-history`).
    pub fn config(&self, args: &[&str]) {
        let mut all = vec!["config", "--image", "oci:v1"];
        all.extend_from_slice(args);
        self.umoci(&all);
    }

    /// A new tag `tag`: `v1`'s layers with `v1`'s configuration changed
    /// by ARGS, without a history entry.
    pub fn tag(&self, tag: &str, args: &[&str]) {
        let mut all = vec!["--tag", tag, "--no-history"];
        all.extend_from_slice(args);
        self.config(&all);
    }

    /// [`write`] into the rootfs.
    pub fn write(&self, path: &str, data: &[u8]) {
        write(&self.rootfs(), path, data);
    }

    /// [`write_mode`] into the rootfs.
    pub fn write_mode(&self, path: &str, data: &[u8], mode: u32) {
        write_mode(&self.rootfs(), path, data, mode);
    }

    /// [`mkdir`] in the rootfs.
    pub fn mkdir(&self, path: &str, mode: u32) {
        mkdir(&self.rootfs(), path, mode);
    }

    /// Removes a file or a whole directory from the rootfs: the next
    /// repack writes its whiteout.
    pub fn remove(&self, path: &str) {
        let p = self.rootfs().join(path);
        if fs::symlink_metadata(&p).unwrap().is_dir() {
            fs::remove_dir_all(&p).unwrap();
        } else {
            fs::remove_file(&p).unwrap();
        }
    }
}

/// `../shared` of the workspace, or `$PLIMSOLL_SHARED`: the corpus and
/// BuildKit's fixtures, for benchmarks and corpus tests.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("PLIMSOLL_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

/// Every real Dockerfile of the corpus (the `dockerfile` rows of
/// `corpus/dockerfiles/MANIFEST.tsv`, templates left out), in manifest
/// order. Panics when the manifest cannot be read.
pub fn corpus_dockerfile_paths() -> Vec<PathBuf> {
    let root = shared_dir().join("corpus/dockerfiles");
    let manifest = fs::read_to_string(root.join("MANIFEST.tsv")).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (set PLIMSOLL_SHARED to the shared/ folder)",
            root.join("MANIFEST.tsv").display()
        )
    });
    manifest
        .lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols.len() >= 5 && cols[4] == "dockerfile").then(|| root.join(cols[0]).join(cols[2]))
        })
        .collect()
}

/// The bytes of [`corpus_dockerfile_paths`]. Panics when a file cannot be
/// read.
pub fn corpus_dockerfiles() -> Vec<Vec<u8>> {
    corpus_dockerfile_paths()
        .iter()
        .map(|path| fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect()
}

/// Regular files below `dirs` (each walked in name order, symbolic links
/// not followed) whose content `keep` accepts, until `limit` bytes are
/// collected: a real, reproducible mix of this machine's files for
/// benchmarks.
pub fn files_under(
    dirs: &[&Path],
    limit: usize,
    keep: impl Fn(&[u8]) -> bool,
) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(
        dir: &Path,
        limit: usize,
        keep: &dyn Fn(&[u8]) -> bool,
        out: &mut Vec<(PathBuf, Vec<u8>)>,
        total: &mut usize,
    ) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            if *total >= limit {
                return;
            }
            let Ok(meta) = fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                walk(&path, limit, keep, out, total);
            } else if meta.is_file()
                && let Ok(data) = fs::read(&path)
                && keep(&data)
            {
                *total += data.len();
                out.push((path, data));
            }
        }
    }
    let mut out = Vec::new();
    let mut total = 0;
    for dir in dirs {
        walk(dir, limit, &keep, &mut out, &mut total);
    }
    out
}
