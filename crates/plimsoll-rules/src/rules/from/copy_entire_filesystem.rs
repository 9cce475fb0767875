use super::common::{FromRef, resolve_from};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `COPY --from=<stage> / /`: a copy of the whole file system of
    /// another stage over the current one (variables expanded, `/.` counts
    /// as `/`). Unlike hadolint, these are not flagged: flattening into an
    /// empty stage (`FROM scratch` followed directly by the copy), copying a
    /// stage that is itself built on `scratch` (it holds only what was put
    /// there), and copying an external image, which is often a tool image
    /// made to be copied whole (`COPY --from=org/tools / /`).
    ///
    /// ## Why is this bad?
    /// Everything comes along: compilers, package caches, build secrets left
    /// in files, and the other stage's `/etc/passwd` and package database
    /// overwrite this stage's. Multi-stage builds exist to copy only the
    /// build output.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// RUN go build -o /out/app .
    /// FROM debian:12-slim
    /// COPY --from=build / /
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22 AS build
    /// RUN go build -o /out/app .
    /// FROM debian:12-slim
    /// COPY --from=build /out/app /usr/local/bin/app
    /// ```
    pub struct CopyEntireFilesystem {
        code: "DL3067",
        name: "copy_entire_filesystem",
        aliases: [],
        severity: Warning,
        summary: "Do not copy an entire filesystem from another stage",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3067"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for CopyEntireFilesystem {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        for (i, ins) in cx.dockerfile.instructions.iter().enumerate() {
            if ins.keyword != Keyword::Copy {
                continue;
            }
            let Some(from) = ins.flag("from").and_then(|f| f.value.as_deref()) else {
                continue;
            };
            let source_stage = match resolve_from(cx, i, from) {
                FromRef::Earlier(s) | FromRef::Later(s) => Some(s),
                FromRef::Own | FromRef::UnknownName(_) | FromRef::BadIndex => None,
                FromRef::Image(_) | FromRef::Unresolved => continue,
            };
            if source_stage.is_some_and(|s| built_on_scratch(cx, s)) {
                continue;
            }
            let Some((dest, sources)) = ins.args.split_last() else {
                continue;
            };
            let is_root = |w: &plimsoll_syntax::Word| {
                model.resolve(i, &w.value).is_some_and(|p| is_root_path(&p))
            };
            let Some(source) = sources.iter().find(|w| is_root(w)) else {
                continue;
            };
            if !is_root(dest) || flattens_into_scratch(cx, i) {
                continue;
            }
            cx.report(
                source.span.cover(dest.span),
                "Do not copy an entire filesystem from another stage",
            );
        }
    }
}

/// `/`, `/.`, `//`: the root directory.
fn is_root_path(path: &str) -> bool {
    let path = path.trim();
    path.starts_with('/') && path.split('/').all(|c| c.is_empty() || c == ".")
}

/// Stage `index`, or the stage it is built on and so on, starts from
/// `scratch`.
fn built_on_scratch(cx: &Checker<'_>, index: usize) -> bool {
    let stages = &cx.model.stages;
    let mut at = index;
    for _ in 0..stages.len() {
        match stages.get(at).map(|s| &s.base) {
            Some(Base::Scratch) => return true,
            Some(Base::Stage(p)) if *p < at => at = *p,
            _ => return false,
        }
    }
    false
}

/// The copy is the first thing a `FROM scratch` stage does.
fn flattens_into_scratch(cx: &Checker<'_>, index: usize) -> bool {
    let Some(stage) = cx.model.stage_of(index) else {
        return false;
    };
    stage.base == Base::Scratch
        && (stage.from_instruction + 1..index).all(|j| {
            !matches!(
                cx.model.instruction(j).keyword,
                Keyword::Run | Keyword::Copy | Keyword::Add
            )
        })
}

#[cfg(test)]
mod tests {
    use super::is_root_path;

    #[test]
    fn root_paths() {
        for p in ["/", "/.", "//", "/./", " / "] {
            assert!(is_root_path(p), "{p}");
        }
        for p in ["/app", ".", "", "./", "/x/.."] {
            assert!(!is_root_path(p), "{p}");
        }
    }
}
