//! Building fixes that edit RUN scripts, and checking them before they are
//! offered: the instruction is read again with the edits applied (on its
//! own, with the file's escape character), and the fix is kept only when
//! the script it gives is exactly the one meant — the same text with the
//! edit made where the shell sees it, and the number of commands expected.
//! Continuations, comment lines inside them, heredocs and the escape
//! directive are all handled by that one check rather than by each rule.

use crate::Checker;
use plimsoll_diagnostics::{Edit, Span};
use plimsoll_model::{Base, ImageRef, SemanticModel};
use plimsoll_shell::{Command, Connector, Nesting, Script, ScriptSource, analyze_run};
use plimsoll_syntax::Dockerfile;

/// The text of `range` of the source (whole instructions) with `edits`
/// applied, parsed on its own. `None` when an edit is outside the range
/// or the edited text has more syntax errors than the original.
pub(crate) fn reparse(cx: &Checker<'_>, range: Span, edits: &[Edit]) -> Option<Dockerfile> {
    let source = cx.dockerfile.text.get(range.range())?;
    let prefix = if cx.dockerfile.escape == '\\' {
        String::new()
    } else {
        format!("# escape={}\n", cx.dockerfile.escape)
    };
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let mut text = prefix.clone();
    let mut at = range.start;
    for e in sorted {
        if e.span.start < at || e.span.end > range.end {
            return None;
        }
        text.push_str(cx.dockerfile.text.get(at..e.span.start)?);
        text.push_str(&e.content);
        at = e.span.end;
    }
    text.push_str(cx.dockerfile.text.get(at..range.end)?);
    text.push('\n');
    let before = cx.isolated_errors(range, || {
        plimsoll_syntax::parse_str(&format!("{prefix}{source}\n"))
            .errors
            .len()
    });
    let after = plimsoll_syntax::parse_str(&text);
    (after.errors.len() <= before).then_some(after)
}

/// The logical offset (in the script text) of the source byte at `at`.
fn logical_at(script: &Script, at: usize) -> Option<usize> {
    (0..script.text.len()).find(|&i| script.source_span(i..i + 1).start == at)
}

/// The logical offset just after the source byte before `at`.
fn logical_after(script: &Script, at: usize) -> Option<usize> {
    let before = at.checked_sub(1)?;
    (0..script.text.len())
        .find(|&i| script.source_span(i..i + 1).start == before)
        .map(|i| i + 1)
}

/// The script text once `edits` are made, mapped from the source into the
/// script: an insertion goes after the script byte before it (or before
/// the one at it), a replacement covers the script bytes of its span.
fn edited_text(script: &Script, edits: &[Edit]) -> Option<String> {
    let mut logical: Vec<(usize, usize, &str)> = Vec::new();
    for e in edits {
        let (start, end) = if e.span.is_empty() {
            let at =
                logical_after(script, e.span.start).or_else(|| logical_at(script, e.span.start))?;
            (at, at)
        } else {
            (
                logical_at(script, e.span.start)?,
                logical_after(script, e.span.end)?,
            )
        };
        if end < start {
            return None;
        }
        logical.push((start, end, &e.content));
    }
    logical.sort_by_key(|&(s, e, _)| (s, e));
    let mut out = String::with_capacity(script.text.len());
    let mut at = 0;
    for (start, end, content) in logical {
        if start < at {
            return None;
        }
        out.push_str(script.text.get(at..start)?);
        out.push_str(content);
        at = end;
    }
    out.push_str(script.text.get(at..)?);
    Some(out)
}

/// `edits` to script `script` of RUN `index` when, read again, that script
/// is the edited text and has `delta` more commands (fewer when negative).
/// Only shell-form scripts and heredoc bodies are edited.
pub(crate) fn checked_script_edit(
    cx: &Checker<'_>,
    index: usize,
    script: usize,
    edits: Vec<Edit>,
    delta: isize,
) -> Option<Vec<Edit>> {
    let old = cx.scripts(index).get(script)?;
    if !matches!(
        old.source,
        ScriptSource::ShellForm | ScriptSource::Heredoc { .. }
    ) || !old.parsed_exactly()
    {
        return None;
    }
    let expected = edited_text(old, &edits)?;
    let scripts = reanalyze(cx, index, &edits)?;
    let new = scripts.get(script)?;
    let count = old.commands.len().checked_add_signed(delta)?;
    (new.text == expected && new.parsed_exactly() && new.commands.len() == count).then_some(edits)
}

