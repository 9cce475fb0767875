use super::common::Runs;
use crate::rules::packages::common::Site;
use crate::rules::prelude::*;
use plimsoll_shell::Command;

declare_rule! {
    /// ## What it does
    /// Flags a command that only refreshes a package index — `apt-get
    /// update`/`apt update`/`aptitude update`, `apk update`, `yum`/`dnf`/
    /// `microdnf`/`tdnf makecache`, `zypper refresh`/`ref`, `pacman -Sy`
    /// without packages — when no command of the same package manager
    /// family uses that index later in the same `RUN`: an install, an
    /// upgrade, a search or another read (`apt-get install`, `apt-cache
    /// policy`, `apk add`, `dnf install`, `zypper in`, `pacman -S pkg`…),
    /// also when run through `xargs`, `sudo` or `env`.
    ///
    /// Commands in a `sh -c "…"` (or `su -c`) string are read too. It
    /// stays quiet when the same RUN installs, when it runs a script file
    /// after the update (`bash /tmp/install.sh`, `./setup.sh`: the script
    /// may install with the fresh index), and for the
    /// commands whose `update` upgrades packages rather than the index
    /// (`yum update`, `dnf update`, `zypper update`): those are complete
    /// steps.
    ///
    /// ## Why is this bad?
    /// Each RUN is a cached layer. An index refreshed in a RUN of its own
    /// is frozen in that layer: a later build reuses the cached layer, so a
    /// following `RUN apt-get install` reads the old index and installs
    /// outdated (possibly vulnerable) versions, or fails when the mirror
    /// has removed them. The index files also stay in the image. Refresh,
    /// install and clean up in one RUN.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## References
    /// Trivy's DS-0017 (`no-orphan-package-update`) reads the RUN text as
    /// `&&`/`;`-separated words; Checkov's CKV_DOCKER_5 counts the RUNs
    /// that contain `update` against those that contain `install`, over
    /// the whole file (so `RUN apt-get update` followed by `RUN apt-get
    /// install` passes it). This rule checks each RUN's parsed commands, so
    /// an update followed by an install of another family (`apt-get
    /// update && pip install …`) or by nothing is still caught, and an
    /// install in a subshell or behind `xargs` counts. Trivy also flags
    /// `yum update -y` and `zypper up -y` alone, which upgrade the packages
    /// and leave no stale index to reuse, and an update followed by a
    /// script that may install; neither is flagged here.
    pub struct PackageIndexUpdateAlone {
        code: "PL1104",
        name: "package_index_update_alone",
        aliases: [],
        severity: Warning,
        summary: "Package index refreshed in a RUN that installs nothing",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Apt,
    Apk,
    Rpm,
    Zypper,
    Pacman,
}

impl Rule for PackageIndexUpdateAlone {
    fn check(&self, cx: &mut Checker<'_>) {
        let runs = Runs::new(cx);
        let sites = runs.sites(cx);
        let mut found = Vec::new();
        for (k, site) in sites.iter().enumerate() {
            let Some(family) = refresh(site.cmd) else {
                continue;
            };
            let same_run = |s: &&Site<'_>| s.index == site.index;
            let used = sites[k + 1..]
                .iter()
                .take_while(same_run)
                .any(|s| uses_index(s.cmd, family) || runs_script(s.cmd));
            if !used {
                let words: Vec<&str> = site
                    .cmd
                    .name
                    .iter()
                    .chain(&site.cmd.args)
                    .map(|w| w.value_or_text())
                    .collect();
                found.push((site.cmd.span, words.join(" ")));
            }
        }
        for (span, short) in found {
            cx.report(
                span,
                format!(
                    "`{short}` refreshes the package index in a RUN that installs nothing: the \
                     layer cache keeps it stale. Install in the same RUN"
                ),
            );
        }
    }
}

/// The family of a command that only refreshes a package index.
fn refresh(cmd: &Command) -> Option<Family> {
    let inv = cmd.effective()?;
    let sub = || {
        inv.positional_args(&[
            "-o",
            "-c",
            "-t",
            "--option",
            "--config-file",
            "-X",
            "--repository",
        ])
        .first()
        .map(|w| w.value_or_text().to_string())
    };
    match inv.basename()? {
        "apt-get" | "apt" | "aptitude" if sub().as_deref() == Some("update") => Some(Family::Apt),
        "apk" if sub().as_deref() == Some("update") => Some(Family::Apk),
        "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" if sub().as_deref() == Some("makecache") => {
            Some(Family::Rpm)
        }
        "zypper" if matches!(sub().as_deref(), Some("refresh" | "ref")) => Some(Family::Zypper),
        "pacman" => {
            let sync = inv.has_flag(&["-S", "--sync"]);
            let refresh = inv.has_flag(&["-y", "--refresh"]);
            let upgrade = inv.has_flag(&["-u", "--sysupgrade"]);
            let operands = inv.positional_args(&["--config", "--dbpath", "-b", "-r", "--root"]);
            (sync && refresh && !upgrade && operands.is_empty()).then_some(Family::Pacman)
        }
        _ => None,
    }
}

/// True when a command runs a script plimsoll cannot see into: a shell
/// given a file (`bash /tmp/install.sh`; a `-c` string is read as a
/// script of its own), `source`/`.`, a program given by path
/// (`./install.sh`), or a command word that is a variable. Such a script
/// may install with the index.
fn runs_script(cmd: &Command) -> bool {
    let Some(inv) = cmd.effective() else {
        return false;
    };
    let Some(name) = inv.name.value.as_deref() else {
        return true;
    };
    let base = name.rsplit('/').next().unwrap_or(name);
    match base {
        "source" | "." => true,
        "sh" | "bash" | "ash" | "dash" | "zsh" | "ksh" | "mksh" => {
            let flags = || inv.args.iter().map(|a| a.value_or_text());
            let has_c = flags().any(|v| {
                v.strip_prefix('-')
                    .is_some_and(|f| !f.starts_with('-') && f.contains('c'))
            });
            !has_c && flags().any(|v| !v.starts_with('-'))
        }
        _ => name.contains('/') || name.ends_with(".sh"),
    }
}

/// True when a command reads the index of `family`: the package manager
/// with another subcommand, directly or as the command of `xargs`.
fn uses_index(cmd: &Command, family: Family) -> bool {
    let Some(inv) = cmd.effective() else {
        return false;
    };
    let words: Vec<&str> = std::iter::once(inv.name)
        .chain(inv.args.iter())
        .map(|w| w.value_or_text())
        .collect();
    // `xargs apt-get install -y`, `xargs -r apk add`: find the program.
    let start = if inv.name_is("xargs") {
        match words.iter().skip(1).position(|w| !w.starts_with('-')) {
            Some(p) => p + 1,
            None => return false,
        }
    } else {
        0
    };
    let Some(program) = words.get(start).map(|w| w.rsplit('/').next().unwrap_or(w)) else {
        return false;
    };
    let rest = &words[start + 1..];
    let sub = rest.iter().find(|w| !w.starts_with('-')).copied();
    match family {
        Family::Apt => {
            program == "apt-cache"
                || (matches!(program, "apt-get" | "apt" | "aptitude")
                    && sub.is_some_and(|s| s != "update" && s != "clean" && s != "autoclean"))
        }
        Family::Apk => {
            program == "apk"
                && (sub.is_some_and(|s| s != "update" && s != "cache")
                    || rest.iter().any(|w| *w == "--update" || *w == "-U"))
        }
        Family::Rpm => {
            matches!(program, "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf")
                && sub.is_some_and(|s| s != "makecache" && s != "clean")
        }
        Family::Zypper => {
            program == "zypper" && sub.is_some_and(|s| !matches!(s, "refresh" | "ref" | "clean"))
        }
        Family::Pacman => program == "pacman",
    }
}
