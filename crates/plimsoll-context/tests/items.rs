mod common;

use common::{tree, walk};
use plimsoll_context::{ItemKind, SecretKind, classify_secret};

const KEY: &str =
    "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\n";

#[test]
fn secret_classification() {
    let dir = tree(&[
        (".env", "A=1"),
        (".env.production", "A=1"),
        (".env.example", "A="),
        (".env.local.sample", "A="),
        ("config/tls.key", KEY),
        ("config/ca.pem", "-----BEGIN CERTIFICATE-----\n"),
        ("home/.ssh/deploy", "k"),
        ("home/.ssh/deploy.pub", "ssh-ed25519 AAAA"),
        ("home/.ssh/known_hosts", "host"),
        ("id_ed25519", "k"),
        (".aws/credentials", "[default]"),
        (".aws/config", "[default]"),
        (
            ".npmrc",
            "//r/:_authToken=0f3c9a7e-5b1d-4e8f-a2c6-9d7b3e1f5a08",
        ),
        // A variable, filled in at build time: the file holds no secret.
        ("ci/.npmrc", "//r/:_authToken=${NPM_TOKEN}"),
        ("web/.npmrc", "save-exact=true"),
        (
            ".pypirc",
            "[pypi]\nusername = __token__\npassword = pypi-x\n",
        ),
        ("other/.pypirc", "[pypi]\nusername = me\n"),
        (".git-credentials", "https://u:p@host"),
        (".netrc", "machine h login u password p"),
        (
            ".docker/config.json",
            "{\"auths\":{\"r\":{\"auth\":\"eA==\"}}}",
        ),
        ("vendor/x/.env", "A=1"),
        ("tests/fixtures/key.pem", KEY),
    ]);
    let ctx = walk(dir.path());
    let kind = |path: &str| classify_secret(&ctx, ctx.entry(path).unwrap());
    assert_eq!(kind(".env"), Some(SecretKind::DotEnv));
    assert_eq!(kind(".env.production"), Some(SecretKind::DotEnv));
    assert_eq!(kind(".env.example"), None);
    assert_eq!(kind(".env.local.sample"), None);
    assert_eq!(kind("config/tls.key"), Some(SecretKind::PrivateKey));
    assert_eq!(kind("config/ca.pem"), None);
    assert_eq!(kind("home/.ssh/deploy"), Some(SecretKind::SshKey));
    assert_eq!(kind("home/.ssh/deploy.pub"), None);
    assert_eq!(kind("home/.ssh/known_hosts"), None);
    assert_eq!(kind("id_ed25519"), Some(SecretKind::SshKey));
    assert_eq!(kind(".aws/credentials"), Some(SecretKind::AwsCredentials));
    assert_eq!(kind(".aws/config"), None);
    assert_eq!(kind(".npmrc"), Some(SecretKind::NpmToken));
    assert_eq!(kind("web/.npmrc"), None);
    assert_eq!(kind("ci/.npmrc"), None);
    assert_eq!(kind(".pypirc"), Some(SecretKind::PypiCredentials));
    assert_eq!(kind("other/.pypirc"), None);
    assert_eq!(kind(".git-credentials"), Some(SecretKind::GitCredentials));
    assert_eq!(kind(".netrc"), Some(SecretKind::Netrc));
    assert_eq!(kind(".docker/config.json"), Some(SecretKind::DockerConfig));
    assert_eq!(kind("vendor/x/.env"), None);
    assert_eq!(kind("tests/fixtures/key.pem"), None);
}

#[test]
fn ignorable_items_are_grouped_and_sorted() {
    let dir = tree(&[
        (".git/objects/aa/bb", "0123456789"),
        ("node_modules/a/index.js", "12345"),
        ("node_modules/a/node_modules/b/index.js", "12345"),
        ("packages/web/node_modules/c/index.js", "1"),
        ("py/env/pyvenv.cfg", "home"),
        ("py/env/lib/x.py", "12"),
        ("src/__pycache__/a.pyc", "1"),
        ("lib/__pycache__/b.pyc", "1"),
        ("logs/a.log", "1"),
        ("b.log", "1"),
        (".env", "A=1"),
        ("src/main.py", ""),
    ]);
    let ctx = walk(dir.path());
    let items: Vec<(&str, ItemKind, u64, u64)> = ctx
        .ignorable_items()
        .iter()
        .map(|i| (i.path.as_str(), i.kind, i.files, i.bytes))
        .collect();
    assert_eq!(
        items,
        [
            (".git", ItemKind::Secret(SecretKind::GitDirectory), 1, 10),
            ("node_modules", ItemKind::NodeModules, 2, 10),
            ("py/env", ItemKind::Virtualenv, 2, 6),
            (".env", ItemKind::Secret(SecretKind::DotEnv), 1, 3),
            ("**/*.log", ItemKind::Logs, 2, 2),
            ("**/__pycache__", ItemKind::Cache, 2, 2),
            ("packages/web/node_modules", ItemKind::NodeModules, 1, 1),
        ]
    );
    let patterns: Vec<String> = ctx
        .ignorable_items()
        .iter()
        .map(|i| i.suggested_pattern())
        .collect();
    assert_eq!(patterns[1], "node_modules");
    assert_eq!(patterns[6], "**/node_modules");
}
