//! What compose and Kubernetes checks share: where findings go, image
//! references, secret values, and commands read with the shell layer.

use crate::source::Sources;
use crate::yaml::{FileId, Node, Value};
use plimsoll_diagnostics::{Finding, RuleInfo, Span};
use plimsoll_model::ImageRef;
use plimsoll_rules::Described;
use plimsoll_shell::{Script, ScriptSource, Shell};
use plimsoll_syntax::LogicalText;

/// The findings one rule gives on one compose service or Kubernetes
/// workload, each with the file it points into (after a merge, the file
/// the key or value came from).
pub(crate) struct Reports {
    rule: &'static RuleInfo,
    pub(crate) findings: Vec<(FileId, Finding)>,
}

impl Reports {
    pub(crate) fn new(rule: &'static RuleInfo) -> Reports {
        Reports {
            rule,
            findings: Vec::new(),
        }
    }

    /// A finding of the rule at `span` of `file`, named as `sources` name
    /// it; returned to add a fix or redactions.
    pub(crate) fn report_at(
        &mut self,
        sources: &Sources,
        file: FileId,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Finding {
        let name = sources.get(file).name.clone();
        let f = Finding::new(self.rule.code, self.rule.severity, message, name).with_span(span);
        self.findings.push((file, f));
        let last = self.findings.len() - 1;
        &mut self.findings[last].1
    }
}

/// The rule of `rules` with `code`: its description and whether it is on
/// by default.
pub(crate) fn described<R: Described + ?Sized>(
    rules: &[&R],
    code: &str,
) -> Option<(&'static RuleInfo, bool)> {
    rules
        .iter()
        .find(|r| r.info().code == code)
        .map(|r| (r.info(), r.default_enabled()))
}

/// How an image reference pins what it pulls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pinning {
    /// `name@sha256:…`.
    Digest,
    /// A tag other than `latest`.
    Tag(String),
    /// `:latest`.
    Latest,
    /// Neither tag nor digest: Docker pulls `latest`.
    Untagged,
    /// Not a valid reference.
    Invalid,
}

pub fn pinning(image: &str) -> Pinning {
    match ImageRef::parse(image.trim()) {
        Err(_) => Pinning::Invalid,
        Ok(r) => match (&r.tag, &r.digest) {
            (_, Some(_)) => Pinning::Digest,
            (Some(t), None) if t == "latest" => Pinning::Latest,
            (Some(t), None) => Pinning::Tag(t.clone()),
            (None, None) => Pinning::Untagged,
        },
    }
}

/// Whether a variable name says it holds a secret (the same test as
/// DL3064's).
pub fn is_secret_name(name: &str) -> bool {
    plimsoll_rules::is_secret_name(name)
}

/// Whether a value written for a secret-looking name is a literal secret:
/// not empty, not a variable reference, not a switch (`true`, `yes`, `1`),
/// not a path to a secret file.
pub fn is_literal_secret(value: &str) -> bool {
    let v = value.trim();
    if v.is_empty() || crate::interpolate::has_variables(v) {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    if matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "0" | "1" | "y" | "n" | "none" | "null"
    ) {
        return false;
    }
    !(v.starts_with("/run/secrets/") || v.starts_with("/var/run/secrets/"))
}

/// Programs that run well as PID 1: they forward signals and reap zombies.
pub const INITS: &[&str] = &[
    "tini",
    "tini-static",
    "docker-init",
    "dumb-init",
    "catatonit",
    "s6-svscan",
    "init",
    "systemd",
    "runsvdir",
    "my_init",
    "supervisord",
    "pid1",
];

pub const SHELLS: &[&str] = &["sh", "bash", "dash", "ash", "zsh", "ksh"];

pub fn basename(program: &str) -> &str {
    program.rsplit('/').next().unwrap_or(program)
}

/// A command to analyse with the shell layer, with spans in its file.
pub struct CommandText {
    pub script: Script,
    /// The argv was given as a list (no word splitting), or as a string
    /// Compose splits into words itself: either way no shell runs it.
    pub exec_form: bool,
}

