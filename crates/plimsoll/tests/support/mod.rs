//! Helpers shared by the `plimsoll` crate's integration tests: the
//! `plimsoll` command kept apart from the user's environment, files
//! written into a temporary directory, JSON reports read back. External
//! programs (umoci, skopeo, openssl) are run and umoci images built by
//! the `plimsoll-testkit` crate, shared with plimsoll-image's tests and
//! re-exported here. Each test file says `mod support;`; not every file
//! uses every helper.

#![allow(dead_code, unused_imports)]

pub use plimsoll_testkit::{
    Applets, Umoci, content, copy_dir, install_busybox, path_with, run_tool, script, tool,
};

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

/// The SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
