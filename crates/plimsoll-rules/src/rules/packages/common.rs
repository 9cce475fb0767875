//! Helpers shared by the package-manager rules: walking the commands of
//! every RUN, resolving package words through ARG/ENV, and cache mounts.

use crate::Checker;
use plimsoll_model::{Base, SemanticModel, mount_option};
use plimsoll_shell::{Command, ExpansionKind, Invocation, Quoting, Script, Word};
use plimsoll_syntax::{Instruction, Keyword};
use std::collections::HashMap;

/// One command of a RUN: the instruction index, the index of the script
/// among the instruction's scripts, and the command.
pub(crate) struct Site<'c> {
    pub index: usize,
    pub script: usize,
    pub cmd: &'c Command,
}

/// Every command of every RUN (and ONBUILD RUN), in file order.
pub(crate) fn commands<'c>(cx: &'c Checker<'_>) -> Vec<Site<'c>> {
    let mut out = Vec::new();
    for index in 0..cx.dockerfile.instructions.len() {
        for (script, s) in cx.scripts(index).iter().enumerate() {
            out.extend(commands_of(index, script, s));
        }
    }
    out
}

fn commands_of(index: usize, script: usize, s: &Script) -> impl Iterator<Item = Site<'_>> {
    s.commands
        .iter()
        .map(move |cmd| Site { index, script, cmd })
}

/// The literal values a word stands for: its value when it has no
/// expansion, else the words it gives once its variables are replaced by
/// their ARG/ENV values (split on blanks). `None` when that is unknown (a
/// variable set in the script, a command substitution).
pub(crate) fn word_values(
    model: &SemanticModel<'_>,
    index: usize,
    word: &Word,
) -> Option<Vec<String>> {
    if let Some(v) = &word.value {
        return Some(vec![v.clone()]);
    }
    let only_parameters = word.expansions.iter().all(|e| match &e.kind {
        ExpansionKind::Parameter { name } => {
            !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit())
        }
        _ => false,
    });
    if !only_parameters {
        return None;
    }
    let value = model.resolve(index, &word.text)?;
    // `"curl=$VERSION"` stays one word.
    if word.expansions.iter().all(|e| e.quoted) {
        return Some(vec![value]);
    }
    Some(value.split_whitespace().map(str::to_string).collect())
}

/// [`word_values`] for a word of `site`'s command, knowing also the
/// variables the same script assigned a literal value before it
/// (`PKGS="curl git" && apt-get install -y $PKGS`, or jessfraz's
/// `buildDeps='…' set -x && apk add $buildDeps`).
pub(crate) fn site_word_values(
    cx: &Checker<'_>,
    site: &Site<'_>,
    word: &Word,
) -> Option<Vec<String>> {
    if word.value.is_none()
        && let [e] = word.expansions.as_slice()
        && let ExpansionKind::Parameter { name } = &e.kind
        && (word.text == format!("${name}") || word.text == format!("${{{name}}}"))
        && let Some(script) = cx.scripts(site.index).get(site.script)
    {
        let before = script
            .commands
            .iter()
            .take_while(|c| !std::ptr::eq(*c, site.cmd));
        let mut known: HashMap<&str, Option<String>> = HashMap::new();
        for cmd in before {
            // A bare assignment, or one before `set` or `:`, which (special
            // built-ins) keep it in the shell.
            if !(cmd.name.is_none() || cmd.name_is("set") || cmd.name_is(":")) {
                continue;
            }
            for a in &cmd.env {
                let value = match &a.value.value {
                    Some(v) => Some(v.clone()),
                    None => substitute(&a.value, &known),
                };
                known.insert(a.name.as_str(), value);
            }
        }
        if let Some(value) = known.remove(name.as_str()) {
            return value.map(|v| v.split_whitespace().map(str::to_string).collect());
        }
    }
    word_values(cx.model, site.index, word)
}

