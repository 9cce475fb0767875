use super::common::MainProcess;
use crate::rules::prelude::*;
use plimsoll_shell::Command;

declare_rule! {
    /// ## What it does
    /// Flags an image whose main command (its effective `ENTRYPOINT` and
    /// `CMD`, shell or exec form, `sh -c "…"` included) runs several
    /// processes:
    /// - a process supervisor: `supervisord`, `s6-svscan`, `runsvdir`,
    ///   `runit`, `circusd`, `monit`, `systemd`/`/sbin/init`, `pm2 start`
    ///   (but not `pm2-runtime`), `forever start`, and s6-overlay's `/init`
    ///   when the Dockerfile mentions s6-overlay;
    /// - a command sent to the background with `&`;
    /// - a daemon started by its init script (`service x start`,
    ///   `/etc/init.d/x start`, `rc-service x start`) followed by more
    ///   commands;
    /// - `tail -f`, `sleep infinity` or `wait` after a command that leaves
    ///   a daemon running (`cron`, `sshd`, `nginx`, `php-fpm`, … or one of
    ///   the above), which keeps a container of background daemons alive.
    ///
    /// Only the command the built image runs is checked (the last
    /// `ENTRYPOINT`/`CMD` of the final stage and the stages it is built
    /// on); entrypoint scripts are not read.
    ///
    /// ## Why is this bad?
    /// A container is meant to run one process, whose life is the
    /// container's: when it dies the container stops and the orchestrator
    /// restarts it, its output is the container's log, and `docker stop`
    /// signals it. Behind a supervisor or a shell that backgrounds daemons,
    /// crashed processes go unnoticed (or are restarted out of sight), logs
    /// mix or vanish, signals do not arrive, and the pieces cannot be
    /// scaled or updated separately. Run each process in its own container
    /// (compose services, pod containers).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM php:8.3-fpm
    /// CMD service nginx start && php-fpm
    /// ```
    ///
    /// Use instead (one image per process, here the official ones):
    /// ```dockerfile
    /// FROM php:8.3-fpm
    /// CMD ["php-fpm"]
    /// ```
    pub struct SupervisorAsMainProcess {
        code: "PL1008",
        name: "supervisor_as_main_process",
        aliases: [],
        severity: Warning,
        summary: "The container runs a supervisor or background processes",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

const SUPERVISORS: &[&str] = &[
    "supervisord",
    "s6-svscan",
    "runsvdir",
    "runit",
    "runit-init",
    "my_init",
    "circusd",
    "monit",
    "systemd",
    "init",
];

fn starts_daemon(cmd: &Command) -> bool {
    let Some(inv) = cmd.effective() else {
        return false;
    };
    let ops = inv.positional_args(&[]);
    let action = |k: usize| {
        ops.get(k)
            .is_some_and(|w| matches!(w.value.as_deref(), Some("start" | "restart")))
    };
    match inv.basename() {
        Some("service" | "rc-service") => action(1),
        Some("systemctl") => action(0),
        _ => {
            inv.name
                .value
                .as_deref()
                .is_some_and(|n| n.starts_with("/etc/init.d/"))
                && action(0)
        }
    }
}

/// Programs that go to the background by themselves when started.
const DAEMONS: &[&str] = &[
    "cron",
    "crond",
    "sshd",
    "rsyslogd",
    "syslogd",
    "syslog-ng",
    "nginx",
    "httpd",
    "apachectl",
    "apache2ctl",
    "postfix",
    "dbus-daemon",
    "mysqld_safe",
    "dockerd",
    "containerd",
    "memcached",
    "redis-server",
    "php-fpm",
];

/// A command that leaves a daemon running in the background.
fn daemon(cmd: &Command) -> bool {
    cmd.background
        || starts_daemon(cmd)
        || cmd
            .effective()
            .and_then(|i| i.basename())
            .is_some_and(|n| DAEMONS.contains(&n) || n.starts_with("php-fpm"))
}

fn keeps_alive(cmd: &Command) -> bool {
    let Some(inv) = cmd.effective() else {
        return false;
    };
    match inv.basename() {
        Some("tail") => inv.has_flag(&["-f", "-F", "--follow"]),
        Some("sleep") => inv
            .positional_args(&[])
            .first()
            .is_some_and(|w| w.is("infinity")),
        Some("wait") => true,
        _ => false,
    }
}

impl Rule for SupervisorAsMainProcess {
    fn check(&self, cx: &mut Checker<'_>) {
        let main = MainProcess::of(cx);
        let s6 = cx.dockerfile.text.contains("s6-overlay");
        let mut found: Option<(Span, String)> = None;
        'scripts: for (_, script) in main.scripts(cx) {
            let top: Vec<&Command> = script
                .commands
                .iter()
                .filter(|c| !c.nesting.function && !c.nesting.substitution)
                .collect();
            for (k, cmd) in top.iter().enumerate() {
                let Some(inv) = cmd.effective() else {
                    continue;
                };
                let name = inv.basename().unwrap_or("");
                let program = inv.name.value.as_deref().unwrap_or("");
                let supervisor = (SUPERVISORS.contains(&name)
                    && (name != "init" || program != "/init"))
                    || (program == "/init" && s6)
                    || (matches!(name, "pm2" | "forever")
                        && inv.subcommand().is_some_and(|w| w.is("start")));
                let why = if supervisor {
                    Some(format!("`{name}` supervises several processes"))
                } else if cmd.background {
                    Some("a command is sent to the background with `&`".to_string())
                } else if starts_daemon(cmd) && k + 1 < top.len() {
                    Some(
                        "a daemon is started by its init script and more commands follow"
                            .to_string(),
                    )
                } else if keeps_alive(cmd) && top[..k].iter().any(|c| daemon(c)) {
                    Some(format!(
                        "`{name}` only keeps the container alive after other commands"
                    ))
                } else {
                    None
                };
                if let Some(why) = why {
                    found = Some((cmd.span, why));
                    break 'scripts;
                }
            }
        }
        if let Some((span, why)) = found {
            cx.report(
                span,
                format!(
                    "The container's main command runs more than one process: {why}. Run one \
                     process per container"
                ),
            );
        }
    }
}
