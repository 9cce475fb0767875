use super::common::{absolute, clean, covers, ships};
use crate::rules::packages::common::{
    APK_VALUE_FLAGS, APT_VALUE_FLAGS, RPM_VALUE_FLAGS, subcommand_in,
};
use crate::rules::prelude::*;
use plimsoll_shell::Command;

declare_rule! {
    /// ## What it does
    /// Flags a `RUN` that deletes what an earlier instruction of the same
    /// image added, naming both:
    /// - `rm` of a file that a `COPY`/`ADD` copied or an earlier `RUN`
    ///   downloaded (`curl -o`, `curl -O`, `wget`, `wget -O`, `git clone`),
    ///   or of a directory holding one; `rm` of `.git` under a directory
    ///   the whole build context was copied to;
    /// - `apt-get purge`/`remove`, `apk del`, `yum`/`dnf remove` of a
    ///   package (or an `apk --virtual` group) an earlier `RUN` installed.
    ///
    /// Paths are compared after resolving them against the `WORKDIR`; a
    /// relative path after a `cd`, or with an unknown `WORKDIR`, is left
    /// alone, as are operands with variables and globs outside the last
    /// path component. Only the final stage and the stages it is built on
    /// are checked: what other stages add and delete is never shipped.
    /// Deleting in the same `RUN` that added the files is the right way
    /// and is not reported.
    ///
    /// ## Why is this bad?
    /// Each instruction adds a layer, and layers are only ever added to: a
    /// file deleted in a later layer is hidden, but its bytes are still in
    /// the layer that added it, downloaded and stored with the image (and
    /// readable by anyone who unpacks that layer, which matters for
    /// secrets). Delete in the same `RUN` that creates the files, mount
    /// them for the one step that needs them (`RUN --mount=type=bind`), or
    /// do the work in a build stage and copy only the result.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12-slim
    /// ADD https://example.com/tool.tar.gz /tmp/
    /// RUN tar -xzf /tmp/tool.tar.gz -C /opt && rm /tmp/tool.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12-slim
    /// RUN curl -fsSL https://example.com/tool.tar.gz | tar -xz -C /opt
    /// ```
    pub struct DeletedInLaterLayer {
        code: "PL1006",
        name: "deleted_in_later_layer",
        aliases: [],
        severity: Warning,
        summary: "Files added in one layer are deleted in a later one: the image does not shrink",
        url: None,
        fixable: false,
        default_enabled: true,
    }
}

/// What an instruction added.
enum Added {
    /// A file or directory at this path.
    Path(String),
    /// A directory the whole build context went to.
    Context(String),
    /// A package (or apk `--virtual` group) by name.
    Package(String),
}

impl Rule for DeletedInLaterLayer {
    fn check(&self, cx: &mut Checker<'_>) {
        let mut additions: Vec<Vec<Added>> = Vec::with_capacity(cx.dockerfile.instructions.len());
        for (i, ins) in cx.instructions() {
            additions.push(if ships(cx.model, i) {
                added_by(cx, i, ins)
            } else {
                Vec::new()
            });
        }
        let mut found = Vec::new();
        for (i, ins) in cx.instructions() {
            if ins.keyword != Keyword::Run || !ships(cx.model, i) {
                continue;
            }
            let lineage = cx.model.lineage_before(i);
            for script in cx.scripts(i) {
                for cmd in &script.commands {
                    let removed = removed_by(cx, i, cmd);
                    if removed.is_empty() {
                        continue;
                    }
                    let hit = lineage.iter().find_map(|&j| {
                        additions[j].iter().find_map(|a| {
                            removed
                                .iter()
                                .any(|r| deletes(r, a))
                                .then_some((j, describe(a)))
                        })
                    });
                    if let Some((j, what)) = hit {
                        found.push((cmd.span, j, what));
                    }
                }
            }
        }
        for (span, j, what) in found {
            let adder = &cx.dockerfile.instructions[j];
            let deleting = first_line(cx.slice(span));
            cx.report(
                span,
                format!(
                    "`{deleting}` deletes {what} that {} at line {} added: its bytes stay in \
                     that layer. Delete in the same RUN that creates it, mount it for the step \
                     that needs it, or use a build stage",
                    adder.keyword.as_str(),
                    adder.start_line
                ),
            );
        }
    }
}

fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or("").trim();
    super::sources_before_dependency_install::truncate(line, 50)
}

fn describe(a: &Added) -> String {
    match a {
        Added::Path(p) => format!("`{p}`"),
        Added::Context(p) => format!("part of the build context copied to `{p}`"),
        Added::Package(p) => format!("the package `{p}`"),
    }
}

/// What a removal names.
enum Removed {
    /// `rm` of a path; `pattern` when its last component has a glob.
    Path {
        dir: String,
        pattern: Option<String>,
    },
    Package(String),
}

