//! Secrets in a real image built with umoci (Debian package `umoci`): a
//! layer adds credentials, the next deletes them, the config and history
//! carry more. Every one is found with its layer and path, and no finding
//! (nor the analysis) contains a secret.

mod support;

use plimsoll_image::{CheckOptions, OpenOptions, inspect};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use support::{HINT, Umoci};

const NPM_TOKEN: &str = "npm_PKR0CsTy4Qwb8DwkNhFdnXsiVpzz63FfkCzJ";
const GITHUB_TOKEN: &str = "ghp_u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8d";
const GITLAB_TOKEN: &str = "glpat-Jr3J1TWDtkwtDDb_xHKa";
const DB_PASSWORD: &str = "Xk39fLq2pW7zQ";
const BUILD_ARG: &str = "npm_Zq8vL2mK9xT4wR7yB3nC6hJ1dF5gS0aE2uP4";
const KEY_LINE: &str = "MIIEowIBAAKCAQEAwJ0Fq8Wv3pR2kL9mZx7tYb1nC4sH6dG0aE5uP8iO2lK3jM7v";

fn private_key() -> String {
    let mut s = String::from("-----BEGIN RSA PRIVATE KEY-----\n");
    for i in 0..8 {
        // Distinct lines, base64 alphabet.
        let line: String = KEY_LINE.chars().cycle().skip(i * 7).take(64).collect();
        s.push_str(&line);
        s.push('\n');
    }
    s.push_str("-----END RSA PRIVATE KEY-----\n");
    s
}

/// `oci:<dir>/oci:v1`. Layer 1 (`COPY secrets/ /`) adds `.npmrc`, an SSH
/// key, an app config, `.env`, and decoys that must stay quiet; layer 2
/// deletes `.npmrc` and `.ssh`, recording a secret build argument.
fn image() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let image = Umoci::new(
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("plimsoll-secrets-image"),
            HINT,
        );
        let write = |path: &str, data: &[u8]| image.write(path, data);
        write(
            "root/.npmrc",
            format!("//registry.npmjs.org/:_authToken={NPM_TOKEN}\n").as_bytes(),
        );
        write("root/.ssh/id_rsa", private_key().as_bytes());
        write("root/.ssh/known_hosts", b"github.com ssh-ed25519 AAAA\n");
        write(
            "app/config.yaml",
            format!("db:\n  host: db\n  password: \"{DB_PASSWORD}\"\n").as_bytes(),
        );
        write("app/.env", b"NODE_ENV=production\n");
        write(
            "root/.git-credentials",
            b"https://ci:not-a-known-format-but-a-file@github.com\n",
        );
        // Decoys: a binary file, documentation, a documentation key, and a
        // placeholder.
        let mut binary = b"\x7fELF\x02\x01\x01\x00".to_vec();
        binary.extend_from_slice(GITHUB_TOKEN.as_bytes());
        write("usr/bin/tool", &binary);
        write(
            "usr/share/doc/tool/README",
            format!("export GITHUB_TOKEN={GITHUB_TOKEN}\n").as_bytes(),
        );
        write(
            "app/settings.ini",
            b"aws_access_key_id = AKIAIOSFODNN7EXAMPLE\npassword = ${DB_PASSWORD}\n",
        );
        let repack = |step: &str| image.repack(step);
        repack("COPY secrets/ /");
        image.remove("root/.npmrc");
        image.remove("root/.ssh");
        repack(&format!(
            "RUN |1 NPM_TOKEN={BUILD_ARG} /bin/sh -c npm ci && rm -rf /root/.npmrc /root/.ssh # buildkit"
        ));
        image.config(&[
            "--config.user",
            "1000",
            "--config.env",
            &format!("GITHUB_TOKEN={GITHUB_TOKEN}"),
            "--config.env",
            "PATH=/usr/bin:/bin",
            "--config.label",
            &format!("deploy.token={GITLAB_TOKEN}"),
            "--config.label",
            "org.opencontainers.image.title=app",
        ]);
        image.root().to_path_buf()
    })
}

const SECRETS: [&str; 6] = [
    NPM_TOKEN,
    GITHUB_TOKEN,
    GITLAB_TOKEN,
    DB_PASSWORD,
    BUILD_ARG,
    KEY_LINE,
];

#[test]
fn secrets_in_layers_config_and_history() {
    let reference = format!("oci:{}:v1", image().join("oci").display());
    let found = inspect(
        &reference,
        &OpenOptions::default(),
        &CheckOptions::default(),
    )
    .unwrap();
    let secrets: Vec<(&str, &str)> = found
        .findings
        .iter()
        .filter(|f| f.code.starts_with("PL304"))
        .map(|f| (f.code.as_str(), f.message.as_str()))
        .collect();
    let has = |code: &str, parts: &[&str]| {
        secrets
            .iter()
            .any(|(c, m)| *c == code && parts.iter().all(|p| m.contains(p)))
    };
    // The deleted `.npmrc` and SSH key: found in layer 1, with the layer
    // that deleted them.
    assert!(
        has(
            "PL3040",
            &[
                "/root/.npmrc in layer 1",
                "credential (npm access token on line 1)",
                "deleted in layer 2, but layer 1 still ships it"
            ]
        ),
        "{secrets:#?}"
    );
    assert!(
        has(
            "PL3040",
            &[
                "/root/.ssh/id_rsa in layer 1",
                "private key on line 1",
                "deleted in layer 2"
            ]
        ),
        "{secrets:#?}"
    );
    assert!(
        has("PL3040", &["/app/config.yaml", "secret on line 3"]),
        "{secrets:#?}"
    );
    // `.git-credentials` is a credential file by its name.
    assert!(
        has(
            "PL3041",
            &[
                "/root/.git-credentials in layer 1",
                "is a credential file (git credentials)"
            ]
        ),
        "{secrets:#?}"
    );
    assert!(
        has("PL3042", &["GITHUB_TOKEN", "GitHub token"]),
        "{secrets:#?}"
    );
    assert!(
        has("PL3043", &["deploy.token", "GitLab token"]),
        "{secrets:#?}"
    );
    assert!(
        has("PL3044", &["NPM_TOKEN", "history step 2", "NPM_TOKEN=***"]),
        "{secrets:#?}"
    );
    // Decoys stay quiet; each thing is reported once.
    assert_eq!(secrets.len(), 7, "{secrets:#?}");
    for (_, m) in &secrets {
        assert!(
            !m.contains("usr/bin/tool") && !m.contains("usr/share/doc"),
            "{m}"
        );
        assert!(
            !m.contains("known_hosts") && !m.contains("settings.ini"),
            "{m}"
        );
        assert!(!m.contains(".env"), "{m}");
    }
    // No secret anywhere: findings, or the analysis that reporters print.
    let shown = format!(
        "{:?} {}",
        found.findings,
        serde_json::to_string(&found.analysis).unwrap()
    );
    for s in SECRETS {
        assert!(!shown.contains(s), "{s} leaked");
    }
}

#[test]
fn secrets_can_be_left_out() {
    let reference = format!("oci:{}:v1", image().join("oci").display());
    let options = CheckOptions {
        secrets: false,
        ..CheckOptions::default()
    };
    let found = inspect(&reference, &OpenOptions::default(), &options).unwrap();
    assert!(found.findings.iter().all(|f| !f.code.starts_with("PL304")));
}
