//! The shell layer: the scripts of RUN instructions as commands, words,
//! pipelines and lists, every piece with its span in the Dockerfile.
//!
//! Rules are written against this crate's own types, never against the
//! parser's tree, so the parser can be swapped. Scripts are parsed with
//! [brush-parser](https://docs.rs/brush-parser) (bash grammar for every
//! dialect; rules decide by [`Dialect`] what is allowed); a script it
//! rejects, or one too large or too deeply nested to hand over, is read by
//! a tolerant splitter of our own, marked [`ParseOutcome::Fallback`]:
//! findings may be less precise, but nothing is dropped and nothing panics.
//!
//! ```
//! use plimsoll_shell::{Shell, analyze_run};
//!
//! let df = plimsoll_syntax::parse_str("FROM debian\nRUN sudo apt-get install -qy curl | tee log\n");
//! let scripts = analyze_run(&df, &df.instructions[1], &Shell::default());
//! let script = &scripts[0];
//! let apt = script.commands[0].runs("apt-get").unwrap();
//! assert!(apt.subcommand_is("install") && apt.has_flag(&["-y", "--yes"]));
//! assert!(apt.wrapped_by("sudo"));
//! assert_eq!(df.slice(script.commands[1].span), "tee log");
//! assert!(script.pipelines[0].masks_failure());
//! ```
//!
//! What a RUN's scripts are (see [`ScriptSource`]):
//! - shell form: the text after `RUN` and its flags, continuations
//!   removed; when the line has heredocs and is not a lone `<<EOF`, they
//!   are appended as BuildKit does (`RUN cat <<EOF > /x` is one script
//!   whose `cat` has a heredoc redirection);
//! - `RUN <<EOF`: the body is the script, run by the stage's shell or by
//!   its `#!` line (`#!/usr/bin/env python3` makes it a skipped script);
//! - a heredoc fed to a shell (`RUN bash -e <<EOF`): its body too;
//! - exec form: one command with the argv as given, and for
//!   `["sh", "-c", "…"]` the command string as a script of its own;
//! - after those, the command string of every shell they run with `-c`
//!   (`RUN sudo bash -c "apt-get update && …"`, `su app -c "…"`), as
//!   scripts of their own ([`ScriptSource::CommandString`]).
//!
//! ONBUILD RUN is analysed like RUN. PowerShell and cmd scripts are
//! recognised and skipped ([`ParseOutcome::Skipped`]).

mod args;
mod braces;
mod build;
mod dialect;
mod exact;
mod fallback;
mod nested;
mod script;
mod source;
mod word;

pub use args::{FlagValue, Invocation};
pub use dialect::{Dialect, Shell, ShellOptions};
pub use script::{
    Assignment, Command, Connector, ForLoop, Nesting, ParseOutcome, Pipeline, Redirect, RedirectOp,
    Script, ScriptSource,
};
pub use word::{Expansion, ExpansionKind, Quoting, Word};

use build::{Builder, Ctx, Fragment};
use plimsoll_syntax::{Dockerfile, Heredoc, Instruction, Keyword, LogicalText};
use source::SourceMap;

/// The scripts of a RUN (or `ONBUILD RUN`) instruction of `df`, in the
/// order they appear; empty for any other instruction. `shell` is the
/// SHELL in force (see [`Shell::from_argv`]); the `# hadolint shell=`
/// pragma, when given, replaces its dialect ([`Shell::with_dialect`]).
///
/// After the instruction's own scripts come the command strings of the
/// shells they run (`sh -c "…"`, `su app -c "…"`), each a script of its
/// own ([`ScriptSource::CommandString`]), so that rules see the commands
/// inside; the indices of the scripts before them do not move.
pub fn analyze_run(df: &Dockerfile, ins: &Instruction, shell: &Shell) -> Vec<Script> {
    nested::with_command_strings(run_scripts(df, ins, shell))
}

fn run_scripts(df: &Dockerfile, ins: &Instruction, shell: &Shell) -> Vec<Script> {
    let ins = match ins.keyword {
        Keyword::Run => ins,
        Keyword::Onbuild => match ins.onbuild.as_deref() {
            Some(inner) if inner.keyword == Keyword::Run => inner,
            _ => return Vec::new(),
        },
        _ => return Vec::new(),
    };
    if ins.is_exec_form() {
        return exec_form(ins, shell);
    }
    if ins.heredocs.is_empty() {
        return vec![analyze_script(&ins.rest, ScriptSource::ShellForm, shell)];
    }
    if is_lone_heredoc(&ins.rest.text) {
        let h = &ins.heredocs[0];
        let map = source::heredoc_text(&df.text, h);
        let shell = shebang(&h.content).unwrap_or_else(|| shell.clone());
        return vec![analyze_mapped(
            SourceMap::new(map),
            ScriptSource::Heredoc { index: 0 },
            &shell,
        )];
    }
    let map = source::with_heredocs(&df.text, &ins.rest, &ins.heredocs);
    let script = analyze_mapped(SourceMap::new(map), ScriptSource::ShellForm, shell);
    let fed = heredocs_fed_to_shells(&script, &ins.heredocs);
    let mut out = vec![script];
    for (index, shell) in fed {
        let map = source::heredoc_text(&df.text, &ins.heredocs[index]);
        out.push(analyze_mapped(
            SourceMap::new(map),
            ScriptSource::Heredoc { index },
            &shell,
        ));
    }
    out
}