fn deletes(r: &Removed, a: &Added) -> bool {
    match (r, a) {
        (Removed::Path { dir, pattern: None }, Added::Path(p)) => covers(dir, p),
        (
            Removed::Path {
                dir,
                pattern: Some(pat),
            },
            Added::Path(p),
        ) => {
            let (parent, name) = p.rsplit_once('/').unwrap_or(("", p));
            let parent = if parent.is_empty() { "/" } else { parent };
            (parent == dir && glob(pat, name)) || (pat == "*" && p != dir && covers(dir, p))
        }
        (Removed::Path { dir, pattern: None }, Added::Context(root)) => {
            *dir == format!("{}/.git", root.trim_end_matches('/'))
        }
        (Removed::Package(r), Added::Package(a)) => r == a,
        _ => false,
    }
}

/// `*` and `?` wildcards.
fn glob(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some(b'?'), Some(_)) => go(&p[1..], &n[1..]),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

fn package_name(v: &str) -> String {
    v.split(['=', '<', '>', '~'])
        .next()
        .unwrap_or(v)
        .to_string()
}

/// What instruction `i` adds to the image.
fn added_by(cx: &Checker<'_>, i: usize, ins: &Instruction) -> Vec<Added> {
    let mut out = Vec::new();
    match ins.keyword {
        Keyword::Copy | Keyword::Add => {
            let Some((dest, sources)) = ins.args.split_last() else {
                return out;
            };
            let Some(dest) = cx.model.resolve(i, &dest.value) else {
                return out;
            };
            let into_dir = dest.ends_with('/') || sources.len() > 1;
            let Some(dest_abs) = absolute(cx, i, &dest) else {
                return out;
            };
            for src in sources {
                let Some(v) = cx.model.resolve(i, &src.value) else {
                    continue;
                };
                if v.starts_with("<<") {
                    continue;
                }
                let trimmed = v.trim_start_matches("./").trim_end_matches('/');
                if ins.flag("from").is_none() && matches!(trimmed, "" | "." | "*") {
                    out.push(Added::Context(dest_abs.clone()));
                    continue;
                }
                if v.contains(['*', '?', '[']) {
                    continue;
                }
                let base = v
                    .split(['?', '#'])
                    .next()
                    .unwrap_or(&v)
                    .trim_end_matches('/')
                    .rsplit('/')
                    .next()
                    .unwrap_or("");
                if into_dir && !base.is_empty() && base != "." {
                    out.push(Added::Path(clean(&format!("{dest_abs}/{base}"))));
                } else if !into_dir {
                    out.push(Added::Path(dest_abs.clone()));
                }
            }
        }
        Keyword::Run => {
            for script in cx.scripts(i) {
                for cmd in &script.commands {
                    added_by_command(cx, i, cmd, &mut out);
                }
            }
        }
        _ => {}
    }
    out
}

fn url_basename(url: &str) -> Option<&str> {
    let path = url.split(['?', '#']).next()?;
    let (_, rest) = path.split_once("://")?;
    let (_, path) = rest.split_once('/')?;
    let name = path.trim_end_matches('/').rsplit('/').next()?;
    (!name.is_empty()).then_some(name)
}

fn added_by_command(cx: &Checker<'_>, i: usize, cmd: &Command, out: &mut Vec<Added>) {
    let Some(program) = super::common::program(cmd) else {
        return;
    };
    if !matches!(program, "curl" | "wget" | "git")
        && !super::common::SYSTEM_PACKAGE_MANAGERS.contains(&program)
    {
        return;
    }
    let cwd_path = |p: &str| -> Option<String> {
        if !p.starts_with('/') && cmd.after_cd.is_some() {
            return None;
        }
        absolute(cx, i, p)
    };
    if let Some(inv) = cmd.runs("curl") {
        for f in inv.flag_values(&["-o", "--output"]) {
            if let Some(p) = f.value.as_deref().and_then(cwd_path) {
                out.push(Added::Path(p));
            }
        }
        if inv.has_flag(&["-O", "--remote-name"]) {
            for w in inv.positional_args(CURL_VALUE_FLAGS) {
                if let Some(p) = w.value.as_deref().and_then(url_basename).and_then(cwd_path) {
                    out.push(Added::Path(p));
                }
            }
        }
        return;
    }
    if let Some(inv) = cmd.runs("wget") {
        if let Some(f) = inv.flag_value(&["-O", "--output-document"]) {
            if let Some(p) = f.value.as_deref().filter(|v| *v != "-").and_then(cwd_path) {
                out.push(Added::Path(p));
            }
            return;
        }
        let dir = inv
            .flag_value(&["-P", "--directory-prefix"])
            .and_then(|f| f.value);
        for w in inv.positional_args(WGET_VALUE_FLAGS) {
            let Some(name) = w.value.as_deref().and_then(url_basename) else {
                continue;
            };
            let p = match &dir {
                Some(d) => cwd_path(&format!("{d}/{name}")),
                None => cwd_path(name),
            };
            out.extend(p.map(Added::Path));
        }
        return;
    }
    if let Some(inv) = cmd.runs("git")
        && inv.subcommand_is("clone")
    {
        let ops = inv.positional_args(&["-b", "--branch", "--depth", "-o", "--origin", "-c"]);
        let (url, dir) = (ops.get(1), ops.get(2));
        let dir = match dir {
            Some(d) => d.value.clone(),
            None => url
                .and_then(|u| u.value.as_deref())
                .and_then(|u| u.trim_end_matches('/').rsplit('/').next())
                .map(|n| n.trim_end_matches(".git").to_string()),
        };
        if let Some(p) = dir.as_deref().and_then(cwd_path) {
            out.push(Added::Path(p));
        }
        return;
    }
    let installs =
        subcommand_in(cmd, &["apt-get", "apt"], &["install"], APT_VALUE_FLAGS).or_else(|| {
            subcommand_in(
                cmd,
                &["yum", "dnf", "microdnf"],
                &["install"],
                RPM_VALUE_FLAGS,
            )
        });
    if let Some((_, _, pkgs)) = installs {
        out.extend(
            pkgs.iter()
                .filter_map(|w| w.value.as_deref())
                .map(|v| Added::Package(package_name(v))),
        );
        return;
    }
    if let Some((inv, _, pkgs)) = subcommand_in(cmd, &["apk"], &["add"], APK_VALUE_FLAGS) {
        if let Some(v) = inv.flag_value(&["-t", "--virtual"]).and_then(|f| f.value) {
            out.push(Added::Package(v));
        }
        out.extend(
            pkgs.iter()
                .filter_map(|w| w.value.as_deref())
                .map(|v| Added::Package(package_name(v))),
        );
    }
}

