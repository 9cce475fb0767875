use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a stage that uses both `wget` and `curl`, at each `RUN` that
    /// brings in the second tool.
    ///
    /// ## Why is this bad?
    /// Both download files; needing both means two tools (and their
    /// libraries) to install, patch and keep in the image. Settle on one.
    ///
    /// Each stage is checked on its own, as in hadolint. `curl` or `wget`
    /// named as a package or an argument (`apt-get install curl`) is not a
    /// use.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN wget -q https://example.com/a.tar.gz
    /// RUN curl -fsSLO https://example.com/b.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN curl -fsSLO https://example.com/a.tar.gz
    /// RUN curl -fsSLO https://example.com/b.tar.gz
    /// ```
    pub struct WgetAndCurl {
        code: "DL4001",
        name: "wget_and_curl",
        aliases: [],
        severity: Warning,
        summary: "Either use Wget or Curl but not both",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL4001"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for WgetAndCurl {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        // Tools seen in the current stage: (curl, wget).
        let mut seen = (false, false);
        let mut stage = None;
        for (i, ins) in cx.instructions() {
            if ins.keyword == Keyword::From {
                seen = (false, false);
            }
            let this_stage = cx.model.context(i).stage;
            if this_stage != stage {
                stage = this_stage;
                seen = (false, false);
            }
            let mut first = None;
            let mut uses = (false, false);
            for cmd in cx.scripts(i).iter().flat_map(|s| s.commands.iter()) {
                let Some(inv) = cmd.effective() else {
                    continue;
                };
                match inv.basename() {
                    Some("curl") => uses.0 = true,
                    Some("wget") => uses.1 = true,
                    _ => continue,
                }
                first.get_or_insert(inv.name.span);
            }
            let Some(span) = first else {
                continue;
            };
            seen = (seen.0 || uses.0, seen.1 || uses.1);
            if seen.0 && seen.1 {
                found.push(span);
            }
        }
        for span in found {
            cx.report(span, "Either use Wget or Curl but not both");
        }
    }
}
