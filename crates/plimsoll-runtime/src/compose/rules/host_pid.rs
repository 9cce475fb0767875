use super::{ServiceChecker, ServiceRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a service that shares a namespace with the host: `pid:
    /// host`, `ipc: host`, `uts: host` or `userns_mode: host`.
    ///
    /// ## Why is this bad?
    /// With the host's PID namespace the container sees every process of
    /// the host, can read their environment and command lines (secrets
    /// included) and, as root, signal or trace them. The host's IPC
    /// namespace exposes its shared memory; its UTS namespace lets it
    /// rename the host; `userns_mode: host` turns off user-namespace
    /// remapping, so root in the container is root outside.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   agent:
    ///     image: example/agent:5.2
    ///     pid: host
    /// ```
    ///
    /// Use instead: give the service what it monitors some other way (an
    /// API, a shared volume), or keep it off hosts that run anything else.
    pub struct ComposeHostPid {
        code: "PL4011",
        name: "compose_host_namespace",
        aliases: [],
        severity: Warning,
        summary: "Service shares the host's PID, IPC, UTS or user namespace",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl ServiceRule for ComposeHostPid {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        let name = cx.name().to_string();
        for (key, what) in [
            (
                "pid",
                "process (PID) namespace: it sees and can signal every process of the host",
            ),
            ("ipc", "IPC namespace: it can read the host's shared memory"),
            ("uts", "UTS namespace: it can change the host's name"),
            (
                "userns_mode",
                "user namespace: root in it is root on the host",
            ),
        ] {
            let Some(node) = cx.get(key) else { continue };
            if cx.resolve(node).is_some_and(|v| v.trim() == "host") {
                cx.report(node, format!("service `{name}` shares the host's {what}"));
            }
        }
    }
}
