//! Reading an image never panics and stays within its limits, whatever
//! the bytes: the tar index of an archive, `index.json`, manifests,
//! configs, `docker save`'s `manifest.json`, and the layer reader with
//! whiteouts, stacking, the practice checks, the package inventory and
//! the SBOM behind it.
//!
//! The first byte picks what the rest of the input is; the harness builds
//! a valid image around it, naming blobs by their real digests, so the
//! input reaches the code past digest verification:
//!
//! - 0: two layers (plain tars, split at the next two bytes) of a
//!   `docker save` archive whose config lists their real diffIDs;
//! - 1: `index.json` of an OCI layout holding one valid image;
//! - 2: the image manifest of an OCI layout (stored under its digest);
//! - 3: the image config of an OCI layout (stored under its digest);
//! - 4: `manifest.json` of a `docker save` archive;
//! - else: a whole archive file, its kind detected.
#![no_main]
use libfuzzer_sys::fuzz_target;
use plimsoll_image::{CheckOptions, Depth, Limits, OpenOptions, inspect};
use sha2::{Digest as _, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn sha(data: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(data)))
}

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("plimsoll-fuzz-archive-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    })
}

/// A small valid layer: a file, a directory, a whiteout.
fn base_layer() -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (path, data) in [("etc/passwd", &b"root::0:0::/:/bin/sh\n"[..]), ("app/.wh.old", b"")] {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o4777);
        b.append_data(&mut h, path, data).unwrap();
    }
    b.into_inner().unwrap()
}

fn config(diff_ids: &[String]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "architecture": "amd64", "os": "linux",
        "config": {"User": "app", "ExposedPorts": {"22/tcp": {}}, "Volumes": {"/etc": {}}},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created_by": "COPY . /"}, {"created_by": "RUN x"}],
    }))
    .unwrap()
}

fn manifest(config: &[u8], layers: &[&[u8]]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": sha(config), "size": config.len()},
        "layers": layers.iter().map(|l| serde_json::json!({
            "mediaType": "application/vnd.oci.image.layer.v1.tar",
            "digest": sha(l), "size": l.len()})).collect::<Vec<_>>(),
    }))
    .unwrap()
}

fn index(manifest: &[u8]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "digest": sha(manifest), "size": manifest.len(),
                       "annotations": {"org.opencontainers.image.ref.name": "v1"}}],
    }))
    .unwrap()
}

/// Write an OCI layout: `index.json` and the blobs.
fn layout(dir: &Path, index: &[u8], blobs: &[&[u8]]) {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir.join("blobs/sha256")).unwrap();
    fs::write(dir.join("oci-layout"), br#"{"imageLayoutVersion":"1.0.0"}"#).unwrap();
    fs::write(dir.join("index.json"), index).unwrap();
    for b in blobs {
        fs::write(dir.join("blobs/sha256").join(&sha(b)[7..]), b).unwrap();
    }
}

/// Write a `docker save` archive.
fn docker_archive(file: &Path, manifest_json: &[u8], members: &[(&str, &[u8])]) {
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |name: &str, data: &[u8]| {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, name, data).unwrap();
    };
    add("manifest.json", manifest_json);
    for (name, data) in members {
        add(name, data);
    }
    fs::write(file, b.into_inner().unwrap()).unwrap();
}

fn check(reference: &str) {
    let open = OpenOptions {
        limits: Limits {
            max_layer_bytes: 64 << 20,
            max_layer_entries: 100_000,
        },
        ..OpenOptions::default()
    };
    // By headers alone (`--layers-only`) the digests of plain layers go
    // unchecked, so it may read what the whole pass rejects; where both
    // read the image, the waste is the same.
    let headers = inspect(
        reference,
        &open,
        &CheckOptions {
            depth: Depth::Headers,
            ..CheckOptions::default()
        },
    );
    let Ok(i) = inspect(reference, &open, &CheckOptions::default()) else {
        return;
    };
    if let Ok(h) = headers {
        assert_eq!(h.analysis.waste.wasted_bytes, i.analysis.waste.wasted_bytes);
        assert_eq!(h.analysis.totals.stored_files, i.analysis.totals.stored_files);
    }
    let a = &i.analysis;
    assert!((0.0..=1.0).contains(&a.efficiency), "{}", a.efficiency);
    assert_eq!(
        a.totals.stored_file_bytes,
        a.totals.final_file_bytes + a.waste.wasted_bytes
    );
    for f in &i.findings {
        assert!(f.layer.is_none_or(|l| l < i.analysis.layers.len()), "{f:?}");
    }
    let _ = serde_json::to_vec(&plimsoll_image::sbom::cyclonedx(&i.image, &i.packages, "fuzz"));
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let dir = scratch();
    let oci = dir.join("oci");
    let archive = dir.join("image.tar");
    let layer = base_layer();
    match mode {
        0 => {
            let (a, b) = match rest {
                [x, y, tail @ ..] => {
                    let at = (usize::from(*x) << 8 | usize::from(*y)).min(tail.len());
                    tail.split_at(at)
                }
                _ => (rest, &[][..]),
            };
            let cfg = config(&[sha(a), sha(b)]);
            let m = serde_json::to_vec(&serde_json::json!([{
                "Config": "config.json", "RepoTags": ["fuzz:v1"],
                "Layers": ["a/layer.tar", "b/layer.tar"],
            }]))
            .unwrap();
            docker_archive(&archive, &m, &[("config.json", &cfg), ("a/layer.tar", a), ("b/layer.tar", b)]);
            check(&format!("docker-archive:{}", archive.display()));
        }
        1..=3 => {
            let cfg = if mode == 3 { rest.to_vec() } else { config(&[sha(&layer)]) };
            let man = if mode == 2 { rest.to_vec() } else { manifest(&cfg, &[&layer]) };
            let idx = if mode == 1 { rest.to_vec() } else { index(&man) };
            layout(&oci, &idx, &[&cfg, &man, &layer]);
            check(&format!("oci:{}", oci.display()));
        }
        4 => {
            let cfg = config(&[sha(&layer)]);
            docker_archive(&archive, rest, &[("config.json", &cfg), ("layer.tar", &layer)]);
            check(&format!("docker-archive:{}", archive.display()));
        }
        _ => {
            fs::write(&archive, rest).unwrap();
            check(&archive.display().to_string());
        }
    }
});
