use crate::rules::edit::{insert_after_word, is_gnu_distro, root_image};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `wget` without `--progress` and without an option that quiets
    /// it (`-q`, `-nv`, `-o <logfile>`, `-a <logfile>`).
    ///
    /// ## Why is this bad?
    /// Without a terminal, wget's default progress output prints a line of
    /// dots for every few kilobytes: a large download fills the build log
    /// with thousands of lines. `--progress=dot:giga` keeps it short, `-q`
    /// or `-nv` removes it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN wget https://example.com/big.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN wget --progress=dot:giga https://example.com/big.tar.gz
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `--progress=dot:giga` is inserted after `wget`; only the build
    /// log changes. It is offered only where the stage's base image is a
    /// GNU distribution (Debian, Ubuntu, Fedora, the Red Hat family, …, and
    /// the official language images built on them): BusyBox's `wget`, as on
    /// Alpine, does not know `--progress` and would fail.
    pub struct WgetWithoutProgress {
        code: "DL3047",
        name: "wget_without_progress",
        aliases: [],
        severity: Warning,
        summary: "Avoid use of wget without progress bar",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3047"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for WgetWithoutProgress {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (index, script) in cx.run_scripts() {
            for cmd in &script.commands {
                let Some(inv) = cmd.runs("wget") else {
                    continue;
                };
                let quiet = inv.has_flag(&[
                    "--progress",
                    "-q",
                    "--quiet",
                    "--no-verbose",
                    "-o",
                    "--output-file",
                    "-a",
                    "--append-output",
                ]) || inv.args.iter().any(|w| w.is("-nv"));
                // `wget --version` / `--help` download nothing.
                let downloads = !inv.has_flag(&["--version", "-V", "--help", "-h"]);
                if !quiet && downloads {
                    found.push((index, script.span, inv.name.span));
                }
            }
        }
        for (index, script, span) in found {
            let gnu = root_image(cx.model, index).is_some_and(is_gnu_distro);
            let fix = cx
                .scripts(index)
                .iter()
                .position(|s| s.span == script)
                .filter(|_| gnu)
                .and_then(|k| insert_after_word(cx, index, k, span, "--progress=dot:giga"))
                .map(|e| Fix::safe("Add `--progress=dot:giga`", vec![e]));
            cx.report(
                span,
                "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. \
                 Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).",
            )
            .fix = fix;
        }
    }
}
