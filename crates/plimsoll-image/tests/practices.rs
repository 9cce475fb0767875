//! The configuration and filesystem practices (`PL3006`, `PL3008`–
//! `PL3021`) and the package inventory, end to end on real images built
//! with umoci (Debian packages `umoci busybox-static`). Every finding the
//! image should give is listed; so is every one it must not.

mod support;

use plimsoll_image::{Ecosystem, Inspection};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use support::{Applets, HINT, Umoci, install_busybox, mkdir, run_tool};

fn run(dir: &Path, program: &str, args: &[&str]) -> String {
    run_tool(dir, program, args, HINT)
}

/// Extra dpkg stanzas that are not installed: a removed package that left
/// its configuration, and a purged one.
const NOT_INSTALLED: &str = "\nPackage: plimsoll-removed\nStatus: deinstall ok config-files\nPriority: optional\nVersion: 1.0-1\nArchitecture: amd64\nConffiles:\n /etc/plimsoll-removed.conf 0123456789abcdef0123456789abcdef\n\nPackage: plimsoll-purged\nStatus: purge ok not-installed\nPriority: optional\n";

struct Fixture {
    root: PathBuf,
    /// The dpkg admin directory the image's status came from.
    admindir: PathBuf,
}

/// Tags: `v1` runs as root (no User), `ghost` as a user the image lacks,
/// `toor` as a second UID 0 account, `app` as `app:app`.
fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let image = Umoci::new(
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("plimsoll-image-practices"),
            HINT,
        );
        let root = image.root().to_path_buf();
        let rootfs = image.rootfs();
        let write = |path: &str, data: &[u8], mode: u32| image.write_mode(path, data, mode);
        let repack = |step: &str| image.repack(step);

        // Layer 1: busybox with a few applets, accounts, a shadow file
        // whose root password is empty (replaced in layer 2), dpkg's
        // database, apt lists, a setuid and a world-writable file, a .git
        // directory that layer 2 deletes.
        install_busybox(&rootfs, Applets::Only(&["sh", "ls", "wget", "nc"]), HINT);
        write("usr/bin/apt-get", b"#!/bin/sh\n", 0o755);
        write("usr/bin/dpkg", b"#!/bin/sh\n", 0o755);
        write(
            "etc/passwd",
            b"root:x:0:0:root:/root:/bin/sh\ntoor:x:0:0:second root:/root:/bin/sh\napp:x:1000:1000::/app:/bin/sh\n",
            0o644,
        );
        write("etc/group", b"root:x:0:\napp:x:1000:\n", 0o644);
        write(
            "etc/shadow",
            b"root::19000:0:99999:7:::\ntoor:*:19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n",
            0o640,
        );
        let mut status = fs::read_to_string("/var/lib/dpkg/status").unwrap();
        status.push_str(NOT_INSTALLED);
        write("var/lib/dpkg/status", status.as_bytes(), 0o644);
        write(
            "etc/os-release",
            b"PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n",
            0o644,
        );
        let lists = vec![b'p'; 30_000];
        write(
            "var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages",
            &lists,
            0o644,
        );
        write("var/lib/apt/lists/lock", b"", 0o640);
        mkdir(&rootfs, "var/lib/apt/lists/partial", 0o700);
        write("usr/local/bin/helper", b"#!/bin/sh\n", 0o4755);
        write("app/data.txt", b"shared\n", 0o666);
        mkdir(&rootfs, "tmp", 0o1777);
        write("tmp/scratch", b"x", 0o666);
        mkdir(&rootfs, "app/upload", 0o777);
        write("old/.git/HEAD", b"ref: refs/heads/main\n", 0o644);
        repack("COPY rootfs/ /");

        // Layer 2: the source tree with its .git, a locked root password
        // and an empty one for app, the old .git removed.
        write("app/src/.git/HEAD", b"ref: refs/heads/main\n", 0o644);
        write("app/src/.git/config", b"[core]\n", 0o644);
        write("app/src/main.py", b"print('hi')\n", 0o644);
        write("app/src/.env", b"TOKEN=x\n", 0o644);
        write(
            "usr/lib/python3/dist-packages/Flask_Login-0.6.3.dist-info/METADATA",
            b"Metadata-Version: 2.1\nName: Flask-Login\nVersion: 0.6.3\nLicense: MIT\n\nUser session management.\n",
            0o644,
        );
        write(
            "app/node_modules/@types/node/package.json",
            br#"{"name": "@types/node", "version": "20.11.5", "license": "MIT"}"#,
            0o644,
        );
        write(
            "app/node_modules/left-pad/package.json",
            br#"{"name": "left-pad", "version": "1.3.0", "license": "WTFPL"}"#,
            0o644,
        );
        write(
            "etc/shadow",
            b"root:*:19000:0:99999:7:::\ntoor:*:19000:0:99999:7:::\napp::19000:0:99999:7:::\n",
            0o640,
        );
        image.remove("old");
        repack("COPY . /app/src");

        image.config(&[
            "--config.exposedports",
            "22/tcp",
            "--config.exposedports",
            "8080/tcp",
            "--config.volume",
            "/etc",
            "--config.volume",
            "/data",
            "--config.label",
            "org.opencontainers.image.source=https://example.com/app",
            "--config.cmd",
            "/bin/sh",
        ]);
        for (tag, user) in [("ghost", "ghost"), ("toor", "toor"), ("app", "app:app")] {
            image.tag(tag, &["--config.user", user]);
        }
        let admindir = root.join("dpkg");
        fs::create_dir_all(&admindir).unwrap();
        fs::write(admindir.join("status"), &status).unwrap();
        Fixture { root, admindir }
    })
}

