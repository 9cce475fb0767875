//! The rules: one per token format, written from each format's public
//! documentation (prefixes, lengths, alphabets), plus a generic
//! `name = value` rule gated by entropy.
//!
//! Each rule names the keywords that must occur for it to match at all
//! (the prefilter), a regular expression, and a function that picks the
//! secret out of a match and drops stand-ins. Rules are listed most
//! specific first: where two matches share bytes, the earlier rule wins.

use crate::text::{
    base64_decode, char_classes, is_placeholder, is_placeholder_token, is_token_byte,
    shannon_entropy,
};
use regex::bytes::Captures;
use std::ops::Range;

/// How sure a rule is that what it found is a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    /// A token format with a distinctive prefix or structure (`ghp_…`,
    /// `AKIA…`, a PEM private key block).
    High,
    /// A heuristic: a secret-looking name assigned a value random enough
    /// to be a credential, or a password in a URL.
    Medium,
}

/// What a rule finds, for messages and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecretRule {
    /// Stable, kebab-case (`github-token`).
    pub id: &'static str,
    /// For people (`GitHub token`).
    pub title: &'static str,
    pub confidence: Confidence,
}

/// A match as a rule's finisher reports it, relative to the haystack.
pub(crate) struct Found {
    pub range: Range<usize>,
    pub secret: Range<usize>,
    pub name: Option<Range<usize>>,
}

/// What a finisher may look at besides its match.
pub(crate) struct Ctx<'a> {
    pub hay: &'a [u8],
    /// The file name (last path component) of the path hint.
    pub file_name: &'a str,
    /// The path hint names a program source file (`.py`, `.js`, `.go`…),
    /// where a bare word after `=` is code, not a literal.
    pub code: bool,
}

pub(crate) type Finish = fn(&Ctx<'_>, &Captures<'_>) -> Option<Found>;

/// How a rule's keywords are matched.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Case {
    /// Exactly as written.
    Exact,
    /// As written, lower case, upper case and capitalised
    /// (`password`, `PASSWORD`, `Password`, also inside `dbPassword`).
    Any,
}

pub(crate) struct Def {
    pub rule: SecretRule,
    pub keywords: &'static [&'static str],
    pub case: Case,
    pub pattern: &'static str,
    pub finish: Finish,
    /// How far a match may start before a keyword, and end after it: the
    /// regular expression runs only in these windows around keyword hits.
    pub back: usize,
    pub ahead: usize,
}

const fn high(id: &'static str, title: &'static str) -> SecretRule {
    SecretRule {
        id,
        title,
        confidence: Confidence::High,
    }
}

const fn medium(id: &'static str, title: &'static str) -> SecretRule {
    SecretRule {
        id,
        title,
        confidence: Confidence::Medium,
    }
}

fn group(caps: &Captures<'_>, name: &str) -> Option<Range<usize>> {
    caps.name(name).map(|m| m.range())
}

fn whole(caps: &Captures<'_>) -> Range<usize> {
    caps.get(0).map_or(0..0, |m| m.range())
}

/// The byte before `r` is not part of a token (so `r` is not the tail of
/// a longer word).
fn starts_clean(hay: &[u8], r: &Range<usize>) -> bool {
    r.start == 0 || !is_token_byte(hay[r.start - 1])
}

/// The byte after `r` is not part of a token (so `r` is not cut from a
/// longer word).
fn ends_clean(hay: &[u8], r: &Range<usize>) -> bool {
    hay.get(r.end).is_none_or(|&b| !is_token_byte(b))
}

/// A token of a known format: group `secret`, whole on both sides, not a
/// stand-in, and random enough.
fn token(cx: &Ctx<'_>, caps: &Captures<'_>, min_entropy: f64) -> Option<Found> {
    let secret = group(caps, "secret")?;
    let bytes = &cx.hay[secret.clone()];
    if !starts_clean(cx.hay, &secret)
        || !ends_clean(cx.hay, &secret)
        || is_placeholder_token(bytes)
        || shannon_entropy(bytes) < min_entropy
    {
        return None;
    }
    Some(Found {
        range: whole(caps),
        secret,
        name: group(caps, "name"),
    })
}