/// The scripts of an instruction without the command strings
/// [`analyze_run`] appends ([`ScriptSource::CommandString`]): the shell
/// form, exec form and heredoc bodies, the scripts a fix may edit.
pub fn own_scripts(scripts: &[Script]) -> &[Script] {
    let end = scripts
        .iter()
        .position(Script::is_command_string)
        .unwrap_or(scripts.len());
    &scripts[..end]
}

/// The scripts of a `CMD` or `ENTRYPOINT` (also inside `ONBUILD`): the
/// shell form as one script in the stage's shell (`shell`), the exec form
/// as one command, plus the command string of a shell's `-c`
/// (`["sh", "-c", "…"]`), as for RUN. Empty for other instructions.
pub fn analyze_command(ins: &Instruction, shell: &Shell) -> Vec<Script> {
    let ins = match (ins.keyword, ins.onbuild.as_deref()) {
        (Keyword::Onbuild, Some(inner)) => inner,
        _ => ins,
    };
    if !matches!(ins.keyword, Keyword::Cmd | Keyword::Entrypoint) {
        return Vec::new();
    }
    if ins.is_exec_form() {
        return exec_form(ins, shell);
    }
    if ins.rest.text.trim().is_empty() {
        return Vec::new();
    }
    vec![analyze_script(&ins.rest, ScriptSource::ShellForm, shell)]
}

/// A heredoc body of `df` (of RUN, COPY or ADD) read as a shell script,
/// with spans into the Dockerfile: for scripts a Dockerfile writes to a
/// file (`COPY <<EOF /entrypoint.sh`). A `#!` line picks the shell (a
/// non-shell interpreter gives a skipped script); `shell` otherwise.
pub fn analyze_heredoc(df: &Dockerfile, heredoc: &Heredoc, shell: &Shell) -> Script {
    let map = source::heredoc_text(&df.text, heredoc);
    let shell = shebang(&heredoc.content).unwrap_or_else(|| shell.clone());
    analyze_mapped(
        SourceMap::new(map),
        ScriptSource::Heredoc { index: 0 },
        &shell,
    )
}

/// A script that is not in the Dockerfile (a file of the build context):
/// its spans are byte ranges of `text` itself, not Dockerfile offsets. A
/// `#!` line picks the shell; `shell` otherwise.
pub fn analyze_text(text: &str, shell: &Shell) -> Script {
    let map = LogicalText {
        text: text.to_string(),
        offsets: (0..=text.len()).collect(),
    };
    let shell = shebang(text).unwrap_or_else(|| shell.clone());
    analyze_mapped(SourceMap::new(map), ScriptSource::ShellForm, &shell)
}

/// Analyses one script text (with its map to the Dockerfile: any
/// [`LogicalText`], such as a shell-form CMD's `rest`).
pub fn analyze_script(text: &LogicalText, source: ScriptSource, shell: &Shell) -> Script {
    analyze_mapped(SourceMap::new(text.clone()), source, shell)
}

fn analyze_mapped(map: SourceMap, source: ScriptSource, shell: &Shell) -> Script {
    let mut script = Script {
        source,
        dialect: shell.dialect.clone(),
        text: map.text.text.clone(),
        span: map.span(0, map.text.text.len()),
        commands: Vec::new(),
        pipelines: Vec::new(),
        loops: Vec::new(),
        outcome: ParseOutcome::Skipped,
        initial_options: shell.options,
        map,
    };
    if !shell.dialect.is_analyzable() {
        return script;
    }
    let mut b = Builder::new(&script.map, shell.options);
    b.parse(&Fragment::whole(&script.text), Ctx::default());
    let outcome = match b.fallback.take() {
        None => ParseOutcome::Exact,
        Some((reason, at)) => ParseOutcome::Fallback {
            reason,
            span: at.map(|r| b.span(r)),
        },
    };
    let (commands, pipelines, loops) = (b.commands, b.pipelines, b.loops);
    script.loops = loops;
    script.outcome = outcome;
    script.commands = commands;
    script.pipelines = pipelines;
    script
}

/// The shell of a body starting with `#!`.
fn shebang(content: &str) -> Option<Shell> {
    let first = content.lines().next()?;
    Shell::from_shebang(first.trim_end())
}

/// True when the whole line is one heredoc word (`<<EOF`, `<<-"EOF"`):
/// BuildKit then runs the body itself as the script.
fn is_lone_heredoc(rest: &str) -> bool {
    let t = rest.trim();
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit());
    let Some(t) = t.strip_prefix("<<") else {
        return false;
    };
    let t = t.strip_prefix('-').unwrap_or(t);
    if t.is_empty() || t.contains('<') {
        return false;
    }
    // One word: no blank outside quotes.
    let mut quote = None;
    for c in t.chars() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, c) if c.is_whitespace() => return false,
            _ => {}
        }
    }
    true
}

