//! `plimsoll image REGISTRY/REPO:TAG` against a real registry — Debian's
//! `docker-registry` (CNCF distribution 2.8) started on a free loopback
//! port — with images built by umoci and pushed by skopeo, and against a
//! small fake registry in this file for the faults a real one will not
//! produce on demand (5xx, hangs, redirects to another host, corrupt
//! blobs). Every figure read from a registry must equal the figure read
//! from the OCI layout the image came from.

mod support;

use assert_cmd::Command;
use base64::Engine as _;
use std::collections::BTreeMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

const HINT: &str = "needs docker-registry, umoci, skopeo, openssl: \
                    apt-get install -y docker-registry umoci skopeo openssl";
const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";

fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    support::run_tool(dir, program, args, HINT)
}

fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{}", support::sha256_hex(bytes))
}

/// The images, in one OCI layout `oci`:
/// - `v1`: linux/amd64, two layers (a file deleted in the second);
/// - `arm`: the same layers, config for linux/arm64;
/// - `multi`: an OCI index of `v1` and `arm`.
struct Fixture {
    root: PathBuf,
    /// Tag → (manifest digest, media type, size).
    tags: BTreeMap<String, (String, String, usize)>,
    /// The TLS material: a CA and a server certificate for 127.0.0.1.
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

impl Fixture {
    fn layout(&self) -> PathBuf {
        self.root.join("oci")
    }
    fn digest(&self, tag: &str) -> &str {
        &self.tags[tag].0
    }
    fn blob(&self, digest: &str) -> Vec<u8> {
        let hex = digest.strip_prefix("sha256:").unwrap();
        fs::read(self.layout().join("blobs/sha256").join(hex)).unwrap()
    }
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(build_fixture)
}

fn build_fixture() -> Fixture {
    let image = support::Umoci::new(
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("plimsoll-registry"),
        HINT,
    );
    let root = image.root().to_path_buf();
    let noise: Vec<u8> = (0u32..120_000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    image.write("data/big.bin", &noise);
    image.write("data/config", &[1u8; 5_000]);
    image.repack("COPY data/ /data/");
    image.remove("data/big.bin");
    image.repack("RUN rm /data/big.bin");
    image.config(&[
        "--config.user",
        "1000",
        "--os",
        "linux",
        "--architecture",
        "amd64",
    ]);
    image.config(&["--tag", "arm", "--architecture", "arm64"]);

    // The index of both, tagged `multi`.
    let layout = root.join("oci");
    let index_path = layout.join("index.json");
    let mut index: serde_json::Value =
        serde_json::from_slice(&fs::read(&index_path).unwrap()).unwrap();
    let tag_of = |d: &serde_json::Value| {
        d["annotations"]["org.opencontainers.image.ref.name"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let mut tags = BTreeMap::new();
    for d in index["manifests"].as_array().unwrap() {
        tags.insert(
            tag_of(d),
            (
                d["digest"].as_str().unwrap().to_string(),
                d["mediaType"].as_str().unwrap().to_string(),
                d["size"].as_u64().unwrap() as usize,
            ),
        );
    }
    let entry = |tag: &str, arch: &str| {
        let (digest, media_type, size) = &tags[tag];
        serde_json::json!({"mediaType": media_type, "digest": digest, "size": size,
            "platform": {"os": "linux", "architecture": arch}})
    };
    let multi = serde_json::json!({"schemaVersion": 2, "mediaType": OCI_INDEX,
        "manifests": [entry("v1", "amd64"), entry("arm", "arm64")]});
    let multi = serde_json::to_vec(&multi).unwrap();
    let multi_digest = sha256(&multi);
    fs::write(layout.join("blobs/sha256").join(&multi_digest[7..]), &multi).unwrap();
    index["manifests"].as_array_mut().unwrap().push(
        serde_json::json!({"mediaType": OCI_INDEX, "digest": multi_digest,
            "size": multi.len(), "annotations": {"org.opencontainers.image.ref.name": "multi"}}),
    );
    fs::write(&index_path, serde_json::to_vec(&index).unwrap()).unwrap();
    tags.insert(
        "multi".into(),
        (multi_digest, OCI_INDEX.into(), multi.len()),
    );

    // A CA and a certificate for 127.0.0.1 signed by it.
    let openssl = |args: &[&str]| run(&root, "openssl", args);
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    let mut args = vec![
        "req",
        "-x509",
        "-days",
        "2",
        "-subj",
        "/CN=plimsoll test CA",
    ];
    args.extend(ec);
    args.extend(["-keyout", "ca.key", "-out", "ca.pem"]);
    openssl(&args);
    let mut args = vec!["req", "-subj", "/CN=127.0.0.1"];
    args.extend(ec);
    args.extend(["-keyout", "server.key", "-out", "server.csr"]);
    openssl(&args);
    fs::write(
        root.join("server.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.pem",
    ]);
    Fixture {
        ca: root.join("ca.pem"),
        cert: root.join("server.pem"),
        key: root.join("server.key"),
        root,
        tags,
    }
}

/// A free loopback port (bound, then released for the server to take).
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Debian's docker-registry on a free loopback port with its own storage;
/// killed when dropped.
struct Registry {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Registry {
    fn start(extra: &str, tls: bool) -> Registry {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let f = fixture();
        let tls = if tls {
            format!(
                "  tls:\n    certificate: {}\n    key: {}\n",
                f.cert.display(),
                f.key.display()
            )
        } else {
            String::new()
        };
        let config = format!(
            "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n\
             storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
             http:\n  addr: 127.0.0.1:{port}\n{tls}{extra}",
            dir.path().join("data").display()
        );
        let config_path = dir.path().join("config.yml");
        fs::write(&config_path, config).unwrap();
        let child = std::process::Command::new("docker-registry")
            .arg("serve")
            .arg(&config_path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("docker-registry: {e} ({HINT})"));
        let registry = Registry {
            child,
            port,
            _dir: dir,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "docker-registry did not start");
            thread::sleep(Duration::from_millis(50));
        }
        registry
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// `skopeo copy` a tag of the layout (with `--all` for an index).
    fn push(&self, tag: &str, dest: &str, creds: Option<&str>) {
        let src = format!("oci:{}:{tag}", fixture().layout().display());
        let dest = format!("docker://{}/{dest}", self.host());
        let mut args = vec![
            "copy",
            "--quiet",
            "--all",
            "--dest-tls-verify=false",
            &src,
            &dest,
        ];
        if let Some(c) = creds {
            args.extend(["--dest-creds", c]);
        }
        run(&fixture().root, "skopeo", &args);
    }
}

impl Drop for Registry {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn plimsoll() -> Command {
    let mut cmd = Command::cargo_bin("plimsoll").unwrap();
    // No credentials of the machine's user, no proxy surprises.
    let empty = fixture().root.join("no-docker-config");
    fs::create_dir_all(&empty).unwrap();
    cmd.env("NO_COLOR", "1")
        .env("DOCKER_CONFIG", &empty)
        .env_remove("SSL_CERT_FILE")
        .current_dir(&fixture().root);
    cmd
}

/// `plimsoll image --analysis [ARGS] REFERENCE`: the JSON entry.
fn analysis(mut cmd: Command, args: &[&str], reference: &str) -> serde_json::Value {
    let out = cmd
        .args(["image", "--analysis"])
        .args(args)
        .arg(reference)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{reference}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v[0].clone()
}

/// The error line of a run that must fail with exit 2.
fn failure(mut cmd: Command, args: &[&str], reference: &str) -> String {
    let out = cmd.arg("image").args(args).arg(reference).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{reference}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(reference), "names the reference: {stderr}");
    stderr
}

fn local(tag: &str) -> serde_json::Value {
    let reference = format!("oci:{}:{tag}", fixture().layout().display());
    analysis(plimsoll(), &[], &reference)
}

/// The codes of the findings, sorted.
fn findings(reference: &str) -> Vec<String> {
    let out = plimsoll()
        .args(["image", "--format", "json", reference])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let mut codes: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes
}

#[test]
fn registry_image_matches_its_layout() {
    let f = fixture();
    let reg = Registry::start("", false);
    reg.push("v1", "test/app:v1", None);
    reg.push("v1", "test/app:latest", None);

    let remote = analysis(plimsoll(), &[], &format!("{}/test/app:v1", reg.host()));
    let layout = local("v1");
    assert_eq!(remote["analysis"], layout["analysis"]);
    assert_eq!(remote["analysis"]["waste"]["wasted_bytes"], 120_000);
    assert_eq!(remote["digest"], f.digest("v1"));
    assert_eq!(remote["digest"], layout["digest"]);
    assert_eq!(remote["platform"], "linux/amd64");
    assert_eq!(remote["signature"]["status"], "missing");

    // `latest`, by name or by default, is reported; a version tag is not.
    let tagged = findings(&format!("{}/test/app:v1", reg.host()));
    assert!(tagged.contains(&"PL3051".into()) && !tagged.contains(&"PL3050".into()));
    for reference in [
        format!("{}/test/app", reg.host()),
        format!("docker://{}/test/app:latest", reg.host()),
    ] {
        let codes = findings(&reference);
        assert!(codes.contains(&"PL3050".into()), "{reference}: {codes:?}");
    }
    let pinned = format!("{}/test/app@{}", reg.host(), f.digest("v1"));
    assert_eq!(
        analysis(plimsoll(), &[], &pinned)["analysis"],
        layout["analysis"]
    );
    assert!(!findings(&pinned).contains(&"PL3050".into()));

    // A cosign signature by its tag: `sha256-HEX.sig` (distribution 2.8
    // has no referrers API).
    let sig_tag = f.digest("v1").replace(':', "-") + ".sig";
    reg.push("arm", &format!("test/app:{sig_tag}"), None);
    let signed = analysis(plimsoll(), &[], &format!("{}/test/app:v1", reg.host()));
    assert_eq!(signed["signature"]["status"], "found");
    let codes = findings(&format!("{}/test/app:v1", reg.host()));
    assert!(!codes.contains(&"PL3051".into()), "{codes:?}");

    // Errors: one line naming the reference, exit 2.
    let missing = format!("{}/test/app:nope", reg.host());
    let e = failure(plimsoll(), &[], &missing);
    assert!(e.contains(&missing) && e.contains("not found"), "{e}");
    let e = failure(plimsoll(), &[], &format!("{}/test/other:v1", reg.host()));
    assert!(e.contains("404"), "{e}");
}

#[test]
fn index_with_two_platforms() {
    let f = fixture();
    let reg = Registry::start("", false);
    reg.push("multi", "test/multi:1", None);
    let reference = format!("{}/test/multi:1", reg.host());

    let amd = analysis(plimsoll(), &[], &reference);
    assert_eq!(amd["platform"], "linux/amd64");
    assert_eq!(amd["digest"], f.digest("multi"));
    assert_eq!(amd["manifest_digest"], f.digest("v1"));
    assert_eq!(amd["analysis"], local("v1")["analysis"]);

    let arm = analysis(plimsoll(), &["--platform", "linux/arm64"], &reference);
    assert_eq!(arm["platform"], "linux/arm64");
    assert_eq!(arm["manifest_digest"], f.digest("arm"));
    assert_eq!(arm["digest"], f.digest("multi"));

    let e = failure(plimsoll(), &["--platform", "linux/s390x"], &reference);
    assert!(
        e.contains("no image for platform linux/s390x") && e.contains("linux/arm64"),
        "{e}"
    );
}

/// A DOCKER_CONFIG directory holding `config`.
fn docker_config(config: serde_json::Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("config.json"),
        serde_json::to_vec(&config).unwrap(),
    )
    .unwrap();
    dir
}

fn basic(user: &str, password: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
}

#[test]
fn basic_auth_over_tls() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let htpasswd = dir.path().join("htpasswd");
    let hash = bcrypt::hash("s3cret", 4).unwrap();
    fs::write(&htpasswd, format!("alice:{hash}\n")).unwrap();
    let reg = Registry::start(
        &format!(
            "auth:\n  htpasswd:\n    realm: plimsoll-test\n    path: {}\n",
            htpasswd.display()
        ),
        true,
    );
    reg.push("v1", "private/app:v1", Some("alice:s3cret"));
    let reference = format!("{}/private/app:v1", reg.host());
    let ca = f.ca.display().to_string();
    let layout = local("v1");

    let e = failure(plimsoll(), &["--ca-cert", &ca], &reference);
    assert!(e.contains("requires authentication"), "{e}");

    let auths = docker_config(serde_json::json!({"auths": {
        format!("https://{}", reg.host()): {"auth": basic("alice", "s3cret")}}}));
    let with = |dir: &tempfile::TempDir| {
        let mut cmd = plimsoll();
        cmd.env("DOCKER_CONFIG", dir.path());
        cmd
    };
    // The server's certificate is signed by a CA nobody trusts yet.
    let e = failure(with(&auths), &[], &reference);
    assert!(e.contains("TLS failure") && e.contains("--ca-cert"), "{e}");
    let a = analysis(with(&auths), &["--ca-cert", &ca], &reference);
    assert_eq!(a["analysis"], layout["analysis"]);
    let mut cmd = with(&auths);
    cmd.env("SSL_CERT_FILE", &f.ca);
    assert_eq!(
        analysis(cmd, &[], &reference)["analysis"],
        layout["analysis"]
    );

    let wrong = docker_config(serde_json::json!({"auths": {
        reg.host(): {"auth": basic("alice", "wrong")}}}));
    let e = failure(with(&wrong), &["--ca-cert", &ca], &reference);
    assert!(e.contains("refused the credentials"), "{e}");

    // A credential helper on PATH, by `credHelpers` and by `credsStore`.
    let (_bin, path) = credential_helper(
        "test",
        &format!(
            "#!/bin/sh\n[ \"$1\" = get ] || exit 3\nread -r server\n\
             if [ \"$server\" = \"{}\" ]; then\n\
             printf '{{\"ServerURL\":\"%s\",\"Username\":\"alice\",\"Secret\":\"s3cret\"}}' \"$server\"\n\
             else echo 'credentials not found in native keychain'; exit 1; fi\n",
            reg.host()
        ),
    );
    for config in [
        serde_json::json!({"credHelpers": {reg.host(): "test"}}),
        serde_json::json!({"credsStore": "test"}),
    ] {
        let dir = docker_config(config.clone());
        let mut cmd = with(&dir);
        cmd.env("PATH", &path);
        let a = analysis(cmd, &["--ca-cert", &ca], &reference);
        assert_eq!(a["analysis"], layout["analysis"], "{config}");
    }
}

/// A minimal HTTP/1.1 server on a loopback port: one request per
/// connection, answered by a handler (`None`: never answer).
struct Server {
    port: u16,
    log: Arc<Mutex<Vec<Request>>>,
}

#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    headers: BTreeMap<String, String>,
    body: Vec<u8>,
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    /// Send only this many bytes of the body, then close the connection.
    cut: Option<usize>,
}

impl Reply {
    fn new(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            cut: None,
        }
    }
    fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

type Handler = dyn Fn(&Request) -> Option<Reply> + Send + Sync;

impl Server {
    fn start(handler: impl Fn(&Request) -> Option<Reply> + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let shared = log.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = handler.clone();
                let log = shared.clone();
                thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        Server { port, log }
    }

    fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut headers = BTreeMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    let request = Request {
        method,
        path,
        headers,
        body,
    };
    log.lock().unwrap().push(request.clone());
    let Some(reply) = handler(&request) else {
        thread::sleep(Duration::from_secs(60));
        return;
    };
    let mut out = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut stream = stream;
    let _ = stream.write_all(out.as_bytes());
    if request.method != "HEAD" {
        let end = reply.cut.unwrap_or(reply.body.len()).min(reply.body.len());
        let _ = stream.write_all(&reply.body[..end]);
    }
    let _ = stream.flush();
}

/// The OCI layout served as repository `repo` of a registry.
fn serve_layout(req: &Request) -> Reply {
    let f = fixture();
    let path = req.path.split('?').next().unwrap_or_default();
    if path == "/v2/" {
        return Reply::new(200, "{}");
    }
    if let Some(r) = path.strip_prefix("/v2/repo/manifests/") {
        let (digest, media_type) = match f.tags.get(r) {
            Some((d, m, _)) => (d.clone(), m.clone()),
            None if r.starts_with("sha256:") => (r.to_string(), OCI_MANIFEST.to_string()),
            None => return Reply::new(404, r#"{"errors":[{"code":"MANIFEST_UNKNOWN"}]}"#),
        };
        let hex = &digest[7..];
        let Ok(body) = fs::read(f.layout().join("blobs/sha256").join(hex)) else {
            return Reply::new(404, "");
        };
        return Reply::new(200, body)
            .header("Content-Type", &media_type)
            .header("Docker-Content-Digest", &digest);
    }
    if let Some(d) = path
        .strip_prefix("/v2/repo/blobs/")
        .or_else(|| path.strip_prefix("/blob/"))
    {
        let Ok(body) = fs::read(
            f.layout()
                .join("blobs/sha256")
                .join(d.trim_start_matches("sha256:")),
        ) else {
            return Reply::new(404, "");
        };
        let from = req
            .headers
            .get("range")
            .and_then(|r| r.strip_prefix("bytes="))
            .and_then(|r| r.strip_suffix('-'))
            .and_then(|n| n.parse::<usize>().ok());
        return match from {
            Some(n) if n < body.len() => Reply::new(206, body[n..].to_vec()).header(
                "Content-Range",
                &format!("bytes {n}-{}/{}", body.len() - 1, body.len()),
            ),
            _ => Reply::new(200, body),
        };
    }
    Reply::new(404, "")
}

fn manifest_layers(tag: &str) -> Vec<String> {
    let f = fixture();
    let m: serde_json::Value = serde_json::from_slice(&f.blob(f.digest(tag))).unwrap();
    m["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["digest"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn faults_are_retried_or_reported() {
    let layout = local("v1");

    // 429 (Retry-After: 1), then 500, then the manifest: retried.
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    let flaky = Server::start(move |req| {
        if req.path.ends_with("/manifests/v1") {
            match counter.fetch_add(1, Ordering::SeqCst) {
                0 => return Some(Reply::new(429, "").header("Retry-After", "1")),
                1 => return Some(Reply::new(500, "")),
                _ => {}
            }
        }
        Some(serve_layout(req))
    });
    let start = Instant::now();
    let a = analysis(
        plimsoll(),
        &[],
        &format!("127.0.0.1:{}/repo:v1", flaky.port),
    );
    assert_eq!(a["analysis"], layout["analysis"]);
    assert_eq!(hits.load(Ordering::SeqCst), 3);
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );

    // Always 500: a bounded number of tries, then one line.
    let broken = Server::start(|req| {
        Some(if req.path == "/v2/" {
            Reply::new(200, "{}")
        } else {
            Reply::new(
                500,
                r#"{"errors":[{"code":"UNKNOWN","message":"disk on fire"}]}"#,
            )
        })
    });
    let e = failure(
        plimsoll(),
        &[],
        &format!("127.0.0.1:{}/repo:v1", broken.port),
    );
    assert!(
        e.contains("500 Internal Server Error") && e.contains("disk on fire"),
        "{e}"
    );
    let tries = broken
        .requests()
        .iter()
        .filter(|r| r.path.contains("manifests"))
        .count();
    assert_eq!(tries, 4, "1 + 3 retries");

    // A registry that never answers: an error within the timeout.
    let hang = Server::start(|_| None);
    let start = Instant::now();
    let e = failure(
        plimsoll(),
        &["--timeout", "1"],
        &format!("127.0.0.1:{}/repo:v1", hang.port),
    );
    assert!(e.contains("timed out") && e.contains("1s"), "{e}");
    assert!(start.elapsed() < Duration::from_secs(10));

    // A blob whose content is another layer's: the digest check fails.
    let layers = manifest_layers("v1");
    let (first, second) = (layers[0].clone(), layers[1].clone());
    let swapped = Server::start(move |req| {
        if req.path.ends_with(&first) {
            let mut other = req.clone();
            other.path = format!("/v2/repo/blobs/{second}");
            return Some(serve_layout(&other));
        }
        Some(serve_layout(req))
    });
    let e = failure(
        plimsoll(),
        &[],
        &format!("127.0.0.1:{}/repo:v1", swapped.port),
    );
    assert!(e.contains("does not match its digest"), "{e}");

    // A connection that breaks in the middle of the largest layer: the
    // download resumes with `Range` where it stopped.
    let big = layers[0].clone();
    let cuts = Arc::new(AtomicUsize::new(0));
    let counter = cuts.clone();
    let cut = Server::start(move |req| {
        let reply = serve_layout(req);
        if req.path.ends_with(&big) && !req.headers.contains_key("range") {
            counter.fetch_add(1, Ordering::SeqCst);
            let half = reply.body.len() / 2;
            return Some(Reply {
                cut: Some(half),
                ..reply
            });
        }
        Some(reply)
    });
    let a = analysis(plimsoll(), &[], &format!("127.0.0.1:{}/repo:v1", cut.port));
    assert_eq!(a["analysis"], layout["analysis"]);
    assert_eq!(cuts.load(Ordering::SeqCst), 1);
    assert!(
        cut.requests()
            .iter()
            .any(|r| r.headers.contains_key("range"))
    );

    // A manifest that is not what the registry says it is.
    let lying = Server::start(|req| {
        let reply = serve_layout(req);
        Some(if req.path.ends_with("/manifests/v1") {
            let mut body = reply.body;
            body.push(b'\n');
            Reply { body, ..reply }
        } else {
            reply
        })
    });
    let e = failure(
        plimsoll(),
        &[],
        &format!("127.0.0.1:{}/repo:v1", lying.port),
    );
    assert!(e.contains("does not match its digest"), "{e}");
}

/// `plimsoll ARGS` on a pseudo terminal (util-linux `script`): stdout and
/// stderr are both the terminal, and what it showed comes back, escape
/// sequences and all, with the exit code.
fn on_a_terminal(args: &[&str], env: &[(&str, &str)]) -> (String, Option<i32>) {
    let program = assert_cmd::cargo::cargo_bin("plimsoll");
    let line = std::iter::once(program.display().to_string())
        .chain(args.iter().map(|a| a.to_string()))
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let mut script = std::process::Command::new("script");
    script
        .args(["-qfec", &line, "/dev/null"])
        .current_dir(&fixture().root)
        .env("NO_COLOR", "1")
        .env("DOCKER_CONFIG", fixture().root.join("no-docker-config"))
        .env_remove("SSL_CERT_FILE")
        .stdin(Stdio::null());
    for (k, v) in env {
        script.env(k, v);
    }
    let out = script
        .output()
        .unwrap_or_else(|e| panic!("script: {e} (util-linux's `script` runs a pseudo terminal)"));
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code(),
    )
}

#[test]
fn a_progress_bar_on_a_terminal_only() {
    // A registry slow enough that the bar has time to show: every blob
    // waits 400 ms.
    let slow = Server::start(|req| {
        if req.path.contains("/blobs/") {
            thread::sleep(Duration::from_millis(400));
        }
        Some(serve_layout(req))
    });
    let reference = format!("127.0.0.1:{}/repo:v1", slow.port);
    let layers = manifest_layers("v1").len();

    for term in ["xterm-256color", "linux"] {
        let (shown, code) = on_a_terminal(&["image", "--no-fail", &reference], &[("TERM", term)]);
        assert_eq!(code, Some(0), "{term}: {shown}");
        // Redrawn in place: each state after a carriage return.
        let states: Vec<&str> = shown.split('\r').collect();
        // While the manifest is fetched, a spinner; no bar, which would
        // look full at 0 of 0.
        assert!(
            states
                .iter()
                .any(|s| s.contains(&format!("{reference}: opening"))),
            "{term}: no spinner:\n{shown:?}"
        );
        assert!(!shown.contains("0/0 layers"), "{term}:\n{shown:?}");
        // Then the bar, counting the layers.
        let bar = format!("{reference} [");
        assert!(
            states
                .iter()
                .any(|s| s.contains(&bar) && s.contains(&format!("/{layers} layers"))),
            "{term}: no bar with the layer count:\n{shown:?}"
        );
        // Cleared before the report: the breakdown's header comes after
        // the last state drawn, on an erased line.
        let last = shown
            .rfind(&format!("{reference}: opening"))
            .max(shown.rfind(&bar));
        let report = shown
            .find("compressed")
            .unwrap_or_else(|| panic!("{term}: no report:\n{shown:?}"));
        assert!(last.unwrap() < report, "{term}:\n{shown:?}");
        assert!(
            shown[last.unwrap()..report].contains("\u{1b}[2K"),
            "{term}: the bar is erased:\n{shown:?}"
        );
    }

    // A terminal that cannot redraw a line, and stderr piped: no bar.
    let (shown, code) = on_a_terminal(&["image", "--no-fail", &reference], &[("TERM", "dumb")]);
    assert_eq!(code, Some(0), "{shown}");
    assert!(
        !shown.contains(" layers ") && !shown.contains('\u{1b}'),
        "{shown:?}"
    );
    assert!(shown.contains("compressed"), "{shown:?}");
    // Piped: no bar, stderr empty.
    let out = plimsoll()
        .args(["image", "--no-fail", &reference])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains(" layers "),
        "no bar on stdout"
    );
}

/// A `docker-credential-NAME` script in a directory of its own, and a
/// `PATH` that finds it first.
fn credential_helper(name: &str, text: &str) -> (tempfile::TempDir, String) {
    let bin = tempfile::tempdir().unwrap();
    support::script(bin.path(), &format!("docker-credential-{name}"), text);
    let path = support::path_with(bin.path());
    (bin, path)
}

#[test]
fn a_hanging_credential_helper_is_stopped_at_the_timeout() {
    // A registry that asks for a password; the helper reads the server
    // name, then never answers (its child `sleep` holds the pipes open
    // too). The pid file shows the helper was killed, not left behind.
    let basic = Server::start(|req| {
        Some(
            if req.headers.get("authorization").map(String::as_str) == Some("Basic dTpw") {
                serve_layout(req)
            } else {
                Reply::new(401, "").header("WWW-Authenticate", r#"Basic realm="test""#)
            },
        )
    });
    let registry = format!("127.0.0.1:{}", basic.port);
    let reference = format!("{registry}/repo:v1");
    let pids = tempfile::tempdir().unwrap();
    let pid_file = pids.path().join("helper.pid");
    let (_bin, path) = credential_helper(
        "hang",
        &format!(
            "#!/bin/sh\necho $$ > {}\nread -r server\nsleep 30\n",
            pid_file.display()
        ),
    );
    for config in [
        serde_json::json!({"credHelpers": {&registry: "hang"}}),
        serde_json::json!({"credsStore": "hang"}),
    ] {
        let dir = docker_config(config.clone());
        let mut cmd = plimsoll();
        cmd.env("DOCKER_CONFIG", dir.path()).env("PATH", &path);
        let start = Instant::now();
        let e = failure(cmd, &["--timeout", "1"], &reference);
        assert!(start.elapsed() < Duration::from_secs(10), "{config}");
        assert!(
            e.contains(&format!(
                "the credential helper `docker-credential-hang` did not answer for {registry} within 1s (--timeout); it was stopped"
            )),
            "{config}: {e}"
        );
        let pid = fs::read_to_string(&pid_file).unwrap();
        let alive = std::process::Command::new("kill")
            .args(["-0", pid.trim()])
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success();
        assert!(!alive, "{config}: helper {pid} still runs");
    }

    // The same helper answering in time: the image is read.
    let (_bin, path) = credential_helper(
        "quick",
        "#!/bin/sh\nread -r server\nprintf '{\"Username\":\"u\",\"Secret\":\"p\"}'\n",
    );
    let dir = docker_config(serde_json::json!({"credsStore": "quick"}));
    let mut cmd = plimsoll();
    cmd.env("DOCKER_CONFIG", dir.path()).env("PATH", &path);
    let a = analysis(cmd, &["--timeout", "5"], &reference);
    assert_eq!(a["analysis"], local("v1")["analysis"]);
}

#[test]
fn blob_redirects_to_another_host_carry_no_credentials() {
    let layout = local("v1");
    let store = Server::start(|req| Some(serve_layout(req)));
    let store_port = store.port;
    let expected = format!("Basic {}", basic("bob", "pw"));
    let registry = Server::start(move |req| {
        if req.path != "/v2/" && req.headers.get("authorization") != Some(&expected) {
            return Some(
                Reply::new(401, r#"{"errors":[{"code":"UNAUTHORIZED"}]}"#)
                    .header("WWW-Authenticate", r#"Basic realm="fake""#),
            );
        }
        if let Some(d) = req.path.strip_prefix("/v2/repo/blobs/") {
            return Some(Reply::new(307, "").header(
                "Location",
                &format!("http://localhost:{store_port}/blob/{d}?sig=x"),
            ));
        }
        Some(serve_layout(req))
    });
    let config = docker_config(serde_json::json!({"auths": {
        format!("127.0.0.1:{}", registry.port): {"auth": basic("bob", "pw")}}}));
    let mut cmd = plimsoll();
    cmd.env("DOCKER_CONFIG", config.path());
    let a = analysis(cmd, &[], &format!("127.0.0.1:{}/repo:v1", registry.port));
    assert_eq!(a["analysis"], layout["analysis"]);
    let at_store = store.requests();
    assert!(
        at_store.len() >= 3,
        "config and layers from the store: {at_store:?}"
    );
    assert!(
        at_store
            .iter()
            .all(|r| !r.headers.contains_key("authorization")),
        "{at_store:?}"
    );
    assert!(
        registry
            .requests()
            .iter()
            .any(|r| r.headers.contains_key("authorization"))
    );
}

fn b64url(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A token endpoint for docker-registry's `auth: token`: JWTs signed
/// (RS256, by `openssl dgst`) with a key whose certificate the registry
/// trusts, carried in the `x5c` header. `GET` with Basic `alice:s3cret`
/// or `POST` of the refresh token `refresh-abc` get the access asked for;
/// anything else is refused.
fn token_server(dir: &Path) -> Server {
    let openssl = |args: &[&str]| run(dir, "openssl", args);
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=plimsoll token issuer",
        "-keyout",
        "jwt.key",
        "-out",
        "jwt.pem",
    ]);
    openssl(&[
        "x509", "-in", "jwt.pem", "-outform", "DER", "-out", "jwt.der",
    ]);
    let der = fs::read(dir.join("jwt.der")).unwrap();
    let dir = dir.to_path_buf();
    let good = format!("Basic {}", basic("alice", "s3cret"));
    Server::start(move |req| {
        let query: BTreeMap<String, String> = if req.method == "POST" {
            form(&String::from_utf8_lossy(&req.body))
        } else {
            form(req.path.split_once('?').map_or("", |(_, q)| q))
        };
        let allowed = if req.method == "POST" {
            query.get("grant_type").map(String::as_str) == Some("refresh_token")
                && query.get("refresh_token").map(String::as_str) == Some("refresh-abc")
        } else {
            req.headers.get("authorization") == Some(&good)
        };
        if !allowed {
            return Some(Reply::new(401, r#"{"details":"bad credentials"}"#));
        }
        let access: Vec<serde_json::Value> = query
            .get("scope")
            .map(String::as_str)
            .unwrap_or_default()
            .split(' ')
            .filter_map(|scope| {
                let mut parts = scope.splitn(3, ':');
                let (kind, name, actions) = (parts.next()?, parts.next()?, parts.next()?);
                Some(serde_json::json!({"type": kind, "name": name,
                    "actions": actions.split(',').collect::<Vec<_>>()}))
            })
            .collect();
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let header = serde_json::json!({"typ": "JWT", "alg": "RS256",
            "x5c": [base64::engine::general_purpose::STANDARD.encode(&der)]});
        let claims = serde_json::json!({"iss": "plimsoll-test-issuer", "sub": "alice",
            "aud": "plimsoll-test", "exp": now + 600, "nbf": now - 60, "iat": now,
            "jti": format!("{now}-{}", req.path.len()), "access": access});
        let signing_input = format!(
            "{}.{}",
            b64url(header.to_string().as_bytes()),
            b64url(claims.to_string().as_bytes())
        );
        let mut child = std::process::Command::new("openssl")
            .args(["dgst", "-sha256", "-sign", "jwt.key"])
            .current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(signing_input.as_bytes())
            .unwrap();
        let signature = child.wait_with_output().unwrap().stdout;
        let jwt = format!("{signing_input}.{}", b64url(&signature));
        let key = if req.method == "POST" {
            "access_token"
        } else {
            "token"
        };
        Some(Reply::new(200, serde_json::json!({ key: jwt }).to_string()))
    })
}

/// `a=1&b=x%3Ay` → map (percent-decoded, `+` as space).
fn form(query: &str) -> BTreeMap<String, String> {
    let decode = |s: &str| {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'%' if i + 2 < bytes.len() => {
                    let h = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("00");
                    out.push(u8::from_str_radix(h, 16).unwrap_or(b'?'));
                    i += 3;
                }
                b'+' => {
                    out.push(b' ');
                    i += 1;
                }
                b => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k), decode(v));
        // Several `scope` parameters are one space-separated list.
        map.entry(k)
            .and_modify(|old| {
                old.push(' ');
                old.push_str(&v);
            })
            .or_insert(v);
    }
    map
}

#[test]
fn bearer_token_flow_with_a_real_registry() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = token_server(dir.path());
    let reg = Registry::start(
        &format!(
            "auth:\n  token:\n    realm: http://127.0.0.1:{}/token\n    service: plimsoll-test\n\
             \x20   issuer: plimsoll-test-issuer\n    rootcertbundle: {}\n",
            tokens.port,
            dir.path().join("jwt.pem").display()
        ),
        false,
    );
    reg.push("v1", "tok/app:v1", Some("alice:s3cret"));
    let reference = format!("{}/tok/app:v1", reg.host());
    let layout = local("v1");

    let e = failure(plimsoll(), &[], &reference);
    assert!(e.contains("token endpoint") && e.contains("401"), "{e}");

    for auth in [
        serde_json::json!({"auth": basic("alice", "s3cret")}),
        serde_json::json!({"identitytoken": "refresh-abc"}),
    ] {
        let config = docker_config(serde_json::json!({"auths": { reg.host(): auth.clone() }}));
        let mut cmd = plimsoll();
        cmd.env("DOCKER_CONFIG", config.path());
        let a = analysis(cmd, &[], &reference);
        assert_eq!(a["analysis"], layout["analysis"], "{auth}");
    }
    let asked: Vec<String> = tokens
        .requests()
        .iter()
        .filter(|r| {
            !r.headers
                .get("user-agent")
                .is_some_and(|u| u.contains("containers"))
        })
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert!(
        asked
            .iter()
            .any(|r| r.contains("scope=repository%3Atok%2Fapp%3Apull")),
        "{asked:?}"
    );
    assert!(asked.iter().any(|r| r.starts_with("POST")), "{asked:?}");
}

#[test]
fn signatures_from_the_referrers_api() {
    let f = fixture();
    let digest = f.digest("v1").to_string();
    let answer = |artifact_type: &'static str| {
        let digest = digest.clone();
        Server::start(move |req| {
            if req.path == format!("/v2/repo/referrers/{digest}") {
                let index = serde_json::json!({"schemaVersion": 2, "mediaType": OCI_INDEX,
                    "manifests": [{"mediaType": OCI_MANIFEST, "artifactType": artifact_type,
                        "digest": digest, "size": 1}]});
                return Some(Reply::new(200, index.to_string()).header("Content-Type", OCI_INDEX));
            }
            if req.path.contains(".sig") {
                // Only the referrers API may say it is signed.
                return Some(Reply::new(500, ""));
            }
            Some(serve_layout(req))
        })
    };
    let signed = answer("application/vnd.dev.sigstore.bundle.v0.3+json");
    let a = analysis(
        plimsoll(),
        &[],
        &format!("127.0.0.1:{}/repo:v1", signed.port),
    );
    assert_eq!(a["signature"]["status"], "found", "{}", a["signature"]);
    assert!(a["signature"]["how"].as_str().unwrap().contains("referrer"));

    // An SBOM is not a signature; the tag lookup then fails: unknown, and
    // no finding either way.
    let sbom = answer("application/spdx+json");
    let reference = format!("127.0.0.1:{}/repo:v1", sbom.port);
    let a = analysis(plimsoll(), &[], &reference);
    assert_eq!(a["signature"]["status"], "unknown", "{}", a["signature"]);
    assert!(!findings(&reference).contains(&"PL3051".into()));
}