fn inspected(tag: &str) -> Inspection {
    support::inspected(&format!(
        "oci:{}:{tag}",
        fixture().root.join("oci").display()
    ))
}

/// `(code, layer, path)` of every finding.
fn located(i: &Inspection) -> Vec<(&str, Option<usize>, Option<&str>)> {
    i.findings
        .iter()
        .map(|f| (f.code.as_str(), f.layer, f.path.as_deref()))
        .collect()
}

fn messages<'a>(i: &'a Inspection, code: &str) -> Vec<&'a str> {
    i.findings
        .iter()
        .filter(|f| f.code == code)
        .map(|f| f.message.as_str())
        .collect()
}

#[test]
fn every_practice_finding_of_the_root_image() {
    let i = inspected("v1");
    assert_eq!(
        located(&i),
        [
            ("PL3006", None, None),
            ("PL3008", None, None),
            ("PL3009", None, None),
            ("PL3010", None, Some("/etc")),
            ("PL3011", Some(0), Some("/usr/local/bin/helper")),
            ("PL3012", Some(0), Some("/app/data.txt")),
            ("PL3012", Some(0), Some("/app/upload")),
            ("PL3013", None, None),
            ("PL3013", None, None),
            ("PL3013", None, None),
            ("PL3014", Some(0), Some("/var/lib/apt/lists")),
            ("PL3015", Some(1), Some("/etc/shadow")),
            ("PL3016", Some(0), Some("/etc/passwd")),
            ("PL3018", Some(1), Some("/app/src/.git")),
            ("PL3019", Some(1), Some("/app/src/.env")),
            ("PL3020", None, None),
        ],
        "{:#?}",
        i.findings
    );
    assert_eq!(
        messages(&i, "PL3006"),
        [
            "the image runs as root: the config sets no User; add `USER <non-root>` to the final stage"
        ]
    );
    assert_eq!(
        messages(&i, "PL3008"),
        ["the image runs a service (it exposes 2 ports (22/tcp…)) but defines no HEALTHCHECK"]
    );
    assert_eq!(
        messages(&i, "PL3011"),
        ["/usr/local/bin/helper is setuid (owner root, mode 4755), added in layer 1"]
    );
    assert_eq!(
        messages(&i, "PL3013"),
        [
            "the final image ships shells: busybox, sh",
            "the final image ships package managers: apt-get, dpkg",
            "the final image ships network and privilege tools: nc, wget",
        ]
    );
    assert_eq!(
        messages(&i, "PL3014"),
        ["apt cache /var/lib/apt/lists holds 30.0 kB in 1 file, most of it from layer 1"]
    );
    // Only app's password is empty in the final /etc/shadow; root's empty
    // one in layer 1 was replaced.
    assert_eq!(
        messages(&i, "PL3015"),
        ["account `app` has an empty password in /etc/shadow: anyone can log in as it"]
    );
    assert_eq!(
        messages(&i, "PL3016"),
        ["UID 0 is shared by root, toor in /etc/passwd"]
    );
    assert_eq!(
        messages(&i, "PL3018"),
        [
            "/app/src/.git (2 files, 28 B): version-control metadata, added in layer 2; add it to .dockerignore"
        ]
    );
    assert_eq!(
        messages(&i, "PL3020"),
        [
            "the image has no org.opencontainers.image.revision, org.opencontainers.image.version, org.opencontainers.image.licenses labels"
        ]
    );
}

