//! The one pass over an image's layers, end to end through
//! [`plimsoll_image::inspect`]: about 60 MB of this machine's files
//! (`/usr/share/doc` and `/usr/lib/python3.11`: text, sources, some
//! binaries) as three layers, the third deleting a directory, stored two
//! ways in a temporary directory:
//!
//! - an OCI layout with gzip layers (decompression dominates);
//! - the same layout with plain tar layers (a `docker save` archive's
//!   form), read whole and by headers alone (`--layers-only`).
//!
//! `cargo bench -p plimsoll-image` (`PLIMSOLL_BENCH_DIRS` overrides the
//! directories, `:`-separated; `PLIMSOLL_BENCH_BYTES` the size). Wall
//! time: the pass uses both cores. bench/vs_dive.py measures the same
//! work on a 1.5 GB image beside dive.

use criterion::{Criterion, Throughput};
use flate2::write::GzEncoder;
use plimsoll_image::{CheckOptions, Depth, OpenOptions, inspect};
use serde_json::json;
use sha2::{Digest as _, Sha256};
use std::hint::black_box;
use std::io::Write;
use std::path::Path;

fn tar_of(files: &[(String, Vec<u8>)], whiteouts: &[&str]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in files {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, path, &data[..])
            .expect("tar in memory");
    }
    for w in whiteouts {
        let mut h = tar::Header::new_gnu();
        h.set_size(0);
        b.append_data(&mut h, w, std::io::empty())
            .expect("tar in memory");
    }
    b.into_inner().expect("tar in memory")
}

fn sha(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

/// Write an OCI layout of `layers` (plain tars) to `dir`, gzip or not.
fn layout(dir: &Path, layers: &[Vec<u8>], gzip: bool) {
    let blobs = dir.join("blobs/sha256");
    std::fs::create_dir_all(&blobs).expect("temp dir");
    let put = |data: &[u8]| {
        let digest = sha(data);
        std::fs::write(blobs.join(&digest[7..]), data).expect("temp dir");
        (digest, data.len())
    };
    let mut descriptors = Vec::new();
    let mut diff_ids = Vec::new();
    for tar in layers {
        diff_ids.push(sha(tar));
        let (blob, media_type) = if gzip {
            let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(tar).expect("gzip in memory");
            (
                e.finish().expect("gzip in memory"),
                "application/vnd.oci.image.layer.v1.tar+gzip",
            )
        } else {
            (tar.clone(), "application/vnd.oci.image.layer.v1.tar")
        };
        let (digest, size) = put(&blob);
        descriptors.push(json!({"mediaType": media_type, "digest": digest, "size": size}));
    }
    let config = json!({
        "architecture": "amd64", "os": "linux",
        "config": {"User": "1000"},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    })
    .to_string();
    let (config_digest, config_size) = put(config.as_bytes());
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": config_digest, "size": config_size},
        "layers": descriptors,
    })
    .to_string();
    let (manifest_digest, manifest_size) = put(manifest.as_bytes());
    let index = json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "digest": manifest_digest, "size": manifest_size,
                       "annotations": {"org.opencontainers.image.ref.name": "v1"}}],
    });
    std::fs::write(dir.join("index.json"), index.to_string()).expect("temp dir");
    std::fs::write(dir.join("oci-layout"), r#"{"imageLayoutVersion":"1.0.0"}"#).expect("temp dir");
}

fn bench(c: &mut Criterion) {
    let dirs = std::env::var("PLIMSOLL_BENCH_DIRS")
        .unwrap_or_else(|_| "/usr/share/doc:/usr/lib/python3.11".into());
    let limit: usize = std::env::var("PLIMSOLL_BENCH_BYTES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60_000_000);
    let dirs: Vec<&Path> = dirs.split(':').map(Path::new).collect();
    // By path inside the image.
    let files: Vec<(String, Vec<u8>)> = plimsoll_testkit::files_under(&dirs, limit, |_| true)
        .into_iter()
        .map(|(path, data)| {
            let name = path.display().to_string();
            (name.trim_start_matches('/').to_string(), data)
        })
        .collect();
    let half = files.len() / 2;
    let first_dir = files
        .first()
        .map(|(p, _)| p.rsplit_once('/').map_or("", |(d, _)| d).to_string())
        .unwrap_or_default();
    let whiteout = match first_dir.rsplit_once('/') {
        Some((parent, name)) => format!("{parent}/.wh.{name}"),
        None => format!(".wh.{first_dir}"),
    };
    let layers = [
        tar_of(&files[..half], &[]),
        tar_of(&files[half..], &[]),
        tar_of(&[], &[&whiteout]),
    ];
    let bytes: usize = layers.iter().map(Vec::len).sum();
    eprintln!("image: {} files, {bytes} bytes of tar", files.len());

    let tmp = tempfile::tempdir().expect("temp dir");
    let (gz, plain) = (tmp.path().join("gz"), tmp.path().join("plain"));
    layout(&gz, &layers, true);
    layout(&plain, &layers, false);

    let open = OpenOptions::default();
    let contents = CheckOptions::default();
    let headers = CheckOptions {
        depth: Depth::Headers,
        ..CheckOptions::default()
    };
    let mut group = c.benchmark_group("inspect");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    for (name, dir, checks) in [
        ("gzip_all_analyses", &gz, &contents),
        ("plain_all_analyses", &plain, &contents),
        ("plain_layers_only", &plain, &headers),
    ] {
        let reference = format!("oci:{}:v1", dir.display());
        group.bench_function(name, |b| {
            b.iter(|| {
                let i = inspect(&reference, &open, checks).expect("the bench image reads");
                black_box(i.analysis.waste.wasted_bytes)
            })
        });
    }
    group.finish();
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
}
