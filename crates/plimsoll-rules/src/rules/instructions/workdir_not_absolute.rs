use super::common::{is_absolute, starts_with_variable, targets};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `WORKDIR` whose path is relative, after variables are
    /// expanded. A path that starts with a variable plimsoll cannot resolve
    /// is left alone; a Windows path such as `C:\app` counts as absolute.
    /// `ONBUILD WORKDIR` is checked too when its path has no variable.
    ///
    /// ## Why is this bad?
    /// A relative `WORKDIR` is joined to the working directory in force,
    /// which may come from the base image and change with it. An absolute
    /// path says where files go, whatever the base image does.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// WORKDIR /app
    /// ```
    pub struct WorkdirNotAbsolute {
        code: "DL3000",
        name: "workdir_not_absolute",
        aliases: [],
        severity: Error,
        summary: "Use an absolute WORKDIR",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3000"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for WorkdirNotAbsolute {
    fn check(&self, cx: &mut Checker<'_>) {
        for t in targets(cx, Keyword::Workdir, true) {
            let Some(word) = t.ins.args.first() else {
                continue;
            };
            let path = match t.resolve(cx, &word.value) {
                Some(path) => path,
                None if t.onbuild || starts_with_variable(cx, &word.value) => continue,
                None => match t.expand_partially(cx, &word.value) {
                    Some(path) => path,
                    None => continue,
                },
            };
            if !path.is_empty() && !is_absolute(&path) {
                cx.report(word.span, "Use absolute WORKDIR.");
            }
        }
    }
}
