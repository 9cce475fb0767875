//! Which files in a directory are Dockerfiles, compose files, or YAML
//! that may be a Kubernetes manifest.

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

/// `*.yaml` / `*.yml` (any case).
pub fn is_yaml_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Walked {
    pub dockerfiles: Vec<PathBuf>,
    /// Compose files (`compose.yaml`, `docker-compose.X.yml`, …).
    pub compose: Vec<PathBuf>,
    /// Other YAML files: Kubernetes manifests, maybe.
    pub yaml: Vec<PathBuf>,
    pub errors: Vec<String>,
}

/// Walk `dir` (respecting .gitignore and friends) for Dockerfiles,
/// compose files and other YAML. Errors are returned beside the files
/// found, so one bad entry does not stop the walk.
pub fn walk(dir: &Path) -> Walked {
    let mut out = Walked::default();
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
                if !is_file {
                    continue;
                }
                let name = e.file_name().to_string_lossy();
                if is_template_name(&name) {
                    continue;
                }
                if is_dockerfile_name(&name) {
                    out.dockerfiles.push(e.into_path());
                } else if plimsoll_runtime::compose::is_compose_name(&name) {
                    out.compose.push(e.into_path());
                } else if is_yaml_name(&name) {
                    out.yaml.push(e.into_path());
                }
            }
            Err(err) => out.errors.push(format!("{}: {err}", dir.display())),
        }
    }
    out.dockerfiles.sort();
    out.compose.sort();
    out.yaml.sort();
    out
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
