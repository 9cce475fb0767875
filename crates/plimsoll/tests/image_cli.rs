//! `plimsoll image` end to end on a real image built with umoci and
//! converted with skopeo (Debian packages `umoci skopeo`; scripts/test
//! installs them).

mod support;

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use support::{Umoci, copy_dir, json_of, sha256_hex};

const HINT: &str = "needs umoci and skopeo: apt-get install -y umoci skopeo";

/// An OCI layout (tag `v1`) and a docker-archive of it. Layer 1 stores a
/// 300,000-byte file and a 50,000-byte file, layer 2 deletes the first
/// and overwrites the second with 10 bytes: 350,000 bytes wasted.
fn image() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let image = Umoci::new(
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("plimsoll-image-cli"),
            HINT,
        );
        image.write("data/big.bin", &[7u8; 300_000]);
        image.write("data/config", &[1u8; 50_000]);
        image.repack("COPY data/ /data/");
        image.remove("data/big.bin");
        image.write("data/config", b"small=true");
        image.repack("RUN rm /data/big.bin && echo small=true > /data/config");
        image.skopeo_copy(&["oci:oci:v1", "docker-archive:image.tar:app:v1"]);
        image.root().to_path_buf()
    })
}

fn plimsoll() -> Command {
    let mut cmd = Command::cargo_bin("plimsoll").unwrap();
    cmd.env("NO_COLOR", "1").current_dir(image());
    cmd
}