fn token_3(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    token(cx, caps, 3.0)
}

fn token_35(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    token(cx, caps, 3.5)
}

fn aws_access_key(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    // The prefix and base32 alphabet are the evidence; entropy of 16
    // base32 characters says little.
    token(cx, caps, 2.5)
}

fn aws_secret_key(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let secret = group(caps, "secret")?;
    let after = cx.hay.get(secret.end).copied();
    if after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+' || b == b'=') {
        return None;
    }
    let bytes = &cx.hay[secret.clone()];
    // AWS's documentation key, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`,
    // falls to the `EXAMPLE` test.
    if is_placeholder_token(bytes) || shannon_entropy(bytes) < 3.5 {
        return None;
    }
    Some(Found {
        range: whole(caps),
        secret,
        name: group(caps, "name"),
    })
}

/// How far after `-----BEGIN … PRIVATE KEY-----` the END line is looked
/// for: an RSA 8192-bit key in PEM is about 6.5 KB.
const PEM_MAX: usize = 16 * 1024;

fn private_key(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let head = whole(caps);
    let limit = (head.end + PEM_MAX).min(cx.hay.len());
    let rest = &cx.hay[head.end..limit];
    let (body_end, range_end) = match memchr::memmem::find(rest, b"-----END ") {
        Some(i) => {
            let end_line = &rest[i + 9..];
            let close = memchr::memmem::find(&end_line[..end_line.len().min(64)], b"-----")
                .map_or(i + 9, |j| i + 9 + j + 5);
            (head.end + i, head.end + close)
        }
        // Cut off (a stream window, a truncated file): the key runs as
        // long as its base64 does.
        None => {
            let n = rest
                .iter()
                .position(|&b| {
                    !(b.is_ascii_alphanumeric()
                        || matches!(b, b'+' | b'/' | b'=' | b'\\' | b':' | b',' | b'-')
                        || b.is_ascii_whitespace())
                })
                .unwrap_or(rest.len());
            (head.end + n, head.end + n)
        }
    };
    let body = &cx.hay[head.end..body_end];
    let base64 = body
        .iter()
        .filter(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/'))
        .count();
    // Documentation writes `-----BEGIN RSA PRIVATE KEY-----\n...\n-----END…`.
    if base64 < 64 || is_placeholder_token(body.trim_ascii()) {
        return None;
    }
    let lead = body.len() - trim_breaks_start(body).len();
    let trail = body.len() - trim_breaks_end(body).len();
    Some(Found {
        range: head.start..range_end,
        secret: head.end + lead..body_end - trail,
        name: None,
    })
}

/// Trim whitespace and escaped line breaks (`\\n` in a JSON string).
fn trim_breaks_start(mut s: &[u8]) -> &[u8] {
    loop {
        s = s.trim_ascii_start();
        match s {
            [b'\\', b'n' | b'r', rest @ ..] => s = rest,
            _ => return s,
        }
    }
}

fn trim_breaks_end(mut s: &[u8]) -> &[u8] {
    loop {
        s = s.trim_ascii_end();
        match s {
            [rest @ .., b'\\', b'n' | b'r'] => s = rest,
            _ => return s,
        }
    }
}

fn slack_token(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let found = token(cx, caps, 3.0)?;
    let bytes = &cx.hay[found.secret.clone()];
    // Real tokens carry numeric team/user ids; documentation's
    // `xoxb-your-bot-token` does not.
    let digits = bytes.iter().filter(|b| b.is_ascii_digit()).count();
    (digits >= 6 && !is_placeholder(bytes)).then_some(found)
}

fn slack_webhook(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let secret = group(caps, "secret")?;
    let bytes = &cx.hay[secret.clone()];
    let parts = bytes
        .split(|&b| b == b'/')
        .filter(|p| !p.is_empty())
        .count();
    if parts < 2 || is_placeholder_token(bytes) || shannon_entropy(bytes) < 3.5 {
        return None;
    }
    Some(Found {
        range: whole(caps),
        secret,
        name: None,
    })
}

/// Azurite's (the storage emulator's) published development key.
const AZURITE_KEY: &[u8] =
    b"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

fn azure_storage_key(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let secret = group(caps, "secret")?;
    if &cx.hay[secret.clone()] == AZURITE_KEY {
        return None;
    }
    token(cx, caps, 4.0).map(|mut f| {
        f.secret = secret;
        f
    })
}

fn kube_client_key(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let secret = group(caps, "secret")?;
    let decoded = base64_decode(&cx.hay[secret.clone()])?;
    memchr::memmem::find(&decoded, b"PRIVATE KEY")?;
    Some(Found {
        range: whole(caps),
        secret,
        name: group(caps, "name"),
    })
}

/// How far from `"type": "service_account"` the `private_key` is looked
/// for, either way.
const SERVICE_ACCOUNT_REACH: usize = 8 * 1024;

fn gcp_service_account(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let at = whole(caps);
    let from = at.start.saturating_sub(SERVICE_ACCOUNT_REACH);
    let to = (at.end + SERVICE_ACCOUNT_REACH).min(cx.hay.len());
    let window = &cx.hay[from..to];
    let key = memchr::memmem::find(window, b"\"private_key\"")? + from;
    // `"private_key": "-----BEGIN PRIVATE KEY-----\n…"`
    let mut i = key + b"\"private_key\"".len();
    while cx
        .hay
        .get(i)
        .is_some_and(|b| b.is_ascii_whitespace() || *b == b':')
    {
        i += 1;
    }
    if cx.hay.get(i) != Some(&b'"') {
        return None;
    }
    let start = i + 1;
    let mut end = start;
    while end < to {
        match cx.hay[end] {
            b'\\' => end += 2,
            b'"' => break,
            _ => end += 1,
        }
    }
    let end = end.min(to);
    let value = &cx.hay[start..end];
    if memchr::memmem::find(value, b"PRIVATE KEY").is_none() || value.len() < 100 {
        return None;
    }
    Some(Found {
        range: at.start.min(key)..end.max(at.end),
        secret: start..end,
        name: None,
    })
}

fn docker_auth(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let secret = group(caps, "secret")?;
    let decoded = base64_decode(&cx.hay[secret.clone()])?;
    let colon = memchr::memchr(b':', &decoded)?;
    let (user, pass) = (&decoded[..colon], &decoded[colon + 1..]);
    let printable = |s: &[u8]| !s.is_empty() && s.iter().all(|b| b.is_ascii_graphic());
    if !printable(user) || !printable(pass) || is_placeholder(pass) {
        return None;
    }
    Some(Found {
        range: whole(caps),
        secret,
        name: None,
    })
}

/// A value after `=` that is a literal credential rather than a variable,
/// a template, or nothing much.
fn literal_value(value: &[u8]) -> bool {
    value.len() >= 4 && !is_placeholder(value)
}

fn npm_auth(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let name = group(caps, "name")?;
    let secret = group(caps, "secret")?;
    // In an `.npmrc`, or scoped to a registry (`//registry.npmjs.org/:_authToken=`)
    // anywhere (an `echo` into `.npmrc`).
    let in_npmrc = cx.file_name.contains("npmrc");
    if !in_npmrc && !cx.hay[name.clone()].starts_with(b"//") {
        return None;
    }
    literal_value(&cx.hay[secret.clone()]).then(|| Found {
        range: whole(caps),
        secret,
        name: Some(name),
    })
}

fn yarn_auth(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let secret = group(caps, "secret")?;
    literal_value(&cx.hay[secret.clone()]).then(|| Found {
        range: whole(caps),
        secret,
        name: group(caps, "name"),
    })
}

fn pypirc_password(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    if !cx.file_name.contains("pypirc") {
        return None;
    }
    yarn_auth(cx, caps)
}

fn netrc_password(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    yarn_auth(cx, caps)
}

fn url_password(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let user = group(caps, "name")?;
    let secret = group(caps, "secret")?;
    let (u, p) = (&cx.hay[user.clone()], &cx.hay[secret.clone()]);
    // `postgres://postgres:postgres@db`, `user:pass@`, `$USER:$PASS@`.
    if u.eq_ignore_ascii_case(p) || !literal_value(p) || p.eq_ignore_ascii_case(b"pass") {
        return None;
    }
    Some(Found {
        range: whole(caps),
        secret,
        name: Some(user),
    })
}

/// The signature jwt.io shows on its front page.
const JWT_IO_SIGNATURE: &[u8] = b"SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

fn jwt(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let found = token(cx, caps, 3.0)?;
    let bytes = &cx.hay[found.secret.clone()];
    let mut parts = bytes.split(|&b| b == b'.');
    let header = base64_decode(parts.next()?)?;
    let payload = base64_decode(parts.next()?)?;
    let signature = parts.next()?;
    if memchr::memmem::find(&header, b"\"alg\"").is_none()
        || !payload.trim_ascii_start().starts_with(b"{")
        || signature == JWT_IO_SIGNATURE
    {
        return None;
    }
    Some(found)
}

/// Words in a name that say its value is about a secret, not the secret
/// itself (`TOKEN_URL`, `PASSWORD_FILE`, `api_key_header`).
const NOT_SECRET_NAME_WORDS: &[&str] = &[
    "file",
    "files",
    "path",
    "paths",
    "dir",
    "url",
    "uri",
    "endpoint",
    "host",
    "hostname",
    "name",
    "username",
    "user",
    "type",
    "id",
    "ids",
    "length",
    "len",
    "size",
    "count",
    "field",
    "header",
    "param",
    "prefix",
    "suffix",
    "format",
    "pattern",
    "regex",
    "env",
    "var",
    "hint",
    "label",
    "policy",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "expiration",
    "algorithm",
    "method",
    "mode",
    "version",
    "public",
    "hash",
    "hashed",
    "digest",
    "min",
    "max",
    "limit",
    "enabled",
    "enable",
    "required",
    "reset",
    "prompt",
    "message",
    "msg",
    "error",
    "validator",
    "strength",
    "kind",
    "class",
    "provider",
    "manager",
    "backend",
    "ref",
    "keyid",
    "location",
    "source",
    "store",
    "command",
    "cmd",
    "helper",
    "tokens",
    "tokenizer",
    "generator",
];

/// Split a name into lower-case words at `_`, `-`, `.` and camelCase
/// humps.
fn name_words(name: &[u8]) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for &b in name {
        if !b.is_ascii_alphanumeric() {
            if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            prev_lower = false;
            continue;
        }
        if b.is_ascii_uppercase() && prev_lower && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        prev_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
        current.push(char::from(b.to_ascii_lowercase()));
    }
    if !current.is_empty() {
        words.push(current);
    }
    words
}

