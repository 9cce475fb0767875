//! A synchronous HTTP client for one repository of one registry: the
//! scheme (HTTPS, or plain HTTP where allowed), authentication on
//! challenge, retries with backoff, redirects that keep credentials on
//! the registry's own origin, and timeouts.

use super::RegistryOptions;
use super::auth::{self, Challenge, Credentials};
use super::reference::{Reference, host_without_port};
use std::io::{self, Read};
use std::net::IpAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use ureq::http::{Response, StatusCode};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

pub(crate) type HttpResponse = Response<ureq::Body>;

const MAX_REDIRECTS: usize = 5;
/// The longest wait between attempts, whatever `Retry-After` asks.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Tokens and error bodies are small.
pub(crate) const SMALL_BODY: u64 = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Head,
}

/// Why a request failed, in words for the one error line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure(pub String);

pub(crate) struct Client {
    http: ureq::Agent,
    /// Registry hosts the user called insecure: certificates unverified.
    unverified: Option<ureq::Agent>,
    reference: Reference,
    options: RegistryOptions,
    base: OnceLock<String>,
    credentials: OnceLock<Result<Option<Credentials>, String>>,
    /// The `Authorization` value that the registry accepted last.
    authorization: Mutex<Option<String>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("registry", &self.reference.registry)
            .field("repository", &self.reference.repository)
            .finish_non_exhaustive()
    }
}

impl Client {
    pub fn new(reference: &Reference, options: &RegistryOptions) -> Result<Client, Failure> {
        let roots = root_certs(&options.ca_certs)?;
        let agent = |verify: bool| -> ureq::Agent {
            let mut tls = TlsConfig::builder().disable_verification(!verify);
            if let Some(roots) = &roots {
                tls = tls.root_certs(roots.clone());
            }
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .max_redirects(0)
                .timeout_connect(Some(options.connect_timeout))
                .timeout_recv_response(Some(options.read_timeout))
                .timeout_per_read(Some(options.read_timeout))
                .user_agent(concat!("plimsoll/", env!("CARGO_PKG_VERSION")))
                .tls_config(tls.build())
                .build()
                .into()
        };
        let insecure = options.is_insecure(&reference.registry);
        Ok(Client {
            http: agent(true),
            unverified: insecure.then(|| agent(false)),
            reference: reference.clone(),
            options: options.clone(),
            base: OnceLock::new(),
            credentials: OnceLock::new(),
            authorization: Mutex::new(None),
        })
    }

    pub fn reference(&self) -> &Reference {
        &self.reference
    }

    /// `https://host` or, for loopback and insecure registries that speak
    /// plain HTTP, `http://host`. Decided once by asking `/v2/` over plain
    /// HTTP: a registry that answers it as HTTP is plain; a TLS server
    /// answers with an error or a 400 that asks for HTTPS.
    fn base(&self) -> Result<&str, Failure> {
        if let Some(b) = self.base.get() {
            return Ok(b);
        }
        let host = self.reference.api_host();
        let mut base = format!("https://{host}");
        if self.unverified.is_some() || is_loopback(host_without_port(host)) {
            let probe = format!("http://{host}/v2/");
            match self.http.get(&probe).call() {
                Ok(resp) => {
                    let status = resp.status();
                    let mut body = resp.into_body();
                    let text = body
                        .with_config()
                        .limit(SMALL_BODY)
                        .read_to_string()
                        .unwrap_or_default();
                    if !(status == StatusCode::BAD_REQUEST && text.contains("HTTPS")) {
                        base = format!("http://{host}");
                    }
                }
                Err(e @ (ureq::Error::Timeout(_) | ureq::Error::ConnectionFailed)) => {
                    return Err(Failure(describe(&e, host, &self.options)));
                }
                Err(ureq::Error::Io(e)) if e.kind() == io::ErrorKind::ConnectionRefused => {
                    return Err(Failure(format!("cannot connect to {host}: {e}")));
                }
                Err(_) => {}
            }
        }
        Ok(self.base.get_or_init(|| base))
    }

    fn agent(&self, url: &str) -> &ureq::Agent {
        match &self.unverified {
            Some(a) if origin(url) == origin(&format!("https://{}", self.reference.api_host())) => {
                a
            }
            _ => &self.http,
        }
    }

