//! Dependency installs and builds of the common language ecosystems, and
//! the COPY instructions that bring in an application's sources: what the
//! layer-cache rules (PL1002, PL1003) read.

use super::common::{cache_mount_targets, run_commands};
use crate::Checker;
use crate::rules::run::common::pip;
use plimsoll_shell::{Command, Invocation};
use plimsoll_syntax::Keyword;

/// A language ecosystem and its dependency manifests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ecosystem {
    Pip,
    Node,
    Bundler,
    Go,
    Maven,
    Gradle,
    Composer,
    Cargo,
    Poetry,
    Pipenv,
    Uv,
    Dotnet,
}

impl Ecosystem {
    /// The files to copy on their own before the dependency step.
    pub fn manifests(self) -> &'static str {
        match self {
            Ecosystem::Pip => "the requirements file",
            Ecosystem::Node => "`package.json` and the lockfile",
            Ecosystem::Bundler => "`Gemfile` and `Gemfile.lock`",
            Ecosystem::Go => "`go.mod` and `go.sum`",
            Ecosystem::Maven => "`pom.xml`",
            Ecosystem::Gradle => "the `build.gradle`/`settings.gradle` files",
            Ecosystem::Composer => "`composer.json` and `composer.lock`",
            Ecosystem::Cargo => "`Cargo.toml` and `Cargo.lock`",
            Ecosystem::Poetry => "`pyproject.toml` and `poetry.lock`",
            Ecosystem::Pipenv => "`Pipfile` and `Pipfile.lock`",
            Ecosystem::Uv => "`pyproject.toml` and `uv.lock`",
            Ecosystem::Dotnet => "the project files (`*.csproj`, `*.sln`)",
        }
    }

    /// The step that installs only the dependencies.
    pub fn dependency_step(self) -> &'static str {
        match self {
            Ecosystem::Pip => "`pip install -r requirements.txt`",
            Ecosystem::Node => "`npm ci`",
            Ecosystem::Bundler => "`bundle install`",
            Ecosystem::Go => "`go mod download`",
            Ecosystem::Maven => "`mvn dependency:go-offline`",
            Ecosystem::Gradle => "`gradle dependencies`",
            Ecosystem::Composer => "`composer install --no-autoloader`",
            Ecosystem::Cargo => "`cargo fetch`",
            Ecosystem::Poetry => "`poetry install --no-root`",
            Ecosystem::Pipenv => "`pipenv install --deploy`",
            Ecosystem::Uv => "`uv sync --no-install-project`",
            Ecosystem::Dotnet => "`dotnet restore`",
        }
    }
}

/// A command that installs dependencies from the manifests alone.
pub(super) fn dependency_install(cmd: &Command) -> Option<Ecosystem> {
    if let Some(inv) = pip(cmd) {
        let ops = inv.positional_args(PIP_VALUE_FLAGS);
        let install = ops.first().is_some_and(|w| w.is("install"));
        let reqs = inv.has_flag(&["-r", "--requirement"]);
        // `pip install -r requirements.txt .` installs the project too.
        return (install && reqs && ops.len() == 1).then_some(Ecosystem::Pip);
    }
    let inv = cmd.effective()?;
    let ops = inv.positional_args(&[]);
    let sub = ops.first().and_then(|w| w.value.as_deref());
    let eco = match inv.basename()? {
        "npm" => match sub {
            Some("ci") => Ecosystem::Node,
            Some("install" | "i") if ops.len() == 1 => Ecosystem::Node,
            _ => return None,
        },
        "yarn" => match sub {
            None | Some("install") => Ecosystem::Node,
            _ => return None,
        },
        "pnpm" => match sub {
            Some("install" | "i") if ops.len() == 1 => Ecosystem::Node,
            _ => return None,
        },
        "bundle" | "bundler" if sub == Some("install") => Ecosystem::Bundler,
        "go" if sub == Some("mod") && ops.get(1).is_some_and(|w| w.is("download")) => Ecosystem::Go,
        "mvn" | "mvnw"
            if maven_goals(&inv)
                .iter()
                .all(|g| g.starts_with("dependency:")) =>
        {
            if maven_goals(&inv).is_empty() {
                return None;
            }
            Ecosystem::Maven
        }
        "composer" if sub == Some("install") => Ecosystem::Composer,
        "cargo" if sub == Some("fetch") => Ecosystem::Cargo,
        "poetry" if sub == Some("install") && inv.has_flag(&["--no-root"]) => Ecosystem::Poetry,
        "pipenv" if sub == Some("install") && ops.len() == 1 => Ecosystem::Pipenv,
        "uv" if sub == Some("sync") && inv.has_flag(&["--no-install-project"]) => Ecosystem::Uv,
        "dotnet" if sub == Some("restore") => Ecosystem::Dotnet,
        _ => return None,
    };
    Some(eco)
}

/// pip's options that take a value.
const PIP_VALUE_FLAGS: &[&str] = &[
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--trusted-host",
    "--platform",
    "--python-version",
    "--only-binary",
    "--no-binary",
    "--progress-bar",
    "--cache-dir",
];

/// Maven's goals and phases (operands that are not `-D…` values).
fn maven_goals<'a>(inv: &Invocation<'a>) -> Vec<&'a str> {
    inv.positional_args(&["-f", "--file", "-s", "--settings", "-P", "-pl", "-T", "-q"])
        .into_iter()
        .filter_map(|w| w.value.as_deref())
        .collect()
}

