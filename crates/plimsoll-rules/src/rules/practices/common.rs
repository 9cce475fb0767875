//! Helpers the practice rules share: the process the image runs, the
//! image a stage is rooted in, cache mounts, and the files a Dockerfile
//! writes itself.

use crate::Checker;
use plimsoll_model::{Base, ImageRef, mount_option};
use plimsoll_shell::{Command, RedirectOp, Script, Word};
use plimsoll_syntax::{Instruction, Keyword};

pub(super) use crate::rules::common::ships;

/// The `ENTRYPOINT` and `CMD` the built image runs with: the last of each
/// in the final stage and the stages it is built on. A `CMD` inherited
/// from a parent stage is dropped when a later stage sets an
/// `ENTRYPOINT`, as BuildKit does.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct MainProcess {
    pub entrypoint: Option<usize>,
    pub cmd: Option<usize>,
}

impl MainProcess {
    pub fn of(cx: &Checker<'_>) -> MainProcess {
        let Some(stage) = cx.model.final_stage() else {
            return MainProcess::default();
        };
        let last = stage.instructions.end.saturating_sub(1);
        let mut order = vec![last];
        order.extend(cx.model.lineage_before(last));
        let find = |k: Keyword| {
            order.iter().copied().find(|&i| {
                cx.dockerfile
                    .instructions
                    .get(i)
                    .is_some_and(|x| x.keyword == k)
            })
        };
        let entrypoint = find(Keyword::Entrypoint);
        let mut cmd = find(Keyword::Cmd);
        if let (Some(e), Some(c)) = (entrypoint, cmd) {
            let stage = |i| cx.model.stage_of(i).map(|s| s.index);
            if c < e && stage(c) != stage(e) {
                cmd = None;
            }
        }
        MainProcess { entrypoint, cmd }
    }

    /// True when the ENTRYPOINT is in shell form: it ignores CMD.
    pub fn shell_entrypoint(&self, cx: &Checker<'_>) -> bool {
        self.entrypoint
            .is_some_and(|e| !cx.dockerfile.instructions[e].is_exec_form())
    }

    /// The instructions that make up the command line: the ENTRYPOINT,
    /// then the CMD unless a shell-form ENTRYPOINT ignores it.
    pub fn instructions(&self, cx: &Checker<'_>) -> Vec<usize> {
        let mut out: Vec<usize> = self.entrypoint.into_iter().collect();
        if !self.shell_entrypoint(cx) {
            out.extend(self.cmd);
        }
        out
    }

    /// The scripts of [`MainProcess::instructions`], with their index.
    pub fn scripts<'c>(&self, cx: &'c Checker<'_>) -> Vec<(usize, &'c Script)> {
        self.instructions(cx)
            .into_iter()
            .flat_map(|i| cx.command_scripts(i).iter().map(move |s| (i, s)))
            .collect()
    }

    /// The command that becomes PID 1, when it can be told: the first
    /// word of an exec-form ENTRYPOINT (or CMD without one); for a shell
    /// (`sh -c "…"`, the shell form) the command the shell `exec`s or the
    /// only command it runs. `None` when the shell stays PID 1 or nothing
    /// is known.
    pub fn pid1<'c>(&self, cx: &'c Checker<'_>) -> Option<(usize, &'c Command)> {
        let i = self.entrypoint.or(self.cmd)?;
        let scripts = cx.command_scripts(i);
        let first = scripts.first()?;
        let cmd = first.commands.first()?;
        if cx.dockerfile.instructions[i].is_exec_form() {
            let inv = cmd.effective()?;
            let is_shell = matches!(
                inv.basename(),
                Some("sh" | "bash" | "ash" | "dash" | "zsh" | "ksh")
            );
            if !is_shell {
                return Some((i, cmd));
            }
            // `["sh", "-c", "…"]`: its script, analysed as the second one.
            return exec_target(scripts.get(1)?).map(|c| (i, c));
        }
        exec_target(first).map(|c| (i, c))
    }
}

/// The command a shell script hands its process to: the last top-level
/// command when it is `exec …`, or the only command of a one-command
/// script (shells `exec` that one themselves).
pub(super) fn exec_target(script: &Script) -> Option<&Command> {
    let (k, last) = last_top_level(script)?;
    if last.name_is("exec") {
        return Some(last);
    }
    let only = script.commands.len() == 1
        && k == 0
        && !last.background
        && script.pipelines.len() == 1
        && !script.pipelines[0].is_piped();
    only.then_some(last)
}

