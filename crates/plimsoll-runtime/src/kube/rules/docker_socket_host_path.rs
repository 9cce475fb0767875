use super::{PodChecker, PodRule};
use crate::common::is_runtime_socket;
use crate::yaml::Node;
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a pod volume that mounts a container runtime's socket from
    /// the node (`hostPath.path` of `/var/run/docker.sock`,
    /// `/run/containerd/containerd.sock`, CRI-O's or Podman's).
    ///
    /// ## Why is this bad?
    /// The runtime's API can start a privileged container with the node's
    /// root filesystem mounted: whoever controls the pod controls the node
    /// and every pod on it. Build images with a daemonless builder
    /// (BuildKit rootless, kaniko) instead of the node's Docker.
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: docker
    ///     hostPath:
    ///       path: /var/run/docker.sock
    /// ```
    ///
    /// Use instead: a rootless BuildKit sidecar, or kaniko, for builds; the
    /// Kubernetes API (with narrow RBAC) for inspecting pods.
    pub struct KubeDockerSocketHostPath {
        code: "PL5008",
        name: "k8s_docker_socket_host_path",
        aliases: [],
        severity: Error,
        summary: "Pod mounts a container runtime's socket from the node",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl PodRule for KubeDockerSocketHostPath {
    fn check(&self, cx: &mut PodChecker<'_>) {
        let Some(volumes) = cx.workload.pod.get("volumes").and_then(Node::as_seq) else {
            return;
        };
        let what = cx.workload.describe();
        for v in volumes {
            let Some(path) = v.at(&["hostPath", "path"]) else {
                continue;
            };
            let Some(p) = path.as_str() else { continue };
            if is_runtime_socket(p) {
                cx.report(path, format!("{what} mounts `{p}` from the node: control of the container runtime is root on the node"));
            }
        }
    }
}
