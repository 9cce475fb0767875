use super::common::Runs;
use crate::rules::packages::common::{
    APK_VALUE_FLAGS, APT_VALUE_FLAGS, RPM_VALUE_FLAGS, ZYPPER_VALUE_FLAGS, ships, subcommand_in,
    word_values,
};
use crate::rules::prelude::*;
use plimsoll_shell::{Command, Word};

declare_rule! {
    /// ## What it does
    /// Flags a package that gives an intruder tools, installed by a
    /// package manager in a stage that ends up in the image (the final
    /// stage and the stages it is built `FROM`):
    /// - netcat and relays: `netcat`, `netcat-openbsd`,
    ///   `netcat-traditional`, `nc`, `ncat`, `nmap-ncat`, `socat`;
    /// - remote shells: `telnet`, `telnetd`, `inetutils-telnet`,
    ///   `inetutils-telnetd`, `openssh-server`, `openssh-client`,
    ///   `openssh-clients`, `openssh`, `ssh`, `dropbear`;
    /// - privilege escalation: `sudo`, `doas`.
    ///
    /// Installs are read from `apt-get`/`apt`/`aptitude install`, `apk
    /// add`, `yum`/`dnf`/`microdnf`/`tdnf install`, `zypper install`/`in`
    /// and `pacman -S`, with version pins, architectures and release
    /// suffixes removed (`sudo=1.9.13p3-1`, `openssh-server-8.0p1`,
    /// `netcat-openbsd:amd64`) and ARG/ENV variables expanded; commands
    /// inside `sh -c "…"` strings count too.
    ///
    /// It stays quiet for a stage the image does not ship (a build stage
    /// that is only copied from), and when a later command in the image's
    /// history removes the package (`apt-get purge`, `apk del`, also of the
    /// `apk add --virtual` group it was installed in, `dnf remove`,
    /// `zypper rm`, `pacman -R`). Running `sudo` is DL3004.
    ///
    /// ## Why is this bad?
    /// An attacker who gets code execution in a container looks for these
    /// first: netcat and socat open reverse shells and move data out, an
    /// SSH or telnet server or client is a way in or onwards, and `sudo` is
    /// a way to root when a password or a sudoers rule leaks. Each is also
    /// one more package to patch. A production image needs none of them:
    /// install them in a build stage, or debug with an ephemeral container
    /// (`kubectl debug`, `docker debug`).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends netcat-openbsd=1.219-1 sudo=1.9.13p3-1 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update \
    ///  && apt-get install -y --no-install-recommends ca-certificates=20230311 \
    ///  && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## References
    /// Practice 27 of the catalogue. No Dockerfile scanner checks this;
    /// hadolint's DL3004 flags running `sudo`, not installing it.
    pub struct AttackerToolsInstalled {
        code: "PL1106",
        name: "attacker_tools_installed",
        aliases: [],
        severity: Warning,
        summary: "A tool attackers use (netcat, ssh, telnet, sudo) is installed in the image",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// The packages, with what they give an attacker.
const TOOLS: &[(&str, &str)] = &[
    ("netcat", "netcat opens reverse shells"),
    ("netcat-openbsd", "netcat opens reverse shells"),
    ("netcat-traditional", "netcat opens reverse shells"),
    ("nc", "netcat opens reverse shells"),
    ("ncat", "netcat opens reverse shells"),
    ("nmap-ncat", "netcat opens reverse shells"),
    ("socat", "socat opens reverse shells and relays"),
    ("telnet", "telnet is an unencrypted remote shell"),
    ("telnetd", "telnet is an unencrypted remote shell"),
    ("inetutils-telnet", "telnet is an unencrypted remote shell"),
    ("inetutils-telnetd", "telnet is an unencrypted remote shell"),
    ("openssh-server", "an SSH server is a way in"),
    ("openssh-client", "an SSH client is a way onwards"),
    ("openssh-clients", "an SSH client is a way onwards"),
    ("openssh", "SSH is a way in and onwards"),
    ("ssh", "SSH is a way in and onwards"),
    ("dropbear", "an SSH server is a way in"),
    ("sudo", "sudo is a way to root"),
    ("doas", "doas is a way to root"),
];

/// A package install or removal.
struct Event<'c> {
    install: bool,
    /// The package (or apk virtual group) name.
    name: String,
    /// For installs: the apk `--virtual` group it joins.
    group: Option<String>,
    word: Option<&'c Word>,
}

impl Rule for AttackerToolsInstalled {
    fn check(&self, cx: &mut Checker<'_>) {
        let runs = Runs::new(cx);
        let sites = runs.sites(cx);
        let mut events: Vec<Event<'_>> = Vec::new();
        for site in &sites {
            if !ships(cx.model, site.index) {
                continue;
            }
            for (install, group, word) in package_words(site.cmd) {
                let Some(values) = word_values(cx.model, site.index, word) else {
                    continue;
                };
                for v in values {
                    events.push(Event {
                        install,
                        name: package_name(&v).to_string(),
                        group: group.clone(),
                        word: Some(word),
                    });
                }
            }
        }
        let mut found = Vec::new();
        for (k, e) in events.iter().enumerate() {
            if !e.install {
                continue;
            }
            let Some((_, why)) = TOOLS.iter().find(|(t, _)| *t == e.name) else {
                continue;
            };
            let removed = events[k + 1..].iter().any(|r| {
                !r.install && (r.name == e.name || e.group.as_deref() == Some(r.name.as_str()))
            });
            if removed {
                continue;
            }
            if let Some(word) = e.word {
                found.push((
                    word.span,
                    format!(
                        "`{}` is installed in the image: {why}. Keep it out of the final image",
                        e.name
                    ),
                ));
            }
        }
        found.dedup_by_key(|(span, _)| *span);
        for (span, msg) in found {
            cx.report(span, msg);
        }
    }
}

/// The package operands a command installs (`true`) or removes
/// (`false`), with the apk `--virtual` group of an install.
fn package_words<'c>(cmd: &'c Command) -> Vec<(bool, Option<String>, &'c Word)> {
    let mut out = Vec::new();
    let mut add = |install: bool, group: Option<String>, words: Vec<&'c Word>| {
        for w in words {
            if !w.value_or_text().starts_with('-') {
                out.push((install, group.clone(), w));
            }
        }
    };
    let apt = ["apt-get", "apt", "aptitude"];
    if let Some((_, _, words)) = subcommand_in(cmd, &apt, &["install"], APT_VALUE_FLAGS) {
        add(true, None, words);
    } else if let Some((_, _, words)) =
        subcommand_in(cmd, &apt, &["remove", "purge"], APT_VALUE_FLAGS)
    {
        add(false, None, words);
    } else if let Some((inv, _, words)) = subcommand_in(cmd, &["apk"], &["add"], APK_VALUE_FLAGS) {
        let group = inv
            .flag_value(&["-t", "--virtual"])
            .map(|f| f.value.unwrap_or_else(|| f.text.to_string()));
        add(true, group, words);
    } else if let Some((_, _, words)) = subcommand_in(cmd, &["apk"], &["del"], APK_VALUE_FLAGS) {
        add(false, None, words);
    } else if let Some((_, _, words)) = subcommand_in(
        cmd,
        &["yum", "dnf", "dnf5", "microdnf", "tdnf"],
        &["install"],
        RPM_VALUE_FLAGS,
    ) {
        add(true, None, words);
    } else if let Some((_, _, words)) = subcommand_in(
        cmd,
        &["yum", "dnf", "dnf5", "microdnf", "tdnf"],
        &["remove", "erase", "autoremove"],
        RPM_VALUE_FLAGS,
    ) {
        add(false, None, words);
    } else if let Some((_, _, words)) =
        subcommand_in(cmd, &["zypper"], &["install", "in"], ZYPPER_VALUE_FLAGS)
    {
        add(true, None, words);
    } else if let Some((_, _, words)) =
        subcommand_in(cmd, &["zypper"], &["remove", "rm"], ZYPPER_VALUE_FLAGS)
    {
        add(false, None, words);
    } else if let Some(inv) = cmd.runs("pacman") {
        let words = inv.positional_args(&["--config", "--dbpath", "-b", "-r", "--root"]);
        if inv.has_flag(&["-S", "--sync"]) {
            add(true, None, words);
        } else if inv.has_flag(&["-R", "--remove"]) {
            add(false, None, words);
        }
    }
    out
}

