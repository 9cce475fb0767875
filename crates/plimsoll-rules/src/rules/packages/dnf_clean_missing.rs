use super::common::report_clean_missing;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `dnf` (or `microdnf`) `install` not followed, in the same `RUN`, by
    /// `clean all` (or by removing the package cache with `rm -rf`). A
    /// cache or tmpfs mount of the `RUN` over the package cache also
    /// satisfies it. Unlike hadolint, only stages that end up in the built
    /// image are checked: a cache left in a build stage that is only
    /// copied from does not ship.
    ///
    /// ## Why is this bad?
    /// The downloaded packages and repository metadata stay in the layer
    /// and make the image larger; a later `RUN` cannot reclaim the space.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install -y httpd-2.4.57
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd-2.4.57 && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: ` && dnf clean all` (with `microdnf` for
    /// `microdnf`) is appended to the `&&` list holding the last dnf
    /// command of the script, so it runs only when that list succeeded;
    /// dnf downloads the metadata again when it next needs it.
    pub struct DnfCleanMissing {
        code: "DL3040",
        name: "dnf_clean_missing",
        aliases: [],
        severity: Warning,
        summary: "`dnf clean all` missing after dnf install",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3040"),
        fixable: true,
        default_enabled: true,
    }
}

const CACHES: &[&str] = &["/var/cache/dnf", "/var/cache/yum", "/var/cache/libdnf5"];

impl Rule for DnfCleanMissing {
    fn check(&self, cx: &mut Checker<'_>) {
        report_clean_missing(
            cx,
            &["dnf", "microdnf"],
            CACHES,
            "`dnf clean all` missing after dnf command.",
        );
    }
}
