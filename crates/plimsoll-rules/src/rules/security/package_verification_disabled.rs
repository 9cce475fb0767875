use super::common::{
    Runs, Setting, arg_values, config_entry, file_name, is_false, is_true, settings,
    unverified_download, written_lines,
};
use crate::rules::packages::common::{APK_VALUE_FLAGS, RPM_VALUE_FLAGS, ZYPPER_VALUE_FLAGS};
use crate::rules::prelude::*;
use plimsoll_shell::{Command, Invocation, Word};

declare_rule! {
    /// ## What it does
    /// Flags a Dockerfile that turns off the signature (or checksum)
    /// verification a package manager does to prove that packages come
    /// from their publisher (also inside `sh -c "…"` and `su -c "…"`
    /// strings):
    /// - `apk --allow-untrusted` (not `apk index`, which only indexes);
    /// - apt-get/apt/aptitude `--allow-unauthenticated`,
    ///   `--allow-insecure-repositories`, `--force-yes`, and `-o` with
    ///   `APT::Get::AllowUnauthenticated`,
    ///   `Acquire::AllowInsecureRepositories` or
    ///   `Acquire::AllowDowngradeToInsecureRepositories` set to true;
    /// - a `deb [trusted=yes] …` (or `allow-insecure=yes`) sources line
    ///   for a remote repository, wherever the RUN writes it (`echo`,
    ///   `add-apt-repository`, a heredoc), a deb822 `Trusted: yes` in a
    ///   `.sources` file;
    /// - yum/dnf/microdnf/tdnf (and their `config-manager`)
    ///   `--nogpgcheck` and `--setopt=[repo.]gpgcheck=0`; `gpgcheck=0` (or
    ///   zypper's `pkg_gpgcheck=0`) written into a repository file;
    /// - `rpm --nosignature`, `--nodigest`, `--nofiledigest` or
    ///   `--noverify` when rpm installs (`-i`, `-U`, `-F`), not when it
    ///   queries or checks; `--nodeps` is about dependencies and is not
    ///   flagged;
    /// - zypper `--no-gpg-checks`, `--allow-unsigned-rpm`, and
    ///   `addrepo`/`modifyrepo` with `-G`/`--no-gpgcheck`;
    /// - apt configuration lines (`APT::Get::AllowUnauthenticated "true";`)
    ///   and pacman's `SigLevel = Never` written into files;
    ///   `makepkg --skippgpcheck`/`--skipinteg`;
    /// - `GOSUMDB=off` (Go's checksum database).
    ///
    /// It stays quiet when the packages are the build's own:
    /// - a `[trusted=yes]` repository on a `file:`, `copy:` or `cdrom:` URI
    ///   (packages the same build made, as the official postgres and
    ///   nginx images do);
    /// - `--allow-untrusted`, `--nogpgcheck`, `--allow-unsigned-rpm` or
    ///   rpm's options when every operand is a local package file that the
    ///   Dockerfile did not download, or whose checksum or signature it
    ///   checks (`gpg --verify`, `sha256sum -c`, `rpm -K`…) in the same
    ///   image's history: a file built by the build or copied from the
    ///   context or another stage is as trusted as the Dockerfile.
    ///
    /// A package name (fetched from a repository), a URL, or a file that a
    /// `curl`, `wget` or `ADD <url>` (without `--checksum`) fetched and
    /// nothing checked, is flagged.
    ///
    /// Not flagged: zypper's `--gpg-auto-import-keys` (it trusts a
    /// repository's key on first use but still verifies packages), gem's
    /// `-P NoSecurity` (RubyGems' default: removing it changes nothing),
    /// dpkg's `--force-bad-verify` (dpkg checks no signatures unless
    /// debsig-verify is set up), and pip, which verifies no signatures
    /// (`--require-hashes` is what to add).
    ///
    /// ## Why is this bad?
    /// Package signatures are what proves a package was built by its
    /// distribution and not swapped on a mirror, a proxy or in transit
    /// (plain HTTP repositories are common and safe only because of them).
    /// With verification off, whoever controls any hop serves the build
    /// their own packages, which run as root during the build and ship in
    /// the image. Import the repository's key instead (`apk` keys in
    /// `/etc/apk/keys`, `signed-by=` for apt, `rpm --import`).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN echo "deb [trusted=yes] http://repo.example.com/debian bookworm main" \
    ///       > /etc/apt/sources.list.d/example.list \
    ///  && apt-get update \
    ///  && apt-get install -y --no-install-recommends --allow-unauthenticated example-tool
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// COPY example-archive-keyring.gpg /usr/share/keyrings/
    /// RUN echo "deb [signed-by=/usr/share/keyrings/example-archive-keyring.gpg] http://repo.example.com/debian bookworm main" \
    ///       > /etc/apt/sources.list.d/example.list \
    ///  && apt-get update \
    ///  && apt-get install -y --no-install-recommends example-tool
    /// ```
    ///
    /// ## References
    /// Checkov's CKV2_DOCKER_7 (`apk --allow-untrusted`), CKV2_DOCKER_8
    /// (`apt-get --allow-unauthenticated`), CKV2_DOCKER_9
    /// (`--nogpgcheck`), CKV2_DOCKER_10 (rpm's `--nosignature`,
    /// `--nodigest`, `--noverify`, `--nofiledigest`) and CKV2_DOCKER_11
    /// (`--force-yes`) match regular expressions over the RUN text; this
    /// rule reads the parsed commands (`apt` and `aptitude` too, options
    /// behind `sudo` and in `-o`), and leaves out the packages a build makes
    /// or verifies itself, which Checkov reports. TLS verification is
    /// PL1101: a separate code, because it is fixed separately (install a
    /// CA certificate rather than a signing key) and protects a different
    /// thing (the connection, not the package).
    pub struct PackageVerificationDisabled {
        code: "PL1102",
        name: "package_verification_disabled",
        aliases: [],
        severity: Error,
        summary: "Package signature verification is turned off",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for PackageVerificationDisabled {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found: Vec<(Span, String)> = Vec::new();
        let runs = Runs::new(cx);
        for s in settings(cx, &runs) {
            if let Some(msg) = setting(&s) {
                found.push((s.span, msg));
            }
        }
        for site in runs.sites(cx) {
            command(cx, site.index, site.cmd, &mut found);
            for w in &site.cmd.args {
                for (span, msg) in deb_lines(&w.text, w.span) {
                    found.push((span, msg));
                }
            }
        }
        for w in written_lines(cx, &runs) {
            if let Some(msg) = config_line(&w.line, w.target.as_deref()) {
                found.push((w.span, msg));
            }
            // Heredoc bodies: the words of echo are seen above.
            found.extend(deb_lines(&w.line, w.span));
        }
        found.sort_by_key(|(span, _)| (span.start, span.end));
        found.dedup_by(|a, b| a.0.start < b.0.end && b.0.start < a.0.end);
        for (span, msg) in found {
            cx.report(span, msg);
        }
    }
}

fn setting(s: &Setting) -> Option<String> {
    (s.name == "GOSUMDB" && s.value.as_deref().is_some_and(|v| v.trim() == "off")).then(|| {
        "`GOSUMDB=off` turns off Go's checksum database: new modules are not verified".to_string()
    })
}

/// `deb [trusted=yes] uri …` lines in a text: every one whose URI is not
/// local.
fn deb_lines(text: &str, span: Span) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = find_deb(rest) {
        let after = &rest[at..];
        let Some(open) = after.find('[') else { break };
        let Some(close) = after[open..].find(']') else {
            break;
        };
        let between = &after[..open];
        let next = at + open + close + 1;
        // Only `deb [` / `deb-src [`: the options must follow the type.
        if between.trim() == "deb" || between.trim() == "deb-src" {
            let options = &after[open + 1..open + close];
            let bad = options.split_whitespace().any(|o| {
                let (k, v) = o.split_once('=').unwrap_or((o, ""));
                matches!(k, "trusted" | "allow-insecure") && is_true(v)
            });
            let uri = after[open + close + 1..]
                .trim_start()
                .trim_start_matches(['"', '\'']);
            let local = ["file:", "copy:", "cdrom:"]
                .iter()
                .any(|p| uri.starts_with(p));
            if bad && !local {
                out.push((
                    span,
                    "A `[trusted=yes]` apt source installs its packages without checking their signatures"
                        .to_string(),
                ));
            }
        }
        rest = &rest[next.min(rest.len())..];
    }
    out
}

