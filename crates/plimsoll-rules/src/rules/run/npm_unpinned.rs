use super::common::operands_after;
use crate::rules::pins::{Packages, Report, report_unpinned};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `npm install` of a package without a version:
    /// `npm install express` instead of `npm install express@4.19.2`.
    ///
    /// ## Why is this bad?
    /// An unpinned install takes whatever the registry has that day: two
    /// builds of the same Dockerfile get different code, and a new major
    /// release can break the image without any change on your side.
    ///
    /// A package counts as pinned with `@<version>` or `@<tag>`
    /// (`@scope/name@1.2.3`), as a git URL with `#<commit>`, as a tarball
    /// (`.tgz`, `.tar.gz`, `.tar`) or a local path. `npm install` and
    /// `npm ci` without packages install the locked dependencies and are
    /// fine. Option values (`--prefix /x`, `--omit dev`) are not packages;
    /// packages given through `ARG`/`ENV` variables are checked with their
    /// values, and a variable whose value is unknown is not reported.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:20
    /// RUN npm install -g pnpm
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:20
    /// RUN npm install -g pnpm@9.4.0
    /// ```
    pub struct NpmUnpinned {
        code: "DL3016",
        name: "npm_unpinned",
        aliases: [],
        severity: Warning,
        summary: "Pin versions in npm",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3016"),
        fixable: false,
        default_enabled: true,
    }
}

/// npm options that take a separate value.
const WITH_VALUES: &[&str] = &[
    "--prefix",
    "--registry",
    "--cache",
    "--omit",
    "--include",
    "--tag",
    "-w",
    "--workspace",
    "--loglevel",
    "--userconfig",
    "--globalconfig",
    "--install-strategy",
    "--fetch-retries",
    "--fetch-timeout",
    "--location",
    "--script-shell",
    "-C",
];

impl Rule for NpmUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        report_unpinned(
            cx,
            |cmd| {
                let inv = cmd.runs("npm")?;
                let packages = operands_after(&inv, &["install", "i", "add"], WITH_VALUES)?;
                Some(Packages::new(packages, version_fixed))
            },
            Report::First,
            "Pin versions in npm. Instead of `npm install <package>` use `npm install \
             <package>@<version>`",
        );
    }
}

/// True when an npm package spec names a version, a commit or a file.
fn version_fixed(package: &str) -> bool {
    const GIT: &[&str] = &["git://", "git+ssh://", "git+http://", "git+https://"];
    if GIT.iter().any(|p| package.starts_with(p)) || package.starts_with("github:") {
        return package.contains('#');
    }
    if [".tar", ".tar.gz", ".tgz"]
        .iter()
        .any(|s| package.ends_with(s))
        || ["/", "./", "../", "~/", "file:", "http://", "https://"]
            .iter()
            .any(|p| package.starts_with(p))
    {
        return true;
    }
    // `@scope/name@version`: the scope's `@` is not a version.
    let name = match package.strip_prefix('@') {
        Some(scoped) => scoped.split_once('/').map_or("", |(_, rest)| rest),
        None => package,
    };
    name.contains('@')
}

#[cfg(test)]
mod tests {
    use super::version_fixed;

    #[test]
    fn pins() {
        assert!(version_fixed("express@4"));
        assert!(version_fixed("@angular/cli@17.3.0"));
        assert!(!version_fixed("@angular/cli"));
        assert!(!version_fixed("express"));
        assert!(version_fixed("git+https://github.com/a/b.git#v1.0"));
        assert!(!version_fixed("git+https://github.com/a/b.git"));
        assert!(version_fixed("./local"));
        assert!(version_fixed("pkg.tgz"));
    }
}
