use super::{ServiceChecker, ServiceRule};
use crate::common::{command_text, shell_script};
use plimsoll_diagnostics::Span;
use plimsoll_rules::declare_rule;
use plimsoll_shell::{Command, Script};

declare_rule! {
    /// ## What it does
    /// Reports a service whose `command` or `entrypoint` sends its logs to
    /// a file instead of stdout/stderr:
    ///
    /// - in a shell script (`sh -c "…"`), output redirected (`>`, `>>`,
    ///   `&>`, `2>`) to a file that looks like a log (`*.log`, `*.out`,
    ///   `*.err`, a `log`/`logs` directory, a name with `log` in it), or
    ///   piped to `tee` writing one;
    /// - a log-file option pointing at a file: `--log-file`, `--logfile`,
    ///   `--log_file`, `--access-logfile`, `--error-logfile` (gunicorn),
    ///   `--logpath` (mongod), `--logto` (uWSGI), `--log-path`. The values
    ///   `-`, `/dev/stdout`, `/dev/stderr` and `/proc/self/fd/1|2` are
    ///   stdout and stderr and are fine.
    ///
    /// Paths under `/dev/` and `/proc/` are never taken for files.
    ///
    /// ## Why is this bad?
    /// `docker logs`, `docker compose logs` and every log driver read a
    /// container's stdout and stderr. Logs in a file inside the container
    /// are invisible to them, fill the container's writable layer (or a
    /// read-only root filesystem refuses them), and vanish with it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:2.0
    ///     command: sh -c "python worker.py >> /var/log/worker.log 2>&1"
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   worker:
    ///     image: example/worker:2.0
    ///     command: ["python", "worker.py"]
    /// ```
    pub struct ComposeLogsToFile {
        code: "PL4014",
        name: "compose_logs_to_file",
        aliases: [],
        severity: Warning,
        summary: "Service writes its logs to a file instead of stdout/stderr",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

const LOG_FLAGS: &[&str] = &[
    "--log-file",
    "--logfile",
    "--log_file",
    "--access-logfile",
    "--error-logfile",
    "--logpath",
    "--logto",
    "--log-path",
];

fn is_stdio(path: &str) -> bool {
    matches!(
        path,
        "-" | "/dev/stdout"
            | "/dev/stderr"
            | "/proc/self/fd/1"
            | "/proc/self/fd/2"
            | "/proc/1/fd/1"
            | "/proc/1/fd/2"
    ) || path.starts_with("/dev/")
        || path.starts_with("/proc/")
}

/// A path that looks like a log file.
pub(crate) fn looks_like_log(path: &str) -> bool {
    if is_stdio(path) {
        return false;
    }
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    name.ends_with(".log")
        || name.ends_with(".out")
        || name.ends_with(".err")
        || name.contains("log")
        || lower.contains("/log/")
        || lower.contains("/logs/")
}

/// Log files written by the commands of a script: (span, what).
pub(crate) fn log_writes(script: &Script, out: &mut Vec<(Span, String)>, depth: usize) {
    for cmd in &script.commands {
        check_command(cmd, out, depth);
        for r in &cmd.redirects {
            if !r.writes() || !matches!(r.fd, None | Some(1) | Some(2)) {
                continue;
            }
            let Some(target) = r.target_value() else {
                continue;
            };
            if looks_like_log(target) {
                out.push((r.span, format!("redirects its output to `{target}`")));
            }
        }
    }
}

fn check_command(cmd: &Command, out: &mut Vec<(Span, String)>, depth: usize) {
    let Some(inv) = cmd.effective() else { return };
    for flag in LOG_FLAGS {
        if let Some(v) = inv.flag_value(&[flag])
            && let Some(value) = v.value.as_deref()
            && !is_stdio(value)
        {
            out.push((v.span, format!("writes its log to `{value}` (`{flag}`)")));
        }
    }
    if inv.name_is("tee") {
        for a in inv.positional_args(&[]) {
            if let Some(v) = a.value.as_deref()
                && looks_like_log(v)
            {
                out.push((a.span, format!("copies its output to `{v}` with `tee`")));
            }
        }
    }
    if depth < 2
        && let Some(inner) = shell_script(cmd)
    {
        log_writes(&inner, out, depth + 1);
    }
}

impl ServiceRule for ComposeLogsToFile {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        let name = cx.name().to_string();
        for key in ["entrypoint", "command"] {
            let Some(node) = cx.get(key) else { continue };
            let Some(ct) = command_text(node) else {
                continue;
            };
            let mut found = Vec::new();
            // No shell runs a compose command itself: only options count
            // at the top, redirections only inside `sh -c`.
            for cmd in &ct.script.commands {
                check_command(cmd, &mut found, 0);
            }
            for (span, what) in found {
                cx.report_at(
                    node.file,
                    span,
                    format!(
                        "service `{name}` {what}; log to stdout/stderr so `docker logs` sees it"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_log;

    #[test]
    fn log_paths() {
        for yes in [
            "/var/log/app.log",
            "app.log",
            "/logs/out.txt",
            "/tmp/worker.out",
            "/app/logfile",
        ] {
            assert!(looks_like_log(yes), "{yes}");
        }
        for no in [
            "/dev/null",
            "/dev/stdout",
            "/proc/1/fd/1",
            "/etc/nginx/nginx.conf",
            "-",
        ] {
            assert!(!looks_like_log(no), "{no}");
        }
    }
}
