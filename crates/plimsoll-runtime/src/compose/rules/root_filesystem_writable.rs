use super::{ServiceChecker, ServiceRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a service whose root filesystem is writable: no `read_only:
    /// true`. The finding points at `read_only: false` when it is written,
    /// else at the service's name.
    ///
    /// ## Why is this bad?
    /// A container that can write anywhere in its filesystem can be changed
    /// by whoever gets code execution in it: dropped binaries, altered
    /// scripts, a web shell. A read-only root filesystem stops that and
    /// makes clear what state the service keeps. Give it memory-backed
    /// scratch space where it needs some (`tmpfs: [/tmp]`) and volumes for
    /// data it keeps.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   web:
    ///     image: nginx:1.27
    ///     read_only: true
    ///     tmpfs:
    ///       - /tmp
    ///       - /var/cache/nginx
    ///       - /var/run
    /// ```
    pub struct ComposeRootFilesystemWritable {
        code: "PL4004",
        name: "compose_root_filesystem_writable",
        aliases: [],
        severity: Info,
        summary: "Service without `read_only: true`",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl ServiceRule for ComposeRootFilesystemWritable {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        let name = cx.name().to_string();
        match cx.get("read_only") {
            Some(node) => {
                if cx.bool(node) == Some(false) {
                    cx.report(
                        node,
                        format!("service `{name}` has a writable root filesystem; set `read_only: true` and `tmpfs` for scratch space"),
                    );
                }
            }
            None => {
                cx.report_service(format!(
                    "service `{name}` has a writable root filesystem; set `read_only: true` (with `tmpfs` for scratch space)"
                ));
            }
        }
    }
}
