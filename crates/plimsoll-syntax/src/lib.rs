//! A lossless, error-tolerant Dockerfile parser that agrees with BuildKit.
//!
//! Every byte of the input lives in exactly one leaf [`Token`]; joining the
//! tokens' text gives the input back. On top of the tokens sit the
//! [`Instruction`]s, each with byte [`Span`]s into the (lossily decoded)
//! source. Broken input still yields a tree: problems are [`SyntaxError`]s
//! beside the instructions, never a stop.
//!
//! The contract below is what the rest of plimsoll relies on.

pub use plimsoll_diagnostics::Span;

mod ast;
pub use ast::*;
