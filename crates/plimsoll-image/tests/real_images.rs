//! End-to-end tests on real images built with umoci and converted with
//! skopeo (Debian packages `umoci skopeo busybox-static`). The expected
//! numbers are computed here from the bytes the test writes.

use plimsoll_image::{
    Analysis, CheckOptions, CiRules, Compression, EntryKind, Error, Format, Image, LayerIndex,
    OpenOptions, Platform, Removal, analyze, check, inspect,
};
mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use support::{Applets, HINT, Umoci, content, copy_dir, install_busybox, sha256_hex, write};

struct Fixture {
    root: PathBuf,
    /// The umoci layout, tag `v1` (root user) and `v2` (user 1000).
    oci: PathBuf,
    docker_archive: PathBuf,
    oci_archive: PathBuf,
    /// Docker 25+ `docker save`: an OCI layout plus manifest.json.
    docker25_archive: PathBuf,
    /// OCI layout with plain-tar layers.
    plain_oci: PathBuf,
    zstd_oci: PathBuf,
    stored_file_bytes: u64,
    base_file_bytes: u64,
    passwd: Vec<u8>,
    new_config: Vec<u8>,
}

const STEPS: [&str; 6] = [
    "COPY rootfs/ /",
    "RUN add files",
    "RUN overwrite /app/config.txt",
    "RUN rm /tmp/big.bin",
    "RUN rm -rf /cache",
    "RUN opaque /opt",
];
const WASTED: u64 = 1000 + 50_000 + 7000 + 11_000 + 13_000 + 17_000;
const DUPLICATE: u64 = 3000;

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(build_fixture)
}

fn build_fixture() -> Fixture {
    let image = Umoci::new(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("plimsoll-image-real"),
        HINT,
    );
    let root = image.root().to_path_buf();
    let rootfs = image.rootfs();
    let repack = |step: &str| image.repack(step);

    // Layer 1: a busybox base with application files.
    let busybox_len = install_busybox(&rootfs, Applets::All, HINT);
    let passwd = b"root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n".to_vec();
    let group = b"root:x:0:\napp:x:1000:\n".to_vec();
    write(&rootfs, "etc/passwd", &passwd);
    write(&rootfs, "etc/group", &group);
    let base = [
        ("app/config.txt", 1, 1000),
        ("app/data/a.bin", 2, 3000),
        ("app/data/b.bin", 3, 5000),
        ("cache/x", 4, 7000),
        ("cache/sub/y", 5, 11_000),
        ("opt/o1", 6, 13_000),
        ("opt/keep", 7, 17_000),
    ];
    for (path, seed, len) in base {
        write(&rootfs, path, &content(seed, len));
    }
    let base_file_bytes = busybox_len
        + (passwd.len() + group.len()) as u64
        + base.iter().map(|b| b.2 as u64).sum::<u64>();
    repack(STEPS[0]);

    // Layer 2: new files, one a copy of a.bin.
    write(&rootfs, "app/log.txt", &content(8, 2000));
    write(&rootfs, "app/dup1.bin", &content(2, 3000));
    write(&rootfs, "tmp/big.bin", &content(9, 50_000));
    repack(STEPS[1]);
    // Layer 3: overwrite a file.
    let new_config = content(10, 1500);
    write(&rootfs, "app/config.txt", &new_config);
    repack(STEPS[2]);
    // Layer 4: delete a file.
    image.remove("tmp/big.bin");
    repack(STEPS[3]);
    // Layer 5: delete a directory tree (umoci writes one `.wh.cache`).
    image.remove("cache");
    repack(STEPS[4]);
    // A config-only step: history entry with empty_layer.
    image.config(&["--config.user", "0:0", "--history.created_by", "USER 0:0"]);
    // Layer 6: an opaque directory, which umoci repack never writes.
    let mut b = tar::Builder::new(Vec::new());
    let mut h = tar::Header::new_gnu();
    h.set_entry_type(tar::EntryType::Directory);
    h.set_mode(0o755);
    h.set_size(0);
    b.append_data(&mut h, "opt", std::io::empty()).unwrap();
    for (name, data) in [("opt/new", content(11, 900)), ("opt/.wh..wh..opq", vec![])] {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(tar::EntryType::Regular);
        h.set_mode(0o644);
        h.set_size(data.len() as u64);
        b.append_data(&mut h, name, &data[..]).unwrap();
    }
    fs::write(root.join("opaque.tar"), b.into_inner().unwrap()).unwrap();
    image.umoci(&[
        "raw",
        "add-layer",
        "--image",
        "oci:v1",
        "--history.created_by",
        STEPS[5],
        "opaque.tar",
    ]);
    // Tag v2: the same layers, a non-root user.
    image.tag("v2", &["--config.user", "1000:1000"]);
    let stored_file_bytes = base_file_bytes + 2000 + 3000 + 50_000 + new_config.len() as u64 + 900;

    image.skopeo_copy(&["oci:oci:v1", "docker-archive:docker.tar:plimsoll/test:v1"]);
    image.skopeo_copy(&["oci:oci:v1", "oci-archive:oci.tar:v1"]);
    image.skopeo_copy(&[
        "--dest-oci-accept-uncompressed-layers",
        "docker-archive:docker.tar",
        "oci:plain:v1",
    ]);
    image.skopeo_copy(&[
        "--dest-compress-format",
        "zstd",
        "oci:oci:v1",
        "oci:zstd:v1",
    ]);
    let docker25_archive = root.join("docker25.tar");
    docker25(&root.join("plain"), &docker25_archive);

    Fixture {
        oci: root.join("oci"),
        docker_archive: root.join("docker.tar"),
        oci_archive: root.join("oci.tar"),
        docker25_archive,
        plain_oci: root.join("plain"),
        zstd_oci: root.join("zstd"),
        root,
        stored_file_bytes,
        base_file_bytes,
        passwd,
        new_config,
    }
}

