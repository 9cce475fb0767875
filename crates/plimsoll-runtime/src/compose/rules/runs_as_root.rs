use super::{ServiceChecker, ServiceRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a service that runs as root, or whose user plimsoll cannot
    /// see and is usually root:
    ///
    /// - `user:` is `root` or `0` (with or without a group);
    /// - no `user:`, and the service is built (`build:`) from a Dockerfile
    ///   in reach whose final stage sets no `USER` (on a base image whose
    ///   tag does not say `nonroot`) or sets root;
    /// - no `user:`, and the image is pulled: its user is whatever its
    ///   publisher chose, often root. Images whose tag says `nonroot` or
    ///   `rootless` are taken at their word.
    ///
    /// A `user:` given by a variable without a value is not checked. When
    /// the Dockerfile sets a non-root `USER`, the service is fine.
    ///
    /// ## Why is this bad?
    /// Root in a container is root on the host's kernel: a container
    /// escape, a mounted host path or a writable volume then acts with full
    /// privileges. Many images drop privileges in their entrypoint; saying
    /// `user:` makes it certain and visible.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.4
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.4
    ///     user: "10001:10001"
    /// ```
    pub struct ComposeRunsAsRoot {
        code: "PL4005",
        name: "compose_runs_as_root",
        aliases: [],
        severity: Warning,
        summary: "Service runs as root, or as an image user that is unknown",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// An image whose tag says it runs as non-root (`:nonroot`,
/// `:latest-rootless`).
fn says_non_root(image: &str) -> bool {
    let tag = image
        .rsplit(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    tag.contains("nonroot") || tag.contains("rootless")
}

/// `root`, `0`, `root:x`, `0:0`.
pub(crate) fn is_root(user: &str) -> bool {
    let uid = user.trim().split(':').next().unwrap_or_default().trim();
    uid == "root" || (!uid.is_empty() && uid.bytes().all(|b| b == b'0'))
}

impl ServiceRule for ComposeRunsAsRoot {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        let name = cx.name().to_string();
        if let Some(node) = cx.get("user") {
            if let Some(user) = cx.resolve(node)
                && is_root(&user)
            {
                cx.report(
                    node,
                    format!("service `{name}` runs as root (`user: {user}`); run it as an unprivileged user"),
                );
            }
            return;
        }
        if let Some(build) = &cx.service.build {
            let message = match &build.facts {
                Some(facts) => match &facts.user {
                    Some(u) if is_root(u) => format!(
                        "service `{name}` runs as root: its Dockerfile's final USER is `{u}`; set a non-root USER or `user:`"
                    ),
                    Some(_) => return,
                    None if facts.base_image.as_deref().is_some_and(says_non_root) => return,
                    None => format!(
                        "service `{name}` runs as its base image's user, usually root: its Dockerfile sets no USER; add one or set `user:`"
                    ),
                },
                None => format!(
                    "service `{name}` has no `user:` and its Dockerfile cannot be read, so its user is unknown (usually root); set `user:`"
                ),
            };
            cx.report_service(message);
            return;
        }
        let image = cx.image();
        if image.as_deref().is_some_and(says_non_root) {
            return;
        }
        let shown = image.map_or_else(|| "its image".to_string(), |i| format!("image `{i}`"));
        cx.report_service(format!(
            "service `{name}` has no `user:`, so it runs as the user {shown} chose, often root; set `user:`"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::is_root;

    #[test]
    fn roots() {
        for yes in ["root", "0", "0:0", "root:root", "000", " 0 "] {
            assert!(is_root(yes), "{yes}");
        }
        for no in ["1000", "app", "1000:0", "nobody", "", "10"] {
            assert!(!is_root(no), "{no}");
        }
    }
}
