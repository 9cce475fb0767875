pub use plimsoll_config::LabelType;
use plimsoll_diagnostics::{Finding, RuleInfo, Span};
use plimsoll_model::SemanticModel;
use plimsoll_shell::{Dialect, Script, Shell, analyze_command, analyze_run};
use plimsoll_syntax::{Dockerfile, Instruction, Keyword};
use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::path::{Component, Path};

/// The largest build-context file a rule reads ([`Checker::context_file`]).
pub const CONTEXT_FILE_LIMIT: u64 = 256 * 1024;

/// Settings that change what rules look for.
#[derive(Debug, Clone, Default)]
pub struct RuleOptions {
    /// Registries FROM may use (DL3026); empty means any. `*.gcr.io`
    /// style wildcards match subdomains.
    pub trusted_registries: Vec<String>,
    /// Labels that must be present, with their value format.
    pub label_schema: BTreeMap<String, LabelType>,
    /// Labels outside the schema are reported.
    pub strict_labels: bool,
}

/// What a rule sees while it checks one Dockerfile.
pub struct Checker<'a> {
    pub file: &'a str,
    pub dockerfile: &'a Dockerfile,
    pub model: &'a SemanticModel<'a>,
    pub options: &'a RuleOptions,
    pub(crate) current: Option<&'static RuleInfo>,
    pub(crate) findings: Vec<Finding>,
    /// The shell scripts of every RUN, parsed once on first use.
    scripts: OnceCell<Vec<Vec<Script>>>,
    /// The scripts of every CMD and ENTRYPOINT, parsed once on first use.
    command_scripts: OnceCell<Vec<Vec<Script>>>,
    /// The build context, when the caller knows it.
    context: Option<&'a Path>,
    /// How many syntax errors instructions have when parsed on their own
    /// (fix checks compare against it), by instruction span.
    isolated_errors: RefCell<Vec<(Span, usize)>>,
}

impl<'a> Checker<'a> {
    pub fn new(
        file: &'a str,
        dockerfile: &'a Dockerfile,
        model: &'a SemanticModel<'a>,
        options: &'a RuleOptions,
    ) -> Self {
        Checker {
            file,
            dockerfile,
            model,
            options,
            current: None,
            findings: Vec::new(),
            scripts: OnceCell::new(),
            command_scripts: OnceCell::new(),
            context: None,
            isolated_errors: RefCell::new(Vec::new()),
        }
    }

    /// `count()` for the instructions at `range`, computed once per range:
    /// each fix of a RUN is checked against the same original.
    pub(crate) fn isolated_errors(&self, range: Span, count: impl FnOnce() -> usize) -> usize {
        if let Some(&(_, n)) = self
            .isolated_errors
            .borrow()
            .iter()
            .find(|(r, _)| *r == range)
        {
            return n;
        }
        let n = count();
        self.isolated_errors.borrow_mut().push((range, n));
        n
    }

    /// The same checker, reading build-context files from `dir`.
    pub fn with_context(mut self, dir: Option<&'a Path>) -> Self {
        self.context = dir;
        self
    }

    /// The shell pragma (`# hadolint shell=…`), if any.
    fn pragma_dialect(&self) -> Option<Dialect> {
        self.dockerfile
            .comments
            .iter()
            .find_map(|c| match crate::parse_pragma(&c.text)?.kind {
                crate::PragmaKind::Shell(name) => Some(Dialect::from_pragma(&name)),
                _ => None,
            })
    }

    /// The scripts of the `CMD` or `ENTRYPOINT` at `index` (also inside
    /// `ONBUILD`): the shell form in the stage's shell, the exec form as
    /// one command plus a shell's `-c` string. Parsed once for all rules;
    /// empty for other instructions.
    pub fn command_scripts(&self, index: usize) -> &[Script] {
        let all = self.command_scripts.get_or_init(|| {
            let pragma = self.pragma_dialect();
            self.dockerfile
                .instructions
                .iter()
                .enumerate()
                .map(|(i, ins)| {
                    let inner = match (ins.keyword, ins.onbuild.as_deref()) {
                        (Keyword::Onbuild, Some(o)) => o.keyword,
                        (k, _) => k,
                    };
                    if !matches!(inner, Keyword::Cmd | Keyword::Entrypoint) {
                        return Vec::new();
                    }
                    let mut shell = Shell::from_argv(&self.model.context(i).shell);
                    if let Some(d) = &pragma {
                        shell = shell.with_dialect(d.clone());
                    }
                    analyze_command(ins, &shell)
                })
                .collect()
        });
        all.get(index).map_or(&[], Vec::as_slice)
    }

