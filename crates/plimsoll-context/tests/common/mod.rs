#![allow(dead_code)]

use plimsoll_context::{Context, ContextCheck, CopyInstruction, IgnoreFile, resolve_copies};
use plimsoll_diagnostics::Finding;
use plimsoll_model::SemanticModel;
use std::path::Path;
use tempfile::TempDir;

/// A context from `(path, contents)` pairs; a path ending in `/` is an
/// empty directory.
pub fn tree(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, contents) in files {
        add(dir.path(), path, contents);
    }
    dir
}

pub fn add(root: &Path, path: &str, contents: &str) {
    let full = root.join(path);
    if path.ends_with('/') {
        std::fs::create_dir_all(&full).expect("mkdir");
        return;
    }
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(&full, contents).expect("write");
}

pub fn symlink(root: &Path, link: &str, target: &str) {
    let full = root.join(link);
    if let Some(parent) = full.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::os::unix::fs::symlink(target, full).expect("symlink");
}

/// The ignore file BuildKit would use for `Dockerfile` at the root.
pub fn ignore_of(root: &Path) -> Option<IgnoreFile> {
    IgnoreFile::for_dockerfile(root, &root.join("Dockerfile"))
        .expect("read ignore file")
        .map(|(_, ignore)| ignore)
}

pub fn walk(root: &Path) -> Context {
    let ignore = ignore_of(root).unwrap_or_default();
    Context::walk(root, &ignore).expect("walk")
}

/// Resolve the Dockerfile's COPY/ADD against the context at `root`.
pub fn resolve(root: &Path, dockerfile: &str) -> (Context, Vec<CopyInstruction>) {
    let ignore = ignore_of(root);
    let context = Context::walk(root, &ignore.clone().unwrap_or_default()).expect("walk");
    let df = plimsoll_syntax::parse_str(dockerfile);
    let model = SemanticModel::new(&df);
    let copies = resolve_copies(&model, &context, ignore.as_ref());
    (context, copies)
}

/// The paths a resolved source copies, sorted.
pub fn files(context: &Context, copies: &[CopyInstruction], ins: usize, src: usize) -> Vec<String> {
    let mut out: Vec<String> = copies[ins].sources[src]
        .files
        .iter()
        .map(|&i| context.entries()[i].path.clone())
        .collect();
    out.sort();
    out
}

/// All context findings for a Dockerfile and a context.
pub fn findings(root: &Path, dockerfile: &str) -> Vec<Finding> {
    let ignore = ignore_of(root);
    let context = Context::walk(root, &ignore.clone().unwrap_or_default()).expect("walk");
    let df = plimsoll_syntax::parse_str(dockerfile);
    let model = SemanticModel::new(&df);
    let copies = resolve_copies(&model, &context, ignore.as_ref());
    ContextCheck {
        file: "Dockerfile",
        model: &model,
        context: &context,
        ignore: ignore.as_ref(),
        copies: &copies,
    }
    .run_all()
}

pub fn codes(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}
