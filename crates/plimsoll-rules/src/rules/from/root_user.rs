use super::common::is_root_user;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags the `USER` that leaves the final image running as root: `root`
    /// or UID `0`, with or without a group (`0:0`, `root:root`), also when it
    /// comes from a variable. Only the final stage counts (with the stages
    /// it is built on): a `USER root` in a build stage does not reach the
    /// image, unlike in hadolint, which flags every stage.
    ///
    /// ## Why is this bad?
    /// A process that runs as root in the container is root on the host
    /// too if it escapes, and can change anything inside the container.
    /// Switch to an unprivileged user after the steps that need root.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12
    /// RUN useradd --system app
    /// USER root
    /// CMD ["/usr/bin/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// RUN useradd --system app
    /// USER app
    /// CMD ["/usr/bin/app"]
    /// ```
    pub struct RootUser {
        code: "DL3002",
        name: "root_user",
        aliases: [],
        severity: Warning,
        summary: "Last USER should not be root",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3002"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for RootUser {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        let Some((user, index)) = model.final_user() else {
            return;
        };
        if !is_root_user(&user) {
            return;
        }
        let ins = model.instruction(index);
        let Some(word) = ins.args.first() else {
            return;
        };
        let mut message = "Last USER should not be root".to_string();
        if word.value.trim() != user.trim() {
            message.push_str(&format!(" (`{}` is `{user}`)", word.value));
        }
        cx.report(word.span, message);
    }
}