/// Words that qualify `key` (`API_KEY`, `accessKey`, `SIGNING_KEY`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "private",
    "auth",
    "secret",
    "client",
    "encryption",
    "signing",
    "master",
    "license",
    "app",
];

/// Words ending in `pass` that are not passwords.
const NOT_PASSWORDS: &[&str] = &[
    "bypass",
    "compass",
    "encompass",
    "overpass",
    "underpass",
    "surpass",
    "trespass",
    "multipass",
    "onepass",
    "twopass",
    "firstpass",
    "secondpass",
];

/// Whether a name's words say it holds a secret: a password (`…pass`,
/// `password`, `passwd`, `passphrase`, `pwd`), a secret, a token, a
/// credential, or a qualified key (`api_key`, `apiKey`, `PRIVATE_KEY`).
fn has_secret_word(words: &[String]) -> bool {
    words.iter().enumerate().any(|(i, w)| {
        (w.ends_with("pass") && !NOT_PASSWORDS.contains(&w.as_str()))
            || w.contains("password")
            || w.contains("passwd")
            || w.contains("passphrase")
            || w.ends_with("pwd")
            || w.contains("secret")
            || (w.contains("token") && !w.contains("tokeniz"))
            || w.starts_with("credential")
            || w.ends_with("apikey")
            || w.ends_with("accesskey")
            || w.ends_with("privatekey")
            || w.ends_with("authkey")
            || (w == "key" && i > 0 && KEY_QUALIFIERS.contains(&words[i - 1].as_str()))
    })
}

