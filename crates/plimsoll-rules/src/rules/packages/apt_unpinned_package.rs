use super::common::apt_get_install;
use crate::rules::pins::{Packages, Report, report_unpinned};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a package of `apt-get install` given without a version
    /// (`curl` rather than `curl=8.5.0-2`). A version pattern (`curl=8.5*`),
    /// a release (`curl/bookworm-backports`), a `.deb` file or a path is
    /// accepted. Packages given through variables are checked with the
    /// values of their `ARG`/`ENV`, or the literal value the same script
    /// gave them earlier (`PKGS="curl git" && apt-get install $PKGS`); a
    /// variable whose value is not known is not flagged.
    ///
    /// ## Why is this bad?
    /// Without a pin, each build installs whatever the archive holds that
    /// day: the image changes without any change to the Dockerfile, and a
    /// new upstream version can break it. A pin also makes the build fail
    /// loudly when the version is gone, instead of silently drifting.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=8.5.0-2
    /// ```
    pub struct AptUnpinnedPackage {
        code: "DL3008",
        name: "apt_unpinned_package",
        aliases: [],
        severity: Warning,
        summary: "Pin versions in apt-get install",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3008"),
        fixable: false,
        default_enabled: true,
    }
}

const MESSAGE: &str = "Pin versions in apt get install. Instead of `apt-get install <package>` \
                       use `apt-get install <package>=<version>`";

fn pinned(package: &str) -> bool {
    package.contains('=') || package.contains('/') || package.ends_with(".deb")
}

impl Rule for AptUnpinnedPackage {
    fn check(&self, cx: &mut Checker<'_>) {
        report_unpinned(
            cx,
            |cmd| apt_get_install(cmd).map(|(_, _, words)| Packages::new(words, pinned)),
            Report::Each,
            MESSAGE,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::pinned;

    #[test]
    fn pins() {
        assert!(pinned("curl=8.5.0-2"));
        assert!(pinned("curl=8.*"));
        assert!(pinned("curl/bookworm-backports"));
        assert!(pinned("./pkg.deb"));
        assert!(pinned("pkg.deb"));
        assert!(!pinned("curl"));
    }
}
