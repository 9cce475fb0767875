use super::common::{official_name, root_image, ships};
use crate::rules::packages::common::{APK_VALUE_FLAGS, subcommand_in};
use crate::rules::prelude::*;
use crate::rules::run::common::pip;

declare_rule! {
    /// ## What it does
    /// Points out a Python application whose final image is built on
    /// Alpine: the official `python:*-alpine*` images, or an `alpine` base
    /// on which a `RUN` of the shipped stages installs Python packages
    /// with `pip install`.
    ///
    /// Stays quiet for build stages that do not end up in the final image,
    /// for Alpine images without a `pip install`, and for other bases.
    ///
    /// ## Why is this bad?
    /// Alpine uses musl instead of glibc. Most wheels on PyPI are built for
    /// glibc (`manylinux`), so on Alpine pip often compiles packages from
    /// source: builds get slow, need compilers and headers, and the result
    /// may behave differently (musl's allocator, DNS resolver and locale
    /// support differ). The small size of Alpine is then lost again.
    /// `python:*-slim` images are small too and install wheels as they are;
    /// distroless Python images are smaller still.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12-alpine
    /// RUN pip install --no-cache-dir numpy==2.1.1
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// RUN pip install --no-cache-dir numpy==2.1.1
    /// ```
    pub struct AlpineForPython {
        code: "PL1005",
        name: "alpine_for_python",
        aliases: [],
        severity: Info,
        summary: "Alpine (musl) base for a Python application",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for AlpineForPython {
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(final_stage) = cx.model.final_stage() else {
            return;
        };
        let Some((image, stage)) = root_image(cx, final_stage.index) else {
            return;
        };
        let Some(name) = official_name(image) else {
            return;
        };
        let tag = image.effective_tag().unwrap_or("");
        let python_alpine = name == "python" && tag.contains("alpine");
        let pip_on_alpine = name == "alpine" && {
            let mut runs = (0..cx.dockerfile.instructions.len())
                .filter(|&i| ships(cx.model, i))
                .flat_map(|i| cx.scripts(i).iter().flat_map(|s| s.commands.iter()));
            runs.any(|c| {
                pip(c).is_some_and(|inv| inv.subcommand_is("install"))
                    || subcommand_in(c, &["apk"], &["add"], APK_VALUE_FLAGS)
                        .is_some_and(|(_, _, pkgs)| pkgs.iter().any(|w| w.is("py3-pip")))
            })
        };
        if !python_alpine && !pip_on_alpine {
            return;
        }
        let span = cx.model.stages[stage].base_span;
        cx.report(
            span,
            format!(
                "`{name}:{tag}` is Alpine (musl): most Python wheels are built for glibc, so \
                 pip compiles from source here; consider `python:<version>-slim` or a \
                 distroless Python image"
            ),
        );
    }
}