/// The start of the next `deb` word (at the start or after a blank or a
/// quote).
fn find_deb(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find("deb") {
        let at = from + i;
        let before = text[..at].chars().next_back();
        if before.is_none_or(|c| c.is_whitespace() || c == '"' || c == '\'') {
            return Some(at);
        }
        from = at + 3;
    }
    None
}

fn config_line(line: &str, target: Option<&str>) -> Option<String> {
    let (key, value) = config_entry(line)?;
    let what = match key.as_str() {
        "gpgcheck" | "pkg_gpgcheck" if is_false(&value) => {
            "installs the repository's packages without checking their signatures"
        }
        "apt::get::allowunauthenticated"
        | "acquire::allowinsecurerepositories"
        | "acquire::allowdowngradetoinsecurerepositories"
            if is_true(&value) =>
        {
            "lets apt install unauthenticated packages"
        }
        "siglevel"
            if value
                .split_whitespace()
                .any(|v| v.eq_ignore_ascii_case("never")) =>
        {
            "makes pacman install packages without checking their signatures"
        }
        "trusted"
            if is_true(&value) && target.is_some_and(|t| file_name(t).ends_with(".sources")) =>
        {
            "makes apt trust this source without checking signatures"
        }
        _ => return None,
    };
    Some(format!("`{line}` {what}"))
}

