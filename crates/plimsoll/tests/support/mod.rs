//! Helpers shared by the `plimsoll` crate's integration tests: the
//! `plimsoll` command kept apart from the user's environment, files
//! written into a temporary directory, JSON reports read back, external
//! programs (umoci, skopeo, openssl) run, and umoci images built.
//! Each test file says `mod support;`; not every file uses every helper.

#![allow(dead_code)]

use assert_cmd::Command;
use sha2::Digest as _;
use std::fs;
use std::path::{Path, PathBuf};

/// `plimsoll` run in `dir`, without colour and without the user's own
/// configuration: no `PLIMSOLL_*` or `HADOLINT_*` variables, and `HOME`
/// and `XDG_CONFIG_HOME` inside `dir` so no hadolint config is found.
pub fn plimsoll(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("plimsoll").unwrap();
    cmd.current_dir(dir)
        .env_remove("PLIMSOLL_CONFIG")
        .env("NO_COLOR", "1")
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir.join(".xdg"));
    for (k, _) in std::env::vars() {
        if k.starts_with("PLIMSOLL_") || k.starts_with("HADOLINT_") {
            cmd.env_remove(k);
        }
    }
    cmd
}

/// Writes `text` to `dir/name`, creating the directories on the way.
pub fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// A JSON report; when it is not JSON, the panic shows the text.
pub fn json_of(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(out)))
}

/// Runs `program ARGS` in `dir` and returns its stdout. Panics with
/// `hint` (how to install it) when the program cannot be started, and
/// with its stderr when it fails.
pub fn run_tool(dir: &Path, program: &str, args: &[&str], hint: &str) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e} ({hint})"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fresh `root` holding an empty umoci image `oci:v1` (OCI layout
/// `oci`) unpacked rootless into `bundle`; returns the bundle's rootfs.
pub fn umoci_bundle(root: &Path, hint: &str) -> PathBuf {
    let _ = fs::remove_dir_all(root);
    fs::create_dir_all(root).unwrap();
    let umoci = |args: &[&str]| run_tool(root, "umoci", args, hint);
    umoci(&["init", "--layout", "oci"]);
    umoci(&["new", "--image", "oci:v1"]);
    umoci(&["unpack", "--rootless", "--image", "oci:v1", "bundle"]);
    root.join("bundle/rootfs")
}

/// Repacks `root/bundle` into `oci:v1` as a new layer whose history says
/// `step` (as a Dockerfile step would).
pub fn umoci_repack(root: &Path, step: &str, hint: &str) {
    run_tool(
        root,
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
        hint,
    );
}

/// The SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
