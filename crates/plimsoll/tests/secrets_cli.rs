//! Secrets never print: `plimsoll check` on a Dockerfile with literal
//! credentials and `plimsoll image` on a real image (built with umoci)
//! that adds a token in one layer and deletes it in the next. Both in the
//! terminal and as JSON.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use support::Umoci;

const HINT: &str = "needs umoci: apt-get install -y umoci";
const NPM_TOKEN: &str = "npm_PKR0CsTy4Qwb8DwkNhFdnXsiVpzz63FfkCzJ";
const GITHUB_TOKEN: &str = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";
const BUILD_ARG: &str = "npm_Zq8vL2mK9xT4wR7yB3nC6hJ1dF5gS0aE2uP4";

/// Layer 1 writes `/root/.npmrc` with a token, layer 2 deletes it and
/// records a secret build argument; the config sets a token in Env.
fn image() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let image = Umoci::new(
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("plimsoll-secrets-cli"),
            HINT,
        );
        image.write(
            "root/.npmrc",
            format!("//registry.npmjs.org/:_authToken={NPM_TOKEN}\n").as_bytes(),
        );
        image.repack("COPY .npmrc /root/.npmrc");
        image.remove("root/.npmrc");
        image.repack(&format!(
            "RUN |1 NPM_TOKEN={BUILD_ARG} /bin/sh -c npm ci && rm /root/.npmrc # buildkit"
        ));
        image.config(&[
            "--config.user",
            "1000",
            "--config.env",
            &format!("GITHUB_TOKEN={GITHUB_TOKEN}"),
        ]);
        let root = image.root().to_path_buf();
        fs::write(
            root.join("Dockerfile"),
            format!(
                "FROM node:22-slim\nENV GH={GITHUB_TOKEN}\nARG NPM_TOKEN\n\
                 RUN echo \"//registry.npmjs.org/:_authToken={NPM_TOKEN}\" > /root/.npmrc\n"
            ),
        )
        .unwrap();
        root
    })
}

fn plimsoll(args: &[&str]) -> String {
    let out = support::plimsoll(image()).args(args).output().unwrap();
    // Findings decide the exit code (1); anything else is a failure.
    assert_eq!(out.status.code(), Some(1), "{args:?}: {out:?}");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn assert_no_secret(output: &str) {
    for s in [NPM_TOKEN, GITHUB_TOKEN, BUILD_ARG] {
        assert!(!output.contains(s), "{s} printed:\n{output}");
    }
}

#[test]
fn image_secrets_are_found_with_layer_and_path_and_never_printed() {
    let json = plimsoll(&["image", "--format", "json", "oci:oci:v1"]);
    assert_no_secret(&json);
    let findings: serde_json::Value = serde_json::from_str(&json).unwrap();
    let messages: Vec<(String, String)> = findings["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let npmrc = messages
        .iter()
        .find(|(c, _)| c == "PL3040")
        .map(|(_, m)| m.as_str())
        .unwrap_or_default();
    assert!(
        findings["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "PL3040" && f["path"] == "/root/.npmrc" && f["layer"] == 0)
            && npmrc.contains("/root/.npmrc in layer 1")
            && npmrc.contains("npm access token on line 1")
            && npmrc.contains("deleted in layer 2"),
        "{messages:#?}"
    );
    for code in ["PL3042", "PL3044"] {
        assert!(messages.iter().any(|(c, _)| c == code), "{messages:#?}");
    }

    let tty = plimsoll(&["image", "oci:oci:v1"]);
    assert_no_secret(&tty);
    assert!(
        tty.contains("PL3040") && tty.contains("NPM_TOKEN=***"),
        "{tty}"
    );
    let analysis = plimsoll(&["image", "--analysis", "oci:oci:v1"]);
    assert_no_secret(&analysis);
}

#[test]
fn dockerfile_secrets_are_masked() {
    for format in ["tty", "json", "sarif"] {
        let out = plimsoll(&["check", "--format", format, "Dockerfile"]);
        assert_no_secret(&out);
        for code in ["PL1201", "PL1202"] {
            assert!(out.contains(code), "{format}: {code} missing:\n{out}");
        }
    }
}
