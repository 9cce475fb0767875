//! The apk and distroless dpkg package databases end to end: real images
//! built with umoci (Debian package `umoci`) carrying an Alpine
//! `lib/apk/db/installed` and a distroless `var/lib/dpkg/status.d/`, read
//! through `plimsoll image --packages --format json` and `--sbom
//! cyclonedx`. Every package each image holds is listed, with its package
//! URL, and nothing else.

mod support;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use support::{Umoci, json_of};

const HINT: &str = "needs umoci: apt-get install -y umoci";

/// An Alpine 3.19 `lib/apk/db/installed` as apk writes it: one block per
/// package, single-letter keys, file lists (`F:`, `R:`, `a:`, `Z:`) after
/// the package's own fields, a blank line after every block.
const APK_BASE: &str = "\
C:Q1Xbh0c+Tz+8Jk0Ccw8WxTUUsb7dA=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407278
I:663552
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1702914806
c:d32b5a9c47e0a8eb77f3aa0b8e4c2d2e1a1e1d1c
p:so:libc.musl-x86_64.so.1=1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1rZFSyTs8JfSCqGwGUmTc1yXDsMI=
R:libc.musl-x86_64.so.1
a:0:0:777
Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=

C:Q1/6mQbYwT7f6yTjqxWu0hFTPoh/A=
P:busybox
V:1.36.1-r15
A:x86_64
S:509452
I:946176
T:Size optimized toolbox of many common UNIX utilities
U:https://busybox.net/
L:GPL-2.0-only
o:busybox
m:Sören Tempel <soeren+alpine@soeren-tempel.net>
t:1703003414
c:b1a8a2a7a1a3d9e2f0c0d2e8e3f4a5b6c7d8e9f0
D:so:libc.musl-x86_64.so.1
p:/bin/sh cmd:busybox=1.36.1-r15 cmd:sh=1.36.1-r15
r:busybox-initscripts
F:bin
R:busybox
a:0:0:755
Z:Q1WUwBY0eOGgzgVxTZxJBZPyQUicI=
R:sh
a:0:0:777
Z:Q1pcfTfDNEbNKQc2s1tia7da05M8Q=

C:Q1M/K1KmY+3YR+YgO7K5jYdYQmA7A=
P:alpine-baselayout-data
V:3.4.3-r2
A:x86_64
S:11664
I:77824
T:Alpine base dir structure and init scripts
U:https://git.alpinelinux.org/cgit/aports/tree/main/alpine-baselayout
L:GPL-2.0-only
o:alpine-baselayout
m:Natanael Copa <ncopa@alpinelinux.org>
t:1699291911
c:7749273a9bc58fc1ad5b2fd03aa1a4ac5e2d1e07
r:alpine-baselayout
F:etc
R:fstab
Z:Q11Q7hNe8QpDS531guqCdrXBzoA/o=
R:group
Z:Q12Otk4M39fP2Zjkobu0nC9FvlRI0=

C:Q1YFhEakD1nVNdvsv2GlFT7ecgiPA=
P:ca-certificates-bundle
V:20240226-r0
A:x86_64
S:129013
I:233472
T:Pre generated bundle of Mozilla certificates
U:https://www.mozilla.org/en-US/about/governance/policies/security-group/certs/
L:MPL-2.0 AND MIT
o:ca-certificates
m:Natanael Copa <ncopa@alpinelinux.org>
t:1709145744
c:05d3d1eb1ec8c6e9e4d1f4e0a7b0b1c2d3e4f5a6
p:ca-certificates-cacert=20240226-r0
F:etc/ssl/certs
R:ca-certificates.crt
Z:Q1OTxbVpXn6sj1kJ1Y0m3cO9fCUFU=

";