/// The scripts of RUN `index` once `edits` (inside it) are made, read in
/// the shell it runs in; `None` unless it is still one instruction.
pub(crate) fn reanalyze(cx: &Checker<'_>, index: usize, edits: &[Edit]) -> Option<Vec<Script>> {
    let ins = cx.dockerfile.instructions.get(index)?;
    let df = reparse(cx, ins.span, edits)?;
    let [new_ins] = df.instructions.as_slice() else {
        return None;
    };
    Some(analyze_run(&df, new_ins, &cx.shell(index)))
}

/// The whitespace before an instruction on its line, to indent a line
/// inserted before it the same way.
pub(crate) fn indent_of<'a>(cx: &Checker<'a>, at: usize) -> &'a str {
    let text: &'a str = &cx.dockerfile.text;
    let line_start = text
        .get(..at)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    text.get(line_start..at)
        .filter(|t| t.chars().all(|c| c == ' ' || c == '\t'))
        .unwrap_or("")
}

/// Where to insert an instruction before instruction `index`: before the
/// comment lines right above it, so that a pragma there stays with it.
pub(crate) fn before_comments(cx: &Checker<'_>, index: usize) -> usize {
    let df = cx.dockerfile;
    let Some(ins) = df.instructions.get(index) else {
        return 0;
    };
    let floor = index
        .checked_sub(1)
        .and_then(|p| df.instructions.get(p))
        .map_or(0, |p| p.span.end);
    let mut at = ins.span.start - indent_of(cx, ins.span.start).len();
    for c in df.comments.iter().rev() {
        if c.span.end > at || c.span.start < floor {
            continue;
        }
        let line_start = c.span.start - indent_of(cx, c.span.start).len();
        let adjacent = df.text.get(c.span.end..at) == Some("\n");
        if !adjacent || line_start <= floor {
            break;
        }
        at = line_start;
    }
    at
}

/// The words of every command, for comparing scripts.
pub(crate) fn command_words(commands: &[Command]) -> Vec<Vec<&str>> {
    commands
        .iter()
        .map(|c| {
            c.name
                .iter()
                .chain(&c.args)
                .map(|w| w.value.as_deref().unwrap_or(&w.text))
                .collect()
        })
        .collect()
}

/// The top-level pipeline (not nested in anything) that holds command
/// `k`, by index.
pub(crate) fn top_level_pipeline(script: &Script, k: usize) -> Option<usize> {
    let cmd = script.commands.get(k)?;
    if cmd.nesting.function {
        return None;
    }
    script.pipelines.iter().position(|p| {
        p.nesting == Nesting::default()
            && p.span.start <= cmd.span.start
            && cmd.span.end <= p.span.end
    })
}

/// An edit that runs `command` (made of `added` simple commands) after
/// command `k` of script `script` of RUN `index`: ` && command` at the end of the `&&`/`||` list holding it
/// (or, when that does not check out, of its pipeline). Its status is the
/// list's when the list fails, so the RUN fails as before. `None` when the
/// command is in a function or the list runs in the background.
pub(crate) fn append_command(
    cx: &Checker<'_>,
    index: usize,
    script: usize,
    k: usize,
    command: &str,
    added: usize,
) -> Option<Edit> {
    let s = cx.scripts(index).get(script)?;
    let first = top_level_pipeline(s, k)?;
    let mut last = first;
    for (j, p) in s.pipelines.iter().enumerate().skip(first + 1) {
        if p.nesting != Nesting::default() {
            continue;
        }
        if matches!(p.connector_before, Some(Connector::And | Connector::Or)) {
            last = j;
        } else {
            break;
        }
    }
    if s.pipelines[first..=last]
        .iter()
        .any(|p| p.background && p.nesting == Nesting::default())
    {
        return None;
    }
    let ends = [s.pipelines[last].span.end, s.pipelines[first].span.end];
    ends.iter().find_map(|&at| {
        let edit = Edit::insert(at, format!(" && {command}"));
        checked_script_edit(cx, index, script, vec![edit], added as isize)?
            .into_iter()
            .next()
    })
}

