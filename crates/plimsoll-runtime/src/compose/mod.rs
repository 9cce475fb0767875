//! Compose projects: which files make one, how they are merged, `extends`,
//! variables, and the Dockerfiles their services are built from.

pub mod merge;
pub mod rules;
mod service;

pub use service::{BuildInfo, Command, DockerfileFacts, Service};

use crate::interpolate::Env;
use crate::source::{LoadError, Sources};
use crate::yaml::{Entry, FileId, Node, Value};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// The names Compose looks for in a project directory, in its order of
/// preference; the first that exists is the project's file.
pub const DEFAULT_FILES: [&str; 4] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
];

/// Override files Compose applies on top of the default file.
pub const OVERRIDE_FILES: [&str; 4] = [
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yaml",
    "docker-compose.override.yml",
];

/// `compose.yaml`, `compose.X.yml`, `docker-compose.yaml`,
/// `docker-compose.X.yml` (any case of the extension).
pub fn is_compose_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let Some(stem) = lower
        .strip_suffix(".yaml")
        .or_else(|| lower.strip_suffix(".yml"))
    else {
        return false;
    };
    stem == "compose"
        || stem == "docker-compose"
        || (stem.starts_with("compose.") && stem.len() > "compose.".len())
        || (stem.starts_with("docker-compose.") && stem.len() > "docker-compose.".len())
}

/// One file of a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeInput {
    pub path: PathBuf,
    /// As findings name it.
    pub name: String,
    /// Whether findings in this file are reported (a `compose.prod.yaml`
    /// checked on top of its base reports only its own).
    pub reported: bool,
}

/// The projects the compose files of one directory make: the default file
/// with its overrides, and each other `compose.X.yaml` on top of the
/// default file (reporting only its own findings). Without a default file
/// each file is a project of its own. `names` are file names in `dir`.
pub fn projects_in_dir(
    dir: &Path,
    names: &[String],
    display: &dyn Fn(&Path) -> String,
) -> Vec<Vec<ComposeInput>> {
    let input = |name: &str, reported: bool| {
        let path = dir.join(name);
        ComposeInput {
            name: display(&path),
            path,
            reported,
        }
    };
    let has = |n: &str| names.iter().any(|m| m == n);
    let base = DEFAULT_FILES.iter().find(|n| has(n));
    let mut projects = Vec::new();
    match base {
        Some(base) => {
            let mut main = vec![input(base, true)];
            let mut rest: Vec<&String> = Vec::new();
            for n in names {
                if DEFAULT_FILES.contains(&n.as_str()) {
                    if n != base {
                        // Compose reads only the first; a second default
                        // file is a project of its own.
                        projects.push(vec![input(n, true)]);
                    }
                } else if OVERRIDE_FILES.contains(&n.as_str()) {
                    main.push(input(n, true));
                } else {
                    rest.push(n);
                }
            }
            projects.insert(0, main);
            for n in rest {
                projects.push(vec![input(base, false), input(n, true)]);
            }
        }
        None => {
            for n in names {
                projects.push(vec![input(n, true)]);
            }
        }
    }
    projects
}

/// A compose project, loaded and merged.
#[derive(Debug, Clone)]
pub struct Project {
    pub sources: Sources,
    /// Per file: whether its findings are reported.
    pub reported: Vec<bool>,
    /// Per file: the directory its relative paths are resolved against
    /// (the project directory; a file loaded by `extends` has its own).
    pub base_dirs: Vec<PathBuf>,
    pub dir: PathBuf,
    pub env: Env,
    /// The merged model (`services`, `volumes`, …), `extends` resolved.
    pub root: Node,
    pub services: Vec<Service>,
}

impl Project {
    /// Load the files of a project in order (base first) with the
    /// variables of `.env` in the project directory under `process`.
    pub fn load(
        inputs: &[ComposeInput],
        process: &HashMap<String, String>,
    ) -> Result<Project, LoadError> {
        let Some(first) = inputs.first() else {
            return Err(LoadError::Invalid {
                name: "compose".into(),
                message: "no compose file given".into(),
            });
        };
        let dir = parent_dir(&first.path);
        let dotenv = std::fs::read_to_string(dir.join(".env")).unwrap_or_default();
        let env = Env::with_dotenv(&dotenv, process);
        let mut sources = Sources::default();
        let mut reported = Vec::new();
        let mut base_dirs = Vec::new();
        let mut root: Option<Node> = None;
        for input in inputs {
            let (id, stream) = sources.load(&input.path, &input.name)?;
            reported.push(input.reported);
            base_dirs.push(dir.clone());
            debug_assert_eq!(id as usize, reported.len() - 1);
            for doc in stream.documents {
                let Some(node) = doc.root else { continue };
                if node.is_null() {
                    continue;
                }
                check_top_level(&node, &input.name)?;
                root = Some(match root.take() {
                    None => node,
                    Some(base) => {
                        merge::merge(base, node, &mut Vec::new()).unwrap_or_else(|| empty_map(id))
                    }
                });
            }
        }
        let root = root.unwrap_or_else(|| empty_map(0));
        let mut loader = Loader {
            sources,
            reported,
            base_dirs,
            files: HashMap::new(),
        };
        let root = loader.resolve_extends(root)?;
        let mut project = Project {
            sources: loader.sources,
            reported: loader.reported,
            base_dirs: loader.base_dirs,
            dir,
            env,
            root,
            services: Vec::new(),
        };
        project.services = service::services(&project);
        Ok(project)
    }