/// What `apk add curl` appends in the next layer.
const APK_CURL: &str = "\
C:Q1nYwVxS2Yd7y7c0i0FvJz0fTn1T8=
P:libcurl
V:8.5.0-r0
A:x86_64
S:331234
I:630784
T:The multiprotocol file transfer library
U:https://curl.se/
L:curl
o:curl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1701854236
c:1d3f7b0f9f1cde0e2f6a2a5c6b7d8e9f0a1b2c3d
D:ca-certificates-bundle so:libc.musl-x86_64.so.1
p:so:libcurl.so.4=4.8.0
F:usr/lib
R:libcurl.so.4.8.0
a:0:0:755
Z:Q1d6Wq5tYvC8w7G3gU0hB1jXy0zFk=

C:Q1gH5mN2pQ7rT0vW3yZ6bC9eF2hJ4=
P:curl
V:8.5.0-r0
A:x86_64
S:153442
I:258048
T:URL retrieval utility and library
U:https://curl.se/
L:curl
o:curl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1701854236
c:1d3f7b0f9f1cde0e2f6a2a5c6b7d8e9f0a1b2c3d
D:ca-certificates-bundle so:libc.musl-x86_64.so.1 so:libcurl.so.4
p:cmd:curl=8.5.0-r0
F:usr/bin
R:curl
a:0:0:755
Z:Q1kL8pM3nQ6rS9tV2wY5zA8cD1fG4=

";

/// A distroless image's `var/lib/dpkg/status.d/`: one file per package,
/// named after it, stanzas mostly without `Status`, and an `.md5sums`
/// file beside each that is not a database. One package name has a dot
/// (`libpython3.11-minimal`), as Debian's Python packages do.
const STATUS_D: [(&str, &str); 9] = [
    (
        "base-files",
        "Package: base-files\nEssential: yes\nStatus: install ok installed\nPriority: required\n\
         Section: admin\nInstalled-Size: 341\nMaintainer: Santiago Vila <sanvila@debian.org>\n\
         Architecture: amd64\nMultiarch: foreign\nVersion: 12.4+deb12u5\nReplaces: base, dpkg (<= 1.15.0)\n\
         Description: Debian base system miscellaneous files\n This package contains the basic filesystem hierarchy.\n",
    ),
    (
        "base-files.md5sums",
        "4b2c1e1b7bb1a3f3e5b2d1e2c3a4b5c6  etc/debian_version\n\
         0f1e2d3c4b5a69788796a5b4c3d2e1f0  usr/lib/os-release\n",
    ),
    (
        "libc6",
        "Package: libc6\nVersion: 2.36-9+deb12u7\nArchitecture: amd64\n\
         Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\nInstalled-Size: 12986\n\
         Depends: libgcc-s1\nSection: libs\nPriority: optional\nMulti-Arch: same\n\
         Homepage: https://www.gnu.org/software/libc/libc.html\n\
         Description: GNU C Library: Shared libraries\n Contains the standard libraries.\n \
         Version: 9.9 in a description is not the package's.\n",
    ),
    (
        "libc6.md5sums",
        "0d1b3e7c5f9a2b4d6e8f0a1c3e5b7d9f  lib/x86_64-linux-gnu/libc.so.6\n",
    ),
    (
        "libssl3",
        "Package: libssl3\nSource: openssl\nVersion: 3.0.13-1~deb12u1\nArchitecture: amd64\n\
         Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>\n\
         Installed-Size: 6269\nDepends: libc6 (>= 2.34)\nSection: libs\nPriority: optional\n\
         Description: Secure Sockets Layer toolkit - shared libraries\n",
    ),
    (
        "tzdata",
        "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\nMulti-Arch: foreign\n\
         Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\nInstalled-Size: 3301\n\
         Section: localization\nPriority: required\nDescription: time zone and daylight-saving time data\n",
    ),
    (
        "libpython3.11-minimal",
        "Package: libpython3.11-minimal\nSource: python3.11\nVersion: 3.11.2-6+deb12u2\nArchitecture: amd64\n\
         Maintainer: Matthias Klose <doko@debian.org>\nInstalled-Size: 5227\nDepends: libc6 (>= 2.14), libssl3 (>= 3.0.0)\n\
         Section: python\nPriority: optional\nMulti-Arch: same\n\
         Description: Minimal subset of the Python language (version 3.11)\n",
    ),
    (
        "libpython3.11-minimal.md5sums",
        "a1b2c3d4e5f60718293a4b5c6d7e8f90  usr/lib/python3.11/os.py\n",
    ),
    (
        "netbase",
        "Package: netbase\nVersion: 6.4\nArchitecture: all\nMulti-Arch: foreign\n\
         Maintainer: Marco d'Itri <md@linux.it>\nInstalled-Size: 41\nSection: admin\nPriority: optional\n\
         Description: Basic TCP/IP networking system\n",
    ),
];

