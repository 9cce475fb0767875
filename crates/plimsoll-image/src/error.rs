use crate::digest::{Digest, DigestError};
use std::io;
use std::path::PathBuf;

/// Everything that can go wrong reading an image. Each variant names what
/// it was reading (a file, a blob, a layer), so the CLI can print one line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid image reference `{reference}`: {reason}")]
    Reference { reference: String, reason: String },

    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },

    #[error("{}: not an image: {reason}", path.display())]
    NotAnImage { path: PathBuf, reason: String },

    #[error("{what}: missing from {}", location.display())]
    MissingBlob { what: String, location: PathBuf },

    #[error("{what}: invalid JSON: {source}")]
    Json {
        what: String,
        source: serde_json::Error,
    },

    #[error("{what}: {source}")]
    Digest { what: String, source: DigestError },

    #[error("{what}: content does not match its digest: expected {expected}, got {actual}")]
    DigestMismatch {
        what: String,
        expected: Digest,
        actual: Digest,
    },

    #[error("{what}: size does not match its descriptor: expected {expected} bytes, got {actual}")]
    SizeMismatch {
        what: String,
        expected: u64,
        actual: u64,
    },

    /// The layer could not be read: corrupt compression, a truncated or
    /// malformed tar, an I/O error.
    #[error("{layer}: {reason}")]
    Layer { layer: String, reason: String },

    #[error("{reference}: {reason}")]
    Selection { reference: String, reason: String },

    #[error("{what}: {reason}")]
    Unsupported { what: String, reason: String },

    #[error("{what}: {reason}")]
    Inconsistent { what: String, reason: String },

    /// A registry could not be reached, refused, or answered wrongly.
    #[error("{reference}: {reason}")]
    Registry { reference: String, reason: String },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
