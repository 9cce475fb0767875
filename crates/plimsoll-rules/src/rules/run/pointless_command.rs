use crate::rules::prelude::*;
use plimsoll_shell::{Invocation, Script};

declare_rule! {
    /// ## What it does
    /// Flags commands that make no sense in a build step: `ssh`, `vim`,
    /// `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`,
    /// `ifconfig`.
    ///
    /// ## Why is this bad?
    /// A build step runs one non-interactive process tree in a throwaway
    /// container: there is no init system to talk to (`service`,
    /// `shutdown`), no terminal for an editor or a monitor (`vim`, `top`),
    /// nothing of the running system worth inspecting (`ps`, `free`), and
    /// mounts or remote sessions do not persist into the image. Such a
    /// command is either a leftover of interactive work or does not do
    /// what it seems to.
    ///
    /// Unlike hadolint, a `kill` of a process the same script started in
    /// the background (`mysqld & … kill $!`) is not reported, nor a
    /// `service` that the same script both starts and stops (a database
    /// seeded during the build).
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN service nginx start
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// CMD ["nginx", "-g", "daemon off;"]
    /// ```
    pub struct PointlessCommand {
        code: "DL3001",
        name: "pointless_command",
        aliases: [],
        severity: Info,
        summary: "Command that makes no sense in a container",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3001"),
        fixable: false,
        default_enabled: true,
    }
}

const POINTLESS: &[&str] = &[
    "free", "ifconfig", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim",
];

impl Rule for PointlessCommand {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (_, script) in cx.run_scripts() {
            for (k, cmd) in script.commands.iter().enumerate() {
                let Some(inv) = cmd.effective() else {
                    continue;
                };
                let Some(name) = inv.basename() else {
                    continue;
                };
                if !POINTLESS.contains(&name) {
                    continue;
                }
                if name == "kill" && started_in_background(script, k) {
                    continue;
                }
                if name == "service" && started_and_stopped(script, &inv) {
                    continue;
                }
                found.push(inv.name.span);
            }
        }
        for span in found {
            cx.report(
                span,
                "For some bash commands it makes no sense running them in a Docker container \
                 like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, \
                 `mount`, `ifconfig`",
            );
        }
    }
}

/// True for `service NAME start|stop` when the same script both starts
/// and stops `NAME` (a database seeded during the build).
fn started_and_stopped(script: &Script, inv: &Invocation<'_>) -> bool {
    let Some(name) = inv
        .positional_args(&[])
        .first()
        .and_then(|w| w.value.clone())
    else {
        return false;
    };
    let action = |wanted: &str| {
        script.commands.iter().any(|c| {
            c.runs("service").is_some_and(|s| {
                let ops = s.positional_args(&[]);
                ops.first().is_some_and(|w| w.is(&name)) && ops.get(1).is_some_and(|w| w.is(wanted))
            })
        })
    };
    action("start") && action("stop")
}

/// True when a command before `k` runs in the background (`daemon &`).
fn started_in_background(script: &Script, k: usize) -> bool {
    script.commands.iter().take(k).any(|c| c.background)
}
