use super::common::report_clean_missing;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `yum` `install` not followed, in the same `RUN`, by
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
    /// RUN yum install -y httpd-2.4.6
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN yum install -y httpd-2.4.6 && yum clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: ` && yum clean all && rm -rf /var/cache/yum` is appended to the `&&` list holding the last yum
    /// command of the script, so it runs only when that list succeeded;
    /// yum downloads the metadata again when it next needs it.
    pub struct YumCleanMissing {
        code: "DL3032",
        name: "yum_clean_missing",
        aliases: [],
        severity: Warning,
        summary: "`yum clean all` missing after yum install",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3032"),
        fixable: true,
        default_enabled: true,
    }
}

const CACHES: &[&str] = &["/var/cache/yum"];

impl Rule for YumCleanMissing {
    fn check(&self, cx: &mut Checker<'_>) {
        report_clean_missing(
            cx,
            &["yum"],
            CACHES,
            "`yum clean all` missing after yum command.",
        );
    }
}
