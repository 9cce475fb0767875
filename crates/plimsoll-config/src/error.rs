//! The one error type of this crate.

use std::fmt;
use std::path::PathBuf;

/// Why configuration could not be loaded. Every variant names where the
/// problem is: a file (with line and column when known) or an environment
/// variable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A configuration file exists but could not be read.
    #[error("{}: cannot read configuration file: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A configuration file could not be parsed: bad syntax, a value of
    /// the wrong type, an unknown key (`.plimsoll.toml`), an invalid glob.
    #[error("{}{}: {message}", path.display(), DisplayLocation(*location))]
    Parse {
        path: PathBuf,
        /// 1-based line and column (in characters), when known.
        location: Option<(usize, usize)>,
        message: String,
    },
    /// `--config FILE` named a file whose extension is neither `.toml`
    /// nor `.yaml`/`.yml`.
    #[error(
        "{}: unknown configuration format (expected a .toml file in plimsoll's format or a .yaml/.yml file in hadolint's)",
        path.display()
    )]
    UnknownFormat { path: PathBuf },
    /// An environment variable holds a value that cannot be used.
    #[error("environment variable {var}: {message}")]
    Env { var: String, message: String },
}

impl ConfigError {
    /// The file the error is about, if it is about a file.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            ConfigError::Io { path, .. }
            | ConfigError::Parse { path, .. }
            | ConfigError::UnknownFormat { path } => Some(path),
            ConfigError::Env { .. } => None,
        }
    }

    /// 1-based line of the problem, when known.
    pub fn line(&self) -> Option<usize> {
        match self {
            ConfigError::Parse { location, .. } => location.map(|(l, _)| l),
            _ => None,
        }
    }

    pub(crate) fn env(var: &str, message: impl Into<String>) -> Self {
        ConfigError::Env {
            var: var.to_string(),
            message: message.into(),
        }
    }
}

struct DisplayLocation(Option<(usize, usize)>);

impl fmt::Display for DisplayLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some((line, column)) => write!(f, ":{line}:{column}"),
            None => Ok(()),
        }
    }
}

/// 1-based line and character column of a byte offset in `text`.
pub(crate) fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut offset = offset;
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}