/// Extensions of files a value may name (`PASSWORD=secrets/db.txt`).
const FILE_VALUE_EXTS: &[&str] = &[
    ".pem",
    ".key",
    ".txt",
    ".json",
    ".yaml",
    ".yml",
    ".conf",
    ".env",
    ".ini",
    ".crt",
    ".cfg",
    ".toml",
    ".xml",
    ".properties",
    ".py",
    ".js",
];

/// Whether a bare (unquoted) value in program source is code: a name or
/// a dotted attribute path (`token = self.token`, `password=args.password`).
fn is_identifier_path(value: &[u8]) -> bool {
    let starts = value
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
    starts
        && value
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.'))
}

/// Random enough to be a credential: Shannon entropy of at least 3 bits
/// per byte, or 2.5 with three kinds of characters (`s3cr3tP4ss`). Values
/// of one kind of character need 16 bytes and 3.5 bits.
pub(crate) fn random_enough(value: &[u8]) -> bool {
    let h = shannon_entropy(value);
    let classes = char_classes(value);
    match value.len() {
        0..6 => false,
        6..8 => classes >= 3 && h >= 2.3,
        _ if classes == 1 => value.len() >= 16 && h >= 3.5,
        _ => h >= 3.0 || (classes >= 3 && h >= 2.5),
    }
}