    /// A request to the registry's API (`/v2/…`), authenticated on
    /// challenge, retried, with redirects followed. Returns any final
    /// response (the caller judges its status).
    pub fn request(
        &self,
        method: Method,
        path: &str,
        accept: &[&str],
        range: Option<u64>,
    ) -> Result<HttpResponse, Failure> {
        let base = self.base()?.to_string();
        let mut url = format!("{base}{path}");
        let mut authenticated = false;
        let mut trusted_origin = true;
        let accept = accept.join(", ");
        for _ in 0..=MAX_REDIRECTS {
            let authorization = if trusted_origin {
                lock(&self.authorization).clone()
            } else {
                None
            };
            let resp = self.send_retrying(&url, |agent| {
                let mut req = match method {
                    Method::Get => agent.get(&url),
                    Method::Head => agent.head(&url),
                };
                if !accept.is_empty() {
                    req = req.header("Accept", &accept);
                }
                if let Some(a) = &authorization {
                    req = req.header("Authorization", a);
                }
                if let Some(from) = range {
                    req = req.header("Range", &format!("bytes={from}-"));
                }
                req.call()
            })?;
            let status = resp.status();
            if status == StatusCode::UNAUTHORIZED && trusted_origin && !authenticated {
                let challenges: Vec<String> = resp
                    .headers()
                    .get_all("www-authenticate")
                    .iter()
                    .filter_map(|v| v.to_str().ok().map(str::to_string))
                    .collect();
                self.authenticate(&challenges, authorization.is_some())?;
                authenticated = true;
                continue;
            }
            if status == StatusCode::UNAUTHORIZED {
                return Err(Failure(format!(
                    "{} refused the credentials (401 Unauthorized){}",
                    self.reference.registry,
                    self.credential_hint()
                )));
            }
            if status.is_redirection()
                && let Some(location) = resp.headers().get("location")
            {
                let location = location
                    .to_str()
                    .map_err(|_| Failure("a redirect with a non-ASCII Location".into()))?;
                let next = resolve(&url, location);
                // Credentials are the registry's: never sent to another
                // host (a blob store's signed URL carries its own).
                trusted_origin = trusted_origin && origin(&next) == origin(&url);
                url = next;
                continue;
            }
            return Ok(resp);
        }
        Err(Failure(format!(
            "more than {MAX_REDIRECTS} redirects for {path}"
        )))
    }

    /// One request, again on 429, 5xx and broken connections, with
    /// exponential backoff (honouring `Retry-After`).
    fn send_retrying(
        &self,
        url: &str,
        send: impl Fn(&ureq::Agent) -> Result<HttpResponse, ureq::Error>,
    ) -> Result<HttpResponse, Failure> {
        let host = host_of(url);
        let mut attempt = 0u32;
        loop {
            let last = attempt >= self.options.retries;
            match send(self.agent(url)) {
                Ok(resp) if retryable_status(resp.status()) && !last => {
                    let wait = retry_after(&resp).unwrap_or_else(|| backoff(attempt));
                    std::thread::sleep(wait.min(MAX_BACKOFF));
                }
                Ok(resp) => return Ok(resp),
                Err(e) if transient(&e) && !last => std::thread::sleep(backoff(attempt)),
                Err(e) => {
                    let mut msg = describe(&e, &host, &self.options);
                    if attempt > 0 {
                        msg.push_str(&format!(" (after {} attempts)", attempt + 1));
                    }
                    return Err(Failure(msg));
                }
            }
            attempt += 1;
        }
    }

    fn credentials(&self) -> Result<Option<Credentials>, Failure> {
        self.credentials
            .get_or_init(|| auth::lookup(&self.reference.registry, self.options.read_timeout))
            .clone()
            .map_err(Failure)
    }

    fn credential_hint(&self) -> String {
        match self.credentials() {
            Ok(Some(_)) => String::new(),
            _ => format!(
                "; no credentials for {} in {}",
                self.reference.registry,
                docker_config_name()
            ),
        }
    }

