//! Helpers the security rules share: the variables a Dockerfile sets (ENV,
//! ARG defaults, assignments in RUN), the configuration text a RUN writes
//! into files, option parsing for a few programs, and where a local
//! package file came from (downloaded, verified, or built and copied).

use crate::Checker;
use crate::rules::packages::common::{Site, word_values};
use plimsoll_diagnostics::Span;
use plimsoll_shell::{Command, ExpansionKind, Invocation, Script, Word};
use plimsoll_syntax::{Instruction, Keyword};

/// The scripts of every RUN, the `-c` strings of the shells they run
/// included (`sh -c "…"`, `su app -s /bin/sh -c "…"`): plimsoll-shell
/// reads those as scripts of their own
/// ([`plimsoll_shell::ScriptSource::CommandString`]), parsed once for
/// every rule.
pub(super) struct Runs;

impl Runs {
    pub fn new(_cx: &Checker<'_>) -> Runs {
        Runs
    }

    /// Every script with its instruction index.
    pub fn scripts<'a>(&'a self, cx: &'a Checker<'_>) -> Vec<(usize, &'a Script)> {
        cx.run_scripts().collect()
    }

    /// Every command, in file order (a command string's commands where
    /// the string is).
    pub fn sites<'a>(&'a self, cx: &'a Checker<'_>) -> Vec<Site<'a>> {
        let mut out: Vec<Site<'a>> = Vec::new();
        for index in 0..cx.dockerfile.instructions.len() {
            for (k, script) in cx.scripts(index).iter().enumerate() {
                out.extend(script.commands.iter().map(|cmd| Site {
                    index,
                    script: k,
                    cmd,
                    dialect: &script.dialect,
                }));
            }
        }
        out.sort_by_key(|s| (s.index, s.cmd.span.start));
        out
    }
}

/// Where a variable was set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SetBy {
    /// `ENV`: stored in the image config, in force in every container.
    Env,
    /// An `ARG` default: in the environment of the stage's RUNs.
    Arg,
    /// An assignment in a RUN (`X=1 cmd`, `export X=1`, `env X=1 cmd`,
    /// `go env -w X=1`).
    Run,
}

/// A variable given a value.
pub(super) struct Setting {
    pub by: SetBy,
    pub name: String,
    /// The value with quotes removed and ARG/ENV variables expanded;
    /// `None` when it depends on something unknown.
    pub value: Option<String>,
    pub span: Span,
}

/// Every variable set with a value, in file order: ENV and ARG defaults
/// (also in ONBUILD) and assignments in RUN scripts.
pub(super) fn settings(cx: &Checker<'_>, runs: &Runs) -> Vec<Setting> {
    let mut out = Vec::new();
    for (index, top) in cx.instructions() {
        let (ins, onbuild) = match top.onbuild.as_deref() {
            Some(inner) => (inner, true),
            None => (top, false),
        };
        let by = match ins.keyword {
            Keyword::Env => SetBy::Env,
            Keyword::Arg => SetBy::Arg,
            _ => continue,
        };
        for kv in &ins.pairs {
            let Some(raw) = &kv.value else { continue };
            out.push(Setting {
                by,
                name: kv.key.value.clone(),
                value: resolve_raw(cx, index, &raw.value, onbuild),
                span: kv.span,
            });
        }
    }
    for site in runs.sites(cx) {
        run_settings(cx, &site, &mut out);
    }
    out.sort_by_key(|s| (s.span.start, s.span.end));
    out
}

/// A word of an instruction expanded with the variables in scope; in an
/// ONBUILD trigger only a word without variables (they belong to another
/// build).
fn resolve_raw(cx: &Checker<'_>, index: usize, raw: &str, onbuild: bool) -> Option<String> {
    if onbuild && !plimsoll_expand::variable_references(raw, cx.dockerfile.escape).is_empty() {
        return None;
    }
    cx.model.resolve(index, raw)
}

