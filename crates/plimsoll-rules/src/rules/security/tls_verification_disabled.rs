use super::common::{
    Runs, SetBy, Setting, arg_values, config_entry, curl_insecure, curl_takes_value, file_name,
    is_false, is_true, pip_like, settings, written_lines,
};
use crate::rules::prelude::*;
use plimsoll_shell::{Command, Invocation};

declare_rule! {
    /// ## What it does
    /// Flags a Dockerfile that turns off TLS certificate verification for
    /// a download: a command-line option, an environment variable (set
    /// with `ENV`, as an `ARG` default, or in a `RUN`: `X=1 cmd`,
    /// `export X=1`, `env X=1 cmd`, `go env -w X=1`) or a configuration
    /// line a `RUN` writes into a file (`echo … > file`, `… | tee file`,
    /// `cat <<EOF > file`, `sed -i s/…/…/ file`). Commands inside a
    /// `sh -c "…"` or `su -c "…"` string are read too.
    ///
    /// Options:
    /// - `curl -k`/`--insecure` (also in a bundle such as `-fsSLk`, not in
    ///   a value such as `-o kube`), `--proxy-insecure`, `--doh-insecure`;
    /// - `wget --no-check-certificate`, `-e check_certificate=off`;
    /// - `pip`/`python -m pip`/`uv` `--trusted-host`,
    ///   `--allow-insecure-host`, `pip config set global.trusted-host …`;
    /// - `npm`/`pnpm`/`yarn` `--strict-ssl=false`, `--no-strict-ssl`,
    ///   `config set strict-ssl false` (and yarn's `enableStrictSsl`);
    /// - `git config http.sslVerify false` (also `http.<url>.sslVerify`,
    ///   `--global`/`--system`) and `git -c http.sslVerify=false`;
    /// - yum/dnf/microdnf/tdnf and their `config-manager`
    ///   `--setopt=[repo.]sslverify=0`; apt `-o
    ///   Acquire::https::Verify-Peer=false` (or `Verify-Host`); a zypper
    ///   repository URL with `ssl_verify=no`;
    /// - `kubectl`/`helm`/`oc` `--insecure-skip-tls-verify`;
    ///   `skopeo`/`podman`/`buildah` `--tls-verify=false`;
    ///   `aws --no-verify-ssl`; `conda --insecure`, `conda config --set
    ///   ssl_verify false`; `composer config disable-tls true` or
    ///   `secure-http false`; `svn --trust-server-cert`;
    ///   `ansible-galaxy --ignore-certs`; `go get -insecure`; Maven's
    ///   `-Dmaven.wagon.http.ssl.insecure=true`, `…allowall=true` and
    ///   `-Daether.connector.https.securityMode=insecure`.
    ///
    /// Variables: `PYTHONHTTPSVERIFY=0`, `NODE_TLS_REJECT_UNAUTHORIZED=0`,
    /// `GIT_SSL_NO_VERIFY` (git ignores its value: any value turns
    /// verification off), `PIP_TRUSTED_HOST` and `UV_INSECURE_HOST` (any
    /// host), `npm_config_strict_ssl=false` (npm reads its variables in any
    /// case), `YARN_STRICT_SSL`/`YARN_ENABLE_STRICT_SSL=false`,
    /// `GOINSECURE` (any pattern), `GOFLAGS` with `-insecure`,
    /// `CONDA_SSL_VERIFY=false`, `BUNDLE_SSL_VERIFY_MODE=0`, and
    /// `MAVEN_OPTS` with one of Maven's options above.
    ///
    /// Configuration lines: `sslverify=0` (yum/dnf repositories,
    /// `dnf.conf`, a git config), `strict-ssl=false` (`.npmrc`,
    /// `.yarnrc`), `enableStrictSsl: false` (`.yarnrc.yml`),
    /// `trusted-host = …` (`pip.conf`), `check_certificate = off`
    /// (`.wgetrc`), `ssl_verify: false` (`.condarc`),
    /// `Acquire::https::Verify-Peer "false";` (apt), and `insecure` in a
    /// `.curlrc`.
    ///
    /// Values are read after ARG/ENV variables are expanded
    /// (`ENV X=$Y`, `curl $CURL_OPTS`). It stays quiet when the value turns
    /// verification back on (`NODE_TLS_REJECT_UNAUTHORIZED=1`,
    /// `sslverify=1`, `--tls-verify=true`), when a value depends on
    /// something it cannot know (a variable set by the script), for
    /// `echo` text that is not written anywhere, and for the text a `sed`
    /// expression searches for (only its replacement is written).
    ///
    /// ## Why is this bad?
    /// Without certificate verification anyone on the network path (a
    /// compromised proxy, a hostile Wi-Fi, a poisoned DNS answer) can serve
    /// their own files in place of the ones the build downloads, and the
    /// build runs or ships them. An `ENV` also keeps the setting in the
    /// image, so every container the image starts talks TLS without
    /// verification too. A broken certificate chain is fixed by installing
    /// the CA certificate (`ca-certificates`, `update-ca-certificates`,
    /// `PIP_CERT`, `NODE_EXTRA_CA_CERTS`, `git config http.sslCAInfo`),
    /// not by switching verification off.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// ENV PIP_TRUSTED_HOST=pypi.internal.example.com
    /// RUN curl -fsSLk https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY internal-ca.crt /usr/local/share/ca-certificates/
    /// RUN update-ca-certificates
    /// ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt
    /// RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /usr/local/bin
    /// ```
    ///
    /// ## References
    /// Checkov's CKV2_DOCKER_2 (curl), CKV2_DOCKER_3 (wget), CKV2_DOCKER_4
    /// and CKV2_DOCKER_16 (pip), CKV2_DOCKER_5 (`PYTHONHTTPSVERIFY`),
    /// CKV2_DOCKER_6 (`NODE_TLS_REJECT_UNAUTHORIZED`), CKV2_DOCKER_12 and
    /// CKV2_DOCKER_13 (npm/yarn `strict-ssl`), CKV2_DOCKER_14
    /// (`GIT_SSL_NO_VERIFY`), CKV2_DOCKER_15 (yum/dnf `sslverify`) and
    /// CKV2_DOCKER_18 (`GOINSECURE`) match regular expressions over the
    /// RUN text; this rule reads the parsed commands, so it also sees the
    /// options in bundles, behind wrappers and in variables, and does not
    /// fire on `curl -o kube`, on a `sslverify=1`, or on `--insecure` given
    /// to a program that is not curl. Checkov's
    /// `NODE_TLS_REJECT_UNAUTHORIZED` and `PYTHONHTTPSVERIFY` checks on RUN
    /// need a space after the value; here the value may end the line.
    ///
    /// The reference corpus (official and widely used images) has no case:
    /// their maintainers install CA certificates rather than switch
    /// verification off. The fixture covers every form above.
    pub struct TlsVerificationDisabled {
        code: "PL1101",
        name: "tls_verification_disabled",
        aliases: [],
        severity: Error,
        summary: "TLS certificate verification is turned off",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for TlsVerificationDisabled {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found: Vec<(Span, String)> = Vec::new();
        let runs = Runs::new(cx);
        for s in settings(cx, &runs) {
            if let Some(msg) = setting(&s) {
                let msg = if s.by == SetBy::Env {
                    format!("{msg}; ENV also keeps it in every container of the image")
                } else {
                    msg
                };
                found.push((s.span, msg));
            }
        }
        for site in runs.sites(cx) {
            command(cx, site.index, site.cmd, &mut found);
        }
        for w in written_lines(cx, &runs) {
            if let Some(msg) = config_line(&w.line, w.target.as_deref()) {
                let msg = match &w.target {
                    Some(t) => format!("{msg} (written to {t})"),
                    None => msg,
                };
                found.push((w.span, msg));
            }
        }
        found.sort_by_key(|(span, _)| (span.start, span.end));
        found.dedup_by_key(|(span, _)| *span);
        for (span, msg) in found {
            cx.report(span, msg);
        }
    }
}

/// A variable that turns verification off: the message, or `None`.
fn setting(s: &Setting) -> Option<String> {
    let name = s.name.as_str();
    let value = s.value.as_deref();
    let set = |tool: &str| format!("`{name}` turns off TLS certificate verification for {tool}");
    let off = |tool: &str| {
        format!(
            "`{name}={}` turns off TLS certificate verification for {tool}",
            value.unwrap_or_default()
        )
    };
    let non_empty = value.is_some_and(|v| !v.trim().is_empty());
    let zero = value.is_some_and(|v| v.trim() == "0");
    let false_ = value.is_some_and(is_false);
    let tokens = || value.unwrap_or_default().split_whitespace();
    match name {
        "PYTHONHTTPSVERIFY" if zero => Some(off("Python's HTTPS clients")),
        "NODE_TLS_REJECT_UNAUTHORIZED" if zero => Some(off("Node.js")),
        // git turns verification off when the variable exists at all.
        "GIT_SSL_NO_VERIFY" => Some(set("git, whatever its value")),
        "PIP_TRUSTED_HOST" if non_empty => Some(off("pip")),
        "UV_INSECURE_HOST" if non_empty => Some(off("uv")),
        "GOINSECURE" if non_empty => Some(off("these Go modules")),
        "GOFLAGS" if tokens().any(|t| t == "-insecure" || t == "-insecure=true") => {
            Some(off("`go get`"))
        }
        "YARN_STRICT_SSL" | "YARN_ENABLE_STRICT_SSL" if false_ => Some(off("yarn")),
        "CONDA_SSL_VERIFY" if false_ => Some(off("conda")),
        "BUNDLE_SSL_VERIFY_MODE" if zero => Some(off("Bundler")),
        "MAVEN_OPTS" | "MAVEN_ARGS" if tokens().any(maven_insecure) => Some(off("Maven")),
        _ if name.eq_ignore_ascii_case("npm_config_strict_ssl") && false_ => Some(off("npm")),
        _ => None,
    }
}

/// A Maven system property that trusts any certificate.
fn maven_insecure(token: &str) -> bool {
    let Some(prop) = token.strip_prefix("-D") else {
        return false;
    };
    let (key, value) = prop.split_once('=').unwrap_or((prop, "true"));
    match key {
        "maven.wagon.http.ssl.insecure" | "maven.wagon.http.ssl.allowall" => is_true(value),
        "aether.connector.https.securityMode" => value == "insecure",
        _ => false,
    }
}

/// The option words of a command, with ARG/ENV variables expanded, and
/// their spans; up to `--`.
fn options<'a>(cx: &Checker<'_>, index: usize, inv: &Invocation<'a>) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for w in inv.args {
        if w.is("--") {
            break;
        }
        for v in arg_values(cx, index, w) {
            out.push((v, w.span));
        }
    }
    out
}