    /// Interpolate a scalar with the project's variables; `None` for a
    /// non-scalar or an unknown value.
    pub fn resolve(&self, node: &Node) -> Option<String> {
        self.env.interpolate(node.as_str()?)
    }

    /// A path written in `file`, resolved.
    pub fn path_in(&self, file: FileId, written: &str) -> PathBuf {
        let base = &self.base_dirs[file as usize];
        normalize(&base.join(written))
    }

    /// The Dockerfiles the services build, each with its context.
    pub fn builds(&self) -> Vec<&BuildInfo> {
        self.services
            .iter()
            .filter_map(|s| s.build.as_ref())
            .collect()
    }
}

fn empty_map(file: FileId) -> Node {
    Node {
        value: Value::Map(Vec::new()),
        span: plimsoll_diagnostics::Span::default(),
        file,
        tag: None,
    }
}

fn check_top_level(node: &Node, name: &str) -> Result<(), LoadError> {
    let invalid = |message: String| LoadError::Invalid {
        name: name.to_string(),
        message,
    };
    let Some(entries) = node.as_map() else {
        return Err(invalid(
            "the top level of a compose file must be a mapping".into(),
        ));
    };
    if let Some(services) = entries
        .iter()
        .find(|e| e.key.as_str() == Some("services"))
        .map(|e| &e.value)
    {
        match &services.value {
            Value::Null => {}
            Value::Map(list) => {
                for e in list {
                    if !matches!(e.value.value, Value::Map(_) | Value::Null) {
                        return Err(invalid(format!(
                            "service `{}` must be a mapping",
                            e.key.as_str().unwrap_or("?")
                        )));
                    }
                }
            }
            _ => return Err(invalid("`services` must be a mapping".into())),
        }
    }
    Ok(())
}

struct Loader {
    sources: Sources,
    reported: Vec<bool>,
    base_dirs: Vec<PathBuf>,
    /// Files read for `extends`, by path: their root node.
    files: HashMap<PathBuf, (FileId, Node)>,
}

/// `extends` chains longer than this are refused (Compose refuses cycles).
const MAX_EXTENDS: usize = 32;

impl Loader {
    fn resolve_extends(&mut self, root: Node) -> Result<Node, LoadError> {
        let Some(services) = root.get("services").and_then(Node::as_map) else {
            return Ok(root);
        };
        let project_services = services.to_vec();
        let mut resolved = Vec::with_capacity(project_services.len());
        for e in &project_services {
            let name = e.key.as_str().unwrap_or_default().to_string();
            let mut stack = vec![(None, name.clone())];
            let node =
                self.resolve_service(e.value.clone(), None, &project_services, &mut stack)?;
            resolved.push(Entry {
                key: e.key.clone(),
                value: node,
            });
        }
        let mut root = root;
        if let Value::Map(entries) = &mut root.value
            && let Some(e) = entries
                .iter_mut()
                .find(|e| e.key.as_str() == Some("services"))
        {
            e.value.value = Value::Map(resolved);
        }
        Ok(root)
    }

    /// A service with its `extends` (if any) laid under it.
    fn resolve_service(
        &mut self,
        service: Node,
        file: Option<FileId>,
        scope: &[Entry],
        stack: &mut Vec<(Option<FileId>, String)>,
    ) -> Result<Node, LoadError> {
        let Some(ext) = service.get("extends").cloned() else {
            return Ok(service);
        };
        let name_of = |id: FileId, s: &Sources| s.get(id).name.clone();
        let here = ext.file;
        let invalid = |s: &Sources, message: String| LoadError::Invalid {
            name: format!(
                "{}:{}",
                name_of(ext.file, s),
                crate::line_of(&s.get(ext.file).text, ext.span.start)
            ),
            message,
        };
        let (target, target_file) = match &ext.value {
            Value::Scalar(s) => (s.text.clone(), None),
            Value::Map(_) => {
                let Some(target) = ext.get("service").and_then(Node::as_str) else {
                    return Err(invalid(&self.sources, "`extends` needs a `service`".into()));
                };
                (
                    target.to_string(),
                    ext.get("file").and_then(Node::as_str).map(str::to_string),
                )
            }
            _ => {
                return Err(invalid(
                    &self.sources,
                    "`extends` must be a service name or a mapping".into(),
                ));
            }
        };
        // Where the extended service lives: another file, or the scope of
        // the service that extends it.
        let (scope_file, scope_entries): (Option<FileId>, Vec<Entry>) = match target_file {
            Some(f) => {
                let dir = self.base_dirs[here as usize].clone();
                let path = normalize(&dir.join(&f));
                let id = self.load_extended(&path, here, &f)?;
                let entries = self.files[&path]
                    .1
                    .get("services")
                    .and_then(Node::as_map)
                    .map(<[Entry]>::to_vec)
                    .unwrap_or_default();
                (Some(id), entries)
            }
            None => (file, scope.to_vec()),
        };
        if stack.len() > MAX_EXTENDS || stack.iter().any(|(f, n)| *f == scope_file && *n == target)
        {
            return Err(invalid(
                &self.sources,
                format!("`extends` of `{target}` makes a cycle"),
            ));
        }
        let Some(base) = scope_entries
            .iter()
            .find(|e| e.key.as_str() == Some(target.as_str()))
            .map(|e| e.value.clone())
        else {
            return Err(invalid(
                &self.sources,
                format!("`extends` names service `{target}`, which is not defined"),
            ));
        };
        stack.push((scope_file, target.clone()));
        let base = self.resolve_service(base, scope_file, &scope_entries, stack)?;
        stack.pop();
        let mut own = service;
        if let Value::Map(entries) = &mut own.value {
            entries.retain(|e| e.key.as_str() != Some("extends"));
        }
        let mut path = vec!["services".to_string(), target];
        Ok(merge::merge(base, own.clone(), &mut path).unwrap_or(own))
    }

