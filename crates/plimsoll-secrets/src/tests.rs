//! True and false positives for every rule.

use super::*;

/// A deterministic random string over `alphabet` (xorshift), so tests
/// carry no literal credential-shaped strings beyond the ones they show.
pub(crate) fn random(alphabet: &str, len: usize, seed: u64) -> String {
    let chars: Vec<char> = alphabet.chars().collect();
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            chars[(x % chars.len() as u64) as usize]
        })
        .collect()
}

const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const BASE64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URLSAFE: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

fn scan(text: &str, path: Option<&str>) -> Vec<(&'static str, String)> {
    Scanner::global()
        .scan(text.as_bytes(), path)
        .into_iter()
        .map(|m| {
            assert!(m.range.start <= m.secret.start && m.secret.end <= m.range.end);
            (m.rule.id, text[m.secret].to_string())
        })
        .collect()
}

/// `text` holds exactly one secret, `secret`, found by rule `id`.
#[track_caller]
fn finds(id: &str, text: &str, secret: &str, path: Option<&str>) {
    assert_eq!(
        scan(text, path),
        [(id_static(id), secret.to_string())],
        "in {text:?}"
    );
}

fn id_static(id: &str) -> &'static str {
    rules().find(|r| r.id == id).expect("known rule").id
}

#[track_caller]
fn quiet(text: &str, path: Option<&str>) {
    assert_eq!(scan(text, path), [], "in {text:?}");
}

#[test]
fn aws_access_key_id() {
    let key = format!("AKIA{}", random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 1));
    finds(
        "aws-access-key-id",
        &format!("aws_access_key_id = {key}\n"),
        &key,
        None,
    );
    let sts = format!("ASIA{}", random("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 2));
    finds(
        "aws-access-key-id",
        &format!("\"AccessKeyId\": \"{sts}\""),
        &sts,
        None,
    );
    // AWS's documentation key is a stand-in.
    quiet("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", None);
    // Part of a longer word; lower case; wrong alphabet (0, 1, 8, 9 are not base32).
    quiet(&format!("X{key}"), None);
    quiet(&key.to_ascii_lowercase(), None);
    quiet("AKIA0123456789018901", None);
}

#[test]
fn aws_secret_access_key() {
    let secret = random(BASE64, 40, 3);
    finds(
        "aws-secret-access-key",
        &format!("aws_secret_access_key = {secret}\n"),
        &secret,
        None,
    );
    finds(
        "aws-secret-access-key",
        &format!("RUN aws configure set aws_secret_access_key {secret}"),
        &secret,
        None,
    );
    finds(
        "aws-secret-access-key",
        &format!("\"SecretAccessKey\": \"{secret}\""),
        &secret,
        None,
    );
    quiet(
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        None,
    );
    // 41 characters is not an AWS secret key (but still a secret).
    let long = format!("{secret}Z");
    finds(
        "generic-secret",
        &format!("aws_secret_access_key = {long}"),
        &long,
        None,
    );
    quiet("AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}", None);
}

fn pem(kind: &str, seed: u64) -> (String, String) {
    let body: Vec<String> = (0..12).map(|i| random(BASE64, 64, seed + i)).collect();
    let body = body.join("\n");
    (
        format!("-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n"),
        body,
    )
}

#[test]
fn private_keys() {
    for kind in [
        "RSA PRIVATE KEY",
        "EC PRIVATE KEY",
        "DSA PRIVATE KEY",
        "PRIVATE KEY",
        "ENCRYPTED PRIVATE KEY",
        "OPENSSH PRIVATE KEY",
        "PGP PRIVATE KEY BLOCK",
    ] {
        let (text, body) = pem(kind, 10);
        finds("private-key", &text, &body, None);
        let found = Scanner::global().scan(text.as_bytes(), None);
        assert_eq!(found[0].range, 0..text.len() - 1, "{kind}");
    }
    // In a JSON string with escaped newlines.
    let (text, _) = pem("PRIVATE KEY", 30);
    let escaped = format!("{{\"key\": \"{}\"}}", text.replace('\n', "\\n"));
    assert_eq!(scan(&escaped, None)[0].0, "private-key");
    // Documentation's elided keys, and public keys and certificates.
    quiet(
        "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----\n",
        None,
    );
    quiet(
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA...\n-----END RSA PRIVATE KEY-----\n",
        None,
    );
    quiet(&pem("PUBLIC KEY", 40).0, None);
    quiet(&pem("CERTIFICATE", 41).0, None);
    // A key cut off by the end of the input is still a key.
    let (text, _) = pem("RSA PRIVATE KEY", 50);
    let cut = &text[..text.len() / 2];
    assert_eq!(scan(cut, None)[0].0, "private-key");
}

#[test]
fn github_tokens() {
    for prefix in ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"] {
        let t = format!("{prefix}{}", random(ALNUM, 36, 4));
        finds("github-token", &format!("token: {t}\n"), &t, None);
    }
    let fine = format!(
        "github_pat_{}_{}",
        random(ALNUM, 22, 5),
        random(ALNUM, 59, 6)
    );
    finds(
        "github-fine-grained-token",
        &format!("GH={fine}"),
        &fine,
        None,
    );
    quiet("ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", None);
    quiet("ghp_************************************", None);
    quiet("export GITHUB_TOKEN=ghp_...", None);
    // Too short.
    quiet(&format!("ghp_{}", random(ALNUM, 20, 7)), None);
}

