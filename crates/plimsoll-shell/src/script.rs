//! What a script is made of: commands, pipelines, lists.

use crate::dialect::{Dialect, ShellOptions};
use crate::source::SourceMap;
use crate::word::Word;
use plimsoll_syntax::Span;
use std::ops::Range;

/// Where a script comes from in its instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScriptSource {
    /// The shell form: the instruction's text after the keyword and flags,
    /// followed by its heredocs when the line is not a lone `<<EOF`
    /// (`RUN cat <<EOF > /etc/x` is one script, as BuildKit runs it).
    ShellForm,
    /// The exec form (`RUN ["apt-get", "update"]`): one command, its argv
    /// as given, no shell involved.
    ExecForm,
    /// The command string of a shell run in exec form
    /// (`RUN ["sh", "-c", "<script>"]`): argv element `arg`.
    ExecScript { arg: usize },
    /// The body of the instruction's heredoc `index` when it is run as a
    /// script: `RUN <<EOF` (the stage's shell, or the body's `#!` line
    /// decides) or fed to a shell (`RUN bash <<EOF`).
    Heredoc { index: usize },
    /// The command string a shell gets with `-c` inside another script of
    /// the instruction (`sh -c "…"`, `bash -ec '…'`, `su app -c "…"`, also
    /// under `sudo`): script `parent` of the instruction, its command
    /// `command`. Its commands run in a child shell, so they are marked
    /// [`Nesting::subshell`] (and carry the nesting of the command that
    /// starts it); spans are exact when the string is one quoted word as
    /// written, else spread over the word. Strings inside strings are
    /// followed three levels deep.
    CommandString { parent: usize, command: usize },
}

/// How a script was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseOutcome {
    /// brush-parser read all of it.
    Exact,
    /// brush-parser rejected (part of) it, or it was too large or too
    /// deeply nested to hand over: the tolerant splitter read that part.
    /// Commands, words and their spans are still there; structure
    /// (grouping, control flow) may be less precise.
    Fallback {
        /// Why, e.g. `unterminated double quote`.
        reason: String,
        /// Where the parser stopped, when it said.
        span: Option<Span>,
    },
    /// Not a shell script (PowerShell, cmd, a `#!/usr/bin/env python3`
    /// heredoc): not analysed, no commands.
    Skipped,
}

/// One script: the shell form of a RUN, one heredoc body, or an exec-form
/// argv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    pub source: ScriptSource,
    pub dialect: Dialect,
    /// The text as the shell gets it (continuations removed).
    pub text: String,
    /// Where the script is in the Dockerfile.
    pub span: Span,
    /// Every simple command, nested ones included (in subshells, groups,
    /// loops, functions, `$(…)`), in the order they appear in the text.
    /// `[[ … ]]` is a command named `[[`. Redirections of a compound
    /// command (`{ …; } > log`) belong to no command.
    pub commands: Vec<Command>,
    /// Every pipeline (a single command is a pipeline of one), in the
    /// order they appear; nested ones after the one containing them.
    pub pipelines: Vec<Pipeline>,
    /// Every `for NAME in …` loop, in the order they end (an inner loop
    /// before the one holding it). Only scripts read exactly have them.
    pub loops: Vec<ForLoop>,
    pub outcome: ParseOutcome,
    /// The options the shell starts with (from `SHELL` or a shebang).
    pub initial_options: ShellOptions,
    pub(crate) map: SourceMap,
}

impl Script {
    /// False when the tolerant fallback was used (or nothing was parsed).
    pub fn parsed_exactly(&self) -> bool {
        self.outcome == ParseOutcome::Exact
    }

    /// False for scripts in a language that is not analysed.
    pub fn is_analyzed(&self) -> bool {
        self.outcome != ParseOutcome::Skipped
    }

    /// True for a `-c` string of a shell inside another script
    /// ([`ScriptSource::CommandString`]).
    pub fn is_command_string(&self) -> bool {
        matches!(self.source, ScriptSource::CommandString { .. })
    }

    /// The Dockerfile span of the bytes `range` of [`Script::text`].
    pub fn source_span(&self, range: Range<usize>) -> Span {
        self.map.span(range.start, range.end)
    }

    /// The commands of a pipeline stage.
    pub fn stage(&self, pipeline: &Pipeline, stage: usize) -> &[Command] {
        pipeline
            .stages
            .get(stage)
            .and_then(|r| self.commands.get(r.clone()))
            .unwrap_or(&[])
    }

    /// The first command (in order) matching `f`, and its index.
    pub fn find(&self, f: impl Fn(&Command) -> bool) -> Option<(usize, &Command)> {
        self.commands.iter().enumerate().find(|(_, c)| f(c))
    }

    /// The innermost `for` loop whose body holds command `k` and whose
    /// variable is `name`: while `k` runs, `$name` is one of the loop's
    /// values (unless the body assigns it first).
    pub fn loop_binding(&self, k: usize, name: &str) -> Option<&ForLoop> {
        self.loops
            .iter()
            .filter(|l| l.variable == name && l.body.contains(&k))
            .min_by_key(|l| l.body.len())
    }

    /// True when a pipeline of several commands runs without `pipefail`:
    /// only the last command's failure fails the RUN.
    pub fn masks_pipeline_failures(&self) -> bool {
        self.pipelines.iter().any(Pipeline::masks_failure)
    }
}

/// `for NAME in WORDS; do BODY; done`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForLoop {
    pub variable: String,
    /// The words after `in`, as written; `None` for `for NAME; do`, which
    /// loops over the positional parameters.
    pub values: Option<Vec<Word>>,
    /// The range of [`Script::commands`] its body holds (nested ones
    /// included).
    pub body: Range<usize>,
    pub span: Span,
}

