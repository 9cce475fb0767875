use super::deps::{dependency_install, has_cache_mount, sources_copied_before};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a dependency install that runs after the application's
    /// sources were copied into the image: `pip install -r …`, `npm ci`,
    /// `npm install`, `yarn install`, `pnpm install`, `bundle install`,
    /// `go mod download`, `mvn dependency:…`, `composer install`,
    /// `cargo fetch`, `poetry install --no-root`, `pipenv install`,
    /// `uv sync --no-install-project` and `dotnet restore`, run after a
    /// `COPY`/`ADD` of the whole build context (`.`, `./`, `*`) or of a
    /// source directory (`src`, `app`, `lib`, `cmd`, `pkg`, `internal`) in
    /// the same stage or a stage it is built on.
    ///
    /// Stays quiet when the install's `RUN` has a cache mount (the
    /// downloads are cached anyway), for `COPY --from` (not the build
    /// context), and for copies of other files and directories, which may
    /// be exactly the manifests the install needs.
    ///
    /// ## Why is this bad?
    /// Docker reuses a layer only while the instruction and everything it
    /// copies are unchanged. Once the sources are in, every edit of any
    /// file invalidates the cache, and the dependencies are downloaded and
    /// installed again on every build. Copying only the dependency
    /// manifests first, installing, and copying the sources afterwards
    /// keeps the install cached until the manifests change.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY . .
    /// RUN npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// COPY package.json package-lock.json ./
    /// RUN npm ci
    /// COPY . .
    /// ```
    pub struct SourcesBeforeDependencyInstall {
        code: "PL1002",
        name: "sources_before_dependency_install",
        aliases: [],
        severity: Warning,
        summary: "Sources copied before the dependency install: the install is never cached",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for SourcesBeforeDependencyInstall {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (i, ins) in cx.instructions() {
            if ins.keyword != Keyword::Run || has_cache_mount(cx, i) {
                continue;
            }
            for script in cx.scripts(i) {
                for cmd in &script.commands {
                    let Some(eco) = dependency_install(cmd) else {
                        continue;
                    };
                    let Some(copy) = sources_copied_before(cx, i) else {
                        continue;
                    };
                    let program = cmd.effective().map_or(cmd.span, |inv| inv.name.span);
                    found.push((program.cover(cmd.span), copy, eco));
                }
            }
        }
        for (span, copy, eco) in found {
            let copy_ins = &cx.dockerfile.instructions[copy];
            let copy_text = cx.slice(copy_ins.span).lines().next().unwrap_or("").trim();
            let copy_line = copy_ins.start_line;
            let install = cx.slice(span).lines().next().unwrap_or("").trim();
            let install = truncate(install, 40);
            let copy_text = truncate(copy_text, 40);
            cx.report(
                span,
                format!(
                    "`{install}` runs after `{copy_text}` (line {copy_line}): any source \
                     change re-runs it. Copy only {} first, install, then copy the sources",
                    eco.manifests()
                ),
            );
        }
    }
}

/// At most `n` characters, with `…` when cut.
pub(super) fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n).collect();
    out.push('…');
    out
}
