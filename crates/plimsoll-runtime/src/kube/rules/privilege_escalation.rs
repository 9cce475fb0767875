use super::{PodChecker, PodRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a container (init containers included) without
    /// `securityContext.allowPrivilegeEscalation: false`. Kubernetes'
    /// default is to allow it. It points at the value when it is `true`,
    /// else at the container's name.
    ///
    /// ## Why is this bad?
    /// With privilege escalation allowed (the kernel's `no_new_privs` flag
    /// unset), a process can gain privileges through setuid binaries or
    /// file capabilities in the image, such as `su`, `sudo`, `ping` or
    /// `mount`: a foothold as an unprivileged user becomes root.
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
    ///     securityContext:
    ///       allowPrivilegeEscalation: false
    /// ```
    pub struct KubePrivilegeEscalation {
        code: "PL5004",
        name: "k8s_privilege_escalation",
        aliases: [],
        severity: Warning,
        summary: "Container without `allowPrivilegeEscalation: false`",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl PodRule for KubePrivilegeEscalation {
    fn check(&self, cx: &mut PodChecker<'_>) {
        for c in cx.containers() {
            let who = cx.describe(c);
            match c.node.at(&["securityContext", "allowPrivilegeEscalation"]) {
                Some(n) if n.as_bool() == Some(false) => {}
                Some(n) if n.as_bool() == Some(true) => {
                    cx.report(n, format!("{who} allows privilege escalation; set `allowPrivilegeEscalation: false`"));
                }
                _ => {
                    cx.report_container(c, format!("{who} allows privilege escalation (the default); set `securityContext.allowPrivilegeEscalation: false`"));
                }
            }
        }
    }
}
