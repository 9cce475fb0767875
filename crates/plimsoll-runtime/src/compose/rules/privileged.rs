use super::{ServiceChecker, ServiceRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports `privileged: true` on a service.
    ///
    /// ## Why is this bad?
    /// A privileged container has every capability, sees every device of
    /// the host and runs without the seccomp and AppArmor/SELinux profiles
    /// that confine containers: root in it is root on the host, one
    /// `mount` away. Grant the one capability or device the service needs
    /// instead (`cap_add: [NET_ADMIN]`, `devices: [/dev/fuse]`).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: example/vpn:2.1
    ///     privileged: true
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   vpn:
    ///     image: example/vpn:2.1
    ///     cap_add: [NET_ADMIN]
    ///     devices: [/dev/net/tun]
    /// ```
    pub struct ComposePrivileged {
        code: "PL4008",
        name: "compose_privileged",
        aliases: [],
        severity: Error,
        summary: "Service runs privileged",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl ServiceRule for ComposePrivileged {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        let Some(node) = cx.get("privileged") else {
            return;
        };
        if cx.bool(node) == Some(true) {
            let name = cx.name().to_string();
            cx.report(
                node,
                format!("service `{name}` runs privileged: root in it is root on the host; add only the capabilities it needs"),
            );
        }
    }
}