fn command(cx: &Checker<'_>, index: usize, cmd: &Command, found: &mut Vec<(Span, String)>) {
    if let Some(inv) = pip_like(cmd) {
        let tool = if inv.name_is("uv") { "uv" } else { "pip" };
        for (v, span) in options(cx, index, &inv) {
            let flag = v.split('=').next().unwrap_or_default();
            if matches!(flag, "--trusted-host" | "--allow-insecure-host") {
                found.push((
                    span,
                    format!("`{flag}` makes {tool} accept any certificate (or plain HTTP) from that host"),
                ));
            }
        }
        let ops = inv.positional_args(&[
            "--trusted-host",
            "--allow-insecure-host",
            "-i",
            "--index-url",
            "--extra-index-url",
            "-r",
            "--requirement",
            "-c",
            "--constraint",
        ]);
        if ops.first().is_some_and(|w| w.is("config"))
            && ops.get(1).is_some_and(|w| w.is("set"))
            && let Some(key) = ops.get(2)
            && key.value_or_text().ends_with("trusted-host")
        {
            found.push((
                key.span,
                "`pip config set …trusted-host` makes pip accept any certificate from that host"
                    .to_string(),
            ));
        }
        return;
    }
    let Some(inv) = cmd.effective() else { return };
    let Some(program) = inv.basename() else {
        return;
    };
    let mut flag = |span: Span, msg: String| found.push((span, msg));
    match program {
        "curl" => {
            let mut value_next = false;
            let mut opts = Vec::new();
            for w in inv.args {
                if std::mem::take(&mut value_next) {
                    continue;
                }
                value_next = curl_takes_value(w.value_or_text());
                opts.extend(arg_values(cx, index, w).into_iter().map(|v| (v, w.span)));
            }
            for (v, span) in opts {
                if curl_insecure(&v) {
                    flag(
                        span,
                        format!(
                            "`curl {v}` accepts any certificate: the download can be replaced in transit"
                        ),
                    );
                }
            }
        }
        "wget" | "wget2" => {
            for (v, span) in options(cx, index, &inv) {
                let off = v == "--no-check-certificate"
                    || v.strip_prefix("--check-certificate=").is_some_and(is_false);
                if off {
                    flag(
                        span,
                        format!(
                            "`wget {v}` accepts any certificate: the download can be replaced in transit"
                        ),
                    );
                }
            }
            for f in inv.flag_values(&["-e", "--execute"]) {
                let v = f.value.unwrap_or_else(|| f.text.to_string());
                if let Some((key, value)) = config_entry(&v)
                    && matches!(key.as_str(), "check_certificate" | "check-certificate")
                    && is_false(&value)
                {
                    flag(f.span, format!("`wget -e {v}` accepts any certificate"));
                }
            }
        }
        "npm" | "pnpm" | "yarn" | "npx" => {
            let opts = options(cx, index, &inv);
            for (k, (v, span)) in opts.iter().enumerate() {
                let off = v == "--no-strict-ssl"
                    || v.strip_prefix("--strict-ssl=").is_some_and(is_false)
                    || (v == "--strict-ssl" && opts.get(k + 1).is_some_and(|(n, _)| is_false(n)));
                if off {
                    flag(
                        *span,
                        format!("`{program} {v}` accepts any registry certificate"),
                    );
                }
            }
            let ops = inv.positional_args(&[]);
            let ops: Vec<&str> = ops.iter().map(|w| w.value_or_text()).collect();
            let rest = match ops.as_slice() {
                ["config" | "c", "set", rest @ ..] | ["set", rest @ ..] => rest,
                _ => &[][..],
            };
            let (key, value) = match rest {
                [kv] => kv.split_once('=').unwrap_or((kv, "")),
                [k, v, ..] => k.split_once('=').unwrap_or((k, v)),
                [] => ("", ""),
            };
            if (key.eq_ignore_ascii_case("strict-ssl")
                || key.eq_ignore_ascii_case("enableStrictSsl"))
                && is_false(value)
                && let Some(w) = inv
                    .positional_args(&[])
                    .into_iter()
                    .find(|w| w.value_or_text().starts_with(key))
            {
                flag(
                    w.span,
                    format!(
                        "`{program} config set {key} {value}` accepts any registry certificate"
                    ),
                );
            }
        }
        "git" => git(cx, index, &inv, &mut flag),
        "yum" | "dnf" | "dnf5" | "microdnf" | "tdnf" | "yum-config-manager" => {
            for f in inv.flag_values(&["--setopt"]) {
                let v = f.value.unwrap_or_else(|| f.text.to_string());
                if let Some((key, value)) = v.split_once('=')
                    && key
                        .rsplit('.')
                        .next()
                        .is_some_and(|k| k.eq_ignore_ascii_case("sslverify"))
                    && is_false(value)
                {
                    flag(
                        f.span,
                        format!("`--setopt={v}` makes {program} accept any repository certificate"),
                    );
                }
            }
        }
        "apt-get" | "apt" | "aptitude" | "apt-cache" => {
            for f in inv.flag_values(&["-o", "--option"]) {
                let v = f.value.unwrap_or_else(|| f.text.to_string());
                if let Some((key, value)) = v.split_once('=')
                    && apt_verify_key(key)
                    && is_false(value)
                {
                    flag(
                        f.span,
                        format!("`-o {v}` makes apt accept any repository certificate"),
                    );
                }
            }
        }
        "zypper" => {
            for w in inv.args {
                if w.value_or_text().contains("ssl_verify=no") {
                    flag(
                        w.span,
                        "`ssl_verify=no` makes zypper accept any repository certificate"
                            .to_string(),
                    );
                }
            }
        }
        "kubectl" | "helm" | "oc" => {
            for (v, span) in options(cx, index, &inv) {
                if v == "--insecure-skip-tls-verify"
                    || v.strip_prefix("--insecure-skip-tls-verify=")
                        .is_some_and(is_true)
                {
                    flag(
                        span,
                        format!("`{program} {v}` accepts any server certificate"),
                    );
                }
            }
        }
        "skopeo" | "podman" | "buildah" => {
            for (v, span) in options(cx, index, &inv) {
                let off = ["--tls-verify=", "--src-tls-verify=", "--dest-tls-verify="]
                    .iter()
                    .any(|p| v.strip_prefix(p).is_some_and(is_false));
                if off {
                    flag(
                        span,
                        format!("`{program} {v}` accepts any registry certificate"),
                    );
                }
            }
        }
        "aws" => {
            for (v, span) in options(cx, index, &inv) {
                if v == "--no-verify-ssl" {
                    flag(
                        span,
                        "`aws --no-verify-ssl` accepts any certificate".to_string(),
                    );
                }
            }
        }
        "conda" | "mamba" | "micromamba" => {
            for (v, span) in options(cx, index, &inv) {
                if v == "--insecure" || v == "-k" {
                    flag(span, format!("`{program} {v}` accepts any certificate"));
                }
            }
            let ops = inv.positional_args(&[]);
            if ops.first().is_some_and(|w| w.is("config")) {
                let words: Vec<&str> = inv.args.iter().map(|w| w.value_or_text()).collect();
                if let Some(k) = words.iter().position(|w| *w == "--set")
                    && words.get(k + 1) == Some(&"ssl_verify")
                    && words.get(k + 2).is_some_and(|v| is_false(v))
                {
                    flag(
                        inv.args[k].span,
                        format!(
                            "`{program} config --set ssl_verify false` accepts any certificate"
                        ),
                    );
                }
            }
        }
        "composer" => {
            let ops = inv.positional_args(&[]);
            let ops: Vec<&str> = ops.iter().map(|w| w.value_or_text()).collect();
            let off = match ops.as_slice() {
                ["config", "disable-tls", v, ..] => is_true(v),
                ["config", "secure-http", v, ..] => is_false(v),
                _ => false,
            };
            if off && let Some(w) = inv.positional_args(&[]).get(1) {
                flag(
                    w.span,
                    format!(
                        "`composer config {} {}` lets Composer download without verified TLS",
                        ops[1], ops[2]
                    ),
                );
            }
        }
        "svn" => {
            for (v, span) in options(cx, index, &inv) {
                if v == "--trust-server-cert" || v.starts_with("--trust-server-cert-failures") {
                    flag(
                        span,
                        format!("`svn {v}` accepts an unverified server certificate"),
                    );
                }
            }
        }
        "ansible-galaxy" => {
            for (v, span) in options(cx, index, &inv) {
                if v == "--ignore-certs" || v == "-c" {
                    flag(
                        span,
                        format!("`ansible-galaxy {v}` accepts any certificate"),
                    );
                }
            }
        }
        "go" if inv.subcommand_is("get") => {
            for (v, span) in options(cx, index, &inv) {
                if v == "-insecure" {
                    flag(
                        span,
                        "`go get -insecure` fetches without verified TLS".to_string(),
                    );
                }
            }
        }
        "mvn" | "mvnw" => {
            for (v, span) in options(cx, index, &inv) {
                if maven_insecure(&v) {
                    flag(span, format!("`{v}` makes Maven accept any certificate"));
                }
            }
        }
        _ => {}
    }
}