/// A package operand without its version pin, architecture or release:
/// `sudo=1.9`, `sudo~1.9`, `sudo>=1.9`, `netcat-openbsd:amd64`,
/// `sudo/bookworm`, `openssh-server-8.0p1-5.el8`, `socat.x86_64`.
fn package_name(operand: &str) -> &str {
    let end = operand
        .find(['=', '~', '<', '>', ':', '/', '@'])
        .unwrap_or(operand.len());
    let name = &operand[..end];
    let name = [
        ".x86_64", ".aarch64", ".noarch", ".i686", ".ppc64le", ".s390x",
    ]
    .iter()
    .find_map(|a| name.strip_suffix(a))
    .unwrap_or(name);
    // RPM's name-version-release: cut at the first `-` followed by a digit.
    let bytes = name.as_bytes();
    for i in 0..bytes.len().saturating_sub(1) {
        if bytes[i] == b'-' && bytes[i + 1].is_ascii_digit() {
            return &name[..i];
        }
    }
    name
}

#[cfg(test)]
mod tests {
    use super::package_name;

    #[test]
    fn names() {
        assert_eq!(package_name("sudo=1.9.13p3-1"), "sudo");
        assert_eq!(package_name("netcat-openbsd:amd64"), "netcat-openbsd");
        assert_eq!(package_name("openssh-server-8.0p1-5.el8"), "openssh-server");
        assert_eq!(package_name("socat.x86_64"), "socat");
        assert_eq!(package_name("sudo~1.9"), "sudo");
        assert_eq!(package_name("openssh-clients"), "openssh-clients");
    }
}
