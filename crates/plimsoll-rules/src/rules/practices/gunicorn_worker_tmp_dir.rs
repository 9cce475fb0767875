use super::common::{MainProcess, absolute, env_value, file_text, written_files};
use crate::rules::prelude::*;
use crate::rules::run::common::pip;
use plimsoll_shell::{Command, Invocation};

declare_rule! {
    /// ## What it does
    /// Flags `gunicorn` started by the image's main command (effective
    /// `ENTRYPOINT`/`CMD`, also as `python -m gunicorn`) without
    /// `--worker-tmp-dir`.
    ///
    /// Stays quiet when:
    /// - `--worker-tmp-dir` is given (whatever the directory), or
    ///   `GUNICORN_CMD_ARGS` (by `ENV`, or on the command) contains it;
    /// - a configuration file is used (`-c`/`--config`, or the default
    ///   `./gunicorn.conf.py`) and its text cannot be read: it may set
    ///   `worker_tmp_dir`. Files the Dockerfile writes itself (`COPY <<EOF`,
    ///   `RUN cat > … <<EOF`, `echo … >`) and, when the build context is
    ///   known, single files copied from it, are read: without
    ///   `worker_tmp_dir` in them the rule still reports.
    ///
    /// ## Why is this bad?
    /// Each gunicorn worker signals it is alive by updating a temporary
    /// file every few seconds. By default that file is in `/tmp`, which in
    /// a container is on the overlay filesystem (or a disk-backed volume):
    /// when the disk is slow or busy, the update blocks, and the arbiter
    /// kills workers that are in fact healthy. `/dev/shm` is memory-backed,
    /// as gunicorn's documentation recommends for Docker.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["gunicorn", "--worker-tmp-dir", "/dev/shm", "-b", "0.0.0.0:8000", "app:app"]
    /// ```
    pub struct GunicornWorkerTmpDir {
        code: "PL1013",
        name: "gunicorn_worker_tmp_dir",
        aliases: [],
        severity: Info,
        summary: "gunicorn without `--worker-tmp-dir /dev/shm`",
        url: Some("https://docs.gunicorn.org/en/stable/faq.html#blocking-os-fchmod"),
        fixable: false,
        default_enabled: true,
    }
}

fn gunicorn(cmd: &Command) -> Option<Invocation<'_>> {
    if pip(cmd).is_some() {
        return None;
    }
    let inv = cmd.effective()?;
    if inv.name_is("gunicorn") {
        return Some(inv);
    }
    let base = inv.basename()?;
    if !base.starts_with("python") {
        return None;
    }
    let m = inv.args.iter().position(|a| a.is("-m"))?;
    inv.args
        .get(m + 1)
        .filter(|w| w.is("gunicorn"))
        .map(|module| Invocation {
            name: module,
            args: inv.args.get(m + 2..).unwrap_or(&[]),
            wrappers: inv.wrappers.clone(),
        })
}

impl Rule for GunicornWorkerTmpDir {
    fn check(&self, cx: &mut Checker<'_>) {
        let main = MainProcess::of(cx);
        let mut found = Vec::new();
        for (i, script) in main.scripts(cx) {
            for (k, cmd) in script.commands.iter().enumerate() {
                let Some(inv) = gunicorn(cmd) else {
                    continue;
                };
                if inv.has_flag(&["--worker-tmp-dir"]) {
                    continue;
                }
                let env_sets = |v: Option<&str>| v.is_some_and(|v| v.contains("--worker-tmp-dir"));
                let in_env = env_sets(env_value(cx, i, "GUNICORN_CMD_ARGS"))
                    || cmd.env.iter().any(|a| {
                        a.name == "GUNICORN_CMD_ARGS" && env_sets(Some(a.value.text.as_str()))
                    })
                    || super::common::script_sets(script, k, "GUNICORN_CMD_ARGS", None)
                        && script.text.contains("--worker-tmp-dir");
                if in_env || config_decides(cx, i, &inv) {
                    continue;
                }
                found.push(inv.name.span.cover(cmd.span));
            }
        }
        for span in found {
            cx.report(
                span,
                "gunicorn keeps its worker heartbeat files in /tmp on the container's \
                 filesystem: add `--worker-tmp-dir /dev/shm`",
            );
        }
    }
}

/// True when a configuration file gunicorn reads may set
/// `worker_tmp_dir`: it is unknown, or known and sets it.
fn config_decides(cx: &Checker<'_>, i: usize, inv: &Invocation<'_>) -> bool {
    let explicit = inv.flag_value(&["-c", "--config"]);
    let path = match &explicit {
        Some(f) => match f.value.as_deref() {
            Some(v) if !v.starts_with("python:") => v.to_string(),
            _ => return true,
        },
        None => "gunicorn.conf.py".to_string(),
    };
    let files = written_files(cx);
    let known = absolute(cx, i, &path).and_then(|p| files.iter().find(|f| f.path == p));
    if let Some(file) = known {
        return file_text(cx, file).is_none_or(|t| t.contains("worker_tmp_dir"));
    }
    if explicit.is_some() {
        return true;
    }
    // The default file: named anywhere in the Dockerfile, or in the root
    // of a known build context.
    if cx.dockerfile.text.contains("gunicorn.conf") {
        return true;
    }
    cx.context_file("gunicorn.conf.py")
        .is_some_and(|t| t.contains("worker_tmp_dir"))
}
