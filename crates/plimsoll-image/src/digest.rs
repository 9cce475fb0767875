//! Content digests (`sha256:…`) and the readers that compute them while a
//! stream passes through.

use serde::{Serialize, Serializer};
use sha2::Digest as _;
use std::fmt;
use std::io::{self, Read};

/// A digest algorithm the OCI image spec registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Algorithm {
    Sha256,
    Sha512,
}

impl Algorithm {
    pub const fn as_str(self) -> &'static str {
        match self {
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha512 => "sha512",
        }
    }
    const fn hex_len(self) -> usize {
        match self {
            Algorithm::Sha256 => 64,
            Algorithm::Sha512 => 128,
        }
    }
}

/// A validated content digest: `algorithm:hex`, lowercase hex of the right
/// length. Validation matters beyond correctness: digests from JSON become
/// file names (`blobs/sha256/<hex>`), so nothing but hex may reach a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Digest {
    algorithm: Algorithm,
    hex: String,
}

/// Why a string is not a digest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid digest `{value}`: {reason}")]
pub struct DigestError {
    pub value: String,
    pub reason: &'static str,
}

impl Digest {
    pub fn parse(value: &str) -> Result<Digest, DigestError> {
        let err = |reason| DigestError {
            value: value.to_string(),
            reason,
        };
        let (alg, hex) = value
            .split_once(':')
            .ok_or_else(|| err("expected `algorithm:hex`"))?;
        let algorithm = match alg {
            "sha256" => Algorithm::Sha256,
            "sha512" => Algorithm::Sha512,
            _ => return Err(err("unsupported algorithm (expected sha256 or sha512)")),
        };
        if hex.len() != algorithm.hex_len() {
            return Err(err("wrong length for the algorithm"));
        }
        if !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(err("expected lowercase hexadecimal"));
        }
        Ok(Digest {
            algorithm,
            hex: hex.to_string(),
        })
    }

    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    pub fn hex(&self) -> &str {
        &self.hex
    }

    /// The first 12 hex digits, as `docker images` shows them.
    pub fn short(&self) -> &str {
        &self.hex[..12]
    }

    /// Where an OCI image layout stores this blob.
    pub fn blob_path(&self) -> String {
        format!("blobs/{}/{}", self.algorithm.as_str(), self.hex)
    }

    /// The digest of `bytes`.
    pub fn of(algorithm: Algorithm, bytes: &[u8]) -> Digest {
        let mut hasher = Hasher::new(algorithm);
        hasher.update(bytes);
        hasher.finish()
    }
}

impl fmt::Display for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm.as_str(), self.hex)
    }
}

impl Serialize for Digest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The 128-bit XXH3 hash of a file's content in a layer, which tells
/// identical files apart (duplicates) at memory speed — the hash dive uses
/// too. Not a cryptographic digest: blobs and diffIDs are checked with
/// SHA-256, and a crafted collision could at most make two files look
/// like duplicates.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentHash(pub u128);

impl ContentHash {
    pub fn of(data: &[u8]) -> ContentHash {
        ContentHash(xxhash_rust::xxh3::xxh3_128(data))
    }
}

impl fmt::Display for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl fmt::Debug for ContentHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContentHash({self})")
    }
}

impl Serialize for ContentHash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An incremental hash of either algorithm.
pub(crate) enum Hasher {
    Sha256(sha2::Sha256),
    Sha512(sha2::Sha512),
}

impl Hasher {
    pub fn new(algorithm: Algorithm) -> Hasher {
        match algorithm {
            Algorithm::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            Algorithm::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }

    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
        }
    }

    pub fn finish(self) -> Digest {
        let (algorithm, hex) = match self {
            Hasher::Sha256(h) => (Algorithm::Sha256, hex::encode(h.finalize())),
            Hasher::Sha512(h) => (Algorithm::Sha512, hex::encode(h.finalize())),
        };
        Digest { algorithm, hex }
    }
}

/// Bytes counted and hashed by a [`HashingReader`].
pub(crate) struct Tally {
    pub bytes: u64,
    state: TallyState,
}

enum TallyState {
    Inline(Hasher),
    /// Hashed on a thread of its own, so that a large layer's digest
    /// costs no time on the thread that decompresses and walks the tar.
    Offloaded {
        chunks: std::sync::mpsc::SyncSender<Vec<u8>>,
        done: std::thread::JoinHandle<Hasher>,
    },
    CountOnly,
}

impl Tally {
    pub fn new(algorithm: Algorithm) -> Tally {
        Tally {
            bytes: 0,
            state: TallyState::Inline(Hasher::new(algorithm)),
        }
    }

    /// Hash on another thread; inline if no thread can be started.
    pub fn offloaded(algorithm: Algorithm) -> Tally {
        // A few chunks in flight bound the memory.
        let (chunks, rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(8);
        let spawned = std::thread::Builder::new()
            .name("plimsoll-digest".into())
            .spawn(move || {
                let mut hasher = Hasher::new(algorithm);
                for chunk in rx {
                    hasher.update(&chunk);
                }
                hasher
            });
        match spawned {
            Ok(done) => Tally {
                bytes: 0,
                state: TallyState::Offloaded { chunks, done },
            },
            Err(_) => Tally::new(algorithm),
        }
    }

    /// Count without hashing (the digest is known to equal another's).
    pub fn count_only(&mut self) {
        self.state = TallyState::CountOnly;
    }

    fn update(&mut self, bytes: &[u8]) {
        self.bytes += bytes.len() as u64;
        match &mut self.state {
            TallyState::Inline(h) => h.update(bytes),
            TallyState::Offloaded { chunks, .. } => {
                // A send fails only if the thread is gone, which `finish`
                // reports.
                let _ = chunks.send(bytes.to_vec());
            }
            TallyState::CountOnly => {}
        }
    }

    /// The digest; `None` when only counting, or if the hashing thread
    /// died.
    pub fn finish(self) -> Option<Digest> {
        match self.state {
            TallyState::Inline(h) => Some(h.finish()),
            TallyState::Offloaded { chunks, done } => {
                drop(chunks);
                done.join().ok().map(Hasher::finish)
            }
            TallyState::CountOnly => None,
        }
    }
}

/// Hashes and counts everything read through it. The tally is borrowed so
/// it can be read after the decoders stacked on top are dropped.
pub(crate) struct HashingReader<'t, R> {
    inner: R,
    tally: &'t mut Tally,
}

impl<'t, R: Read> HashingReader<'t, R> {
    pub fn new(inner: R, tally: &'t mut Tally) -> Self {
        HashingReader { inner, tally }
    }
}

impl<R: Read> Read for HashingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.tally.update(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        let d = Digest::parse(
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        )
        .unwrap();
        assert_eq!(d, Digest::of(Algorithm::Sha256, b""));
        assert_eq!(d.short(), "e3b0c44298fc");
        assert_eq!(
            d.blob_path(),
            "blobs/sha256/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        for bad in [
            "sha256:abc",
            "md5:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "sha256:../../../../etc/passwd/c1c149afbf4c8996fb92427ae41e4649b934ca495",
            "sha256:E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ] {
            assert!(Digest::parse(bad).is_err(), "{bad}");
        }
    }
}
