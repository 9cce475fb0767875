use super::{PodChecker, PodRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a container (init containers included) without
    /// `securityContext.readOnlyRootFilesystem: true`. It points at the
    /// value when it is `false`, else at the container's name.
    ///
    /// ## Why is this bad?
    /// A writable root filesystem lets whoever gets code execution in the
    /// container drop tools, change scripts and persist until the pod is
    /// replaced. Read-only, the image is what runs. Mount an `emptyDir` for
    /// the scratch space the program needs (`/tmp`, caches), and volumes
    /// for data it keeps.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: web
    ///     image: nginx:1.27
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// containers:
    ///   - name: web
    ///     image: nginx:1.27
    ///     securityContext:
    ///       readOnlyRootFilesystem: true
    ///     volumeMounts:
    ///       - {name: tmp, mountPath: /tmp}
    /// volumes:
    ///   - name: tmp
    ///     emptyDir: {medium: Memory}
    /// ```
    pub struct KubeRootFilesystemWritable {
        code: "PL5003",
        name: "k8s_root_filesystem_writable",
        aliases: [],
        severity: Info,
        summary: "Container without `readOnlyRootFilesystem: true`",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl PodRule for KubeRootFilesystemWritable {
    fn check(&self, cx: &mut PodChecker<'_>) {
        for c in cx.containers() {
            let who = cx.describe(c);
            match c.node.at(&["securityContext", "readOnlyRootFilesystem"]) {
                Some(n) if n.as_bool() == Some(true) => {}
                Some(n) if n.as_bool() == Some(false) => {
                    cx.report(n, format!("{who} has a writable root filesystem; set `readOnlyRootFilesystem: true` and mount an `emptyDir` for scratch space"));
                }
                _ => {
                    cx.report_container(c, format!("{who} has a writable root filesystem; set `securityContext.readOnlyRootFilesystem: true` (with an `emptyDir` for scratch space)"));
                }
            }
        }
    }
}
