//! Credentials as the Docker CLI keeps them, and the challenges a registry
//! answers with.
//!
//! `config.json` lives in `$DOCKER_CONFIG` or `~/.docker`. For a registry,
//! a `credHelpers` entry wins, then the `credsStore` for all registries,
//! then the `auths` entry (`auth` = base64 of `user:password`, or
//! `identitytoken`). Helpers are run as `docker-credential-<name> get`
//! with the server on standard input, answering
//! `{"ServerURL", "Username", "Secret"}` — a `<token>` user means the
//! secret is an identity token. A helper gets as long as a registry does
//! to answer (`--timeout`, 60 seconds by default): one that has not
//! exited by then is killed and the lookup fails, naming the helper and
//! the registry, rather than hanging plimsoll.

use base64::Engine as _;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// What to authenticate with.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Credentials {
    Basic {
        username: String,
        password: String,
    },
    /// An OAuth2 refresh token (`identitytoken`), exchanged at the token
    /// endpoint.
    IdentityToken(String),
    /// A bearer token to send as it is (`registrytoken`).
    RegistryToken(String),
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print a secret.
        match self {
            Credentials::Basic { username, .. } => write!(f, "Basic({username})"),
            Credentials::IdentityToken(_) => f.write_str("IdentityToken"),
            Credentials::RegistryToken(_) => f.write_str("RegistryToken"),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(rename = "credsStore", default)]
    creds_store: Option<String>,
    #[serde(rename = "credHelpers", default)]
    cred_helpers: BTreeMap<String, String>,
}

#[derive(Debug, Default, Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default)]
    identitytoken: Option<String>,
    #[serde(default)]
    registrytoken: Option<String>,
}

#[derive(Debug, Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

/// The Docker CLI's configuration directory.
pub(crate) fn docker_config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|h| Path::new(&h).join(".docker"))
}

/// The credentials for `registry` (`host[:port]`, `docker.io` for Docker
/// Hub); `Ok(None)` when there are none. Errors are for a broken
/// configuration or helper, with the reason; a credential helper that has
/// not answered within `timeout` is killed and is an error.
pub(crate) fn lookup(registry: &str, timeout: Duration) -> Result<Option<Credentials>, String> {
    let Some(dir) = docker_config_dir() else {
        return Ok(None);
    };
    let path = dir.join("config.json");
    let text = match std::fs::read(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let config: DockerConfig = serde_json::from_slice(&text)
        .map_err(|e| format!("{}: invalid JSON: {e}", path.display()))?;
    from_config(&config, registry, timeout).map_err(|e| format!("{}: {e}", path.display()))
}

fn from_config(
    config: &DockerConfig,
    registry: &str,
    timeout: Duration,
) -> Result<Option<Credentials>, String> {
    let server = server_key(registry);
    let helper = config
        .cred_helpers
        .iter()
        .find(|(k, _)| normalize_key(k) == registry)
        .map(|(_, v)| v)
        .or(config.creds_store.as_ref())
        .filter(|h| !h.is_empty());
    if let Some(helper) = helper
        && let Some(found) = run_helper(helper, &server, registry, timeout)?
    {
        return Ok(Some(found));
    }
    let Some(entry) = config
        .auths
        .iter()
        .find(|(k, _)| normalize_key(k) == registry)
        .map(|(_, v)| v)
    else {
        return Ok(None);
    };
    if let Some(token) = entry.identitytoken.as_ref().filter(|t| !t.is_empty()) {
        return Ok(Some(Credentials::IdentityToken(token.clone())));
    }
    if let Some(token) = entry.registrytoken.as_ref().filter(|t| !t.is_empty()) {
        return Ok(Some(Credentials::RegistryToken(token.clone())));
    }
    if let Some(auth) = entry.auth.as_ref().filter(|a| !a.is_empty()) {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(auth.trim())
            .map_err(|_| format!("`auths.{registry}.auth` is not base64"))?;
        let decoded = String::from_utf8(decoded)
            .map_err(|_| format!("`auths.{registry}.auth` is not UTF-8"))?;
        let Some((username, password)) = decoded.split_once(':') else {
            return Err(format!("`auths.{registry}.auth` is not `user:password`"));
        };
        return Ok(Some(Credentials::Basic {
            username: username.into(),
            password: password.into(),
        }));
    }
    if let (Some(username), Some(password)) = (&entry.username, &entry.password) {
        return Ok(Some(Credentials::Basic {
            username: username.clone(),
            password: password.clone(),
        }));
    }
    Ok(None)
}

/// How the Docker CLI names a registry to helpers: Docker Hub by its
/// historical URL, others by `host[:port]`.
fn server_key(registry: &str) -> String {
    if registry == super::reference::DOCKER_HUB {
        "https://index.docker.io/v1/".into()
    } else {
        registry.into()
    }
}

/// `https://host:port/v1/` → `host:port`, Docker Hub's names → `docker.io`.
fn normalize_key(key: &str) -> String {
    let key = key
        .strip_prefix("https://")
        .or_else(|| key.strip_prefix("http://"))
        .unwrap_or(key);
    let host = key.split('/').next().unwrap_or(key);
    match host {
        "index.docker.io" | "registry-1.docker.io" | "docker.io" => {
            super::reference::DOCKER_HUB.into()
        }
        h => h.to_string(),
    }
}

fn run_helper(
    helper: &str,
    server: &str,
    registry: &str,
    timeout: Duration,
) -> Result<Option<Credentials>, String> {
    let program = format!("docker-credential-{helper}");
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the credential helper `{program}`: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A helper that exits without reading closes the pipe: its exit
        // status says what happened. The server name is far smaller than
        // a pipe's buffer, so this never waits for the helper.
        let _ = stdin.write_all(server.as_bytes());
    }
    let out = wait_with_timeout(&mut child, timeout)
        .map_err(|e| format!("the credential helper `{program}` failed: {e}"))?
        .ok_or_else(|| {
            format!(
                "the credential helper `{program}` did not answer for {registry} within {} (--timeout); it was stopped",
                seconds(timeout)
            )
        })?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stdout).trim().to_string()
            + String::from_utf8_lossy(&out.stderr).trim();
        if said.to_ascii_lowercase().contains("not found") {
            return Ok(None);
        }
        return Err(format!(
            "the credential helper `{program}` failed ({}): {said}",
            out.status
        ));
    }
    let answer: HelperAnswer = serde_json::from_slice(&out.stdout).map_err(|e| {
        format!("the credential helper `{program}` did not answer with credentials JSON: {e}")
    })?;
    if answer.secret.is_empty() {
        return Ok(None);
    }
    Ok(Some(if answer.username == "<token>" {
        Credentials::IdentityToken(answer.secret)
    } else {
        Credentials::Basic {
            username: answer.username,
            password: answer.secret,
        }
    }))
}