fn command(cx: &Checker<'_>, index: usize, cmd: &Command, found: &mut Vec<(Span, String)>) {
    let Some(inv) = cmd.effective() else { return };
    let Some(program) = inv.basename() else {
        return;
    };
    let flags = flag_words(cx, index, &inv);
    let mut flag = |span: Span, msg: String| found.push((span, msg));
    match program {
        "apk" => {
            if inv.subcommand_is("index") || inv.subcommand_is("verify") {
                return;
            }
            // `-X https://…` adds a remote repository; `-X /tmp/packages`
            // a local one.
            let remote = inv
                .flag_values(&["-X", "--repository"])
                .iter()
                .any(|f| f.text.contains("://"));
            for (v, span) in &flags {
                if v == "--allow-untrusted"
                    && (remote || !own_files(cx, index, &inv, APK_VALUE_FLAGS))
                {
                    flag(*span, "`apk --allow-untrusted` installs packages without checking their signatures".to_string());
                }
            }
        }
        "apt-get" | "apt" | "aptitude" => {
            for (v, span) in &flags {
                let msg = match v.as_str() {
                    "--allow-unauthenticated" => {
                        "installs packages whose signatures could not be checked"
                    }
                    "--allow-insecure-repositories" => "accepts repositories that are not signed",
                    "--force-yes" => "installs unauthenticated packages (and allows downgrades)",
                    _ => continue,
                };
                flag(*span, format!("`{program} {v}` {msg}"));
            }
            for f in inv.flag_values(&["-o", "--option"]) {
                let v = f.value.unwrap_or_else(|| f.text.to_string());
                let (key, value) = v.split_once('=').unwrap_or((&v, ""));
                let key = key.trim().to_ascii_lowercase();
                let bad = matches!(
                    key.as_str(),
                    "apt::get::allowunauthenticated"
                        | "acquire::allowinsecurerepositories"
                        | "acquire::allowdowngradetoinsecurerepositories"
                        | "apt::get::force-yes"
                ) && is_true(value);
                if bad {
                    flag(
                        f.span,
                        format!("`-o {v}` lets apt install unauthenticated packages"),
                    );
                }
            }
        }
        "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" | "yum-config-manager" => {
            let own = own_files(cx, index, &inv, RPM_VALUE_FLAGS);
            for (v, span) in &flags {
                if v == "--nogpgcheck" && !own {
                    flag(
                        *span,
                        format!(
                            "`{program} --nogpgcheck` installs packages without checking their signatures"
                        ),
                    );
                }
            }
            for f in inv.flag_values(&["--setopt"]) {
                let v = f.value.unwrap_or_else(|| f.text.to_string());
                if let Some((key, value)) = v.split_once('=')
                    && key
                        .rsplit('.')
                        .next()
                        .is_some_and(|k| k.eq_ignore_ascii_case("gpgcheck"))
                    && is_false(value)
                    && !own
                {
                    flag(
                        f.span,
                        format!("`--setopt={v}` makes {program} skip signature checks"),
                    );
                }
            }
        }
        "rpm" => {
            let installs = flags.iter().any(|(v, _)| {
                matches!(
                    v.as_str(),
                    "--install" | "--upgrade" | "--freshen" | "--reinstall"
                ) || short_bundle_has(v, &['i', 'U', 'F'])
            });
            if !installs
                || own_files(
                    cx,
                    index,
                    &inv,
                    &[
                        "--root",
                        "--dbpath",
                        "--define",
                        "-D",
                        "--prefix",
                        "--relocate",
                        "--excludepath",
                    ],
                )
            {
                return;
            }
            for (v, span) in &flags {
                if matches!(
                    v.as_str(),
                    "--nosignature" | "--nodigest" | "--nofiledigest" | "--noverify"
                ) {
                    flag(
                        *span,
                        format!(
                            "`rpm {v}` installs packages without checking their signatures or digests"
                        ),
                    );
                }
            }
        }
        "zypper" => {
            let ops = inv.positional_args(ZYPPER_VALUE_FLAGS);
            let sub = ops.first().map(|w| w.value_or_text()).unwrap_or_default();
            let repo_cmd = matches!(sub, "addrepo" | "ar" | "modifyrepo" | "mr");
            for (v, span) in &flags {
                let msg = match v.as_str() {
                    "--no-gpg-checks" => "installs packages whose signatures do not check",
                    "--allow-unsigned-rpm" if !own_files(cx, index, &inv, ZYPPER_VALUE_FLAGS) => {
                        "installs unsigned packages"
                    }
                    "-G" | "--no-gpgcheck" | "--nogpgcheck" if repo_cmd => {
                        "turns off signature checks for the repository"
                    }
                    _ => continue,
                };
                flag(*span, format!("`zypper {v}` {msg}"));
            }
        }
        "makepkg" => {
            for (v, span) in &flags {
                if matches!(v.as_str(), "--skippgpcheck" | "--skipinteg") {
                    flag(
                        *span,
                        format!(
                            "`makepkg {v}` builds from sources whose signatures are not checked"
                        ),
                    );
                }
            }
        }
        _ => {}
    }
}

