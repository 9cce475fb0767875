use super::common::{parse_platform, platform_flag};
use crate::rules::prelude::*;
use plimsoll_expand::{Lexer, NoEnv};

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=<constant>` (`--platform=linux/amd64`). As in
    /// BuildKit, a stage whose name contains the platform's OS or
    /// architecture (`AS build-amd64`) is not flagged: it is one of a set of
    /// per-platform stages, selected with `FROM build-${TARGETARCH}`. A
    /// platform that uses any variable is not a constant.
    ///
    /// ## Why is this bad?
    /// A constant platform makes every build of the stage use that platform,
    /// so the Dockerfile cannot produce a multi-platform image, and building
    /// on another architecture needs emulation.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=linux/amd64 alpine:3.20 AS base
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM --platform=$BUILDPLATFORM alpine:3.20 AS base
    /// ```
    /// or no `--platform` at all, choosing it on the command line.
    pub struct FromPlatformFlagConstDisallowed {
        code: "FromPlatformFlagConstDisallowed",
        name: "from_platform_flag_const_disallowed",
        aliases: [],
        severity: Warning,
        summary: "FROM --platform flag should not use a constant value",
        url: Some("https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for FromPlatformFlagConstDisallowed {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        let lexer = Lexer::new(cx.dockerfile.escape);
        for stage in &model.stages {
            let ins = model.instruction(stage.from_instruction);
            let Some((flag, value)) = platform_flag(ins) else {
                continue;
            };
            if !plimsoll_expand::variable_references(value, lexer.escape()).is_empty() {
                continue;
            }
            let Ok(e) = lexer.process_word(value, &NoEnv) else {
                continue;
            };
            let Some((os, arch)) = parse_platform(&e.value) else {
                continue;
            };
            let name = stage.name.as_deref().unwrap_or("");
            if name.contains(os.as_str()) || name.contains(arch.as_str()) {
                continue;
            }
            cx.report(
                flag.span,
                format!(
                    "FROM --platform flag should not use constant value {}",
                    plimsoll_syntax::go_quote(&e.value)
                ),
            );
        }
    }
}
