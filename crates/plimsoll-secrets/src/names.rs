//! Whether a variable name says it holds a secret.

/// Whether a variable name (an `ARG`/`ENV` name, an environment variable,
/// a build argument) says it holds a secret.
///
/// A name is taken for a secret when one of its `_`-separated words is
/// `apikey`, `auth`, `credential(s)`, `key`, `password`, `passwd`,
/// `pword`, `secret` or `token` (BuildKit's check), or when it contains
/// `password`, `passwd`, `secret`, `credential`, `api_key`, `client_key`
/// or `token` anywhere (hadolint's). Names with the word `public`, `file`,
/// `path` or `version` are not (`SSH_PUBLIC_KEY`, `DB_PASSWORD_FILE`), nor
/// GPG/PGP key fingerprints (`GPG_KEY`), nor `tokenizer` settings.
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
