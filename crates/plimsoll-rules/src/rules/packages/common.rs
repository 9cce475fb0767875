//! Helpers shared by the package-manager rules: walking the commands of
//! every RUN, resolving package words through ARG/ENV, and cache mounts.

use crate::Checker;
pub(crate) use crate::rules::common::{cache_mounted, ships};
use crate::rules::edit::{cleanup_after_last, insert_after_word};
pub(crate) use crate::rules::pins::word_values;
use plimsoll_diagnostics::Fix;
use plimsoll_shell::{Command, Dialect, Invocation, Script, Word};

/// One command of a RUN: the instruction index, the index of the script
/// among the instruction's scripts, the command and the dialect of its
/// script.
pub(crate) struct Site<'c> {
    pub index: usize,
    pub script: usize,
    pub cmd: &'c Command,
    pub dialect: &'c Dialect,
}

/// Every command of every RUN (and ONBUILD RUN), in file order: the
/// commands of a `sh -c "…"` string where the string is, so that "later
/// in the same RUN" holds for them too.
pub(crate) fn commands<'c>(cx: &'c Checker<'_>) -> Vec<Site<'c>> {
    let mut out = Vec::new();
    for index in 0..cx.dockerfile.instructions.len() {
        let scripts = cx.scripts(index);
        for (script, s) in scripts.iter().enumerate() {
            out.extend(commands_of(index, script, s));
        }
        if scripts.iter().any(Script::is_command_string) {
            let from = out.len() - scripts.iter().map(|s| s.commands.len()).sum::<usize>();
            out[from..].sort_by_key(|s| s.cmd.span.start);
        }
    }
    out
}

fn commands_of(index: usize, script: usize, s: &Script) -> impl Iterator<Item = Site<'_>> {
    s.commands.iter().map(move |cmd| Site {
        index,
        script,
        cmd,
        dialect: &s.dialect,
    })
}

/// True when a `RUN` after `index` in the image it builds (this stage and
/// the stages built `FROM` it) has a command that `needs` what `index`
/// leaves behind (package lists, an index) before any command of its
/// script that `refreshes` it: a fix removing it would break that `RUN`.
pub(crate) fn later_runs_rely_on(
    cx: &Checker<'_>,
    index: usize,
    needs: impl Fn(&Command) -> bool,
    refreshes: impl Fn(&Command) -> bool,
) -> bool {
    (index + 1..cx.dockerfile.instructions.len())
        .filter(|&j| cx.model.lineage_before(j).contains(&index))
        .any(|j| {
            cx.scripts(j)
                .iter()
                .any(|s| s.commands.iter().take_while(|c| !refreshes(c)).any(&needs))
        })
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
    // The effective command is the same whichever program is asked for:
    // found once, then matched against each.
    let inv = cmd
        .effective()
        .filter(|inv| programs.iter().any(|p| inv.name_is(p)))?;
    let mut operands = inv.positional_args(value_flags).into_iter();
    let sub = operands.next().filter(|w| subs.iter().any(|s| w.is(s)))?;
    let rest = operands.collect();
    Some((inv, sub, rest))
}

/// `rm` with a recursive flag removing one of `paths` (a trailing `/`,
/// `/*` or `/.` on the operand is allowed), also through a brace
/// expansion when the shell (`dialect`) does them: `/var/lib/{apt,dpkg}`
/// in bash, not in sh, where it is a literal name.
pub(crate) fn rm_recursive(cmd: &Command, dialect: &Dialect, dirs: &[&str]) -> bool {
    let Some(inv) = cmd.runs("rm") else {
        return false;
    };
    if !inv.has_flag(&["-r", "-R", "--recursive"]) {
        return false;
    }
    inv.positional_args(&[]).iter().any(|w| {
        let Some(values) = w.brace_expansion(dialect) else {
            return false;
        };
        values.iter().any(|v| {
            let v = v
                .strip_suffix("/*")
                .or_else(|| v.strip_suffix("/."))
                .unwrap_or(v)
                .trim_end_matches('/');
            dirs.contains(&v)
        })
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
pub(crate) fn later_in_run(
    sites: &[Site<'_>],
    after: usize,
    f: impl Fn(&Site<'_>) -> bool,
) -> bool {
    let Some(first) = sites.get(after) else {
        return false;
    };
    sites
        .iter()
        .skip(after + 1)
        .take_while(|s| s.index == first.index)
        .any(f)
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
    let mut found = Vec::new();
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
        let cleaned = later_in_run(&sites, k, |s| {
            cleans(s.cmd, &[program], &["all"]) || rm_recursive(s.cmd, s.dialect, caches)
        });
        if !cleaned {
            spans.push(site.cmd.span);
            found.push((site.index, site.script, program.to_string()));
        }
    }
    for (span, (index, script, program)) in spans.into_iter().zip(found) {
        let fix = clean_all_fix(cx, index, script, &program);
        cx.report(span, message).fix = fix;
    }
}

/// `&& yum clean all && rm -rf /var/cache/yum` (`dnf clean all`,
/// `microdnf clean all`) after the last command of the script that runs
/// `program`.
fn clean_all_fix(cx: &Checker<'_>, index: usize, script: usize, program: &str) -> Option<Fix> {
    let (cleanup, added) = if program == "yum" {
        ("yum clean all && rm -rf /var/cache/yum".to_string(), 2)
    } else {
        (format!("{program} clean all"), 1)
    };
    let uses = |c: &Command| c.runs(program).is_some();
    let edit = cleanup_after_last(cx, index, script, uses, &cleanup, added)?;
    Some(Fix::safe(
        format!("Run `{cleanup}` after the last {program} command"),
        vec![edit],
    ))
}

/// The yum/dnf "-y missing" check (DL3030, DL3038).
pub(super) fn report_missing_yes(cx: &mut Checker<'_>, programs: &[&str], message: &str) {
    let mut spans = Vec::new();
    for site in commands(cx) {
        let Some((inv, sub, _)) = subcommand_in(
            site.cmd,
            programs,
            &["install", "groupinstall", "localinstall"],
            RPM_VALUE_FLAGS,
        ) else {
            continue;
        };
        if !inv.has_flag(&["-y", "--assumeyes"]) {
            spans.push((site.cmd.span, site.index, site.script, sub.span));
        }
    }
    for (span, index, script, sub) in spans {
        let fix = insert_after_word(cx, index, script, sub, "-y")
            .map(|e| Fix::safe("Add `-y` after the subcommand", vec![e]));
        cx.report(span, message).fix = fix;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_model::SemanticModel;

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
