use crate::rules::prelude::*;

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
    pub struct ConsecutiveRuns {
        code: "DL3059",
        name: "consecutive_runs",
        aliases: [],
        severity: Info,
        summary: "Multiple consecutive `RUN` instructions",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3059"),
        fixable: false,
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
            let scripts = cx.scripts(i);
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
                found.push(ins.keyword_span);
            }
            previous = Some((flags, count));
        }
        for span in found {
            cx.report(
                span,
                "Multiple consecutive `RUN` instructions. Consider consolidation.",
            );
        }
    }
}
