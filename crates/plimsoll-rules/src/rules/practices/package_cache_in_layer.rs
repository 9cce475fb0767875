use super::common::{cache_mount_targets, env_value, program, ships};
use crate::rules::prelude::*;
use plimsoll_shell::Command;

declare_rule! {
    /// ## What it does
    /// Flags a package-manager command that leaves its download cache in
    /// the layer, for the managers the other cache rules do not cover (pip
    /// is DL3042, yarn DL3060, apt DL3009, apk DL3019, yum/dnf/zypper
    /// DL3032/DL3040/DL3036):
    ///
    /// | command | cache | cleaned by |
    /// |---|---|---|
    /// | `npm install`/`ci`/`i` | `~/.npm` | `npm cache clean --force`, `rm -rf ~/.npm` |
    /// | `pnpm install`/`add` | the pnpm store | `pnpm store prune` |
    /// | `go build`/`install`/`get`/`mod download` | `/go/pkg/mod`, `~/.cache/go-build` | `go clean -modcache -cache` |
    /// | `composer install`/`require`/`update` | `~/.composer/cache`, `~/.cache/composer` | `--no-cache`, `composer clear-cache` |
    /// | `gem install`, `bundle install` | the gem cache (`*/cache/*.gem`) | `rm` of a path naming `gem` or `bundle` |
    /// | `cargo build`/`install`/`fetch` | `~/.cargo/registry` | `rm -rf` of the registry |
    /// | `poetry install`/`add` | `~/.cache/pypoetry` | `--no-cache`, `poetry cache clear` |
    /// | `uv pip install`/`uv sync`/`uv add` | `~/.cache/uv` | `--no-cache`, `uv cache clean` |
    /// | `conda`/`mamba`/`micromamba install`/`create` | the package cache | `conda clean` |
    ///
    /// The cleanup has to be in the same `RUN`. Also satisfied by a
    /// `--mount=type=cache` (or tmpfs) whose target names the tool's cache
    /// (`npm`, `go`, `composer`, `gem`/`bundle`, `cargo`, `pypoetry`, `uv`,
    /// `conda`/`mamba`, or `/root/.cache`), by a removal of a directory whose
    /// path names it, and by the environment variable that turns the cache
    /// off (`UV_NO_CACHE`, `COMPOSER_CACHE_DIR=/dev/null`,
    /// `POETRY_NO_CACHE`…, set by `ENV`/`ARG` or on the command).
    ///
    /// Only the final stage and the stages it is built on are checked: a
    /// build stage's cache is never shipped. `npm install -g` of a named
    /// package is checked like any install.
    ///
    /// ## Why is this bad?
    /// Package managers keep every downloaded archive in a cache so that the
    /// next install on the same machine is faster. In an image there is no
    /// next install: the cache only makes the layer bigger, often by more
    /// than the packages themselves, and removing it in a later `RUN` does
    /// not shrink the image. A cache mount keeps it on the build host, where
    /// it does speed up the next build.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// COPY package.json package-lock.json ./
    /// RUN npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// COPY package.json package-lock.json ./
    /// RUN --mount=type=cache,target=/root/.npm npm ci
    /// ```
    pub struct PackageCacheInLayer {
        code: "PL1007",
        name: "package_cache_in_layer",
        aliases: [],
        severity: Info,
        summary: "Package manager cache left in the layer",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// One package manager: how to recognise an install that fills its cache
/// and what keeps or cleans it.
struct Manager {
    name: &'static str,
    /// The programs whose commands `installs` looks at.
    programs: &'static [&'static str],
    /// Where the cache is, for the message.
    cache: &'static str,
    /// Substrings of a cache-mount target or a removed path that cover it.
    keys: &'static [&'static str],
    /// Variables that turn the cache off when set (to anything but empty).
    env_off: &'static [(&'static str, Option<&'static str>)],
    installs: fn(&Command) -> bool,
    /// Flags of the install that turn the cache off.
    no_cache_flags: &'static [&'static str],
    cleans: fn(&Command) -> bool,
    fix: &'static str,
}