/// The last command of a script that runs at its top level: not inside a
/// function body or a command substitution (it may be inside `if` or
/// `case`), with its index.
pub(super) fn last_top_level(script: &Script) -> Option<(usize, &Command)> {
    script
        .commands
        .iter()
        .enumerate()
        .rev()
        .find(|(_, c)| !c.nesting.function && !c.nesting.substitution)
}

/// True when `name` is defined as a function in the script's text.
pub(super) fn defines_function(script: &Script, name: &str) -> bool {
    script.text.lines().any(|l| {
        let l = l.trim_start();
        let l = l
            .strip_prefix("function ")
            .map(str::trim_start)
            .unwrap_or(l);
        l.strip_prefix(name).is_some_and(|rest| {
            rest.trim_start().starts_with('(') || rest.trim_start().starts_with('{')
        })
    })
}

/// The image at the root of a stage's chain of `FROM <stage>`, with the
/// index of the stage whose FROM names it.
pub(super) fn root_image<'m>(cx: &'m Checker<'_>, stage: usize) -> Option<(&'m ImageRef, usize)> {
    let mut s = stage;
    for _ in 0..=cx.model.stages.len() {
        match &cx.model.stages.get(s)?.base {
            Base::Image(r) => return Some((r, s)),
            Base::Stage(p) if *p < s => s = *p,
            _ => return None,
        }
    }
    None
}

/// True when the chain of a stage ends in `scratch`.
pub(super) fn rooted_in_scratch(cx: &Checker<'_>, stage: usize) -> bool {
    let mut s = stage;
    for _ in 0..=cx.model.stages.len() {
        match cx.model.stages.get(s).map(|st| &st.base) {
            Some(Base::Scratch) => return true,
            Some(Base::Stage(p)) if *p < s => s = *p,
            _ => return false,
        }
    }
    false
}

/// The official image name (`python` for `python`, `library/python`,
/// `docker.io/library/python`); `None` for other repositories.
pub(super) fn official_name(r: &ImageRef) -> Option<&str> {
    if !r.is_docker_hub() {
        return None;
    }
    r.repository.strip_prefix("library/")
}

/// The `target` of each `--mount=type=cache` (and tmpfs) of RUN `index`,
/// resolved where possible, lower-cased.
pub(super) fn cache_mount_targets(cx: &Checker<'_>, index: usize) -> Vec<String> {
    let Some(ins) = cx.dockerfile.instructions.get(index).and_then(run_of) else {
        return Vec::new();
    };
    ins.flags
        .iter()
        .filter(|f| f.name.eq_ignore_ascii_case("mount"))
        .filter_map(|f| f.value.as_deref())
        .filter(|v| matches!(mount_option(v, "type"), Some("cache" | "tmpfs")))
        .filter_map(|v| {
            ["target", "dst", "destination"]
                .iter()
                .find_map(|k| mount_option(v, k))
        })
        .map(|t| {
            cx.model
                .resolve(index, t)
                .unwrap_or_else(|| t.to_string())
                .to_ascii_lowercase()
        })
        .collect()
}

/// The RUN of a RUN instruction or of `ONBUILD RUN`.
pub(super) fn run_of(ins: &Instruction) -> Option<&Instruction> {
    match (ins.keyword, ins.onbuild.as_deref()) {
        (Keyword::Run, _) => Some(ins),
        (Keyword::Onbuild, Some(inner)) if inner.keyword == Keyword::Run => Some(inner),
        _ => None,
    }
}

/// The value of an ENV or ARG in scope at instruction `index`.
pub(super) fn env_value<'m>(cx: &'m Checker<'_>, index: usize, name: &str) -> Option<&'m str> {
    cx.model
        .context(index)
        .scope
        .get_var(name)
        .and_then(|v| v.value.as_deref())
}

