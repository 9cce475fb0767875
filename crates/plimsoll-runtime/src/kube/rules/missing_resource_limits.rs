use super::{PodChecker, PodRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a container (init containers included) without
    /// `resources.limits.memory` or `resources.limits.cpu`. Requests are
    /// not limits. A namespace's `LimitRange` can supply defaults that
    /// plimsoll does not see; set the limits in the manifest to make them
    /// part of the review.
    ///
    /// ## Why is this bad?
    /// A container without a memory limit can take the node's memory until
    /// the kernel kills something, maybe another team's pod; without a CPU
    /// limit one busy loop slows every pod on the node. Limits also decide
    /// a pod's QoS class and which pods are evicted first.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: api
    ///     image: example/api:1.4
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// containers:
    ///   - name: api
    ///     image: example/api:1.4
    ///     resources:
    ///       requests: {memory: 256Mi, cpu: 250m}
    ///       limits: {memory: 512Mi, cpu: "1"}
    /// ```
    pub struct KubeMissingResourceLimits {
        code: "PL5001",
        name: "k8s_missing_resource_limits",
        aliases: [],
        severity: Warning,
        summary: "Container without memory or CPU limits",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl PodRule for KubeMissingResourceLimits {
    fn check(&self, cx: &mut PodChecker<'_>) {
        for c in cx.containers() {
            let has = |key: &str| {
                c.node
                    .at(&["resources", "limits", key])
                    .is_some_and(|n| !n.is_null())
            };
            let missing = match (has("memory"), has("cpu")) {
                (true, true) => continue,
                (false, false) => "memory or CPU limit",
                (false, true) => "memory limit",
                (true, false) => "CPU limit",
            };
            let who = cx.describe(c);
            cx.report_container(c, format!("{who} has no {missing}; set `resources.limits`"));
        }
    }
}
