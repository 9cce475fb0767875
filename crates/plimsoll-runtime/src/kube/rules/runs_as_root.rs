use super::{PodChecker, PodRule};
use crate::yaml::Node;
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a container that may run as root: neither
    /// `securityContext.runAsNonRoot: true` nor a `runAsUser` other than 0,
    /// at the container's or the pod's level (the container's value wins),
    /// or `runAsUser: 0` written out. Init containers are checked too.
    ///
    /// ## Why is this bad?
    /// Without it the container runs as whatever user its image says, often
    /// root, and root in a container is root on the node's kernel: a
    /// container escape or a writable host mount is then a node compromise.
    /// `runAsNonRoot: true` makes the kubelet refuse to start a container
    /// whose image would run as root.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: api
    ///       image: example/api:1.4
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// spec:
    ///   securityContext:
    ///     runAsNonRoot: true
    ///     runAsUser: 10001
    ///   containers:
    ///     - name: api
    ///       image: example/api:1.4
    /// ```
    pub struct KubeRunsAsRoot {
        code: "PL5002",
        name: "k8s_runs_as_root",
        aliases: [],
        severity: Warning,
        summary: "Container may run as root (no `runAsNonRoot: true` or non-zero `runAsUser`)",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

fn uid(node: &Node) -> Option<i64> {
    node.as_str()?.trim().parse().ok()
}

impl PodRule for KubeRunsAsRoot {
    fn check(&self, cx: &mut PodChecker<'_>) {
        for c in cx.containers() {
            let user = cx.security(c, "runAsUser");
            let who = cx.describe(c);
            if let Some(u) = user
                && uid(u) == Some(0)
            {
                cx.report(u, format!("{who} runs as root (`runAsUser: 0`)"));
                continue;
            }
            let non_root = cx
                .security(c, "runAsNonRoot")
                .and_then(Node::as_bool)
                .unwrap_or(false);
            let non_zero = user.and_then(uid).is_some_and(|u| u != 0);
            if non_root || non_zero {
                continue;
            }
            cx.report_container(
                c,
                format!("{who} may run as root; set `securityContext.runAsNonRoot: true` (and a `runAsUser`)"),
            );
        }
    }
}