/// What a finished helper said.
struct HelperOutput {
    status: ExitStatus,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

/// Waits for `child` at most `timeout`, reading its output meanwhile;
/// `Ok(None)` when it had to be killed. The output is read on threads of
/// their own: a process the helper started may keep the pipes open after
/// the helper is killed, and nothing waits for them then.
fn wait_with_timeout(
    child: &mut Child,
    timeout: Duration,
) -> std::io::Result<Option<HelperOutput>> {
    fn drain(
        pipe: Option<impl std::io::Read + Send + 'static>,
    ) -> std::sync::mpsc::Receiver<Vec<u8>> {
        let (tx, rx) = std::sync::mpsc::channel();
        if let Some(mut pipe) = pipe {
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = pipe.read_to_end(&mut bytes);
                let _ = tx.send(bytes);
            });
        } else {
            let _ = tx.send(Vec::new());
        }
        rx
    }
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        let now = Instant::now();
        if now >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(10)));
    };
    // The helper has exited; its pipes close unless it left a process
    // behind holding them, which gets what remains of the time.
    let rest = deadline.saturating_duration_since(Instant::now()) + Duration::from_millis(100);
    Ok(Some(HelperOutput {
        status,
        stdout: stdout.recv_timeout(rest).unwrap_or_default(),
        stderr: stderr.recv_timeout(rest).unwrap_or_default(),
    }))
}

/// `1s`, `0.5s`, `60s`.
fn seconds(d: Duration) -> String {
    format!("{}s", d.as_secs_f64())
}

/// A `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    /// Lowercase: `basic`, `bearer`.
    pub scheme: String,
    pub params: BTreeMap<String, String>,
}

impl Challenge {
    /// Parse `Bearer realm="https://auth/token",service="registry",scope="…"`.
    pub fn parse(header: &str) -> Option<Challenge> {
        let header = header.trim();
        let (scheme, rest) = header.split_once(' ').unwrap_or((header, ""));
        if scheme.is_empty() {
            return None;
        }
        let mut params = BTreeMap::new();
        let mut rest = rest.trim();
        while !rest.is_empty() {
            let Some((key, after)) = rest.split_once('=') else {
                break;
            };
            let key = key.trim().to_ascii_lowercase();
            let after = after.trim_start();
            let (value, tail) = if let Some(quoted) = after.strip_prefix('"') {
                let mut value = String::new();
                let mut chars = quoted.char_indices();
                let mut end = quoted.len();
                while let Some((i, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, n)) = chars.next() {
                                value.push(n);
                            }
                        }
                        '"' => {
                            end = i + 1;
                            break;
                        }
                        c => value.push(c),
                    }
                }
                (value, &quoted[end.min(quoted.len())..])
            } else {
                let end = after.find(',').unwrap_or(after.len());
                (after[..end].trim().to_string(), &after[end..])
            };
            params.insert(key, value);
            rest = tail.trim_start().trim_start_matches(',').trim_start();
        }
        Some(Challenge {
            scheme: scheme.to_ascii_lowercase(),
            params,
        })
    }
}

