//! The build context: what `docker build` sends to the builder, and what
//! each COPY/ADD takes from it.
//!
//! - [`IgnoreFile`]: `.dockerignore` with Docker's exact semantics
//!   (BuildKit's reader, moby/patternmatcher's matching, fsutil's
//!   parent-to-child hand-down), and BuildKit's choice of
//!   `<Dockerfile>.dockerignore` over the context's `.dockerignore`.
//! - [`Context`]: one parallel walk recording every entry, whether
//!   BuildKit sends it, its size, and what could not be read; it never
//!   follows symlinks and skips excluded directories as BuildKit does.
//! - [`resolve_copies`]: each COPY/ADD source expanded and matched against
//!   the context (Go wildcards, `--exclude`, `--parents`, symlinks).
//! - [`ContextCheck`]: the findings PL2001–PL2004 and BuildKit's
//!   CopyIgnoredFile, [`invalid_ignore_patterns`] (PL2005), with [`RULES`]
//!   for the rule registry.
//!
//! ```no_run
//! use plimsoll_context::{BuildContext, ContextCheck, resolve_copies};
//! use std::path::Path;
//!
//! let build = BuildContext::open(Path::new("."), Path::new("Dockerfile"))?;
//! let dockerfile = plimsoll_syntax::parse_str("FROM alpine\nCOPY . /app\n");
//! let model = plimsoll_model::SemanticModel::new(&dockerfile);
//! let copies = resolve_copies(&model, &build.context, build.ignore.as_ref());
//! let findings = ContextCheck {
//!     file: "Dockerfile",
//!     model: &model,
//!     context: &build.context,
//!     ignore: build.ignore.as_ref(),
//!     copies: &copies,
//! }
//! .run_all();
//! # Ok::<(), plimsoll_context::ContextError>(())
//! ```

mod findings;
mod gopath;
mod goregex;
mod ignore_file;
mod items;
mod resolve;
mod walk;

pub use findings::{
    CONTEXT_SIZE, CONTEXT_SIZE_DOCS, COPY_IGNORED_FILE, COPY_IGNORED_FILE_DOCS, ContextCheck,
    DEFAULT_SIZE_THRESHOLD, INVALID_IGNORE_PATTERN, INVALID_IGNORE_PATTERN_DOCS,
    MISSING_DOCKERIGNORE, MISSING_DOCKERIGNORE_DOCS, RULES, SECRETS_COPIED, SECRETS_COPIED_DOCS,
    SOURCE_NOT_FOUND, SOURCE_NOT_FOUND_DOCS, human_bytes, invalid_ignore_patterns,
};
pub use gopath::{BadPattern, clean as go_clean, glob_match};
pub use ignore_file::{IgnoreFile, IgnorePattern, MatchInfo, PatternError};
pub use items::{IgnorableItem, ItemKind, SecretKind, classify_secret};
pub use resolve::{CopyInstruction, CopySource, SourceStatus, copied_entries, resolve_copies};
pub use walk::{Context, ContextError, ContextStats, Entry, EntryKind, WalkIssue, WalkOptions};

use std::path::{Path, PathBuf};

/// A walked context with the ignore file BuildKit would use for a given
/// Dockerfile.
#[derive(Debug, Clone)]
pub struct BuildContext {
    /// Where the ignore file was read from, if there is one.
    pub ignore_path: Option<PathBuf>,
    pub ignore: Option<IgnoreFile>,
    pub context: Context,
}

impl BuildContext {
    /// Read the ignore file for `dockerfile` and walk `context_dir`.
    pub fn open(context_dir: &Path, dockerfile: &Path) -> Result<BuildContext, ContextError> {
        match std::fs::metadata(context_dir) {
            Ok(m) if m.is_dir() => {}
            Ok(_) => return Err(ContextError::NotADirectory(context_dir.to_path_buf())),
            Err(source) => {
                return Err(ContextError::Io {
                    path: context_dir.to_path_buf(),
                    source,
                });
            }
        }
        let found = IgnoreFile::for_dockerfile(context_dir, dockerfile).map_err(|source| {
            ContextError::Io {
                path: context_dir.join(".dockerignore"),
                source,
            }
        })?;
        let (ignore_path, ignore) = match found {
            Some((path, ignore)) => (Some(path), Some(ignore)),
            None => (None, None),
        };
        let empty = IgnoreFile::default();
        let context = Context::walk(context_dir, ignore.as_ref().unwrap_or(&empty))?;
        Ok(BuildContext {
            ignore_path,
            ignore,
            context,
        })
    }
}
