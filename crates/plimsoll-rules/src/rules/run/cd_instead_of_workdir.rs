use crate::rules::edit::{before_comments, command_words, indent_of, reparse};
use crate::rules::prelude::*;
use plimsoll_shell::{Command, Connector, Nesting, Script, ScriptSource, analyze_run};

declare_rule! {
    /// ## What it does
    /// Flags `cd` in a `RUN` instruction.
    ///
    /// ## Why is this bad?
    /// The directory a `cd` switches to is forgotten at the end of the
    /// `RUN`, so the next instructions run elsewhere than they seem to,
    /// and long `cd a && … && cd ../b` chains are hard to follow. `WORKDIR`
    /// sets the directory for every following instruction, creates it when
    /// missing and documents where the work happens.
    ///
    /// Not reported, unlike hadolint: a `cd` in a subshell
    /// (`(cd src && make)`) or in a command substitution (`$(cd x && pwd)`),
    /// which cannot leak, and a `cd` into a directory the same script
    /// removes later (`cd /tmp/build && … && rm -rf /tmp/build`), where a
    /// `WORKDIR` would leave an empty directory behind. A `cd /`, `cd -`
    /// or `cd ~` that leaves an earlier `cd`'s directory is not reported
    /// either.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22
    /// RUN cd /src && go build ./...
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22
    /// WORKDIR /src
    /// RUN go build ./...
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: `RUN cd /dir && rest` becomes `WORKDIR /dir` and
    /// `RUN rest`. Unlike the `cd`, the `WORKDIR` stays in force for every
    /// later instruction of the stage (and of stages built on it) and for
    /// the container at run time, and it creates the directory when it is
    /// missing where the `cd` would have failed. It is offered only when
    /// the `cd` is the first command of a shell-form `RUN`, joined to the
    /// rest by `&&`, and goes to a literal absolute directory, or to a
    /// relative one under a known absolute `WORKDIR`.
    pub struct CdInsteadOfWorkdir {
        code: "DL3003",
        name: "cd_instead_of_workdir",
        aliases: [],
        severity: Warning,
        summary: "Use WORKDIR to switch to a directory",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3003"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for CdInsteadOfWorkdir {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (i, script) in cx.run_scripts() {
            for (k, cmd) in script.commands.iter().enumerate() {
                if !cmd.name_is("cd") || cmd.nesting.subshell || cmd.nesting.substitution {
                    continue;
                }
                if removed_later(script, k, cmd) || goes_back(cmd) {
                    continue;
                }
                found.push((i, k, cmd.span));
            }
        }
        for (i, k, span) in found {
            let fix = (k == 0).then(|| workdir(cx, i)).flatten();
            cx.report(span, "Use WORKDIR to switch to a directory").fix = fix;
        }
    }
}

/// A `cd /`, `cd -` or `cd ~` (or a bare `cd`) after an earlier `cd` of
/// the same shell: it leaves a directory, which the earlier `cd` is
/// reported for.
fn goes_back(cd: &Command) -> bool {
    cd.after_cd.is_some()
        && match cd.positional_args(&[]).first() {
            None => true,
            Some(w) => ["/", "-", "~"].iter().any(|d| w.is(d) || w.text == *d),
        }
}

/// True when the directory `cd` enters (a literal absolute path) is
/// removed with `rm -r` later in the script.
fn removed_later(script: &Script, k: usize, cd: &Command) -> bool {
    let Some(dir) = cd
        .positional_args(&[])
        .first()
        .and_then(|w| w.value.as_deref())
        .map(|d| d.trim_end_matches('/'))
        .filter(|d| d.starts_with('/') && d.len() > 1)
    else {
        return false;
    };
    script.commands.iter().skip(k + 1).any(|c| {
        c.runs("rm").is_some_and(|rm| {
            rm.has_flag(&["-r", "-R", "--recursive"])
                && rm.positional_args(&[]).iter().any(|w| {
                    w.value
                        .as_deref()
                        .map(|v| v.trim_end_matches('/'))
                        .is_some_and(|v| !v.is_empty() && super::common::covers(v, dir))
                })
        })
    })
}

/// `RUN cd /dir && rest` as `WORKDIR /dir` + `RUN rest`.
fn workdir(cx: &Checker<'_>, index: usize) -> Option<Fix> {
    let ins = cx.dockerfile.instructions.get(index)?;
    let [script] = plimsoll_shell::own_scripts(cx.scripts(index)) else {
        return None;
    };
    if ins.keyword != Keyword::Run
        || script.source != ScriptSource::ShellForm
        || !script.parsed_exactly()
    {
        return None;
    }
    let cd = script.commands.first()?;
    let [dir] = cd.args.as_slice() else {
        return None;
    };
    let dir = dir.value.as_deref()?;
    let esc = cx.dockerfile.escape;
    let plain = !dir.is_empty()
        && !dir.starts_with('-')
        && !dir.contains(|c: char| c.is_whitespace() || c == '$' || c == esc || c == '"');
    let dir = if dir.starts_with('/') {
        dir.to_string()
    } else {
        let base = cx.model.context(index).workdir.clone()?;
        if !base.starts_with('/') || dir.starts_with('~') {
            return None;
        }
        format!("{}/{dir}", base.trim_end_matches('/'))
    };
    // The `cd` alone in its pipeline, the rest after `&&`.
    let first = &script.pipelines.first()?;
    let next = script
        .pipelines
        .iter()
        .skip(1)
        .find(|p| p.nesting == Nesting::default())?;
    let alone = first.stages.len() == 1
        && !first.negated
        && first.span == cd.span
        && cd.nesting == Nesting::default()
        && cd.env.is_empty()
        && cd.redirects.is_empty();
    if !plain || !alone || next.connector_before != Some(Connector::And) || next.background {
        return None;
    }
    let at = before_comments(cx, index);
    let edits = vec![
        Edit::insert(
            at,
            format!("{}WORKDIR {dir}\n", indent_of(cx, ins.span.start)),
        ),
        Edit::delete(Span::new(cd.span.start, next.span.start)),
    ];
    let df = reparse(cx, Span::new(at, ins.span.end), &edits)?;
    let [w, run] = df.instructions.as_slice() else {
        return None;
    };
    let scripts = analyze_run(&df, run, &cx.shell(index));
    let [new] = scripts.as_slice() else {
        return None;
    };
    let same = w.keyword == Keyword::Workdir
        && w.args.first().is_some_and(|a| a.value == dir)
        && new.parsed_exactly()
        && command_words(&new.commands) == command_words(&script.commands[1..]);
    same.then(|| Fix::unsafe_(format!("Use `WORKDIR {dir}`"), edits))
}
