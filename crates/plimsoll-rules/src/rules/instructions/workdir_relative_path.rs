use super::common::{is_absolute, starts_with_variable, targets};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a relative `WORKDIR` when no `WORKDIR` came before it in the
    /// stage or in the stages it is built on, as BuildKit's
    /// `WorkdirRelativePath` check does. Later relative paths are not
    /// reported: they are relative to a directory this Dockerfile chose.
    ///
    /// ## Why is this bad?
    /// The first relative `WORKDIR` of a build is relative to the base
    /// image's working directory. If the base image changes it, files end up
    /// somewhere else without any error.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM nginx AS web
    /// WORKDIR usr/share/nginx/html
    /// COPY public .
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM nginx AS web
    /// WORKDIR /usr/share/nginx/html
    /// COPY public .
    /// ```
    pub struct WorkdirRelativePath {
        code: "WorkdirRelativePath",
        name: "workdir_relative_path",
        aliases: [],
        severity: Warning,
        summary: "Relative WORKDIR without an absolute WORKDIR before it",
        url: Some("https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for WorkdirRelativePath {
    fn check(&self, cx: &mut Checker<'_>) {
        for t in targets(cx, Keyword::Workdir, false) {
            // Any earlier WORKDIR in the stage or its parents sets the base.
            if cx.model.context(t.index).workdir.is_some() {
                continue;
            }
            let Some(word) = t.ins.args.first() else {
                continue;
            };
            let path = match t.resolve(cx, &word.value) {
                Some(path) => path,
                None if starts_with_variable(cx, &word.value) => continue,
                None => match t.expand_partially(cx, &word.value) {
                    Some(path) => path,
                    None => continue,
                },
            };
            if !path.is_empty() && !is_absolute(&path) {
                let message = format!(
                    "Relative workdir {} can have unexpected results if the base image changes",
                    plimsoll_syntax::go_quote(&path)
                );
                cx.report(word.span, message);
            }
        }
    }
}
