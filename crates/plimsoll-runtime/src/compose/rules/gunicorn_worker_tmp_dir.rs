use super::{ServiceChecker, ServiceRule};
use crate::common::{command_text, shell_script};
use crate::compose::merge::{as_mapping, mount_target};
use crate::yaml::Value;
use plimsoll_diagnostics::Span;
use plimsoll_rules::declare_rule;
use plimsoll_shell::Script;

declare_rule! {
    /// ## What it does
    /// Reports a service that starts gunicorn (in its `command` or
    /// `entrypoint`, directly, as `python -m gunicorn`, or inside `sh -c`)
    /// without `--worker-tmp-dir` in memory.
    ///
    /// It stays quiet when `--worker-tmp-dir` names `/dev/shm` or a
    /// directory the service mounts as `tmpfs` (`tmpfs:` or a `type: tmpfs`
    /// volume); when no `--worker-tmp-dir` is given but `/tmp` is a tmpfs
    /// (gunicorn's default is the system's temporary directory); when
    /// `GUNICORN_CMD_ARGS` in `environment` sets it; and when gunicorn reads
    /// a config file (`-c`/`--config`), which may set `worker_tmp_dir`.
    /// `shm_size` does not matter here: the heartbeat files are tiny, and
    /// `/dev/shm` exists whatever its size.
    ///
    /// ## Why is this bad?
    /// Each gunicorn worker signals it is alive by updating a file in the
    /// worker temporary directory. On a container's overlay filesystem (or
    /// a disk-backed volume) those updates can block for seconds under I/O
    /// load, and the master then kills workers that are fine: timeouts and
    /// restarts that look random. In memory they never block.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     build: .
    ///     command: gunicorn app:app --bind 0.0.0.0:8000
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     build: .
    ///     command: gunicorn app:app --bind 0.0.0.0:8000 --worker-tmp-dir /dev/shm
    /// ```
    pub struct ComposeGunicornWorkerTmpDir {
        code: "PL4015",
        name: "compose_gunicorn_worker_tmp_dir",
        aliases: [],
        severity: Warning,
        summary: "gunicorn without `--worker-tmp-dir` in memory",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// The gunicorn commands of a script: (span of the command, its
/// `--worker-tmp-dir` value, whether it reads a config file).
fn gunicorns(script: &Script, out: &mut Vec<(Span, Option<String>, bool)>, depth: usize) {
    for cmd in &script.commands {
        let Some(inv) = cmd.effective() else { continue };
        let runs = inv.name_is("gunicorn")
            || (inv.basename().is_some_and(|b| b.starts_with("python"))
                && inv
                    .flag_value(&["-m"])
                    .is_some_and(|v| v.value.as_deref() == Some("gunicorn")));
        if runs {
            let dir = inv
                .flag_value(&["--worker-tmp-dir"])
                .map(|v| v.value.unwrap_or_else(|| v.text.to_string()));
            let config = inv.has_flag(&["-c", "--config"]);
            out.push((cmd.span, dir, config));
        } else if depth < 2
            && let Some(inner) = shell_script(cmd)
        {
            gunicorns(&inner, out, depth + 1);
        }
    }
}

impl ServiceRule for ComposeGunicornWorkerTmpDir {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        let mut tmpfs: Vec<String> = Vec::new();
        if let Some(t) = cx.get("tmpfs") {
            match &t.value {
                Value::Seq(items) => tmpfs.extend(items.iter().filter_map(|i| cx.resolve(i))),
                Value::Scalar(_) => tmpfs.extend(cx.resolve(t)),
                _ => {}
            }
        }
        if let Some(items) = cx.get("volumes").and_then(|n| n.as_seq()) {
            for item in items {
                if item.get("type").and_then(|t| t.as_str()) == Some("tmpfs")
                    && let Some(target) = mount_target(item)
                {
                    tmpfs.push(target);
                }
            }
        }
        // `tmpfs: /tmp:size=64m` mounts `/tmp`.
        let tmpfs: Vec<String> = tmpfs
            .iter()
            .map(|t| {
                t.split(':')
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches('/')
                    .to_string()
            })
            .collect();
        if let Some(env) = cx.get("environment") {
            let env = as_mapping(env.clone());
            if env
                .get("GUNICORN_CMD_ARGS")
                .and_then(|v| v.as_str())
                .is_some_and(|v| v.contains("--worker-tmp-dir"))
            {
                return;
            }
        }
        let name = cx.name().to_string();
        for key in ["entrypoint", "command"] {
            let Some(node) = cx.get(key) else { continue };
            let Some(ct) = command_text(node) else {
                continue;
            };
            let mut found = Vec::new();
            gunicorns(&ct.script, &mut found, 0);
            for (span, dir, config) in found {
                let message = match dir {
                    Some(d) => {
                        let d = d.trim_end_matches('/');
                        if d == "/dev/shm" || tmpfs.iter().any(|t| t == d) {
                            continue;
                        }
                        format!(
                            "service `{name}`: gunicorn's `--worker-tmp-dir {d}` is not in memory; use `/dev/shm`"
                        )
                    }
                    None => {
                        if config || tmpfs.iter().any(|t| t == "/tmp") {
                            continue;
                        }
                        format!(
                            "service `{name}`: gunicorn without `--worker-tmp-dir /dev/shm` keeps worker heartbeats on disk; add it"
                        )
                    }
                };
                cx.report_at(node.file, span, message);
            }
        }
    }
}