fn git(cx: &Checker<'_>, index: usize, inv: &Invocation<'_>, flag: &mut impl FnMut(Span, String)) {
    for f in inv.flag_values(&["-c"]) {
        let v = f.value.unwrap_or_else(|| f.text.to_string());
        let (key, value) = v.split_once('=').unwrap_or((&v, "true"));
        if git_verify_key(key) && is_false(value) {
            flag(
                f.span,
                format!("`git -c {v}` accepts any server certificate"),
            );
        }
    }
    let value_flags = [
        "-c",
        "-C",
        "--git-dir",
        "--work-tree",
        "-f",
        "--file",
        "--blob",
        "--type",
        "--default",
        "--comment",
    ];
    let ops = inv.positional_args(&value_flags);
    let Some(rest) = ops
        .split_first()
        .filter(|(c, _)| c.is("config"))
        .map(|(_, r)| r)
    else {
        return;
    };
    let rest = match rest.split_first() {
        Some((s, r)) if s.is("set") => r,
        _ => rest,
    };
    let [key, value, ..] = rest else { return };
    let key_text = key.value_or_text();
    let value_text = super::common::shell_value(cx, index, value).unwrap_or_default();
    if git_verify_key(key_text) && (is_false(&value_text)) {
        flag(
            key.span,
            format!("`git config {key_text} {value_text}` accepts any server certificate"),
        );
    }
}

