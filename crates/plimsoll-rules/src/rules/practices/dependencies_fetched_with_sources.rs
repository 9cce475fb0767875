use super::deps::{
    Ecosystem, build_fetching_dependencies, dependency_step_before, go_vendored, has_cache_mount,
    sources_copied_before,
};
use super::sources_before_dependency_install::truncate;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a build that downloads the project's dependencies itself,
    /// right after all the sources were copied, with no earlier step that
    /// installs the dependencies from the manifests alone: `go build`,
    /// `go test` or `go install` without a `go mod download` before,
    /// `cargo build` without `cargo fetch` (or a first build of the
    /// manifests, or `cargo chef`), `mvn package`/`install`/… without
    /// `mvn dependency:go-offline`, `gradle <task>`, `poetry install`
    /// without an earlier `poetry install --no-root`, `uv sync` without
    /// `uv sync --no-install-project`, `pip install .` without an earlier
    /// `pip install -r …`, `dotnet publish`/`build` without
    /// `dotnet restore`.
    ///
    /// "After the sources were copied" means a `COPY`/`ADD` of the whole
    /// build context (`.`, `./`, `*`) or of a source directory (`src`,
    /// `app`, `lib`, `cmd`, `pkg`, `internal`) earlier in the stage or a
    /// stage it is built on.
    ///
    /// Stays quiet when the `RUN` has a cache mount (the downloads are
    /// cached there), for offline builds (`mvn -o`, `gradle --offline`,
    /// `go build -mod=vendor`, `dotnet publish --no-restore`), for
    /// `go install tool@version` and `cargo install <crate>` (tools, not
    /// the sources), and for `pip install --no-deps .`.
    ///
    /// When a dependency step exists but runs after the sources are copied,
    /// PL1002 reports it instead.
    ///
    /// ## Why is this bad?
    /// The layer of this build is rebuilt whenever any source file changes,
    /// and with it every dependency is downloaded again. Copying the
    /// manifests alone and fetching the dependencies in a layer of their own
    /// first keeps the download cached until the manifests change; the
    /// build then only compiles.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// WORKDIR /src
    /// COPY . .
    /// RUN go build -o /app ./cmd/app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// WORKDIR /src
    /// COPY go.mod go.sum ./
    /// RUN go mod download
    /// COPY . .
    /// RUN go build -o /app ./cmd/app
    /// ```
    pub struct DependenciesFetchedWithSources {
        code: "PL1003",
        name: "dependencies_fetched_with_sources",
        aliases: [],
        severity: Info,
        summary: "Dependencies are downloaded by the build, after all sources were copied",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for DependenciesFetchedWithSources {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (i, ins) in cx.instructions() {
            if ins.keyword != Keyword::Run || has_cache_mount(cx, i) {
                continue;
            }
            let Some(copy) = sources_copied_before(cx, i) else {
                continue;
            };
            let mut seen: Vec<Ecosystem> = Vec::new();
            for script in cx.scripts(i) {
                for (k, cmd) in script.commands.iter().enumerate() {
                    let Some(eco) = build_fetching_dependencies(cmd) else {
                        continue;
                    };
                    if seen.contains(&eco)
                        || (eco == Ecosystem::Go
                            && (go_vendored(cmd)
                                || super::common::env_value(cx, i, "GOFLAGS")
                                    .is_some_and(|v| v.contains("-mod=vendor"))))
                        || dependency_step_before(cx, i, eco)
                        // A dependency step earlier in the same RUN.
                        || script.commands[..k]
                            .iter()
                            .any(|c| super::deps::dependency_install(c) == Some(eco))
                    {
                        continue;
                    }
                    seen.push(eco);
                    let program = cmd.effective().map_or(cmd.span, |inv| inv.name.span);
                    found.push((program.cover(cmd.span), copy, eco));
                }
            }
        }
        for (span, copy, eco) in found {
            let copy_ins = &cx.dockerfile.instructions[copy];
            let copy_text = truncate(
                cx.slice(copy_ins.span).lines().next().unwrap_or("").trim(),
                40,
            );
            let build = truncate(cx.slice(span).lines().next().unwrap_or("").trim(), 40);
            cx.report(
                span,
                format!(
                    "`{build}` downloads the dependencies after `{copy_text}` (line {}): copy \
                     only {} first and run {} before copying the sources, so that the download \
                     is cached",
                    copy_ins.start_line,
                    eco.manifests(),
                    eco.dependency_step()
                ),
            );
        }
    }
}
