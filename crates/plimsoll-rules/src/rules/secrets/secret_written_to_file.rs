use super::common::{
    effective, normalize_path, referenced_variables, removes, shipping_stages, ships,
};
use crate::rules::prelude::*;
use plimsoll_secrets::{Scanner, credential_file, is_secret_name};
use plimsoll_shell::{Command, Script};

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` in a stage that ships (the final stage, or a stage it
    /// is built `FROM`) that stores a secret in a file of the image:
    ///
    /// - a redirection or `tee` writing the value of a secret-named
    ///   variable (`echo "$NPM_TOKEN" > x`), a literal credential, or the
    ///   content of a secret mount (`cat /run/secrets/key > ~/.ssh/id_rsa`)
    ///   to a file, or writing anything to a file that is a credential by
    ///   its name (`~/.ssh/id_rsa`, `~/.aws/credentials`,
    ///   `.git-credentials`, `.pgpass`);
    /// - `cp`/`mv`/`install` of a secret mount (`/run/secrets/…`, or the
    ///   `target=` of a `--mount=type=secret`) into the image;
    /// - `npm`/`yarn`/`pnpm config set` of `_authToken`, `_auth`,
    ///   `_password`, `npmAuthToken` (stored in `.npmrc`/`.yarnrc.yml`);
    /// - `aws configure set aws_secret_access_key|aws_access_key_id|aws_session_token`
    ///   (stored in `~/.aws/credentials`);
    /// - `git config` storing a credential: a `url.<url with user:token@>.insteadOf`,
    ///   an `http.extraheader` with a variable or literal token, a
    ///   `credential.helper` that echoes a password; and `git credential
    ///   approve` (stored in `.git-credentials`);
    /// - `docker login`, `podman login`, `helm registry login` (stored in
    ///   the registry config file).
    ///
    /// It stays quiet when the same `RUN` removes the file again (`rm
    /// ~/.npmrc`, `rm -rf ~/.aws`, `npm config delete`, `docker logout`),
    /// and for stages that only feed others through `COPY --from`, which
    /// is where build-time credentials belong.
    ///
    /// ## Why is this bad?
    /// Each `RUN` is a layer, and the layer keeps every file the step
    /// wrote. A later `RUN rm ~/.npmrc` hides the file but the earlier
    /// layer still has it: anyone who pulls the image can extract it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// ARG NPM_TOKEN
    /// RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc
    /// RUN npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
    /// ```
    pub struct SecretWrittenToFile {
        code: "PL1202",
        name: "secret_written_to_file",
        aliases: [],
        severity: Error,
        summary: "A RUN in a stage that ships writes a secret into a file of the image",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

struct Hit {
    span: Span,
    message: String,
    redact: Vec<Span>,
}

impl Rule for SecretWrittenToFile {
    fn check(&self, cx: &mut Checker<'_>) {
        let stages = shipping_stages(cx);
        // Variables the Dockerfile declares (a shell loop's `$key` is not
        // a secret, a build argument named `KEY` may be).
        let declared: Vec<&str> = cx
            .instructions()
            .map(|(_, ins)| effective(ins))
            .filter(|ins| matches!(ins.keyword, Keyword::Arg | Keyword::Env))
            .flat_map(|ins| ins.pairs.iter().map(|kv| kv.key.value.as_str()))
            .collect();
        let mut hits = Vec::new();
        for i in 0..cx.dockerfile.instructions.len() {
            let ins = effective(&cx.dockerfile.instructions[i]);
            if ins.keyword != Keyword::Run || !ships(cx, &stages, i) {
                continue;
            }
            let run = Run {
                mounts: secret_mount_targets(ins),
                variables: declared
                    .iter()
                    .map(|s| s.to_string())
                    .chain(secret_mount_envs(ins))
                    .collect(),
            };
            for script in cx.scripts(i) {
                for (ci, cmd) in script.commands.iter().enumerate() {
                    check_command(cx, script, ci, cmd, &run, &mut hits);
                }
            }
        }
        for h in hits {
            cx.report(h.span, h.message).redact.extend(h.redact);
        }
    }
}

/// What a RUN knows about secrets besides its script.
struct Run {
    /// Where its secret mounts appear.
    mounts: Vec<String>,
    /// Variables that can hold a secret: declared by ARG or ENV, or set
    /// from a secret mount (`env=`).
    variables: Vec<String>,
}

/// The `env=` names of a RUN's secret mounts.
fn secret_mount_envs(ins: &Instruction) -> Vec<String> {
    ins.flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_deref())
        .filter(|v| plimsoll_model::mount_option(v, "type") == Some("secret"))
        .filter_map(|v| plimsoll_model::mount_option(v, "env").map(str::to_string))
        .collect()
}

