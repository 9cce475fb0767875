use super::common::{FromRef, mount_from, resolve_from, written_registry};
use crate::rules::prelude::*;
use plimsoll_model::DEFAULT_REGISTRY;

declare_rule! {
    /// ## What it does
    /// When a list of trusted registries is configured (`trusted-registries`,
    /// hadolint's `trustedRegistries`), flags every image pulled from any
    /// other registry: the image of a `FROM`, of `COPY --from=<image>` and of
    /// `RUN --mount=from=<image>`. Images without a registry come from Docker
    /// Hub, which is trusted when `docker.io` or `hub.docker.com` is listed.
    /// A pattern may start with `*` (`*.gcr.io` trusts every subdomain of
    /// `gcr.io`) or end with it (`registry.corp.*`); `*` alone trusts all.
    /// References to earlier stages and `scratch` are not images. Without a
    /// configured list the rule does nothing.
    ///
    /// ## Why is this bad?
    /// An organisation that mirrors and scans its base images wants builds
    /// to use only those copies. An image from elsewhere bypasses the
    /// vulnerability scanning, licence review and availability guarantees
    /// of the trusted registry.
    ///
    /// ## Example
    /// With `trusted-registries = ["registry.example.com"]`:
    /// ```dockerfile
    /// FROM quay.io/prometheus/busybox:latest
    /// COPY --from=gcr.io/distroless/static:nonroot /etc/passwd /etc/passwd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM registry.example.com/prometheus/busybox:1.36
    /// COPY --from=registry.example.com/distroless/static:nonroot /etc/passwd /etc/passwd
    /// ```
    pub struct UntrustedRegistry {
        code: "DL3026",
        name: "untrusted_registry",
        aliases: [],
        severity: Error,
        summary: "Use only an allowed registry in the FROM image",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3026"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for UntrustedRegistry {
    fn check(&self, cx: &mut Checker<'_>) {
        let trusted = &cx.options.trusted_registries;
        if trusted.is_empty() {
            return;
        }
        let model = cx.model;
        let mut found: Vec<(Span, String)> = Vec::new();
        for stage in &model.stages {
            let registry = match &stage.base {
                Base::Image(image) => Some(image.registry.as_str()),
                Base::Unresolved { .. } => written_registry(&stage.base_written),
                Base::Scratch | Base::Stage(_) => None,
            };
            if let Some(registry) = registry
                && !is_trusted(trusted, registry)
            {
                found.push((
                    stage.base_span,
                    format!(
                        "Use only an allowed registry in the FROM image (`{registry}` is not allowed)"
                    ),
                ));
            }
        }
        for (i, ins) in cx.instructions() {
            let refs: Vec<(&str, String, Span)> = match ins.keyword {
                Keyword::Copy => ins
                    .flag("from")
                    .and_then(|f| {
                        Some((
                            "COPY --from",
                            f.value.clone()?,
                            f.value_span.unwrap_or(f.span),
                        ))
                    })
                    .into_iter()
                    .collect(),
                Keyword::Run => ins
                    .flags
                    .iter()
                    .filter(|f| f.name == "mount")
                    .filter_map(|f| {
                        let (from, span) = mount_from(cx, f)?;
                        Some(("RUN --mount=from", from, span.unwrap_or(f.span)))
                    })
                    .collect(),
                _ => continue,
            };
            for (what, written, span) in refs {
                let image = match resolve_from(cx, i, &written) {
                    FromRef::UnknownName(v) | FromRef::Image(v) => v,
                    _ => continue,
                };
                let registry = match ImageRef::parse(&image) {
                    Ok(r) => r.registry,
                    Err(_) => match written_registry(&image) {
                        Some(r) => r.to_string(),
                        None => continue,
                    },
                };
                if !is_trusted(trusted, &registry) {
                    found.push((
                        span,
                        format!(
                            "Use only an allowed registry in `{what}=<image>` (`{registry}` is not allowed)"
                        ),
                    ));
                }
            }
        }
        for (span, message) in found {
            cx.report(span, message);
        }
    }
}

/// Whether `registry` matches one of the trusted patterns; Docker Hub is
/// trusted as `docker.io` or `hub.docker.com`.
fn is_trusted(trusted: &[String], registry: &str) -> bool {
    let hub = registry.eq_ignore_ascii_case(DEFAULT_REGISTRY)
        || registry.eq_ignore_ascii_case("index.docker.io")
        || registry.eq_ignore_ascii_case("registry-1.docker.io");
    trusted.iter().any(|pattern| {
        if hub {
            matches(pattern, DEFAULT_REGISTRY) || matches(pattern, "hub.docker.com")
        } else {
            matches(pattern, registry)
        }
    })
}

/// hadolint's registry patterns: `*`, `*suffix`, `prefix*` or a host. A
/// pattern without a port matches the host on any port.
fn matches(pattern: &str, registry: &str) -> bool {
    let pattern = pattern.trim().to_ascii_lowercase();
    let mut registry = registry.to_ascii_lowercase();
    if !pattern.contains(':')
        && let Some((host, port)) = registry.rsplit_once(':')
        && port.bytes().all(|b| b.is_ascii_digit())
    {
        registry = host.to_string();
    }
    if pattern == "*" {
        true
    } else if let Some(suffix) = pattern.strip_prefix('*') {
        registry.ends_with(suffix)
    } else if let Some(prefix) = pattern.strip_suffix('*') {
        registry.starts_with(prefix)
    } else {
        registry == pattern
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_patterns() {
        let t = |p: &[&str], r| is_trusted(&p.iter().map(|s| s.to_string()).collect::<Vec<_>>(), r);
        assert!(t(&["docker.io"], "docker.io"));
        assert!(t(&["hub.docker.com"], "docker.io"));
        assert!(!t(&["docker.io"], "quay.io"));
        assert!(t(&["*.gcr.io"], "eu.gcr.io"));
        assert!(!t(&["*.gcr.io"], "gcr.io"));
        assert!(t(&["registry.corp.*"], "registry.corp.local:5000"));
        assert!(t(&["*"], "anything.example"));
        assert!(t(&["Quay.IO"], "quay.io"));
        assert!(!t(&["*.example.com"], "docker.io"));
        assert!(t(&["*.example.com"], "mirror.example.com:5000"));
        assert!(t(&["localhost:5000"], "localhost:5000"));
        assert!(!t(&["localhost:5000"], "localhost:6000"));
    }
}
