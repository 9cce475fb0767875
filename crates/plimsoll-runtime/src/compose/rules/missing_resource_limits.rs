use super::{ServiceChecker, ServiceRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a service without a memory limit or without a CPU limit.
    ///
    /// A memory limit is `deploy.resources.limits.memory` or `mem_limit`; a
    /// CPU limit is `deploy.resources.limits.cpus`, `cpus` or `cpu_quota`
    /// (`cpu_count`/`cpu_percent` on Windows). `cpu_shares` is a weight, not
    /// a limit. A limit of `0` means none. A value given by a variable
    /// counts as set. One finding per service names what is missing; it
    /// points at the service's name.
    ///
    /// ## Why is this bad?
    /// Without limits one container can take all of the host's memory (and
    /// the kernel's OOM killer then picks a victim, maybe another service)
    /// or all of its CPU. Limits make a leak or a runaway loop the problem
    /// of the service that has it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.4
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.4
    ///     deploy:
    ///       resources:
    ///         limits:
    ///           memory: 512M
    ///           cpus: "1.0"
    /// ```
    pub struct ComposeMissingResourceLimits {
        code: "PL4003",
        name: "compose_missing_resource_limits",
        aliases: [],
        severity: Warning,
        summary: "Service without memory or CPU limits",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl ServiceRule for ComposeMissingResourceLimits {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        let set = |cx: &ServiceChecker<'_>, paths: &[&[&str]]| {
            paths.iter().any(|p| {
                cx.at(p).is_some_and(|n| {
                    let Some(text) = n.as_str() else { return false };
                    let v = cx.resolve(n).unwrap_or_else(|| text.to_string());
                    !matches!(v.trim(), "" | "0" | "0.0")
                })
            })
        };
        let memory = set(
            cx,
            &[&["deploy", "resources", "limits", "memory"], &["mem_limit"]],
        );
        let cpu = set(
            cx,
            &[
                &["deploy", "resources", "limits", "cpus"],
                &["cpus"],
                &["cpu_quota"],
                &["cpu_count"],
                &["cpu_percent"],
            ],
        );
        let missing = match (memory, cpu) {
            (true, true) => return,
            (false, false) => "memory or CPU limit",
            (false, true) => "memory limit",
            (true, false) => "CPU limit",
        };
        let name = cx.name().to_string();
        cx.report_service(format!(
            "service `{name}` has no {missing}; set `deploy.resources.limits`"
        ));
    }
}
