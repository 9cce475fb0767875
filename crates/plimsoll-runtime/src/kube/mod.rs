//! Kubernetes manifests: the workloads in a YAML stream (recognised by
//! `apiVersion` and `kind`, `kind: List` items included) and their pod
//! templates' containers.

pub mod rules;

use crate::source::{LoadError, Sources};
use crate::yaml::{Node, Stream, Value};
use std::path::Path;

/// Kinds whose pod template plimsoll checks, and where it is.
pub const WORKLOAD_KINDS: &[(&str, &[&str])] = &[
    ("Pod", &["spec"]),
    ("Deployment", &["spec", "template", "spec"]),
    ("StatefulSet", &["spec", "template", "spec"]),
    ("DaemonSet", &["spec", "template", "spec"]),
    ("ReplicaSet", &["spec", "template", "spec"]),
    ("ReplicationController", &["spec", "template", "spec"]),
    ("Job", &["spec", "template", "spec"]),
    (
        "CronJob",
        &["spec", "jobTemplate", "spec", "template", "spec"],
    ),
];

/// One workload found in a manifest.
#[derive(Debug, Clone)]
pub struct Workload {
    pub kind: String,
    /// `metadata.name`, when written.
    pub name: Option<String>,
    /// The whole object.
    pub object: Node,
    /// Its pod spec.
    pub pod: Node,
    pub containers: Vec<Container>,
}

#[derive(Debug, Clone)]
pub struct Container {
    pub node: Node,
    pub name: String,
    /// An init container (no probes; runs to completion).
    pub init: bool,
}

impl Workload {
    /// Whether its pods run to completion (Job, CronJob).
    pub fn runs_to_completion(&self) -> bool {
        matches!(self.kind.as_str(), "Job" | "CronJob")
    }

    /// `Deployment web`, for messages.
    pub fn describe(&self) -> String {
        match &self.name {
            Some(n) => format!("{} `{n}`", self.kind),
            None => self.kind.clone(),
        }
    }
}

/// A manifest file and the workloads in it (none: not a manifest plimsoll
/// checks).
#[derive(Debug, Clone)]
pub struct Manifest {
    pub sources: Sources,
    pub workloads: Vec<Workload>,
}

/// Whether a text is a Helm (or other Go) template rather than YAML.
pub fn is_template(text: &str) -> bool {
    text.contains("{{")
}

/// Whether a text may hold a Kubernetes object: cheap, before parsing.
pub fn may_be_manifest(text: &str) -> bool {
    text.contains("apiVersion") && text.contains("kind")
}

impl Manifest {
    pub fn load(path: &Path, name: &str) -> Result<Manifest, LoadError> {
        let mut sources = Sources::default();
        let (_, stream) = sources.load(path, name)?;
        Ok(Manifest {
            workloads: workloads(&stream),
            sources,
        })
    }

    pub fn from_text(path: &Path, name: &str, text: String) -> Result<Manifest, LoadError> {
        let mut sources = Sources::default();
        let (_, stream) = sources.add(path, name, text)?;
        Ok(Manifest {
            workloads: workloads(&stream),
            sources,
        })
    }

    /// Whether anything in it is a Kubernetes object (with `apiVersion`
    /// and `kind`), workload or not.
    pub fn is_kubernetes(stream: &Stream) -> bool {
        stream
            .documents
            .iter()
            .filter_map(|d| d.root.as_ref())
            .any(is_object)
    }
}

fn is_object(node: &Node) -> bool {
    node.get("apiVersion").and_then(Node::as_str).is_some()
        && node.get("kind").and_then(Node::as_str).is_some()
}

/// The workloads of a stream, `List` items included.
pub fn workloads(stream: &Stream) -> Vec<Workload> {
    let mut out = Vec::new();
    for doc in &stream.documents {
        if let Some(root) = &doc.root {
            collect(root, &mut out, 0);
        }
    }
    out
}

fn collect(node: &Node, out: &mut Vec<Workload>, depth: usize) {
    if !is_object(node) {
        return;
    }
    let kind = node.get("kind").and_then(Node::as_str).unwrap_or_default();
    if kind == "List" || kind.ends_with("List") {
        if depth < 4
            && let Some(items) = node.get("items").and_then(Node::as_seq)
        {
            for item in items {
                collect(item, out, depth + 1);
            }
        }
        return;
    }
    let Some((_, path)) = WORKLOAD_KINDS.iter().find(|(k, _)| *k == kind) else {
        return;
    };
    let Some(pod) = node.at(path) else { return };
    if !matches!(pod.value, Value::Map(_)) {
        return;
    }
    let mut containers = Vec::new();
    for (key, init) in [("initContainers", true), ("containers", false)] {
        if let Some(items) = pod.get(key).and_then(Node::as_seq) {
            for c in items.iter().filter(|c| c.as_map().is_some()) {
                containers.push(Container {
                    name: c
                        .get("name")
                        .and_then(Node::as_str)
                        .unwrap_or("?")
                        .to_string(),
                    node: c.clone(),
                    init,
                });
            }
        }
    }
    out.push(Workload {
        kind: kind.to_string(),
        name: node
            .at(&["metadata", "name"])
            .and_then(Node::as_str)
            .map(str::to_string),
        object: node.clone(),
        pod: pod.clone(),
        containers,
    });
}
