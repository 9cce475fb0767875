use super::common::ships;
use crate::rules::packages::common::{
    APK_VALUE_FLAGS, APT_VALUE_FLAGS, RPM_VALUE_FLAGS, subcommand_in, word_values,
};
use crate::rules::prelude::*;
use plimsoll_shell::Command;

declare_rule! {
    /// ## What it does
    /// Flags a package install that puts a build toolchain into the image
    /// of a Dockerfile that has no build stage: compilers (`gcc`, `g++`,
    /// `clang`, `build-essential`, `build-base`, `alpine-sdk`), build tools
    /// (`make`, `cmake`, `autoconf`, `automake`, `libtool`, `pkg-config`),
    /// development headers (`*-dev`, `*-devel`), `git`, and language
    /// toolchains (`golang`, `cargo`, `rustc`, `maven`, `gradle`), installed
    /// with `apt-get`/`apt`, `apk`, `yum`, `dnf` or `microdnf`.
    ///
    /// Stays quiet:
    /// - when the file has a stage that does not end up in the image (a
    ///   build stage only copied from): the author already builds
    ///   elsewhere, and a toolchain in the final stage is then a decision;
    /// - when the same `RUN` removes packages again after installing them
    ///   (`apt-get purge`, `apt-get autoremove`, `apk del`, `yum remove`,
    ///   `dnf remove`…), the pattern of official images that build from
    ///   source and clean up in one layer;
    /// - for packages whose name is not literal (`$BUILD_DEPS` with an
    ///   unknown value);
    /// - when the image's command is one of the tools it installs
    ///   (`ENTRYPOINT ["git"]`, `CMD ["make"]`): a tool image, whose tools
    ///   are its purpose.
    ///
    /// ## Why is this bad?
    /// Compilers, headers and version-control tools are needed to build the
    /// application, not to run it. In the shipped image they add hundreds
    /// of megabytes and give an attacker who gets in the means to build and
    /// fetch tools. A multi-stage build compiles in one stage and copies
    /// only the result into a small final stage.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev \
    ///  && rm -rf /var/lib/apt/lists/*
    /// COPY requirements.txt .
    /// RUN pip install --no-cache-dir -r requirements.txt
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim AS build
    /// RUN apt-get update && apt-get install -y --no-install-recommends gcc libpq-dev
    /// COPY requirements.txt .
    /// RUN pip wheel --no-cache-dir --wheel-dir /wheels -r requirements.txt
    ///
    /// FROM python:3.12-slim
    /// COPY --from=build /wheels /wheels
    /// RUN pip install --no-cache-dir /wheels/*
    /// ```
    pub struct BuildToolsInFinalImage {
        code: "PL1001",
        name: "build_tools_in_final_image",
        aliases: [],
        severity: Warning,
        summary: "Build toolchain installed in the final image of a single-stage build",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// Package names that are build tools, exactly.
const TOOLS: &[&str] = &[
    "gcc",
    "g++",
    "gcc-c++",
    "clang",
    "llvm",
    "build-essential",
    "build-base",
    "alpine-sdk",
    "make",
    "cmake",
    "autoconf",
    "automake",
    "libtool",
    "pkg-config",
    "pkgconf",
    "git",
    "golang",
    "golang-go",
    "go",
    "cargo",
    "rustc",
    "rust",
    "maven",
    "gradle",
    "musl-dev",
];

/// The build tool a package word names, if any (`gcc-12` is gcc,
/// `libpq-dev=15.*` is a header package).
fn tool_name(package: &str) -> Option<&str> {
    let name = package
        .split(['=', ':'])
        .next()
        .unwrap_or(package)
        .trim_end_matches(['<', '>', '~']);
    // apk's `name>1.2`, `name~1.2`, yum's `name-1.2.3`.
    let name = name.split(['<', '>', '~']).next().unwrap_or(name);
    if name.is_empty() || name.starts_with('-') || name.starts_with('.') {
        return None;
    }
    if TOOLS.contains(&name) || name.ends_with("-dev") || name.ends_with("-devel") {
        return Some(name);
    }
    // `gcc-12`, `g++-13`, `clang-17`: a tool with a version suffix.
    let (stem, version) = name.rsplit_once('-')?;
    (["gcc", "g++", "clang", "golang"].contains(&stem)
        && !version.is_empty()
        && version.chars().all(|c| c.is_ascii_digit() || c == '.'))
    .then_some(name)
}

/// The packages an install command adds: `apt-get install`, `apk add`,
/// `yum|dnf|microdnf install`.
fn installed(cmd: &Command) -> Option<Vec<&plimsoll_shell::Word>> {
    if !super::common::program(cmd)
        .is_some_and(|p| super::common::SYSTEM_PACKAGE_MANAGERS.contains(&p))
    {
        return None;
    }
    if let Some((_, _, pkgs)) =
        subcommand_in(cmd, &["apt-get", "apt"], &["install"], APT_VALUE_FLAGS)
    {
        return Some(pkgs);
    }
    if let Some((_, _, pkgs)) = subcommand_in(cmd, &["apk"], &["add"], APK_VALUE_FLAGS) {
        return Some(pkgs);
    }
    subcommand_in(
        cmd,
        &["yum", "dnf", "microdnf"],
        &["install"],
        RPM_VALUE_FLAGS,
    )
    .map(|(_, _, p)| p)
}

/// A command that removes packages: what a RUN that builds and cleans up
/// in one layer ends with.
pub(super) fn removes_packages(cmd: &Command) -> bool {
    if !super::common::program(cmd)
        .is_some_and(|p| super::common::SYSTEM_PACKAGE_MANAGERS.contains(&p))
    {
        return false;
    }
    subcommand_in(
        cmd,
        &["apt-get", "apt"],
        &["purge", "remove", "autoremove"],
        APT_VALUE_FLAGS,
    )
    .is_some()
        || subcommand_in(cmd, &["apk"], &["del"], APK_VALUE_FLAGS).is_some()
        || subcommand_in(
            cmd,
            &["yum", "dnf", "microdnf"],
            &["remove", "erase", "autoremove"],
            RPM_VALUE_FLAGS,
        )
        .is_some()
        || cmd
            .runs("dpkg")
            .is_some_and(|i| i.has_flag(&["-r", "-P", "--purge", "--remove"]))
}

impl Rule for BuildToolsInFinalImage {
    fn check(&self, cx: &mut Checker<'_>) {
        let multi_stage = (0..cx.model.stages.len()).any(|s| {
            let first = cx.model.stages[s].from_instruction;
            !ships(cx.model, first)
        });
        if multi_stage {
            return;
        }
        // An image whose command is one of the tools (`ENTRYPOINT
        // ["make"]`) is a tool image: the tools are its point.
        let main = super::common::MainProcess::of(cx);
        let program = main.entrypoint.or(main.cmd).and_then(|i| {
            let cmd = cx.command_scripts(i).first()?.commands.first()?;
            cmd.effective()?.basename().map(str::to_string)
        });
        let mut found = Vec::new();
        for (i, _) in cx.instructions() {
            let scripts = cx.scripts(i);
            if scripts.is_empty() || !ships(cx.model, i) {
                continue;
            }
            let commands: Vec<&Command> = scripts.iter().flat_map(|s| s.commands.iter()).collect();
            for (k, cmd) in commands.iter().enumerate() {
                let Some(packages) = installed(cmd) else {
                    continue;
                };
                let mut tools: Vec<String> = Vec::new();
                for w in packages {
                    for v in word_values(cx.model, i, w).unwrap_or_default() {
                        if let Some(t) = tool_name(&v)
                            && !tools.iter().any(|x| x == t)
                        {
                            tools.push(t.to_string());
                        }
                    }
                }
                let tool_image = program.as_deref().is_some_and(|p| {
                    tools
                        .iter()
                        .any(|t| t == p || (t.starts_with("golang") && p == "go"))
                });
                if tools.is_empty()
                    || tool_image
                    || commands[k + 1..].iter().any(|c| removes_packages(c))
                {
                    continue;
                }
                found.push((cmd.span, tools));
            }
        }
        for (span, tools) in found {
            let list = tools
                .iter()
                .take(4)
                .map(|t| format!("`{t}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let more = if tools.len() > 4 { ", …" } else { "" };
            cx.report(
                span,
                format!(
                    "Build tools ({list}{more}) are installed in the image that ships: build in \
                     a separate stage and copy only the result into the final one"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tool_name;

    #[test]
    fn tool_names() {
        assert_eq!(tool_name("gcc"), Some("gcc"));
        assert_eq!(tool_name("gcc-12"), Some("gcc-12"));
        assert_eq!(tool_name("libpq-dev=15.4-1"), Some("libpq-dev"));
        assert_eq!(tool_name("openssl-devel"), Some("openssl-devel"));
        assert_eq!(tool_name("git=1:2.39.2-1.1"), Some("git"));
        assert_eq!(tool_name("git>2"), Some("git"));
        assert_eq!(tool_name("udev"), None);
        assert_eq!(tool_name("curl"), None);
        assert_eq!(tool_name("gcc-doc"), None);
        assert_eq!(tool_name("libgcc"), None);
    }
}
