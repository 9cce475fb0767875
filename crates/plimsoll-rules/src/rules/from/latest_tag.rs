use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` image tagged `latest`, after expanding variables with
    /// their `ARG` defaults. An image pinned by digest as well
    /// (`alpine:latest@sha256:…`) is not flagged: the digest decides.
    ///
    /// ## Why is this bad?
    /// `latest` moves with every upstream release, so rebuilding the same
    /// Dockerfile gives a different image, and a new major version can break
    /// the build or the application without any change here.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22.11-bookworm-slim
    /// ```
    pub struct LatestTag {
        code: "DL3007",
        name: "latest_tag",
        aliases: [],
        severity: Warning,
        summary: "Using latest is prone to errors if the image will ever update",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3007"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for LatestTag {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        for stage in &model.stages {
            let Base::Image(image) = &stage.base else {
                continue;
            };
            if image.tag.as_deref() != Some("latest") || image.digest.is_some() {
                continue;
            }
            let mut message = "Using latest is prone to errors if the image will ever update. \
                               Pin the version explicitly to a release tag"
                .to_string();
            if stage.base_written != stage.base_text {
                message.push_str(&format!(
                    " (`{}` is `{}`)",
                    stage.base_written, stage.base_text
                ));
            }
            cx.report(stage.base_span, message);
        }
    }
}