/// True when `NAME=value` is given to the command itself, or exported or
/// assigned earlier in its script (`export CGO_ENABLED=0 && go build`);
/// `value` is matched when given.
pub(super) fn script_sets(script: &Script, k: usize, name: &str, value: Option<&str>) -> bool {
    let matches = |v: Option<&str>| value.is_none() || v == value;
    let own = script.commands.get(k).is_some_and(|c| {
        c.env
            .iter()
            .any(|a| a.name == name && matches(a.value.value.as_deref()))
    });
    own || script.commands.iter().take(k).any(|c| {
        (c.name.is_none()
            && c.env
                .iter()
                .any(|a| a.name == name && matches(a.value.value.as_deref())))
            || (c.name_is("export")
                && c.args.iter().any(|w| {
                    w.value
                        .as_deref()
                        .and_then(|v| v.strip_prefix(name))
                        .and_then(|v| v.strip_prefix('='))
                        .is_some_and(|v| matches(Some(v)))
                }))
    })
}

/// The program a command runs (looking through `sudo` and the like), by
/// file name: one cheap look before the detailed matching.
pub(super) fn program(cmd: &Command) -> Option<&str> {
    cmd.effective()?.basename()
}

/// Package managers that install and remove system packages.
pub(super) const SYSTEM_PACKAGE_MANAGERS: &[&str] =
    &["apt-get", "apt", "apk", "yum", "dnf", "microdnf", "dpkg"];

/// The commands of a RUN's scripts, flattened.
pub(super) fn run_commands<'c>(
    cx: &'c Checker<'_>,
    index: usize,
) -> impl Iterator<Item = &'c Command> {
    cx.scripts(index).iter().flat_map(|s| s.commands.iter())
}

/// A path joined to the working directory, `.` and `..` resolved; `None`
/// for a relative path when the working directory is unknown. An unknown
/// working directory is `/` in a stage rooted in `scratch`.
pub(super) fn absolute(cx: &Checker<'_>, index: usize, path: &str) -> Option<String> {
    if path.starts_with('/') {
        return Some(clean(path));
    }
    let workdir = cx
        .model
        .context(index)
        .workdir
        .as_deref()
        .map(str::to_string);
    let workdir = workdir.or_else(|| {
        let stage = cx.model.stage_of(index)?.index;
        rooted_in_scratch(cx, stage).then(|| "/".to_string())
    })?;
    Some(clean(&format!("{workdir}/{path}")))
}

/// `/a/./b/../c/` → `/a/c`.
pub(super) fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    format!("/{}", parts.join("/"))
}

