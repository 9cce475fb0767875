//! The Kubernetes rules (PL50xx), one file each; each checks one workload's
//! pod template.

use super::{Container, Manifest, Workload};
use crate::common::Reports;
use crate::yaml::{FileId, Node};
use plimsoll_diagnostics::{Finding, RuleInfo, Span};
use plimsoll_rules::Described;

mod capabilities_not_dropped;
mod docker_socket_host_path;
mod host_namespaces;
mod image_untagged;
mod literal_secret;
mod missing_probes;
mod missing_resource_limits;
mod privilege_escalation;
mod privileged;
mod root_filesystem_writable;
mod runs_as_root;

/// A check of one workload.
pub trait PodRule: Described + Sync + Send {
    fn check(&self, cx: &mut PodChecker<'_>);
}

/// Every Kubernetes rule, in code order.
pub static RULES: &[&dyn PodRule] = &[
    &missing_resource_limits::KubeMissingResourceLimits,
    &runs_as_root::KubeRunsAsRoot,
    &root_filesystem_writable::KubeRootFilesystemWritable,
    &privilege_escalation::KubePrivilegeEscalation,
    &privileged::KubePrivileged,
    &capabilities_not_dropped::KubeCapabilitiesNotDropped,
    &host_namespaces::KubeHostNamespaces,
    &docker_socket_host_path::KubeDockerSocketHostPath,
    &image_untagged::KubeImageUntagged,
    &missing_probes::KubeMissingProbes,
    &literal_secret::KubeLiteralSecret,
];

/// What a Kubernetes rule sees.
pub struct PodChecker<'a> {
    pub manifest: &'a Manifest,
    pub workload: &'a Workload,
    pub(crate) reports: Reports,
}

impl<'a> PodChecker<'a> {
    pub(crate) fn new(
        manifest: &'a Manifest,
        workload: &'a Workload,
        rule: &'static RuleInfo,
    ) -> Self {
        PodChecker {
            manifest,
            workload,
            reports: Reports::new(rule),
        }
    }

    pub fn containers(&self) -> &'a [Container] {
        &self.workload.containers
    }

    /// `securityContext.<key>` of the container, else of the pod (for the
    /// keys both levels have, the container's wins).
    pub fn security(&self, c: &'a Container, key: &str) -> Option<&'a Node> {
        c.node
            .at(&["securityContext", key])
            .or_else(|| self.workload.pod.at(&["securityContext", key]))
    }

    pub fn report(&mut self, node: &Node, message: impl Into<String>) -> &mut Finding {
        self.report_at(node.file, node.span, message)
    }

    /// Report about what a container lacks: at its `name`.
    pub fn report_container(&mut self, c: &Container, message: impl Into<String>) -> &mut Finding {
        let at = c.node.get("name").unwrap_or(&c.node);
        self.report_at(at.file, at.span, message)
    }

    pub fn report_at(
        &mut self,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.reports
            .report_at(&self.manifest.sources, file, span, message)
    }

    /// `container `web` of Deployment `api``, for messages.
    pub fn describe(&self, c: &Container) -> String {
        let kind = if c.init {
            "init container"
        } else {
            "container"
        };
        format!("{kind} `{}` of {}", c.name, self.workload.describe())
    }
}