    /// Answer a 401's challenges: Basic with the user's credentials, or
    /// Bearer with a token from the realm.
    fn authenticate(&self, challenges: &[String], had_auth: bool) -> Result<(), Failure> {
        let parsed: Vec<Challenge> = challenges
            .iter()
            .filter_map(|c| Challenge::parse(c))
            .collect();
        let bearer = parsed.iter().find(|c| c.scheme == "bearer");
        let basic = parsed.iter().find(|c| c.scheme == "basic");
        let registry = &self.reference.registry;
        let value = if let Some(challenge) = bearer {
            format!("Bearer {}", self.fetch_token(challenge)?)
        } else if basic.is_some() {
            match self.credentials()? {
                Some(Credentials::Basic { username, password }) => {
                    if had_auth {
                        return Err(Failure(format!(
                            "{registry} refused the credentials (401 Unauthorized)"
                        )));
                    }
                    auth::basic_header(&username, &password)
                }
                Some(_) => {
                    return Err(Failure(format!(
                        "{registry} asks for a user name and password, and {} holds only a token for it",
                        docker_config_name()
                    )));
                }
                None => {
                    return Err(Failure(format!(
                        "{registry} requires authentication (401 Unauthorized); no credentials for it in {} (run `docker login {registry}`)",
                        docker_config_name()
                    )));
                }
            }
        } else {
            return Err(Failure(format!(
                "{registry} answered 401 Unauthorized without a challenge plimsoll can answer ({})",
                if challenges.is_empty() {
                    "no WWW-Authenticate header".to_string()
                } else {
                    challenges.join("; ")
                }
            )));
        };
        *lock(&self.authorization) = Some(value);
        Ok(())
    }

    /// The token endpoint of a Bearer challenge: `GET realm?service&scope`
    /// (Basic-authenticated when there are credentials), or `POST` of an
    /// identity token as an OAuth2 refresh token.
    fn fetch_token(&self, challenge: &Challenge) -> Result<String, Failure> {
        let credentials = self.credentials()?;
        if let Some(Credentials::RegistryToken(t)) = &credentials {
            return Ok(t.clone());
        }
        let Some(realm) = challenge.params.get("realm").filter(|r| !r.is_empty()) else {
            return Err(Failure(format!(
                "{} asks for a bearer token without naming a realm",
                self.reference.registry
            )));
        };
        if !(realm.starts_with("https://") || realm.starts_with("http://")) {
            return Err(Failure(format!(
                "the token realm `{realm}` is not an HTTP URL"
            )));
        }
        let service = challenge.params.get("service").cloned().unwrap_or_default();
        let scope = challenge
            .params
            .get("scope")
            .cloned()
            .unwrap_or_else(|| format!("repository:{}:pull", self.reference.repository));
        let resp = match &credentials {
            Some(Credentials::IdentityToken(token)) => {
                let form = format!(
                    "grant_type=refresh_token&client_id=plimsoll&service={}&scope={}&refresh_token={}",
                    auth::encode(&service),
                    auth::encode(&scope),
                    auth::encode(token)
                );
                self.send_retrying(realm, |agent| {
                    agent
                        .post(realm)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .send(form.as_str())
                })?
            }
            _ => {
                let sep = if realm.contains('?') { '&' } else { '?' };
                let mut url = format!("{realm}{sep}scope={}", auth::encode(&scope));
                if !service.is_empty() {
                    url.push_str(&format!("&service={}", auth::encode(&service)));
                }
                let basic = match &credentials {
                    Some(Credentials::Basic { username, password }) => {
                        Some(auth::basic_header(username, password))
                    }
                    _ => None,
                };
                self.send_retrying(&url, |agent| {
                    let mut req = agent.get(&url);
                    if let Some(b) = &basic {
                        req = req.header("Authorization", b);
                    }
                    req.call()
                })?
            }
        };
        let status = resp.status();
        let body = resp
            .into_body()
            .with_config()
            .limit(SMALL_BODY)
            .read_to_vec()
            .unwrap_or_default();
        if !status.is_success() {
            let hint = if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
                self.credential_hint()
            } else {
                String::new()
            };
            return Err(Failure(format!(
                "the token endpoint {} answered {}{}{hint}",
                host_of(realm),
                status_text(status),
                error_detail(&body)
            )));
        }
        #[derive(serde::Deserialize)]
        struct TokenAnswer {
            #[serde(default)]
            token: Option<String>,
            #[serde(default)]
            access_token: Option<String>,
        }
        let answer: TokenAnswer = serde_json::from_slice(&body).map_err(|e| {
            Failure(format!(
                "the token endpoint {} answered with invalid JSON: {e}",
                host_of(realm)
            ))
        })?;
        answer
            .token
            .or(answer.access_token)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Failure(format!(
                    "the token endpoint {} answered without a token",
                    host_of(realm)
                ))
            })
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn docker_config_name() -> String {
    auth::docker_config_dir()
        .map(|d| d.join("config.json").display().to_string())
        .unwrap_or_else(|| "~/.docker/config.json".into())
}

