use super::{ServiceChecker, ServiceRule};
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a service without a health check: no `healthcheck:` in the
    /// compose file, and, for a service built from a Dockerfile in reach,
    /// no `HEALTHCHECK` in its final stage. For a pulled image plimsoll
    /// cannot see whether the image defines one, and the message says so.
    ///
    /// A health check that is switched off on purpose is a decision and is
    /// not reported: `healthcheck: {disable: true}`, `test: ["NONE"]`, or
    /// `HEALTHCHECK NONE` in the Dockerfile. A service that runs to
    /// completion (a migration, a test runner) does not need one: silence
    /// it there with `# plimsoll ignore=PL4006` above the service.
    ///
    /// ## Why is this bad?
    /// Without a health check, a container is "running" as long as its
    /// process lives, even when it is deadlocked or cannot reach its
    /// database. Compose cannot wait for it (`depends_on: condition:
    /// service_healthy`), and orchestrators cannot restart it.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.4
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   api:
    ///     image: example/api:1.4
    ///     healthcheck:
    ///       test: ["CMD", "wget", "-qO-", "http://localhost:8080/health"]
    ///       interval: 30s
    ///       timeout: 5s
    ///       retries: 3
    /// ```
    pub struct ComposeMissingHealthcheck {
        code: "PL4006",
        name: "compose_missing_healthcheck",
        aliases: [],
        severity: Info,
        summary: "Service without a health check",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl ServiceRule for ComposeMissingHealthcheck {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        if cx.get("healthcheck").is_some() {
            return;
        }
        let name = cx.name().to_string();
        let message = match &cx.service.build {
            Some(build) => match build.facts.as_ref().map(|f| f.healthcheck) {
                Some(Some(_)) => return,
                Some(None) => format!(
                    "service `{name}` has no health check, and its Dockerfile has no HEALTHCHECK; add `healthcheck:`"
                ),
                None => format!(
                    "service `{name}` has no health check (its Dockerfile cannot be read); add `healthcheck:`"
                ),
            },
            None => match cx.image() {
                Some(image) => format!(
                    "service `{name}` has no health check (plimsoll cannot see whether image `{image}` defines one); add `healthcheck:`"
                ),
                None => format!("service `{name}` has no health check; add `healthcheck:`"),
            },
        };
        cx.report_service(message);
    }
}
