//! Helpers shared by plimsoll-image's integration tests. Building images
//! (umoci, skopeo, busybox) lives in the `plimsoll-testkit` crate, shared
//! with the CLI's tests and re-exported here; what is about this crate's
//! API — opening and inspecting an image — is here. Each test file says
//! `mod support;`; not every file uses every helper.

#![allow(dead_code, unused_imports)]

pub use plimsoll_testkit::*;

use plimsoll_image::{CheckOptions, CiRules, Inspection, OpenOptions, inspect};

/// Everything umoci, skopeo and busybox-static are needed for.
pub const HINT: &str = "the image integration tests need umoci, skopeo and busybox-static: \
                        apt-get install -y umoci skopeo busybox-static";

/// `reference` inspected with dive's CI thresholds off (they are tested
/// in real_images.rs), so only the practices speak.
pub fn inspected(reference: &str) -> Inspection {
    let checks = CheckOptions {
        ci: CiRules::disabled(),
        ..CheckOptions::default()
    };
    inspect(reference, &OpenOptions::default(), &checks)
        .unwrap_or_else(|e| panic!("{reference}: {e}"))
}

/// The SHA-256 of `bytes` in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}
