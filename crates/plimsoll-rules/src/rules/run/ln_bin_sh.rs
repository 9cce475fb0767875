use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `ln` commands that replace `/bin/sh` (`ln -sf /bin/bash
    /// /bin/sh`).
    ///
    /// ## Why is this bad?
    /// Relinking `/bin/sh` changes the shell of every script in the image,
    /// the system's own included, which may rely on the original `sh`. To
    /// run the Dockerfile's `RUN` instructions in another shell, say so
    /// with `SHELL`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN ln -sf /bin/bash /bin/sh
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// SHELL ["/bin/bash", "-c"]
    /// ```
    pub struct LnBinSh {
        code: "DL4005",
        name: "ln_bin_sh",
        aliases: [],
        severity: Warning,
        summary: "Use SHELL to change the default shell",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL4005"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for LnBinSh {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (_, script) in cx.run_scripts() {
            for cmd in &script.commands {
                let Some(inv) = cmd.runs("ln") else {
                    continue;
                };
                let ops = inv.positional_args(&["-S", "--suffix", "-t", "--target-directory"]);
                // The link is the last operand (`ln -s TARGET LINK`); with
                // one operand the link is created in the working directory.
                if ops.len() < 2 {
                    continue;
                }
                if let Some(link) = ops.last().filter(|w| w.is("/bin/sh")) {
                    found.push(link.span);
                }
            }
        }
        for span in found {
            cx.report(span, "Use SHELL to change the default shell");
        }
    }
}
