use super::{ServiceChecker, ServiceRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports capabilities in `cap_add` that amount to (nearly) full
    /// control of the host: `ALL`, `SYS_ADMIN` (mount, namespaces, BPF, and
    /// much more) and `SYS_MODULE` (load kernel modules). Names are matched
    /// in any case, with or without `CAP_`.
    ///
    /// ## Why is this bad?
    /// These capabilities undo what isolates a container: with
    /// `SYS_ADMIN` a root process can mount the host's filesystems, with
    /// `SYS_MODULE` it can load code into the kernel. Add the narrow
    /// capability the service needs (`NET_ADMIN`, `NET_BIND_SERVICE`, …),
    /// and drop the rest (`cap_drop: [ALL]`).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:3.0
    ///     cap_add: [ALL]
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   app:
    ///     image: example/app:3.0
    ///     cap_drop: [ALL]
    ///     cap_add: [NET_BIND_SERVICE]
    /// ```
    pub struct ComposeCapAddDangerous {
        code: "PL4009",
        name: "compose_cap_add_dangerous",
        aliases: [],
        severity: Error,
        summary: "Service adds the capability ALL, SYS_ADMIN or SYS_MODULE",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl ServiceRule for ComposeCapAddDangerous {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        let Some(items) = cx.get("cap_add").and_then(|n| n.as_seq()) else {
            return;
        };
        let name = cx.name().to_string();
        for item in items {
            let Some(cap) = cx.resolve(item) else {
                continue;
            };
            let upper = cap.trim().to_ascii_uppercase();
            let bare = upper.strip_prefix("CAP_").unwrap_or(&upper);
            let why = match bare {
                "ALL" => "every capability: root in it is root on the host",
                "SYS_ADMIN" => "`SYS_ADMIN`, which lets root mount host filesystems and escape",
                "SYS_MODULE" => "`SYS_MODULE`, which lets root load kernel modules",
                _ => continue,
            };
            cx.report(
                item,
                format!("service `{name}` adds {why}; add only the narrow capability it needs"),
            );
        }
    }
}