/// Where a RUN's secret mounts appear: their `target` (`dst`,
/// `destination`), else `/run/secrets/<id>`.
fn secret_mount_targets(ins: &Instruction) -> Vec<String> {
    ins.flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_deref())
        .filter(|v| plimsoll_model::mount_option(v, "type") == Some("secret"))
        .filter_map(|v| {
            ["target", "dst", "destination"]
                .iter()
                .find_map(|k| plimsoll_model::mount_option(v, k))
                .map(str::to_string)
                .or_else(|| {
                    plimsoll_model::mount_option(v, "id").map(|id| format!("/run/secrets/{id}"))
                })
        })
        .collect()
}

fn reads_secret_mount(text: &str, mounts: &[String]) -> bool {
    text.contains("/run/secrets/") || mounts.iter().any(|m| !m.is_empty() && text.contains(m))
}

/// Spans of the literal credentials in `spans` of the Dockerfile.
fn literal_secrets(cx: &Checker<'_>, spans: &[Span]) -> (Vec<Span>, Option<&'static str>) {
    let mut out = Vec::new();
    let mut title = None;
    for span in spans {
        let text = cx.slice(*span);
        for m in Scanner::global().scan(text.as_bytes(), Some("Dockerfile")) {
            out.push(Span::new(
                span.start + m.secret.start,
                span.start + m.secret.end,
            ));
            title.get_or_insert(if m.rule.id == "generic-secret" {
                "secret"
            } else {
                m.rule.title
            });
        }
    }
    (out, title)
}

/// The text a command writes from: its whole pipeline (`echo $X | base64
/// -d > f`) and the heredoc bodies of the pipeline's commands.
fn content_spans(script: &Script, cmd: &Command) -> Vec<Span> {
    let Some(commands) = script
        .pipelines
        .get(cmd.pipeline)
        .and_then(|p| script.commands.get(p.commands()))
    else {
        return vec![cmd.span];
    };
    let mut spans: Vec<Span> = commands.iter().map(|c| c.span).collect();
    for c in commands {
        spans.extend(c.redirects.iter().filter_map(|r| r.body));
    }
    spans
}

/// What a write stores, if it is a secret.
fn secret_written(
    cx: &Checker<'_>,
    content: &[Span],
    path: &str,
    run: &Run,
    writes_something: bool,
) -> Option<(String, Vec<Span>)> {
    let text: String = content
        .iter()
        .map(|s| cx.slice(*s))
        .collect::<Vec<_>>()
        .join("\n");
    let (redact, literal) = literal_secrets(cx, content);
    if let Some(title) = literal {
        return Some((format!("a literal {title}"), redact));
    }
    if let Some(var) = referenced_variables(&text)
        .into_iter()
        .find(|v| is_secret_name(v) && run.variables.iter().any(|d| d == v))
    {
        return Some((format!("the value of `${var}`"), redact));
    }
    if reads_secret_mount(&text, &run.mounts) {
        return Some(("the content of a secret mount".into(), redact));
    }
    match credential_file(path) {
        Some(c) if c.by_name && writes_something => Some((c.kind.describe().to_string(), redact)),
        _ => None,
    }
}

