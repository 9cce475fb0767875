//! Which files in a directory are Dockerfiles.

use std::path::{Path, PathBuf};

const TEMPLATE_SUFFIXES: [&str; 4] = [".template", ".tpl", ".j2", ".in"];

/// True for `Dockerfile`, `Containerfile`, `Dockerfile.X`, `Dockerfile-X`,
/// `X.Dockerfile`, `Containerfile.X` (any case), but not `*.dockerignore`.
pub fn is_dockerfile_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".dockerignore") {
        return false;
    }
    lower == "dockerfile"
        || lower == "containerfile"
        || lower.starts_with("dockerfile.")
        || lower.starts_with("dockerfile-")
        || lower.starts_with("containerfile.")
        || (lower.ends_with(".dockerfile") && lower.len() > ".dockerfile".len())
        || (lower.ends_with(".containerfile") && lower.len() > ".containerfile".len())
}

/// Templates are checked only when named on the command line.
pub fn is_template_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    TEMPLATE_SUFFIXES.iter().any(|s| lower.ends_with(s))
}

/// Walk `dir` (respecting .gitignore and friends) for Dockerfiles.
/// Errors are returned beside the files found, so one bad entry does not
/// stop the walk.
pub fn walk(dir: &Path) -> (Vec<PathBuf>, Vec<String>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let is_file = e.file_type().is_some_and(|t| t.is_file() || t.is_symlink());
                let name = e.file_name().to_string_lossy();
                if is_file && is_dockerfile_name(&name) && !is_template_name(&name) {
                    files.push(e.into_path());
                }
            }
            Err(err) => errors.push(format!("{}: {err}", dir.display())),
        }
    }
    files.sort();
    (files, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for yes in [
            "Dockerfile",
            "dockerfile",
            "Containerfile",
            "Dockerfile.dev",
            "Dockerfile-alpine",
            "api.Dockerfile",
            "Containerfile.prod",
            "DOCKERFILE",
        ] {
            assert!(is_dockerfile_name(yes), "{yes}");
        }
        for no in [
            "Dockerfile.dockerignore",
            ".dockerignore",
            "README.md",
            ".Dockerfile",
            "mydockerfile",
            "Dockerfiles",
        ] {
            assert!(!is_dockerfile_name(no), "{no}");
        }
        assert!(is_template_name("Dockerfile.template"));
        assert!(is_template_name("Dockerfile.j2"));
        assert!(!is_template_name("Dockerfile.dev"));
    }
}