    fn load_extended(
        &mut self,
        path: &Path,
        from: FileId,
        written: &str,
    ) -> Result<FileId, LoadError> {
        if let Some((id, _)) = self.files.get(path) {
            return Ok(*id);
        }
        if let Some(id) = self.sources.find(path) {
            // A file of the project itself.
            let root = self.root_of(id);
            self.files.insert(path.to_path_buf(), (id, root));
            return Ok(id);
        }
        let from_name = &self.sources.get(from).name;
        let name = display_join(from_name, written);
        let (id, stream) = self.sources.load(path, &name)?;
        self.reported.push(self.reported[from as usize]);
        self.base_dirs.push(parent_dir(path));
        let mut root: Option<Node> = None;
        for doc in stream.documents {
            let Some(node) = doc.root else { continue };
            check_top_level(&node, &name)?;
            root = Some(match root.take() {
                None => node,
                Some(base) => {
                    merge::merge(base, node, &mut Vec::new()).unwrap_or_else(|| empty_map(id))
                }
            });
        }
        self.files.insert(
            path.to_path_buf(),
            (id, root.unwrap_or_else(|| empty_map(id))),
        );
        Ok(id)
    }

    fn root_of(&self, id: FileId) -> Node {
        let src = self.sources.get(id);
        crate::yaml::parse(&src.text, id, crate::yaml::Limits::default())
            .ok()
            .and_then(|s| s.documents.into_iter().find_map(|d| d.root))
            .unwrap_or_else(|| empty_map(id))
    }
}

fn parent_dir(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// `a/b/../c` → `a/c`, without touching the filesystem.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if matches!(out.components().next_back(), Some(Component::Normal(_))) {
                    out.pop();
                } else {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The display name of `written` relative to the file named `from`.
fn display_join(from: &str, written: &str) -> String {
    let dir = Path::new(from).parent().unwrap_or(Path::new(""));
    normalize(&dir.join(written)).to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_names() {
        for yes in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yml",
            "docker-compose.yaml",
            "compose.override.yaml",
            "compose.prod.yml",
            "docker-compose.dev.yaml",
            "Compose.YAML",
        ] {
            assert!(is_compose_name(yes), "{yes}");
        }
        for no in [
            "compose.json",
            "compose-dev.yml",
            "my-compose.yml",
            "compose..yml",
            "deployment.yaml",
        ] {
            assert!(!is_compose_name(no), "{no}");
        }
    }

    #[test]
    fn projects_follow_compose() {
        let names: Vec<String> = [
            "compose.yaml",
            "compose.override.yaml",
            "compose.prod.yaml",
            "docker-compose.yml",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let display = |p: &Path| p.to_string_lossy().into_owned();
        let projects = projects_in_dir(Path::new("d"), &names, &display);
        let shape: Vec<Vec<(String, bool)>> = projects
            .iter()
            .map(|p| p.iter().map(|i| (i.name.clone(), i.reported)).collect())
            .collect();
        assert_eq!(
            shape,
            vec![
                vec![
                    ("d/compose.yaml".to_string(), true),
                    ("d/compose.override.yaml".to_string(), true)
                ],
                vec![("d/docker-compose.yml".to_string(), true)],
                vec![
                    ("d/compose.yaml".to_string(), false),
                    ("d/compose.prod.yaml".to_string(), true)
                ],
            ]
        );
    }

    #[test]
    fn paths_normalize() {
        assert_eq!(normalize(Path::new("a/b/../c")), PathBuf::from("a/c"));
        assert_eq!(normalize(Path::new("./a")), PathBuf::from("a"));
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(normalize(Path::new(".")), PathBuf::from("."));
        assert_eq!(
            display_join("sub/compose.yaml", "../common.yml"),
            "common.yml"
        );
    }
}
