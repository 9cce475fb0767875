use super::common::{MainProcess, official_name, root_image};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a Java or Node.js program that runs as PID 1 of the container
    /// with no init process in front of it. PID 1 is:
    /// - the first word of an exec-form `ENTRYPOINT` (or of `CMD` when
    ///   there is no `ENTRYPOINT`), looking through `env`, `gosu`,
    ///   `su-exec` and the like, which hand their process over;
    /// - for a shell (`sh -c "…"`, or the shell form), the command it
    ///   `exec`s last, or its only command.
    ///
    /// It fires when that command is `java` running a program (`-jar`, a
    /// main class or `-m`), `node` running a script, or `npm`/`yarn`/`pnpm`
    /// (`start`, `run …`), which start the program as a child they do not
    /// pass signals to.
    ///
    /// Stays quiet when an init runs first (`tini`, `dumb-init`,
    /// `catatonit`, `docker-init`, s6-overlay's `/init`, or any other
    /// program as the `ENTRYPOINT`, which may be a wrapper), and when the
    /// Dockerfile sets no `ENTRYPOINT` and its base image is not an
    /// official image known to have none that matters (`eclipse-temurin`,
    /// `openjdk`, `amazoncorretto`, `ibm-semeru-runtimes`, `sapmachine`,
    /// `node`, `debian`, `ubuntu`, `alpine`, and distroless images): other
    /// bases may bring their own init as `ENTRYPOINT`. `docker run --init`
    /// and Kubernetes' `shareProcessNamespace` cannot be seen here; if you
    /// use them, ignore this rule.
    ///
    /// ## Why is this bad?
    /// PID 1 has two jobs a normal program does not do: it must reap
    /// orphaned child processes (or they pile up as zombies), and the
    /// kernel gives it no default signal handling, so a `SIGTERM` it does
    /// not handle explicitly is ignored. Node.js does not reap and handles
    /// `SIGTERM` only if the application registers a handler, so `docker
    /// stop` waits for the timeout and kills it. The JVM handles `SIGTERM`
    /// but does not reap the zombies of processes it spawns. npm does not
    /// forward signals to the program it starts. A tiny init (`tini`,
    /// `dumb-init`, or `docker run --init`) does both jobs and starts the
    /// program as its child.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM eclipse-temurin:21-jre
    /// COPY app.jar /app.jar
    /// ENTRYPOINT ["java", "-jar", "/app.jar"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM eclipse-temurin:21-jre
    /// RUN apt-get update && apt-get install -y --no-install-recommends tini \
    ///  && rm -rf /var/lib/apt/lists/*
    /// COPY app.jar /app.jar
    /// ENTRYPOINT ["tini", "--", "java", "-jar", "/app.jar"]
    /// ```
    pub struct AppAsPid1WithoutInit {
        code: "PL1015",
        name: "app_as_pid1_without_init",
        aliases: [],
        severity: Info,
        summary: "Java or Node.js runs as PID 1 without an init",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// Bases known to have no `ENTRYPOINT`, or one that `exec`s the command.
const KNOWN_BASES: &[&str] = &[
    "eclipse-temurin",
    "openjdk",
    "amazoncorretto",
    "ibm-semeru-runtimes",
    "sapmachine",
    "node",
    "debian",
    "ubuntu",
    "alpine",
];

impl Rule for AppAsPid1WithoutInit {
    fn check(&self, cx: &mut Checker<'_>) {
        let main = MainProcess::of(cx);
        if main.entrypoint.is_none() {
            let Some(stage) = cx.model.final_stage() else {
                return;
            };
            let known = root_image(cx, stage.index).is_some_and(|(r, _)| {
                official_name(r).is_some_and(|n| KNOWN_BASES.contains(&n))
                    || r.repository.starts_with("distroless/")
            }) || super::common::rooted_in_scratch(cx, stage.index);
            if !known {
                return;
            }
        }
        let Some((_, cmd)) = main.pid1(cx) else {
            return;
        };
        let Some(inv) = cmd.effective() else {
            return;
        };
        let ops = inv.positional_args(&["-cp", "-classpath", "--class-path", "-m", "--module"]);
        let what = match inv.basename() {
            Some("java") if inv.has_flag(&["-jar", "-m", "--module"]) || !ops.is_empty() => "Java",
            Some("node" | "nodejs") if !ops.is_empty() => "Node.js",
            Some(tool @ ("npm" | "yarn" | "pnpm"))
                if ops.first().is_some_and(|w| {
                    matches!(w.value.as_deref(), Some("start" | "run" | "run-script"))
                }) =>
            {
                tool
            }
            _ => return,
        };
        let span = inv.name.span.cover(cmd.span);
        let why = if matches!(what, "npm" | "yarn" | "pnpm") {
            "it does not pass signals on to the program it starts"
        } else {
            "it does not reap zombie processes and may ignore `docker stop`'s SIGTERM"
        };
        cx.report(
            span,
            format!(
                "{what} runs as PID 1 without an init: {why}. Start it under `tini` or \
                 `dumb-init` (or run the container with `--init`)"
            ),
        );
    }
}