fn sub_in(cmd: &Command, programs: &[&str], subs: &[&str]) -> bool {
    programs.iter().any(|p| {
        cmd.runs(p).is_some_and(|inv| {
            inv.positional_args(&[])
                .first()
                .is_some_and(|w| subs.iter().any(|s| w.is(s)))
        })
    })
}

/// `prog a b` (the first operands as given).
fn ops_are(cmd: &Command, program: &str, ops: &[&str]) -> bool {
    cmd.runs(program).is_some_and(|inv| {
        let have = inv.positional_args(&[]);
        ops.iter()
            .enumerate()
            .all(|(k, o)| have.get(k).is_some_and(|w| w.is(o)))
    })
}

const MANAGERS: &[Manager] = &[
    Manager {
        name: "npm",
        programs: &["npm"],
        cache: "~/.npm",
        keys: &[".npm", "npm"],
        env_off: &[],
        installs: |c| sub_in(c, &["npm"], &["install", "i", "ci", "add", "update"]),
        no_cache_flags: &[],
        cleans: |c| ops_are(c, "npm", &["cache", "clean"]),
        fix: "add `npm cache clean --force` to the same RUN or use a cache mount",
    },
    Manager {
        name: "pnpm",
        programs: &["pnpm"],
        cache: "the pnpm store",
        keys: &["pnpm"],
        env_off: &[],
        installs: |c| sub_in(c, &["pnpm"], &["install", "i", "add"]),
        no_cache_flags: &[],
        cleans: |c| ops_are(c, "pnpm", &["store", "prune"]),
        fix: "add `pnpm store prune` to the same RUN or use a cache mount",
    },
    Manager {
        name: "go",
        programs: &["go"],
        cache: "/go/pkg/mod and ~/.cache/go-build",
        keys: &["/go/pkg", "go-build", "/go", "gocache", "gomodcache"],
        env_off: &[],
        installs: |c| {
            sub_in(c, &["go"], &["build", "install", "get"])
                || ops_are(c, "go", &["mod", "download"])
        },
        no_cache_flags: &[],
        cleans: |c| ops_are(c, "go", &["clean"]),
        fix: "add `go clean -modcache -cache` to the same RUN, build in a separate stage, or \
              use cache mounts",
    },
    Manager {
        name: "composer",
        programs: &["composer"],
        cache: "composer's cache",
        keys: &["composer"],
        env_off: &[("COMPOSER_CACHE_DIR", Some("/dev/null"))],
        installs: |c| sub_in(c, &["composer"], &["install", "require", "update"]),
        no_cache_flags: &["--no-cache"],
        cleans: |c| sub_in(c, &["composer"], &["clear-cache", "clearcache", "cc"]),
        fix: "add `--no-cache` or `composer clear-cache` to the same RUN, or use a cache mount",
    },
    Manager {
        name: "gem",
        programs: &["gem", "bundle", "bundler"],
        cache: "the gem cache",
        keys: &["gem", "bundle"],
        env_off: &[],
        installs: |c| {
            sub_in(c, &["gem"], &["install"]) || sub_in(c, &["bundle", "bundler"], &["install"])
        },
        no_cache_flags: &[],
        cleans: |_| false,
        fix: "remove the gem cache (`rm -rf /usr/local/bundle/cache`) in the same RUN or use a \
              cache mount",
    },
    Manager {
        name: "cargo",
        programs: &["cargo"],
        cache: "~/.cargo/registry",
        keys: &["cargo", "registry"],
        env_off: &[],
        installs: |c| sub_in(c, &["cargo"], &["build", "install", "fetch"]),
        no_cache_flags: &[],
        cleans: |_| false,
        fix: "remove `$CARGO_HOME/registry` in the same RUN, build in a separate stage, or use \
              a cache mount",
    },
    Manager {
        name: "poetry",
        programs: &["poetry"],
        cache: "~/.cache/pypoetry",
        keys: &["pypoetry", "poetry", "/root/.cache"],
        env_off: &[
            ("POETRY_NO_CACHE", None),
            ("POETRY_CACHE_DIR", Some("/dev/null")),
        ],
        installs: |c| sub_in(c, &["poetry"], &["install", "add", "update"]),
        no_cache_flags: &["--no-cache"],
        cleans: |c| ops_are(c, "poetry", &["cache", "clear"]),
        fix: "add `--no-cache` or `poetry cache clear --all` to the same RUN, or use a cache \
              mount",
    },
    Manager {
        name: "uv",
        programs: &["uv"],
        cache: "~/.cache/uv",
        keys: &["uv", "/root/.cache"],
        env_off: &[("UV_NO_CACHE", None)],
        installs: |c| {
            ops_are(c, "uv", &["pip", "install"])
                || sub_in(c, &["uv"], &["sync", "add"])
                || ops_are(c, "uv", &["tool", "install"])
        },
        no_cache_flags: &["--no-cache", "-n"],
        cleans: |c| ops_are(c, "uv", &["cache", "clean"]) || ops_are(c, "uv", &["cache", "prune"]),
        fix: "add `--no-cache` or use a cache mount",
    },
    Manager {
        name: "conda",
        programs: &["conda", "mamba", "micromamba"],
        cache: "the conda package cache",
        keys: &["conda", "mamba", "pkgs"],
        env_off: &[],
        installs: |c| {
            sub_in(
                c,
                &["conda", "mamba", "micromamba"],
                &["install", "create", "update"],
            )
        },
        no_cache_flags: &[],
        cleans: |c| sub_in(c, &["conda", "mamba", "micromamba"], &["clean"]),
        fix: "add `conda clean -afy` to the same RUN",
    },
];

