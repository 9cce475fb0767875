//! Helpers the RUN-family rules share: the instruction a RUN's flags are
//! on, cache mounts, which stages end up in the image, package-manager
//! invocations and variables resolved through the model.

use crate::Checker;
use plimsoll_model::{Base, mount_option};
use plimsoll_shell::{Command, Invocation, Word};
use plimsoll_syntax::{Instruction, Keyword};

/// The RUN itself: the instruction, or the trigger of `ONBUILD RUN`.
pub(super) fn run_instruction(ins: &Instruction) -> Option<&Instruction> {
    match ins.keyword {
        Keyword::Run => Some(ins),
        Keyword::Onbuild => ins.onbuild.as_deref().filter(|o| o.keyword == Keyword::Run),
        _ => None,
    }
}

/// The `target` of every `--mount=type=cache` of the RUN at `index`, as
/// written and with variables resolved where possible.
pub(super) fn cache_mount_targets(cx: &Checker<'_>, index: usize) -> Vec<String> {
    let Some(ins) = cx
        .dockerfile
        .instructions
        .get(index)
        .and_then(run_instruction)
    else {
        return Vec::new();
    };
    ins.flags
        .iter()
        .filter(|f| f.name == "mount")
        .filter_map(|f| f.value.as_deref())
        .filter(|v| mount_option(v, "type").is_some_and(|t| t.eq_ignore_ascii_case("cache")))
        .filter_map(|v| {
            mount_option(v, "target")
                .or_else(|| mount_option(v, "dst"))
                .or_else(|| mount_option(v, "destination"))
        })
        .map(|t| {
            let t = cx.model.resolve(index, t).unwrap_or_else(|| t.to_string());
            let trimmed = t.trim_end_matches('/');
            if trimmed.is_empty() {
                "/".to_string()
            } else {
                trimmed.to_string()
            }
        })
        .collect()
}

/// True when `dir` (or a directory above it) is a cache mount of the RUN
/// at `index`: what is written there never reaches the image.
pub(super) fn is_cache_mounted(cx: &Checker<'_>, index: usize, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    cache_mount_targets(cx, index)
        .iter()
        .any(|t| covers(t, dir))
}

/// True when path `outer` is `inner` or one of its parent directories.
pub(super) fn covers(outer: &str, inner: &str) -> bool {
    outer == "/"
        || inner == outer
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// True when instruction `index` builds a layer of the final image: it is
/// in the final stage or in a stage the final stage is built `FROM`
/// (directly or through other stages). Layers of other stages are thrown
/// away; only what is copied out of them is shipped.
pub(super) fn ships_in_final_image(cx: &Checker<'_>, index: usize) -> bool {
    let Some(stage) = cx.model.stage_of(index) else {
        // ONBUILD before any FROM, or an unparsable file: assume it ships.
        return true;
    };
    let mut current = cx.model.final_stage();
    let mut steps = 0;
    while let Some(s) = current {
        if s.index == stage.index {
            return true;
        }
        steps += 1;
        current = match s.base {
            Base::Stage(p) if p < s.index && steps <= cx.model.stages.len() => {
                cx.model.stages.get(p)
            }
            _ => None,
        };
    }
    false
}

/// The values a word stands for: its literal value as one word, or, for
/// a word with variables, the ARG/ENV values it resolves to split on
/// whitespace. `None` when a variable is unknown or the word has a
/// command substitution.
pub(super) fn word_values(cx: &Checker<'_>, index: usize, word: &Word) -> Option<Vec<String>> {
    if let Some(v) = &word.value {
        return Some(vec![v.clone()]);
    }
    let v = cx.model.resolve(index, &word.text)?;
    // `"b2 == $VERSION"` stays one word.
    if word.expansions.iter().all(|e| e.quoted) {
        return Some(vec![v]);
    }
    Some(v.split_whitespace().map(str::to_string).collect())
}

/// `pip install …`, `pip3.12 install …`, `python3 -m pip install …` (also
/// under `sudo` and the like): the invocation of pip, with its arguments
/// after the program (`install …`).
pub(super) fn pip(cmd: &Command) -> Option<Invocation<'_>> {
    let inv = cmd.effective()?;
    let base = inv.basename()?;
    if is_pip_name(base) {
        return Some(inv);
    }
    if base.starts_with("python") {
        // `python -m pip …`: the module is the value of the first `-m`.
        let args = inv.args;
        let m = args.iter().position(|a| a.is("-m"))?;
        let module = args.get(m + 1)?;
        if module.value.as_deref().is_some_and(is_pip_name) {
            let mut wrappers = inv.wrappers.clone();
            wrappers.push(inv.name);
            return Some(Invocation {
                name: module,
                args: args.get(m + 2..).unwrap_or(&[]),
                wrappers,
            });
        }
    }
    None
}

fn is_pip_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("pip") else {
        return false;
    };
    rest.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The operands of a command after its subcommand (`install`), skipping
/// the values of `flags_with_values`.
pub(super) fn operands_after<'a>(
    inv: &Invocation<'a>,
    subcommands: &[&str],
    flags_with_values: &[&str],
) -> Option<Vec<&'a Word>> {
    let ops = inv.positional_args(flags_with_values);
    let first = ops.first()?;
    if !subcommands.iter().any(|s| first.is(s)) {
        return None;
    }
    Some(ops.into_iter().skip(1).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_names() {
        assert!(is_pip_name("pip"));
        assert!(is_pip_name("pip3"));
        assert!(is_pip_name("pip3.12"));
        assert!(!is_pip_name("pipx"));
        assert!(!is_pip_name("pipenv"));
    }

    #[test]
    fn path_cover() {
        assert!(covers("/root/.cache", "/root/.cache/pip"));
        assert!(covers("/root/.cache/pip", "/root/.cache/pip"));
        assert!(!covers("/root/.cache/pi", "/root/.cache/pip"));
        assert!(covers("/", "/x"));
    }
}
