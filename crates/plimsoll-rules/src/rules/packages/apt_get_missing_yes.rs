use super::common::{apt_get_install, commands};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `apt-get install` without `-y` (`--yes`, `--assume-yes`, or
    /// `-q`/`-qq` as hadolint accepts). `-o APT::Get::Assume-Yes=true` and
    /// input piped from `yes` are accepted too.
    ///
    /// ## Why is this bad?
    /// A build has no one to answer apt-get's "Do you want to continue?":
    /// without `-y`, it aborts as soon as the install needs extra packages.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install curl=8.5.0-2
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl=8.5.0-2
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `-y` is inserted right after `install`; it only answers the
    /// prompt that would otherwise abort the build.
    pub struct AptGetMissingYes {
        code: "DL3014",
        name: "apt_get_missing_yes",
        aliases: [],
        severity: Warning,
        summary: "Use the `-y` switch to avoid manual input",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3014"),
        fixable: true,
        default_enabled: true,
    }
}

fn is_true(v: &str) -> bool {
    matches!(
        v.to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on" | "enable" | "with"
    )
}

impl Rule for AptGetMissingYes {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut hits = Vec::new();
        for site in commands(cx) {
            let Some((inv, install, _)) = apt_get_install(site.cmd) else {
                continue;
            };
            if inv.has_flag(&["-y", "--yes", "--assume-yes", "-q"]) {
                continue;
            }
            let assume_yes = inv.flag_values(&["-o", "--option"]).iter().any(|f| {
                f.value.as_deref().is_some_and(|v| {
                    v.split_once('=').is_some_and(|(k, v)| {
                        k.eq_ignore_ascii_case("APT::Get::Assume-Yes") && is_true(v)
                    })
                })
            });
            if assume_yes {
                continue;
            }
            hits.push((
                site.index,
                site.script,
                site.cmd.pipeline,
                site.cmd.span,
                install.span,
            ));
        }
        for (index, script, pipeline, span, install) in hits {
            // `yes | apt-get install …`
            let fed_by_yes = cx.scripts(index).get(script).is_some_and(|s| {
                s.pipelines.get(pipeline).is_some_and(|p| {
                    s.stage(p, 0).iter().any(|c| c.runs("yes").is_some())
                        && !s.stage(p, 0).iter().any(|c| c.span == span)
                })
            });
            if fed_by_yes {
                continue;
            }
            let fix = (cx.slice(install) == "install").then(|| {
                Fix::safe(
                    "Add `-y` after `install`",
                    vec![Edit::insert(install.end, " -y")],
                )
            });
            cx.report(
                span,
                "Use the `-y` switch to avoid manual input `apt-get -y install <package>`",
            )
            .fix = fix;
        }
    }
}
