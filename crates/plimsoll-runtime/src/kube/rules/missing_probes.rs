use super::{PodChecker, PodRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a container without a `livenessProbe` or without a
    /// `readinessProbe`. Init containers (which cannot have probes) and the
    /// pods of Jobs and CronJobs (which run to completion) are not checked.
    /// A `startupProbe` does not replace either.
    ///
    /// ## Why is this bad?
    /// Without a readiness probe a pod receives traffic as soon as its
    /// process starts, before it can serve, and keeps receiving it when it
    /// cannot. Without a liveness probe a deadlocked process is never
    /// restarted.
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
    ///     readinessProbe:
    ///       httpGet: {path: /ready, port: 8080}
    ///     livenessProbe:
    ///       httpGet: {path: /health, port: 8080}
    /// ```
    pub struct KubeMissingProbes {
        code: "PL5010",
        name: "k8s_missing_probes",
        aliases: [],
        severity: Info,
        summary: "Container without a liveness or readiness probe",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl PodRule for KubeMissingProbes {
    fn check(&self, cx: &mut PodChecker<'_>) {
        if cx.workload.runs_to_completion() {
            return;
        }
        for c in cx.containers().iter().filter(|c| !c.init) {
            let has = |k: &str| c.node.get(k).is_some_and(|n| !n.is_null());
            let missing = match (has("livenessProbe"), has("readinessProbe")) {
                (true, true) => continue,
                (false, false) => "liveness or readiness probe",
                (false, true) => "liveness probe",
                (true, false) => "readiness probe",
            };
            let who = cx.describe(c);
            cx.report_container(c, format!("{who} has no {missing}"));
        }
    }
}
