//! The package inventory of an image, read from the package databases of
//! its final filesystem:
//!
//! - **dpkg**: `/var/lib/dpkg/status`, and `/var/lib/dpkg/status.d/*` as
//!   distroless images write one file per package. A package counts when
//!   its files are on disk: `Status` is `installed`, `unpacked`,
//!   `half-configured`, `triggers-awaited` or `triggers-pending`; removed
//!   packages that left their configuration (`config-files`) and purged
//!   ones (`not-installed`) do not. A `status.d` stanza without `Status`
//!   counts (distroless writes none).
//! - **apk**: `/lib/apk/db/installed`.
//! - **Python**: `*.dist-info/METADATA`, `*.egg-info/PKG-INFO` and
//!   `*.egg-info` files under `site-packages` or `dist-packages`
//!   (`Name` and `Version`).
//! - **npm**: `package.json` of each package directory under a
//!   `node_modules` (`node_modules/NAME`, `node_modules/@SCOPE/NAME`).
//!
//! Each package gets a [package URL](https://github.com/package-url/purl-spec):
//! `pkg:deb/debian/curl@7.88.1-10?arch=amd64&distro=debian-12`,
//! `pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1`,
//! `pkg:pypi/requests@2.31.0`, `pkg:npm/%40types/node@20.1.0`. The deb and
//! apk namespace is the `ID` of `/etc/os-release` (`debian`, `ubuntu`,
//! `alpine`, `wolfi`…), `debian` or `alpine` when the image has none.

use crate::contents::{Contents, FinalFile, is_npm_package_dir};
use crate::paths;
use serde::Serialize;
use std::fmt;

/// Where a package comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Deb,
    Apk,
    Pypi,
    Npm,
}

impl Ecosystem {
    pub const fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Deb => "deb",
            Ecosystem::Apk => "apk",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Npm => "npm",
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One installed package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Package {
    #[serde(rename = "type")]
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arch: Option<String>,
    /// The license as the database states it (apk, npm, Python), not
    /// validated as SPDX.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    pub purl: String,
    /// The database or metadata file it was read from (`/var/lib/dpkg/status`).
    pub path: String,
    /// The layer (0-based) that holds that file's final version.
    pub layer: usize,
}

/// The distribution the image says it is (`/etc/os-release`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsRelease {
    pub id: Option<String>,
    pub version_id: Option<String>,
}

impl OsRelease {
    pub fn parse(text: &str) -> OsRelease {
        let mut out = OsRelease::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = value
                .trim()
                .trim_matches(|c| c == '"' || c == '\'')
                .to_string();
            match key.trim() {
                "ID" if !value.is_empty() => out.id = Some(value),
                "VERSION_ID" if !value.is_empty() => out.version_id = Some(value),
                _ => {}
            }
        }
        out
    }

    /// `debian-12`, for purl's `distro` qualifier.
    fn distro(&self) -> Option<String> {
        let id = self.id.as_deref()?;
        Some(match &self.version_id {
            Some(v) => format!("{id}-{v}"),
            None => id.to_string(),
        })
    }
}

/// Every package the final filesystem's databases list, by ecosystem,
/// then name, then version.
pub fn inventory(contents: &Contents) -> Vec<Package> {
    let os = contents
        .get("etc/os-release")
        .or_else(|| contents.get("usr/lib/os-release"))
        .map(|f| OsRelease::parse(&String::from_utf8_lossy(&f.content.data)))
        .unwrap_or_default();
    let mut out = Vec::new();
    for (path, file) in contents.iter() {
        let text = String::from_utf8_lossy(&file.content.data);
        let parent = paths::parent(path);
        let name = paths::file_name(path);
        if path == "var/lib/dpkg/status" {
            out.extend(dpkg(&text, false, path, file, &os));
        } else if parent == "var/lib/dpkg/status.d" {
            out.extend(dpkg(&text, true, path, file, &os));
        } else if path == "lib/apk/db/installed" {
            out.extend(apk(&text, path, file, &os));
        } else if name == "package.json" && is_npm_package_dir(parent) {
            // A truncated package.json is not JSON: skipped.
            out.extend(npm(&file.content.data, path, file));
        } else if matches!(name, "METADATA" | "PKG-INFO") || name.ends_with(".egg-info") {
            out.extend(python(&text, path, file));
        }
    }
    out.sort_by(|a, b| {
        (a.ecosystem, &a.name, &a.version, &a.arch, &a.path).cmp(&(
            b.ecosystem,
            &b.name,
            &b.version,
            &b.arch,
            &b.path,
        ))
    });
    out
}

