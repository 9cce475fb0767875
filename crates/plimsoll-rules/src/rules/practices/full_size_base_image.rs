use super::common::{official_name, root_image};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a final image built on the full-size variant of an official
    /// image that has a smaller one. The final stage (or the image at the
    /// root of the stages it is built on) is checked against this table:
    ///
    /// | image | full-size tags | smaller variant |
    /// |---|---|---|
    /// | `python`, `node`, `ruby`, `perl`, `elixir`, `erlang`, `haskell` | `latest`, `3.12`, `3.12-bookworm`, … | `-slim`, `-alpine`, distroless |
    /// | `debian` | `latest`, `12`, `bookworm`, … | `-slim` (`bookworm-slim`) |
    /// | `openjdk` | any tag without `slim`/`alpine` | `eclipse-temurin:<v>-jre`, distroless Java |
    /// | `eclipse-temurin`, `amazoncorretto`, `ibm-semeru-runtimes`, `sapmachine` | JDK tags (`21`, `21-jdk`, `21-jdk-jammy`) | `-jre` |
    /// | `centos` | any | `ubi-minimal`, `rockylinux:9-minimal` (CentOS is also end-of-life) |
    /// | `fedora` | any | `registry.fedoraproject.org/fedora-minimal` |
    /// | `golang`, `rust`, `gcc`, `maven`, `gradle` | any | a build stage, and scratch/distroless or a JRE image to run |
    ///
    /// A tag is "full-size" when every part of it (split at `-`) is a
    /// version (`3.12`, `20`, `21.0.4_7`) or a full Debian or Ubuntu release
    /// name (`bookworm`, `bullseye`, `jammy`, …); a missing tag is `latest`.
    ///
    /// Stays quiet for tags that name any other variant (`slim`, `alpine`,
    /// `jre`, `windowsservercore`, `onbuild`, …), for images outside the
    /// table (`ubuntu` has no smaller official variant and is already about
    /// the size of `debian:*-slim`; `buildpack-deps` is what the official
    /// full-size images are built from), for references by digest only or
    /// with an unresolved variable, and for base stages that do not end up in
    /// the final image.
    ///
    /// ## Why is this bad?
    /// The full-size variants carry compilers, headers, documentation and
    /// hundreds of packages an application does not use at run time: several
    /// hundred megabytes more to store, pull and scan, and more
    /// vulnerabilities to patch. The slim variant has the same runtime;
    /// toolchain images belong in a build stage.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM python:3.12
    /// COPY app.py .
    /// CMD ["python", "app.py"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM python:3.12-slim
    /// COPY app.py .
    /// CMD ["python", "app.py"]
    /// ```
    pub struct FullSizeBaseImage {
        code: "PL1004",
        name: "full_size_base_image",
        aliases: [],
        severity: Info,
        summary: "Full-size base image in the final stage where a smaller variant exists",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// What to use instead of the full-size variant of an image.
enum Kind {
    /// Has `-slim` and `-alpine` variants of the same tag.
    Slim,
    /// `debian`: `<tag>-slim`.
    DebianSlim,
    /// Java JDK images with a `-jre` variant.
    Jdk,
    /// A deprecated JDK image.
    OpenJdk,
    /// A distribution with a `-minimal` image.
    Minimal(&'static str),
    /// A toolchain image: build in a stage, run elsewhere.
    Toolchain,
}

fn kind(name: &str) -> Option<Kind> {
    Some(match name {
        "python" | "node" | "ruby" | "perl" | "elixir" | "erlang" | "haskell" => Kind::Slim,
        "debian" => Kind::DebianSlim,
        "eclipse-temurin" | "amazoncorretto" | "ibm-semeru-runtimes" | "sapmachine" => Kind::Jdk,
        "openjdk" => Kind::OpenJdk,
        "centos" => Kind::Minimal("`redhat/ubi9-minimal` or `rockylinux:9-minimal`"),
        "fedora" => Kind::Minimal("`registry.fedoraproject.org/fedora-minimal`"),
        "golang" | "rust" | "gcc" | "maven" | "gradle" => Kind::Toolchain,
        _ => return None,
    })
}

/// Release names of Debian and Ubuntu that official images use as full
/// variants.
const RELEASES: &[&str] = &[
    "trixie",
    "bookworm",
    "bullseye",
    "buster",
    "stretch",
    "jessie",
    "sid",
    "stable",
    "testing",
    "oldstable",
    "unstable",
    "noble",
    "jammy",
    "focal",
    "bionic",
    "xenial",
    "latest",
];

fn is_version(part: &str) -> bool {
    part.starts_with(|c: char| c.is_ascii_digit())
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+'))
        && !part.contains("alpine")
}

/// Every part a version or a full release name.
fn full_tag(tag: &str) -> bool {
    tag.split('-')
        .all(|p| is_version(p) || RELEASES.contains(&p))
}

/// JDK tags of the Java images: no `jre`, no `alpine`/`slim`.
fn jdk_tag(tag: &str) -> bool {
    tag.split('-')
        .all(|p| is_version(p) || RELEASES.contains(&p) || p == "jdk" || p == "ubi9" || p == "ubi8")
        && !tag.contains("minimal")
}

impl Rule for FullSizeBaseImage {
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
        let Some(kind) = kind(name) else {
            return;
        };
        let Some(tag) = image.effective_tag() else {
            return;
        };
        let written = format!("{name}:{tag}");
        let advice = match kind {
            Kind::Slim if full_tag(tag) => {
                format!("use `{}` (or a distroless image)", slim_tag(name, tag))
            }
            Kind::DebianSlim if full_tag(tag) => {
                format!("use `{}`", slim_tag(name, tag))
            }
            Kind::Jdk if jdk_tag(tag) => {
                "run on the JRE variant (`-jre`) and keep the JDK in a build stage".to_string()
            }
            Kind::OpenJdk if !tag.contains("slim") && !tag.contains("alpine") => {
                "`openjdk` images are deprecated and full-size: run on \
                 `eclipse-temurin:<version>-jre` or a distroless Java image"
                    .to_string()
            }
            Kind::Minimal(instead) => format!("use {instead}"),
            Kind::Toolchain => "this is a toolchain image: build in a stage of its own and \
                                copy the result into a small runtime image (scratch, \
                                distroless or a slim/JRE variant)"
                .to_string(),
            _ => return,
        };
        let span = cx.model.stages[stage].base_span;
        cx.report(
            span,
            format!("The final image is built on the full-size `{written}`: {advice}"),
        );
    }
}

/// `3.12` → `3.12-slim`, `3.12-bookworm` → `3.12-slim-bookworm` (the
/// official images' spelling), `latest` → `slim`; debian `bookworm` →
/// `bookworm-slim`.
fn slim_tag(name: &str, tag: &str) -> String {
    if name == "debian" {
        return if tag == "latest" {
            "debian:stable-slim".to_string()
        } else {
            format!("debian:{tag}-slim")
        };
    }
    if tag == "latest" {
        return format!("{name}:slim");
    }
    // node spells it `20-bookworm-slim`, the others `3.12-slim-bookworm`.
    if name == "node" {
        return format!("{name}:{tag}-slim");
    }
    let parts: Vec<&str> = tag.split('-').collect();
    match parts.iter().position(|p| RELEASES.contains(p)) {
        Some(k) if k > 0 => format!(
            "{name}:{}-slim-{}",
            parts[..k].join("-"),
            parts[k..].join("-")
        ),
        Some(_) => format!("{name}:slim-{tag}"),
        None => format!("{name}:{tag}-slim"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags() {
        assert!(full_tag("3.12"));
        assert!(full_tag("3.12.4-bookworm"));
        assert!(full_tag("latest"));
        assert!(!full_tag("3.12-slim"));
        assert!(!full_tag("3.12-alpine3.20"));
        assert!(!full_tag("alpine"));
        assert!(!full_tag("3.12-windowsservercore"));
        assert!(jdk_tag("21"));
        assert!(jdk_tag("21-jdk-jammy"));
        assert!(!jdk_tag("21-jre"));
        assert!(!jdk_tag("21-jdk-alpine"));
        assert_eq!(
            slim_tag("python", "3.12-bookworm"),
            "python:3.12-slim-bookworm"
        );
        assert_eq!(slim_tag("node", "20"), "node:20-slim");
        assert_eq!(slim_tag("node", "20-bookworm"), "node:20-bookworm-slim");
        assert_eq!(slim_tag("debian", "bookworm"), "debian:bookworm-slim");
    }
}