/// A later command of the same script removes `path` (or a directory
/// holding it).
fn removed_later(script: &Script, after: usize, path: &str) -> bool {
    script.commands.iter().skip(after + 1).any(|c| {
        ["rm", "shred", "unlink"].iter().any(|p| {
            c.runs(p).is_some_and(|inv| {
                inv.positional_args(&[])
                    .iter()
                    .any(|a| removes(a.value_or_text(), path))
            })
        })
    })
}

/// A later command of the same script runs `program` with `args` first
/// (`npm config delete`, `docker logout`).
fn undone_later(script: &Script, after: usize, program: &str, first_args: &[&[&str]]) -> bool {
    script.commands.iter().skip(after + 1).any(|c| {
        c.runs(program).is_some_and(|inv| {
            let pos = inv.positional_args(&[]);
            first_args.iter().any(|want| {
                want.len() <= pos.len()
                    && want
                        .iter()
                        .zip(&pos)
                        .all(|(w, a)| a.value_or_text().eq_ignore_ascii_case(w))
            })
        })
    })
}

fn shown(path: &str) -> String {
    let p: String = path.chars().take(80).collect();
    format!("`{p}`")
}

const SHIPS: &str = "in a stage that ships: the file stays in this layer even if a later \
                     step deletes it; mount the secret where the command needs it \
                     (`RUN --mount=type=secret,id=…,target=…`)";

