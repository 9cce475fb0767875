//! What the secret rules share: which stages end up in the image, and
//! paths compared the way a shell would see them.

use crate::Checker;
use plimsoll_model::Base;
use plimsoll_syntax::{Instruction, Keyword};

/// For each stage, whether it ships: the final stage and the stages it is
/// built on (`FROM <stage>`), whose layers are the final image's too.
/// Stages only copied from (`COPY --from`) do not ship as a whole.
pub(super) fn shipping_stages(cx: &Checker<'_>) -> Vec<bool> {
    let model = cx.model;
    let mut ships = vec![false; model.stages.len()];
    let mut current = model.final_stage().map(|s| s.index);
    while let Some(i) = current {
        if ships[i] {
            break;
        }
        ships[i] = true;
        current = match model.stages[i].base {
            Base::Stage(p) if p < i => Some(p),
            _ => None,
        };
    }
    ships
}

/// Whether instruction `index` belongs to a stage that ships.
pub(super) fn ships(cx: &Checker<'_>, stages: &[bool], index: usize) -> bool {
    cx.model
        .context(index)
        .stage
        .is_some_and(|s| stages.get(s).copied().unwrap_or(false))
}

/// The instruction itself, or the one inside `ONBUILD`.
pub(super) fn effective(ins: &Instruction) -> &Instruction {
    match (&ins.keyword, &ins.onbuild) {
        (Keyword::Onbuild, Some(inner)) => inner,
        _ => ins,
    }
}

/// A path as written in a shell word, for comparing two spellings of one
/// file: `~`, `$HOME`, `${HOME}` and `/root` become `~`, `./` and
/// trailing `/` go.
pub(super) fn normalize_path(path: &str) -> String {
    let path = path.trim_matches(|c| c == '"' || c == '\'');
    let mut p = path;
    let mut out = String::new();
    for home in ["~/", "$HOME/", "${HOME}/", "/root/"] {
        if let Some(rest) = p.strip_prefix(home) {
            out.push_str("~/");
            p = rest;
            break;
        }
    }
    if out.is_empty() && matches!(p, "~" | "$HOME" | "${HOME}" | "/root") {
        return "~".into();
    }
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    out.push_str(p.trim_end_matches('/'));
    out
}

/// Whether removing `removed` (a file or a directory) removes `path`.
pub(super) fn removes(removed: &str, path: &str) -> bool {
    let (r, p) = (normalize_path(removed), normalize_path(path));
    !r.is_empty() && (r == p || p.starts_with(&format!("{r}/")))
}

/// Names of the variables a text references (`$NAME`, `${NAME…}`).
pub(super) fn referenced_variables(text: &str) -> Vec<&str> {
    variable_references(text)
        .into_iter()
        .map(|(_, n)| n)
        .collect()
}

/// The variables a text references, with the offset of each `$`.
pub(super) fn variable_references(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let start = i + 1 + usize::from(bytes.get(i + 1) == Some(&b'{'));
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        if end > start && !bytes[start].is_ascii_digit() {
            out.push((i, &text[start..end]));
        }
        i = end.max(i + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(normalize_path("$HOME/.npmrc"), "~/.npmrc");
        assert_eq!(normalize_path("/root/.ssh/"), "~/.ssh");
        assert_eq!(normalize_path("./.npmrc"), ".npmrc");
        assert!(removes("~/.ssh", "/root/.ssh/id_rsa"));
        assert!(removes("${HOME}/.npmrc", "~/.npmrc"));
        assert!(!removes("~/.ssh/known_hosts", "~/.ssh/id_rsa"));
        assert!(!removes("", "x"));
    }

    #[test]
    fn variables() {
        assert_eq!(
            referenced_variables("a $A ${B_1:-x} $1 $$ ${ } $"),
            ["A", "B_1"]
        );
    }
}
