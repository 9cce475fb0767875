use super::{PodChecker, PodRule};
use crate::common::{is_literal_secret, is_secret_name};
use crate::yaml::Node;
use plimsoll_rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a container `env` entry whose name says it holds a secret
    /// (as DL3064 judges names: `*PASSWORD*`, `*TOKEN*`, `*SECRET*`,
    /// `*_KEY`, …) with a literal `value`. Entries with `valueFrom`, empty
    /// values, switches (`"true"`, `"yes"`), references to other variables
    /// (`$(DB_PASSWORD)`) and paths under `/run/secrets/` are not reported.
    /// The value is masked in every output format.
    ///
    /// ## Why is this bad?
    /// The manifest is in version control and the value in the pod spec,
    /// readable by anyone who can `get` the pod. A `Secret` is stored apart,
    /// can be encrypted at rest and has its own access rules.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     value: hunter2
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     valueFrom:
    ///       secretKeyRef: {name: db, key: password}
    /// ```
    pub struct KubeLiteralSecret {
        code: "PL5011",
        name: "k8s_literal_secret",
        aliases: [],
        severity: Warning,
        summary: "Secret written literally in a container's `env`",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

impl PodRule for KubeLiteralSecret {
    fn check(&self, cx: &mut PodChecker<'_>) {
        for c in cx.containers() {
            let Some(env) = c.node.get("env").and_then(Node::as_seq) else {
                continue;
            };
            for e in env {
                let (Some(name_node), Some(value)) = (e.get("name"), e.get("value")) else {
                    continue;
                };
                let (Some(name), Some(text)) = (name_node.as_str(), value.as_str()) else {
                    continue;
                };
                if !is_secret_name(name) || !is_literal_secret(text) || text.contains("$(") {
                    continue;
                }
                let who = cx.describe(c);
                let span = value.span;
                let f = cx.report(
                    name_node,
                    format!("{who}: `{name}` holds a secret written in the manifest; use `valueFrom.secretKeyRef`"),
                );
                f.redact.push(span);
            }
        }
    }
}
