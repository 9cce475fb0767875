use super::{ServiceChecker, ServiceRule};
use crate::common::is_runtime_socket;
use crate::yaml::Value;
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a service that mounts the Docker socket
    /// (`/var/run/docker.sock`, also `/run/docker.sock`), or Podman's,
    /// containerd's or CRI-O's, in `volumes:`, in the short form
    /// (`/var/run/docker.sock:/var/run/docker.sock:ro`) or the long one
    /// (`type: bind`, `source: /var/run/docker.sock`). Variables in the
    /// source are resolved. Read-only (`:ro`) does not help: it protects
    /// the socket file, not the API behind it.
    ///
    /// ## Why is this bad?
    /// Whoever can talk to the Docker API can start a privileged container
    /// that mounts the host's root filesystem: the socket is root on the
    /// host. A compromised service with it is a compromised host. Where a
    /// tool needs it (CI runners, Traefik, Portainer), use a socket proxy
    /// that allows only the calls it makes, or rootless Docker.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   proxy:
    ///     image: traefik:v3.1
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock:ro
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   socket-proxy:
    ///     image: tecnativa/docker-socket-proxy:0.2
    ///     environment: {CONTAINERS: 1}
    ///     volumes:
    ///       - /var/run/docker.sock:/var/run/docker.sock:ro
    ///   proxy:
    ///     image: traefik:v3.1
    ///     command: --providers.docker.endpoint=tcp://socket-proxy:2375
    /// ```
    /// (the proxy itself still holds the socket: keep it small, read-only
    /// and off every network but the one it serves, and silence this
    /// finding there with a pragma).
    pub struct ComposeDockerSocketMounted {
        code: "PL4012",
        name: "compose_docker_socket_mounted",
        aliases: [],
        severity: Error,
        summary: "Service mounts the Docker (or another container runtime's) socket",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl ServiceRule for ComposeDockerSocketMounted {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        let Some(items) = cx.get("volumes").and_then(|n| n.as_seq()) else {
            return;
        };
        let name = cx.name().to_string();
        for item in items {
            let source = match &item.value {
                Value::Scalar(_) => cx
                    .resolve(item)
                    .and_then(|v| v.split(':').next().map(str::to_string)),
                Value::Map(_) => item.get("source").and_then(|s| cx.resolve(s)),
                _ => None,
            };
            let Some(source) = source else { continue };
            if is_runtime_socket(&source) {
                cx.report(
                    item,
                    format!("service `{name}` mounts `{source}`: control of the container runtime is root on the host"),
                );
            }
        }
    }
}