fn run_settings(cx: &Checker<'_>, site: &Site<'_>, out: &mut Vec<Setting>) {
    let cmd = site.cmd;
    for a in &cmd.env {
        out.push(Setting {
            by: SetBy::Run,
            name: a.name.clone(),
            value: shell_value(cx, site.index, &a.value),
            span: a.span,
        });
    }
    let Some(written) = cmd.invocation() else {
        return;
    };
    let exporting = matches!(
        written.basename(),
        Some("export" | "declare" | "typeset" | "readonly" | "local")
    );
    // `env X=1 cmd`, `sudo X=1 cmd`: assignment words before the command
    // the wrappers run.
    let run_start = cmd
        .effective()
        .map_or(usize::MAX, |inv| inv.name.span.start);
    for word in written.args {
        if !exporting && word.span.start >= run_start {
            break;
        }
        if let Some(setting) = assignment_word(cx, site.index, word) {
            out.push(setting);
        }
    }
    // `go env -w GOFLAGS=-insecure`: written to go's own env file.
    if let Some(inv) = cmd.runs("go")
        && inv.subcommand_is("env")
        && inv.has_flag(&["-w"])
    {
        for word in inv.args {
            if let Some(setting) = assignment_word(cx, site.index, word) {
                out.push(setting);
            }
        }
    }
}

/// A `NAME=value` word as an assignment.
fn assignment_word(cx: &Checker<'_>, index: usize, word: &Word) -> Option<Setting> {
    let text = word.text.as_str();
    let eq = text.find('=')?;
    let name = &text[..eq];
    if !is_identifier(name) {
        return None;
    }
    let value = match &word.value {
        Some(v) => v.split_once('=').map(|(_, v)| v.to_string()),
        None if only_parameters(word) => cx.model.resolve(index, &text[eq + 1..]),
        None => None,
    };
    Some(Setting {
        by: SetBy::Run,
        name: name.to_string(),
        value,
        span: word.span,
    })
}

fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn only_parameters(word: &Word) -> bool {
    word.expansions
        .iter()
        .all(|e| matches!(&e.kind, ExpansionKind::Parameter { name } if is_identifier(name)))
}

/// The value of a shell word: literal, or with its ARG/ENV variables
/// expanded; `None` when it depends on the script (a command
/// substitution, a variable the Dockerfile does not set).
pub(super) fn shell_value(cx: &Checker<'_>, index: usize, word: &Word) -> Option<String> {
    if let Some(v) = &word.value {
        return Some(v.clone());
    }
    if !only_parameters(word) {
        return None;
    }
    cx.model.resolve(index, &word.text)
}

/// The words a command's argument stands for, with ARG/ENV variables
/// expanded (`$CURL_OPTS` → `-k`, `-s`); the word's text when unknown.
pub(super) fn arg_values(cx: &Checker<'_>, index: usize, word: &Word) -> Vec<String> {
    word_values(cx.model, index, word).unwrap_or_else(|| vec![word.text.clone()])
}

/// `false`, `no`, `off` or `0`, in any case: a boolean option turned off.
pub(super) fn is_false(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "false" | "no" | "off" | "0"
    )
}

/// `true`, `yes`, `on` or `1`, in any case.
pub(super) fn is_true(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "true" | "yes" | "on" | "1"
    )
}

/// One line of configuration text a RUN writes, with where it is.
pub(super) struct WrittenLine {
    /// The line, trimmed.
    pub line: String,
    /// The file written, when known (`/etc/yum.repos.d/x.repo`).
    pub target: Option<String>,
    pub span: Span,
}

