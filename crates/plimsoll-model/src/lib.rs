//! What a Dockerfile means, as BuildKit builds it: its stages and their
//! base images, the variables in scope at every instruction, the stage
//! graph and which stages reach the final target, and the SHELL, USER and
//! WORKDIR in force at each instruction. Rules ask this model instead of
//! reading text.

mod image_ref;
mod scope;

pub use image_ref::{DEFAULT_REGISTRY, ImageRef, ImageRefError};
pub use scope::{Scope, VarKind, Variable};

use plimsoll_expand::{ExpandError, Expansion, Lexer, Modifier};
use plimsoll_syntax::{Dockerfile, Instruction, Keyword, Span};
use std::ops::Range;
use std::sync::Arc;

/// ARGs BuildKit defines in the global scope without any declaration.
pub const PLATFORM_ARGS: [&str; 8] = [
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
];

/// Build args that need no ARG instruction to be passed to RUN.
pub const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The default shell on Linux.
pub const DEFAULT_SHELL: [&str; 2] = ["/bin/sh", "-c"];

/// What a stage is built on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// `FROM scratch`.
    Scratch,
    /// An earlier stage, by index.
    Stage(usize),
    /// An image reference.
    Image(ImageRef),
    /// The reference could not be resolved statically (a variable without
    /// a default) or is not a valid reference.
    Unresolved { text: String, reason: String },
}

/// How one stage uses another (or an image).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DependencyKind {
    From,
    CopyFrom,
    MountFrom,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub kind: DependencyKind,
    /// The stage depended on.
    pub stage: usize,
    /// The instruction that creates the dependency.
    pub instruction: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub index: usize,
    /// The name after `AS`, lower-cased as BuildKit compares it.
    pub name: Option<String>,
    /// The name as written, and where.
    pub name_written: Option<(String, Span)>,
    /// Index of the FROM instruction.
    pub from_instruction: usize,
    /// Instruction indices of the stage, FROM included.
    pub instructions: Range<usize>,
    /// The image text after variable expansion (`debian:12`).
    pub base_text: String,
    /// The image as written (`${BASE_IMAGE:-debian:12}`) and where.
    pub base_written: String,
    pub base_span: Span,
    pub base: Base,
    pub platform: Option<String>,
    pub dependencies: Vec<Dependency>,
    /// True when building the final (last) stage builds this one.
    pub reaches_target: bool,
}

impl Stage {
    pub fn is_final(&self, model: &SemanticModel<'_>) -> bool {
        self.index + 1 == model.stages.len()
    }
}

/// What is in force at one instruction (before it takes effect).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstructionContext {
    /// The stage the instruction belongs to; `None` before the first FROM.
    pub stage: Option<usize>,
    /// Variables visible to the expansion of this instruction's arguments.
    pub scope: Arc<Scope>,
    pub shell: Arc<[String]>,
    /// The USER in force and the instruction that set it; `None` when the
    /// stage's base image decides (unknown).
    pub user: Option<(Arc<str>, usize)>,
    /// The working directory in force; `None` when only the base image
    /// knows it.
    pub workdir: Option<Arc<str>>,
}

/// The semantic model of one Dockerfile.
#[derive(Debug, Clone)]
pub struct SemanticModel<'a> {
    pub dockerfile: &'a Dockerfile,
    /// ARGs before the first FROM, by instruction index.
    pub global_args: Vec<usize>,
    /// The global scope FROM lines are expanded in.
    pub global_scope: Arc<Scope>,
    pub stages: Vec<Stage>,
    /// One entry per instruction of `dockerfile.instructions`.
    pub contexts: Vec<InstructionContext>,
    /// The state after the final stage's last instruction: the ENV, SHELL,
    /// USER and WORKDIR the image is configured with (ARGs do not persist).
    pub final_state: Option<InstructionContext>,
    lexer: Lexer,
}

impl<'a> SemanticModel<'a> {
    pub fn new(dockerfile: &'a Dockerfile) -> Self {
        Builder::new(dockerfile).build()
    }