fn generic(cx: &Ctx<'_>, caps: &Captures<'_>) -> Option<Found> {
    let name = group(caps, "name")?;
    let (secret, quoted) = match (group(caps, "dq"), group(caps, "sq"), group(caps, "bare")) {
        (Some(r), _, _) | (_, Some(r), _) => (r, true),
        (_, _, Some(r)) => (r, false),
        _ => return None,
    };
    let name_bytes = &cx.hay[name.clone()];
    let words = name_words(name_bytes);
    if !has_secret_word(&words)
        || words
            .iter()
            .any(|w| NOT_SECRET_NAME_WORDS.contains(&w.as_str()))
    {
        return None;
    }
    let value = &cx.hay[secret.clone()];
    let lower = value.to_ascii_lowercase();
    if !random_enough(value)
        || is_placeholder(value)
        || value.iter().all(u8::is_ascii_digit)
        || lower.starts_with(b"sha1")
        || lower.starts_with(b"sha256")
        || lower.starts_with(b"sha384")
        || lower.starts_with(b"sha512")
        || memchr::memmem::find(value, b"://").is_some()
        || value.starts_with(b"/")
        || value.starts_with(b"./")
        || value.starts_with(b"../")
        || value.starts_with(b"~/")
        || FILE_VALUE_EXTS
            .iter()
            .any(|e| lower.ends_with(e.as_bytes()))
    {
        return None;
    }
    // `password=mypassword`, `SECRET_KEY=secret-key-1`, a make target.
    for w in [
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "api_key",
        "credential",
    ] {
        if memchr::memmem::find(&lower, w.as_bytes()).is_some() {
            return None;
        }
    }
    // Secrets have no spaces; prose and style strings do. HTML entities
    // (`&rdquo;`) are markup.
    if value.iter().any(u8::is_ascii_whitespace)
        || ["&quot", "&rdquo", "&ldquo", "&amp", "&#", "&lt", "&gt"]
            .iter()
            .any(|e| memchr::memmem::find(&lower, e.as_bytes()).is_some())
        || value.starts_with(b":")
    {
        return None;
    }
    // `a.b.c` is an attribute path, `f(` a call: code, even in prose.
    let dotted = is_identifier_path(value) && value.contains(&b'.');
    let called = cx.hay.get(secret.end) == Some(&b'(');
    if !quoted && (dotted || called) {
        return None;
    }
    // Type annotations and dictionary keys in code: `key: "_RSAPrivateKey"`.
    if quoted
        && cx.code
        && caps.name("op").is_some_and(|m| m.as_bytes() == b":")
        && is_identifier_path(value)
    {
        return None;
    }
    if !quoted {
        // In source code a bare word is an expression; in config files,
        // Dockerfiles and shell scripts it is the value itself.
        if cx.code && (is_identifier_path(value) || value.contains(&b'(')) {
            return None;
        }
        // Prose: `Password: see below`. A bare value needs two kinds of
        // characters.
        if char_classes(value) < 2 {
            return None;
        }
    }
    Some(Found {
        range: whole(caps),
        secret,
        name: Some(name),
    })
}

