use super::common::{is_absolute, starts_with_variable, targets};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` to a relative destination in a stage where no
    /// `WORKDIR` has been set, neither in the stage nor in the stages it is
    /// built on (`FROM <stage>`). A destination that starts with a variable
    /// plimsoll cannot resolve is left alone.
    ///
    /// ## Why is this bad?
    /// A relative destination is relative to the working directory, which
    /// without a `WORKDIR` is whatever the base image chose, often `/`.
    /// Files land somewhere the Dockerfile does not say, and move when the
    /// base image changes.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY requirements.txt .
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// WORKDIR /app
    /// COPY requirements.txt .
    /// ```
    pub struct CopyWithoutWorkdir {
        code: "DL3045",
        name: "copy_without_workdir",
        aliases: [],
        severity: Warning,
        summary: "COPY to a relative destination without WORKDIR set",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3045"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for CopyWithoutWorkdir {
    fn check(&self, cx: &mut Checker<'_>) {
        for t in targets(cx, Keyword::Copy, false) {
            if cx.model.context(t.index).workdir.is_some() {
                continue;
            }
            let Some((dest, sources)) = t.ins.args.split_last() else {
                continue;
            };
            if sources.is_empty() {
                continue;
            }
            let path = match t.resolve(cx, &dest.value) {
                Some(path) => path,
                None if starts_with_variable(cx, &dest.value) => continue,
                None => match t.expand_partially(cx, &dest.value) {
                    Some(path) => path,
                    None => continue,
                },
            };
            if !is_absolute(&path) {
                cx.report(
                    dest.span,
                    "`COPY` to a relative destination without `WORKDIR` set.",
                );
            }
        }
    }
}