/// The value of an assignment's word whose only expansions are variables
/// of `known` with a literal value (`PKGS="$PKGS git"`); `None` otherwise.
fn substitute(word: &Word, known: &HashMap<&str, Option<String>>) -> Option<String> {
    let text = word.text.as_str();
    let text = match word.quoting {
        Quoting::Double => text.strip_prefix('"')?.strip_suffix('"')?,
        Quoting::Unquoted => text,
        _ => return None,
    };
    let mut out = text.to_string();
    for e in &word.expansions {
        let ExpansionKind::Parameter { name } = &e.kind else {
            return None;
        };
        let value = known.get(name.as_str())?.as_deref()?;
        out = out
            .replace(&format!("${{{name}}}"), value)
            .replace(&format!("${name}"), value);
    }
    (!out.contains(['$', '`', '\\', '"', '\''])).then_some(out)
}

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

/// apt-get's options that take a value.
pub(crate) const APT_VALUE_FLAGS: &[&str] = &[
    "-o",
    "--option",
    "-c",
    "--config-file",
    "-t",
    "--target-release",
    "--default-release",
    "-a",
    "--host-architecture",
];

/// `apt-get install …` (also under `sudo` and the like): the invocation,
/// the `install` word and the package operands.
pub(crate) fn apt_get_install(cmd: &Command) -> Option<(Invocation<'_>, &Word, Vec<&Word>)> {
    let inv = cmd.runs("apt-get")?;
    let mut operands = inv.positional_args(APT_VALUE_FLAGS).into_iter();
    let install = operands.next().filter(|w| w.is("install"))?;
    let packages = operands.collect();
    Some((inv, install, packages))
}

/// The command `program` (or one of `programs`) with subcommand `sub`
/// among `subs`, given the options of that program that take a value.
pub(crate) fn subcommand_in<'c>(
    cmd: &'c Command,
    programs: &[&str],
    subs: &[&str],
    value_flags: &[&str],
) -> Option<(Invocation<'c>, &'c Word, Vec<&'c Word>)> {
    let inv = programs.iter().find_map(|p| cmd.runs(p))?;
    let mut operands = inv.positional_args(value_flags).into_iter();
    let sub = operands.next().filter(|w| subs.iter().any(|s| w.is(s)))?;
    let rest = operands.collect();
    Some((inv, sub, rest))
}

/// `rm` with a recursive flag removing one of `paths` (a trailing `/`,
/// `/*` or `/.` on the operand is allowed).
pub(crate) fn rm_recursive(cmd: &Command, dirs: &[&str]) -> bool {
    let Some(inv) = cmd.runs("rm") else {
        return false;
    };
    if !inv.has_flag(&["-r", "-R", "--recursive"]) {
        return false;
    }
    inv.positional_args(&[]).iter().any(|w| {
        let Some(v) = w.value.as_deref() else {
            return false;
        };
        let v = v
            .strip_suffix("/*")
            .or_else(|| v.strip_suffix("/."))
            .unwrap_or(v)
            .trim_end_matches('/');
        dirs.contains(&v)
    })
}

/// apk's options that take a value.
pub(crate) const APK_VALUE_FLAGS: &[&str] = &[
    "-t",
    "--virtual",
    "-X",
    "--repository",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
    "--keys-dir",
    "--repositories-file",
    "--cache-max-age",
    "--timeout",
];

/// `apk add …`: the invocation, the `add` word and the package operands.
pub(crate) fn apk_add(cmd: &Command) -> Option<(Invocation<'_>, &Word, Vec<&Word>)> {
    subcommand_in(cmd, &["apk"], &["add"], APK_VALUE_FLAGS)
}

/// yum's and dnf's options that take a value.
pub(crate) const RPM_VALUE_FLAGS: &[&str] = &[
    "-c",
    "--config",
    "-d",
    "--debuglevel",
    "-e",
    "--errorlevel",
    "-x",
    "--exclude",
    "--installroot",
    "--enablerepo",
    "--disablerepo",
    "--repo",
    "--repoid",
    "--releasever",
    "--setopt",
    "--downloaddir",
    "--destdir",
    "--forcearch",
    "--rpmverbosity",
    "--color",
    "--comment",
];

