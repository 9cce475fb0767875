//! `floor OCI-LAYOUT-DIR`: the least any tool must do to read an image's
//! gzip layers honestly — decompress each layer and check its blob digest
//! and its diffID — and nothing else: no tar, no file index, no scanning.
//!
//! `bench/vs_dive.py` runs it beside `plimsoll image` on the same layout
//! and reports plimsoll's speed as a share of the floor's. It works the
//! way plimsoll does, so the comparison is fair: layers on threads of
//! their own (both cores busy), the compressed bytes hashed on another
//! thread, the same flate2 (zlib-rs) and sha2 crates.

use flate2::bufread::MultiGzDecoder;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Instant;

const CHUNK: usize = 128 << 10;

fn main() -> ExitCode {
    let Some(dir) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: floor OCI-LAYOUT-DIR");
        return ExitCode::from(2);
    };
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("floor: {}: {e}", dir.display());
            ExitCode::from(2)
        }
    }
}

struct Layer {
    blob: String,
    diff_id: String,
}

fn run(dir: &Path) -> Result<(), String> {
    let start = Instant::now();
    let layers = layers(dir)?;
    let results: Vec<Result<(u64, u64), String>> = std::thread::scope(|s| {
        let handles: Vec<_> = layers
            .iter()
            .map(|layer| s.spawn(move || read_layer(dir, layer)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a layer thread panicked".into()))
            })
            .collect()
    });
    let (mut stored, mut expanded) = (0, 0);
    for r in results {
        let (s, e) = r?;
        stored += s;
        expanded += e;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{} layers, {stored} bytes stored, {expanded} bytes uncompressed, {secs:.3} s, {:.1} MB/s uncompressed",
        layers.len(),
        expanded as f64 / secs / 1e6
    );
    Ok(())
}

/// The layers of the layout's only manifest, with their diffIDs.
fn layers(dir: &Path) -> Result<Vec<Layer>, String> {
    let index = json(&dir.join("index.json"))?;
    let manifest = digest_at(&index["manifests"][0]["digest"])?;
    let manifest = json(&blob_path(dir, manifest))?;
    let config = json(&blob_path(dir, digest_at(&manifest["config"]["digest"])?))?;
    let blobs = manifest["layers"]
        .as_array()
        .ok_or("manifest without layers")?;
    let diff_ids = config["rootfs"]["diff_ids"]
        .as_array()
        .ok_or("config without diff_ids")?;
    if blobs.len() != diff_ids.len() {
        return Err("manifest and config disagree on the layer count".into());
    }
    blobs
        .iter()
        .zip(diff_ids)
        .map(|(b, d)| {
            Ok(Layer {
                blob: digest_at(&b["digest"])?.to_string(),
                diff_id: d.as_str().ok_or("diffID is not a string")?.to_string(),
            })
        })
        .collect()
}

fn json(path: &Path) -> Result<serde_json::Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn digest_at(value: &serde_json::Value) -> Result<&str, String> {
    value
        .as_str()
        .filter(|d| d.starts_with("sha256:"))
        .ok_or_else(|| "a digest that is not sha256".to_string())
}

fn blob_path(dir: &Path, digest: &str) -> PathBuf {
    dir.join("blobs/sha256").join(&digest["sha256:".len()..])
}

/// Decompress one layer, hashing the blob on a second thread and the tar
/// on this one; (stored, uncompressed) bytes.
fn read_layer(dir: &Path, layer: &Layer) -> Result<(u64, u64), String> {
    let path = blob_path(dir, &layer.blob);
    let file = File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let (chunks, rx) = mpsc::sync_channel::<Vec<u8>>(8);
    let blob_hasher = std::thread::spawn(move || {
        let mut h = Sha256::new();
        for c in rx {
            h.update(&c);
        }
        h.finalize()
    });
    let tee = Tee {
        inner: file,
        chunks,
        bytes: 0,
    };
    let mut decoder = MultiGzDecoder::new(BufReader::with_capacity(CHUNK, tee));
    let mut tar = Sha256::new();
    let mut buf = vec![0u8; CHUNK];
    let mut expanded = 0u64;
    loop {
        let n = match decoder.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("{}: {e}", layer.blob)),
        };
        tar.update(&buf[..n]);
        expanded += n as u64;
    }
    let stored = decoder.into_inner().into_inner().bytes;
    // Dropping the decoder closed the channel: the hasher finishes.
    let blob = blob_hasher
        .join()
        .map_err(|_| "the blob hasher panicked".to_string())?;
    check(&layer.blob, &blob)?;
    check(&layer.diff_id, &tar.finalize())?;
    Ok((stored, expanded))
}

fn check(want: &str, got: &[u8]) -> Result<(), String> {
    let got = format!("sha256:{}", hex::encode(got));
    if want == got {
        Ok(())
    } else {
        Err(format!("digest mismatch: want {want}, got {got}"))
    }
}

/// A reader that sends a copy of everything it reads to a channel.
struct Tee {
    inner: File,
    chunks: mpsc::SyncSender<Vec<u8>>,
    bytes: u64,
}

impl Read for Tee {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        if n > 0 {
            self.chunks
                .send(buf[..n].to_vec())
                .map_err(|_| io::Error::other("the blob hasher stopped"))?;
        }
        Ok(n)
    }
}