/// `ROOT/alpine` (tag `v1`): os-release and the apk database of four
/// packages in layer 1; layer 2 adds curl, rewriting the database.
/// `ROOT/distroless` (tag `v1`): os-release and status.d in one layer.
fn images() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plimsoll-packages-cli");
        let alpine = Umoci::new(root.join("alpine"), HINT);
        alpine.write(
            "etc/os-release",
            b"NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n",
        );
        alpine.write("lib/apk/db/installed", APK_BASE.as_bytes());
        alpine.write("etc/apk/world", b"alpine-baselayout-data\nbusybox\nca-certificates-bundle\n");
        alpine.repack("ADD alpine-minirootfs-3.19.1-x86_64.tar.gz /");
        alpine.write(
            "lib/apk/db/installed",
            format!("{APK_BASE}{APK_CURL}").as_bytes(),
        );
        alpine.repack("RUN apk add --no-cache curl");

        let distroless = Umoci::new(root.join("distroless"), HINT);
        distroless.write(
            "etc/os-release",
            b"PRETTY_NAME=\"Distroless\"\nNAME=\"Debian GNU/Linux\"\nID=\"debian\"\nVERSION_ID=\"12\"\n\
              VERSION=\"Debian GNU/Linux 12 (bookworm)\"\nHOME_URL=\"https://github.com/GoogleContainerTools/distroless\"\n",
        );
        for (name, text) in STATUS_D {
            distroless.write(&format!("var/lib/dpkg/status.d/{name}"), text.as_bytes());
        }
        distroless.repack("COPY rootfs/ /");
        root
    })
}

fn reference(image: &str) -> String {
    format!("oci:{}:v1", images().join(image).join("oci").display())
}

/// `plimsoll image --packages --format json`: the `packages` array.
fn packages(image: &str) -> Vec<Value> {
    let out = support::plimsoll(images())
        .args(["image", "--packages", "--format", "json", "--no-fail"])
        .arg(reference(image))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    json_of(&out.stdout)["packages"]
        .as_array()
        .unwrap_or_else(|| panic!("no packages array: {out:?}"))
        .clone()
}

/// `plimsoll image --sbom cyclonedx`: the document, checked against the
/// official CycloneDX 1.5 schema.
fn sbom(image: &str) -> Value {
    let out = support::plimsoll(images())
        .args(["image", "--sbom", "cyclonedx", "--no-fail"])
        .arg(reference(image))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let file = images().join(format!("{image}-bom.json"));
    std::fs::write(&file, &out.stdout).unwrap();
    let validate =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../plimsoll-image/tests/cyclonedx/validate.py");
    let checked = std::process::Command::new("python3")
        .arg(validate)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("python3: {e} (pip install jsonschema)"));
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    json_of(&out.stdout)
}

/// `(name, version, purl, license)` of each SBOM component, and its
/// `plimsoll:path` and `plimsoll:layer` properties.
fn components(bom: &Value) -> Vec<(String, String, String, Option<String>, String, String)> {
    bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let property = |name: &str| {
                c["properties"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["name"] == name)
                    .map(|p| p["value"].as_str().unwrap().to_string())
                    .unwrap_or_default()
            };
            (
                c["name"].as_str().unwrap().to_string(),
                c["version"].as_str().unwrap().to_string(),
                c["purl"].as_str().unwrap().to_string(),
                c["licenses"][0]["license"]["name"]
                    .as_str()
                    .map(str::to_string),
                property("plimsoll:path"),
                property("plimsoll:layer"),
            )
        })
        .collect()
}

