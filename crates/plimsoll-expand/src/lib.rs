//! Variable expansion for Dockerfile words, with the semantics of BuildKit's
//! shell lexer (`frontend/dockerfile/shell/lex.go` in moby/buildkit).
//!
//! BuildKit does not run a shell to expand `$VAR` in `ENV`, `ARG`, `COPY`,
//! `WORKDIR` and friends: it has a small lexer of its own that looks like
//! POSIX `sh` but differs from it in many corners. A linter that wants to
//! agree with `docker build` has to reproduce that lexer, quirks included;
//! this crate does, and is tested against BuildKit's own tables.
//!
//! ```
//! use std::collections::HashMap;
//! use plimsoll_expand::Lexer;
//!
//! let env = HashMap::from([("NAME".to_string(), "world".to_string())]);
//! let lexer = Lexer::new('\\');
//! let expansion = lexer.process_word("hello ${NAME:-nobody} $UNSET", &env).unwrap();
//! assert_eq!(expansion.value, "hello world ");
//! assert!(expansion.matched.contains("NAME"));
//! assert!(expansion.unmatched.contains("UNSET"));
//! ```
//!
//! What is supported is exactly what BuildKit supports: `$a`, `${a}`,
//! `${a-w}`, `${a:-w}`, `${a+w}`, `${a:+w}`, `${a?w}`, `${a:?w}`, `${a#p}`,
//! `${a##p}`, `${a%p}`, `${a%%p}`, `${a/p/r}` and `${a//p/r}`, single and
//! double quotes, and the Dockerfile escape character (`\` or `` ` ``).

mod env;
mod error;
mod lexer;
mod pattern;
mod references;
mod scanner;
mod unicode;

pub use env::{Env, FnEnv, NoEnv, env_fn};
pub use error::ExpandError;
pub use lexer::{Expansion, Lexer, MAX_EXPANSION_LEN};
pub use pattern::MAX_PATTERN_LEN;
pub use references::{Modifier, VarRef, variable_references};
