//! `plimsoll image` end to end on a real image built with umoci and
//! converted with skopeo (Debian packages `umoci skopeo`; scripts/test
//! installs them).

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const HINT: &str = "needs umoci and skopeo: apt-get install -y umoci skopeo";

fn run(dir: &Path, program: &str, args: &[&str]) {
    let out = std::process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e} ({HINT})"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// An OCI layout (tag `v1`) and a docker-archive of it. Layer 1 stores a
/// 300,000-byte file and a 50,000-byte file, layer 2 deletes the first
/// and overwrites the second with 10 bytes: 350,000 bytes wasted.
fn image() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plimsoll-image-cli");
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        run(&root, "umoci", &["init", "--layout", "oci"]);
        run(&root, "umoci", &["new", "--image", "oci:v1"]);
        run(
            &root,
            "umoci",
            &["unpack", "--rootless", "--image", "oci:v1", "bundle"],
        );
        let rootfs = root.join("bundle/rootfs");
        fs::create_dir_all(rootfs.join("data")).unwrap();
        fs::write(rootfs.join("data/big.bin"), vec![7u8; 300_000]).unwrap();
        fs::write(rootfs.join("data/config"), vec![1u8; 50_000]).unwrap();
        let repack = |step: &str| {
            run(
                &root,
                "umoci",
                &[
                    "repack",
                    "--refresh-bundle",
                    "--image",
                    "oci:v1",
                    "--history.created_by",
                    step,
                    "bundle",
                ],
            )
        };
        repack("COPY data/ /data/");
        fs::remove_file(rootfs.join("data/big.bin")).unwrap();
        fs::write(rootfs.join("data/config"), b"small=true").unwrap();
        repack("RUN rm /data/big.bin && echo small=true > /data/config");
        run(
            &root,
            "skopeo",
            &[
                "copy",
                "--quiet",
                "oci:oci:v1",
                "docker-archive:image.tar:app:v1",
            ],
        );
        root
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
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
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