/// `rm -r…` of a path that mentions one of `keys`.
fn removes_cache(cmd: &Command, keys: &[&str]) -> bool {
    let Some(inv) = cmd.runs("rm") else {
        return false;
    };
    inv.positional_args(&[]).iter().any(|w| {
        let t = w.value_or_text().to_ascii_lowercase();
        keys.iter().any(|k| t.contains(k))
    })
}

impl Rule for PackageCacheInLayer {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (i, _) in cx.instructions() {
            let scripts = cx.scripts(i);
            if scripts.is_empty() || !ships(cx.model, i) {
                continue;
            }
            let commands: Vec<&Command> = scripts.iter().flat_map(|s| s.commands.iter()).collect();
            let programs: Vec<Option<&str>> = commands.iter().map(|c| program(c)).collect();
            for m in MANAGERS {
                let Some(install) = commands
                    .iter()
                    .zip(&programs)
                    .find(|(c, p)| p.is_some_and(|p| m.programs.contains(&p)) && (m.installs)(c))
                    .map(|(c, _)| c)
                else {
                    continue;
                };
                let mounts = cache_mount_targets(cx, i);
                let env_off = m.env_off.iter().any(|(name, value)| {
                    let set = |v: Option<&str>| match (v, value) {
                        (Some(v), Some(want)) => v == *want,
                        (Some(v), None) => !v.is_empty() && v != "0" && v != "false",
                        (None, _) => false,
                    };
                    set(env_value(cx, i, name))
                        || install
                            .env
                            .iter()
                            .any(|a| a.name == *name && set(a.value.value.as_deref()))
                });
                let kept_out = env_off
                    || commands.iter().any(|c| {
                        (m.installs)(c)
                            && c.effective().is_some_and(|inv| {
                                !m.no_cache_flags.is_empty() && inv.has_flag(m.no_cache_flags)
                            })
                    })
                    || mounts
                        .iter()
                        .any(|t| t == "/root/.cache" || m.keys.iter().any(|k| t.contains(k)))
                    || commands
                        .iter()
                        .any(|c| (m.cleans)(c) || removes_cache(c, m.keys));
                if kept_out {
                    continue;
                }
                let span = install
                    .effective()
                    .map_or(install.span, |inv| inv.name.span.cover(install.span));
                found.push((span, m));
            }
        }
        for (span, m) in found {
            cx.report(
                span,
                format!(
                    "`{}` leaves its cache ({}) in the layer: {}",
                    m.name, m.cache, m.fix
                ),
            );
        }
    }
}