/// Wrap an OCI layout as Docker 25+'s `docker save` does: the layout
/// files plus a classic manifest.json pointing into `blobs/`.
fn docker25(layout: &Path, out: &Path) {
    let index: serde_json::Value =
        serde_json::from_slice(&fs::read(layout.join("index.json")).unwrap()).unwrap();
    let manifest_digest = index["manifests"][0]["digest"].as_str().unwrap();
    let blob = |digest: &str| format!("blobs/sha256/{}", &digest[7..]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(layout.join(blob(manifest_digest))).unwrap()).unwrap();
    let docker_manifest = serde_json::json!([{
        "Config": blob(manifest["config"]["digest"].as_str().unwrap()),
        "RepoTags": ["plimsoll/test:v1"],
        "Layers": manifest["layers"].as_array().unwrap().iter()
            .map(|l| blob(l["digest"].as_str().unwrap())).collect::<Vec<_>>(),
    }]);
    let mut b = tar::Builder::new(fs::File::create(out).unwrap());
    b.append_path_with_name(layout.join("oci-layout"), "oci-layout")
        .unwrap();
    b.append_path_with_name(layout.join("index.json"), "index.json")
        .unwrap();
    b.append_dir_all("blobs", layout.join("blobs")).unwrap();
    let bytes = serde_json::to_vec(&docker_manifest).unwrap();
    let mut h = tar::Header::new_gnu();
    h.set_size(bytes.len() as u64);
    h.set_mode(0o644);
    b.append_data(&mut h, "manifest.json", &bytes[..]).unwrap();
    b.finish().unwrap();
}

fn open(reference: &str) -> (Image, Vec<LayerIndex>, Analysis) {
    let image = Image::open(reference).unwrap_or_else(|e| panic!("{reference}: {e}"));
    let layers = image
        .index_layers()
        .unwrap_or_else(|e| panic!("{reference}: {e}"));
    let analysis = analyze(&image, layers.clone());
    (image, layers, analysis)
}