/// The lines of configuration text RUN instructions write into files:
/// the arguments of `echo`/`printf` that are redirected, piped (to `tee`)
/// or grouped, heredoc bodies fed to a command, and the replacement text
/// of `sed -i s/…/…/`.
pub(super) fn written_lines(cx: &Checker<'_>, runs: &Runs) -> Vec<WrittenLine> {
    let mut out = Vec::new();
    for (_, script) in runs.scripts(cx) {
        for cmd in &script.commands {
            let target = write_target(script, cmd);
            let feeds_shell = cmd.effective().is_some_and(|inv| {
                matches!(
                    inv.basename(),
                    Some("sh" | "bash" | "dash" | "ash" | "zsh" | "ksh" | "busybox")
                )
            });
            for r in &cmd.redirects {
                if let Some(body) = r.body.filter(|_| !feeds_shell) {
                    let text = cx.slice(body);
                    push_lines(&mut out, text, target.clone(), |range| {
                        Span::new(body.start + range.start, body.start + range.end)
                    });
                }
            }
            let Some(inv) = cmd.effective() else { continue };
            match inv.basename() {
                Some("echo" | "printf") if target.is_some() || grouped(cmd) => {
                    for word in inv.positional_args(&[]) {
                        let text = word.value_or_text().replace("\\n", "\n");
                        push_lines(&mut out, &text, target.clone(), |_| word.span);
                    }
                }
                Some("sed") if inv.has_flag(&["-i", "--in-place"]) => {
                    let file = inv
                        .positional_args(&["-e", "-f", "--expression", "--file"])
                        .last()
                        .map(|w| w.value_or_text().to_string());
                    let exprs = inv
                        .flag_values(&["-e", "--expression"])
                        .into_iter()
                        .map(|f| (f.value.unwrap_or_else(|| f.text.to_string()), f.span))
                        .chain(
                            inv.positional_args(&["-e", "-f", "--expression", "--file"])
                                .first()
                                .filter(|_| !inv.has_flag(&["-e", "--expression"]))
                                .map(|w| (w.value_or_text().to_string(), w.span)),
                        );
                    for (expr, span) in exprs {
                        if let Some(replacement) = sed_replacement(&expr) {
                            push_lines(&mut out, &replacement, file.clone(), |_| span);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

fn push_lines(
    out: &mut Vec<WrittenLine>,
    text: &str,
    target: Option<String>,
    span_of: impl Fn(std::ops::Range<usize>) -> Span,
) {
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let trimmed = line.trim();
        if !trimmed.is_empty() {
            let lead = line.len() - line.trim_start().len();
            out.push(WrittenLine {
                line: trimmed.to_string(),
                target: target.clone(),
                span: span_of(start + lead..start + lead + trimmed.len()),
            });
        }
        start = end;
    }
}

/// The file a command's output goes to: its `>`/`>>` target, or the file
/// of a `tee` it is piped into.
fn write_target(script: &Script, cmd: &Command) -> Option<String> {
    if let Some(r) = cmd.redirects.iter().find(|r| r.writes()) {
        return r.target.as_ref().map(|t| t.value_or_text().to_string());
    }
    if let Some(inv) = cmd.runs("tee") {
        return inv
            .positional_args(&[])
            .first()
            .map(|w| w.value_or_text().to_string());
    }
    let pipeline = script.pipelines.get(cmd.pipeline)?;
    let commands = script.commands.get(pipeline.commands())?;
    let pos = commands.iter().position(|c| std::ptr::eq(c, cmd))?;
    commands[pos + 1..].iter().find_map(|c| {
        c.runs("tee").and_then(|inv| {
            inv.positional_args(&[])
                .first()
                .map(|w| w.value_or_text().to_string())
        })
    })
}

/// Inside `{ …; } > file` or `( … ) > file`, whose redirection the
/// commands inside do not carry.
fn grouped(cmd: &Command) -> bool {
    cmd.nesting.group || cmd.nesting.subshell
}

/// The replacement of a sed `s` command (`s/a/b/g` → `b`).
fn sed_replacement(expr: &str) -> Option<String> {
    let rest = expr.trim_start().strip_prefix('s')?;
    let delim = rest.chars().next()?;
    if delim.is_alphanumeric() || delim == '\\' || delim.is_whitespace() {
        return None;
    }
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut chars = rest[delim.len_utf8()..].chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                if n != delim {
                    current.push('\\');
                }
                current.push(n);
            }
        } else if c == delim {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    parts.get(1).map(|r| r.replace("\\n", "\n"))
}

/// A configuration line split into its key (lower-cased) and value:
/// `key=value`, `key = value`, `key: value`, `key value`, with quotes and
/// a trailing `;` removed from the value. apt's `A::B::C "v";` keeps its
/// `::`. `None` for comments and section headers.
pub(super) fn config_entry(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with(['#', ';', '[', '/']) {
        return None;
    }
    let bytes = line.as_bytes();
    let mut end = line.len();
    for (i, &b) in bytes.iter().enumerate() {
        let separator = match b {
            b'=' | b' ' | b'\t' => true,
            b':' => bytes.get(i + 1) != Some(&b':') && (i == 0 || bytes[i - 1] != b':'),
            _ => false,
        };
        if separator {
            end = i;
            break;
        }
    }
    let key = line[..end].trim().to_ascii_lowercase();
    let value = line[end..]
        .trim_start_matches([' ', '\t'])
        .trim_start_matches(['=', ':'])
        .trim()
        .trim_end_matches(';')
        .trim()
        .trim_matches(['"', '\''])
        .to_string();
    (!key.is_empty()).then_some((key, value))
}

/// The short options of curl that take a value: in a bundle (`-sSLo x`)
/// the rest of the word after one of them is that value, not more flags.
const CURL_SHORT_WITH_VALUE: &str = "AbcCdDeEFHKmoPQrtTuUwxXyYz";

/// True when a curl argument is `-k`/`--insecure` (also in a bundle such as
/// `-fsSLk`, not in an option value such as `-o kube`), or
/// `--proxy-insecure`/`--doh-insecure`.
pub(super) fn curl_insecure(arg: &str) -> bool {
    if let Some(long) = arg.strip_prefix("--") {
        return matches!(long, "insecure" | "proxy-insecure" | "doh-insecure");
    }
    let Some(bundle) = arg.strip_prefix('-') else {
        return false;
    };
    for c in bundle.chars() {
        if c == 'k' {
            return true;
        }
        if CURL_SHORT_WITH_VALUE.contains(c) || !c.is_ascii_alphanumeric() {
            return false;
        }
    }
    false
}

/// curl's long options that take a value in the next word.
const CURL_LONG_WITH_VALUE: &[&str] = &[
    "--user-agent",
    "--cookie",
    "--cookie-jar",
    "--continue-at",
    "--data",
    "--data-ascii",
    "--data-binary",
    "--data-raw",
    "--data-urlencode",
    "--dump-header",
    "--referer",
    "--cert",
    "--cert-type",
    "--key",
    "--key-type",
    "--form",
    "--form-string",
    "--header",
    "--config",
    "--max-time",
    "--output",
    "--output-dir",
    "--proxy",
    "--quote",
    "--range",
    "--request",
    "--time-cond",
    "--upload-file",
    "--user",
    "--proxy-user",
    "--write-out",
    "--url",
    "--cacert",
    "--capath",
    "--connect-timeout",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--limit-rate",
    "--resolve",
    "--interface",
    "--netrc-file",
    "--proto",
    "--proto-redir",
    "--json",
    "--variable",
    "--expand-url",
    "--expand-data",
];

/// True when a curl argument is an option whose value is the next word
/// (`-o`, `-fsSLo`, `--output`), so that word is not an option.
pub(super) fn curl_takes_value(arg: &str) -> bool {
    if arg.starts_with("--") {
        return !arg.contains('=') && CURL_LONG_WITH_VALUE.contains(&arg);
    }
    let Some(bundle) = arg.strip_prefix('-') else {
        return false;
    };
    for (i, c) in bundle.char_indices() {
        if CURL_SHORT_WITH_VALUE.contains(c) {
            return i + c.len_utf8() == bundle.len();
        }
        if !c.is_ascii_alphanumeric() {
            return false;
        }
    }
    false
}

/// `pip`, `pip3`, `pip3.12`, `python -m pip`, `uv pip`, `uv`: the
/// invocation whose arguments are pip's (or uv's) own.
pub(super) fn pip_like(cmd: &Command) -> Option<Invocation<'_>> {
    let inv = cmd.effective()?;
    let base = inv.basename()?;
    let is_pip = |b: &str| {
        b.strip_prefix("pip")
            .is_some_and(|r| r.chars().all(|c| c.is_ascii_digit() || c == '.'))
    };
    if is_pip(base) || base == "uv" {
        return Some(inv);
    }
    if base.starts_with("python") {
        let m = inv.args.iter().position(|a| a.is("-m"))?;
        let module = inv.args.get(m + 1)?;
        if module.value.as_deref().is_some_and(is_pip) {
            let mut wrappers = inv.wrappers.clone();
            wrappers.push(inv.name);
            return Some(Invocation {
                name: module,
                args: inv.args.get(m + 2..).unwrap_or(&[]),
                wrappers,
            });
        }
    }
    None
}

/// The file name part of a path or URL (query and fragment dropped).
pub(super) fn file_name(path: &str) -> &str {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// True when two file names may be the same file: `*` and variables
/// (`$X`, `${X}`) in either stand for any text.
pub(super) fn names_overlap(a: &str, b: &str) -> bool {
    let a = wildcards(a);
    let b = wildcards(b);
    // Bounded: file names are short; longer ones are compared literally.
    if a.len() * b.len() > 1 << 16 {
        return a == b;
    }
    let (n, m) = (a.len(), b.len());
    // reach[i][j]: a[..i] and b[..j] can match.
    let mut reach = vec![vec![false; m + 1]; n + 1];
    reach[0][0] = true;
    for i in 0..=n {
        for j in 0..=m {
            if !reach[i][j] {
                continue;
            }
            if i < n && a[i] == '*' {
                reach[i + 1][j] = true;
                if j < m {
                    reach[i][j + 1] = true;
                }
            }
            if j < m && b[j] == '*' {
                reach[i][j + 1] = true;
                if i < n {
                    reach[i + 1][j] = true;
                }
            }
            if i < n && j < m && a[i] == b[j] {
                reach[i + 1][j + 1] = true;
            }
        }
    }
    reach[n][m]
}

/// A name with its variables and glob characters turned into `*`.
fn wildcards(s: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '$' => {
                if chars.peek() == Some(&'{') {
                    for c in chars.by_ref() {
                        if c == '}' {
                            break;
                        }
                    }
                } else {
                    while chars
                        .peek()
                        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
                    {
                        chars.next();
                    }
                }
                out.push('*');
            }
            '*' | '?' => out.push('*'),
            '"' | '\'' => {}
            _ => out.push(c),
        }
    }
    out
}

/// Where a local package file operand comes from, judged from the
/// Dockerfile: downloaded by `curl`/`wget`/`ADD <url>` in the image's
/// history without a check of its checksum or signature (then its origin
/// is unverified), or anything else: built by the build, copied or
/// mounted from the context or another stage, or checked with `gpg
/// --verify`, `sha256sum -c` and the like.
pub(super) fn unverified_download(cx: &Checker<'_>, index: usize, operand: &str) -> bool {
    let name = file_name(operand);
    if name.is_empty() {
        return false;
    }
    let mut lineage = cx.model.lineage_before(index);
    lineage.insert(0, index);
    let mut downloaded = false;
    for &i in &lineage {
        if downloads(cx, i, name) {
            downloaded = true;
        }
        if verifies(cx, i, name) {
            return false;
        }
    }
    downloaded
}

/// True when instruction `i` downloads a file that may be `name`.
fn downloads(cx: &Checker<'_>, i: usize, name: &str) -> bool {
    let ins = cx.model.instruction(i);
    if ins.keyword == Keyword::Add && !add_has_checksum(ins) {
        let sources = ins.args.len().saturating_sub(1);
        if ins.args[..sources].iter().any(|w| {
            let v = &w.value;
            (v.starts_with("http://") || v.starts_with("https://"))
                && names_overlap(file_name(v), name)
        }) {
            return true;
        }
    }
    cx.scripts(i).iter().any(|s| {
        s.commands.iter().any(|c| {
            download_names(cx, i, c)
                .iter()
                .any(|d| names_overlap(d, name))
        })
    })
}

fn add_has_checksum(ins: &Instruction) -> bool {
    ins.flags.iter().any(|f| f.name == "checksum")
}

/// The names of the files a `curl` or `wget` command saves.
fn download_names(cx: &Checker<'_>, i: usize, cmd: &Command) -> Vec<String> {
    let Some(inv) = cmd.effective() else {
        return Vec::new();
    };
    let urls = || -> Vec<String> {
        inv.args
            .iter()
            .flat_map(|w| arg_values(cx, i, w))
            .filter(|v| v.contains("://"))
            .map(|v| file_name(&v).to_string())
            .collect()
    };
    match inv.basename() {
        Some("curl") => {
            let mut out: Vec<String> = inv
                .flag_values(&["-o", "--output"])
                .into_iter()
                .map(|f| f.value.unwrap_or_else(|| f.text.to_string()))
                .filter(|v| v != "-")
                .map(|v| file_name(&v).to_string())
                .collect();
            if inv.has_flag(&["-O", "--remote-name", "--remote-name-all"]) {
                out.extend(urls());
            }
            out
        }
        Some("wget") => {
            let named: Vec<String> = inv
                .flag_values(&["-O", "--output-document"])
                .into_iter()
                .map(|f| f.value.unwrap_or_else(|| f.text.to_string()))
                .collect();
            if named.is_empty() {
                urls()
            } else {
                named
                    .iter()
                    .filter(|v| *v != "-")
                    .map(|v| file_name(v).to_string())
                    .collect()
            }
        }
        _ => Vec::new(),
    }
}

/// True when instruction `i` checks a checksum or signature of a file
/// that may be `name`: a verifying command that names it (or its `.sig`,
/// `.asc`, `.sha256`… companion), or a pipeline that feeds a checksum
/// line naming it to `sha256sum -c`.
fn verifies(cx: &Checker<'_>, i: usize, name: &str) -> bool {
    cx.scripts(i).iter().any(|s| {
        s.pipelines.iter().any(|p| {
            let Some(cmds) = s.commands.get(p.commands()) else {
                return false;
            };
            if !cmds.iter().any(is_verifier) {
                return false;
            }
            cmds.iter().any(|c| {
                c.args.iter().any(|w| {
                    w.text
                        .split_whitespace()
                        .any(|part| names_overlap(strip_companion(file_name(part)), name))
                })
            })
        })
    })
}

fn strip_companion(name: &str) -> &str {
    for ext in [
        ".sig",
        ".asc",
        ".gpg",
        ".sha256",
        ".sha512",
        ".sha1",
        ".md5",
        ".sha256sum",
        ".sha512sum",
        ".minisig",
    ] {
        if let Some(stem) = name.strip_suffix(ext) {
            return stem;
        }
    }
    name
}

/// A command that checks a checksum or a signature.
fn is_verifier(cmd: &Command) -> bool {
    let Some(inv) = cmd.effective() else {
        return false;
    };
    match inv.basename() {
        Some("gpg" | "gpg2") => inv.has_flag(&["--verify", "--verify-files"]),
        Some("gpgv" | "gpgv2" | "debsig-verify") => true,
        Some(
            "sha1sum" | "sha224sum" | "sha256sum" | "sha384sum" | "sha512sum" | "md5sum" | "b2sum"
            | "shasum",
        ) => inv.has_flag(&["-c", "--check"]),
        Some("openssl") => inv
            .args
            .iter()
            .any(|a| a.is("-verify") || a.is("-signature")),
        Some("cosign") => inv
            .subcommand()
            .is_some_and(|s| s.value_or_text().starts_with("verify")),
        Some("minisign" | "signify") => inv.has_flag(&["-V"]),
        Some("rpm" | "rpmkeys") => inv.has_flag(&["-K", "--checksig"]),
        Some("apk") => inv.subcommand_is("verify"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_bundles() {
        assert!(curl_insecure("-k"));
        assert!(curl_insecure("-fsSLk"));
        assert!(curl_insecure("--insecure"));
        assert!(curl_insecure("--proxy-insecure"));
        assert!(!curl_insecure("-okube"));
        assert!(!curl_insecure("-fsSLo"));
        assert!(!curl_insecure("--keepalive-time"));
        assert!(!curl_insecure("-"));
        assert!(curl_takes_value("-o") && curl_takes_value("-fsSLo"));
        assert!(curl_takes_value("--data") && !curl_takes_value("--data=x"));
        assert!(!curl_takes_value("-okube") && !curl_takes_value("-fsSL"));
    }

    #[test]
    fn config_entries() {
        let e = |l: &str| config_entry(l).map(|(k, v)| format!("{k}|{v}"));
        assert_eq!(e("sslverify=0").as_deref(), Some("sslverify|0"));
        assert_eq!(e("  sslVerify = false").as_deref(), Some("sslverify|false"));
        assert_eq!(e("ssl_verify: false").as_deref(), Some("ssl_verify|false"));
        assert_eq!(e("strict-ssl false").as_deref(), Some("strict-ssl|false"));
        assert_eq!(
            e("Acquire::https::Verify-Peer \"false\";").as_deref(),
            Some("acquire::https::verify-peer|false")
        );
        assert_eq!(e("# gpgcheck=0"), None);
        assert_eq!(e("[main]"), None);
    }

    #[test]
    fn sed_replacements() {
        assert_eq!(
            sed_replacement("s/gpgcheck=1/gpgcheck=0/g").as_deref(),
            Some("gpgcheck=0")
        );
        assert_eq!(sed_replacement("s|a|b\\|c|").as_deref(), Some("b|c"));
        assert_eq!(sed_replacement("/x/d"), None);
    }

    #[test]
    fn overlapping_names() {
        assert!(names_overlap("glibc-2.29-r0.apk", "glibc-2.29-r0.apk"));
        assert!(names_overlap("glibc-${V}.apk", "glibc-2.29-r0.apk"));
        assert!(names_overlap(
            "nginx-module-*.apk",
            "nginx-module-geoip-1.apk"
        ));
        assert!(!names_overlap("a.rpm", "b.rpm"));
        assert_eq!(file_name("https://x/y/z.rpm?raw=1"), "z.rpm");
    }

    #[test]
    fn booleans() {
        assert!(is_false("False") && is_false("0") && is_false("off"));
        assert!(!is_false("") && !is_false("1"));
        assert!(is_true("TRUE") && is_true("1"));
    }
}
