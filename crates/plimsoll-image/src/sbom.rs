//! A CycloneDX 1.5 JSON SBOM of an image: the image as
//! `metadata.component` (type `container`), each installed package as a
//! `library` component with its package URL, license when the database
//! states one, and where it was found (`plimsoll:path`, `plimsoll:layer`
//! properties).
//!
//! The serial number is derived from the image's config digest and the
//! plimsoll version, so the same image gives the same document; the
//! timestamp is `SOURCE_DATE_EPOCH` when it is set, else now.

use crate::image::Image;
use crate::packages::{Package, percent_encode};
use serde_json::{Value, json};
use sha2::Digest as _;
use std::collections::HashSet;

/// The document for `image` and its `packages`; `tool_version` is
/// plimsoll's.
pub fn cyclonedx(image: &Image, packages: &[Package], tool_version: &str) -> Value {
    let mut seen: HashSet<String> = HashSet::new();
    let components: Vec<Value> = packages
        .iter()
        .map(|p| {
            let mut bom_ref = p.purl.clone();
            let mut n = 1;
            while !seen.insert(bom_ref.clone()) {
                n += 1;
                bom_ref = format!("{}#{n}", p.purl);
            }
            let mut c = json!({
                "type": "library",
                "bom-ref": bom_ref,
                "name": p.name,
                "version": p.version,
                "purl": p.purl,
                "properties": [
                    {"name": "plimsoll:package-type", "value": p.ecosystem.as_str()},
                    {"name": "plimsoll:path", "value": p.path},
                    {"name": "plimsoll:layer", "value": p.layer.to_string()},
                ],
            });
            if let Some(license) = &p.license {
                c["licenses"] = json!([{"license": {"name": license}}]);
            }
            c
        })
        .collect();

    let name = image
        .names
        .first()
        .cloned()
        .unwrap_or_else(|| image.reference.clone());
    let mut component = json!({
        "type": "container",
        "bom-ref": image.config_digest.to_string(),
        "name": name,
        "version": image
            .manifest_digest
            .as_ref()
            .unwrap_or(&image.config_digest)
            .to_string(),
        "hashes": [{"alg": "SHA-256", "content": image.config_digest.hex()}],
        "properties": [
            {"name": "plimsoll:reference", "value": image.reference},
            {"name": "plimsoll:config-digest", "value": image.config_digest.to_string()},
        ],
    });
    if let Some(purl) = oci_purl(image) {
        component["purl"] = json!(purl);
    }
    if let Some(p) = &image.platform {
        component["properties"]
            .as_array_mut()
            .expect("an array")
            .push(json!({"name": "plimsoll:platform", "value": p.to_string()}));
    }

    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": serial_number(image, tool_version),
        "version": 1,
        "metadata": {
            "timestamp": timestamp(),
            "tools": {
                "components": [{
                    "type": "application",
                    "name": "plimsoll",
                    "version": tool_version,
                }],
            },
            "component": component,
        },
        "components": components,
    })
}

/// `pkg:oci/NAME@sha256%3A…?repository_url=…` when the image has a
/// manifest digest (a classic docker archive has none).
fn oci_purl(image: &Image) -> Option<String> {
    let digest = image.manifest_digest.as_ref()?;
    let full = image.names.iter().find(|n| n.contains('/'));
    let (repository, short) = match full {
        Some(n) => {
            let repo = match n.rsplit_once(':') {
                Some((r, tag)) if !tag.contains('/') => r,
                _ => n.as_str(),
            };
            (Some(repo), repo.rsplit('/').next().unwrap_or(repo))
        }
        None => (None, "image"),
    };
    let mut purl = format!(
        "pkg:oci/{}@{}",
        percent_encode(&short.to_lowercase()),
        percent_encode(&digest.to_string())
    );
    if let Some(repo) = repository {
        purl.push_str("?repository_url=");
        purl.push_str(&percent_encode(repo));
    }
    Some(purl)
}

/// A name-based (version 5 layout) UUID from the config digest.
fn serial_number(image: &Image, tool_version: &str) -> String {
    let mut h = sha2::Sha256::new();
    h.update(b"plimsoll-sbom\0");
    h.update(image.config_digest.to_string().as_bytes());
    h.update(b"\0");
    h.update(tool_version.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let x = hex::encode(b);
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &x[..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..]
    )
}

fn timestamp() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    rfc3339(secs)
}

/// `1970-01-01T00:00:00Z` for a Unix time (UTC, proleptic Gregorian).
fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(1_700_000_000), "2023-11-14T22:13:20Z");
    }
}
