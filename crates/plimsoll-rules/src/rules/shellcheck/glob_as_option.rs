use super::common::is_shell;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an unquoted glob that starts with `*` or `?` given to a
    /// command as an argument, before any `--` (ShellCheck SC2035).
    ///
    /// ## Why is this bad?
    /// A file named `-rf` or `--force` matches the glob and reaches the
    /// command as an option. `./*` matches the same files, each starting
    /// with `./`, which no command reads as an option.
    ///
    /// Not flagged, as in ShellCheck: `echo` and `printf`, which take no
    /// options from files, and globs after `--`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN cd /opt/app/plugins && chmod +x *.sh
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN cd /opt/app/plugins && chmod +x ./*.sh
    /// ```
    pub struct GlobAsOption {
        code: "SC2035",
        name: "glob_as_option",
        aliases: [],
        severity: Info,
        summary: "Use `./*glob*` or `-- *glob*` so names with dashes won't become options",
        url: Some("https://www.shellcheck.net/wiki/SC2035"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for GlobAsOption {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for (_, script) in cx.run_scripts() {
            if !is_shell(script) {
                continue;
            }
            for cmd in &script.commands {
                let Some(inv) = cmd.effective() else {
                    continue;
                };
                if ["echo", "printf", "[[", "["].iter().any(|n| inv.name_is(n)) {
                    continue;
                }
                for word in inv.args {
                    if word.is("--") {
                        break;
                    }
                    if word.text.starts_with(['*', '?']) {
                        spans.push(word.span);
                    }
                }
            }
        }
        for span in spans {
            cx.report(
                span,
                "Use ./*glob* or -- *glob* so names with dashes won't become options.",
            );
        }
    }
}
