use super::{PodChecker, PodRule};
use crate::yaml::Node;
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a container (init containers included) that does not drop
    /// all capabilities: `securityContext.capabilities.drop` without `ALL`.
    /// Capabilities it needs go back in with `add`. It also reports
    /// `capabilities.add` holding `ALL`, `SYS_ADMIN` or `SYS_MODULE`.
    ///
    /// ## Why is this bad?
    /// Container runtimes grant a default set of capabilities (`CHOWN`,
    /// `DAC_OVERRIDE`, `FOWNER`, `NET_RAW`, `SETUID`, `SETGID`, …) that few
    /// programs need and attackers use: `NET_RAW` for spoofing on the pod
    /// network, `SETUID` to switch users. `ALL`, `SYS_ADMIN` and
    /// `SYS_MODULE` amount to control of the node.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// containers:
    ///   - name: web
    ///     image: nginx:1.27
    ///     securityContext:
    ///       capabilities:
    ///         drop: [ALL]
    ///         add: [NET_BIND_SERVICE]
    /// ```
    pub struct KubeCapabilitiesNotDropped {
        code: "PL5006",
        name: "k8s_capabilities_not_dropped",
        aliases: [],
        severity: Warning,
        summary: "Container does not drop all capabilities, or adds dangerous ones",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

fn cap_name(n: &Node) -> Option<String> {
    let upper = n.as_str()?.trim().to_ascii_uppercase();
    Some(upper.strip_prefix("CAP_").unwrap_or(&upper).to_string())
}

impl PodRule for KubeCapabilitiesNotDropped {
    fn check(&self, cx: &mut PodChecker<'_>) {
        for c in cx.containers() {
            let who = cx.describe(c);
            let drops_all = c
                .node
                .at(&["securityContext", "capabilities", "drop"])
                .and_then(Node::as_seq)
                .is_some_and(|items| items.iter().any(|i| cap_name(i).as_deref() == Some("ALL")));
            if !drops_all {
                cx.report_container(
                    c,
                    format!("{who} keeps the runtime's default capabilities; set `securityContext.capabilities.drop: [ALL]`"),
                );
            }
            if let Some(added) = c
                .node
                .at(&["securityContext", "capabilities", "add"])
                .and_then(Node::as_seq)
            {
                for item in added {
                    if let Some(cap) = cap_name(item)
                        && matches!(cap.as_str(), "ALL" | "SYS_ADMIN" | "SYS_MODULE")
                    {
                        cx.report(
                            item,
                            format!("{who} adds `{cap}`, which amounts to control of the node"),
                        );
                    }
                }
            }
        }
    }
}
