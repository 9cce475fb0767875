//! The YAML files a check reads, with what findings and pragmas need
//! from each: its name, text, comments, and where its entries start and
//! end.

use crate::yaml::{self, Comment, FileId, Limits, Node, Stream, Value, YamlError};
use plimsoll_diagnostics::Span;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One YAML file read.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    /// As findings name it.
    pub name: String,
    pub text: Arc<str>,
    pub comments: Vec<Comment>,
    /// The extent of every mapping entry (key to end of value) and sequence
    /// item, sorted by start: what a pragma before a line covers.
    pub(crate) extents: Vec<Span>,
}

/// Every file read for one project or manifest.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    pub files: Vec<Source>,
}

/// Why a file could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{name}: {source}")]
    Io {
        name: String,
        source: std::io::Error,
    },
    #[error("{name}: not UTF-8 text")]
    NotUtf8 { name: String },
    #[error("{name}: {error}")]
    Yaml { name: String, error: YamlError },
    #[error("{name}: {message}")]
    Invalid { name: String, message: String },
}

impl Sources {
    pub fn get(&self, id: FileId) -> &Source {
        &self.files[id as usize]
    }

    /// The file already read from `path`, if any.
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| i as FileId)
    }

    /// Read and parse a file.
    pub fn load(&mut self, path: &Path, name: &str) -> Result<(FileId, Stream), LoadError> {
        let limits = Limits::default();
        let meta = std::fs::metadata(path).map_err(|source| LoadError::Io {
            name: name.to_string(),
            source,
        })?;
        // A FIFO or a device would block the read or never end.
        if !meta.is_file() {
            return Err(LoadError::Invalid {
                name: name.to_string(),
                message: "not a regular file".into(),
            });
        }
        let size = meta.len();
        if size > limits.max_bytes as u64 {
            return Err(LoadError::Yaml {
                name: name.to_string(),
                error: YamlError::TooLarge {
                    size: usize::try_from(size).unwrap_or(usize::MAX),
                    max: limits.max_bytes,
                },
            });
        }
        let bytes = std::fs::read(path).map_err(|source| LoadError::Io {
            name: name.to_string(),
            source,
        })?;
        let text = String::from_utf8(bytes).map_err(|_| LoadError::NotUtf8 {
            name: name.to_string(),
        })?;
        self.add(path, name, text)
    }

    /// Parse a text as a file of this set.
    pub fn add(
        &mut self,
        path: &Path,
        name: &str,
        text: String,
    ) -> Result<(FileId, Stream), LoadError> {
        let id = self.files.len() as FileId;
        let stream =
            yaml::parse(&text, id, Limits::default()).map_err(|error| LoadError::Yaml {
                name: name.to_string(),
                error,
            })?;
        let mut extents = Vec::new();
        for doc in &stream.documents {
            if let Some(root) = &doc.root {
                collect_extents(root, &mut extents);
            }
        }
        extents.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        extents.dedup();
        self.files.push(Source {
            path: path.to_path_buf(),
            name: name.to_string(),
            text: text.into(),
            comments: stream.comments.clone(),
            extents,
        });
        Ok((id, stream))
    }
}

fn collect_extents(node: &Node, out: &mut Vec<Span>) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                if e.key.file == node.file {
                    out.push(e.key.span.cover(e.value.span));
                }
                collect_extents(&e.value, out);
            }
        }
        Value::Seq(items) => {
            for item in items {
                out.push(item.span);
                collect_extents(item, out);
            }
        }
        Value::Null | Value::Scalar(_) => {}
    }
}
