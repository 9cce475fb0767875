use crate::rules::prelude::*;
use plimsoll_shell::{Command, Script};

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
    pub struct CdInsteadOfWorkdir {
        code: "DL3003",
        name: "cd_instead_of_workdir",
        aliases: [],
        severity: Warning,
        summary: "Use WORKDIR to switch to a directory",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3003"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for CdInsteadOfWorkdir {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (_, script) in cx.run_scripts() {
            for (k, cmd) in script.commands.iter().enumerate() {
                if !cmd.name_is("cd") || cmd.nesting.subshell || cmd.nesting.substitution {
                    continue;
                }
                if removed_later(script, k, cmd) || goes_back(cmd) {
                    continue;
                }
                found.push(cmd.span);
            }
        }
        for span in found {
            cx.report(span, "Use WORKDIR to switch to a directory");
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