#[test]
fn users_resolve_through_the_image_passwd() {
    let codes = |i: &Inspection| -> Vec<String> {
        i.findings
            .iter()
            .filter(|f| matches!(f.code.as_str(), "PL3006" | "PL3021"))
            .map(|f| format!("{}: {}", f.code, f.message))
            .collect()
    };
    assert_eq!(
        codes(&inspected("ghost")),
        [
            "PL3021: the config's User `ghost` names user `ghost`, but /etc/passwd has no such account: the container will not start"
        ]
    );
    assert_eq!(
        codes(&inspected("toor")),
        ["PL3006: the image runs as root: the config's User `toor` has UID 0 in /etc/passwd"]
    );
    assert!(codes(&inspected("app")).is_empty());
}

#[test]
fn dpkg_inventory_matches_dpkg_query() {
    let f = fixture();
    let admindir = f.admindir.display().to_string();
    let listed = run(
        &f.root,
        "dpkg-query",
        &[
            &format!("--admindir={admindir}"),
            "-W",
            "-f",
            "${db:Status-Status} ${Package} ${Version}\n",
        ],
    );
    // dpkg-query -W also lists packages removed with their configuration
    // left (`config-files`): their files are gone, so plimsoll leaves
    // them out.
    assert!(listed.contains("config-files plimsoll-removed 1.0-1"));
    let mut expected: Vec<String> = listed
        .lines()
        .filter_map(|l| l.strip_prefix("installed "))
        .map(str::to_string)
        .collect();
    expected.sort();
    assert!(expected.len() > 50, "{}", expected.len());

    let i = inspected("v1");
    let mut found: Vec<String> = i
        .packages
        .iter()
        .filter(|p| p.ecosystem == Ecosystem::Deb)
        .map(|p| format!("{} {}", p.name, p.version))
        .collect();
    found.sort();
    assert_eq!(found, expected);
    let libc = i.packages.iter().find(|p| p.name == "libc6").unwrap();
    assert!(
        libc.purl.starts_with("pkg:deb/debian/libc6@")
            && libc.purl.ends_with("&distro=debian-12")
            && libc.purl.contains("?arch="),
        "{}",
        libc.purl
    );
    assert_eq!(
        (libc.path.as_str(), libc.layer),
        ("/var/lib/dpkg/status", 0)
    );
}

#[test]
fn sbom_is_valid_cyclonedx_1_5() {
    let i = inspected("v1");
    let others: Vec<(&str, &str, &str)> = i
        .packages
        .iter()
        .filter(|p| p.ecosystem != Ecosystem::Deb)
        .map(|p| (p.name.as_str(), p.version.as_str(), p.purl.as_str()))
        .collect();
    assert_eq!(
        others,
        [
            ("Flask-Login", "0.6.3", "pkg:pypi/flask-login@0.6.3"),
            ("@types/node", "20.11.5", "pkg:npm/%40types/node@20.11.5"),
            ("left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0"),
        ]
    );
    let bom = plimsoll_image::sbom::cyclonedx(&i.image, &i.packages, "0.0.0-test");
    assert_eq!(bom["metadata"]["component"]["type"], "container");
    assert_eq!(
        bom["metadata"]["component"]["version"],
        i.image.manifest_digest.as_ref().unwrap().to_string()
    );
    let components = bom["components"].as_array().unwrap();
    assert_eq!(components.len(), i.packages.len());
    assert!(
        components
            .iter()
            .any(|c| c["purl"] == "pkg:npm/left-pad@1.3.0"
                && c["licenses"][0]["license"]["name"] == "WTFPL")
    );
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plimsoll-sbom.json");
    fs::write(&path, serde_json::to_vec_pretty(&bom).unwrap()).unwrap();
    validate(&path).unwrap();

    // The validator can fail: a BOM with a component without a name.
    let mut broken = bom.clone();
    broken["components"][0]
        .as_object_mut()
        .unwrap()
        .remove("name");
    let bad = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plimsoll-sbom-broken.json");
    fs::write(&bad, serde_json::to_vec(&broken).unwrap()).unwrap();
    let e = validate(&bad).unwrap_err();
    assert!(
        e.contains("components/0: 'name' is a required property"),
        "{e}"
    );
}

/// Validate with the vendored official schema (tests/cyclonedx).
fn validate(bom: &Path) -> Result<(), String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cyclonedx/validate.py");
    let out = Command::new("python3")
        .arg(&script)
        .arg(bom)
        .output()
        .unwrap_or_else(|e| panic!("python3: {e} (pip install jsonschema)"));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !stderr.contains("ModuleNotFoundError"),
        "python's jsonschema is missing: pip install jsonschema ({stderr})"
    );
    if out.status.success() {
        Ok(())
    } else {
        Err(stderr)
    }
}