#[test]
fn apk_database_packages_and_sbom() {
    let apk = |name: &str, version: &str, license: &str| {
        json!({
            "type": "apk",
            "name": name,
            "version": version,
            "arch": "x86_64",
            "license": license,
            "purl": format!(
                "pkg:apk/alpine/{name}@{}?arch=x86_64&distro=alpine-3.19.1",
                version.replace('+', "%2B")
            ),
            "path": "/lib/apk/db/installed",
            // The database's final version is layer 2's.
            "layer": 1,
        })
    };
    let expected = vec![
        apk("alpine-baselayout-data", "3.4.3-r2", "GPL-2.0-only"),
        apk("busybox", "1.36.1-r15", "GPL-2.0-only"),
        apk("ca-certificates-bundle", "20240226-r0", "MPL-2.0 AND MIT"),
        apk("curl", "8.5.0-r0", "curl"),
        apk("libcurl", "8.5.0-r0", "curl"),
        apk("musl", "1.2.4_git20230717-r4", "MIT"),
    ];
    assert_eq!(packages("alpine"), expected);

    let bom = sbom("alpine");
    let from_json: Vec<_> = expected
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["version"].as_str().unwrap().to_string(),
                p["purl"].as_str().unwrap().to_string(),
                p["license"].as_str().map(str::to_string),
                "/lib/apk/db/installed".to_string(),
                "1".to_string(),
            )
        })
        .collect();
    assert_eq!(components(&bom), from_json);
    assert_eq!(
        components(&bom)[3].2,
        "pkg:apk/alpine/curl@8.5.0-r0?arch=x86_64&distro=alpine-3.19.1"
    );
}

#[test]
fn distroless_status_d_packages_and_sbom() {
    let deb = |name: &str, version: &str, arch: &str| {
        let file = format!("/var/lib/dpkg/status.d/{name}");
        json!({
            "type": "deb",
            "name": name,
            "version": version,
            "arch": arch,
            "purl": format!(
                "pkg:deb/debian/{name}@{}?arch={arch}&distro=debian-12",
                version.replace('+', "%2B")
            ),
            "path": file,
            "layer": 0,
        })
    };
    // Every package file, none of the .md5sums; the description's
    // indented `Version:` is not the version.
    let expected = vec![
        deb("base-files", "12.4+deb12u5", "amd64"),
        deb("libc6", "2.36-9+deb12u7", "amd64"),
        deb("libpython3.11-minimal", "3.11.2-6+deb12u2", "amd64"),
        deb("libssl3", "3.0.13-1~deb12u1", "amd64"),
        deb("netbase", "6.4", "all"),
        deb("tzdata", "2024a-0+deb12u1", "all"),
    ];
    assert_eq!(packages("distroless"), expected);
    assert_eq!(
        expected[1]["purl"],
        "pkg:deb/debian/libc6@2.36-9%2Bdeb12u7?arch=amd64&distro=debian-12"
    );

    let bom = sbom("distroless");
    let from_json: Vec<_> = expected
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["version"].as_str().unwrap().to_string(),
                p["purl"].as_str().unwrap().to_string(),
                None,
                p["path"].as_str().unwrap().to_string(),
                "0".to_string(),
            )
        })
        .collect();
    assert_eq!(components(&bom), from_json);
    assert_eq!(bom["metadata"]["component"]["type"], "container");
}

#[test]
fn package_table_in_the_terminal() {
    let out = support::plimsoll(images())
        .args(["image", "--packages", "--no-fail"])
        .arg(reference("alpine"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let table = "  6 packages
  apk   alpine-baselayout-data  3.4.3-r2              /lib/apk/db/installed
  apk   busybox                 1.36.1-r15            /lib/apk/db/installed
  apk   ca-certificates-bundle  20240226-r0           /lib/apk/db/installed
  apk   curl                    8.5.0-r0              /lib/apk/db/installed
  apk   libcurl                 8.5.0-r0              /lib/apk/db/installed
  apk   musl                    1.2.4_git20230717-r4  /lib/apk/db/installed
";
    assert!(text.contains(table), "{text}");
}