#[test]
fn breakdown_waste_and_findings_in_the_terminal() {
    plimsoll()
        .args(["image", "oci:oci:v1"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("COPY data/ /data/"))
        .stdout(predicate::str::contains("wasted 350.0 kB in 2 files"))
        .stdout(predicate::str::contains("/data/big.bin"))
        .stdout(predicate::str::contains("PL3006"));
}

#[test]
fn analysis_json_counts_deleted_and_overwritten_copies() {
    for reference in ["oci:oci:v1", "docker-archive:image.tar", "image.tar"] {
        let out = plimsoll()
            .args(["image", "--analysis", reference])
            .assert()
            // It runs as root (PL3006): findings decide the exit code.
            .code(1)
            .get_output()
            .stdout
            .clone();
        let v = json_of(&out);
        let a = &v[0]["analysis"];
        assert_eq!(a["waste"]["wasted_bytes"], 350_000, "{reference}");
        assert_eq!(a["layers"].as_array().unwrap().len(), 2, "{reference}");
    }
}

#[test]
fn dive_thresholds_from_flags_and_dive_ci() {
    plimsoll()
        .args([
            "image",
            "--format",
            "json",
            "--highest-wasted-bytes",
            "100KB",
            "oci:oci:v1",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PL3002"));
    let ci = image().join("strict.dive-ci");
    fs::write(&ci, "rules:\n  lowestEfficiency: 0.99\n").unwrap();
    plimsoll()
        .args([
            "image",
            "--format",
            "json",
            "--ci-config",
            "strict.dive-ci",
            "oci:oci:v1",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PL3001"));
    plimsoll()
        .args(["image", "--failure-threshold", "error", "oci:oci:v1"])
        .assert()
        .code(0);
    // dive's own command line: `--ci` and its camelCase threshold flags.
    plimsoll()
        .args([
            "image",
            "oci:oci:v1",
            "--ci",
            "--highestWastedBytes=100KB",
            "--lowestEfficiency=0",
            "--highestUserWastedPercent=disabled",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("PL3002"))
        .stdout(predicate::str::contains("PL3001").not())
        .stdout(predicate::str::contains("PL3003").not());
}

#[test]
fn an_unreadable_image_is_reported_and_the_others_still_analysed() {
    plimsoll()
        .args([
            "image",
            "--format",
            "json",
            "oci:missing-layout",
            "oci:oci:v1",
        ])
        .assert()
        .code(2)
        .stdout(predicate::str::contains("PL3006"))
        .stderr(predicate::str::contains("missing-layout"));
}

#[test]
fn image_rules_are_documented() {
    plimsoll()
        .args(["rule", "PL3002"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("## Why is this bad?"));
}

fn keys(v: &serde_json::Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[test]
fn json_output_has_exactly_the_documented_fields() {
    for (reference, has_digest) in [("oci:oci:v1", true), ("docker-archive:image.tar", false)] {
        let out = plimsoll()
            .args(["image", "--format", "json", reference])
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        let v = json_of(&out);
        assert_eq!(
            keys(&v),
            [
                "config_digest",
                "digest",
                "duplicate_bytes",
                "efficiency",
                "findings",
                "layers",
                "reference",
                "total_size",
                "total_uncompressed_size",
                "wasted_bytes",
            ],
            "{reference}"
        );
        assert_eq!(v["reference"], reference);
        assert_eq!(v["digest"].is_string(), has_digest, "{reference}");
        assert!(v["digest"].is_string() || v["digest"].is_null());
        assert!(v["config_digest"].as_str().unwrap().starts_with("sha256:"));
        assert_eq!(v["wasted_bytes"], 350_000);
        let layers = v["layers"].as_array().unwrap();
        assert_eq!(layers.len(), 2);
        for l in layers {
            assert_eq!(
                keys(l),
                [
                    "created_by",
                    "diff_id",
                    "digest",
                    "files",
                    "size",
                    "uncompressed_size",
                    "verified"
                ]
            );
            assert_eq!(l["verified"], true, "{reference}");
            if !has_digest {
                // A classic docker archive stores the plain tar: its
                // digest is the diffID.
                assert_eq!(l["digest"], l["diff_id"], "{reference}");
            }
        }
        assert_eq!(layers[0]["created_by"], "COPY data/ /data/");
        assert_eq!(layers[0]["files"], 2);
        let total: u64 = layers.iter().map(|l| l["size"].as_u64().unwrap()).sum();
        assert_eq!(v["total_size"], total);
        for f in v["findings"].as_array().unwrap() {
            assert_eq!(keys(f), ["code", "layer", "message", "path", "severity"]);
        }
    }
    // Several images: an array of those objects.
    let out = plimsoll()
        .args(["image", "-f", "json", "oci:oci:v1", "image.tar"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_of(&out).as_array().unwrap().len(), 2);
}

#[test]
fn layers_only_reads_headers_and_agrees_on_the_waste() {
    for (reference, seeks) in [
        // Plain tar layers in a file: read by seeking past the contents.
        ("docker-archive:image.tar", true),
        // Gzip layers: decompressed whole, so still verified.
        ("oci:oci:v1", false),
    ] {
        let full = json_of(
            &plimsoll()
                .args(["image", "--format", "json", reference])
                .assert()
                .code(1)
                .get_output()
                .stdout
                .clone(),
        );
        let fast = json_of(
            &plimsoll()
                .args(["image", "--layers-only", "--format", "json", reference])
                .assert()
                .code(1)
                .get_output()
                .stdout
                .clone(),
        );
        for key in [
            "wasted_bytes",
            "efficiency",
            "total_size",
            "total_uncompressed_size",
            "digest",
            "config_digest",
        ] {
            assert_eq!(fast[key], full[key], "{reference}: {key}");
        }
        assert_eq!(fast["wasted_bytes"], 350_000);
        assert!(full["duplicate_bytes"].is_u64());
        assert!(fast["duplicate_bytes"].is_null(), "{reference}");
        let (fl, ll) = (
            full["layers"].as_array().unwrap(),
            fast["layers"].as_array().unwrap(),
        );
        assert_eq!(fl.len(), ll.len());
        for (f, l) in fl.iter().zip(ll) {
            for key in ["digest", "diff_id", "size", "uncompressed_size", "files"] {
                assert_eq!(f[key], l[key], "{reference}: layer {key}");
            }
            assert_eq!(l["verified"], !seeks, "{reference}");
        }
        // The checks that need no file contents still run.
        let codes = |v: &serde_json::Value| -> Vec<String> {
            let mut c: Vec<String> = v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["code"].as_str().unwrap().to_string())
                .collect();
            c.sort();
            c
        };
        assert!(codes(&fast).contains(&"PL3006".to_string()), "{reference}");
        assert_eq!(codes(&fast), codes(&full), "{reference}");
        let analysis = json_of(
            &plimsoll()
                .args(["image", "--layers-only", "--analysis", reference])
                .assert()
                .code(1)
                .get_output()
                .stdout
                .clone(),
        );
        let a = &analysis[0]["analysis"];
        assert_eq!(a["waste"]["wasted_bytes"], 350_000, "{reference}");
        assert!(a["duplicates"].is_null(), "{reference}");
    }
    plimsoll()
        .args(["image", "--layers-only", "image.tar"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("wasted 350.0 kB in 2 files"))
        .stdout(predicate::str::contains(
            "duplicated unknown (--layers-only)",
        ));
}

#[test]
fn sarif_and_junit_carry_image_findings() {
    let out = plimsoll()
        .args(["image", "-f", "sarif", "oci:oci:v1"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert_eq!(v["version"], "2.1.0");
    let ids: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"PL3006"), "{ids:?}");
    plimsoll()
        .args(["image", "-f", "junit", "oci:oci:v1"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<testsuites"))
        .stdout(predicate::str::contains("PL3006"));
}

#[test]
fn select_and_ignore_image_rules() {
    let codes = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["image", "-f", "json", "--no-fail"];
        all.extend_from_slice(args);
        all.push("oci:oci:v1");
        let out = plimsoll()
            .args(&all)
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        json_of(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    let all = codes(&[]);
    assert!(all.contains(&"PL3006".to_string()) && all.contains(&"PL3020".to_string()));
    assert_eq!(codes(&["--select", "PL3006"]), ["PL3006"]);
    assert!(
        !codes(&["--ignore", "PL3006,PL302"])
            .iter()
            .any(|c| c == "PL3006" || c == "PL3020")
    );
    assert_eq!(codes(&["--select", "CIS-DI-0001"]), ["PL3006"]);
    plimsoll()
        .args(["image", "--select", "XX9999", "oci:oci:v1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("XX9999"));
}

#[test]
fn practice_rules_are_documented() {
    for code in ["PL3011", "PL3014", "PL3020", "PL3021"] {
        plimsoll()
            .args(["rule", code])
            .assert()
            .code(0)
            .stdout(predicate::str::contains("## Why is this bad?"));
    }
}

/// A directory of its own, so its config files touch no other test.
fn own_dir(name: &str) -> PathBuf {
    let dir = image().join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn image_thresholds_cli_over_env_over_toml_over_dive_ci() {
    let dir = own_dir("precedence");
    let reference = format!("oci:{}:v1", image().join("oci").display());
    let codes = |env: &[(&str, &str)], args: &[&str]| -> Vec<String> {
        let mut cmd = plimsoll();
        cmd.current_dir(&dir);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut all = vec!["image", "-f", "json", "--no-fail", "--select", "PL300"];
        all.extend_from_slice(args);
        all.push(&reference);
        let out = cmd.args(&all).assert().code(0).get_output().stdout.clone();
        let mut c: Vec<String> = json_of(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_string())
            .filter(|c| c.as_str() < "PL3004")
            .collect();
        c.dedup();
        c
    };
    // dive's defaults: 350,000 of 350,010 stored bytes are wasted.
    assert_eq!(codes(&[], &[]), ["PL3001", "PL3003"]);
    // .dive-ci turns those off and limits the wasted bytes.
    fs::write(
        dir.join(".dive-ci"),
        "rules:\n  lowestEfficiency: disabled\n  highestUserWastedPercent: disabled\n  highestWastedBytes: 1KB\n",
    )
    .unwrap();
    assert_eq!(codes(&[], &[]), ["PL3002"]);
    // .plimsoll.toml [image] over .dive-ci, key by key.
    fs::write(
        dir.join(".plimsoll.toml"),
        "[image]\nlowest-efficiency = 0.5\nhighest-wasted-bytes = \"disabled\"\n",
    )
    .unwrap();
    assert_eq!(codes(&[], &[]), ["PL3001"]);
    // The environment over the file.
    let env = [("PLIMSOLL_IMAGE_LOWEST_EFFICIENCY", "disabled")];
    assert!(codes(&env, &[]).is_empty());
    // The command line over the environment.
    assert_eq!(codes(&env, &["--lowest-efficiency", "0.5"]), ["PL3001"]);
    // Errors name where the value came from.
    let mut cmd = plimsoll();
    cmd.current_dir(&dir)
        .env("PLIMSOLL_IMAGE_HIGHEST_WASTED_BYTES", "lots")
        .args(["image", &reference])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "PLIMSOLL_IMAGE_HIGHEST_WASTED_BYTES",
        ));
}

#[test]
fn packages_and_sbom() {
    let dir = own_dir("sbom");
    let bom = dir.join("bom.json");
    let out = plimsoll()
        .args(["image", "-f", "json", "--packages", "--no-fail"])
        .arg(format!("--sbom=cyclonedx={}", bom.display()))
        .arg("oci:oci:v1")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    // The image has no package database.
    assert_eq!(json_of(&out)["packages"], serde_json::json!([]));
    let doc = json_of(&fs::read(&bom).unwrap());
    assert_eq!(doc["bomFormat"], "CycloneDX");
    assert_eq!(doc["specVersion"], "1.5");
    assert_eq!(doc["metadata"]["component"]["type"], "container");
    let validate =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../plimsoll-image/tests/cyclonedx/validate.py");
    let status = std::process::Command::new("python3")
        .arg(validate)
        .arg(&bom)
        .status()
        .unwrap();
    assert!(status.success());
    // To stdout instead of the report.
    let out = plimsoll()
        .args(["image", "--sbom", "cyclonedx", "--no-fail", "oci:oci:v1"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json_of(&out)["bomFormat"], "CycloneDX");
    plimsoll()
        .args(["image", "--sbom", "spdx", "oci:oci:v1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown format `spdx`"));
}

// ---------------------------------------------------------------------------
// Bad input: one clear line naming the reference, exit 2, no panic.

/// A private copy of the layout, with its manifest (as JSON) and the
/// paths of the manifest and layer blobs.
struct Broken {
    layout: PathBuf,
    manifest: serde_json::Value,
    manifest_path: PathBuf,
    layers: Vec<PathBuf>,
}

impl Broken {
    fn new(name: &str) -> Broken {
        let layout = own_dir(name).join("oci");
        copy_dir(&image().join("oci"), &layout);
        let index = json_of(&fs::read(layout.join("index.json")).unwrap());
        let digest = index["manifests"][0]["digest"]
            .as_str()
            .unwrap()
            .to_string();
        let manifest_path = layout.join("blobs/sha256").join(&digest[7..]);
        let manifest = json_of(&fs::read(&manifest_path).unwrap());
        let layers = manifest["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                layout
                    .join("blobs/sha256")
                    .join(&l["digest"].as_str().unwrap()[7..])
            })
            .collect();
        Broken {
            layout,
            manifest,
            manifest_path,
            layers,
        }
    }

    fn reference(&self) -> String {
        format!("oci:{}:v1", self.layout.display())
    }

    /// Store a changed manifest under its new digest and point the index
    /// at it.
    fn rewrite_manifest(&self, change: impl FnOnce(&mut serde_json::Value)) {
        let mut m = self.manifest.clone();
        change(&mut m);
        let bytes = serde_json::to_vec(&m).unwrap();
        let hex = sha256_hex(&bytes);
        fs::write(self.layout.join("blobs/sha256").join(&hex), &bytes).unwrap();
        self.point_index_at(&format!("sha256:{hex}"), bytes.len());
    }

    fn point_index_at(&self, digest: &str, size: usize) {
        let path = self.layout.join("index.json");
        let mut index = json_of(&fs::read(&path).unwrap());
        index["manifests"][0]["digest"] = serde_json::json!(digest);
        index["manifests"][0]["size"] = serde_json::json!(size);
        fs::write(&path, serde_json::to_vec(&index).unwrap()).unwrap();
    }

    /// Runs `plimsoll image` and returns its one line of error.
    fn error(&self, extra: &[&str]) -> String {
        let reference = self.reference();
        let out = plimsoll()
            .arg("image")
            .args(extra)
            .arg(&reference)
            .assert()
            .code(2)
            .get_output()
            .clone();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.stdout.iter().all(u8::is_ascii_whitespace) || !out.stdout.is_empty());
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with(&format!("plimsoll: error: {reference}: ")),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        stderr
    }
}

#[test]
fn truncated_layer() {
    let b = Broken::new("bad-truncated");
    let bytes = fs::read(&b.layers[0]).unwrap();
    fs::write(&b.layers[0], &bytes[..bytes.len() / 2]).unwrap();
    let e = b.error(&[]);
    assert!(e.contains("layer 1 (sha256:"), "{e}");
}

#[test]
fn corrupt_gzip() {
    let b = Broken::new("bad-gzip");
    let mut bytes = fs::read(&b.layers[0]).unwrap();
    let mid = bytes.len() / 2;
    for x in &mut bytes[mid..mid + 32] {
        *x ^= 0x5a;
    }
    fs::write(&b.layers[0], &bytes).unwrap();
    let e = b.error(&[]);
    assert!(e.contains("layer 1 (sha256:") && e.contains("gzip"), "{e}");
}

#[test]
fn wrong_digest() {
    let b = Broken::new("bad-digest");
    // A valid gzip layer, but not the one the manifest names.
    fs::copy(&b.layers[1], &b.layers[0]).unwrap();
    let e = b.error(&[]);
    assert!(e.contains("does not match its digest"), "{e}");
}

#[test]
fn missing_blob() {
    let b = Broken::new("bad-missing");
    fs::remove_file(&b.layers[1]).unwrap();
    let e = b.error(&[]);
    assert!(
        e.contains("layer 2 (sha256:") && e.contains("missing from"),
        "{e}"
    );
}

#[test]
fn unknown_layer_media_type() {
    let b = Broken::new("bad-media-type");
    b.rewrite_manifest(|m| {
        m["layers"][1]["mediaType"] = serde_json::json!("application/vnd.example.layer+secret");
    });
    let e = b.error(&[]);
    assert!(
        e.contains("unknown layer media type `application/vnd.example.layer+secret`"),
        "{e}"
    );
}

#[test]
fn manifest_pointing_nowhere() {
    let b = Broken::new("bad-nowhere");
    fs::remove_file(&b.manifest_path).unwrap();
    let e = b.error(&[]);
    assert!(
        e.contains("manifest sha256:") && e.contains("missing from"),
        "{e}"
    );
    // A manifest whose config is not in the layout.
    let b = Broken::new("bad-config");
    b.rewrite_manifest(|m| {
        m["config"]["digest"] = serde_json::json!(format!("sha256:{}", "0".repeat(64)));
    });
    let e = b.error(&[]);
    assert!(e.contains("config sha256:0000"), "{e}");
}

#[test]
fn decompression_bomb_stops_at_the_limit() {
    // Layer 1 expands 300,000 bytes of one value from a few hundred.
    let b = Broken::new("bad-bomb");
    let e = b.error(&["--max-layer-size", "100KB"]);
    assert!(
        e.contains("layer 1 (sha256:") && e.contains("--max-layer-size"),
        "{e}"
    );
    let e = b.error(&["--max-layer-files", "1"]);
    assert!(e.contains("--max-layer-files"), "{e}");
}
