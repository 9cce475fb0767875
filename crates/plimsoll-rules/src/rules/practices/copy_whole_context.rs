use super::common::ships;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `COPY` and `ADD` of the whole build context (`.`, `./`, `*`,
    /// `./*`) in a stage that ends up in the image: the final stage or one
    /// it is built on.
    ///
    /// Stays quiet:
    /// - in build stages that are only copied from, where copying the
    ///   sources to compile them is the point (only their output ships);
    /// - for `COPY --from` (another stage or image, not the context);
    /// - when the build context is known (`plimsoll check --context`, or
    ///   the Dockerfile's own directory when it evidently is the context)
    ///   and its `.dockerignore` is an allow-list: it starts by excluding
    ///   everything (`*` or `**`) and re-includes paths with `!`.
    ///
    /// ## Why is this bad?
    /// Everything in the context goes into the image: `.git`, `.env`
    /// files, credentials, test data, local build output, editor files.
    /// Secrets end up in a layer, the image grows, and any change to any
    /// file invalidates the layer cache. Copying explicit paths (or keeping
    /// a strict `.dockerignore`) ships only what the application needs.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// WORKDIR /app
    /// COPY . .
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// WORKDIR /app
    /// COPY app/ ./app/
    /// COPY pyproject.toml ./
    /// ```
    pub struct CopyWholeContext {
        code: "PL1011",
        name: "copy_whole_context",
        aliases: [],
        severity: Info,
        summary: "The whole build context is copied into the image",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// A `.dockerignore` that excludes everything first and lists what to
/// keep.
fn allow_list(text: &str) -> bool {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    matches!(lines.next(), Some("*" | "**" | "/*" | "**/*" | "./*"))
        && lines.any(|l| l.starts_with('!'))
}

impl Rule for CopyWholeContext {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found = Vec::new();
        for (i, ins) in cx.instructions() {
            if !matches!(ins.keyword, Keyword::Copy | Keyword::Add)
                || ins.flag("from").is_some()
                || !ships(cx.model, i)
            {
                continue;
            }
            let Some((_, sources)) = ins.args.split_last() else {
                continue;
            };
            for w in sources {
                let v = cx
                    .model
                    .resolve(i, &w.value)
                    .unwrap_or_else(|| w.value.clone());
                let t = v.trim_start_matches("./");
                if matches!(t, "" | "." | "*" | "./") && !v.starts_with("<<") {
                    found.push((w.span, ins.keyword.as_str()));
                    break;
                }
            }
        }
        if found.is_empty() {
            return;
        }
        if cx
            .context_file(".dockerignore")
            .is_some_and(|t| allow_list(&t))
        {
            return;
        }
        for (span, keyword) in found {
            cx.report(
                span,
                format!(
                    "{keyword} copies the whole build context into the image: copy the paths \
                     the application needs, or keep a strict `.dockerignore`"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::allow_list;

    #[test]
    fn allow_lists() {
        assert!(allow_list("# keep only\n*\n!src\n!package.json\n"));
        assert!(!allow_list(".git\nnode_modules\n"));
        assert!(!allow_list("*\n"));
    }
}
