use super::common::{MainProcess, env_value, official_name, root_image, script_sets};
use crate::rules::prelude::*;
use plimsoll_model::DependencyKind;

declare_rule! {
    /// ## What it does
    /// Flags a final image built on a full distribution (`debian`,
    /// `ubuntu`, `alpine`, `centos`, `fedora`, `rockylinux`, `almalinux`,
    /// `amazonlinux`, `busybox`, `oraclelinux`) that only receives a
    /// statically linked program from a build stage:
    /// - a Go build (`go build`/`go install`) with `CGO_ENABLED=0` (by
    ///   `ENV`/`ARG`, on the command, or exported earlier in the `RUN`);
    /// - a Rust build for a musl target (`cargo build --target
    ///   x86_64-unknown-linux-musl`, or `CARGO_BUILD_TARGET`).
    ///
    /// and the final stage copies from that stage (`COPY --from`).
    ///
    /// Stays quiet when the final stage runs any `RUN` (it then uses the
    /// distribution's shell or packages), when its main command is in
    /// shell form or runs a shell (it needs `/bin/sh`), and for any other
    /// base (`scratch`, distroless, Chainguard, language images). (In the
    /// reference corpus every static Go build already ships on `scratch`
    /// or on a final stage that installs packages, so it finds nothing
    /// there.)
    ///
    /// ## Why is this bad?
    /// A static binary needs no libraries, shell or package manager. On
    /// `scratch` or `gcr.io/distroless/static` the image holds the program
    /// and little else (CA certificates, time zones, `/etc/passwd`
    /// for distroless): megabytes instead of tens of megabytes, nothing for
    /// scanners to report, and no tools for an attacker.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// WORKDIR /src
    /// COPY . .
    /// RUN CGO_ENABLED=0 go build -o /app .
    ///
    /// FROM debian:12-slim
    /// COPY --from=build /app /app
    /// ENTRYPOINT ["/app"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM golang:1.23 AS build
    /// WORKDIR /src
    /// COPY . .
    /// RUN CGO_ENABLED=0 go build -o /app .
    ///
    /// FROM gcr.io/distroless/static-debian12:nonroot
    /// COPY --from=build /app /app
    /// ENTRYPOINT ["/app"]
    /// ```
    pub struct StaticBinaryOnDistro {
        code: "PL1016",
        name: "static_binary_on_distro",
        aliases: [],
        severity: Info,
        summary: "Statically linked program shipped on a full distribution instead of scratch/distroless",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

const DISTROS: &[&str] = &[
    "debian",
    "ubuntu",
    "alpine",
    "centos",
    "fedora",
    "rockylinux",
    "almalinux",
    "amazonlinux",
    "busybox",
    "oraclelinux",
];

/// The static build a stage runs: `Go` or `Rust (musl)`.
fn static_build(cx: &Checker<'_>, stage: usize) -> Option<&'static str> {
    let st = cx.model.stages.get(stage)?;
    for i in st.instructions.clone() {
        for script in cx.scripts(i) {
            for (k, cmd) in script.commands.iter().enumerate() {
                let Some(inv) = cmd.effective() else {
                    continue;
                };
                if inv.name_is("go")
                    && (inv.subcommand_is("build") || inv.subcommand_is("install"))
                    && (env_value(cx, i, "CGO_ENABLED") == Some("0")
                        || script_sets(script, k, "CGO_ENABLED", Some("0"))
                        || (inv.wrapped_by("env")
                            && cmd.args.iter().any(|w| w.is("CGO_ENABLED=0"))))
                {
                    return Some("Go (CGO_ENABLED=0)");
                }
                if inv.name_is("cargo") && inv.subcommand_is("build") {
                    let target = inv
                        .flag_value(&["--target"])
                        .and_then(|f| f.value)
                        .or_else(|| env_value(cx, i, "CARGO_BUILD_TARGET").map(str::to_string));
                    if target.is_some_and(|t| t.ends_with("-musl")) {
                        return Some("Rust (musl)");
                    }
                }
            }
        }
    }
    None
}

impl Rule for StaticBinaryOnDistro {
    fn check(&self, cx: &mut Checker<'_>) {
        let Some(final_stage) = cx.model.final_stage() else {
            return;
        };
        let Some((image, root)) = root_image(cx, final_stage.index) else {
            return;
        };
        let Some(name) = official_name(image).filter(|n| DISTROS.contains(n)) else {
            return;
        };
        let runs = final_stage
            .instructions
            .clone()
            .any(|i| cx.dockerfile.instructions[i].keyword == Keyword::Run);
        if runs {
            return;
        }
        let main = MainProcess::of(cx);
        let needs_shell = main.instructions(cx).into_iter().any(|i| {
            !cx.dockerfile.instructions[i].is_exec_form()
                || cx.command_scripts(i).iter().any(|s| {
                    s.commands.first().is_some_and(|c| {
                        matches!(c.basename(), Some("sh" | "bash" | "ash" | "dash"))
                    })
                })
        });
        if needs_shell {
            return;
        }
        let built = final_stage
            .dependencies
            .iter()
            .filter(|d| d.kind == DependencyKind::CopyFrom)
            .find_map(|d| static_build(cx, d.stage).map(|what| (what, d.stage)));
        let Some((what, stage)) = built else {
            return;
        };
        let from = cx.model.stages[stage]
            .name_written
            .as_ref()
            .map_or_else(|| stage.to_string(), |(n, _)| n.clone());
        cx.report(
            cx.model.stages[root].base_span,
            format!(
                "The image ships a static {what} build from stage `{from}` on `{name}`: a \
                 static program needs no distribution, use `scratch` or \
                 `gcr.io/distroless/static`"
            ),
        );
    }
}
