use super::common::platform_flag;
use crate::rules::prelude::*;
use plimsoll_model::PLATFORM_ARGS;

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=…`. Unlike hadolint, a platform taken from
    /// BuildKit's predefined platform arguments is not flagged:
    /// `--platform=$BUILDPLATFORM` is the documented way to cross-compile in
    /// a build stage, and `--platform=$TARGETPLATFORM` is reported by DL3065
    /// instead.
    ///
    /// ## Why is this bad?
    /// A fixed platform ties the image to one architecture: a multi-platform
    /// build (`docker buildx build --platform linux/amd64,linux/arm64`) then
    /// produces the same single-architecture image for every platform, or
    /// runs it under emulation. Choose the platform on the command line.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 debian:12
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12
    /// ```
    /// and `docker build --platform linux/amd64 .` when one platform is
    /// really wanted.
    pub struct FromPlatformFlag {
        code: "DL3029",
        name: "from_platform_flag",
        aliases: [],
        severity: Warning,
        summary: "Do not use --platform flag with FROM",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3029"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for FromPlatformFlag {
    fn check(&self, cx: &mut Checker<'_>) {
        let df = cx.dockerfile;
        for ins in df
            .instructions
            .iter()
            .filter(|i| i.keyword == Keyword::From)
        {
            let Some((flag, value)) = platform_flag(ins) else {
                continue;
            };
            let predefined = plimsoll_expand::variable_references(value, df.escape)
                .iter()
                .any(|r| PLATFORM_ARGS.contains(&r.name.as_str()));
            if !predefined {
                cx.report(flag.span, "Do not use --platform flag with FROM");
            }
        }
    }
}