#[test]
fn gitlab_tokens() {
    let t = format!("glpat-{}", random(URLSAFE, 20, 8));
    finds("gitlab-token", &format!("PRIVATE-TOKEN: {t}"), &t, None);
    let routable = format!("glpat-{}.01.{}", random(URLSAFE, 40, 9), "0abc12de3");
    finds("gitlab-token", &format!("{routable}\n"), &routable, None);
    quiet("glpat-xxxxxxxxxxxxxxxxxxxx", None);
    quiet("glpat-<your-token>", None);
}

#[test]
fn slack() {
    let bot = format!(
        "xoxb-{}-{}-{}",
        random("0123456789", 11, 10),
        random("0123456789", 12, 11),
        random(ALNUM, 24, 12)
    );
    finds("slack-token", &format!("SLACK_BOT_TOKEN={bot}"), &bot, None);
    quiet("xoxb-not-a-real-token-this-will-not-work", None);
    quiet("xoxb-your-bot-token-here", None);
    let hook = format!(
        "T{}/B{}/{}",
        random("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 8, 13),
        random("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 10, 14),
        random(ALNUM, 24, 15)
    );
    finds(
        "slack-webhook",
        &format!("curl https://hooks.slack.com/services/{hook}"),
        &hook,
        None,
    );
    quiet(
        "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        None,
    );
}

#[test]
fn stripe_npm_pypi() {
    let sk = format!("sk_live_{}", random(ALNUM, 24, 16));
    finds(
        "stripe-live-key",
        &format!("stripe.api_key = \"{sk}\""),
        &sk,
        None,
    );
    quiet(&format!("sk_test_{}", random(ALNUM, 24, 16)), None);
    let npm = format!("npm_{}", random(ALNUM, 36, 17));
    finds("npm-token", &format!("NPM_TOKEN={npm}\n"), &npm, None);
    quiet("npm_config_cache_lock_stale_is_a_config_name", None);
    let pypi = format!("pypi-AgEIcHlwaS5vcmc{}", random(URLSAFE, 70, 18));
    finds("pypi-token", &format!("password = {pypi}\n"), &pypi, None);
}

#[test]
fn other_token_formats() {
    let cases = [
        ("google-api-key", format!("AIza{}", random(URLSAFE, 35, 19))),
        (
            "openai-api-key",
            format!("sk-proj-{}", random(URLSAFE, 80, 20)),
        ),
        (
            "anthropic-api-key",
            format!("sk-ant-api03-{}", random(URLSAFE, 95, 21)),
        ),
        (
            "huggingface-token",
            format!(
                "hf_{}",
                random(
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                    34,
                    22
                )
            ),
        ),
        (
            "sendgrid-api-key",
            format!("SG.{}.{}", random(URLSAFE, 22, 23), random(URLSAFE, 43, 24)),
        ),
        ("vault-token", format!("hvs.{}", random(URLSAFE, 95, 25))),
        (
            "digitalocean-token",
            format!("dop_v1_{}", random("0123456789abcdef", 64, 26)),
        ),
    ];
    for (id, t) in cases {
        finds(id, &format!("value: {t}\n"), &t, None);
    }
    let account = random(BASE64, 86, 27) + "==";
    finds(
        "azure-storage-key",
        &format!("DefaultEndpointsProtocol=https;AccountName=x;AccountKey={account};"),
        &account,
        None,
    );
    quiet(
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;",
        None,
    );
}

#[test]
fn gcp_service_account() {
    let (key, _) = pem("PRIVATE KEY", 60);
    let escaped = key.replace('\n', "\\n");
    let json = format!(
        "{{\n  \"type\": \"service_account\",\n  \"project_id\": \"p\",\n  \"private_key_id\": \"{}\",\n  \"private_key\": \"{escaped}\",\n  \"client_email\": \"a@p.iam.gserviceaccount.com\"\n}}\n",
        random("0123456789abcdef", 40, 61)
    );
    let found = scan(&json, Some("sa.json"));
    assert_eq!(found, [("gcp-service-account", escaped)]);
    // The type alone, without a key.
    quiet(
        "{\"type\": \"service_account\", \"project_id\": \"p\"}",
        None,
    );
}

#[test]
fn docker_config() {
    // base64("builder:s3cr3t-Passw0rd")
    let json =
        r#"{"auths": {"registry.example.com": {"auth": "YnVpbGRlcjpzM2NyM3QtUGFzc3cwcmQ="}}}"#;
    finds(
        "docker-config-auth",
        json,
        "YnVpbGRlcjpzM2NyM3QtUGFzc3cwcmQ=",
        Some(".docker/config.json"),
    );
    // No colon once decoded; an empty password; not base64.
    quiet(r#"{"auth": "aGVsbG8gd29ybGQ="}"#, None);
    quiet(r#"{"auth": "dXNlcjo="}"#, None);
    quiet(r#"{"auth": "basic"}"#, None);
}

#[test]
fn npmrc() {
    let t = format!("npm_{}", random(ALNUM, 36, 28));
    // The npm token rule owns the token; the line is the npmrc rule's
    // when the token has no known format.
    finds(
        "npm-token",
        &format!("//registry.npmjs.org/:_authToken={t}\n"),
        &t,
        Some(".npmrc"),
    );
    let legacy = random("0123456789abcdef", 8, 29)
        + "-"
        + &random("0123456789abcdef", 4, 30)
        + "-"
        + &random("0123456789abcdef", 12, 31);
    finds(
        "npmrc-auth",
        &format!("//npm.corp.example:8443/:_authToken={legacy}\n"),
        &legacy,
        None,
    );
    finds(
        "npmrc-auth",
        "_auth=YnVpbGRlcjpzM2NyM3Q=\nalways-auth=true\n",
        "YnVpbGRlcjpzM2NyM3Q=",
        Some("home/app/.npmrc"),
    );
    // Variables and templates are how it should be done.
    quiet(
        "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n",
        Some(".npmrc"),
    );
    quiet(
        "RUN echo \"//registry.npmjs.org/:_authToken=$NPM_TOKEN\" > .npmrc",
        None,
    );
    // Not an npmrc and not registry-scoped: code.
    quiet("self._auth = build_auth_header(user)", Some("client.py"));
    let yarn = format!("npmAuthToken: {legacy}\n");
    finds("yarnrc-auth", &yarn, &legacy, Some(".yarnrc.yml"));
}

#[test]
fn pypirc_and_netrc() {
    let pypirc =
        "[distutils]\nindex-servers = pypi\n\n[pypi]\nusername = builder\npassword = Hunt3r-22\n";
    finds(
        "pypirc-password",
        pypirc,
        "Hunt3r-22",
        Some("/root/.pypirc"),
    );
    quiet(
        "[pypi]\nusername = __token__\npassword = <your token>\n",
        Some(".pypirc"),
    );
    // Elsewhere the generic rule wants more randomness.
    quiet("[pypi]\npassword = hunter22\n", Some("setup.cfg"));
    finds(
        "netrc-password",
        "machine github.com login ci password Zq7-pLx93-vKe\n",
        "Zq7-pLx93-vKe",
        Some(".netrc"),
    );
    quiet("machine github.com login ci password $GITHUB_TOKEN\n", None);
}

#[test]
fn jwt() {
    let header = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";
    // {"sub":"build-bot","iat":1700000000}
    let payload = "eyJzdWIiOiJidWlsZC1ib3QiLCJpYXQiOjE3MDAwMDAwMDB9";
    let jwt = format!("{header}.{payload}.{}", random(URLSAFE, 43, 32));
    finds("jwt", &format!("Authorization: Bearer {jwt}"), &jwt, None);
    // jwt.io's sample.
    quiet(
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        None,
    );
    // Not a JWT header.
    quiet(
        &format!("eyJub3RoaW5nIjoxfQ.{payload}.{}", random(URLSAFE, 43, 33)),
        None,
    );
}

#[test]
fn url_passwords() {
    finds(
        "url-password",
        "pip install --index-url https://ci:Xk39-fLq2-pW7z@pypi.corp.example/simple app",
        "Xk39-fLq2-pW7z",
        None,
    );
    quiet("postgres://postgres:postgres@db:5432/app", None);
    quiet("https://user:password@example.com", None);
    quiet("https://${USER}:${PASS}@example.com", None);
    quiet(
        "git clone https://$GITHUB_USER:$GITHUB_TOKEN@github.com/a/b",
        None,
    );
    quiet("see http://host:8080/path@v2", None);
}

#[test]
fn generic_assignments() {
    for (text, secret, path) in [
        (
            "ENV DB_PASSWORD=s3cr3tP4ss-x",
            "s3cr3tP4ss-x",
            Some("Dockerfile"),
        ),
        ("DB_PASSWORD=Tr0ub4dor&3x\n", "Tr0ub4dor&3x", Some(".env")),
        (
            "password: \"Qm8#zL2vW\"\n",
            "Qm8#zL2vW",
            Some("config.yaml"),
        ),
        (
            "SECRET_KEY = 'django-insecure-k2#9xq@z!7w^v0m3p(l8r'\n",
            "django-insecure-k2#9xq@z!7w^v0m3p(l8r",
            Some("settings.py"),
        ),
        (
            "api_key=\"a8f5f167f44f4964e6c998dee827110c\"",
            "a8f5f167f44f4964e6c998dee827110c",
            None,
        ),
        ("LDAP_ROOTPASS=Xk39-fLq2-pW7z", "Xk39-fLq2-pW7z", None),
        (
            "JWT_SIGNING_KEY: 'k2#9xq@z!7w^v0m3'",
            "k2#9xq@z!7w^v0m3",
            None,
        ),
        (
            "\"clientSecret\": \"Wq3vZ9kLp2xT\"",
            "Wq3vZ9kLp2xT",
            Some("appsettings.json"),
        ),
        (
            "spring.datasource.password=Wq3vZ9kLp2\n",
            "Wq3vZ9kLp2",
            Some("application.properties"),
        ),
    ] {
        finds("generic-secret", text, secret, path);
    }
    for (text, path) in [
        ("DB_PASSWORD=changeme", None),
        ("DB_PASSWORD=${DB_PASSWORD}", None),
        ("DB_PASSWORD=$DB_PASSWORD", None),
        ("password: <password>", None),
        ("password = \"xxxxxxxxxx\"", None),
        ("PASSWORD=example123", None),
        ("DB_PASSWORD_FILE=/run/secrets/db_password", None),
        ("TOKEN_URL=https://auth.example.com/token", None),
        ("password = request.form.get2", Some("app.py")),
        ("token = self.refresh_token3", Some("app.py")),
        ("password = getpass.getpass(prompt)", Some("app.py")),
        ("if password == \"\":", Some("app.py")),
        ("Password: see the admin guide", Some("README")),
        ("max_tokens=4096", None),
        ("token_type: Bearer", None),
        ("password=hunter2", None),
        ("password: mypassword1", None),
        ("SECRET_KEY=secret-key-1", None),
        ("GPG_KEY=0x4E1F799AA4FF2279", None),
        ("\"integrity\": \"sha512-3Xk9q2\"", None),
        ("password: {{ .Values.password }}", None),
        ("TOKEN=20240101123456", None),
        ("bypass=Xk39-fLq2-pW7z", None),
        ("cache_key = Xk39-fLq2-pW7z", None),
        ("GPG_KEY=0x4E1F799AA4FF2279AB", None),
    ] {
        quiet(text, path);
    }
}

#[test]
fn specific_rules_win_over_generic_ones() {
    let t = format!("ghp_{}", random(ALNUM, 36, 34));
    let found = scan(&format!("GITHUB_TOKEN={t}"), None);
    assert_eq!(found, [("github-token", t)]);
}

#[test]
fn high_confidence_leaves_out_generic_rules() {
    let text = b"DB_PASSWORD=s3cr3tP4ss-x\n";
    assert_eq!(Scanner::global().scan(text, None).len(), 1);
    assert!(
        Scanner::global()
            .scan_with(text, None, ScanOptions::high_confidence())
            .is_empty()
    );
}

#[test]
fn lines_and_non_utf8() {
    let t = format!("ghp_{}", random(ALNUM, 36, 35));
    let mut data = b"\xff\xfe garbage\nline two\n".to_vec();
    data.extend_from_slice(format!("x = {t}\n").as_bytes());
    let found = Scanner::global().scan(&data, None);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].line, 3);
    assert_eq!(&data[found[0].secret.clone()], t.as_bytes());
}

#[test]
fn stream_matches_whole_scan_across_windows() {
    // Secrets placed around window edges, in pieces of awkward sizes.
    let mut data = Vec::new();
    let mut expected = Vec::new();
    let filler = b"lorem ipsum dolor sit amet, consectetur adipiscing elit\n";
    let edges = [
        StreamScanner::WINDOW - 20,
        2 * StreamScanner::WINDOW - StreamScanner::OVERLAP - 10,
        3 * StreamScanner::WINDOW + 5,
    ];
    for (i, edge) in edges.iter().enumerate() {
        while data.len() < *edge {
            data.extend_from_slice(filler);
        }
        let t = format!("ghp_{}", random(ALNUM, 36, 100 + i as u64));
        data.extend_from_slice(b" ");
        let start = data.len();
        data.extend_from_slice(t.as_bytes());
        expected.push(start..data.len());
        data.extend_from_slice(b"\n");
    }
    let (key, _) = pem("RSA PRIVATE KEY", 200);
    while data.len() < 4 * StreamScanner::WINDOW - 1000 {
        data.extend_from_slice(filler);
    }
    data.extend_from_slice(key.as_bytes());
    data.extend_from_slice(filler);

    let whole = Scanner::global().scan(&data, None);
    for piece in [1usize, 4096, 100_000, StreamScanner::WINDOW + 7] {
        let mut s = Scanner::global().stream(None, ScanOptions::default());
        for chunk in data.chunks(piece.max(1).min(data.len())) {
            // One-byte pieces are slow: feed them for a stretch only.
            s.push(chunk);
            if piece == 1 && s.position() > StreamScanner::WINDOW + 100 {
                s.push(&data[s.position()..]);
                break;
            }
        }
        let streamed = s.finish();
        assert_eq!(streamed, whole, "pieces of {piece}");
    }
    let ranges: Vec<_> = whole.iter().map(|m| m.secret.clone()).collect();
    assert_eq!(&ranges[..3], &expected[..]);
    assert_eq!(whole[3].rule.id, "private-key");
}

#[test]
fn every_rule_has_an_id_title_and_keywords() {
    let mut ids = std::collections::HashSet::new();
    for def in rules::DEFS {
        assert!(ids.insert(def.rule.id), "duplicate {}", def.rule.id);
        assert!(!def.rule.title.is_empty());
        assert!(!def.keywords.is_empty(), "{}", def.rule.id);
    }
    // Compiling every pattern.
    let _ = Scanner::new();
}

#[test]
fn never_panics_on_odd_input() {
    let scanner = Scanner::global();
    for input in [
        &b""[..],
        b"-----BEGIN PRIVATE KEY-----",
        b"\"type\": \"service_account\" \"private_key\": \"",
        b"\"type\": \"service_account\" \"private_key\": \"\\",
        b"\"auth\": \"=\"",
        b"eyJ.eyJ.",
        b"machine",
        b"password=",
        b"\xff\xff\xff password=\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8",
    ] {
        let _ = scanner.scan(input, Some(".npmrc"));
        let _ = scanner.scan(input, None);
    }
}

/// Found by the `secrets` fuzz target: a token inside the range of an
/// earlier match (a service-account JSON) was dropped by the streaming
/// form.
#[test]
fn stream_keeps_matches_nested_in_earlier_ranges() {
    let data = include_bytes!("../tests/data/nested-in-range.txt");
    let whole = Scanner::global().scan(data, None);
    assert!(whole.iter().any(|m| m.rule.id == "aws-access-key-id"));
    let mut s = Scanner::global().stream(None, ScanOptions::default());
    for piece in data.chunks(7) {
        s.push(piece);
    }
    assert_eq!(s.finish(), whole);
}