/// Every rule, most specific first.
pub(crate) static DEFS: &[Def] = &[
    Def {
        rule: high("gcp-service-account", "Google Cloud service account key"),
        keywords: &["service_account"],
        case: Case::Exact,
        pattern: r#""type"\s*:\s*"service_account""#,
        back: 64,
        ahead: 64,
        finish: gcp_service_account,
    },
    Def {
        rule: high("private-key", "private key"),
        keywords: &["PRIVATE KEY"],
        case: Case::Exact,
        pattern: r"-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY(?: BLOCK)?-----",
        back: 64,
        ahead: 64,
        finish: private_key,
    },
    Def {
        rule: high("kubeconfig-client-key", "Kubernetes client key"),
        keywords: &["client-key-data"],
        case: Case::Exact,
        pattern: r#"(?P<name>client-key-data)["']?\s*:\s*["']?(?P<secret>[A-Za-z0-9+/]{64,}={0,2})"#,
        back: 8,
        ahead: 16384,
        finish: kube_client_key,
    },
    Def {
        rule: high("aws-access-key-id", "AWS access key ID"),
        keywords: &["AKIA", "ASIA", "ABIA", "ACCA", "A3T"],
        case: Case::Exact,
        pattern: r"\b(?P<secret>(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b",
        back: 8,
        ahead: 64,
        finish: aws_access_key,
    },
    Def {
        rule: high("aws-secret-access-key", "AWS secret access key"),
        keywords: &[
            "secret_access_key",
            "secretaccesskey",
            "SecretAccessKey",
            "secret-access-key",
            "aws_secret_key",
            "aws-secret-key",
        ],
        case: Case::Any,
        pattern: r#"(?i)(?P<name>(?:aws[_.-]?)?secret[_.-]?access[_.-]?key|aws[_.-]?secret[_.-]?key)["']?(?:[ \t]*(?::=|=>|=|:)[ \t]*|[ \t]+)["']?(?P<secret>[A-Za-z0-9/+]{40})"#,
        back: 16,
        ahead: 160,
        finish: aws_secret_key,
    },
    Def {
        rule: high("github-token", "GitHub token"),
        keywords: &["ghp_", "gho_", "ghu_", "ghs_", "ghr_"],
        case: Case::Exact,
        pattern: r"(?P<secret>gh[pousr]_[A-Za-z0-9]{36,251})",
        back: 8,
        ahead: 300,
        finish: token_3,
    },
    Def {
        rule: high(
            "github-fine-grained-token",
            "GitHub fine-grained personal access token",
        ),
        keywords: &["github_pat_"],
        case: Case::Exact,
        pattern: r"(?P<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})",
        back: 8,
        ahead: 128,
        finish: token_3,
    },
    Def {
        rule: high("gitlab-token", "GitLab token"),
        keywords: &[
            "glpat-", "gldt-", "glptt-", "glrt-", "gloas-", "glcbt-", "glft-", "glimt-",
            "glagent-", "glsoat-",
        ],
        case: Case::Exact,
        pattern: r"(?P<secret>(?:glpat|gldt|glptt|glrt|gloas|glcbt|glft|glimt|glagent|glsoat)-[A-Za-z0-9_-]{20,300}(?:\.[0-9a-z]{2,9}){0,2})",
        back: 8,
        ahead: 340,
        finish: token_3,
    },
    Def {
        rule: high("slack-token", "Slack token"),
        keywords: &[
            "xoxb-", "xoxp-", "xoxa-", "xoxo-", "xoxr-", "xoxs-", "xoxe", "xapp-",
        ],
        case: Case::Exact,
        pattern: r"(?P<secret>(?:xox[abeoprs](?:\.xox[a-z])?|xapp)-[0-9A-Za-z-]{10,250})",
        back: 8,
        ahead: 300,
        finish: slack_token,
    },
    Def {
        rule: high("slack-webhook", "Slack webhook URL"),
        keywords: &["hooks.slack.com"],
        case: Case::Exact,
        pattern: r"https://hooks\.slack\.com/(?:services|workflows|triggers)/(?P<secret>[A-Za-z0-9+/_-]{20,150})",
        back: 16,
        ahead: 200,
        finish: slack_webhook,
    },
    Def {
        rule: high("stripe-live-key", "Stripe live secret key"),
        keywords: &["sk_live_", "rk_live_"],
        case: Case::Exact,
        pattern: r"(?P<secret>(?:sk|rk)_live_[0-9A-Za-z]{20,247})",
        back: 8,
        ahead: 300,
        finish: token_3,
    },
    Def {
        rule: high("npm-token", "npm access token"),
        keywords: &["npm_"],
        case: Case::Exact,
        pattern: r"(?P<secret>npm_[A-Za-z0-9]{36})",
        back: 8,
        ahead: 64,
        finish: token_35,
    },
    Def {
        rule: high("pypi-token", "PyPI API token"),
        keywords: &["pypi-AgEIcHlwaS5vcmc", "pypi-AgENdGVzdC5weXBpLm9yZw"],
        case: Case::Exact,
        pattern: r"(?P<secret>pypi-AgE(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,1000})",
        back: 8,
        ahead: 1100,
        finish: token_3,
    },
    Def {
        rule: high("google-api-key", "Google API key"),
        keywords: &["AIza"],
        case: Case::Exact,
        pattern: r"(?P<secret>AIza[0-9A-Za-z_-]{35})",
        back: 8,
        ahead: 64,
        finish: token_3,
    },
    Def {
        rule: high("openai-api-key", "OpenAI API key"),
        keywords: &["sk-proj-", "sk-svcacct-", "sk-admin-", "T3BlbkFJ"],
        case: Case::Exact,
        pattern: r"(?P<secret>sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,300}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})",
        back: 32,
        ahead: 340,
        finish: token_35,
    },
    Def {
        rule: high("anthropic-api-key", "Anthropic API key"),
        keywords: &["sk-ant-"],
        case: Case::Exact,
        pattern: r"(?P<secret>sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120})",
        back: 8,
        ahead: 160,
        finish: token_35,
    },
    Def {
        rule: high("huggingface-token", "Hugging Face token"),
        keywords: &["hf_"],
        case: Case::Exact,
        pattern: r"(?P<secret>hf_[A-Za-z]{34})",
        back: 8,
        ahead: 64,
        finish: token_35,
    },
    Def {
        rule: high("sendgrid-api-key", "SendGrid API key"),
        keywords: &["SG."],
        case: Case::Exact,
        pattern: r"(?P<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})",
        back: 8,
        ahead: 96,
        finish: token_35,
    },
    Def {
        rule: high("vault-token", "HashiCorp Vault token"),
        keywords: &["hvs."],
        case: Case::Exact,
        pattern: r"(?P<secret>hvs\.[A-Za-z0-9_-]{90,120})",
        back: 8,
        ahead: 160,
        finish: token_35,
    },
    Def {
        rule: high("digitalocean-token", "DigitalOcean token"),
        keywords: &["dop_v1_", "doo_v1_", "dor_v1_"],
        case: Case::Exact,
        pattern: r"(?P<secret>do[opr]_v1_[a-f0-9]{64})",
        back: 8,
        ahead: 96,
        finish: token_3,
    },
    Def {
        rule: high("azure-storage-key", "Azure storage account key"),
        keywords: &["AccountKey="],
        case: Case::Exact,
        pattern: r"AccountKey=(?P<secret>[A-Za-z0-9+/]{86}==)",
        back: 8,
        ahead: 128,
        finish: azure_storage_key,
    },
    Def {
        rule: high("docker-config-auth", "container registry credentials"),
        keywords: &["\"auth\""],
        case: Case::Exact,
        pattern: r#""auth"\s*:\s*"(?P<secret>[A-Za-z0-9+/]{6,}={0,2})""#,
        back: 8,
        ahead: 1024,
        finish: docker_auth,
    },
    Def {
        rule: high("npmrc-auth", "npm registry credentials"),
        keywords: &["_auth", "_password"],
        case: Case::Exact,
        pattern: r#"(?:^|[\s"'])(?P<name>(?://[^\s"'=]*:)?_(?:authToken|auth|password))[ \t]*=[ \t]*["']?(?P<secret>[^\s"'#;]+)"#,
        back: 300,
        ahead: 1024,
        finish: npm_auth,
    },
    Def {
        rule: high("yarnrc-auth", "Yarn registry credentials"),
        keywords: &["npmAuth"],
        case: Case::Exact,
        pattern: r#"(?P<name>npmAuth(?:Token|Ident))["']?[ \t]*:[ \t]*["']?(?P<secret>[^\s"'#]+)"#,
        back: 8,
        ahead: 1024,
        finish: yarn_auth,
    },
    Def {
        rule: high("pypirc-password", "PyPI password"),
        keywords: &["password"],
        case: Case::Any,
        pattern: r"(?im)^[ \t]*(?P<name>password)[ \t]*[=:][ \t]*(?P<secret>[^ \t\r\n][^\r\n]*?)[ \t]*\r?$",
        back: 64,
        ahead: 1024,
        finish: pypirc_password,
    },
    Def {
        rule: high("netrc-password", "netrc password"),
        keywords: &["machine"],
        case: Case::Exact,
        pattern: r"\bmachine\s+\S+\s+(?:login\s+(?P<name>\S+)\s+)?password\s+(?P<secret>\S+)",
        back: 8,
        ahead: 1024,
        finish: netrc_password,
    },
    Def {
        rule: high("jwt", "JSON Web Token"),
        keywords: &["eyJ"],
        case: Case::Exact,
        pattern: r"(?P<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{16,})",
        back: 8,
        ahead: 8192,
        finish: jwt,
    },
    Def {
        rule: medium("url-password", "password in a URL"),
        keywords: &["://"],
        case: Case::Exact,
        pattern: r#"\b[A-Za-z][A-Za-z0-9+.-]{1,15}://(?P<name>[^\s:/@'"`<>]{1,100}):(?P<secret>[^\s/@'"`<>]{3,200})@[A-Za-z0-9._-]+"#,
        back: 24,
        ahead: 640,
        finish: url_password,
    },
    Def {
        rule: medium("generic-secret", "secret assigned to a secret-looking name"),
        keywords: &[
            "password",
            "passwd",
            "pass=",
            "pass:",
            "pass\"",
            "pass'",
            "pass =",
            "pwd",
            "secret",
            "token",
            "apikey",
            "api_key",
            "api-key",
            "accesskey",
            "access_key",
            "access-key",
            "privatekey",
            "private_key",
            "private-key",
            "authkey",
            "auth_key",
            "credential",
            "_key=",
            "_key:",
            "_key\"",
            "Key=",
            "Key:",
            "Key\"",
        ],
        case: Case::Any,
        pattern: r#"(?i)(?P<name>[a-z0-9_.-]{0,40}(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|[a-z]+[_.-]?key|credentials?)[a-z0-9_.-]{0,30})["']?[ \t]*(?P<op>:=|=>|=|:)[ \t]*(?:"(?P<dq>[^"\r\n]{1,300})"|'(?P<sq>[^'\r\n]{1,300})'|(?P<bare>[^\s"'`;,(){}\[\]<>=][^\s"'`;,(){}\[\]<>]{0,299}))"#,
        back: 80,
        ahead: 420,
        finish: generic,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_names() {
        assert_eq!(name_words(b"DB_PASSWORD"), ["db", "password"]);
        assert_eq!(name_words(b"apiKeyHeader"), ["api", "key", "header"]);
        assert_eq!(
            name_words(b"spring.datasource.password"),
            ["spring", "datasource", "password"]
        );
    }

    #[test]
    fn randomness() {
        assert!(random_enough(b"s3cr3tP4ss"));
        assert!(random_enough(b"qM8#zL2v"));
        assert!(!random_enough(b"hunter2"));
        assert!(!random_enough(b"aaaaaaaaaa"));
        assert!(!random_enough(b"something"));
        assert!(random_enough(b"kqzvmxwplrtnbhgdjcfs"));
        assert!(!random_enough(b"correcthorse"));
    }
}
