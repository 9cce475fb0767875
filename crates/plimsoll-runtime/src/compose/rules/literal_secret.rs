use super::{ServiceChecker, ServiceRule};
use crate::common::{is_literal_secret, is_secret_name};
use crate::compose::merge::as_mapping;
use crate::yaml::Value;
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a variable in a service's `environment` (mapping or `-
    /// NAME=value` list) whose name says it holds a secret and whose value
    /// is written literally in the file. Names are judged as DL3064 judges
    /// `ARG`/`ENV` names (`*PASSWORD*`, `*TOKEN*`, `*SECRET*`, `*_KEY`, …;
    /// not `*_FILE`, `*_PATH`, public keys). A value is not literal when it
    /// refers to a variable (`${DB_PASSWORD}`, `$TOKEN`), is empty or
    /// absent (`- API_KEY` passes the host's value through), is a switch
    /// (`MYSQL_ALLOW_EMPTY_PASSWORD: "yes"`), or is a path under
    /// `/run/secrets/`. The value is masked in every output format.
    ///
    /// ## Why is this bad?
    /// A secret in a compose file is in version control, in every clone and
    /// in `docker inspect` of the container. Compose's `secrets:` mount it
    /// as a file (`/run/secrets/NAME`) that many images read through a
    /// `*_FILE` variable; a variable reference keeps it out of the file.
    ///
    /// ## Example
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     environment:
    ///       POSTGRES_PASSWORD: hunter2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// services:
    ///   db:
    ///     image: postgres:16.4
    ///     environment:
    ///       POSTGRES_PASSWORD_FILE: /run/secrets/db_password
    ///     secrets: [db_password]
    /// secrets:
    ///   db_password:
    ///     file: ./db_password.txt
    /// ```
    pub struct ComposeLiteralSecret {
        code: "PL4013",
        name: "compose_literal_secret",
        aliases: [],
        severity: Warning,
        summary: "Secret written literally in a service's environment",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl ServiceRule for ComposeLiteralSecret {
    fn check(&self, cx: &mut ServiceChecker<'_>) {
        let Some(env) = cx.get("environment") else {
            return;
        };
        let env = as_mapping(env.clone());
        let Some(entries) = env.as_map() else { return };
        let name = cx.name().to_string();
        for e in entries {
            let Some(var) = e.key.as_str() else { continue };
            let Value::Scalar(value) = &e.value.value else {
                continue;
            };
            if !is_secret_name(var) || !is_literal_secret(&value.text) {
                continue;
            }
            let value_span = e.value.span;
            // The key of a merged entry may come from another file than
            // its value: point where the secret is.
            let at = if e.value.file == e.key.file {
                &e.key
            } else {
                &e.value
            };
            let f = cx.report(
                at,
                format!("service `{name}`: `{var}` holds a secret written in the file; use `secrets:` or a variable"),
            );
            f.redact.push(value_span);
        }
    }
}