/// A command written as a YAML list (`["gunicorn", "app:app"]`) or a
/// string (`gunicorn app:app`), as words with spans in its file. Compose
/// splits a string with shell-like quoting rules but runs no shell.
pub fn command_text(node: &Node) -> Option<CommandText> {
    match &node.value {
        Value::Scalar(s) => {
            let offsets = exact_offsets(node, &s.text);
            let text = LogicalText {
                text: s.text.clone(),
                offsets,
            };
            Some(CommandText {
                script: plimsoll_shell::analyze_script(
                    &text,
                    ScriptSource::ExecForm,
                    &Shell::default(),
                ),
                exec_form: true,
            })
        }
        Value::Seq(items) => {
            // Each item single-quoted (`'` written as `'\''`), mapped back
            // to its node.
            let mut text = String::new();
            let mut offsets = Vec::new();
            for item in items {
                let value = match &item.value {
                    Value::Scalar(s) => s.text.as_str(),
                    _ => "",
                };
                if !text.is_empty() {
                    text.push(' ');
                    offsets.push(item.span.start);
                }
                let item_offsets = exact_offsets(item, value);
                // The quotes map around the value (onto the source's own
                // quotes, or the blanks beside a plain item) so that the
                // word's span has the word's length and stays exact.
                let exact = item.as_scalar().and_then(|s| s.exact);
                let (open, close) = match exact {
                    Some(at) => (at.saturating_sub(1), at + value.len()),
                    None => (item.span.start, item.span.end.saturating_sub(1)),
                };
                text.push('\'');
                offsets.push(open);
                for (i, ch) in value.char_indices() {
                    let at = item_offsets[i];
                    if ch == '\'' {
                        text.push_str("'\\''");
                        offsets.extend([at; 4]);
                    } else {
                        text.push(ch);
                        offsets.extend(std::iter::repeat_n(at, ch.len_utf8()));
                    }
                }
                text.push('\'');
                offsets.push(close);
            }
            offsets.push(offsets.last().map_or(node.span.end, |o| o + 1));
            let text = LogicalText { text, offsets };
            Some(CommandText {
                script: plimsoll_shell::analyze_script(
                    &text,
                    ScriptSource::ExecForm,
                    &Shell::default(),
                ),
                exec_form: true,
            })
        }
        _ => None,
    }
}

/// The script of `sh -c SCRIPT` (or `bash -lc …`) when `cmd` is one.
pub fn shell_script(cmd: &plimsoll_shell::Command) -> Option<Script> {
    let inv = cmd.effective()?;
    if !SHELLS.contains(&inv.basename()?) {
        return None;
    }
    let mut args = inv.args.iter();
    let mut takes_script = false;
    for a in args.by_ref() {
        let v = a.value_or_text();
        if v.starts_with('-') && !v.starts_with("--") {
            if v.contains('c') {
                takes_script = true;
                break;
            }
            continue;
        }
        if v.starts_with("--") {
            continue;
        }
        return None;
    }
    if !takes_script {
        return None;
    }
    let word = args.next()?;
    let value = word.value.clone()?;
    // Exact offsets when the word is the value in quotes (or bare).
    let inner = if word.text.len() == value.len() + 2 {
        Some(word.span.start + 1)
    } else if word.text == value {
        Some(word.span.start)
    } else {
        None
    };
    let exact = inner.filter(|_| word.span.len() == word.text.len());
    let mut offsets: Vec<usize> = match exact {
        Some(at) => (0..value.len()).map(|i| at + i).collect(),
        None => vec![word.span.start; value.len()],
    };
    offsets.push(exact.map_or(word.span.end, |at| at + value.len()));
    Some(plimsoll_shell::analyze_script(
        &LogicalText {
            text: value,
            offsets,
        },
        ScriptSource::ExecScript { arg: 2 },
        &Shell::default(),
    ))
}

/// Per byte of `text` (and one past the end), its offset in the node's
/// file: exact when the scalar is written byte for byte, else the node's
/// start.
fn exact_offsets(node: &Node, text: &str) -> Vec<usize> {
    match node.as_scalar().and_then(|s| s.exact) {
        Some(at) => (0..=text.len()).map(|i| at + i).collect(),
        None => {
            let mut v = vec![node.span.start; text.len()];
            v.push(node.span.end);
            v
        }
    }
}

/// Paths of a container runtime's API socket: mounting one gives the
/// container control of the host.
pub fn is_runtime_socket(path: &str) -> bool {
    let p = path.trim().trim_end_matches('/');
    let p = p
        .strip_prefix("//")
        .map_or(p.to_string(), |r| format!("/{r}"));
    let name = basename(&p);
    matches!(
        name,
        "docker.sock" | "podman.sock" | "containerd.sock" | "crio.sock" | "dockershim.sock"
    ) || p == "/var/run/docker"
        || p == "/run/docker"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinnings() {
        assert_eq!(pinning("nginx"), Pinning::Untagged);
        assert_eq!(pinning("nginx:latest"), Pinning::Latest);
        assert_eq!(pinning("nginx:1.25"), Pinning::Tag("1.25".into()));
        assert_eq!(
            pinning(
                "nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
            ),
            Pinning::Digest
        );
        assert_eq!(pinning("localhost:5000/app"), Pinning::Untagged);
        assert_eq!(pinning("Bad Image"), Pinning::Invalid);
    }

    #[test]
    fn literal_secrets() {
        assert!(is_literal_secret("hunter2"));
        assert!(!is_literal_secret("${DB_PASSWORD}"));
        assert!(!is_literal_secret("$DB_PASSWORD"));
        assert!(!is_literal_secret("yes"));
        assert!(!is_literal_secret(""));
        assert!(!is_literal_secret("/run/secrets/db"));
    }

    #[test]
    fn sockets() {
        assert!(is_runtime_socket("/var/run/docker.sock"));
        assert!(is_runtime_socket("//var/run/docker.sock"));
        assert!(is_runtime_socket("/run/podman/podman.sock"));
        assert!(is_runtime_socket("/run/containerd/containerd.sock"));
        assert!(!is_runtime_socket("/var/run/postgresql"));
    }
}
