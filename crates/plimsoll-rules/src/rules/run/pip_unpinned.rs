use super::common::{operands_after, pip};
use crate::rules::pins::{Packages, Report, report_unpinned};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `pip install` of a package without a version:
    /// `pip install requests` instead of `pip install requests==2.32.3`.
    ///
    /// ## Why is this bad?
    /// An unpinned install takes whatever is newest on the day of the
    /// build: two builds of the same Dockerfile get different packages,
    /// and a release that breaks your code breaks the build without any
    /// change on your side.
    ///
    /// A package counts as pinned with a version specifier (`==`, `>=`,
    /// `~=`, `<`, …), as a version-control URL with a `@ref`, as a local
    /// path or archive (`./pkg`, `dist/app.whl`, `app.tar.gz`). Installs
    /// from a requirements file (`-r`), with a constraints file (`-c`) or
    /// of the current directory (`.`) are not checked. Packages given
    /// through `ARG`/`ENV` variables are checked with their values; a
    /// variable whose value is unknown is not reported. `python -m pip`
    /// is checked like `pip`.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// RUN pip install --no-cache-dir flask
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12
    /// RUN pip install --no-cache-dir flask==3.0.3
    /// ```
    pub struct PipUnpinned {
        code: "DL3013",
        name: "pip_unpinned",
        aliases: [],
        severity: Warning,
        summary: "Pin versions in pip",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3013"),
        fixable: false,
        default_enabled: true,
    }
}

/// pip install options that take a value.
const WITH_VALUES: &[&str] = &[
    "--abi",
    "-b",
    "--build",
    "-e",
    "--editable",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-i",
    "--index-url",
    "--implementation",
    "--no-binary",
    "--only-binary",
    "--platform",
    "--prefix",
    "--progress-bar",
    "--proxy",
    "--python-version",
    "--root",
    "--src",
    "-t",
    "--target",
    "--trusted-host",
    "--upgrade-strategy",
    "--cache-dir",
    "--log",
    "--timeout",
    "--retries",
    "--exists-action",
    "--cert",
    "--client-cert",
    "--global-option",
    "--config-settings",
    "-C",
    "--python",
    "--report",
];

const VCS: &[&str] = &["git+", "git:", "hg+", "svn+", "svn:", "bzr+"];

impl Rule for PipUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        report_unpinned(
            cx,
            |cmd| {
                let inv = pip(cmd)?;
                let packages = operands_after(&inv, &["install"], WITH_VALUES)?;
                let whole_set = inv.has_flag(&["-r", "--requirement", "-c", "--constraint"])
                    || packages.iter().any(|w| w.is("."));
                (!whole_set).then(|| Packages::new(packages, version_fixed))
            },
            Report::First,
            "Pin versions in pip. Instead of `pip install <package>` use `pip install \
             <package>==<version>` or `pip install --requirement <requirements file>`.",
        );
    }
}

/// True when a pip requirement names a version, a VCS ref or a local file.
fn version_fixed(package: &str) -> bool {
    let vcs = VCS.iter().any(|s| package.starts_with(s));
    if vcs {
        // `git+https://host/repo@v1.0`: a ref after the host part.
        let rest = package.split_once("://").map_or(package, |(_, rest)| rest);
        // The `user@host` part comes before the first `/`.
        return rest
            .split_once('/')
            .is_some_and(|(_, path)| path.contains('@'));
    }
    ["==", ">=", "<=", ">", "<", "!=", "~=", "==="]
        .iter()
        .any(|s| package.contains(s))
        || package.ends_with(".whl")
        || package.ends_with(".tar.gz")
        || package.ends_with(".zip")
        || package.contains('/')
        || package.starts_with('.')
        || package.contains(" @ ")
}

#[cfg(test)]
mod tests {
    use super::version_fixed;

    #[test]
    fn pins() {
        assert!(version_fixed("flask==3.0"));
        assert!(version_fixed("flask[async]>=3"));
        assert!(version_fixed("git+https://github.com/a/b@v1"));
        assert!(!version_fixed("git+https://github.com/a/b"));
        assert!(!version_fixed("git+ssh://git@github.com/a/b"));
        assert!(version_fixed("./vendor/pkg"));
        assert!(version_fixed("dist/app-1.0-py3-none-any.whl"));
        assert!(!version_fixed("flask"));
        assert!(!version_fixed("flask[async]"));
    }
}