/// True when a RUN's later commands (after `after`, same instruction)
/// include one matching `f`.
pub(crate) fn later_in_run(sites: &[Site<'_>], after: usize, f: impl Fn(&Command) -> bool) -> bool {
    let Some(first) = sites.get(after) else {
        return false;
    };
    sites
        .iter()
        .skip(after + 1)
        .take_while(|s| s.index == first.index)
        .any(|s| f(s.cmd))
}

/// `program clean all` (or `clean packages`/`metadata` as given).
pub(crate) fn cleans(cmd: &Command, programs: &[&str], what: &[&str]) -> bool {
    subcommand_in(cmd, programs, &["clean"], RPM_VALUE_FLAGS)
        .is_some_and(|(_, _, rest)| rest.iter().any(|w| what.iter().any(|x| w.is(x))))
}

/// zypper's options that take a value (global and of `install`).
pub(crate) const ZYPPER_VALUE_FLAGS: &[&str] = &[
    "-R",
    "--root",
    "-c",
    "--config",
    "-D",
    "--reposd-dir",
    "-C",
    "--cache-dir",
    "--raw-cache-dir",
    "--solv-cache-dir",
    "--pkg-cache-dir",
    "-t",
    "--type",
    "-r",
    "--repo",
    "--from",
    "-p",
    "--plus-repo",
];

/// The yum/dnf "clean all missing" check (DL3032, DL3040): an `install`
/// by one of `programs` in a stage that ships, not followed in the same
/// RUN by `<program> clean all` or removal of `caches`, nor run under a
/// cache mount of them.
pub(super) fn report_clean_missing(
    cx: &mut Checker<'_>,
    programs: &[&str],
    caches: &[&str],
    message: &str,
) {
    let sites = commands(cx);
    let mut spans = Vec::new();
    for (k, site) in sites.iter().enumerate() {
        let Some((inv, _, _)) = subcommand_in(site.cmd, programs, &["install"], RPM_VALUE_FLAGS)
        else {
            continue;
        };
        let Some(program) = inv.basename() else {
            continue;
        };
        if !ships(cx.model, site.index)
            || caches
                .iter()
                .any(|d| cache_mounted(cx.model, site.index, d))
        {
            continue;
        }
        let cleaned = later_in_run(&sites, k, |c| {
            cleans(c, &[program], &["all"]) || rm_recursive(c, caches)
        });
        if !cleaned {
            spans.push(site.cmd.span);
        }
    }
    for span in spans {
        cx.report(span, message);
    }
}

/// The yum/dnf "-y missing" check (DL3030, DL3038).
pub(super) fn report_missing_yes(cx: &mut Checker<'_>, programs: &[&str], message: &str) {
    let mut spans = Vec::new();
    for site in commands(cx) {
        let Some((inv, _, _)) = subcommand_in(
            site.cmd,
            programs,
            &["install", "groupinstall", "localinstall"],
            RPM_VALUE_FLAGS,
        ) else {
            continue;
        };
        if !inv.has_flag(&["-y", "--assumeyes"]) {
            spans.push(site.cmd.span);
        }
    }
    for span in spans {
        cx.report(span, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> (plimsoll_syntax::Dockerfile, usize) {
        let df = plimsoll_syntax::parse_str(src);
        let last = df.instructions.len().saturating_sub(1);
        (df, last)
    }

    #[test]
    fn cache_mount_covers_subdirectories() {
        let (df, i) =
            parse("FROM debian\nRUN --mount=type=cache,target=/var/lib/apt apt-get update\n");
        let model = SemanticModel::new(&df);
        assert!(cache_mounted(&model, i, "/var/lib/apt/lists"));
        assert!(cache_mounted(&model, i, "/var/lib/apt"));
        assert!(!cache_mounted(&model, i, "/var/lib"));
        assert!(!cache_mounted(&model, i, "/var/lib/aptitude"));
    }

    #[test]
    fn bind_mount_is_not_a_cache() {
        let (df, i) =
            parse("FROM debian\nRUN --mount=type=bind,target=/var/lib/apt/lists apt-get update\n");
        let model = SemanticModel::new(&df);
        assert!(!cache_mounted(&model, i, "/var/lib/apt/lists"));
    }

    #[test]
    fn cache_mount_target_from_arg() {
        let (df, i) =
            parse("FROM alpine\nARG C=/var/cache/apk\nRUN --mount=type=cache,dst=$C apk add x\n");
        let model = SemanticModel::new(&df);
        assert!(cache_mounted(&model, i, "/var/cache/apk"));
    }
}
