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
    pub struct WgetWithoutProgress {
        code: "DL3047",
        name: "wget_without_progress",
        aliases: [],
        severity: Warning,
        summary: "Avoid use of wget without progress bar",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3047"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for WgetWithoutProgress {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (_, script) in cx.run_scripts() {
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
                    found.push(inv.name.span);
                }
            }
        }
        for span in found {
            cx.report(
                span,
                "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. \
                 Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).",
            );
        }
    }
}
