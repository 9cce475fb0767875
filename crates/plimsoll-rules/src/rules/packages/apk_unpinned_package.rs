use super::common::{apk_add, commands, site_word_values};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a package of `apk add` given without a version constraint
    /// (`curl` rather than `curl=8.11.1-r0`). Accepted: `pkg=1.2`,
    /// `pkg~1.2`, `pkg>=1.2`, `pkg<2`, and `.apk` files. The name given to
    /// `--virtual`/`-t` is not a package. Packages given through variables
    /// are checked with the values of their `ARG`/`ENV`; a variable whose
    /// value is not known is not flagged.
    ///
    /// ## Why is this bad?
    /// Without a pin, each build installs whatever the repository holds
    /// that day: the image changes without any change to the Dockerfile,
    /// and a new upstream version can break it.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add --no-cache curl=8.11.1-r0
    /// ```
    pub struct ApkUnpinnedPackage {
        code: "DL3018",
        name: "apk_unpinned_package",
        aliases: [],
        severity: Warning,
        summary: "Pin versions in apk add",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3018"),
        fixable: false,
        default_enabled: true,
    }
}

fn pinned(package: &str) -> bool {
    package.contains(['=', '~', '<', '>']) || package.ends_with(".apk")
}

impl Rule for ApkUnpinnedPackage {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut spans = Vec::new();
        for site in commands(cx) {
            let Some((_, _, packages)) = apk_add(site.cmd) else {
                continue;
            };
            for word in packages {
                let Some(values) = site_word_values(cx, &site, word) else {
                    continue;
                };
                if values.iter().any(|v| !pinned(v)) {
                    spans.push(word.span);
                }
            }
        }
        for span in spans {
            cx.report(
                span,
                "Pin versions in apk add. Instead of `apk add <package>` use `apk add <package>=<version>`",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pinned;

    #[test]
    fn pins() {
        assert!(pinned("curl=8.11.1-r0"));
        assert!(pinned("curl~8.11"));
        assert!(pinned("curl>=8"));
        assert!(pinned("/tmp/x.apk"));
        assert!(!pinned("curl"));
        assert!(!pinned("curl@edge"));
    }
}
