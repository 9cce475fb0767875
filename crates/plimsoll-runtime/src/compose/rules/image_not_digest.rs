use super::{ServiceChecker, ServiceRule};
use crate::common::{Pinning, pinning};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a service's `image:` that is not pinned by digest
    /// (`name:tag@sha256:…`), for services that are not built (`build:`
    /// absent). Off by default: select it (`--extend-select PL4002`) where
    /// deployments must be reproducible byte for byte. Images without a
    /// tag or with `latest` are PL4001's; this rule reports tagged images.
    ///
    /// ## Why is this bad?
    /// Tags can be moved: `postgres:16` today is not `postgres:16` next
    /// month, and a registry (or an attacker with push rights) can change
    /// what a tag points at. A digest names exactly one image. Keep the tag
    /// beside the digest for readers; Docker uses the digest.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4@sha256:5f4a5a8d3c6b1e0f9b6c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a
    /// ```
    pub struct ComposeImageNotDigest {
        code: "PL4002",
        name: "compose_image_not_digest",
        aliases: [],
        severity: Info,
        summary: "Service image pinned by tag but not by digest",
        url: None,
        fixable: false,
        default_enabled: false,
    }
}

impl ServiceRule for ComposeImageNotDigest {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        if cx.get("build").is_some() {
            return;
        }
        let Some(node) = cx.get("image") else { return };
        let Some(image) = cx.resolve(node) else {
            return;
        };
        if let Pinning::Tag(tag) = pinning(&image) {
            let name = cx.name().to_string();
            cx.report(
                node,
                format!("service `{name}`: image `{image}` is pinned by tag `{tag}` only; add its digest (`@sha256:…`)"),
            );
        }
    }
}