/// Mozilla's roots plus the extra certificates (`--ca-cert`,
/// `SSL_CERT_FILE`); `None` when there are no extras.
fn root_certs(extra: &[std::path::PathBuf]) -> Result<Option<RootCerts>, Failure> {
    let mut files: Vec<std::path::PathBuf> = extra.to_vec();
    if let Some(f) = std::env::var_os("SSL_CERT_FILE").filter(|f| !f.is_empty()) {
        files.push(f.into());
    }
    if files.is_empty() {
        return Ok(None);
    }
    let mut certs: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|c| Certificate::from_der(c.as_ref()).to_owned())
        .collect();
    for file in files {
        let pem = std::fs::read(&file)
            .map_err(|e| Failure(format!("CA certificates {}: {e}", file.display())))?;
        let before = certs.len();
        for item in ureq::tls::parse_pem(&pem) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => certs.push(c),
                Ok(_) => {}
                Err(e) => {
                    return Err(Failure(format!("CA certificates {}: {e}", file.display())));
                }
            }
        }
        if certs.len() == before {
            return Err(Failure(format!(
                "CA certificates {}: no PEM certificate in the file",
                file.display()
            )));
        }
    }
    Ok(Some(RootCerts::Specific(Arc::new(certs))))
}

pub(crate) fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase()
    )
}

fn host_of(url: &str) -> String {
    origin(url)
        .split_once("://")
        .map(|(_, h)| h.to_string())
        .unwrap_or_default()
}

/// A `Location` relative to the URL that answered with it.
fn resolve(base: &str, location: &str) -> String {
    if location.contains("://") {
        location.to_string()
    } else if let Some(rest) = location.strip_prefix("//") {
        let scheme = base.split_once("://").map_or("https", |(s, _)| s);
        format!("{scheme}://{rest}")
    } else if location.starts_with('/') {
        format!("{}{location}", origin(base))
    } else {
        let dir = base
            .split(['?', '#'])
            .next()
            .and_then(|u| u.rsplit_once('/'))
            .map_or(base, |(d, _)| d);
        format!("{dir}/{location}")
    }
}

fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// Connection broken by the other side: worth another try. A timeout is
/// not — a registry that hangs fails within the time the user allowed.
fn transient(e: &ureq::Error) -> bool {
    match e {
        ureq::Error::Io(io) => transient_io(io),
        ureq::Error::Protocol(_) => true,
        _ => false,
    }
}

pub(crate) fn transient_io(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof
    )
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(200u64.saturating_mul(1 << attempt.min(8)))
}

/// `Retry-After` in seconds (an HTTP date counts as a second).
fn retry_after(resp: &HttpResponse) -> Option<Duration> {
    let value = resp.headers().get("retry-after")?.to_str().ok()?.trim();
    Some(match value.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => Duration::from_secs(1),
    })
}

fn describe(e: &ureq::Error, host: &str, options: &RegistryOptions) -> String {
    match e {
        ureq::Error::Timeout(t) => {
            let (what, limit, flag) = match t {
                ureq::Timeout::Connect | ureq::Timeout::Resolve => (
                    "connecting to",
                    options.connect_timeout,
                    "--connect-timeout",
                ),
                _ => ("waiting for", options.read_timeout, "--timeout"),
            };
            format!(
                "timed out {what} {host} after {} ({flag} to change)",
                seconds(limit)
            )
        }
        ureq::Error::HostNotFound => format!("cannot resolve {host}"),
        ureq::Error::ConnectionFailed => format!("cannot connect to {host}"),
        ureq::Error::Io(io)
            if io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some()) =>
        {
            format!(
                "TLS failure with {host}: {io} (trust a private CA with --ca-cert FILE or SSL_CERT_FILE)"
            )
        }
        ureq::Error::Io(io) => format!("{host}: {io}"),
        ureq::Error::Rustls(tls) => format!(
            "TLS failure with {host}: {tls} (trust a private CA with --ca-cert FILE or SSL_CERT_FILE)"
        ),
        ureq::Error::Tls(tls) => format!("TLS failure with {host}: {tls}"),
        other => format!("{host}: {other}"),
    }
}

