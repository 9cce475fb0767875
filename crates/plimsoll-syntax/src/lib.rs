//! A lossless, error-tolerant Dockerfile parser that agrees with BuildKit.
//!
//! Every byte of the input lives in exactly one leaf [`Token`]; joining the
//! tokens' text gives the input back. On top of the tokens sit the
//! [`Instruction`]s, each with byte [`Span`]s into the (lossily decoded)
//! source. Broken input still yields a tree: problems are [`SyntaxError`]s
//! beside the instructions, never a stop.
//!
//! What an instruction *means* follows BuildKit's parser
//! (`frontend/dockerfile/parser`): its directives, line continuations,
//! comment and empty lines inside continuations, exec-form detection,
//! flag extraction, per-instruction argument splitting and heredocs.
//! [`buildkit_dump`] prints the tree the way BuildKit's `Node.Dump()` does,
//! which is how the agreement is tested.
//!
//! The contract below is what the rest of plimsoll relies on.

pub use plimsoll_diagnostics::Span;

mod ast;
mod checks;
mod dump;
mod gocompat;
mod heredoc;
mod instruction;
mod json;
mod logical;
mod parser;

pub use ast::*;
pub use dump::buildkit_dump;
pub use gocompat::go_quote;

use std::fmt;

/// How much of the start of a file is searched for NUL bytes.
const BINARY_SNIFF_LEN: usize = 8 * 1024;

/// The input is not a text file, so not a Dockerfile at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotADockerfile {
    /// Offset of the first NUL byte.
    pub offset: usize,
}

impl fmt::Display for NotADockerfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "contains NUL bytes (first at byte {}); not a text file",
            self.offset
        )
    }
}

impl std::error::Error for NotADockerfile {}

/// Parses a Dockerfile from raw bytes.
///
/// Fails only for binary input (a NUL byte in the first 8 KiB). Invalid
/// UTF-8 is replaced by U+FFFD; then [`Dockerfile::lossy_utf8`] is set and
/// there is a (non-BuildKit) [`SyntaxError`] for it.
pub fn parse(bytes: &[u8]) -> Result<Dockerfile, NotADockerfile> {
    let sniff = &bytes[..bytes.len().min(BINARY_SNIFF_LEN)];
    if let Some(offset) = memchr::memchr(0, sniff) {
        return Err(NotADockerfile { offset });
    }
    Ok(match std::str::from_utf8(bytes) {
        Ok(text) => parser::parse_text(text.to_string(), None),
        Err(e) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            parser::parse_text(text, Some(e.valid_up_to()))
        }
    })
}

/// Parses a Dockerfile that is already text. Never fails.
pub fn parse_str(text: &str) -> Dockerfile {
    parser::parse_text(text.to_string(), None)
}

#[cfg(test)]
mod tests;
