use super::{PodChecker, PodRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a pod that shares a namespace with its node: `hostPID:
    /// true`, `hostNetwork: true` or `hostIPC: true`.
    ///
    /// ## Why is this bad?
    /// With the node's PID namespace the pod sees every process on the node
    /// (their command lines and environments, secrets included) and, as
    /// root, can signal or trace them. With the node's network it can bind
    /// the node's ports, reach services listening on the node's loopback
    /// (the kubelet's read-only port, local databases) and bypass network
    /// policies. With the node's IPC namespace it reads the node's shared
    /// memory.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   hostNetwork: true
    ///   containers:
    ///     - name: web
    ///       image: nginx:1.27
    /// ```
    ///
    /// Use instead: a `Service` (and `hostPort` only where a node-level agent
    /// truly needs one).
    pub struct KubeHostNamespaces {
        code: "PL5007",
        name: "k8s_host_namespaces",
        aliases: [],
        severity: Warning,
        summary: "Pod shares the node's PID, network or IPC namespace",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl PodRule for KubeHostNamespaces {
    fn check(&self, cx: &mut PodChecker<'_>) {
        let what = cx.workload.describe();
        for (key, why) in [
            (
                "hostPID",
                "process namespace: it sees and can signal every process on the node",
            ),
            (
                "hostNetwork",
                "network: it can bind the node's ports and reach its loopback services",
            ),
            (
                "hostIPC",
                "IPC namespace: it can read the node's shared memory",
            ),
        ] {
            if let Some(n) = cx.workload.pod.get(key)
                && n.as_bool() == Some(true)
            {
                cx.report(n, format!("{what} shares the node's {why}"));
            }
        }
    }
}
