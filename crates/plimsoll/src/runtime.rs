//! `plimsoll check` on compose files and Kubernetes manifests: loading a
//! project or manifest, running the PL40xx/PL50xx rules with the same rule
//! selection as Dockerfiles, and the Dockerfiles compose services build.

use plimsoll_config::{RuleSelector, Settings};
use plimsoll_diagnostics::{Finding, RuleInfo, Severity, SourceFile};
use plimsoll_runtime::compose::{ComposeInput, Project};
use plimsoll_runtime::kube::{Manifest, is_template, may_be_manifest};
use plimsoll_runtime::yaml::Limits;
use plimsoll_runtime::{Options, Sources, check_manifest, check_project};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What checking a compose project or a YAML file produced.
#[derive(Default)]
pub struct YamlChecked {
    pub findings: Vec<Finding>,
    pub sources: Vec<SourceFile>,
    /// Dockerfiles the project's services build, with their contexts.
    pub builds: Vec<(PathBuf, PathBuf)>,
    pub error: Option<String>,
    /// A Helm (Go) template skipped during a directory walk.
    pub skipped_template: bool,
}

impl YamlChecked {
    fn error(msg: String) -> Self {
        YamlChecked {
            error: Some(msg),
            ..YamlChecked::default()
        }
    }
}

fn options_for<'a>(
    settings: &Settings,
    select: &'a (dyn Fn(&'static RuleInfo, bool, &Path) -> Option<Severity> + Sync),
) -> Options<'a> {
    Options {
        select,
        disable_ignore_pragma: settings.disable_ignore_pragma.unwrap_or(false),
    }
}

fn selector(
    settings: &Settings,
) -> impl Fn(&'static RuleInfo, bool, &Path) -> Option<Severity> + Sync {
    let selector = RuleSelector::new(settings);
    move |info: &'static RuleInfo, on: bool, path: &Path| {
        selector
            .for_path(path)
            .effective_severity(info.code, info.aliases, on, info.severity)
    }
}

/// Findings with their secrets masked, and the sources they point into.
fn finish(sources: &Sources, mut findings: Vec<Finding>) -> (Vec<Finding>, Vec<SourceFile>) {
    let mut out = Vec::with_capacity(findings.len());
    let mut shown = Vec::new();
    for src in &sources.files {
        let (mut mine, rest): (Vec<Finding>, Vec<Finding>) =
            findings.into_iter().partition(|f| f.file == src.name);
        findings = rest;
        plimsoll_report::mask_secrets(&src.text, &mut mine);
        out.extend(mine);
        shown.push(SourceFile::new(src.name.clone(), src.text.clone()));
    }
    out.extend(findings);
    (out, shown)
}

/// Check one compose project (its files in Compose's order).
pub fn check_compose(
    inputs: &[ComposeInput],
    settings: &Settings,
    env: &HashMap<String, String>,
) -> YamlChecked {
    let project = match Project::load(inputs, env) {
        Ok(p) => p,
        Err(e) => return YamlChecked::error(e.to_string()),
    };
    compose_findings(&project, settings)
}

fn compose_findings(project: &Project, settings: &Settings) -> YamlChecked {
    let select = selector(settings);
    let findings = check_project(project, &options_for(settings, &select));
    let (findings, sources) = finish(&project.sources, findings);
    let builds = project
        .builds()
        .into_iter()
        .filter_map(|b| Some((b.dockerfile.clone()?, b.context.clone()?)))
        .filter(|(dockerfile, _)| dockerfile.is_file())
        .collect();
    YamlChecked {
        findings,
        sources,
        builds,
        ..YamlChecked::default()
    }
}

/// Check a YAML file that is not named like a compose file: a Kubernetes
/// manifest, or (named on the command line) a compose file by content.
/// Found in a directory walk (`explicit` false), YAML that is not a
/// manifest, cannot be read as one, or is too large, is skipped quietly,
/// and a Helm template is skipped with a note.
pub fn check_yaml(
    path: &Path,
    name: &str,
    explicit: bool,
    settings: &Settings,
    env: &HashMap<String, String>,
) -> YamlChecked {
    let meta = std::fs::metadata(path);
    let max = Limits::default().max_bytes as u64;
    match &meta {
        // Found in a walk, files that cannot be a manifest here are skipped.
        Ok(m) if !explicit && (!m.is_file() || m.len() > max) => return YamlChecked::default(),
        // A FIFO or a device would block the read.
        Ok(m) if !m.is_file() => return YamlChecked::error(format!("{name}: not a regular file")),
        Ok(m) if m.len() > max => {
            return YamlChecked::error(format!(
                "{name}: {} bytes is more than the {max}-byte limit for YAML files",
                m.len()
            ));
        }
        _ => {}
    }
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) if !explicit => return YamlChecked::default(),
            Err(_) => return YamlChecked::error(format!("{name}: not UTF-8 text")),
        },
        // Found in a walk, an unreadable YAML file may be anything.
        Err(_) if !explicit => return YamlChecked::default(),
        Err(e) => return YamlChecked::error(format!("{name}: {e}")),
    };
    if !explicit {
        if is_template(&text) {
            return YamlChecked {
                skipped_template: true,
                ..YamlChecked::default()
            };
        }
        if !may_be_manifest(&text) {
            return YamlChecked::default();
        }
    }
    let looks_like_manifest = looks_like_manifest(&text);
    let manifest = match Manifest::from_text(path, name, text) {
        Ok(m) => m,
        Err(e) if explicit || looks_like_manifest => return YamlChecked::error(e.to_string()),
        Err(_) => return YamlChecked::default(),
    };
    if manifest.workloads.is_empty() && explicit && is_compose_by_content(&manifest) {
        let input = ComposeInput {
            path: path.to_path_buf(),
            name: name.to_string(),
            reported: true,
        };
        return check_compose(&[input], settings, env);
    }
    let select = selector(settings);
    let findings = check_manifest(&manifest, &options_for(settings, &select));
    let (findings, sources) = finish(&manifest.sources, findings);
    YamlChecked {
        findings,
        sources,
        ..YamlChecked::default()
    }
}

/// Top-level `apiVersion:` and `kind:` lines: a Kubernetes object.
fn looks_like_manifest(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("apiVersion:"))
        && text.lines().any(|l| l.starts_with("kind:"))
}

/// A top-level `services:` mapping and no `apiVersion`.
fn is_compose_by_content(manifest: &Manifest) -> bool {
    let Some(src) = manifest.sources.files.first() else {
        return false;
    };
    plimsoll_runtime::yaml::parse(&src.text, 0, Limits::default())
        .ok()
        .and_then(|s| s.documents.into_iter().find_map(|d| d.root))
        .is_some_and(|root| root.get("services").is_some() && root.get("apiVersion").is_none())
}
