use super::common::platform_flag;
use crate::rules::prelude::*;
use plimsoll_expand::{Lexer, env_fn};

declare_rule! {
    /// ## What it does
    /// Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`):
    /// the platform of the stage is set to exactly what it would be without
    /// the flag. A global `ARG TARGETPLATFORM=…` with its own default makes
    /// the value a different one, and is not flagged.
    ///
    /// ## Why is this bad?
    /// The flag does nothing but add noise, and suggests to readers that the
    /// stage is special.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM --platform=$TARGETPLATFORM alpine:3.20 AS builder
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20 AS builder
    /// ```
    pub struct RedundantTargetPlatform {
        code: "DL3065",
        name: "redundant_target_platform",
        aliases: ["RedundantTargetPlatform"],
        severity: Warning,
        summary: "Setting `FROM --platform` to predefined `$TARGETPLATFORM` is redundant",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3065"),
        fixable: false,
        default_enabled: true,
    }
}

const TARGET: &str = "TARGETPLATFORM";

impl Rule for RedundantTargetPlatform {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        // `ARG TARGETPLATFORM` without a default keeps the predefined value.
        let redefined = model
            .global_scope
            .get_var(TARGET)
            .is_some_and(|v| v.value.is_some());
        if redefined {
            return;
        }
        // Expand with a marker for TARGETPLATFORM: the flag is redundant when
        // the marker, and only it, comes out (as BuildKit checks).
        const MARK: &str = "\u{1}target-platform\u{1}";
        let env = env_fn(|name| (name == TARGET).then_some(MARK));
        let lexer = Lexer::new(cx.dockerfile.escape);
        for stage in &model.stages {
            let ins = model.instruction(stage.from_instruction);
            let Some((flag, value)) = platform_flag(ins) else {
                continue;
            };
            let Ok(e) = lexer.process_word(value, &env) else {
                continue;
            };
            if e.value == MARK && e.matched.len() == 1 && e.unmatched.is_empty() {
                cx.report(
                    flag.span,
                    format!(
                        "Setting `FROM --platform` to predefined `{value}` is redundant \
                         as this is the default behavior"
                    ),
                );
            }
        }
    }
}