/// A command that builds or installs the project from its sources and
/// fetches its dependencies on the way.
pub(super) fn build_fetching_dependencies(cmd: &Command) -> Option<Ecosystem> {
    if let Some(inv) = pip(cmd) {
        let ops = inv.positional_args(PIP_VALUE_FLAGS);
        let install = ops.first().is_some_and(|w| w.is("install"));
        let local = ops.iter().skip(1).any(|w| {
            w.value
                .as_deref()
                .is_some_and(|v| v == "." || v.starts_with("./") || v.starts_with(".["))
        }) || inv
            .flag_value(&["-e", "--editable"])
            .and_then(|f| f.value)
            .is_some_and(|v| v == "." || v.starts_with("./"));
        return (install && local && !inv.has_flag(&["--no-deps"])).then_some(Ecosystem::Pip);
    }
    let inv = cmd.effective()?;
    let ops = inv.positional_args(&["-o", "-ldflags", "-tags", "-gcflags", "-p", "-C"]);
    let sub = ops.first().and_then(|w| w.value.as_deref());
    let eco = match inv.basename()? {
        "go" => match sub {
            Some("build" | "test" | "vet") => Ecosystem::Go,
            // `go install tool@v1` installs a tool, not the sources.
            Some("install") if !ops.iter().skip(1).any(|w| w.value_or_text().contains('@')) => {
                Ecosystem::Go
            }
            _ => return None,
        },
        "cargo" => match sub {
            Some("build" | "test") => Ecosystem::Cargo,
            Some("install") if inv.has_flag(&["--path"]) => Ecosystem::Cargo,
            _ => return None,
        },
        "mvn" | "mvnw" => {
            let goals = maven_goals(&inv);
            let builds = goals.iter().any(|g| {
                matches!(
                    *g,
                    "package" | "install" | "verify" | "compile" | "test" | "deploy"
                ) || g.starts_with("spring-boot:")
            });
            if !builds || inv.has_flag(&["-o", "--offline"]) {
                return None;
            }
            Ecosystem::Maven
        }
        "gradle" | "gradlew" => {
            if inv.has_flag(&["--offline"]) || ops.is_empty() {
                return None;
            }
            Ecosystem::Gradle
        }
        "poetry" if sub == Some("install") && !inv.has_flag(&["--no-root", "--only-root"]) => {
            Ecosystem::Poetry
        }
        "uv" if sub == Some("sync") && !inv.has_flag(&["--no-install-project", "--offline"]) => {
            Ecosystem::Uv
        }
        "dotnet"
            if matches!(sub, Some("publish" | "build")) && !inv.has_flag(&["--no-restore"]) =>
        {
            Ecosystem::Dotnet
        }
        _ => return None,
    };
    Some(eco)
}

/// True when a Go build reads vendored modules (`-mod=vendor`).
pub(super) fn go_vendored(cmd: &Command) -> bool {
    cmd.effective().is_some_and(|inv| {
        inv.args
            .iter()
            .any(|w| w.value.as_deref() == Some("-mod=vendor"))
    }) || cmd.env.iter().any(|a| {
        a.name == "GOFLAGS"
            && a.value
                .value
                .as_deref()
                .is_some_and(|v| v.contains("-mod=vendor"))
    })
}

/// A COPY/ADD from the build context that brings in the application's
/// sources: the whole context (`.`, `./`, `*`) or a source directory
/// (`src`, `app`, `lib`, `cmd`, `pkg`, `internal`). What it copies is
/// never just manifests.
pub(super) fn copies_sources(cx: &Checker<'_>, index: usize) -> bool {
    let ins = &cx.dockerfile.instructions[index];
    if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
        return false;
    }
    let Some((_, sources)) = ins.args.split_last() else {
        return false;
    };
    sources.iter().any(|w| {
        let v = cx
            .model
            .resolve(index, &w.value)
            .unwrap_or_else(|| w.value.clone());
        let v = v.trim_start_matches("./").trim_end_matches('/');
        matches!(
            v,
            "" | "." | "*" | "src" | "app" | "lib" | "cmd" | "pkg" | "internal"
        )
    })
}

/// The last COPY/ADD of sources before instruction `index` in its image
/// (its stage and the stages it is built on).
pub(super) fn sources_copied_before(cx: &Checker<'_>, index: usize) -> Option<usize> {
    cx.model
        .lineage_before(index)
        .into_iter()
        .find(|&j| copies_sources(cx, j))
}

/// True when the RUN at `index` has any cache mount: its author already
/// keeps downloads out of the way of the layer cache.
pub(super) fn has_cache_mount(cx: &Checker<'_>, index: usize) -> bool {
    !cache_mount_targets(cx, index).is_empty()
}

/// True when a RUN before `index` in its image ran the dependency step
/// of `eco`.
pub(super) fn dependency_step_before(cx: &Checker<'_>, index: usize, eco: Ecosystem) -> bool {
    cx.model.lineage_before(index).into_iter().any(|j| {
        run_commands(cx, j).any(|c| {
            dependency_install(c) == Some(eco)
                || (eco == Ecosystem::Go
                    && c.runs("go").is_some_and(|i| i.subcommand_is("get")))
                // A first build from the manifests and stub sources (the
                // cargo dummy `main.rs` trick, `cargo chef cook`).
                || (eco == Ecosystem::Cargo
                    && (build_fetching_dependencies(c) == Some(eco)
                        || c.runs("cargo").is_some_and(|i| i.subcommand_is("chef"))))
                || (eco == Ecosystem::Pip
                    && pip(c).is_some_and(|i| i.has_flag(&["-r", "--requirement"])))
        })
    })
}