fn check_command(
    cx: &Checker<'_>,
    script: &Script,
    ci: usize,
    cmd: &Command,
    run: &Run,
    hits: &mut Vec<Hit>,
) {
    let content = content_spans(script, cmd);
    let writes_something = !cmd.args.is_empty()
        || script
            .pipelines
            .get(cmd.pipeline)
            .is_some_and(|p| p.commands().len() > 1)
        || cmd
            .redirects
            .iter()
            .any(|r| r.body.is_some() || !r.writes());
    // Redirections to a file.
    for r in cmd.redirects.iter().filter(|r| r.writes()) {
        let Some(target) = &r.target else { continue };
        let path = target.value_or_text();
        if path.starts_with("/dev/") || path.starts_with("/proc/") || path.starts_with('&') {
            continue;
        }
        if removed_later(script, ci, path) {
            continue;
        }
        if let Some((what, redact)) = secret_written(cx, &content, path, run, writes_something) {
            hits.push(Hit {
                span: r.span,
                message: format!("RUN writes {what} to {} {SHIPS}", shown(path)),
                redact,
            });
        }
    }
    let Some(inv) = cmd.effective() else { return };
    let name = inv.basename().unwrap_or_default();
    let pos = inv.positional_args(&["-m", "--mode", "-o", "--owner", "-g", "--group"]);
    let arg = |i: usize| pos.get(i).map(|w| w.value_or_text());
    let lower = |i: usize| arg(i).map(str::to_ascii_lowercase).unwrap_or_default();
    let (redact, _) = literal_secrets(cx, &[cmd.span]);
    let mut hit = |message: String| {
        hits.push(Hit {
            span: cmd.span,
            message,
            redact: redact.clone(),
        })
    };
    match name {
        "tee" => {
            for p in &pos {
                let path = p.value_or_text();
                if path.starts_with("/dev/") || removed_later(script, ci, path) {
                    continue;
                }
                if let Some((what, _)) = secret_written(cx, &content, path, run, true) {
                    hit(format!("RUN writes {what} to {} {SHIPS}", shown(path)));
                }
            }
        }
        "cp" | "mv" | "install" if pos.len() >= 2 => {
            let dest = arg(pos.len() - 1).unwrap_or_default();
            let from_mount = pos[..pos.len() - 1]
                .iter()
                .find(|w| reads_secret_mount(w.value_or_text(), &run.mounts));
            if let Some(src) = from_mount
                && !removed_later(script, ci, dest)
            {
                hit(format!(
                    "RUN copies the secret mount {} into {} {SHIPS}",
                    shown(src.value_or_text()),
                    shown(dest)
                ));
            }
        }
        "npm" | "yarn" | "pnpm" => {
            let (key_at, set) = match (lower(0).as_str(), lower(1).as_str()) {
                ("config", "set") => (2, true),
                ("set", _) => (1, true),
                _ => (0, false),
            };
            let key = lower(key_at);
            let auth = [
                "_authtoken",
                "_auth",
                "_password",
                "npmauthtoken",
                "npmauthident",
            ]
            .iter()
            .any(|k| key.contains(k));
            let undone = undone_later(
                script,
                ci,
                name,
                &[
                    &["config", "delete"],
                    &["config", "rm"],
                    &["config", "unset"],
                ],
            ) || script.commands.iter().skip(ci + 1).any(|c| {
                c.runs("rm").is_some_and(|i| {
                    i.positional_args(&[]).iter().any(|a| {
                        let p = normalize_path(a.value_or_text());
                        p.ends_with(".npmrc") || p.ends_with(".yarnrc.yml")
                    })
                })
            });
            if set && auth && !undone {
                hit(format!(
                    "`{name} config set` stores a registry credential in the user's config file \
                     {SHIPS}"
                ));
            }
        }
        "aws" => {
            let key = lower(2);
            let credential = [
                "aws_secret_access_key",
                "aws_access_key_id",
                "aws_session_token",
            ]
            .iter()
            .any(|k| key.ends_with(k));
            if lower(0) == "configure"
                && lower(1) == "set"
                && credential
                && !removed_later(script, ci, "~/.aws/credentials")
            {
                hit(format!(
                    "`aws configure set {}` stores the key in `~/.aws/credentials` {SHIPS}",
                    arg(2).unwrap_or_default()
                ));
            }
        }
        "docker" | "podman" | "helm" => {
            let login = match name {
                "helm" => lower(0) == "registry" && lower(1) == "login",
                _ => lower(0) == "login",
            };
            let undone = undone_later(script, ci, name, &[&["logout"], &["registry", "logout"]])
                || removed_later(script, ci, "~/.docker/config.json");
            if login && !undone {
                hit(format!(
                    "`{name} login` stores the registry password in its config file {SHIPS}"
                ));
            }
        }
        "git" => {
            let gpos = inv.positional_args(&["-C", "-c", "--file", "-f", "--blob"]);
            let g = |i: usize| gpos.get(i).map(|w| w.value_or_text()).unwrap_or_default();
            if g(0) == "credential" && g(1) == "approve"
                || g(0) == "credential-store" && g(1) == "store"
            {
                hit(format!(
                    "`git {} {}` stores a password in `.git-credentials` {SHIPS}",
                    g(0),
                    g(1)
                ));
                return;
            }
            if g(0) != "config" || undone_later(script, ci, "git", &[&["config", "--unset"]]) {
                return;
            }
            let (key, value) = (g(1).to_ascii_lowercase(), g(2));
            let secret_value = || {
                !redact.is_empty()
                    || referenced_variables(value)
                        .into_iter()
                        .any(|v| v != "HOME" && v != "PATH")
            };
            let stores = if key.starts_with("url.")
                && (key.ends_with(".insteadof") || key.ends_with(".pushinsteadof"))
            {
                // `url.https://x-access-token:${TOKEN}@github.com/.insteadOf`
                key.split_once("://")
                    .and_then(|(_, rest)| rest.split_once('@'))
                    .is_some_and(|(userinfo, _)| !userinfo.is_empty() && !userinfo.contains('/'))
            } else if key.ends_with(".extraheader") {
                secret_value()
            } else if key.starts_with("credential") && key.ends_with(".helper") {
                value.contains("password") && secret_value()
            } else {
                false
            };
            if stores {
                let shown_key = if key.starts_with("url.") {
                    "url.….insteadOf".to_string()
                } else {
                    g(1).to_string()
                };
                hit(format!(
                    "`git config {shown_key}` stores a credential in the git config file {SHIPS}"
                ));
            }
        }
        _ => {}
    }
}
