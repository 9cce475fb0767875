use crate::rules::edit::{command_words, reparse};
use crate::rules::prelude::*;
use plimsoll_shell::{Connector, Nesting, ScriptSource, analyze_run};

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that directly follows another `RUN` with the same
    /// flags, when each of the two runs a single command.
    ///
    /// ## Why is this bad?
    /// Every `RUN` makes a layer. Short steps in a row, such as
    /// `RUN mkdir /app` then `RUN chown app /app`, add layers (and pull
    /// and push time) for nothing; one `RUN` with `&&` does the same work.
    ///
    /// As in hadolint, a `RUN` of several commands (`a && b`, `a; b`,
    /// `a | b`, or one with a `$(…)`), or with other flags (`--mount`,
    /// `--network`, `--security`) than the one before, is taken as
    /// deliberately separate (for layer caching), and comments between the
    /// two do not separate them. PowerShell and cmd scripts, which are not
    /// read, are not counted as short.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN mkdir -p /app
    /// RUN chown nobody /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN mkdir -p /app && chown nobody /app
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the `RUN` is joined to the one before it with ` && \` and
    /// a continuation line (comment lines between them are kept inside
    /// it). The second script then runs in the shell of the first: a `cd`,
    /// `export`, `set` or variable of the first now applies to it, and an
    /// `exit` or a failing command joined with `;` in the first can stop
    /// or skip it. The layer cache also changes: both steps now rebuild
    /// together. It is offered only for two shell-form `RUN`s without
    /// heredocs whose first script has none of those commands (`cd`,
    /// `pushd`, `popd`, `exit`, `return`, `exec`, `set`, `export`, `unset`,
    /// `source`, `.`, `shopt`, `umask`, `alias`, `trap`, assignments,
    /// functions or background jobs), and without a pragma comment between
    /// them.
    pub struct ConsecutiveRuns {
        code: "DL3059",
        name: "consecutive_runs",
        aliases: [],
        severity: Info,
        summary: "Multiple consecutive `RUN` instructions",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3059"),
        fixable: true,
        default_enabled: true,
    }
}

/// A RUN's flags, by lower-cased name and value, sorted.
type Flags = Vec<(String, Option<String>)>;

impl Rule for ConsecutiveRuns {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        // The previous instruction when it was a RUN: its flags and size.
        let mut previous: Option<(Flags, usize)> = None;
        for (i, ins) in cx.instructions() {
            if ins.keyword != Keyword::Run {
                previous = None;
                continue;
            }
            let mut flags: Flags = ins
                .flags
                .iter()
                .map(|f| (f.name.to_ascii_lowercase(), f.value.clone()))
                .collect();
            flags.sort();
            // A PowerShell or cmd script is not read: its size is unknown.
            // `sh -c "…"` counts as one command, as in hadolint.
            let scripts = plimsoll_shell::own_scripts(cx.scripts(i));
            let count: usize = if scripts.iter().all(|s| s.is_analyzed()) {
                scripts.iter().map(|s| s.commands.len()).sum()
            } else {
                usize::MAX
            };
            if let Some((prev_flags, prev_count)) = &previous
                && *prev_flags == flags
                && count <= 1
                && *prev_count <= 1
            {
                found.push((i, ins.keyword_span));
            }
            previous = Some((flags, count));
        }
        for (i, span) in found {
            let fix = merge(cx, i);
            cx.report(
                span,
                "Multiple consecutive `RUN` instructions. Consider consolidation.",
            )
            .fix = fix;
        }
    }
}

/// Commands that change the shell the rest of a script runs in.
const STATEFUL: &[&str] = &[
    "cd", "pushd", "popd", "exit", "return", "exec", "set", "export", "unset", "source", ".",
    "shopt", "umask", "alias", "trap", "declare", "typeset", "readonly", "local", "eval",
];

/// RUN `cur` joined to the RUN before it with `&& \`.
fn merge(cx: &Checker<'_>, cur: usize) -> Option<Fix> {
    let prev = cur.checked_sub(1)?;
    let (p, c) = (
        cx.dockerfile.instructions.get(prev)?,
        cx.dockerfile.instructions.get(cur)?,
    );
    let (ps, cs) = (
        plimsoll_shell::own_scripts(cx.scripts(prev)),
        plimsoll_shell::own_scripts(cx.scripts(cur)),
    );
    let ([ps], [cs]) = (ps, cs) else {
        return None;
    };
    let simple = |ins: &Instruction, s: &plimsoll_shell::Script| {
        ins.keyword == Keyword::Run
            && !ins.is_exec_form()
            && ins.heredocs.is_empty()
            && s.source == ScriptSource::ShellForm
            && s.parsed_exactly()
            && !s.commands.is_empty()
    };
    let stateful = ps.commands.iter().any(|cmd| {
        cmd.nesting.function
            || cmd.background
            || (cmd.name.is_none() && !cmd.env.is_empty())
            || STATEFUL.iter().any(|n| cmd.name_is(n))
    });
    if !simple(p, ps) || !simple(c, cs) || stateful {
        return None;
    }
    let rest_start = c.rest.source_offset(0);
    let between = Span::new(p.span.end, rest_start);
    let comments: Vec<&str> = cx
        .dockerfile
        .comments
        .iter()
        .filter(|k| k.span.start >= between.start && k.span.end <= c.span.start)
        .map(|k| cx.slice(k.span))
        .collect();
    if comments
        .iter()
        .any(|k| crate::parse_pragma(k.trim_start_matches('#').trim()).is_some())
    {
        return None;
    }
    let mut joint = format!(" && {}", cx.dockerfile.escape);
    for k in comments {
        joint.push('\n');
        joint.push_str(k);
    }
    joint.push_str("\n    ");
    let edit = Edit::replace(between, joint);
    // Read the two again as one RUN: its commands must be those of both,
    // the second joined to the first by `&&`.
    let df = reparse(
        cx,
        Span::new(p.span.start, c.span.end),
        std::slice::from_ref(&edit),
    )?;
    let [merged] = df.instructions.as_slice() else {
        return None;
    };
    let scripts = analyze_run(&df, merged, &cx.shell(prev));
    let [m] = scripts.as_slice() else {
        return None;
    };
    let mut expected = command_words(&ps.commands);
    expected.extend(command_words(&cs.commands));
    let joined = m.commands.get(ps.commands.len()).is_some_and(|k| {
        k.connector_before == Some(Connector::And) && k.nesting == Nesting::default()
    });
    (m.parsed_exactly() && command_words(&m.commands) == expected && joined)
        .then(|| Fix::unsafe_("Join this `RUN` to the one before it with `&&`", vec![edit]))
}
