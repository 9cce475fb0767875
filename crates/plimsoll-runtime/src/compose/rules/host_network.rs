use super::{ServiceChecker, ServiceRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports `network_mode: host` on a service.
    ///
    /// ## Why is this bad?
    /// The container shares the host's network stack: it can bind any port
    /// of the host, reach services listening on `localhost` there (often
    /// without authentication: databases, the Docker API on TCP, cloud
    /// metadata proxies), and sniff traffic with `NET_RAW`. Published ports
    /// and Compose's networks isolate services and still let them talk.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     network_mode: host
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     ports: ["8080:80"]
    /// ```
    pub struct ComposeHostNetwork {
        code: "PL4010",
        name: "compose_host_network",
        aliases: [],
        severity: Warning,
        summary: "Service uses the host's network (`network_mode: host`)",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl ServiceRule for ComposeHostNetwork {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        let Some(node) = cx.get("network_mode") else {
            return;
        };
        if cx.resolve(node).is_some_and(|v| v.trim() == "host") {
            let name = cx.name().to_string();
            cx.report(
                node,
                format!("service `{name}` shares the host's network stack; publish ports instead"),
            );
        }
    }
}
