use super::common::{ends_with_variable, has_variables, targets};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `COPY` with more than one source (heredocs included) whose
    /// destination does not end with `/`. The exec form
    /// (`COPY ["a", "b", "/dest/"]`) and `ONBUILD COPY` are checked too, and
    /// a destination made of variables is checked with their values when
    /// plimsoll knows them.
    ///
    /// ## Why is this bad?
    /// With several sources the destination has to be a directory. The
    /// classic builder refuses the build without the trailing `/`. BuildKit
    /// accepts it, but when the destination does not exist yet it creates
    /// it as a file and each source overwrites the previous one
    /// (moby/buildkit#1853), so the result depends on the base image.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// COPY package.json package-lock.json /app
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// COPY package.json package-lock.json /app/
    /// ```
    ///
    /// ## Fix safety
    /// A `/` is appended to the destination. This is safe for `.`, which
    /// BuildKit already treats as a directory. Elsewhere it is unsafe: when
    /// the destination did not exist, BuildKit used to leave a single file
    /// there and now creates a directory with all the sources, which is
    /// surely what was meant but changes the image. No fix is offered when
    /// the destination contains a variable.
    pub struct CopyDestinationNotDirectory {
        code: "DL3021",
        name: "copy_destination_not_directory",
        aliases: [],
        severity: Error,
        summary: "COPY with more than 2 arguments requires the last argument to end with /",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3021"),
        fixable: true,
        default_enabled: true,
    }
}

impl Rule for CopyDestinationNotDirectory {
    fn check(&self, cx: &mut Checker<'_>) {
        for t in targets(cx, Keyword::Copy, true) {
            let Some((dest, sources)) = t.ins.args.split_last() else {
                continue;
            };
            if sources.len() < 2 {
                continue;
            }
            let path = match t.resolve(cx, &dest.value) {
                Some(path) => path,
                None if t.onbuild || ends_with_variable(cx, &dest.value) => continue,
                None => match t.expand_partially(cx, &dest.value) {
                    Some(path) => path,
                    None => continue,
                },
            };
            if !path.ends_with(['/', '\\']) {
                let fix = (!has_variables(cx, &dest.value)).then(|| {
                    // Inside the closing quote of `"dir"` or a JSON string.
                    let quoted = cx.slice(dest.span).ends_with(['"', '\'']) && dest.span.len() > 1;
                    let at = dest.span.end - usize::from(quoted);
                    let edits = vec![Edit::insert(at, "/")];
                    let message = "Add a trailing `/` to the destination";
                    if path == "." {
                        Fix::safe(message, edits)
                    } else {
                        Fix::unsafe_(message, edits)
                    }
                });
                cx.report(
                    dest.span,
                    "COPY with more than 2 arguments requires the last argument to end with /.",
                )
                .fix = fix;
            }
        }
    }
}
