use super::common::{effective, shipping_stages, ships, variable_references};
use crate::rules::prelude::*;
use plimsoll_secrets::is_secret_name;
use plimsoll_shell::ExpansionKind;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` in a stage that ships (the final stage, or a stage it
    /// is built `FROM`) that uses a build argument whose name says it is
    /// a secret (`$NPM_TOKEN`, `${GITHUB_TOKEN}`, `$DB_PASSWORD`; the names
    /// `DL3064` recognises), declared by an `ARG` of that stage. One
    /// finding per `RUN` and argument.
    ///
    /// It stays quiet when the `RUN` takes the variable from a secret mount
    /// (`--mount=type=secret,…,env=NPM_TOKEN`) or sets it itself
    /// (`NPM_TOKEN=$(cat /run/secrets/npm)`), and for `RUN`s of stages
    /// that only feed others through `COPY --from`, whose history does not
    /// reach the image. The shared corpus has no case: its Dockerfiles
    /// declare no secret build arguments.
    ///
    /// ## Why is this bad?
    /// Build arguments are handed to `RUN` as environment variables, and
    /// the builder records the ones a step sees with the step itself: the
    /// image history (`docker history --no-trunc`) shows
    /// `RUN |1 NPM_TOKEN=npm_… /bin/sh -c npm ci` to anyone who can pull
    /// the image. Secret mounts give the step the value without recording
    /// it anywhere.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// ARG NPM_TOKEN
    /// RUN NPM_CONFIG_//registry.npmjs.org/:_authToken=$NPM_TOKEN npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
    /// ```
    /// built with `docker build --secret id=npm_token,env=NPM_TOKEN .`; or
    /// do the step in a build stage and `COPY --from` its result.
    pub struct SecretBuildArgInRun {
        code: "PL1203",
        name: "secret_build_arg_in_run",
        aliases: [],
        severity: Warning,
        summary: "A RUN in a stage that ships uses a secret build argument: its value is kept in the image history",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for SecretBuildArgInRun {
    fn check(&self, cx: &mut Checker<'_>) {
        let stages = shipping_stages(cx);
        let mut hits: Vec<(Span, String)> = Vec::new();
        for (i, top) in cx.instructions() {
            let ins = effective(top);
            if ins.keyword != Keyword::Run || !ships(cx, &stages, i) {
                continue;
            }
            let Some(stage) = cx.model.stage_of(i) else {
                continue;
            };
            let args: Vec<&str> = (stage.instructions.start..i)
                .map(|j| effective(cx.model.instruction(j)))
                .filter(|ins| ins.keyword == Keyword::Arg)
                .flat_map(|ins| ins.pairs.iter().map(|kv| kv.key.value.as_str()))
                .filter(|name| is_secret_name(name))
                .collect();
            if args.is_empty() {
                continue;
            }
            let mounted: Vec<&str> = ins
                .flags
                .iter()
                .filter(|f| f.name == "mount")
                .filter_map(|f| f.value.as_deref())
                .filter(|v| plimsoll_model::mount_option(v, "type") == Some("secret"))
                .filter_map(|v| plimsoll_model::mount_option(v, "env"))
                .collect();
            let mut seen: Vec<String> = Vec::new();
            for script in cx.scripts(i) {
                let assigned: Vec<&str> = script
                    .commands
                    .iter()
                    .filter(|c| c.name.is_none())
                    .flat_map(|c| c.env.iter().map(|a| a.name.as_str()))
                    .collect();
                let mut uses: Vec<(Span, &str)> = Vec::new();
                for cmd in &script.commands {
                    let words = cmd
                        .name
                        .iter()
                        .chain(&cmd.args)
                        .chain(cmd.env.iter().map(|a| &a.value))
                        .chain(cmd.redirects.iter().filter_map(|r| r.target.as_ref()));
                    for w in words {
                        for e in &w.expansions {
                            if let ExpansionKind::Parameter { name } = &e.kind {
                                uses.push((e.span, name));
                            }
                        }
                    }
                    for body in cmd.redirects.iter().filter_map(|r| r.body) {
                        for (at, name) in variable_references(cx.slice(body)) {
                            let start = body.start + at;
                            uses.push((Span::new(start, start + 1 + name.len()), name));
                        }
                    }
                }
                uses.sort_by_key(|(s, _)| s.start);
                for (span, name) in uses {
                    if args.contains(&name)
                        && !mounted.contains(&name)
                        && !assigned.contains(&name)
                        && !seen.iter().any(|s| s == name)
                    {
                        seen.push(name.to_string());
                        hits.push((
                            span,
                            format!(
                                "RUN uses the build argument {name}, a secret: build arguments \
                                 are recorded with the steps that see them in the image history; \
                                 pass it as a secret (`RUN --mount=type=secret,id={},env={name}`)",
                                name.to_ascii_lowercase()
                            ),
                        ));
                    }
                }
            }
        }
        for (span, message) in hits {
            cx.report(span, message);
        }
    }
}
