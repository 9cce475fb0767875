use super::common::effective;
use crate::rules::prelude::*;
use plimsoll_secrets::{Confidence, Scanner, is_secret_name};

declare_rule! {
    /// ## What it does
    /// Flags a credential written literally as the value of an `ENV`, an
    /// `ARG` default or a `LABEL` (also under `ONBUILD`, and ARGs before
    /// the first `FROM`): a token of a known format (AWS access keys,
    /// GitHub, GitLab, Slack, Stripe, npm, PyPI, Google, OpenAI and other
    /// API tokens, JWTs, private key blocks, registry `auth` strings), a
    /// password inside a URL (`postgres://app:…@db`), or a random-looking
    /// value assigned to a secret-looking name (`DB_PWD=Xk39fLq2pW7z`).
    ///
    /// Stand-ins are not reported: variables (`${NPM_TOKEN}`), templates,
    /// `changeme`, `<password>`, `xxxx`, anything with `example` in it
    /// (AWS's documentation key `AKIAIOSFODNN7EXAMPLE` among them), and
    /// values too regular to be a credential (`hunter2`, `password123`).
    ///
    /// `DL3064` already reports `ARG`/`ENV` whose *name* says secret. This
    /// rule looks at *values*: it reports a known token format whatever the
    /// name (a live credential in the file is worse than a secret-named
    /// variable), but leaves a random value under a secret name to
    /// `DL3064`, so one problem is not reported twice. `LABEL`s are this
    /// rule's alone. The value is never shown: the finding marks it for
    /// redaction. The shared corpus (official and popular images) has no
    /// case: its Dockerfiles take credentials at build or run time.
    ///
    /// ## Why is this bad?
    /// A credential in a Dockerfile is in source control, in every build
    /// log, and in the image: `ENV` and `LABEL` in its config, `ARG`
    /// defaults in the history of every `RUN` that sees them. Anyone who
    /// can read the repository or pull the image can use it, and rotating
    /// it means finding every copy.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-slim
    /// ENV NPM_TOKEN=npm_4Vt3yQ9dLk2ZpW8sXr1mNc6BfH0gJa5Te7Ru
    /// RUN npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-slim
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
    /// ```
    /// and `docker build --secret id=npm_token,env=NPM_TOKEN .`; revoke
    /// the token that was committed.
    pub struct LiteralCredential {
        code: "PL1201",
        name: "literal_credential",
        aliases: [],
        severity: Error,
        summary: "A credential is written literally in an ENV, ARG or LABEL value",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for LiteralCredential {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut found: Vec<(Span, Span, String)> = Vec::new();
        for (_, top) in cx.instructions() {
            let ins = effective(top);
            let kind = match ins.keyword {
                Keyword::Arg => "ARG",
                Keyword::Env => "ENV",
                Keyword::Label => "LABEL",
                _ => continue,
            };
            for kv in &ins.pairs {
                let Some(value) = &kv.value else { continue };
                if value.value.trim().is_empty() {
                    continue;
                }
                let key = kv.key.value.as_str();
                let text = format!("{key}={}", value.value);
                for m in Scanner::global().scan(text.as_bytes(), Some("Dockerfile")) {
                    // The secret is in the value, not the name.
                    if m.secret.start <= key.len() {
                        continue;
                    }
                    // A random value under a secret name is DL3064's.
                    if m.rule.confidence == Confidence::Medium
                        && kind != "LABEL"
                        && is_secret_name(key)
                    {
                        continue;
                    }
                    let secret = &text.as_bytes()[m.secret.clone()];
                    let source = cx.slice(value.span).as_bytes();
                    let at = (!secret.is_empty())
                        .then(|| source.windows(secret.len()).position(|w| w == secret))
                        .flatten();
                    let redact = at.map_or(value.span, |i| {
                        Span::new(value.span.start + i, value.span.start + i + secret.len())
                    });
                    let what = if m.rule.id == "generic-secret" {
                        "secret"
                    } else {
                        m.rule.title
                    };
                    found.push((
                        value.span,
                        redact,
                        format!(
                            "{kind} {key} holds a literal {what}: it is in source control and in \
                             the image; pass it with a secret mount at build time or as an \
                             environment variable at run time, and revoke this one"
                        ),
                    ));
                }
            }
        }
        for (span, redact, message) in found {
            cx.report(span, message).redact.push(redact);
        }
    }
}
