use super::{ServiceChecker, ServiceRule};
use crate::common::{Pinning, pinning};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a service's `image:` that has no tag, or the tag `latest`,
    /// when the service is not built (`build:` absent). With `build:`,
    /// `image:` names the image the build produces, not one pulled, and is
    /// not checked.
    ///
    /// Variables are resolved from `.env` and the environment
    /// (`image: nginx:${NGINX_TAG:-1.27}` is tagged); an image that depends
    /// on a variable without a value is not checked.
    ///
    /// ## Why is this bad?
    /// An untagged image is `latest`, which moves: the next `docker compose
    /// pull` on another machine runs a different version, and a rollback
    /// has nothing to go back to. A version tag (`postgres:16.4`) says what
    /// runs; a digest (`postgres:16.4@sha256:…`) guarantees it (see PL4002).
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    /// ```
    pub struct ComposeImageUntagged {
        code: "PL4001",
        name: "compose_image_untagged",
        aliases: [],
        severity: Warning,
        summary: "Service image without a tag, or tagged `latest`",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl ServiceRule for ComposeImageUntagged {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        if cx.get("build").is_some() {
            return;
        }
        let Some(node) = cx.get("image") else { return };
        let Some(image) = cx.resolve(node) else {
            return;
        };
        let name = cx.name().to_string();
        match pinning(&image) {
            Pinning::Untagged => {
                cx.report(
                    node,
                    format!("service `{name}`: image `{image}` has no tag, so it is `latest`; pin a version tag"),
                );
            }
            Pinning::Latest => {
                cx.report(
                    node,
                    format!("service `{name}`: image `{image}` uses `latest`, which moves; pin a version tag"),
                );
            }
            Pinning::Digest | Pinning::Tag(_) | Pinning::Invalid => {}
        }
    }
}
