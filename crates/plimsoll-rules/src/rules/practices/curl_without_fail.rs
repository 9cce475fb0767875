use crate::rules::prelude::*;
use plimsoll_shell::{Command, Script, ScriptSource};

declare_rule! {
    /// ## What it does
    /// Flags `curl` in a `RUN` whose output is used, without `-f`
    /// (`--fail`, `--fail-with-body`): the output is piped into another
    /// command (`curl … | sh`, `curl … | tar -xz`) or written to a file
    /// (`-o`, `--output`, `-O`, `--remote-name`, `--remote-name-all`, or a
    /// `>` redirection of its standard output).
    ///
    /// Stays quiet for `curl` whose output is neither piped nor saved (a
    /// request made for its side effect, where a failing status is
    /// reported otherwise), and when a `.curlrc`-style `-K`/`--config` is
    /// given (it may set `fail`).
    ///
    /// ## Why is this bad?
    /// Without `-f`, curl treats an HTTP error as success: a 404 or 500
    /// page is written to the file or piped on, and curl exits 0. The build
    /// goes on with an HTML error page as its archive or script, and fails
    /// later with a confusing message, or worse, does not fail at all. With
    /// `-f` curl exits non-zero on HTTP errors and the `RUN` stops there
    /// (in a pipe, together with `set -o pipefail`, see DL4006).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN curl -sSL https://example.com/install.sh | sh
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN curl -fsSL https://example.com/install.sh | sh
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: `-f` is added after `curl`, so the build now stops on an
    /// HTTP error that it used to ignore. That is the point, but a build
    /// that relied on downloading an error page would now fail. Not
    /// offered for the exec form.
    pub struct CurlWithoutFail {
        code: "PL1018",
        name: "curl_without_fail",
        aliases: [],
        severity: Warning,
        summary: "`curl` output used without `--fail`",
        url: None,
        fixable: true,
        default_enabled: true,
    }
}

/// How the output of command `k` of the script is used, if it is.
fn output_used(script: &Script, k: usize, cmd: &Command) -> Option<&'static str> {
    let inv = cmd.runs("curl")?;
    if inv.has_flag(&["-o", "--output"]) {
        return Some("written to a file");
    }
    if inv.has_flag(&["-O", "--remote-name", "--remote-name-all"]) {
        return Some("written to a file");
    }
    if cmd.redirects.iter().any(|r| {
        r.writes() && matches!(r.fd, None | Some(1)) && r.target_value() != Some("/dev/null")
    }) {
        return Some("written to a file");
    }
    let pipeline = script.pipelines.get(cmd.pipeline)?;
    let last_stage = pipeline.stages.last()?;
    let piped = pipeline.is_piped() && !last_stage.contains(&k);
    piped.then_some("piped on")
}

impl Rule for CurlWithoutFail {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (_, script) in cx.run_scripts() {
            for (k, cmd) in script.commands.iter().enumerate() {
                let Some(how) = output_used(script, k, cmd) else {
                    continue;
                };
                let Some(inv) = cmd.runs("curl") else {
                    continue;
                };
                if inv.has_flag(&["-f", "--fail", "--fail-with-body", "-K", "--config"]) {
                    continue;
                }
                let fix = (script.source != ScriptSource::ExecForm && !script.is_command_string())
                    .then_some(inv.name.span.end);
                found.push((inv.name.span.cover(cmd.span), how, fix));
            }
        }
        for (span, how, fix) in found {
            let finding = cx.report(
                span,
                format!(
                    "curl's output is {how} without `-f`: an HTTP error page would be used as \
                     if the download worked. Add `-f` (`--fail`)"
                ),
            );
            finding.fix = fix.map(|at| Fix::unsafe_("Add `-f`", vec![Edit::insert(at, " -f")]));
        }
    }
}
