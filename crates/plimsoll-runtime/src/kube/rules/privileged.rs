use super::{PodChecker, PodRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports `securityContext.privileged: true` on a container (init
    /// containers included).
    ///
    /// ## Why is this bad?
    /// A privileged container has every capability and every device of
    /// the node and runs unconfined: root in it is root on the node. Grant
    /// the capability it needs (`capabilities.add`) instead.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: agent
    ///     image: example/agent:5.2
    ///     securityContext:
    ///       privileged: true
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// containers:
    ///   - name: agent
    ///     image: example/agent:5.2
    ///     securityContext:
    ///       capabilities:
    ///         drop: [ALL]
    ///         add: [NET_ADMIN]
    /// ```
    pub struct KubePrivileged {
        code: "PL5005",
        name: "k8s_privileged",
        aliases: [],
        severity: Error,
        summary: "Container runs privileged",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl PodRule for KubePrivileged {
    fn check(&self, cx: &mut PodChecker<'_>) {
        for c in cx.containers() {
            if let Some(n) = c.node.at(&["securityContext", "privileged"])
                && n.as_bool() == Some(true)
            {
                let who = cx.describe(c);
                cx.report(
                    n,
                    format!("{who} runs privileged: root in it is root on the node"),
                );
            }
        }
    }
}