fn codes(findings: &[plimsoll_diagnostics::Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

/// What every format of the fixture image must show.
fn assert_fixture_analysis(reference: &str, image: &Image, analysis: &Analysis) {
    let f = fixture();
    assert_eq!(image.layers.len(), 6, "{reference}");
    let steps: Vec<Option<&str>> = image.layers.iter().map(|l| l.created_by()).collect();
    assert_eq!(steps, STEPS.map(Some), "{reference}");
    assert_eq!(image.config.config.user.as_deref(), Some("0:0"));

    assert_eq!(
        analysis.totals.stored_file_bytes, f.stored_file_bytes,
        "{reference}"
    );
    assert_eq!(analysis.waste.wasted_bytes, WASTED, "{reference}");
    assert_eq!(
        analysis.totals.final_file_bytes,
        f.stored_file_bytes - WASTED,
        "{reference}"
    );
    assert_eq!(
        analysis.duplicates.duplicate_bytes, DUPLICATE,
        "{reference}"
    );
    assert_eq!(
        analysis.duplicates.groups[0].paths,
        ["app/data/a.bin", "app/dup1.bin"]
    );
    let expected_efficiency = 1.0 - WASTED as f64 / f.stored_file_bytes as f64;
    assert!((analysis.efficiency - expected_efficiency).abs() < 1e-12);
    let user = f.stored_file_bytes - f.base_file_bytes;
    assert_eq!(analysis.totals.user_file_bytes, user);
    assert!((analysis.user_wasted_ratio - WASTED as f64 / user as f64).abs() < 1e-12);

    let removed: Vec<(&str, u64, usize, usize, Removal)> = analysis
        .waste
        .removed
        .iter()
        .map(|r| (r.path.as_str(), r.size, r.added_in, r.removed_in, r.reason))
        .collect();
    assert_eq!(
        removed,
        [
            ("tmp/big.bin", 50_000, 1, 3, Removal::Deleted),
            ("opt/keep", 17_000, 0, 5, Removal::HiddenByOpaque),
            ("opt/o1", 13_000, 0, 5, Removal::HiddenByOpaque),
            ("cache/sub/y", 11_000, 0, 4, Removal::Deleted),
            ("cache/x", 7000, 0, 4, Removal::Deleted),
            ("app/config.txt", 1000, 0, 2, Removal::Overwritten),
        ],
        "{reference}"
    );
    let per_layer: Vec<(u64, u64)> = analysis
        .layers
        .iter()
        .map(|l| (l.wasted_bytes_added, l.wasted_bytes_removed))
        .collect();
    assert_eq!(
        per_layer,
        [
            (49_000, 0),
            (50_000, 0),
            (0, 1000),
            (0, 50_000),
            (0, 18_000),
            (0, 30_000)
        ]
    );

    let fs = &analysis.filesystem;
    for gone in ["tmp/big.bin", "cache", "cache/x", "opt/o1", "opt/keep"] {
        assert!(fs.get(gone).is_none(), "{reference}: {gone} survived");
    }
    let config = fs.get("/app/config.txt").unwrap();
    assert_eq!((config.layer, config.entry.size), (2, 1500));
    assert_eq!(
        config.entry.hash,
        Some(plimsoll_image::ContentHash::of(&f.new_config))
    );
    assert_eq!(fs.get("opt/new").unwrap().layer, 5);
    assert_eq!(fs.get("tmp").unwrap().entry.kind, EntryKind::Dir);
    let sh = fs.get("bin/sh").unwrap();
    assert_eq!(sh.entry.kind, EntryKind::Symlink);
    assert_eq!(sh.entry.link_target.as_deref(), Some("busybox"));
    assert_eq!(
        analysis.layers[0].file_count, 10,
        "{reference}: busybox, passwd, group and 7 files"
    );
}

#[test]
fn oci_layout_end_to_end() {
    let f = fixture();
    let reference = format!("oci:{}:v1", f.oci.display());
    let (image, layers, analysis) = open(&reference);
    assert_eq!(image.format, Format::OciLayout);
    assert_eq!(image.names, ["v1"]);
    assert_eq!(image.platform, Some(Platform::new("linux", "amd64", None)));
    assert!(layers.iter().all(|l| l.compression == Compression::Gzip));
    assert!(
        analysis
            .layers
            .iter()
            .all(|l| l.declared_compression == Some(Compression::Gzip)
                && l.digest == *image.layers[l.index].digest.as_ref().unwrap())
    );
    assert_eq!(analysis.layers[3].whiteout_count, 1);
    assert_fixture_analysis(&reference, &image, &analysis);
    assert_eq!(
        image.read_file(0, "/etc/passwd", 1 << 20).unwrap(),
        Some(f.passwd.clone())
    );
    assert_eq!(image.read_file(1, "etc/passwd", 1 << 20).unwrap(), None);

    // dive's defaults: efficiency passes, the user-wasted ratio fails.
    let findings = check(&image, &analysis, &CheckOptions::default());
    assert_eq!(codes(&findings), ["PL3003", "PL3006"]);
    assert!(
        findings
            .iter()
            .all(|x| x.file == reference && x.span.is_none())
    );
    assert!(
        findings[0]
            .message
            .contains("largest: /tmp/big.bin (50.0 kB), added in layer 2 (`RUN add files`), deleted in layer 4 (`RUN rm /tmp/big.bin`)"),
        "{}",
        findings[0].message
    );
    assert!(
        findings[1].message.contains("`0:0`"),
        "{}",
        findings[1].message
    );

    let strict = CheckOptions {
        ci: CiRules::from_dive_ci(
            "rules:\n  lowestEfficiency: 0.999\n  highestWastedBytes: 50KB\n  highestUserWastedPercent: disabled\n",
        )
        .unwrap(),
        max_layers: 5,
        ..CheckOptions::default()
    };
    let findings = check(&image, &analysis, &strict);
    assert_eq!(codes(&findings), ["PL3001", "PL3002", "PL3004", "PL3006"]);
    assert!(
        findings[1].message.starts_with("99.0 kB wasted"),
        "{}",
        findings[1].message
    );
    let lenient = CheckOptions {
        ci: CiRules::from_dive_ci(
            "rules:\n  highestWastedBytes: 99000\n  highestUserWastedPercent: disabled\n",
        )
        .unwrap(),
        ..CheckOptions::default()
    };
    assert_eq!(codes(&check(&image, &analysis, &lenient)), ["PL3006"]);
}

#[test]
fn docker_archive_end_to_end() {
    let f = fixture();
    let reference = format!("docker-archive:{}", f.docker_archive.display());
    let (image, layers, analysis) = open(&reference);
    assert_eq!(image.format, Format::DockerArchive);
    assert_eq!(image.names, ["docker.io/plimsoll/test:v1"]);
    assert!(image.layers.iter().all(|l| l.digest.is_none()));
    assert!(layers.iter().all(|l| l.compression == Compression::None));
    assert_fixture_analysis(&reference, &image, &analysis);
    // docker save stores plain tars by design: no PL3005.
    assert_eq!(
        codes(&check(&image, &analysis, &CheckOptions::default())),
        ["PL3003", "PL3006"]
    );
    // Selecting by name, with and without the registry.
    for name in ["plimsoll/test:v1", "docker.io/plimsoll/test:v1"] {
        let r = format!("docker-archive:{}:{name}", f.docker_archive.display());
        assert_eq!(Image::open(&r).unwrap().layers.len(), 6);
    }
    let r = format!("docker-archive:{}:other:v9", f.docker_archive.display());
    let e = Image::open(&r).unwrap_err();
    assert!(e.to_string().contains("plimsoll/test:v1"), "{e}");
}

#[test]
fn oci_archive_end_to_end() {
    let f = fixture();
    let reference = format!("oci-archive:{}", f.oci_archive.display());
    let (image, _, analysis) = open(&reference);
    assert_eq!(image.format, Format::OciArchive);
    assert_fixture_analysis(&reference, &image, &analysis);
    let (oci, _, oci_analysis) = open(&format!("oci:{}:v1", f.oci.display()));
    assert_eq!(image.manifest_digest, oci.manifest_digest);
    let diff = |a: &Analysis| {
        a.layers
            .iter()
            .map(|l| l.diff_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(diff(&analysis), diff(&oci_analysis));
}

#[test]
fn docker25_archive_end_to_end() {
    let f = fixture();
    let reference = f.docker25_archive.display().to_string();
    let (image, layers, analysis) = open(&reference);
    assert_eq!(image.format, Format::DockerArchive, "manifest.json wins");
    assert!(image.layers.iter().all(|l| l.digest.is_some()));
    assert!(layers.iter().all(|l| l.compression == Compression::None));
    assert_fixture_analysis(&reference, &image, &analysis);
    // The same file read as an OCI archive.
    let (oci, _, oci_analysis) = open(&format!("oci-archive:{reference}"));
    assert_eq!(oci.format, Format::OciArchive);
    assert_eq!(oci_analysis.waste, analysis.waste);
}

#[test]
fn plain_and_zstd_layouts() {
    let f = fixture();
    let reference = format!("oci:{}", f.plain_oci.display());
    let (image, _, analysis) = open(&reference);
    // skopeo 1.9 keeps the plain tars of a docker archive but labels
    // them `tar+gzip`: a real mislabelled image.
    assert!(
        analysis
            .layers
            .iter()
            .all(|l| l.compression == Compression::None
                && l.declared_compression == Some(Compression::Gzip))
    );
    assert_fixture_analysis(&reference, &image, &analysis);
    let findings = check(&image, &analysis, &CheckOptions::default());
    assert_eq!(codes(&findings), ["PL3003", "PL3005", "PL3007", "PL3006"]);
    assert!(
        findings[1].message.starts_with(
            "4 of 6 layers are stored uncompressed (2.3 MB in all): layers 1, 2, 3, 6"
        ),
        "{}",
        findings[1].message
    );
    assert_eq!(
        findings[2].message,
        "layers 1, 2, 3, 4, 5, 6: media type `application/vnd.oci.image.layer.v1.tar+gzip` declares gzip but the content is uncompressed"
    );

    let reference = format!("oci:{}:v1", f.zstd_oci.display());
    let (image, _, analysis) = open(&reference);
    assert!(
        analysis
            .layers
            .iter()
            .all(|l| l.compression == Compression::Zstd)
    );
    assert_fixture_analysis(&reference, &image, &analysis);
}

#[test]
fn bare_paths_are_detected() {
    let f = fixture();
    for (path, format) in [
        (&f.docker_archive, Format::DockerArchive),
        (&f.oci_archive, Format::OciArchive),
        (&f.plain_oci, Format::OciLayout),
    ] {
        let image = Image::open(&path.display().to_string()).unwrap();
        assert_eq!(image.format, format, "{}", path.display());
    }
    let e = Image::open(&f.root.join("opaque.tar").display().to_string()).unwrap_err();
    assert!(matches!(e, Error::NotAnImage { .. }), "{e}");
}

#[test]
fn tags_platforms_and_nested_indexes() {
    let f = fixture();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let layout = dir.path().join("oci");
    copy_dir(&f.oci, &layout);

    // Two tags, two images: a bare reference is ambiguous.
    let e = Image::open(&format!("oci:{}", layout.display())).unwrap_err();
    assert!(matches!(e, Error::Selection { .. }), "{e}");
    assert!(
        e.to_string().contains("(v1)") && e.to_string().contains("(v2)"),
        "{e}"
    );
    let v2 = Image::open(&format!("oci:{}:v2", layout.display())).unwrap();
    assert_eq!(v2.config.config.user.as_deref(), Some("1000:1000"));
    let layers = v2.index_layers().unwrap();
    let findings = check(&v2, &analyze(&v2, layers), &CheckOptions::default());
    assert!(!codes(&findings).contains(&"PL3006"));
    let e = Image::open(&format!("oci:{}:v3", layout.display())).unwrap_err();
    assert!(e.to_string().contains("tags: v1, v2"), "{e}");

    // A nested multi-platform index tagged `multi`.
    let index_path = layout.join("index.json");
    let mut index: serde_json::Value =
        serde_json::from_slice(&fs::read(&index_path).unwrap()).unwrap();
    let by_tag = |tag: &str| {
        index["manifests"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["annotations"]["org.opencontainers.image.ref.name"] == tag)
            .unwrap()
            .clone()
    };
    let (v1, v2) = (by_tag("v1"), by_tag("v2"));
    let mut amd = v1.clone();
    amd.as_object_mut().unwrap().remove("annotations");
    amd["platform"] = serde_json::json!({"os": "linux", "architecture": "amd64"});
    let mut arm = v2.clone();
    arm.as_object_mut().unwrap().remove("annotations");
    arm["platform"] = serde_json::json!({"os": "linux", "architecture": "arm64", "variant": "v8"});
    let nested = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [arm, amd],
    }))
    .unwrap();
    let nested_digest = sha256_hex(&nested);
    fs::write(layout.join("blobs/sha256").join(&nested_digest), &nested).unwrap();
    index["manifests"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::json!({
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "digest": format!("sha256:{nested_digest}"),
            "size": nested.len(),
            "annotations": {"org.opencontainers.image.ref.name": "multi"},
        }));
    fs::write(&index_path, serde_json::to_vec(&index).unwrap()).unwrap();

    let multi = format!("oci:{}:multi", layout.display());
    let amd64 = Image::open(&multi).unwrap();
    assert_eq!(amd64.config.config.user.as_deref(), Some("0:0"));
    assert_eq!(amd64.platform, Some(Platform::new("linux", "amd64", None)));
    let arm64 = Image::open_with(
        &multi,
        &OpenOptions {
            platform: Platform::parse("linux/arm64"),
            ..OpenOptions::default()
        },
    )
    .unwrap();
    assert_eq!(arm64.config.config.user.as_deref(), Some("1000:1000"));
    let e = Image::open_with(
        &multi,
        &OpenOptions {
            platform: Platform::parse("linux/s390x"),
            ..OpenOptions::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("linux/arm64/v8"), "{e}");
    // By digest: the nested index, then a manifest inside it.
    let by_index = format!("oci:{}@sha256:{nested_digest}", layout.display());
    assert_eq!(
        Image::open(&by_index).unwrap().manifest_digest,
        amd64.manifest_digest
    );
    let by_manifest = format!(
        "oci:{}@{}",
        layout.display(),
        v2["digest"].as_str().unwrap()
    );
    assert_eq!(
        Image::open(&by_manifest)
            .unwrap()
            .config
            .config
            .user
            .as_deref(),
        Some("1000:1000")
    );
}

/// A private copy of the v1 layout and its manifest's layer blob paths.
fn corruptible_layout() -> (tempfile::TempDir, PathBuf, Vec<PathBuf>) {
    let f = fixture();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let layout = dir.path().join("oci");
    copy_dir(&f.oci, &layout);
    let image = Image::open(&format!("oci:{}:v1", layout.display())).unwrap();
    let blobs = image
        .layers
        .iter()
        .map(|l| layout.join(l.digest.as_ref().unwrap().blob_path()))
        .collect();
    (dir, layout, blobs)
}

fn open_and_read(reference: &str) -> Result<(), Error> {
    inspect(reference, &OpenOptions::default(), &CheckOptions::default()).map(|_| ())
}

#[test]
fn flipped_byte_in_a_layer_blob_is_a_digest_mismatch() {
    let (_dir, layout, blobs) = corruptible_layout();
    // Byte 5 is inside the gzip header's MTIME: the stream still
    // decompresses, only the digest can tell.
    let mut bytes = fs::read(&blobs[1]).unwrap();
    bytes[5] ^= 0xff;
    fs::write(&blobs[1], &bytes).unwrap();
    let e = open_and_read(&format!("oci:{}:v1", layout.display())).unwrap_err();
    assert!(matches!(e, Error::DigestMismatch { .. }), "{e}");
    assert!(e.to_string().starts_with("layer 2 (sha256:"), "{e}");
}

#[test]
fn corrupt_truncated_and_missing_layers_are_errors() {
    let (_dir, layout, blobs) = corruptible_layout();
    let reference = format!("oci:{}:v1", layout.display());

    let mut bytes = fs::read(&blobs[0]).unwrap();
    let mid = bytes.len() / 2;
    for b in &mut bytes[mid..mid + 64] {
        *b ^= 0xa5;
    }
    fs::write(&blobs[0], &bytes).unwrap();
    let e = open_and_read(&reference).unwrap_err();
    assert!(
        matches!(&e, Error::Layer { layer, .. } if layer.starts_with("layer 1 ")),
        "{e}"
    );

    let bytes = fs::read(&blobs[2]).unwrap();
    fs::write(&blobs[2], &bytes[..bytes.len() - 20]).unwrap();
    let layers_err = Image::open(&reference)
        .unwrap()
        .read_layer(&Image::open(&reference).unwrap().layers[2], &mut ())
        .unwrap_err();
    assert!(
        layers_err.to_string().starts_with("layer 3 ("),
        "{layers_err}"
    );

    fs::remove_file(&blobs[4]).unwrap();
    let image = Image::open(&reference).unwrap();
    let e = image.read_layer(&image.layers[4], &mut ()).unwrap_err();
    assert!(matches!(e, Error::MissingBlob { .. }), "{e}");
    assert!(e.to_string().starts_with("layer 5 ("), "{e}");
}

#[test]
fn changed_layer_content_in_docker_archive_is_a_diff_id_mismatch() {
    let f = fixture();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let archive = dir.path().join("docker.tar");
    fs::copy(&f.docker_archive, &archive).unwrap();
    // Find the new config.txt content inside the archive and change one
    // byte: the layer tar stays valid, only the diffID can tell.
    let mut bytes = fs::read(&archive).unwrap();
    let needle = &f.new_config[..32];
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("layer 3 content in the archive");
    bytes[at + 100] ^= 1;
    fs::write(&archive, &bytes).unwrap();

    let e = open_and_read(&format!("docker-archive:{}", archive.display())).unwrap_err();
    assert!(matches!(e, Error::DigestMismatch { .. }), "{e}");
    let text = e.to_string();
    assert!(
        text.starts_with("layer 3 (sha256:") && text.contains("(diffID)"),
        "{text}"
    );
}

#[test]
fn truncated_archive_is_an_error() {
    let f = fixture();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
    let archive = dir.path().join("cut.tar");
    let bytes = fs::read(&f.oci_archive).unwrap();
    fs::write(&archive, &bytes[..bytes.len() / 2]).unwrap();
    let e = open_and_read(&format!("oci-archive:{}", archive.display())).unwrap_err();
    let text = e.to_string();
    assert!(
        matches!(e, Error::NotAnImage { .. } | Error::MissingBlob { .. }),
        "{text}"
    );
}
