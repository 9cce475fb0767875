use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `sudo` in a `RUN` instruction.
    ///
    /// ## Why is this bad?
    /// `sudo` is meant for interactive use: it needs a terminal for its
    /// password prompt, reads `/etc/sudoers`, changes the environment and
    /// forwards signals in ways that make build steps and entrypoints
    /// behave unpredictably. Build steps run as root unless a `USER` says
    /// otherwise: switch with `USER` around the step, or use a tool like
    /// `gosu` or `su-exec` to drop privileges at run time.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// USER app
    /// RUN sudo apt-get update
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN apt-get update
    /// USER app
    /// ```
    pub struct SudoUsed {
        code: "DL3004",
        name: "sudo_used",
        aliases: [],
        severity: Error,
        summary: "Do not use sudo",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3004"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for SudoUsed {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (_, script) in cx.run_scripts() {
            for cmd in &script.commands {
                let Some(inv) = cmd.effective() else {
                    continue;
                };
                let sudo = std::iter::once(inv.name)
                    .chain(inv.wrappers.iter().copied())
                    .find(|w| {
                        w.value
                            .as_deref()
                            .is_some_and(|v| v.rsplit('/').next() == Some("sudo"))
                    });
                if let Some(w) = sudo {
                    found.push(w.span);
                }
            }
        }
        for span in found {
            cx.report(
                span,
                "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to \
                 enforce root",
            );
        }
    }
}