/// `command` (commands joined by ` && `), each prefixed with `sudo `/`doas `
/// when `cmd` runs under one: a cleanup of what a root command wrote needs
/// root as well.
pub(crate) fn with_privileges(cmd: &Command, command: &str) -> String {
    let wrapper = cmd
        .effective()
        .and_then(|inv| ["sudo", "doas"].into_iter().find(|w| inv.wrapped_by(w)));
    match wrapper {
        Some(w) => command
            .split(" && ")
            .map(|c| format!("{w} {c}"))
            .collect::<Vec<_>>()
            .join(" && "),
        None => command.to_string(),
    }
}

/// An edit inserting ` text` right after `word` (a literal word of script
/// `script` of RUN `index`), checked.
pub(crate) fn insert_after_word(
    cx: &Checker<'_>,
    index: usize,
    script: usize,
    word: Span,
    text: &str,
) -> Option<Edit> {
    let edit = Edit::insert(word.end, format!(" {text}"));
    checked_script_edit(cx, index, script, vec![edit], 0)?
        .into_iter()
        .next()
}

/// The image a stage is ultimately built on, through `FROM <stage>`.
pub(crate) fn root_image<'m>(model: &'m SemanticModel<'_>, index: usize) -> Option<&'m ImageRef> {
    let mut stage = model.stage_of(index)?;
    for _ in 0..=model.stages.len() {
        match &stage.base {
            Base::Image(r) => return Some(r),
            Base::Stage(p) if *p < stage.index => stage = model.stages.get(*p)?,
            _ => return None,
        }
    }
    None
}

/// Images known to be a glibc distribution with bash and GNU tools
/// (Debian, Ubuntu, Fedora, the Red Hat family, SUSE, Arch, and the
/// official language images built on Debian); not their Alpine variants.
pub(crate) fn is_gnu_distro(image: &ImageRef) -> bool {
    const GNU: &[&str] = &[
        "debian",
        "ubuntu",
        "fedora",
        "centos",
        "rockylinux",
        "almalinux",
        "oraclelinux",
        "amazonlinux",
        "archlinux",
        "leap",
        "tumbleweed",
        "ubi8",
        "ubi9",
        "ubi",
        "buildpack-deps",
        "python",
        "node",
        "golang",
        "ruby",
        "php",
        "perl",
        "rust",
        "openjdk",
        "eclipse-temurin",
        "maven",
        "gradle",
        "gcc",
    ];
    let tag = image.tag.as_deref().unwrap_or("");
    let odd_tag = [
        "alpine",
        "busybox",
        "windowsservercore",
        "nanoserver",
        "micro",
    ]
    .iter()
    .any(|t| tag.contains(t));
    GNU.contains(&image.short_name()) && !odd_tag
}

/// A fix that runs `cleanup` (`added` commands) after the last command of
/// script `script` of RUN `index` that `uses` the package manager, under
/// the same `sudo`. `None` when another script of the RUN uses it too.
pub(crate) fn cleanup_after_last(
    cx: &Checker<'_>,
    index: usize,
    script: usize,
    uses: impl Fn(&Command) -> bool,
    cleanup: &str,
    added: usize,
) -> Option<Edit> {
    let scripts = cx.scripts(index);
    if scripts
        .iter()
        .enumerate()
        .any(|(j, s)| j != script && s.commands.iter().any(&uses))
    {
        return None;
    }
    let (k, last) = scripts
        .get(script)?
        .commands
        .iter()
        .enumerate()
        .rfind(|(_, c)| uses(c))?;
    let command = with_privileges(last, cleanup);
    append_command(cx, index, script, k, &command, added)
}