    pub fn instruction(&self, index: usize) -> &'a Instruction {
        &self.dockerfile.instructions[index]
    }

    pub fn context(&self, index: usize) -> &InstructionContext {
        &self.contexts[index]
    }

    /// The last stage: what `docker build` produces without `--target`.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    pub fn stage_of(&self, instruction: usize) -> Option<&Stage> {
        self.contexts
            .get(instruction)
            .and_then(|c| c.stage)
            .map(|s| &self.stages[s])
    }

    pub fn is_in_final_stage(&self, instruction: usize) -> bool {
        self.contexts
            .get(instruction)
            .and_then(|c| c.stage)
            .is_some_and(|s| s + 1 == self.stages.len())
    }

    /// Find a stage by name (case-insensitive) or index.
    pub fn stage_by_ref(&self, reference: &str) -> Option<usize> {
        find_stage(&self.stages, reference, self.stages.len())
    }

    /// Expand a word with the variables in scope at `instruction`.
    pub fn expand(&self, instruction: usize, word: &str) -> Result<Expansion, ExpandError> {
        let scope = self
            .contexts
            .get(instruction)
            .map_or(&self.global_scope, |c| &c.scope);
        self.lexer.process_word(word, scope.as_ref())
    }

    /// Expand a word and return the value when every variable in it is
    /// known; `None` when something is unknown or the word is invalid.
    pub fn resolve(&self, instruction: usize, word: &str) -> Option<String> {
        let e = self.expand(instruction, word).ok()?;
        is_determined(&self.lexer, word, &e).then_some(e.value)
    }

    /// Expand a word and split the result into words, as BuildKit does for
    /// EXPOSE (`ProcessWords`); `None` when a variable is unknown or the
    /// word is invalid.
    pub fn resolve_words(&self, instruction: usize, word: &str) -> Option<Vec<String>> {
        let e = self.expand(instruction, word).ok()?;
        if !is_determined(&self.lexer, word, &e) {
            return None;
        }
        let scope = self
            .contexts
            .get(instruction)
            .map_or(&self.global_scope, |c| &c.scope);
        self.lexer.process_words(word, scope.as_ref()).ok()
    }

    /// The instructions that ran before `instruction` in the image it
    /// builds: the earlier ones of its stage, then those of the stage it is
    /// built on (`FROM <stage>`) and so on up the chain, nearest first.
    /// FROM instructions are included.
    pub fn lineage_before(&self, instruction: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let Some(mut stage) = self.stage_of(instruction) else {
            return out;
        };
        let mut end = instruction;
        loop {
            out.extend((stage.instructions.start..end.min(stage.instructions.end)).rev());
            match stage.base {
                // A parent stage always comes earlier in the file.
                Base::Stage(p) if p < stage.index => {
                    stage = &self.stages[p];
                    end = stage.instructions.end;
                }
                _ => break,
            }
        }
        out
    }

    /// The user the final image runs as, with the instruction that set it;
    /// `None` when no USER in the final stage or its parent stages.
    pub fn final_user(&self) -> Option<(Arc<str>, usize)> {
        self.final_state.as_ref()?.user.clone()
    }
}

/// True when an expansion's value is fully known: every variable it could
/// not find is only used with a default or an alternative (`${X:-d}`,
/// `${X:+a}`), whose result is then known.
fn is_determined(lexer: &Lexer, word: &str, e: &Expansion) -> bool {
    if e.unmatched.is_empty() {
        return true;
    }
    let refs = lexer.variable_references(word);
    e.unmatched.iter().all(|name| {
        refs.iter().filter(|r| &r.name == name).all(|r| {
            matches!(
                r.modifier,
                Some(Modifier::Default { .. } | Modifier::Alternative { .. })
            )
        })
    })
}

fn find_stage(stages: &[Stage], reference: &str, before: usize) -> Option<usize> {
    let lower = reference.to_ascii_lowercase();
    if let Some(i) = stages[..before.min(stages.len())]
        .iter()
        .position(|s| s.name.as_deref() == Some(lower.as_str()))
    {
        return Some(i);
    }
    reference
        .parse::<usize>()
        .ok()
        .filter(|&i| i < before.min(stages.len()))
}