/// `http.sslVerify` or `http.<url>.sslVerify`, in any case.
fn git_verify_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("http.") && key.ends_with(".sslverify")
}

/// apt's `Acquire::https[::host]::Verify-Peer`/`Verify-Host`.
fn apt_verify_key(key: &str) -> bool {
    let key = key.trim().to_ascii_lowercase();
    key.starts_with("acquire::https")
        && (key.ends_with("::verify-peer") || key.ends_with("::verify-host"))
}

/// A configuration line that turns verification off.
fn config_line(line: &str, target: Option<&str>) -> Option<String> {
    let (key, value) = config_entry(line)?;
    let curlrc = target.is_some_and(|t| file_name(t).ends_with("curlrc"));
    let what = match key.as_str() {
        "sslverify" if is_false(&value) => "yum/dnf (or git)",
        "strict-ssl" | "enablestrictssl" if is_false(&value) => "npm/yarn",
        "trusted-host" if !value.is_empty() => "pip, for that host",
        "check_certificate" | "check-certificate" if is_false(&value) => "wget",
        "ssl_verify" if is_false(&value) => "the program that reads it (conda, …)",
        "insecure" | "-k" | "--insecure" if curlrc && (value.is_empty() || is_true(&value)) => {
            "curl"
        }
        k if apt_verify_key(k) && is_false(&value) => "apt",
        _ => return None,
    };
    Some(format!(
        "`{line}` turns off TLS certificate verification for {what}"
    ))
}
