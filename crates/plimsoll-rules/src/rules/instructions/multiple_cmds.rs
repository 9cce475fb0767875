use super::common::report_repeated;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags every `CMD` after the first one in a stage. This is also
    /// BuildKit's `MultipleInstructionsDisallowed` check for `CMD`.
    ///
    /// ## Why is this bad?
    /// An image has one default command: only the last `CMD` of the stage
    /// takes effect, the others are dead code that misleads readers.
    /// A `CMD` inside `HEALTHCHECK` or `ONBUILD` is not counted.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["python", "manage.py", "migrate"]
    /// CMD ["gunicorn", "app.wsgi"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// CMD ["gunicorn", "app.wsgi"]
    /// ```
    pub struct MultipleCmds {
        code: "DL4003",
        name: "multiple_cmds",
        aliases: ["MultipleInstructionsDisallowed"],
        severity: Warning,
        summary: "Multiple CMD instructions in one stage",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL4003"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for MultipleCmds {
    fn check(&self, cx: &mut Checker<'_>) {
        report_repeated(
            cx,
            Keyword::Cmd,
            "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect",
        );
    }
}