/// The heredocs of the instruction that a shell reads as its script
/// (`bash <<EOF`, `sudo sh -e <<EOF`), with the shell that runs each.
fn heredocs_fed_to_shells(script: &Script, heredocs: &[Heredoc]) -> Vec<(usize, Shell)> {
    let mut out = Vec::new();
    let mut ordinal = 0;
    for cmd in &script.commands {
        for r in &cmd.redirects {
            let (RedirectOp::Heredoc { .. }, Some(body)) = (r.op, r.body) else {
                continue;
            };
            ordinal += 1;
            let by_span = heredocs
                .iter()
                .position(|h| !h.body_span.is_empty() && h.body_span.start == body.start);
            let Some(index) = by_span.or((ordinal <= heredocs.len()).then(|| ordinal - 1)) else {
                continue;
            };
            let Some(inv) = cmd.effective() else {
                continue;
            };
            let dialect = Dialect::from_name(inv.name.value_or_text());
            let reads_stdin = dialect.is_analyzable()
                && inv.basename() != Some("busybox")
                && !inv.has_flag(&["-c"])
                && (inv.has_flag(&["-s"])
                    || inv.positional_args(&["-o", "-O", "+o", "+O"]).is_empty());
            if reads_stdin && (r.fd.is_none() || r.fd == Some(0)) {
                let argv: Vec<&str> = std::iter::once(inv.name.value_or_text())
                    .chain(inv.args.iter().map(Word::value_or_text))
                    .collect();
                out.push((index, Shell::from_argv(&argv)));
            }
        }
    }
    out
}

/// The exec form: the argv as one command, and the command string of a
/// shell's `-c` as a script of its own.
fn exec_form(ins: &Instruction, shell: &Shell) -> Vec<Script> {
    let strings = source::json_strings(&ins.rest);
    let agrees = strings.len() == ins.args.len()
        && strings
            .iter()
            .zip(&ins.args)
            .all(|(s, a)| s.value.text.text == a.value);
    let words: Vec<Word> = ins
        .args
        .iter()
        .enumerate()
        .map(|(i, a)| Word {
            text: if agrees {
                ins.rest.text[strings[i].literal.clone()].to_string()
            } else {
                a.value.clone()
            },
            value: Some(a.value.clone()),
            span: a.span,
            quoting: Quoting::Double,
            expansions: Vec::new(),
        })
        .collect();
    let span = ins.rest.source_span(0, ins.rest.text.len());
    let mut out = Vec::new();
    let mut script = Script {
        source: ScriptSource::ExecForm,
        dialect: shell.dialect.clone(),
        text: ins.rest.text.clone(),
        span,
        commands: Vec::new(),
        pipelines: Vec::new(),
        loops: Vec::new(),
        outcome: ParseOutcome::Exact,
        initial_options: ShellOptions::default(),
        map: SourceMap::new(ins.rest.clone()),
    };
    let mut words = words.into_iter();
    if let Some(name) = words.next() {
        let command = Command {
            span: words
                .as_slice()
                .last()
                .map_or(name.span, |w| name.span.cover(w.span)),
            name: Some(name),
            args: words.collect(),
            env: Vec::new(),
            redirects: Vec::new(),
            pipeline: 0,
            connector_before: None,
            background: false,
            nesting: Nesting::default(),
            options: ShellOptions::default(),
            after_cd: None,
            effective_at: None,
        }
        .with_effective_at();
        script.pipelines.push(Pipeline {
            stages: std::iter::once(0..1).collect(),
            negated: false,
            span: command.span,
            connector_before: None,
            background: false,
            nesting: Nesting::default(),
            options: ShellOptions::default(),
        });
        script.commands.push(command);
    }
    let inner = script.commands.first().and_then(|cmd| {
        let inv = cmd.invocation()?;
        let dialect = Dialect::from_name(inv.name.value_or_text());
        if !dialect.is_analyzable() || !inv.has_flag(&["-c"]) {
            return None;
        }
        // The command string is the first operand: `bash -o pipefail -c
        // "…"`, `sh -ec "…"`.
        let operand = inv
            .positional_args(&["-o", "-O", "+o", "+O"])
            .into_iter()
            .next()?;
        let k = 1 + inv.args.iter().position(|w| std::ptr::eq(w, operand))?;
        let argv: Vec<&str> = ins.args[..k].iter().map(|a| a.value.as_str()).collect();
        let map = if agrees {
            strings[k].value.clone()
        } else {
            SourceMap::new(source::approximate(&ins.args[k].value, ins.args[k].span))
        };
        Some(analyze_mapped(
            map,
            ScriptSource::ExecScript { arg: k },
            &Shell::from_argv(&argv),
        ))
    });
    out.push(script);
    out.extend(inner);
    out
}

#[cfg(test)]
mod tests;