/// True when path `outer` is `inner` or one of its parent directories.
pub(super) fn covers(outer: &str, inner: &str) -> bool {
    outer == "/"
        || inner == outer
        || inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Where a file a Dockerfile writes gets its text from.
#[derive(Debug, Clone)]
pub(super) enum Content {
    /// Heredoc `heredoc` of instruction `instruction`.
    Heredoc { instruction: usize, heredoc: usize },
    /// Text built by `echo`/`printf` redirections.
    Text(String),
    /// A file of the build context, by its path there.
    Context(String),
}

/// A file the Dockerfile puts in the image whose text can be known.
#[derive(Debug, Clone)]
pub(super) struct WrittenFile {
    /// Absolute path in the image.
    pub path: String,
    pub content: Content,
}

/// The files the final image gets from the Dockerfile with knowable text:
/// heredocs copied (`COPY <<EOF /entrypoint.sh`) or written by a RUN
/// (`cat > /x <<EOF`, `tee /x <<EOF`), files built with `echo`/`printf`
/// redirections, and single files copied from the build context. Only the
/// final stage and the stages it is built on; a later write of the same
/// path replaces an earlier one, and a write whose text is unknown
/// forgets the path.
pub(super) fn written_files(cx: &Checker<'_>) -> Vec<WrittenFile> {
    let Some(stage) = cx.model.final_stage() else {
        return Vec::new();
    };
    let last = stage.instructions.end.saturating_sub(1);
    let mut order = cx.model.lineage_before(last);
    order.push(last);
    order.sort_unstable();
    let mut files: Vec<WrittenFile> = Vec::new();
    let set = |files: &mut Vec<WrittenFile>, path: String, content: Option<Content>| {
        files.retain(|f| f.path != path);
        if let Some(content) = content {
            files.push(WrittenFile { path, content });
        }
    };
    for i in order {
        let ins = &cx.dockerfile.instructions[i];
        match ins.keyword {
            Keyword::Copy | Keyword::Add => {
                for (path, content) in copied_files(cx, i, ins) {
                    set(&mut files, path, content);
                }
            }
            Keyword::Run => {
                for (path, content) in run_written(cx, i, ins, &files) {
                    set(&mut files, path, content);
                }
            }
            _ => {}
        }
    }
    files
}

/// Files a COPY/ADD writes: heredoc sources, and context files when there
/// is exactly one literal source; `None` content for files whose text is
/// not known (so that earlier knowledge is dropped).
fn copied_files(cx: &Checker<'_>, i: usize, ins: &Instruction) -> Vec<(String, Option<Content>)> {
    let Some((dest, sources)) = ins.args.split_last() else {
        return Vec::new();
    };
    let Some(dest) = cx.model.resolve(i, &dest.value) else {
        return Vec::new();
    };
    let into_dir = dest.ends_with('/') || sources.len() > 1;
    let Some(dest_abs) = absolute(cx, i, &dest) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let from_context = ins.flag("from").is_none() && ins.keyword == Keyword::Copy;
    for src in sources {
        let v = &src.value;
        if let Some(name) = v.strip_prefix("<<") {
            let name = name.trim_start_matches('-').trim_matches(['"', '\'']);
            let Some(k) = ins.heredocs.iter().position(|h| h.name == name) else {
                continue;
            };
            let path = if into_dir {
                format!("{}/{name}", dest_abs.trim_end_matches('/'))
            } else {
                dest_abs.clone()
            };
            out.push((
                clean(&path),
                Some(Content::Heredoc {
                    instruction: i,
                    heredoc: k,
                }),
            ));
            continue;
        }
        if !from_context || v.contains(['*', '?', '[', '$']) || v.contains("://") {
            continue;
        }
        let base = v.trim_end_matches('/').rsplit('/').next().unwrap_or(v);
        if base.is_empty() || base == "." {
            continue;
        }
        let path = if into_dir {
            format!("{}/{base}", dest_abs.trim_end_matches('/'))
        } else {
            dest_abs.clone()
        };
        out.push((clean(&path), Some(Content::Context(v.clone()))));
    }
    out
}

/// Files a RUN writes with heredocs or `echo`/`printf` redirections.
fn run_written(
    cx: &Checker<'_>,
    i: usize,
    ins: &Instruction,
    known: &[WrittenFile],
) -> Vec<(String, Option<Content>)> {
    let mut out: Vec<(String, Option<Content>)> = Vec::new();
    let current = |out: &[(String, Option<Content>)], path: &str| -> Option<String> {
        if let Some((_, c)) = out.iter().rev().find(|(p, _)| p == path) {
            return match c {
                Some(Content::Text(t)) => Some(t.clone()),
                _ => None,
            };
        }
        known
            .iter()
            .find(|f| f.path == path)
            .and_then(|f| match &f.content {
                Content::Text(t) => Some(t.clone()),
                _ => None,
            })
    };
    for script in cx.scripts(i) {
        for cmd in &script.commands {
            if cmd.nesting.function || cmd.nesting.substitution || cmd.after_cd.is_some() {
                continue;
            }
            // A write that may or may not happen: its text is unknown.
            let conditional = cmd.nesting.control_flow || cmd.nesting.condition;
            let heredoc = cmd.redirects.iter().find_map(|r| match (r.op, r.body) {
                (RedirectOp::Heredoc { .. }, Some(body)) => ins
                    .heredocs
                    .iter()
                    .position(|h| h.body_span.start == body.start && !h.body_span.is_empty()),
                _ => None,
            });
            let target = cmd
                .redirects
                .iter()
                .rfind(|r| r.writes() && matches!(r.fd, None | Some(1)));
            let append = target.is_some_and(|r| r.op == RedirectOp::Append);
            let target_path = target.and_then(|r| r.target_value()).map(str::to_string);
            if let Some(k) = heredoc {
                let path = if cmd.name_is("cat") {
                    target_path.clone()
                } else if cmd.name_is("tee") {
                    cmd.positional_args(&[])
                        .first()
                        .and_then(|w| w.value.clone())
                } else {
                    None
                };
                if let Some(p) = path.and_then(|p| absolute(cx, i, &p)) {
                    let content = (!append && !conditional).then_some(Content::Heredoc {
                        instruction: i,
                        heredoc: k,
                    });
                    out.push((p, content));
                }
                continue;
            }
            let Some(path) = target_path.and_then(|p| absolute(cx, i, &p)) else {
                continue;
            };
            let text = printed_text(cmd);
            let text = text.filter(|_| !conditional);
            let content = match (text, append) {
                (Some(t), false) => Some(Content::Text(t)),
                (Some(t), true) => current(&out, &path).map(|before| Content::Text(before + &t)),
                (None, _) => None,
            };
            out.push((path, content));
        }
    }
    out
}

/// What `echo …` or `printf …` prints, when its words are literal.
fn printed_text(cmd: &Command) -> Option<String> {
    let inv = cmd.invocation()?;
    let values: Option<Vec<&str>> = inv.args.iter().map(|w| w.value.as_deref()).collect();
    let values = values?;
    match inv.basename()? {
        "echo" => {
            let mut newline = true;
            let mut rest = &values[..];
            while let Some(first) = rest.first() {
                match *first {
                    "-n" => newline = false,
                    "-e" | "-E" | "-ne" | "-en" => {
                        if first.contains('n') {
                            newline = false;
                        }
                    }
                    _ => break,
                }
                rest = &rest[1..];
            }
            let mut t = unescape(&rest.join(" "));
            if newline {
                t.push('\n');
            }
            Some(t)
        }
        "printf" => {
            let (format, args) = values.split_first()?;
            let mut args = args.iter();
            let mut out = String::new();
            let f = unescape(format);
            let mut chars = f.chars().peekable();
            while let Some(c) = chars.next() {
                if c != '%' {
                    out.push(c);
                    continue;
                }
                match chars.next()? {
                    '%' => out.push('%'),
                    's' => out.push_str(args.next().copied().unwrap_or("")),
                    _ => return None,
                }
            }
            args.next().is_none().then_some(out)
        }
        _ => None,
    }
}

/// `\n`, `\t`, `\\` as echo and printf read them.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// The script a written file holds, analysed: heredocs with spans into
/// the Dockerfile, other texts with spans into themselves.
pub(super) fn file_script(cx: &Checker<'_>, file: &WrittenFile) -> Option<Script> {
    let shell = plimsoll_shell::Shell::default();
    match &file.content {
        Content::Heredoc {
            instruction,
            heredoc,
        } => {
            let h = cx
                .dockerfile
                .instructions
                .get(*instruction)?
                .heredocs
                .get(*heredoc)?;
            Some(plimsoll_shell::analyze_heredoc(cx.dockerfile, h, &shell))
        }
        Content::Text(t) => Some(plimsoll_shell::analyze_text(t, &shell)),
        Content::Context(p) => {
            let text = cx.context_file(p)?;
            Some(plimsoll_shell::analyze_text(&text, &shell))
        }
    }
}

/// The text of a written file, when it is known.
pub(super) fn file_text(cx: &Checker<'_>, file: &WrittenFile) -> Option<String> {
    match &file.content {
        Content::Heredoc {
            instruction,
            heredoc,
        } => Some(
            cx.dockerfile
                .instructions
                .get(*instruction)?
                .heredocs
                .get(*heredoc)?
                .content
                .clone(),
        ),
        Content::Text(t) => Some(t.clone()),
        Content::Context(p) => cx.context_file(p),
    }
}

/// Directories the default `PATH` of Linux images searches.
pub(super) const PATH_DIRS: &[&str] = &[
    "/usr/local/sbin",
    "/usr/local/bin",
    "/usr/sbin",
    "/usr/bin",
    "/sbin",
    "/bin",
];

/// The written file a program word names: an absolute path, a path
/// relative to the WORKDIR at instruction `index`, or a bare name found
/// in a `PATH` directory.
pub(super) fn program_file<'f>(
    cx: &Checker<'_>,
    index: usize,
    program: &Word,
    files: &'f [WrittenFile],
) -> Option<&'f WrittenFile> {
    let v = program.value.as_deref()?;
    if v.contains('/') {
        let p = absolute(cx, index, v)?;
        return files.iter().find(|f| f.path == p);
    }
    PATH_DIRS.iter().find_map(|d| {
        let p = format!("{d}/{v}");
        files.iter().find(|f| f.path == p)
    })
}