/// The option words of a command (ARG/ENV variables expanded) with their
/// spans, up to `--`.
fn flag_words(cx: &Checker<'_>, index: usize, inv: &Invocation<'_>) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for w in inv.args {
        if w.is("--") {
            break;
        }
        for v in arg_values(cx, index, w) {
            if v.starts_with('-') {
                out.push((v, w.span));
            }
        }
    }
    out
}

/// A bundle of short options (`-ivh`) that holds one of `letters`.
fn short_bundle_has(v: &str, letters: &[char]) -> bool {
    v.strip_prefix('-')
        .filter(|b| !b.starts_with('-'))
        .is_some_and(|b| {
            b.chars()
                .take_while(char::is_ascii_alphanumeric)
                .any(|c| letters.contains(&c))
        })
}

/// True when every operand after the subcommand is a local package file
/// the build made, copied or verified (see `unverified_download`), and
/// there is at least one.
fn own_files(cx: &Checker<'_>, index: usize, inv: &Invocation<'_>, value_flags: &[&str]) -> bool {
    let ops: Vec<&Word> = inv.positional_args(value_flags);
    let operands: Vec<&Word> = if inv.name_is("rpm") {
        ops
    } else {
        ops.into_iter().skip(1).collect()
    };
    if operands.is_empty() {
        return false;
    }
    operands.iter().all(|w| {
        let text = w.value_or_text();
        let file = text.contains('/')
            || [".apk", ".rpm", ".deb"]
                .iter()
                .any(|e| text.ends_with(e) || text.ends_with(&format!("{e}\"")));
        file && !text.contains("://") && !unverified_download(cx, index, text)
    })
}