/// RFC 822-style stanzas: `Key: value` lines, continuation lines start
/// with a space or tab, stanzas are separated by blank lines.
fn stanzas(text: &str) -> impl Iterator<Item = Vec<(&str, &str)>> {
    text.split("\n\n").filter_map(|block| {
        let fields: Vec<(&str, &str)> = block
            .lines()
            .filter(|l| !l.starts_with([' ', '\t']))
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect();
        (!fields.is_empty()).then_some(fields)
    })
}

fn field<'a>(fields: &[(&str, &'a str)], key: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| *v)
        .filter(|v| !v.is_empty())
}

/// dpkg states in which the package's files are on disk.
fn dpkg_files_present(status: &str) -> bool {
    matches!(
        status.split_whitespace().nth(2),
        Some(
            "installed" | "unpacked" | "half-configured" | "triggers-awaited" | "triggers-pending"
        )
    )
}

fn dpkg(text: &str, status_d: bool, path: &str, file: &FinalFile, os: &OsRelease) -> Vec<Package> {
    let namespace = os.id.clone().unwrap_or_else(|| "debian".into());
    stanzas(&text.replace("\r\n", "\n"))
        .filter_map(|f| {
            let name = field(&f, "Package")?;
            let version = field(&f, "Version")?;
            match field(&f, "Status") {
                Some(status) if !dpkg_files_present(status) => return None,
                None if !status_d => return None,
                _ => {}
            }
            let arch = field(&f, "Architecture").map(str::to_string);
            let purl = purl(
                "deb",
                Some(&namespace),
                name,
                version,
                &qualifiers(arch.as_deref(), os.distro()),
            );
            Some(Package {
                ecosystem: Ecosystem::Deb,
                name: name.to_string(),
                version: version.to_string(),
                arch,
                license: None,
                purl,
                path: paths::display(path),
                layer: file.layer,
            })
        })
        .collect()
}

