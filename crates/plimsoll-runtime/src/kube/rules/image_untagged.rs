use super::{PodChecker, PodRule};
use crate::common::{Pinning, pinning};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a container image (init containers included) without a tag
    /// or digest, or tagged `latest`.
    ///
    /// ## Why is this bad?
    /// `latest` moves: two pods of one Deployment, started a day apart,
    /// can run different code, and a rollback redeploys whatever `latest`
    /// is now. Kubernetes also defaults `imagePullPolicy` to `Always` for
    /// `latest`, so every pod start depends on the registry. Pin a version
    /// tag, or better a digest.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: web
    ///     image: nginx
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// containers:
    ///   - name: web
    ///     image: nginx:1.27.1
    /// ```
    pub struct KubeImageUntagged {
        code: "PL5009",
        name: "k8s_image_untagged",
        aliases: [],
        severity: Warning,
        summary: "Container image without a tag or digest, or tagged `latest`",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl PodRule for KubeImageUntagged {
    fn check(&self, cx: &mut PodChecker<'_>) {
        for c in cx.containers() {
            let Some(node) = c.node.get("image") else {
                continue;
            };
            let Some(image) = node.as_str() else { continue };
            let who = cx.describe(c);
            let why = match pinning(image) {
                Pinning::Untagged => "has no tag, so it is `latest`",
                Pinning::Latest => "uses `latest`, which moves",
                _ => continue,
            };
            cx.report(
                node,
                format!("{who}: image `{image}` {why}; pin a version tag or digest"),
            );
        }
    }
}
