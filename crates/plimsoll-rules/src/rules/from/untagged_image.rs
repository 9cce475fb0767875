use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `FROM` whose image has neither a tag nor a digest. Variables
    /// are expanded with their `ARG` defaults first, so
    /// `FROM ${BASE:-debian:12}` is tagged and `ARG BASE=debian` then
    /// `FROM $BASE` is not. `scratch` and earlier stages are not images;
    /// a base that depends on a variable without a default is left alone.
    ///
    /// ## Why is this bad?
    /// An untagged image means `latest`, whatever that is on the day of the
    /// build: the same Dockerfile builds different images over time, and an
    /// upstream major release can break the build without any change here.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12.7
    /// ```
    pub struct UntaggedImage {
        code: "DL3006",
        name: "untagged_image",
        aliases: [],
        severity: Warning,
        summary: "Always tag the version of an image explicitly",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3006"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for UntaggedImage {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        for stage in &model.stages {
            let Base::Image(image) = &stage.base else {
                continue;
            };
            if image.tag.is_some() || image.digest.is_some() {
                continue;
            }
            let mut message = "Always tag the version of an image explicitly".to_string();
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