/// What instructions change as a stage is built.
struct State {
    scope: Scope,
    shell: Arc<[String]>,
    user: Option<(Arc<str>, usize)>,
    workdir: Option<Arc<str>>,
}

struct Builder<'a> {
    df: &'a Dockerfile,
    lexer: Lexer,
    global_scope: Scope,
    global_args: Vec<usize>,
    stages: Vec<Stage>,
    contexts: Vec<InstructionContext>,
}

impl<'a> Builder<'a> {
    fn new(df: &'a Dockerfile) -> Self {
        let mut global_scope = Scope::default();
        for name in PLATFORM_ARGS {
            global_scope.insert(Variable {
                name: name.to_string(),
                value: None,
                kind: VarKind::Builtin,
                defined_at: None,
            });
        }
        Builder {
            df,
            lexer: Lexer::new(df.escape),
            global_scope,
            global_args: Vec::new(),
            stages: Vec::new(),
            contexts: Vec::with_capacity(df.instructions.len()),
        }
    }

    fn build(mut self) -> SemanticModel<'a> {
        let default_shell: Arc<[String]> = DEFAULT_SHELL.iter().map(|s| s.to_string()).collect();
        let mut scope = Arc::new(Scope::default());
        let mut shell = default_shell.clone();
        let mut user: Option<(Arc<str>, usize)> = None;
        let mut workdir: Option<Arc<str>> = None;
        let mut in_stage = false;

