use super::common::{MainProcess, absolute, run_commands};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an image whose main command (effective `ENTRYPOINT`/`CMD`,
    /// shell or exec form, `sh -c "…"` included) sends its logs to a file:
    /// - a redirection of standard output or error to a file (`> app.log`,
    ///   `2>> /var/log/err.log`, `&> out.log`) by the command that keeps
    ///   running (the last one), or by any command when the file's name
    ///   says it is a log (`log`, `.out`, `.err`): a setup step such as
    ///   `cat hosts >> /etc/hosts; exec app` writes data, not logs;
    /// - a log-file option: `--log-file`, `--logfile`, `--access-logfile`,
    ///   `--error-logfile`, `--log-path`, `--logpath`, `--access-log`,
    ///   `--error-log`, `--log` with a file path.
    ///
    /// Not reported: `-`, `/dev/stdout`, `/dev/stderr`, `/proc/self/fd/1`
    /// and `/proc/self/fd/2` (the container's output), `/dev/null`, `tee`
    /// (which also writes to the output), and files a `RUN` links to the
    /// container's output (`ln -sf /dev/stdout /var/log/nginx/access.log`,
    /// as the official nginx image does). (The reference corpus of real
    /// Dockerfiles logs to standard output throughout, so the rule finds
    /// nothing there; the fixture shows the cases.)
    ///
    /// ## Why is this bad?
    /// Docker collects what a container's main process writes to standard
    /// output and error: `docker logs`, logging drivers and every
    /// orchestrator's log pipeline read it. Logs written to a file inside
    /// the container are invisible to all of them, fill the container's
    /// writable layer until the disk is full, and are lost with the
    /// container.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["gunicorn", "--access-logfile", "/var/log/access.log", "app:app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["gunicorn", "--access-logfile", "-", "app:app"]
    /// ```
    pub struct LoggingToFile {
        code: "PL1012",
        name: "logging_to_file",
        aliases: [],
        severity: Warning,
        summary: "The main process logs to a file instead of stdout/stderr",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

const LOG_FLAGS: &[&str] = &[
    "--log-file",
    "--logfile",
    "--access-logfile",
    "--error-logfile",
    "--log-path",
    "--logpath",
    "--access-log",
    "--error-log",
    "--log",
];

const OUTPUTS: &[&str] = &[
    "-",
    "/dev/stdout",
    "/dev/stderr",
    "/proc/self/fd/1",
    "/proc/self/fd/2",
    "/proc/1/fd/1",
    "/proc/1/fd/2",
    "/dev/null",
    "stdout",
    "stderr",
];

/// A file name that says it holds logs or output.
fn looks_like_log(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.contains("log") || p.ends_with(".out") || p.ends_with(".err")
}

/// Looks like a file path (not a level such as `--log debug`).
fn is_path(v: &str) -> bool {
    v.contains('/') || v.ends_with(".log") || v.ends_with(".txt")
}

impl Rule for LoggingToFile {
    fn check(&self, cx: &mut Checker<'_>) {
        let main = MainProcess::of(cx);
        let linked = linked_to_output(cx);
        let mut found = Vec::new();
        for (i, script) in main.scripts(cx) {
            let last = super::common::last_top_level(script).map(|(k, _)| k);
            for (k, cmd) in script.commands.iter().enumerate() {
                if cmd.nesting.substitution {
                    continue;
                }
                for r in &cmd.redirects {
                    if !r.writes() || !matches!(r.fd, None | Some(1) | Some(2)) {
                        continue;
                    }
                    let Some(target) = r.target_value() else {
                        continue;
                    };
                    if OUTPUTS.contains(&target)
                        || is_linked(cx, i, target, &linked)
                        || (Some(k) != last && !looks_like_log(target))
                    {
                        continue;
                    }
                    found.push((r.span, format!("its output is redirected to `{target}`")));
                }
                let Some(inv) = cmd.effective() else {
                    continue;
                };
                for f in inv.flag_values(LOG_FLAGS) {
                    let Some(v) = f.value.as_deref() else {
                        continue;
                    };
                    if OUTPUTS.contains(&v) || !is_path(v) || is_linked(cx, i, v, &linked) {
                        continue;
                    }
                    let flag = f.flag.value_or_text();
                    let flag = flag.split('=').next().unwrap_or(flag);
                    found.push((
                        f.flag.span.cover(f.span),
                        format!("`{flag}` writes to `{v}`"),
                    ));
                }
            }
        }
        for (span, why) in found {
            cx.report(
                span,
                format!(
                    "The main process logs to a file ({why}): log to stdout/stderr so that \
                     `docker logs` and the orchestrator see it"
                ),
            );
        }
    }
}

/// Files a RUN of the image links to the container's output.
fn linked_to_output(cx: &Checker<'_>) -> Vec<String> {
    let Some(stage) = cx.model.final_stage() else {
        return Vec::new();
    };
    let last = stage.instructions.end.saturating_sub(1);
    let mut lineage = cx.model.lineage_before(last);
    lineage.push(last);
    let mut out = Vec::new();
    for i in lineage {
        for cmd in run_commands(cx, i) {
            let Some(inv) = cmd.runs("ln") else {
                continue;
            };
            let ops = inv.positional_args(&["-t", "--target-directory", "-S", "--suffix"]);
            let (Some(src), Some(dest)) = (ops.first(), ops.get(1)) else {
                continue;
            };
            if src.value.as_deref().is_some_and(|s| OUTPUTS.contains(&s))
                && let Some(d) = dest.value.as_deref().and_then(|d| absolute(cx, i, d))
            {
                out.push(d);
            }
        }
    }
    out
}

fn is_linked(cx: &Checker<'_>, i: usize, path: &str, linked: &[String]) -> bool {
    absolute(cx, i, path).is_some_and(|p| linked.contains(&p))
}
