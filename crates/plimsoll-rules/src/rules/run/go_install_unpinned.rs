use super::common::operands_after;
use crate::rules::pins::{Packages, Report, report_unpinned};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `go install` (or `go get`, which installs in GOPATH mode) of
    /// a package without a version, or with `@latest`:
    /// `go install golang.org/x/tools/gopls` instead of
    /// `go install golang.org/x/tools/gopls@v0.16.1`.
    ///
    /// ## Why is this bad?
    /// Without a version (or with `@latest`) `go install` builds whatever
    /// is newest on the day of the build: rebuilding the same Dockerfile
    /// gives a different binary, and a breaking release breaks the build.
    ///
    /// Local packages (`.`, `./cmd/app`), which are built at the version of
    /// the module in the build context, are fine. Packages given through
    /// `ARG`/`ENV` variables are checked with their values; a variable whose
    /// value is unknown is not reported.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.22
    /// RUN go install github.com/go-delve/delve/cmd/dlv@latest
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.22
    /// RUN go install github.com/go-delve/delve/cmd/dlv@v1.23.0
    /// ```
    pub struct GoInstallUnpinned {
        code: "DL3062",
        name: "go_install_unpinned",
        aliases: [],
        severity: Warning,
        summary: "Pin versions in go install",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3062"),
        fixable: false,
        default_enabled: true,
    }
}

/// go build flags that take a separate value.
const WITH_VALUES: &[&str] = &[
    "-C",
    "-p",
    "-asmflags",
    "-buildmode",
    "-buildvcs",
    "-compiler",
    "-gccgoflags",
    "-gcflags",
    "-installsuffix",
    "-ldflags",
    "-mod",
    "-modfile",
    "-overlay",
    "-pgo",
    "-pkgdir",
    "-tags",
    "-toolexec",
];

impl Rule for GoInstallUnpinned {
    fn check(&self, cx: &mut Checker<'_>) {
        report_unpinned(
            cx,
            |cmd| {
                let inv = cmd.runs("go")?;
                let packages = operands_after(&inv, &["install"], WITH_VALUES)
                    .or_else(|| operands_after(&inv, &["get"], WITH_VALUES))?;
                Some(Packages::new(packages, version_fixed))
            },
            Report::First,
            "Pin versions in go install. Instead of `go install <package>` use `go install \
             <package>@<version>`",
        );
    }
}

fn version_fixed(package: &str) -> bool {
    if package.starts_with('.') || package.starts_with('/') {
        return true;
    }
    match package.rsplit_once('@') {
        Some((_, version)) => !version.is_empty() && version != "latest",
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::version_fixed;

    #[test]
    fn pins() {
        assert!(version_fixed("example.com/pkg@v1.2.3"));
        assert!(!version_fixed("example.com/pkg@latest"));
        assert!(!version_fixed("example.com/pkg"));
        assert!(version_fixed("./cmd/app"));
        assert!(version_fixed("."));
    }
}
