use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a final image user given by name rather than by numeric UID
    /// (`USER app` instead of `USER 10001`). Only the `USER` in force at the
    /// end of the final stage counts, since that is what the image runs as;
    /// variables are expanded, and a user that depends on an unknown
    /// variable is left alone. Images built on a Windows base, where users
    /// are names, are not checked.
    ///
    /// ## Why is this bad?
    /// The host and orchestrators only see the image config: a name means
    /// nothing outside the container's `/etc/passwd`. Kubernetes cannot
    /// verify `runAsNonRoot` for a named user and refuses to start the pod,
    /// and file ownership on mounted volumes cannot be planned.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN useradd --uid 10001 app
    /// USER app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN useradd --uid 10001 app
    /// USER 10001
    /// ```
    pub struct NonNumericUser {
        code: "DL3066",
        name: "non_numeric_user",
        aliases: [],
        severity: Info,
        summary: "Non-numeric user-id may not be resolvable by host system",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3066"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for NonNumericUser {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        let Some((user, index)) = model.final_user() else {
            return;
        };
        let uid = user.trim().split(':').next().unwrap_or("");
        if uid.is_empty() || uid.contains('$') || uid.bytes().all(|b| b.is_ascii_digit()) {
            return;
        }
        if is_windows(cx) {
            return;
        }
        let ins = model.instruction(index);
        let Some(word) = ins.args.first() else {
            return;
        };
        cx.report(
            word.span,
            format!("Non-numeric user-id may not be resolvable by host system (`{uid}`)"),
        );
    }
}

/// Whether the final image is built on a Windows base image.
fn is_windows(cx: &Checker<'_>) -> bool {
    let model = cx.model;
    let mut stage = model.final_stage();
    let mut hops = 0;
    while let Some(s) = stage {
        if s.platform
            .as_deref()
            .is_some_and(|p| p.to_ascii_lowercase().contains("windows"))
        {
            return true;
        }
        match &s.base {
            Base::Stage(p) if *p < s.index && hops < model.stages.len() => {
                stage = model.stages.get(*p);
                hops += 1;
            }
            Base::Image(image) => {
                let name = format!(
                    "{}:{}",
                    image.repository,
                    image.tag.as_deref().unwrap_or("")
                );
                return ["windows", "nanoserver", "servercore", "ltsc"]
                    .iter()
                    .any(|w| name.contains(w));
            }
            _ => return false,
        }
    }
    false
}
