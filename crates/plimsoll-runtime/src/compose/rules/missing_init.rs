use super::{ServiceChecker, ServiceRule};
use crate::common::{INITS, SHELLS, basename, command_text, shell_script};
use crate::compose::Command;
use crate::yaml::Node;
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a service whose PID 1 is known and is neither an init nor
    /// run under one (`init: true`).
    ///
    /// PID 1 is worked out as Docker does: the service's `entrypoint` (or
    /// the Dockerfile's `ENTRYPOINT`, for a service built from a Dockerfile
    /// in reach) followed by its `command` (or `CMD`); a shell-form
    /// `ENTRYPOINT`/`CMD` runs `/bin/sh -c`. A shell running a script
    /// (`sh -c "…; node server.js"`) is PID 1 unless the script is a single
    /// command or ends in `exec`. It is fine when PID 1 is an init: `tini`,
    /// `dumb-init`, `docker-init`, `catatonit`, `s6-svscan`, `/init`,
    /// `systemd`, `runsvdir`, `my_init` or `supervisord`.
    ///
    /// When a pulled image's service sets only `command`, the image's
    /// `ENTRYPOINT` (unknown to plimsoll) may wrap it; the message says so.
    /// A `command` that starts with an option (`--config.file=…`) is
    /// arguments to that `ENTRYPOINT` and is not reported.
    /// A service that sets neither, from a pulled image, is not reported:
    /// its PID 1 is unknown. `init: false` written out is a decision and is
    /// not reported.
    ///
    /// ## Why is this bad?
    /// The kernel gives PID 1 no default signal handlers: a program that
    /// does not install one for SIGTERM ignores `docker stop` and is killed
    /// after the timeout, without a clean shutdown. PID 1 also inherits
    /// every orphaned process, and a program that does not wait for them
    /// leaves zombies that fill the PID table. A shell as PID 1 does
    /// neither job for the program it started. `init: true` runs Docker's
    /// tiny init (tini) as PID 1, which forwards signals and reaps.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: node:22-slim
    ///     command: ["node", "server.js"]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: node:22-slim
    ///     init: true
    ///     command: ["node", "server.js"]
    /// ```
    pub struct ComposeMissingInit {
        code: "PL4007",
        name: "compose_missing_init",
        aliases: [],
        severity: Info,
        summary: "Service's PID 1 is not an init, and `init: true` is not set",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// What runs as PID 1.
enum Pid1 {
    /// A program (basename).
    Program(String),
    /// A shell running a script of several commands.
    Shell(String),
}

/// PID 1 of an argv given as words.
fn pid1_of_words(words: &[String], script: Option<&plimsoll_shell::Script>) -> Option<Pid1> {
    let first = words.first()?;
    // `command: --flag` passes options to the image's ENTRYPOINT.
    if first.starts_with('-') {
        return None;
    }
    let program = basename(first).to_string();
    if SHELLS.contains(&program.as_str())
        && let Some(script) = script
    {
        return pid1_of_script(&program, script);
    }
    Some(Pid1::Program(program))
}

/// PID 1 when `shell` runs `script`: the program itself when the script
/// is one command or ends with `exec program`.
fn pid1_of_script(shell: &str, script: &plimsoll_shell::Script) -> Option<Pid1> {
    let top: Vec<&plimsoll_shell::Command> = script
        .commands
        .iter()
        .filter(|c| c.nesting == plimsoll_shell::Nesting::default() && c.name.is_some())
        .collect();
    let last = top.last()?;
    let inv = last.effective()?;
    let program = basename(inv.basename()?).to_string();
    if top.len() == 1 || inv.wrapped_by("exec") {
        if SHELLS.contains(&program.as_str()) {
            return Some(Pid1::Shell(program));
        }
        return Some(Pid1::Program(program));
    }
    Some(Pid1::Shell(shell.to_string()))
}

/// PID 1 from a compose `entrypoint`/`command` node.
fn pid1_of_node(node: &Node) -> Option<Pid1> {
    let ct = command_text(node)?;
    let cmd = ct.script.commands.first()?;
    let inv = cmd.invocation()?;
    let mut words = vec![inv.name.value_or_text().to_string()];
    words.extend(inv.args.iter().map(|w| w.value_or_text().to_string()));
    let inner = shell_script(cmd);
    pid1_of_words(&words, inner.as_ref())
}

/// PID 1 from a Dockerfile's ENTRYPOINT/CMD.
fn pid1_of_dockerfile(cmd: &Command) -> Option<Pid1> {
    match cmd {
        Command::Exec(argv) => {
            let first = argv.first()?;
            let program = basename(first).to_string();
            if SHELLS.contains(&program.as_str())
                && argv
                    .get(1)
                    .is_some_and(|f| f.starts_with('-') && f.contains('c'))
                && let Some(text) = argv.get(2)
            {
                return pid1_of_script(&program, &script_of(text));
            }
            Some(Pid1::Program(program))
        }
        Command::Shell(text) => pid1_of_script("sh", &script_of(text)),
    }
}

fn script_of(text: &str) -> plimsoll_shell::Script {
    let offsets = vec![0; text.len() + 1];
    plimsoll_shell::analyze_script(
        &plimsoll_syntax::LogicalText {
            text: text.to_string(),
            offsets,
        },
        plimsoll_shell::ScriptSource::ShellForm,
        &plimsoll_shell::Shell::default(),
    )
}

impl ServiceRule for ComposeMissingInit {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        if cx.get("init").is_some() {
            return;
        }
        let entrypoint = cx.get("entrypoint").filter(|n| !n.is_null());
        let command = cx.get("command").filter(|n| !n.is_null());
        let facts = cx.service.build.as_ref().and_then(|b| b.facts.as_ref());
        // (PID 1, the node that decides it, a caveat for the message)
        let (pid1, at, caveat) = if let Some(e) = entrypoint {
            (pid1_of_node(e), Some(e), "")
        } else if let Some(facts) = facts {
            match (&facts.entrypoint, command) {
                (Some(ep), _) => (pid1_of_dockerfile(ep), None, ""),
                (None, Some(c)) => (pid1_of_node(c), Some(c), ""),
                (None, None) => (facts.cmd.as_ref().and_then(pid1_of_dockerfile), None, ""),
            }
        } else if cx.service.build.is_some() {
            return;
        } else if let Some(c) = command {
            (
                pid1_of_node(c),
                Some(c),
                " (unless the image's ENTRYPOINT wraps it in an init)",
            )
        } else {
            return;
        };
        let Some(pid1) = pid1 else { return };
        let name = cx.name().to_string();
        let message = match pid1 {
            Pid1::Program(p) if INITS.contains(&p.as_str()) => return,
            Pid1::Program(p) => format!(
                "service `{name}`: `{p}` runs as PID 1 without an init{caveat}: it may ignore SIGTERM and will not reap zombies; set `init: true`"
            ),
            Pid1::Shell(sh) => format!(
                "service `{name}`: the shell `{sh}` runs as PID 1{caveat}: it neither forwards signals nor reaps zombies; set `init: true` or `exec` the program"
            ),
        };
        match at {
            Some(node) => cx.report(node, message),
            None => cx.report_service(message),
        };
    }
}
