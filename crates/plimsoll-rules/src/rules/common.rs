//! Helpers that rules of several families share.

use plimsoll_model::{Base, SemanticModel, mount_option};
use plimsoll_syntax::{Instruction, Keyword};

/// The RUN instruction itself (the inner one of `ONBUILD RUN`).
fn run_instruction(ins: &Instruction) -> &Instruction {
    match (ins.keyword, ins.onbuild.as_deref()) {
        (Keyword::Onbuild, Some(inner)) => inner,
        _ => ins,
    }
}

/// True when `dir` is the target of, or inside, a `--mount=type=cache` (or
/// `type=tmpfs`) of RUN `index`: what the RUN writes there does not end up
/// in the image layer, so it needs no cleanup.
pub(crate) fn cache_mounted(model: &SemanticModel<'_>, index: usize, dir: &str) -> bool {
    let Some(ins) = model.dockerfile.instructions.get(index) else {
        return false;
    };
    let dir = dir.trim_end_matches('/');
    run_instruction(ins)
        .flags
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("mount"))
        .filter_map(|f| f.value.as_deref())
        .any(|value| {
            let kind = mount_option(value, "type");
            if !matches!(kind, Some("cache" | "tmpfs")) {
                return false;
            }
            let target = ["target", "dst", "destination"]
                .iter()
                .find_map(|k| mount_option(value, k));
            let Some(target) = target else {
                return false;
            };
            let target = model
                .resolve(index, target)
                .unwrap_or_else(|| target.to_string());
            let target = target.trim_end_matches('/');
            !target.is_empty()
                && (dir == target
                    || dir
                        .strip_prefix(target)
                        .is_some_and(|rest| rest.starts_with('/')))
        })
}

/// True when the stage holding instruction `index` ends up in the image
/// that is built: the final stage, or a stage it is built on (`FROM
/// <stage>`, transitively). A stage only copied from does not ship.
pub(crate) fn ships(model: &SemanticModel<'_>, index: usize) -> bool {
    let Some(stage) = model.stage_of(index) else {
        return true;
    };
    let mut current = model.final_stage();
    // Each step goes to an earlier stage, so this ends; bounded anyway.
    for _ in 0..=model.stages.len() {
        let Some(s) = current else {
            return false;
        };
        if s.index == stage.index {
            return true;
        }
        current = match s.base {
            Base::Stage(parent) if parent < s.index => model.stages.get(parent),
            _ => None,
        };
    }
    false
}
