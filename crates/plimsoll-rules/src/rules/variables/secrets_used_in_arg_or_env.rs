use crate::rules::prelude::*;

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

/// Whether a variable name says it holds a secret (also used by the
/// compose and Kubernetes checks).
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split('_').collect();
    let has_word = |w: &[&str]| words.iter().any(|x| w.contains(x));
    // BuildKit's allow-list: public keys, files holding the secret,
    // versions of tools named like secrets; and paths to secret files.
    if has_word(&["public", "file", "path", "version"]) {
        return false;
    }
    let strong = [
        "password",
        "passwd",
        "secret",
        "credential",
        "api_key",
        "client_key",
    ]
    .iter()
    .any(|s| lower.contains(s))
        || has_token(&lower);
    if strong {
        return true;
    }
    // `key` and `auth` alone: not the fingerprints of public GPG/PGP keys.
    let fingerprint = has_word(&["gpg", "pgp"]) && !has_word(&["private"]);
    has_word(&["apikey", "auth", "key", "pword"]) && !fingerprint
}

/// `token` anywhere, except in `tokenizer`/`tokenise…`.
fn has_token(lower: &str) -> bool {
    lower.match_indices("token").any(|(i, m)| {
        let after = &lower[i + m.len()..];
        !(after.starts_with("iz") || after.starts_with("is"))
    })
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn secret_names() {
        for yes in [
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "npm_token",
            "NPMTOKEN",
            "DBPASSWORD",
            "DB_PASSWD",
            "SA_PASSWORD",
            "api_key",
            "APIKEY",
            "AUTH",
            "SSH_PRIVATE_KEY",
            "GPG_PRIVATE_KEY_PASSWORD",
            "GPG_PRIVATE_KEY",
            "LICENSE_KEY",
            "OKTA_OAUTH2_CLIENTSECRET",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "NGROK_AUTHTOKEN",
        ] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in [
            "PATH",
            "GPG_KEY",
            "GPG_KEYS",
            "RABBITMQ_PGP_KEY_ID",
            "SSH_PUBLIC_KEY",
            "DB_PASSWORD_FILE",
            "sa_password_path",
            "DOCKER_AUTH_VERSION",
            "KEEPASSXC_VERSION",
            "TOKENIZERS_PARALLELISM",
            "USERNAME",
            "DOCKER_USERNAME",
            "TRAVIS_OS_NAME",
            "KEYCLOAK_URL",
            "MONKEY",
            "PRIVATE_REGISTRY",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
    }
}
