//! How containers are run: compose files and Kubernetes manifests.
//!
//! - [`yaml`]: YAML read into a tree whose every node keeps its file and
//!   span (anchors, merge keys, multi-document streams, limits against
//!   YAML bombs).
//! - [`compose`]: projects as Compose builds them (default file and
//!   overrides, `-f` files merged in order, `extends`, `.env` variables),
//!   the Dockerfiles services are built from, and the PL40xx rules.
//! - [`kube`]: workloads recognised by `apiVersion`/`kind`, their pod
//!   templates and containers, and the PL50xx rules.
//!
//! Findings are the same [`Finding`]s every other checker produces, with
//! spans into the file where the key or value was written (after a merge,
//! the file it came from), and YAML-comment pragmas applied ([`pragma`]).
//!
//! ```no_run
//! use plimsoll_runtime::compose::{ComposeInput, Project};
//! use plimsoll_runtime::{Options, check_project};
//!
//! let inputs = [ComposeInput { path: "compose.yaml".into(), name: "compose.yaml".into(), reported: true }];
//! let project = Project::load(&inputs, &std::env::vars().collect())?;
//! let all = |info: &plimsoll_diagnostics::RuleInfo, _on: bool, _path: &std::path::Path| Some(info.severity);
//! let findings = check_project(&project, &Options { select: &all, disable_ignore_pragma: false });
//! # Ok::<(), plimsoll_runtime::LoadError>(())
//! ```

pub mod common;
pub mod compose;
pub mod interpolate;
pub mod kube;
pub mod pragma;
pub mod source;
pub mod yaml;

pub use source::{LoadError, Source, Sources};

use plimsoll_diagnostics::{Finding, RuleInfo, Severity};
use std::path::Path;
use std::sync::OnceLock;

/// Decides whether a rule runs for a file and at which severity (`None`:
/// off): the rule, whether it is on by default, the file a finding is in.
pub type Select<'a> = &'a (dyn Fn(&'static RuleInfo, bool, &Path) -> Option<Severity> + Sync);

pub struct Options<'a> {
    pub select: Select<'a>,
    /// Ignore `# plimsoll ignore=` / `# hadolint ignore=` comments.
    pub disable_ignore_pragma: bool,
}

/// Every compose and Kubernetes rule: metadata, and whether it is on by
/// default.
pub fn rules() -> &'static [(&'static RuleInfo, bool)] {
    static ALL: OnceLock<Vec<(&'static RuleInfo, bool)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<(&'static RuleInfo, bool)> = compose::rules::RULES
            .iter()
            .map(|r| (r.info(), r.default_enabled()))
            .chain(
                kube::rules::RULES
                    .iter()
                    .map(|r| (r.info(), r.default_enabled())),
            )
            .collect();
        all.sort_by_key(|(i, _)| i.code);
        all
    })
}

/// The findings of a compose project: every rule on every service,
/// selection and pragmas applied, only files marked reported; in file and
/// source order.
pub fn check_project(project: &compose::Project, opts: &Options<'_>) -> Vec<Finding> {
    let mut raw = Vec::new();
    for service in &project.services {
        for &rule in compose::rules::RULES {
            let mut cx = compose::rules::ServiceChecker::new(project, service, rule.info());
            rule.check(&mut cx);
            raw.extend(cx.reports.findings);
        }
    }
    raw.retain(|(file, _)| {
        project
            .reported
            .get(*file as usize)
            .copied()
            .unwrap_or(false)
    });
    finish(&project.sources, raw, opts, |code| {
        common::described(compose::rules::RULES, code)
    })
}

/// The findings of a Kubernetes manifest.
pub fn check_manifest(manifest: &kube::Manifest, opts: &Options<'_>) -> Vec<Finding> {
    let mut raw = Vec::new();
    for workload in &manifest.workloads {
        for &rule in kube::rules::RULES {
            let mut cx = kube::rules::PodChecker::new(manifest, workload, rule.info());
            rule.check(&mut cx);
            raw.extend(cx.reports.findings);
        }
    }
    finish(&manifest.sources, raw, opts, |code| {
        common::described(kube::rules::RULES, code)
    })
}

fn finish(
    sources: &Sources,
    raw: Vec<(yaml::FileId, Finding)>,
    opts: &Options<'_>,
    rule_of: impl Fn(&str) -> Option<(&'static RuleInfo, bool)>,
) -> Vec<Finding> {
    let mut per_file: Vec<Vec<Finding>> = vec![Vec::new(); sources.files.len()];
    for (file, mut f) in raw {
        let Some((info, on)) = rule_of(&f.code) else {
            continue;
        };
        let source = sources.get(file);
        let Some(severity) = (opts.select)(info, on, &source.path) else {
            continue;
        };
        f.severity = severity;
        // A merge can bring the same value from two places: report once.
        if !per_file[file as usize]
            .iter()
            .any(|g| g.code == f.code && g.span == f.span && g.message == f.message)
        {
            per_file[file as usize].push(f);
        }
    }
    let mut out = Vec::new();
    for (i, mut findings) in per_file.into_iter().enumerate() {
        if !opts.disable_ignore_pragma {
            pragma::apply(&sources.files[i], &mut findings);
        }
        findings.sort_by(|a, b| {
            (a.span.map(|s| s.start), &a.code).cmp(&(b.span.map(|s| s.start), &b.code))
        });
        out.extend(findings);
    }
    out
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
