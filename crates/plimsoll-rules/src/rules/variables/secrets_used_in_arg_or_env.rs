use crate::rules::prelude::*;
use plimsoll_secrets::is_secret_name;

declare_rule! {
    /// ## What it does
    /// Flags `ARG` and `ENV` instructions (also under `ONBUILD`, and ARGs
    /// before the first `FROM`) whose name says it holds a secret: a
    /// password, token, key, credential or the like.
    ///
    /// A name is taken for a secret when one of its `_`-separated words is
    /// `apikey`, `auth`, `credential(s)`, `key`, `password`, `passwd`,
    /// `pword`, `secret` or `token` (BuildKit's check), or when it contains
    /// `password`, `passwd`, `secret`, `credential`, `api_key`,
    /// `client_key` or `token` anywhere (hadolint's, so `NPMTOKEN` and
    /// `DBPASSWORD` are caught too). Names with the word `public`, `file`,
    /// `path` or `version` are not (`SSH_PUBLIC_KEY`, `DB_PASSWORD_FILE`,
    /// `SA_PASSWORD_PATH`), nor
    /// GPG/PGP key fingerprints (`GPG_KEY`, `NGINX_PGP_KEY_ID`) that
    /// official images verify downloads with, nor `tokenizer` settings.
    /// hadolint's list of names also has user names, client ids and OS
    /// names (`DOCKER_USERNAME`, `TRAVIS_OS_NAME`); those are not secrets
    /// and are not reported.
    ///
    /// The value is never shown: a finding marks it for redaction.
    ///
    /// ## Why is this bad?
    /// ARG and ENV values are stored in the image: ENV in its config, both
    /// in its build history (`docker history`), where anyone who can pull
    /// the image can read them. Secret mounts give a build the secret
    /// without keeping it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM alpine:3.20
    /// ARG NPM_TOKEN
    /// RUN echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > ~/.npmrc && npm ci
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM alpine:3.20
    /// RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN \
    ///     echo "//registry.npmjs.org/:_authToken=$NPM_TOKEN" > ~/.npmrc && npm ci
    /// ```
    pub struct SecretsUsedInArgOrEnv {
        code: "DL3064",
        name: "secrets_used_in_arg_or_env",
        aliases: ["SecretsUsedInArgOrEnv"],
        severity: Warning,
        summary: "Sensitive data should not be used in the ARG or ENV commands",
        url: Some("https://github.com/hadolint/hadolint/wiki/DL3064"),
        fixable: false,
        default_enabled: true,
    }
}

impl Rule for SecretsUsedInArgOrEnv {
    fn check(&self, cx: &mut Checker<'_>) {
        for (_, top) in cx.instructions() {
            let ins = match &top.onbuild {
                Some(inner) => inner.as_ref(),
                None => top,
            };
            let kind = match ins.keyword {
                Keyword::Arg => "ARG",
                Keyword::Env => "ENV",
                _ => continue,
            };
            for kv in &ins.pairs {
                let name = kv.key.value.as_str();
                if !is_secret_name(name) {
                    continue;
                }
                let finding = cx.report(
                    kv.key.span,
                    format!(
                        "Do not use ARG or ENV instructions for sensitive data ({kind} {name:?})"
                    ),
                );
                if let Some(v) = &kv.value
                    && v.span.start < v.span.end
                {
                    finding.redact.push(v.span);
                }
            }
        }
    }
}
