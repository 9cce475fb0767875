use super::common::{MainProcess, official_name, root_image};
use crate::rules::prelude::*;
use plimsoll_shell::Command;

declare_rule! {
    /// ## What it does
    /// Flags an image that evidently runs a long-lived service but has no
    /// `HEALTHCHECK` in its final stage or the stages it is built on. The
    /// evidence, in this order:
    /// - its main command (effective `ENTRYPOINT`/`CMD`) runs a server:
    ///   `nginx`, `httpd`, `apache2-foreground`, `caddy`, `traefik`,
    ///   `haproxy`, `gunicorn`, `uvicorn`, `hypercorn`, `daphne`,
    ///   `waitress-serve`, `uwsgi`, `puma`, `unicorn`, `rails server`,
    ///   `flask run`, `manage.py runserver`, `php-fpm`, `redis-server`,
    ///   `mongod`, `postgres`, `mysqld`, `mariadbd`, `java -jar`, or `node`
    ///   running a script whose name has `server` or `app` in it;
    /// - it `EXPOSE`s a port;
    /// - it keeps the command of an official server image (`nginx`,
    ///   `httpd`, `redis`, `postgres`, `mysql`, `mariadb`, `mongo`,
    ///   `rabbitmq`, `memcached`, `tomcat`, `traefik`, `caddy`, `haproxy`)
    ///   by setting no `CMD` or `ENTRYPOINT` of its own.
    ///
    /// `HEALTHCHECK NONE` counts as a decision and silences the rule. A
    /// health check defined by a base image outside the Dockerfile cannot
    /// be seen; ignore the rule for such images. DL3057 (off by default)
    /// asks for a `HEALTHCHECK` in every image; this rule only where it
    /// clearly matters.
    ///
    /// ## Why is this bad?
    /// Without a health check, Docker only knows whether the process runs,
    /// not whether it answers: a server that hangs, deadlocks or lost its
    /// database stays "running". With one, `docker ps` shows the container
    /// as unhealthy, compose can wait for it (`depends_on: condition:
    /// service_healthy`) and Swarm replaces it. (Kubernetes ignores
    /// `HEALTHCHECK` and uses its own probes; say `HEALTHCHECK NONE` there.)
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// EXPOSE 8000
    /// CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// EXPOSE 8000
    /// HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://localhost:8000/health')"
    /// CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
    /// ```
    pub struct ServiceWithoutHealthcheck {
        code: "PL1010",
        name: "service_without_healthcheck",
        aliases: [],
        severity: Info,
        summary: "Long-running service without a HEALTHCHECK",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

const SERVERS: &[&str] = &[
    "nginx",
    "httpd",
    "apache2",
    "apache2-foreground",
    "apachectl",
    "caddy",
    "traefik",
    "haproxy",
    "gunicorn",
    "uvicorn",
    "hypercorn",
    "daphne",
    "waitress-serve",
    "uwsgi",
    "puma",
    "unicorn",
    "redis-server",
    "mongod",
    "postgres",
    "mysqld",
    "mariadbd",
    "memcached",
    "rabbitmq-server",
    "catalina.sh",
];

const SERVER_IMAGES: &[&str] = &[
    "nginx",
    "httpd",
    "redis",
    "postgres",
    "mysql",
    "mariadb",
    "mongo",
    "rabbitmq",
    "memcached",
    "tomcat",
    "traefik",
    "caddy",
    "haproxy",
];

/// The server a command runs, by name.
pub(super) fn server(cmd: &Command) -> Option<String> {
    let inv = cmd.effective()?;
    let name = inv.basename()?;
    if SERVERS.contains(&name) || name.starts_with("php-fpm") {
        return Some(name.to_string());
    }
    let ops = inv.positional_args(&["-m", "-c", "-cp", "-classpath"]);
    let op = |k: usize| ops.get(k).and_then(|w| w.value.as_deref());
    match name {
        "java" if inv.has_flag(&["-jar"]) => Some("java -jar".to_string()),
        "rails" if matches!(op(0), Some("server" | "s")) => Some("rails server".to_string()),
        "flask" if op(0) == Some("run") => Some("flask run".to_string()),
        n if n.starts_with("python")
            && op(0).is_some_and(|s| s.ends_with("manage.py"))
            && op(1) == Some("runserver") =>
        {
            Some("manage.py runserver".to_string())
        }
        n if n.starts_with("python")
            && inv
                .flag_value(&["-m"])
                .and_then(|f| f.value)
                .is_some_and(|m| {
                    matches!(m.as_str(), "gunicorn" | "uvicorn" | "hypercorn" | "flask")
                }) =>
        {
            Some(format!("python -m {}", inv.flag_value(&["-m"])?.value?))
        }
        "node" | "nodejs" => {
            let script = op(0)?;
            let base = script
                .rsplit('/')
                .next()
                .unwrap_or(script)
                .to_ascii_lowercase();
            (base.contains("server") || base.contains("app")).then(|| format!("node {script}"))
        }
        _ => None,
    }
}

impl Rule for ServiceWithoutHealthcheck {
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(stage) = cx.model.final_stage() else {
            return;
        };
        let last = stage.instructions.end.saturating_sub(1);
        let mut lineage = cx.model.lineage_before(last);
        lineage.push(last);
        let instructions = &cx.dockerfile.instructions;
        let of = |k: Keyword| -> Vec<usize> {
            lineage
                .iter()
                .copied()
                .filter(|&i| instructions[i].keyword == k)
                .collect()
        };
        if !of(Keyword::Healthcheck).is_empty() {
            return;
        }
        let main = MainProcess::of(cx);
        let serving = main.scripts(cx).into_iter().find_map(|(_, s)| {
            s.commands
                .iter()
                .filter(|c| !c.nesting.substitution)
                .find_map(|c| server(c).map(|name| (c.span, name)))
        });
        let (span, why) = if let Some((span, name)) = serving {
            (span, format!("it runs `{name}`"))
        } else if let Some(e) = of(Keyword::Expose).into_iter().min() {
            let ins = &cx.dockerfile.instructions[e];
            (ins.span, "it exposes a port".to_string())
        } else {
            let Some((image, s)) = root_image(cx, stage.index) else {
                return;
            };
            let Some(name) = official_name(image).filter(|n| SERVER_IMAGES.contains(n)) else {
                return;
            };
            if main.entrypoint.is_some() || main.cmd.is_some() {
                return;
            }
            (
                cx.model.stages[s].base_span,
                format!("it runs the `{name}` server of its base image"),
            )
        };
        cx.report(
            span,
            format!(
                "The image serves something ({why}) but has no HEALTHCHECK: add one, or \
                 `HEALTHCHECK NONE` if the orchestrator probes it"
            ),
        );
    }
}
