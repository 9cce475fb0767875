use super::common::{platform_flag, span_in, suggest};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a variable in a `FROM` line (image or `--platform`) that no
    /// `ARG` before the first `FROM` declares and that is not one of
    /// BuildKit's predefined platform arguments (`TARGETPLATFORM`,
    /// `BUILDARCH`, …). When a declared name is close, it is suggested, as
    /// BuildKit does: a misspelt `$BUILDPLATFROM` gets
    /// `did you mean BUILDPLATFORM?`.
    ///
    /// ## Why is this bad?
    /// Only global `ARG`s (and the predefined ones) are visible to `FROM`.
    /// An undeclared variable is always empty, even with `--build-arg`, so
    /// the image reference is not what it looks like: `node:22${VARIANT}` is
    /// always `node:22`, and a `${BASE:-debian:12}` default can never be
    /// overridden.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22${VARIANT} AS build
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG VARIANT=-alpine3.20
    /// FROM node:22${VARIANT} AS build
    /// ```
    pub struct UndefinedArgInFrom {
        code: "UndefinedArgInFrom",
        name: "undefined_arg_in_from",
        aliases: [],
        severity: Warning,
        summary: "FROM command must use declared ARGs",
        url: Some("https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for UndefinedArgInFrom {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        let escape = cx.dockerfile.escape;
        let declared: Vec<&str> = model.global_scope.iter().map(|v| v.name.as_str()).collect();
        let mut found: Vec<(Span, String)> = Vec::new();
        for stage in &model.stages {
            let i = stage.from_instruction;
            let ins = model.instruction(i);
            let mut words: Vec<(Span, &str)> = Vec::new();
            if let Some(flag) = ins.flag("platform")
                && let Some((_, value)) = platform_flag(ins)
            {
                words.push((flag.value_span.unwrap_or(flag.span), value));
            }
            words.push((stage.base_span, stage.base_written.as_str()));
            for (span, word) in words {
                let Ok(expansion) = model.expand(i, word) else {
                    continue;
                };
                let refs = plimsoll_expand::variable_references(word, escape);
                for name in &expansion.unmatched {
                    if model.global_scope.is_declared(name) {
                        continue;
                    }
                    let at = refs
                        .iter()
                        .find(|r| &r.name == name)
                        .map_or(span, |r| span_in(cx, span, word, r.span.clone()));
                    let mut message = format!("FROM argument '{name}' is not declared");
                    if let Some(s) = suggest(name, declared.iter().copied()) {
                        message.push_str(&format!(" (did you mean {s}?)"));
                    }
                    found.push((at, message));
                }
            }
        }
        for (span, message) in found {
            cx.report(span, message);
        }
    }
}