    /// True when the build context is known ([`Checker::context_file`]
    /// can read from it).
    pub fn has_context(&self) -> bool {
        self.context.is_some()
    }

    /// The text of a regular file of the build context, by its path
    /// relative to the context (as a COPY source names it). `None` without
    /// a known context, for paths that leave it (`..`, symlinks pointing
    /// outside), for directories and for files over
    /// [`CONTEXT_FILE_LIMIT`]. Invalid UTF-8 is replaced.
    pub fn context_file(&self, path: &str) -> Option<String> {
        let root = self.context?;
        let rel = Path::new(path.trim_start_matches('/'));
        if rel.as_os_str().is_empty()
            || rel
                .components()
                .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return None;
        }
        let root = root.canonicalize().ok()?;
        let full = root.join(rel).canonicalize().ok()?;
        if !full.starts_with(&root) {
            return None;
        }
        let meta = std::fs::metadata(&full).ok()?;
        if !meta.is_file() || meta.len() > CONTEXT_FILE_LIMIT {
            return None;
        }
        let bytes = std::fs::read(&full).ok()?;
        if bytes.len() as u64 > CONTEXT_FILE_LIMIT {
            return None;
        }
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The shell scripts of instruction `index` (a RUN or ONBUILD RUN:
    /// its shell form, exec form, heredoc bodies), parsed once for all
    /// rules in the dialect of the stage's SHELL or of a `# hadolint
    /// shell=` pragma. Empty for other instructions.
    pub fn scripts(&self, index: usize) -> &[Script] {
        let all = self.scripts.get_or_init(|| {
            self.dockerfile
                .instructions
                .iter()
                .enumerate()
                .map(|(i, ins)| {
                    let runs = ins.keyword == Keyword::Run
                        || ins
                            .onbuild
                            .as_ref()
                            .is_some_and(|o| o.keyword == Keyword::Run);
                    if !runs {
                        return Vec::new();
                    }
                    analyze_run(self.dockerfile, ins, &self.shell(i))
                })
                .collect()
        });
        all.get(index).map_or(&[], Vec::as_slice)
    }

    /// The shell RUN scripts of instruction `index` are read in: the
    /// stage's SHELL, in the dialect of a `# hadolint shell=` pragma when
    /// there is one.
    pub fn shell(&self, index: usize) -> Shell {
        let pragma = self.dockerfile.comments.iter().find_map(|c| {
            match crate::parse_pragma(&c.text)?.kind {
                crate::PragmaKind::Shell(name) => Some(Dialect::from_pragma(&name)),
                _ => None,
            }
        });
        let shell = self
            .model
            .contexts
            .get(index)
            .map_or_else(Shell::default, |c| Shell::from_argv(&c.shell));
        match pragma {
            Some(d) => shell.with_dialect(d),
            None => shell,
        }
    }

    /// Every RUN's scripts with the instruction index, in file order.
    pub fn run_scripts(&self) -> impl Iterator<Item = (usize, &Script)> + '_ {
        (0..self.dockerfile.instructions.len())
            .flat_map(move |i| self.scripts(i).iter().map(move |s| (i, s)))
    }

    /// Report a finding of the running rule at `span`; the returned
    /// finding can take a fix or redactions.
    pub fn report(&mut self, span: Span, message: impl Into<String>) -> &mut Finding {
        let info = self
            .current
            .expect("report() is only called from inside a rule's check");
        self.findings
            .push(Finding::new(info.code, info.severity, message, self.file).with_span(span));
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Top-level instructions with their indices.
    pub fn instructions(&self) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        self.dockerfile.instructions.iter().enumerate()
    }

    /// Instructions of one keyword, with their indices.
    pub fn instructions_of(
        &self,
        keyword: Keyword,
    ) -> impl Iterator<Item = (usize, &'a Instruction)> + 'a {
        self.dockerfile
            .instructions
            .iter()
            .enumerate()
            .filter(move |(_, i)| i.keyword == keyword)
    }

    /// The source text of a span.
    pub fn slice(&self, span: Span) -> &'a str {
        self.dockerfile.slice(span)
    }

    pub(crate) fn take_findings(&mut self) -> Vec<Finding> {
        std::mem::take(&mut self.findings)
    }
}
