use crate::rules::prelude::*;
use plimsoll_expand::Lexer;
use plimsoll_model::PLATFORM_ARGS;

declare_rule! {
    /// ## What it does
    /// Builds every `FROM` image reference the way BuildKit does when no
    /// `--build-arg` is given, with the global `ARG` defaults and the
    /// predefined platform arguments, and flags a reference that comes out
    /// empty or invalid (`busybox:` from `busybox:${TAG}` when `TAG` has no
    /// default). References without any variable are not this rule's
    /// business.
    ///
    /// ## Why is this bad?
    /// The build fails unless every build runs with the right
    /// `--build-arg`; a plain `docker build .` should work.
    ///
    /// ## Example
    /// ```dockerfile
    /// ARG TAG
    /// FROM busybox:${TAG}
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// ARG TAG=1.36
    /// FROM busybox:${TAG}
    /// ```
    /// or a default in place: `FROM busybox:${TAG:-1.36}`.
    pub struct InvalidDefaultArgInFrom {
        code: "InvalidDefaultArgInFrom",
        name: "invalid_default_arg_in_from",
        aliases: [],
        severity: Warning,
        summary: "Default value for global ARG results in an empty or invalid base image name",
        url: Some("https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/"),
        fixable: false,
        default_enabled: true,
    }
}

/// Values of the predefined platform arguments on a typical builder.
fn platform_default(name: &str) -> &'static str {
    match name {
        "BUILDPLATFORM" | "TARGETPLATFORM" => "linux/amd64",
        "BUILDOS" | "TARGETOS" => "linux",
        "BUILDARCH" | "TARGETARCH" => "amd64",
        _ => "",
    }
}

impl Rule for InvalidDefaultArgInFrom {
    fn check(&self, cx: &mut Checker<'_>) {
        let model = cx.model;
        let lexer = Lexer::new(cx.dockerfile.escape);
        // The global arguments as BuildKit builds them without build args:
        // platform values first, then each ARG default expanded in order.
        let mut env: Vec<(String, String)> = PLATFORM_ARGS
            .iter()
            .map(|n| (n.to_string(), platform_default(n).to_string()))
            .collect();
        for &i in &model.global_args {
            for kv in &model.instruction(i).pairs {
                let Some(value) = &kv.value else { continue };
                let Ok(e) = lexer.process_word(&value.value, &env) else {
                    // BuildKit gives up on the check here.
                    return;
                };
                env.retain(|(k, _)| *k != kv.key.value);
                env.push((kv.key.value.clone(), e.value));
            }
        }
        for stage in &model.stages {
            let written = &stage.base_written;
            if plimsoll_expand::variable_references(written, lexer.escape()).is_empty() {
                continue;
            }
            let Ok(e) = lexer.process_word(written, &env) else {
                return;
            };
            let names_stage = model.stages[..stage.index]
                .iter()
                .any(|s| s.name.as_deref() == Some(e.value.to_ascii_lowercase().as_str()));
            if names_stage || ImageRef::parse(&e.value).is_ok() {
                continue;
            }
            cx.report(
                stage.base_span,
                format!(
                    "Default value for ARG {written} results in empty or invalid base image name"
                ),
            );
        }
    }
}
