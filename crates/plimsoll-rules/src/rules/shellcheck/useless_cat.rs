use super::common::is_shell;
use crate::rules::prelude::*;
use plimsoll_shell::{Quoting, Word};

declare_rule! {
    /// ## What it does
    /// Flags `cat file | cmd`: a `cat` of one file whose only job is to
    /// feed a pipe (ShellCheck SC2002, "useless cat").
    ///
    /// ## Why is this bad?
    /// It runs one more process and a pipe for nothing: `cmd < file` or
    /// `cmd file` reads the file directly, and lets `cmd` see a real file
    /// (it can seek, or report the file name).
    ///
    /// Not flagged, as in ShellCheck: `cat` with options (`cat -n`), of
    /// several files or none (that is concatenating, or reading stdin), of
    /// `-`, of a word the shell may split or glob (`cat $FILES`,
    /// `cat *.txt`), and a `cat` that is not the first command of the pipe.
    ///
    /// Off by default, as in ShellCheck since 0.10 (and so in hadolint):
    /// it is a matter of style, not of correctness. Enable it with
    /// `--extend-select SC2002`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN cat /tmp/packages.txt | xargs apt-get install -y
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN xargs apt-get install -y < /tmp/packages.txt
    /// ```
    pub struct UselessCat {
        code: "SC2002",
        name: "useless_cat",
        aliases: [],
        severity: Style,
        summary: "Useless cat: read the file with `cmd < file` instead",
        url: Some("https://www.shellcheck.net/wiki/SC2002"),
        fixable: false,
        default_enabled: false,
    }
}

impl Rule for UselessCat {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for (_, script) in cx.run_scripts() {
            if !is_shell(script) {
                continue;
            }
            for pipeline in script.pipelines.iter().filter(|p| p.is_piped()) {
                let [cat] = script.stage(pipeline, 0) else {
                    continue;
                };
                if !cat.name_is("cat") {
                    continue;
                }
                if let [file] = cat.args.as_slice()
                    && one_file(file)
                {
                    spans.push(file.span);
                }
            }
        }
        for span in spans {
            cx.report(
                span,
                "Useless cat. Consider 'cmd < file | ..' or 'cmd file | ..' instead.",
            );
        }
    }
}

/// True when `word` is one file name for sure: not an option, not `-`,
/// nothing the shell splits or globs.
fn one_file(word: &Word) -> bool {
    match &word.value {
        Some(v) => {
            let globbed = word.quoting == Quoting::Unquoted && v.contains(['*', '?', '[']);
            !(v.is_empty() || v.starts_with('-') || globbed)
        }
        None => word.expansions.iter().all(|e| e.quoted),
    }
}