        for (i, ins) in self.df.instructions.iter().enumerate() {
            if ins.keyword == Keyword::From {
                if let Some(s) = self.stages.last_mut() {
                    s.instructions.end = i;
                }
                self.start_stage(i, ins);
                let stage = self.stages.len() - 1;
                // A stage built on another inherits its environment, shell,
                // user and working directory.
                if let Base::Stage(parent) = self.stages[stage].base {
                    let parent_end = self.stages[parent].instructions.end;
                    let last = parent_end.saturating_sub(1);
                    let state = self.state_after(last, &default_shell);
                    scope = Arc::new(state.scope);
                    shell = state.shell;
                    user = state.user;
                    workdir = state.workdir;
                } else {
                    scope = Arc::new(Scope::default());
                    shell = default_shell.clone();
                    user = None;
                    workdir = None;
                }
                in_stage = true;
                self.contexts.push(InstructionContext {
                    stage: Some(stage),
                    scope: Arc::new(self.global_scope.clone()),
                    shell: shell.clone(),
                    user: user.clone(),
                    workdir: workdir.clone(),
                });
                continue;
            }

            let stage = in_stage.then(|| self.stages.len() - 1);
            let ctx_scope = if in_stage {
                scope.clone()
            } else {
                Arc::new(self.global_scope.clone())
            };
            self.contexts.push(InstructionContext {
                stage,
                scope: ctx_scope.clone(),
                shell: shell.clone(),
                user: user.clone(),
                workdir: workdir.clone(),
            });
            if !in_stage {
                if ins.keyword == Keyword::Arg {
                    self.global_args.push(i);
                    let mut g = std::mem::take(&mut self.global_scope);
                    self.declare_args(&mut g, ins, i, None);
                    self.global_scope = g;
                }
                continue;
            }
            let mut state = State {
                scope: (*scope).clone(),
                shell: shell.clone(),
                user: user.clone(),
                workdir: workdir.clone(),
            };
            if self.step(&mut state, ins, i) {
                scope = Arc::new(state.scope);
                shell = state.shell;
                user = state.user;
                workdir = state.workdir;
            }
        }
        if let Some(s) = self.stages.last_mut() {
            s.instructions.end = self.df.instructions.len();
        }
        self.link_stages();
        let final_state = self.stages.last().map(|st| {
            let last = st.instructions.end.saturating_sub(1);
            let state = self.state_after(last, &default_shell);
            InstructionContext {
                stage: Some(st.index),
                scope: Arc::new(state.scope),
                shell: state.shell,
                user: state.user,
                workdir: state.workdir,
            }
        });
        SemanticModel {
            final_state,
            dockerfile: self.df,
            global_args: self.global_args,
            global_scope: Arc::new(self.global_scope),
            stages: self.stages,
            contexts: self.contexts,
            lexer: self.lexer,
        }
    }

    /// Scope, shell, user and workdir after instruction `last` ran: what
    /// a child stage inherits. ARGs do not carry over; ENV does.
    fn state_after(&self, last: usize, default_shell: &Arc<[String]>) -> State {
        let Some(ctx) = self.contexts.get(last) else {
            return State {
                scope: Scope::default(),
                shell: default_shell.clone(),
                user: None,
                workdir: None,
            };
        };
        let ins = &self.df.instructions[last];
        let mut state = State {
            // A FROM's context holds the global scope, not the stage's.
            scope: if ins.keyword == Keyword::From {
                Scope::default()
            } else {
                (*ctx.scope).clone()
            },
            shell: ctx.shell.clone(),
            user: ctx.user.clone(),
            workdir: ctx.workdir.clone(),
        };
        self.step(&mut state, ins, last);
        state.scope.retain(|v| v.kind == VarKind::Env);
        state
    }

    /// Apply what instruction `i` changes; false when it changes nothing.
    fn step(&self, state: &mut State, ins: &Instruction, i: usize) -> bool {
        let expand = |scope: &Scope, raw: &str| {
            self.lexer
                .process_word(raw, scope)
                .map(|e| e.value)
                .unwrap_or_else(|_| raw.to_string())
        };
        match ins.keyword {
            Keyword::Arg => {
                let global = self.global_scope.clone();
                self.declare_args(&mut state.scope, ins, i, Some(&global));
            }
            Keyword::Env => {
                // Every pair of one ENV is expanded with the environment
                // from before the instruction, as BuildKit does.
                let before = state.scope.clone();
                for kv in &ins.pairs {
                    let raw = kv.value.as_ref().map(|v| v.value.as_str()).unwrap_or("");
                    state.scope.insert(Variable {
                        name: kv.key.value.clone(),
                        value: Some(expand(&before, raw)),
                        kind: VarKind::Env,
                        defined_at: Some(i),
                    });
                }
            }
            Keyword::Shell if ins.is_exec_form() && !ins.args.is_empty() => {
                state.shell = ins.args.iter().map(|w| w.value.clone()).collect();
            }
            Keyword::User => {
                let Some(w) = ins.args.first() else {
                    return false;
                };
                state.user = Some((expand(&state.scope, &w.value).into(), i));
            }
            Keyword::Workdir => {
                let Some(w) = ins.args.first() else {
                    return false;
                };
                let dir = expand(&state.scope, &w.value);
                state.workdir = Some(join_workdir(state.workdir.as_deref(), &dir).into());
            }
            _ => return false,
        }
        true
    }

    fn declare_args(&self, scope: &mut Scope, ins: &Instruction, i: usize, global: Option<&Scope>) {
        for kv in &ins.pairs {
            let name = kv.key.value.clone();
            let value = match &kv.value {
                Some(v) => Some(
                    self.lexer
                        .process_word(&v.value, &*scope)
                        .map(|e| e.value)
                        .unwrap_or_else(|_| v.value.clone()),
                ),
                // `ARG NAME` in a stage takes the global default.
                None => global
                    .and_then(|g| g.get_var(&name))
                    .and_then(|v| v.value.clone()),
            };
            let kind = if global.is_some() {
                VarKind::Arg
            } else {
                VarKind::GlobalArg
            };
            // An ENV of the same name wins over an ARG in BuildKit.
            if scope.get_var(&name).is_some_and(|v| v.kind == VarKind::Env) {
                continue;
            }
            scope.insert(Variable {
                name,
                value,
                kind,
                defined_at: Some(i),
            });
        }
    }

    fn start_stage(&mut self, i: usize, ins: &Instruction) {
        let index = self.stages.len();
        let image = ins.args.first();
        let base_written = image.map(|w| w.value.clone()).unwrap_or_default();
        let base_span = image.map_or(ins.keyword_span, |w| w.span);
        let name_word = match ins.args.as_slice() {
            [_, as_kw, name, ..] if as_kw.value.eq_ignore_ascii_case("as") => Some(name),
            _ => None,
        };
        let expansion = self.lexer.process_word(&base_written, &self.global_scope);
        let (base_text, base) = match expansion {
            Err(e) => (
                base_written.clone(),
                Base::Unresolved {
                    text: base_written.clone(),
                    reason: e.to_string(),
                },
            ),
            Ok(e) if !is_determined(&self.lexer, &base_written, &e) || e.value.is_empty() => (
                e.value.clone(),
                Base::Unresolved {
                    text: base_written.clone(),
                    reason: format!(
                        "depends on {}",
                        e.unmatched.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                },
            ),
            Ok(e) => {
                let base = if e.value.eq_ignore_ascii_case("scratch") {
                    Base::Scratch
                } else if let Some(s) = find_stage(&self.stages, &e.value, index)
                    .filter(|&s| self.stages[s].name.is_some())
                {
                    Base::Stage(s)
                } else {
                    match ImageRef::parse(&e.value) {
                        Ok(r) => Base::Image(r),
                        Err(err) => Base::Unresolved {
                            text: e.value.clone(),
                            reason: err.to_string(),
                        },
                    }
                };
                (e.value, base)
            }
        };
        let platform = ins.flag("platform").and_then(|f| f.value.clone());
        self.stages.push(Stage {
            index,
            name: name_word.map(|w| w.value.to_ascii_lowercase()),
            name_written: name_word.map(|w| (w.value.clone(), w.span)),
            from_instruction: i,
            instructions: i..i + 1,
            base_text,
            base_written,
            base_span,
            base,
            platform,
            dependencies: Vec::new(),
            reaches_target: false,
        });
    }

    fn link_stages(&mut self) {
        for s in 0..self.stages.len() {
            let mut deps = Vec::new();
            if let Base::Stage(p) = self.stages[s].base {
                deps.push(Dependency {
                    kind: DependencyKind::From,
                    stage: p,
                    instruction: self.stages[s].from_instruction,
                });
            }
            for i in self.stages[s].instructions.clone() {
                let ins = &self.df.instructions[i];
                let scope = self.contexts[i].scope.clone();
                let mut add = |kind, reference: &str| {
                    let reference = self
                        .lexer
                        .process_word(reference, scope.as_ref())
                        .map(|e| e.value)
                        .unwrap_or_else(|_| reference.to_string());
                    if let Some(stage) = find_stage(&self.stages, &reference, s) {
                        deps.push(Dependency {
                            kind,
                            stage,
                            instruction: i,
                        });
                    }
                };
                match ins.keyword {
                    Keyword::Copy | Keyword::Add => {
                        if let Some(v) = ins.flag("from").and_then(|f| f.value.as_deref()) {
                            add(DependencyKind::CopyFrom, v);
                        }
                    }
                    Keyword::Run => {
                        for f in ins.flags.iter().filter(|f| f.name == "mount") {
                            if let Some(from) =
                                f.value.as_deref().and_then(|v| mount_option(v, "from"))
                            {
                                add(DependencyKind::MountFrom, from);
                            }
                        }
                    }
                    _ => {}
                }
            }
            self.stages[s].dependencies = deps;
        }
        if let Some(last) = self.stages.len().checked_sub(1) {
            let mut todo = vec![last];
            while let Some(s) = todo.pop() {
                if std::mem::replace(&mut self.stages[s].reaches_target, true) {
                    continue;
                }
                todo.extend(self.stages[s].dependencies.iter().map(|d| d.stage));
            }
        }
    }
}

/// The value of `key` in a `--mount` flag value (`type=cache,target=/x`).
pub fn mount_option<'v>(value: &'v str, key: &str) -> Option<&'v str> {
    value.split(',').find_map(|part| {
        let (k, v) = part.split_once('=')?;
        k.trim().eq_ignore_ascii_case(key).then_some(v.trim())
    })
}

/// A WORKDIR relative to the current one, as BuildKit joins them.
fn join_workdir(current: Option<&str>, next: &str) -> String {
    if next.starts_with('/') {
        return clean_path(next);
    }
    clean_path(&format!("{}/{}", current.unwrap_or("/"), next))
}

fn clean_path(p: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
mod tests;