fn apk(text: &str, path: &str, file: &FinalFile, os: &OsRelease) -> Vec<Package> {
    let namespace = os.id.clone().unwrap_or_else(|| "alpine".into());
    let mut out = Vec::new();
    for block in text.replace("\r\n", "\n").split("\n\n") {
        let get = |key: &str| {
            block
                .lines()
                .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let (Some(name), Some(version)) = (get("P"), get("V")) else {
            continue;
        };
        let arch = get("A").map(str::to_string);
        let license = get("L").map(str::to_string);
        out.push(Package {
            ecosystem: Ecosystem::Apk,
            purl: purl(
                "apk",
                Some(&namespace),
                name,
                version,
                &qualifiers(arch.as_deref(), os.distro()),
            ),
            name: name.to_string(),
            version: version.to_string(),
            arch,
            license,
            path: paths::display(path),
            layer: file.layer,
        });
    }
    out
}

fn python(text: &str, path: &str, file: &FinalFile) -> Option<Package> {
    // The headers end at the first blank line; the description follows.
    let head = text.replace("\r\n", "\n");
    let head = head.split("\n\n").next().unwrap_or_default();
    let fields: Vec<(&str, &str)> = head
        .lines()
        .filter(|l| !l.starts_with([' ', '\t']))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect();
    let name = field(&fields, "Name")?;
    let version = field(&fields, "Version")?;
    let normalized = normalize_pypi(name);
    Some(Package {
        ecosystem: Ecosystem::Pypi,
        purl: purl("pypi", None, &normalized, version, &[]),
        name: name.to_string(),
        version: version.to_string(),
        arch: None,
        license: field(&fields, "License-Expression")
            .or_else(|| field(&fields, "License"))
            .filter(|l| !l.eq_ignore_ascii_case("UNKNOWN") && l.len() < 200)
            .map(str::to_string),
        path: paths::display(path),
        layer: file.layer,
    })
}

/// PEP 503 normalisation, as purl's `pypi` type asks: lowercase, runs of
/// `-`, `_`, `.` become one `-`.
fn normalize_pypi(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            dash = true;
        } else {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn npm(bytes: &[u8], path: &str, file: &FinalFile) -> Option<Package> {
    if file.content.truncated {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let name = value.get("name")?.as_str()?.trim();
    let version = value.get("version")?.as_str()?.trim();
    if name.is_empty() || version.is_empty() {
        return None;
    }
    let (namespace, short) = match name.split_once('/') {
        Some((scope, short)) if scope.starts_with('@') => (Some(scope), short),
        _ => (None, name),
    };
    let license = match value.get("license") {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(serde_json::Value::Object(o)) => o.get("type")?.as_str().map(str::to_string),
        _ => None,
    };
    Some(Package {
        ecosystem: Ecosystem::Npm,
        purl: purl("npm", namespace, &short.to_lowercase(), version, &[]),
        name: name.to_string(),
        version: version.to_string(),
        arch: None,
        license,
        path: paths::display(path),
        layer: file.layer,
    })
}

fn qualifiers(arch: Option<&str>, distro: Option<String>) -> Vec<(&'static str, String)> {
    let mut q = Vec::new();
    if let Some(a) = arch {
        q.push(("arch", a.to_string()));
    }
    if let Some(d) = distro {
        q.push(("distro", d));
    }
    q
}

/// A package URL; qualifiers must be given sorted by key.
pub fn purl(
    kind: &str,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    qualifiers: &[(&str, String)],
) -> String {
    let mut s = format!("pkg:{kind}/");
    if let Some(ns) = namespace {
        for part in ns.split('/') {
            s.push_str(&percent_encode(part));
            s.push('/');
        }
    }
    s.push_str(&percent_encode(name));
    s.push('@');
    s.push_str(&percent_encode(version));
    for (i, (k, v)) in qualifiers.iter().enumerate() {
        s.push(if i == 0 { '?' } else { '&' });
        s.push_str(k);
        s.push('=');
        s.push_str(&percent_encode(v));
    }
    s
}

/// Percent-encode everything but RFC 3986's unreserved characters.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
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
    use crate::contents::Captured;

    fn final_file(text: &str) -> FinalFile {
        FinalFile {
            layer: 2,
            content: Captured {
                data: text.as_bytes().to_vec(),
                truncated: false,
            },
        }
    }

    #[test]
    fn dpkg_skips_removed_and_purged() {
        let status = "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nVersion: 2.36-9+deb12u4\nDescription: GNU C\n library\n\n\
                      Package: old\nStatus: deinstall ok config-files\nVersion: 1.0\n\n\
                      Package: gone\nStatus: purge ok not-installed\n\n\
                      Package: half\nStatus: install reinstreq half-configured\nVersion: 2:1.0\nArchitecture: all\n";
        let os = OsRelease::parse("ID=debian\nVERSION_ID=\"12\"\n");
        let p = dpkg(
            status,
            false,
            "var/lib/dpkg/status",
            &final_file(status),
            &os,
        );
        let got: Vec<(&str, &str)> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(got, [("libc6", "2.36-9+deb12u4"), ("half", "2:1.0")]);
        assert_eq!(
            p[0].purl,
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"
        );
        assert_eq!(
            p[1].purl,
            "pkg:deb/debian/half@2%3A1.0?arch=all&distro=debian-12"
        );
        assert_eq!(
            (p[0].path.as_str(), p[0].layer),
            ("/var/lib/dpkg/status", 2)
        );
        // distroless: no Status field.
        let d = "Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n";
        assert_eq!(
            dpkg(d, true, "var/lib/dpkg/status.d/tzdata", &final_file(d), &os).len(),
            1
        );
        assert!(dpkg(d, false, "var/lib/dpkg/status", &final_file(d), &os).is_empty());
    }

    #[test]
    fn apk_python_npm() {
        let db = "C:Q1abc=\nP:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\n";
        let os = OsRelease::parse("ID=alpine\nVERSION_ID=3.19.1\n");
        let p = apk(db, "lib/apk/db/installed", &final_file(db), &os);
        assert_eq!(p.len(), 2);
        assert_eq!(
            p[0].purl,
            "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1"
        );
        assert_eq!(p[0].license.as_deref(), Some("MIT"));

        let meta = "Metadata-Version: 2.1\nName: Flask_Login\nVersion: 0.6.3\nLicense: MIT\n\nName: not-this\n";
        let p = python(
            meta,
            "x/Flask_Login-0.6.3.dist-info/METADATA",
            &final_file(meta),
        )
        .unwrap();
        assert_eq!(
            (p.name.as_str(), p.purl.as_str()),
            ("Flask_Login", "pkg:pypi/flask-login@0.6.3")
        );

        let json = br#"{"name": "@types/node", "version": "20.1.0", "license": "MIT"}"#;
        let p = npm(
            json,
            "app/node_modules/@types/node/package.json",
            &final_file(""),
        )
        .unwrap();
        assert_eq!(p.purl, "pkg:npm/%40types/node@20.1.0");
        assert!(
            npm(
                b"{\"name\": \"x\"}",
                "node_modules/x/package.json",
                &final_file("")
            )
            .is_none()
        );
    }
}
