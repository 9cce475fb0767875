use super::common::{Target, keyword_like, targets};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `ADD` that copies a local file or folder (or a heredoc),
    /// which `COPY` does as well. `ADD` of a URL or a git repository, of a
    /// local tar archive (`.tar`, `.tar.gz`, `.tgz`, `.xz`, `.bz2`, `.zst`…)
    /// and `ADD` with `--checksum`, `--keep-git-dir` or `--unpack` are fine:
    /// only `ADD` does those. A source whose value depends on a variable
    /// plimsoll cannot resolve is given the benefit of the doubt.
    /// `ONBUILD ADD` is checked too.
    ///
    /// ## Why is this bad?
    /// `ADD` does more than copy: it fetches URLs and unpacks local tar
    /// archives, whatever their name. Using it for plain files hides which of
    /// these the author meant and can unpack a file that was meant to be
    /// copied. `COPY` does only what it says.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ADD requirements.txt /app/
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// COPY requirements.txt /app/
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: `ADD` recognises tar archives by their content, not their
    /// name, so a local file without an archive extension may still be an
    /// archive that `ADD` unpacks and `COPY` would copy as it is. No fix is
    /// offered when a source looks like an archive, a URL, or depends on a
    /// variable.
    pub struct AddInsteadOfCopy {
        code: "DL3020",
        name: "add_instead_of_copy",
        aliases: [],
        severity: Error,
        summary: "Use COPY instead of ADD for files and folders",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3020"),
        fixable: true,
        default_enabled: true,
    }
}

/// Extensions of the archives `ADD` unpacks (hadolint's list plus zstd).
const ARCHIVE_EXTENSIONS: [&str; 17] = [
    ".tar", ".z", ".bz2", ".gz", ".lz", ".lzma", ".tz", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz", ".zst", ".tzst",
];

/// What one source of an `ADD` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A local file or folder, or a heredoc: `COPY` does the same.
    Plain,
    /// A URL, git repository or archive: `ADD` is needed.
    NeedsAdd,
    /// Depends on a variable we cannot resolve.
    Unknown,
}

impl Rule for AddInsteadOfCopy {
    fn check(&self, cx: &mut Checker<'_>) {
        for t in targets(cx, Keyword::Add, true) {
            if ["checksum", "keep-git-dir", "unpack"]
                .iter()
                .any(|f| t.ins.flag(f).is_some())
            {
                continue;
            }
            let Some((_, sources)) = t.ins.args.split_last() else {
                continue;
            };
            if sources.is_empty() {
                continue;
            }
            let kinds: Vec<Source> = sources.iter().map(|w| classify(cx, &t, &w.value)).collect();
            if !kinds.contains(&Source::Plain) {
                continue;
            }
            let fix = kinds.iter().all(|k| *k == Source::Plain).then(|| {
                let copy = keyword_like(&t.ins.keyword_text, "COPY");
                Fix::unsafe_(
                    "Replace `ADD` with `COPY`",
                    vec![Edit::replace(t.ins.keyword_span, copy)],
                )
            });
            cx.report(
                t.ins.keyword_span,
                "Use COPY instead of ADD for files and folders",
            )
            .fix = fix;
        }
    }
}

fn classify(cx: &Checker<'_>, t: &Target<'_>, word: &str) -> Source {
    if word.starts_with("<<") && !t.ins.heredocs.is_empty() {
        return Source::Plain;
    }
    let Some(value) = t.resolve(cx, word) else {
        return Source::Unknown;
    };
    if is_remote(&value) || is_archive(&value) {
        Source::NeedsAdd
    } else {
        Source::Plain
    }
}

/// A URL (`https://…`, `git://…`) or a git SSH address (`git@host:repo`).
fn is_remote(src: &str) -> bool {
    src.contains("://") || src.starts_with("git@")
}

fn is_archive(src: &str) -> bool {
    let lower = src.to_ascii_lowercase();
    ARCHIVE_EXTENSIONS.iter().any(|ext| lower.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn archives_and_urls() {
        assert!(is_archive("app.tar.gz"));
        assert!(is_archive("rootfs.TGZ"));
        assert!(is_archive("data.tar.zst"));
        assert!(!is_archive("app.zip"));
        assert!(!is_archive("requirements.txt"));
        assert!(is_remote("https://example.com/x"));
        assert!(is_remote("git@github.com:moby/buildkit.git"));
        assert!(!is_remote("src/"));
    }
}
