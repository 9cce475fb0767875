use crate::rules::prelude::*;
use plimsoll_model::PLATFORM_ARGS;
use plimsoll_shell::{Command, ExpansionKind, Script, Word};
use std::collections::HashSet;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that uses a variable declared only before the first
    /// `FROM` (a global `ARG`, or one of BuildKit's automatic platform
    /// arguments such as `TARGETARCH`) without an `ARG NAME` in its stage
    /// (or a stage it is built on).
    ///
    /// Stays quiet when the stage defines the name with `ARG` or `ENV`,
    /// when the script sets it itself (`NAME=…`, `export`, `read`, `for
    /// NAME in`, `local`, `declare`), when the use says what happens if it
    /// is unset (`${NAME:-default}`, `${NAME-…}`, `${NAME:=…}`,
    /// `${NAME:?…}`, `${NAME:+…}`), for `ONBUILD RUN` (its variables are
    /// those of the build that triggers it), and when the name starts with
    /// the stage's base image name (`PYTHON_VERSION` on `python`): the base
    /// image most likely sets that variable in its environment.
    ///
    /// `UndefinedVar` reports the same mistake in the instructions BuildKit
    /// expands itself (`COPY`, `WORKDIR`, `ENV`, …); the shell expands the
    /// variables of `RUN`, so BuildKit cannot see them and only this rule
    /// does. The two never report the same word. (The reference corpus
    /// redeclares its global ARGs everywhere, so it finds nothing there.)
    ///
    /// ## Why is this bad?
    /// An `ARG` before the first `FROM` is in scope only for the `FROM`
    /// lines. Inside a stage it is undefined until the stage declares it
    /// again with `ARG NAME` (without a value, to take the global default).
    /// The shell then expands it to the empty string without any error:
    /// `curl …/v$VERSION/…` downloads the wrong file and
    /// `GOARCH=$TARGETARCH` builds for the build machine.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG VERSION=1.4.2
    /// FROM alpine:3.20
    /// RUN wget -q https://example.com/tool-$VERSION.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG VERSION=1.4.2
    /// FROM alpine:3.20
    /// ARG VERSION
    /// RUN wget -q https://example.com/tool-$VERSION.tar.gz
    /// ```
    pub struct GlobalArgInRun {
        code: "PL1017",
        name: "global_arg_in_run",
        aliases: [],
        severity: Warning,
        summary: "Global ARG used in RUN without being declared in the stage",
        url: Some("https://docs.docker.com/reference/dockerfile/#scope"),
        fixable: false,
        default_enabled: true,
    }
}

/// Names a script assigns (roughly: it may set them before the use).
fn assigned(script: &Script) -> HashSet<String> {
    let mut out = HashSet::new();
    for c in &script.commands {
        if c.name.is_none() {
            out.extend(c.env.iter().map(|a| a.name.clone()));
        }
        let Some(inv) = c.invocation() else {
            continue;
        };
        let name = |w: &Word| {
            w.value
                .as_deref()
                .map(|v| v.split(['=', '+']).next().unwrap_or(v).to_string())
        };
        if matches!(
            inv.basename(),
            Some("export" | "local" | "declare" | "typeset" | "readonly" | "read" | "getopts")
        ) {
            out.extend(inv.args.iter().filter_map(name));
        }
    }
    // `for NAME in …`: the loop variable is not a command word.
    for line in script.text.split(['\n', ';', '&', '|']) {
        let mut words = line.split_whitespace();
        while let Some(w) = words.next() {
            if w == "for"
                && let Some(v) = words.next()
            {
                out.insert(v.to_string());
            }
        }
    }
    out
}

/// The variables a word expands with no default, with the span of each
/// use.
fn plain_uses(word: &Word, source: &str) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    for e in &word.expansions {
        let ExpansionKind::Parameter { name } = &e.kind else {
            continue;
        };
        if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            continue;
        }
        // `${NAME:-x}` and friends handle the unset case.
        let src = source.get(e.span.range()).unwrap_or("");
        let handled = src
            .strip_prefix("${")
            .and_then(|r| r.strip_prefix(name.as_str()))
            .is_some_and(|r| {
                r.starts_with(":-")
                    || r.starts_with(":=")
                    || r.starts_with(":?")
                    || r.starts_with(":+")
                    || r.starts_with('-')
                    || r.starts_with('=')
                    || r.starts_with('?')
                    || r.starts_with('+')
            });
        if !handled {
            out.push((name.clone(), e.span));
        }
    }
    out
}

fn words(cmd: &Command) -> impl Iterator<Item = &Word> {
    cmd.name
        .iter()
        .chain(cmd.args.iter())
        .chain(cmd.env.iter().map(|a| &a.value))
        .chain(cmd.redirects.iter().filter_map(|r| r.target.as_ref()))
}

impl Rule for GlobalArgInRun {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut global: HashSet<&str> = PLATFORM_ARGS.iter().copied().collect();
        for &g in &cx.model.global_args {
            for kv in &cx.dockerfile.instructions[g].pairs {
                global.insert(kv.key.value.as_str());
            }
        }
        let mut found = Vec::new();
        for (i, ins) in cx.instructions() {
            if ins.keyword != Keyword::Run {
                continue;
            }
            // Uses of global names first: most RUNs have none, and the
            // rest of the work is only needed for those that do.
            let mut uses: Vec<(usize, String, Span)> = Vec::new();
            for (k, script) in cx.scripts(i).iter().enumerate() {
                for cmd in &script.commands {
                    for w in words(cmd) {
                        if w.expansions.is_empty() {
                            continue;
                        }
                        for (name, span) in plain_uses(w, &cx.dockerfile.text) {
                            if global.contains(name.as_str()) {
                                uses.push((k, name, span));
                            }
                        }
                    }
                }
            }
            if uses.is_empty() {
                continue;
            }
            let scope = &cx.model.context(i).scope;
            // ARGs of the stages this one is built on stay defined (as
            // UndefinedVar reads BuildKit).
            let inherited: HashSet<&str> = cx
                .model
                .lineage_before(i)
                .into_iter()
                .filter(|&j| cx.dockerfile.instructions[j].keyword == Keyword::Arg)
                .flat_map(|j| cx.dockerfile.instructions[j].pairs.iter())
                .map(|kv| kv.key.value.as_str())
                .collect();
            let image_prefix = cx
                .model
                .stage_of(i)
                .and_then(|s| super::common::root_image(cx, s.index))
                .map(|(r, _)| {
                    let mut p: String = r
                        .short_name()
                        .chars()
                        .map(|c| {
                            if c.is_ascii_alphanumeric() {
                                c.to_ascii_uppercase()
                            } else {
                                '_'
                            }
                        })
                        .collect();
                    p.push('_');
                    p
                });
            let scripts = cx.scripts(i);
            let assigned: Vec<HashSet<String>> = scripts.iter().map(assigned).collect();
            let mut seen: HashSet<String> = HashSet::new();
            for (k, name, span) in uses {
                if scope.is_declared(&name)
                    || inherited.contains(name.as_str())
                    || assigned[k].contains(&name)
                    || image_prefix.as_deref().is_some_and(|p| name.starts_with(p))
                    || !seen.insert(name.clone())
                {
                    continue;
                }
                found.push((span, name));
            }
        }
        for (span, name) in found {
            let what = if PLATFORM_ARGS.contains(&name.as_str()) {
                "an automatic platform ARG"
            } else {
                "declared before the first FROM"
            };
            cx.report(
                span,
                format!(
                    "`${name}` is {what} and not declared in this stage, so it is empty here: \
                     add `ARG {name}` to the stage"
                ),
            );
        }
    }
}
