use super::common::{apt_get_install, commands};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` without `--no-install-recommends`. Also
    /// accepted: `-o APT::Install-Recommends=false`, and an apt
    /// configuration that turns recommends off (`APT::Install-Recommends
    /// "0";`) written earlier in the same `RUN` or in an earlier `RUN` of
    /// the image.
    ///
    /// ## Why is this bad?
    /// By default apt installs every package the requested ones recommend:
    /// documentation, optional tools and libraries the image rarely needs,
    /// which make it larger and widen its attack surface.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl=8.5.0-2
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl=8.5.0-2
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `--no-install-recommends` is inserted after `install`. apt
    /// still installs every package asked for and everything they depend
    /// on; only packages they merely *recommend* are left out, and Debian
    /// policy requires a package to work without its recommendations. The
    /// fix is marked safe because that is the intent of the rule, but
    /// review the image: a script may rely on a recommended package it
    /// never asked for, the common case being `ca-certificates` (which
    /// `curl`, `wget` and `git` recommend but do not depend on) — add it to
    /// the list when the image fetches over HTTPS.
    pub struct AptGetInstallRecommends {
        code: "DL3015",
        name: "apt_get_install_recommends",
        aliases: [],
        severity: Info,
        summary: "Avoid additional packages by specifying `--no-install-recommends`",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3015"),
        fixable: true,
        default_enabled: true,
    }
}

/// apt's false values.
fn is_false(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "0" | "false" | "no" | "off" | "disable" | "without"
    )
}

/// True when `text` sets `APT::Install-Recommends` to false somewhere
/// (`APT::Install-Recommends "0";`, `APT::Install-Recommends=false`).
fn disables_recommends(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let key = "apt::install-recommends";
    let mut rest = lower.as_str();
    while let Some(at) = rest.find(key) {
        rest = &rest[at + key.len()..];
        let value = rest.trim_start_matches([' ', '\t', '=', '"', '\'', '\\']);
        let value: String = value
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if is_false(&value) {
            return true;
        }
    }
    false
}

impl Rule for AptGetInstallRecommends {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut hits = Vec::new();
        for site in commands(cx) {
            let Some((inv, install, _)) = apt_get_install(site.cmd) else {
                continue;
            };
            if inv.has_flag(&["--no-install-recommends"]) {
                continue;
            }
            hits.push((site.index, site.cmd.span, install.span));
        }
        for (index, span, install) in hits {
            let Some(ins) = cx.dockerfile.instructions.get(index) else {
                continue;
            };
            // Written earlier in this RUN, or on this command.
            let before = cx
                .dockerfile
                .text
                .get(ins.span.start..span.end)
                .unwrap_or("");
            let earlier_run = || {
                cx.model.lineage_before(index).into_iter().any(|j| {
                    cx.dockerfile.instructions.get(j).is_some_and(|other| {
                        other.keyword == Keyword::Run && disables_recommends(cx.slice(other.span))
                    })
                })
            };
            if disables_recommends(before) || earlier_run() {
                continue;
            }
            let fix = (cx.slice(install) == "install").then(|| {
                Fix::safe(
                    "Add `--no-install-recommends` after `install`",
                    vec![Edit::insert(install.end, " --no-install-recommends")],
                )
            });
            cx.report(
                span,
                "Avoid additional packages by specifying `--no-install-recommends`",
            )
            .fix = fix;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::disables_recommends;

    #[test]
    fn config_text() {
        assert!(disables_recommends(
            "echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/norec"
        ));
        assert!(disables_recommends(
            "apt-get -o APT::Install-Recommends=false install"
        ));
        assert!(disables_recommends("APT::Install-Recommends \"false\";"));
        assert!(!disables_recommends("APT::Install-Recommends \"1\";"));
        assert!(!disables_recommends("APT::Install-Suggests \"0\";"));
    }
}