impl ForLoop {
    /// The values the variable takes, when every word is a literal (one
    /// value per word, quotes removed: `a "b c"` gives `a` and `b c`).
    /// Globs and braces are kept as written. `None` when a word has an
    /// expansion (`$(seq 3)`, `$LIST`) or the loop has no `in` list.
    pub fn literal_values(&self) -> Option<Vec<String>> {
        let words = self.values.as_ref()?;
        words
            .iter()
            .map(|w| w.value.clone())
            .collect::<Option<Vec<String>>>()
    }
}

/// How a command is joined to the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Connector {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;` or a newline
    Seq,
    /// The previous list ended with `&`.
    Background,
    /// `|` (or `|&`)
    Pipe,
}

/// Where a command sits, beyond its pipeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Nesting {
    /// Inside `( … )`: `cd`, `set` and variables do not outlive it.
    pub subshell: bool,
    /// Inside `$( … )`, `` `…` ``, `<( … )` or `>( … )`.
    pub substitution: bool,
    /// Inside `{ …; }`.
    pub group: bool,
    /// In the condition of `if`, `while` or `until`.
    pub condition: bool,
    /// In a branch or loop body (`then`, `else`, `case`, `do`): it may run
    /// never or more than once.
    pub control_flow: bool,
    /// In a function body: runs only when the function is called.
    pub function: bool,
}

/// One simple command: `FOO=bar apt-get install -y x > log`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// The command word; `None` for a bare assignment or redirection
    /// (`FOO=bar`, `> file`).
    pub name: Option<Word>,
    pub args: Vec<Word>,
    /// `NAME=value` words before the name.
    pub env: Vec<Assignment>,
    pub redirects: Vec<Redirect>,
    /// From the first to the last of its words and redirections.
    pub span: Span,
    /// Index in [`Script::pipelines`] of the innermost pipeline holding it.
    pub pipeline: usize,
    /// How it is joined to the previous command of its list (`None` for
    /// the first). The first command of a subshell or group takes the
    /// connector of the group.
    pub connector_before: Option<Connector>,
    /// Its list ends with `&`.
    pub background: bool,
    pub nesting: Nesting,
    /// The `set` options in force when it runs.
    pub options: ShellOptions,
    /// Index in [`Script::commands`] of the `cd` (or `pushd`/`popd`) in
    /// effect in this shell when it runs, if any.
    pub after_cd: Option<usize>,
    /// Where the program [`Command::effective`] finds is, worked out once
    /// when the command is built: every rule asks it of every command.
    pub(crate) effective_at: Option<crate::args::EffectiveAt>,
}

/// `NAME=value`, `NAME+=value`, `NAME=(a b)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub name: String,
    /// The value as a word (for arrays, `(a b)` as written).
    pub value: Word,
    pub append: bool,
    pub span: Span,
}

/// A redirection of a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The file descriptor written before the operator (`2>`).
    pub fd: Option<u32>,
    pub op: RedirectOp,
    /// The file (also a process substitution, `>(tee log)`), the
    /// descriptor duplicated (`&1`'s `1`), the here-string, or a heredoc's
    /// delimiter; `None` for the `2>&1` that `|&` implies.
    pub target: Option<Word>,
    /// For a heredoc, where its body is in the Dockerfile.
    pub body: Option<Span>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RedirectOp {
    /// `<`
    Read,
    /// `>`
    Write,
    /// `>>`
    Append,
    /// `<>`
    ReadWrite,
    /// `>|`
    Clobber,
    /// `<&`
    DupInput,
    /// `>&`
    DupOutput,
    /// `&>` (`append`: `&>>`)
    OutputAndError { append: bool },
    /// `<<`, `<<-`
    Heredoc { strip_tabs: bool },
    /// `<<<`
    HereString,
}

impl Redirect {
    /// The target's literal value (`/dev/null`).
    pub fn target_value(&self) -> Option<&str> {
        self.target.as_ref()?.value.as_deref()
    }

    /// True for redirections that write a file (`>`, `>>`, `&>`, `>|`,
    /// `<>`).
    pub fn writes(&self) -> bool {
        matches!(
            self.op,
            RedirectOp::Write
                | RedirectOp::Append
                | RedirectOp::Clobber
                | RedirectOp::ReadWrite
                | RedirectOp::OutputAndError { .. }
        )
    }
}

/// Commands joined by `|`. A lone command is a pipeline of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pipeline {
    /// Per stage, the range of [`Script::commands`] it holds (all nested
    /// commands included; empty for `(( … ))`).
    pub stages: Vec<Range<usize>>,
    /// `! cmd`
    pub negated: bool,
    pub span: Span,
    pub connector_before: Option<Connector>,
    pub background: bool,
    pub nesting: Nesting,
    /// The options in force when it runs.
    pub options: ShellOptions,
}

impl Pipeline {
    /// More than one stage.
    pub fn is_piped(&self) -> bool {
        self.stages.len() > 1
    }

    /// Piped without `pipefail` in force: a failing stage other than the
    /// last goes unnoticed (hadolint DL4006).
    pub fn masks_failure(&self) -> bool {
        self.is_piped() && !self.options.pipefail
    }

    /// All commands of the pipeline.
    pub fn commands(&self) -> Range<usize> {
        match (self.stages.first(), self.stages.last()) {
            (Some(a), Some(b)) => a.start..b.end,
            _ => 0..0,
        }
    }
}