fn seconds(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}s")
    } else {
        format!("{s}s")
    }
}

pub(crate) fn status_text(status: StatusCode) -> String {
    format!(
        "{} {}",
        status.as_u16(),
        status.canonical_reason().unwrap_or_default()
    )
    .trim_end()
    .to_string()
}

/// The registry's own words from an error body (`{"errors": [{"code",
/// "message"}]}`), as `: CODE message`.
pub(crate) fn error_detail(body: &[u8]) -> String {
    #[derive(serde::Deserialize)]
    struct Errors {
        #[serde(default)]
        errors: Vec<ErrorItem>,
    }
    #[derive(serde::Deserialize)]
    struct ErrorItem {
        #[serde(default)]
        code: String,
        #[serde(default)]
        message: String,
    }
    match serde_json::from_slice::<Errors>(body) {
        Ok(e) if !e.errors.is_empty() => {
            let items: Vec<String> = e
                .errors
                .iter()
                .map(|i| format!("{} {}", i.code, i.message).trim().to_string())
                .collect();
            format!(": {}", items.join("; "))
        }
        _ => String::new(),
    }
}

/// Read a small body whole.
pub(crate) fn read_body(resp: HttpResponse, limit: u64) -> Result<Vec<u8>, String> {
    resp.into_body()
        .with_config()
        .limit(limit)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(n) => format!("more than {n} bytes"),
            other => other.to_string(),
        })
}

/// A blob body that picks up where it broke: on a reset connection it asks
/// again with `Range` from the byte reached (bounded tries).
pub(crate) struct ResumingReader {
    client: Arc<Client>,
    path: String,
    reader: Option<Box<dyn Read + Send>>,
    offset: u64,
    resumes: u32,
}

impl ResumingReader {
    pub fn new(client: Arc<Client>, path: String, resp: HttpResponse) -> ResumingReader {
        ResumingReader {
            client,
            path,
            reader: Some(Box::new(resp.into_body().into_reader())),
            offset: 0,
            resumes: 0,
        }
    }

    fn resume(&mut self, cause: io::Error) -> io::Result<()> {
        if self.resumes >= self.client.options.retries {
            return Err(cause);
        }
        self.resumes += 1;
        std::thread::sleep(backoff(self.resumes - 1));
        let resp = self
            .client
            .request(Method::Get, &self.path, &[], Some(self.offset))
            .map_err(|f| io::Error::other(f.0))?;
        if resp.status() != StatusCode::PARTIAL_CONTENT {
            // The server cannot resume: the original error stands.
            return Err(cause);
        }
        self.reader = Some(Box::new(resp.into_body().into_reader()));
        Ok(())
    }
}

impl Read for ResumingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            let Some(reader) = self.reader.as_mut() else {
                return Ok(0);
            };
            match reader.read(buf) {
                Ok(n) => {
                    self.offset += n as u64;
                    return Ok(n);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if transient_io(&e) => {
                    self.reader = None;
                    self.resume(e)?;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(origin("https://Reg.io:5000/v2/x?y"), "https://reg.io:5000");
        assert_eq!(
            resolve("http://a:1/v2/r/blobs/x", "http://b:2/s3?sig=1"),
            "http://b:2/s3?sig=1"
        );
        assert_eq!(resolve("http://a:1/v2/x", "/other"), "http://a:1/other");
        assert_eq!(resolve("https://a/v2/x", "//b/c"), "https://b/c");
        assert_eq!(resolve("https://a/v2/x?q", "y"), "https://a/v2/y");
        assert_eq!(host_of("http://127.0.0.1:5000/token"), "127.0.0.1:5000");
        assert!(is_loopback("127.0.0.1") && is_loopback("::1") && is_loopback("localhost"));
        assert!(!is_loopback("10.0.0.1"));
        assert_eq!(backoff(0), Duration::from_millis(200));
        assert_eq!(backoff(3), Duration::from_millis(1600));
        assert_eq!(
            error_detail(
                br#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"#
            ),
            ": MANIFEST_UNKNOWN manifest unknown"
        );
        assert_eq!(error_detail(b"<html>"), "");
    }
}