/// What a command of a RUN removes.
fn removed_by(cx: &Checker<'_>, i: usize, cmd: &Command) -> Vec<Removed> {
    let mut out = Vec::new();
    let Some(program) = super::common::program(cmd) else {
        return out;
    };
    if program != "rm" && !super::common::SYSTEM_PACKAGE_MANAGERS.contains(&program) {
        return out;
    }
    if let Some(inv) = cmd.runs("rm") {
        for w in inv.positional_args(&[]) {
            let Some(v) = w.value.as_deref() else {
                continue;
            };
            if !v.starts_with('/') && cmd.after_cd.is_some() {
                continue;
            }
            let Some(abs) = absolute(cx, i, v) else {
                continue;
            };
            let (dir, last) = abs.rsplit_once('/').unwrap_or(("", &abs));
            let dir = if dir.is_empty() { "/" } else { dir };
            if dir.contains(['*', '?', '[']) {
                continue;
            }
            if last.contains(['*', '?', '[']) {
                if last.contains('[') {
                    continue;
                }
                out.push(Removed::Path {
                    dir: dir.to_string(),
                    pattern: Some(last.to_string()),
                });
            } else if abs != "/" {
                out.push(Removed::Path {
                    dir: abs.clone(),
                    pattern: None,
                });
            }
        }
        return out;
    }
    let removes = subcommand_in(
        cmd,
        &["apt-get", "apt"],
        &["purge", "remove"],
        APT_VALUE_FLAGS,
    )
    .or_else(|| subcommand_in(cmd, &["apk"], &["del"], APK_VALUE_FLAGS))
    .or_else(|| {
        subcommand_in(
            cmd,
            &["yum", "dnf", "microdnf"],
            &["remove", "erase"],
            RPM_VALUE_FLAGS,
        )
    });
    if let Some((_, _, pkgs)) = removes {
        out.extend(
            pkgs.iter()
                .filter_map(|w| w.value.as_deref())
                .map(|v| Removed::Package(package_name(v))),
        );
    }
    out
}

/// curl's options that take a value (those that matter for finding URLs).
const CURL_VALUE_FLAGS: &[&str] = &[
    "-o",
    "--output",
    "-H",
    "--header",
    "-d",
    "--data",
    "-u",
    "--user",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-x",
    "--proxy",
    "-X",
    "--request",
    "-w",
    "--write-out",
    "-m",
    "--max-time",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--connect-timeout",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "-T",
    "--upload-file",
    "-F",
    "--form",
    "--cacert",
    "--cert",
    "--key",
    "-r",
    "--range",
    "-z",
    "--time-cond",
    "--proto",
    "--proto-redir",
    "--output-dir",
    "-K",
    "--config",
];

/// wget's options that take a value.
const WGET_VALUE_FLAGS: &[&str] = &[
    "-O",
    "--output-document",
    "-P",
    "--directory-prefix",
    "-o",
    "--output-file",
    "-a",
    "--append-output",
    "-t",
    "--tries",
    "-T",
    "--timeout",
    "--header",
    "-U",
    "--user-agent",
    "--user",
    "--password",
    "-e",
    "--execute",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob("*.tar.gz", "a.tar.gz"));
        assert!(glob("*", "x"));
        assert!(!glob("*.zip", "a.tar.gz"));
        assert!(glob("a?c", "abc"));
    }

    #[test]
    fn url_names() {
        assert_eq!(url_basename("https://x.org/a/b.tgz?x=1"), Some("b.tgz"));
        assert_eq!(url_basename("https://x.org/"), None);
        assert_eq!(url_basename("b.tgz"), None);
    }
}