pub(crate) fn basic_header(username: &str, password: &str) -> String {
    let raw = format!("{username}:{password}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// Percent-encode a query component.
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Duration = Duration::from_secs(10);

    #[test]
    fn challenges() {
        let c = Challenge::parse(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull""#,
        )
        .unwrap();
        assert_eq!(c.scheme, "bearer");
        assert_eq!(c.params["realm"], "https://auth.docker.io/token");
        assert_eq!(c.params["service"], "registry.docker.io");
        assert_eq!(c.params["scope"], "repository:library/alpine:pull");
        let c = Challenge::parse(r#"Basic realm="Registry Realm""#).unwrap();
        assert_eq!(
            (c.scheme.as_str(), c.params["realm"].as_str()),
            ("basic", "Registry Realm")
        );
        let c = Challenge::parse(r#"Bearer realm=http://x/t, error="a\"b""#).unwrap();
        assert_eq!(
            (c.params["realm"].as_str(), c.params["error"].as_str()),
            ("http://x/t", "a\"b")
        );
    }

    #[test]
    fn a_helper_that_does_not_exit_is_killed_at_the_timeout() {
        let spawn = |script: &str| {
            Command::new("sh")
                .args(["-c", script])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        };
        let start = Instant::now();
        let mut child = spawn("sleep 30");
        let out = wait_with_timeout(&mut child, Duration::from_millis(300)).unwrap();
        assert!(out.is_none());
        assert!(child.try_wait().unwrap().is_some(), "killed and reaped");
        assert!(start.elapsed() < Duration::from_secs(5));

        // An answer in time is read whole, even when the helper leaves a
        // process behind that holds its output open.
        let start = Instant::now();
        let mut child = spawn("echo '{}'; echo said >&2; sleep 30 & exit 3");
        let out = wait_with_timeout(&mut child, Duration::from_millis(500))
            .unwrap()
            .unwrap();
        assert_eq!(out.status.code(), Some(3));
        assert!(start.elapsed() < Duration::from_secs(5));
        let mut child = spawn("printf '{}'; printf said >&2");
        let out = wait_with_timeout(&mut child, Duration::from_secs(10))
            .unwrap()
            .unwrap();
        assert_eq!(
            (out.stdout.as_slice(), out.stderr.as_slice()),
            (&b"{}"[..], &b"said"[..])
        );
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5s");
    }

    #[test]
    fn config_entries() {
        let config: DockerConfig = serde_json::from_str(
            r#"{"auths": {
                "https://index.docker.io/v1/": {"auth": "dXNlcjpwYTpzcw=="},
                "http://127.0.0.1:5000": {"identitytoken": "tok"},
                "ghcr.io": {}
            }}"#,
        )
        .unwrap();
        assert_eq!(
            from_config(&config, "docker.io", T).unwrap(),
            Some(Credentials::Basic {
                username: "user".into(),
                password: "pa:ss".into()
            })
        );
        assert_eq!(
            from_config(&config, "127.0.0.1:5000", T).unwrap(),
            Some(Credentials::IdentityToken("tok".into()))
        );
        assert_eq!(from_config(&config, "ghcr.io", T).unwrap(), None);
        assert_eq!(from_config(&config, "quay.io", T).unwrap(), None);
        let broken: DockerConfig =
            serde_json::from_str(r#"{"auths": {"x.io": {"auth": "!!"}}}"#).unwrap();
        assert!(from_config(&broken, "x.io", T).is_err());
        let missing: DockerConfig =
            serde_json::from_str(r#"{"credHelpers": {"x.io": "plimsoll-test-none"}}"#).unwrap();
        let err = from_config(&missing, "x.io", T).unwrap_err();
        assert!(
            err.contains("docker-credential-plimsoll-test-none"),
            "{err}"
        );
        assert_eq!(encode("repository:a/b:pull"), "repository%3Aa%2Fb%3Apull");
        assert_eq!(
            format!("{:?}", Credentials::IdentityToken("s".into())),
            "IdentityToken"
        );
    }
}
