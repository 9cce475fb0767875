//! A service of a merged project, and what its Dockerfile (when it is
//! built from one in reach) says about the image.

use super::Project;
use crate::yaml::{Node, Value};
use plimsoll_syntax::Keyword;
use std::path::PathBuf;

/// One service, `extends` resolved.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    /// The service's name in the file that first defined it: where
    /// findings about something missing point.
    pub key: Node,
    pub node: Node,
    pub build: Option<BuildInfo>,
}

/// A service's `build:`.
#[derive(Debug, Clone)]
pub struct BuildInfo {
    pub service: String,
    /// The build context directory (`None` for a remote context, a Git
    /// URL).
    pub context: Option<PathBuf>,
    /// The Dockerfile, resolved against the context.
    pub dockerfile: Option<PathBuf>,
    /// What the Dockerfile says, when it could be read.
    pub facts: Option<DockerfileFacts>,
}

/// What a Dockerfile's final stage configures.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DockerfileFacts {
    /// The final USER (variables expanded when known); `None` when no
    /// USER is set, so the base image decides.
    pub user: Option<String>,
    /// `Some(true)` for a HEALTHCHECK, `Some(false)` for `HEALTHCHECK
    /// NONE`, `None` when the Dockerfile sets none.
    pub healthcheck: Option<bool>,
    pub entrypoint: Option<Command>,
    pub cmd: Option<Command>,
    /// The image the final stage (or the stage it builds on) starts from,
    /// when it is an image (`gcr.io/distroless/static:nonroot`).
    pub base_image: Option<String>,
}

/// A command as written: an argv, or a string a shell runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Exec(Vec<String>),
    Shell(String),
}

impl DockerfileFacts {
    pub fn from_dockerfile(text: &[u8]) -> Option<DockerfileFacts> {
        let df = plimsoll_syntax::parse(text).ok()?;
        let model = plimsoll_model::SemanticModel::new(&df);
        let stage = model.final_stage()?;
        let last = stage.instructions.end.checked_sub(1)?;
        let mut lineage = vec![last];
        lineage.extend(model.lineage_before(last));
        let find = |k: Keyword| {
            lineage
                .iter()
                .copied()
                .find(|&i| df.instructions.get(i).is_some_and(|ins| ins.keyword == k))
        };
        let command = |i: usize| {
            let ins = &df.instructions[i];
            if ins.is_exec_form() {
                Command::Exec(ins.args.iter().map(|w| w.value.clone()).collect())
            } else {
                Command::Shell(ins.rest.text.clone())
            }
        };
        let user = model
            .final_user()
            .map(|(u, i)| model.resolve(i, &u).unwrap_or_else(|| u.to_string()));
        let healthcheck = find(Keyword::Healthcheck).map(|i| {
            !df.instructions[i]
                .args
                .first()
                .is_some_and(|w| w.value.eq_ignore_ascii_case("none"))
        });
        let mut base = stage;
        let mut hops = 0;
        while let plimsoll_model::Base::Stage(p) = base.base {
            hops += 1;
            match model.stages.get(p) {
                Some(parent) if hops <= model.stages.len() => base = parent,
                _ => break,
            }
        }
        let base_image = match &base.base {
            plimsoll_model::Base::Image(_) => Some(base.base_text.clone()),
            _ => None,
        };
        Some(DockerfileFacts {
            base_image,
            user,
            healthcheck,
            entrypoint: find(Keyword::Entrypoint).map(command),
            cmd: find(Keyword::Cmd).map(command),
        })
    }
}

/// The services of a loaded project.
pub(super) fn services(project: &Project) -> Vec<Service> {
    let Some(entries) = project.root.get("services").and_then(Node::as_map) else {
        return Vec::new();
    };
    entries
        .iter()
        .map(|e| {
            let name = e.key.as_str().unwrap_or_default().to_string();
            let node = match &e.value.value {
                Value::Null => Node::synthetic(Value::Map(Vec::new()), &e.key),
                _ => e.value.clone(),
            };
            let build = node
                .get("build")
                .and_then(|b| build_info(project, &name, b));
            Service {
                name,
                key: e.key.clone(),
                node,
                build,
            }
        })
        .collect()
}

fn build_info(project: &Project, service: &str, build: &Node) -> Option<BuildInfo> {
    let (context_node, dockerfile_node, inline) = match &build.value {
        Value::Scalar(_) => (Some(build), None, None),
        Value::Map(_) => (
            build.get("context"),
            build.get("dockerfile"),
            build.get("dockerfile_inline"),
        ),
        _ => return None,
    };
    // A context given by an unset variable, or a remote one (a Git URL),
    // is not in reach.
    let written = match context_node {
        Some(n) => project.resolve(n),
        None => Some(".".to_string()),
    };
    let file = context_node.map_or(build.file, |n| n.file);
    let context = written
        .filter(|w| !(w.contains("://") || w.starts_with("git@") || w.starts_with("github.com/")))
        .map(|w| project.path_in(file, &w));
    let dockerfile = match (&context, dockerfile_node) {
        (Some(ctx), Some(n)) => project.resolve(n).map(|d| super::normalize(&ctx.join(d))),
        (Some(ctx), None) => Some(ctx.join("Dockerfile")),
        (None, _) => None,
    };
    let facts = match inline.and_then(|n| project.resolve(n)) {
        Some(text) => DockerfileFacts::from_dockerfile(text.as_bytes()),
        // Only a regular file: a FIFO would block the read.
        None => dockerfile
            .as_ref()
            .filter(|d| d.is_file())
            .and_then(|d| std::fs::read(d).ok())
            .and_then(|bytes| DockerfileFacts::from_dockerfile(&bytes)),
    };
    Some(BuildInfo {
        service: service.to_string(),
        dockerfile: if inline.is_some() { None } else { dockerfile },
        context,
        facts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_facts_follow_the_final_stage() {
        let facts = DockerfileFacts::from_dockerfile(
            b"FROM golang:1.22 AS build\nUSER app\nHEALTHCHECK CMD true\nFROM base AS final\nARG U=web\nUSER $U\nHEALTHCHECK NONE\nENTRYPOINT [\"tini\", \"--\"]\nCMD ./app --port 80\n",
        )
        .unwrap();
        assert_eq!(facts.user.as_deref(), Some("web"));
        assert_eq!(facts.healthcheck, Some(false));
        assert_eq!(
            facts.entrypoint,
            Some(Command::Exec(vec!["tini".into(), "--".into()]))
        );
        assert_eq!(facts.cmd, Some(Command::Shell("./app --port 80".into())));
        assert_eq!(facts.base_image.as_deref(), Some("base"));
        let inherited = DockerfileFacts::from_dockerfile(
            b"FROM alpine AS a\nUSER nobody\nHEALTHCHECK CMD x\nFROM a\n",
        )
        .unwrap();
        assert_eq!(inherited.user.as_deref(), Some("nobody"));
        assert_eq!(inherited.healthcheck, Some(true));
        let none = DockerfileFacts::from_dockerfile(b"FROM alpine\n").unwrap();
        assert_eq!(
            none,
            DockerfileFacts {
                base_image: Some("alpine".into()),
                ..DockerfileFacts::default()
            }
        );
    }
}
