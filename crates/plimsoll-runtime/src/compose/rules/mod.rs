//! The compose rules (PL40xx), one file each; each checks one service of a
//! merged project.

use super::{Project, Service};
use crate::common::Reports;
use crate::yaml::{FileId, Node};
use plimsoll_diagnostics::{Finding, RuleInfo, Span};
use plimsoll_rules::Described;

mod cap_add_dangerous;
mod docker_socket_mounted;
mod gunicorn_worker_tmp_dir;
mod host_network;
mod host_pid;
mod image_not_digest;
mod image_untagged;
mod literal_secret;
mod logs_to_file;
mod missing_healthcheck;
mod missing_init;
mod missing_resource_limits;
mod privileged;
mod root_filesystem_writable;
mod runs_as_root;

/// A check of one compose service.
pub trait ServiceRule: Described + Sync + Send {
    fn check(&self, cx: &mut ServiceChecker<'_>);
}

/// Every compose rule, in code order.
pub static RULES: &[&dyn ServiceRule] = &[
    &image_untagged::ComposeImageUntagged,
    &image_not_digest::ComposeImageNotDigest,
    &missing_resource_limits::ComposeMissingResourceLimits,
    &root_filesystem_writable::ComposeRootFilesystemWritable,
    &runs_as_root::ComposeRunsAsRoot,
    &missing_healthcheck::ComposeMissingHealthcheck,
    &missing_init::ComposeMissingInit,
    &privileged::ComposePrivileged,
    &cap_add_dangerous::ComposeCapAddDangerous,
    &host_network::ComposeHostNetwork,
    &host_pid::ComposeHostPid,
    &docker_socket_mounted::ComposeDockerSocketMounted,
    &literal_secret::ComposeLiteralSecret,
    &logs_to_file::ComposeLogsToFile,
    &gunicorn_worker_tmp_dir::ComposeGunicornWorkerTmpDir,
];

/// What a compose rule sees: the project, one service, and where to put
/// findings.
pub struct ServiceChecker<'a> {
    pub project: &'a Project,
    pub service: &'a Service,
    pub(crate) reports: Reports,
}

impl<'a> ServiceChecker<'a> {
    pub(crate) fn new(project: &'a Project, service: &'a Service, rule: &'static RuleInfo) -> Self {
        ServiceChecker {
            project,
            service,
            reports: Reports::new(rule),
        }
    }

    /// The service's value for `key`.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.service.node.get(key)
    }

    /// The value at a path of keys (`["deploy", "resources", "limits"]`).
    pub fn at(&self, path: &[&str]) -> Option<&'a Node> {
        self.service.node.at(path)
    }

    /// A scalar, variables interpolated; `None` when absent or unknown.
    pub fn resolve(&self, node: &Node) -> Option<String> {
        self.project.resolve(node)
    }

    /// A boolean written as `true`/`false` (or a variable that resolves to
    /// one, as Compose accepts).
    pub fn bool(&self, node: &Node) -> Option<bool> {
        node.as_bool().or_else(|| {
            let v = self.resolve(node)?;
            match v.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" | "1" => Some(true),
                "false" | "no" | "off" | "0" => Some(false),
                _ => None,
            }
        })
    }

    /// Report at a node (where it was written).
    pub fn report(&mut self, node: &Node, message: impl Into<String>) -> &mut Finding {
        self.report_at(node.file, node.span, message)
    }

    /// Report at the service's name: for something the service lacks.
    pub fn report_service(&mut self, message: impl Into<String>) -> &mut Finding {
        let key = &self.service.key;
        self.report_at(key.file, key.span, message)
    }

    pub fn report_at(
        &mut self,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.reports
            .report_at(&self.project.sources, file, span, message)
    }

    /// The image as written (interpolated), when the service has one.
    pub fn image(&self) -> Option<String> {
        self.get("image").and_then(|n| self.resolve(n))
    }

    /// The service's name, for messages.
    pub fn name(&self) -> &str {
        &self.service.name
    }
}
