//! `--shellcheck`: every RUN script of a Dockerfile through a `shellcheck`
//! binary, in one call per Dockerfile, each finding mapped back to the
//! exact place in the Dockerfile (through line continuations, heredocs and
//! exec-form strings) with ShellCheck's own `SCxxxx` code.
//!
//! Each script is written to a file of its own in a temporary directory,
//! after a `#!` line for its dialect (the stage's `SHELL`, or `# hadolint
//! shell=`) and an `export` of the ARG and ENV names in scope, so that
//! ShellCheck neither guesses the shell nor calls them unassigned. All the
//! files go to one `shellcheck -f json1 --norc` call. PowerShell and cmd
//! scripts, and exec-form argv (no shell), are not sent.

use crate::{Checker, RuleOptions};
use plimsoll_diagnostics::{Finding, Severity, Span};
use plimsoll_model::SemanticModel;
use plimsoll_shell::{Dialect, Script, ScriptSource};
use plimsoll_syntax::Dockerfile;
use std::path::{Path, PathBuf};
use std::process::Command;

/// ShellCheck codes never asked for: following `source`d files needs a
/// directive a Dockerfile cannot give (SC1090, SC1091), and SC2187 is about
/// `ash`, which is sent as `sh`.
const EXCLUDED: &str = "SC1090,SC1091,SC2187";

/// A `shellcheck` program to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellcheckBinary {
    path: PathBuf,
}

/// Why running ShellCheck on a Dockerfile failed.
#[derive(Debug, thiserror::Error)]
pub enum ShellcheckError {
    #[error("writing RUN scripts for shellcheck: {0}")]
    Scripts(#[source] std::io::Error),
    #[error("running {path}: {source}")]
    Spawn {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("shellcheck failed ({status}): {stderr}")]
    Failed { status: String, stderr: String },
    #[error("reading shellcheck's output: {0}")]
    Output(String),
}

impl ShellcheckBinary {
    /// The `shellcheck` found on `PATH`, if any.
    pub fn on_path() -> Option<ShellcheckBinary> {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|dir| dir.join("shellcheck"))
            .find(|p| p.is_file())
            .map(|path| ShellcheckBinary { path })
    }

    /// A `shellcheck` at a given path.
    pub fn at(path: impl Into<PathBuf>) -> ShellcheckBinary {
        ShellcheckBinary { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// One script sent to ShellCheck: the file name, how many lines precede
/// the script in it, and the script.
struct Sent<'s> {
    name: String,
    prelude_lines: usize,
    script: &'s Script,
}

/// ShellCheck's findings on the RUN scripts of `df`, reported as `file`,
/// in source order. Severities are ShellCheck's (error, warning, info,
/// style); selection and pragmas are the caller's to apply.
pub fn shellcheck_findings(
    df: &Dockerfile,
    file: &str,
    binary: &ShellcheckBinary,
) -> Result<Vec<Finding>, ShellcheckError> {
    let model = SemanticModel::new(df);
    let options = RuleOptions::default();
    let checker = Checker::new(file, df, &model, &options);
    let dir = tempfile::Builder::new()
        .prefix("plimsoll-shellcheck")
        .tempdir()
        .map_err(ShellcheckError::Scripts)?;
    let mut sent = Vec::new();
    for (i, script) in checker.run_scripts() {
        let shebang = match script.dialect {
            Dialect::Posix => "#!/bin/sh",
            Dialect::Bash => "#!/bin/bash",
            _ => continue,
        };
        if !script.is_analyzed()
            || script.source == ScriptSource::ExecForm
            || script.is_command_string()
        {
            continue;
        }
        let names: Vec<&str> = model
            .context(i)
            .scope
            .iter()
            .map(|v| v.name.as_str())
            .filter(|n| is_shell_name(n))
            .collect();
        // A heredoc with a `#!` line of its own keeps it first (ShellCheck
        // wants it there), without the prelude.
        let mut text = String::new();
        let mut prelude_lines = 0;
        if !script.text.starts_with("#!") {
            text.push_str(shebang);
            text.push('\n');
            prelude_lines += 1;
            if !names.is_empty() {
                text.push_str(&format!("export {}\n", names.join(" ")));
                prelude_lines += 1;
            }
        }
        text.push_str(&script.text);
        if !script.text.ends_with('\n') {
            text.push('\n');
        }
        let name = format!("run{}.sh", sent.len());
        std::fs::write(dir.path().join(&name), text).map_err(ShellcheckError::Scripts)?;
        sent.push(Sent {
            name,
            prelude_lines,
            script,
        });
    }
    if sent.is_empty() {
        return Ok(Vec::new());
    }
    let output = Command::new(&binary.path)
        .args(["--format=json1", "--norc", "--severity=style"])
        .arg(format!("--exclude={EXCLUDED}"))
        .args(sent.iter().map(|s| &s.name))
        .current_dir(dir.path())
        .output()
        .map_err(|source| ShellcheckError::Spawn {
            path: binary.path.display().to_string(),
            source,
        })?;
    // 0: nothing found, 1: findings; anything else is ShellCheck failing.
    if !matches!(output.status.code(), Some(0 | 1)) {
        return Err(ShellcheckError::Failed {
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_string(),
        });
    }
    let parsed: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| ShellcheckError::Output(e.to_string()))?;
    let comments = parsed["comments"]
        .as_array()
        .ok_or_else(|| ShellcheckError::Output("no `comments` array".into()))?;
    let mut findings = Vec::new();
    for c in comments {
        let Some(s) = c["file"]
            .as_str()
            .and_then(|f| sent.iter().find(|s| s.name == f))
        else {
            continue;
        };
        let Some(code) = c["code"].as_u64() else {
            continue;
        };
        let at = |line: &str, column: &str| -> Option<usize> {
            let line = usize::try_from(c[line].as_u64()?).ok()?;
            let column = usize::try_from(c[column].as_u64()?).ok()?;
            script_offset(&s.script.text, line.checked_sub(s.prelude_lines)?, column)
        };
        // A finding about the prelude (none expected) has no place.
        let Some(start) = at("line", "column") else {
            continue;
        };
        let end = at("endLine", "endColumn").unwrap_or(start).max(start);
        let span = s.script.source_span(start..end);
        let span = if end == start {
            Span::new(span.start, span.start)
        } else {
            span
        };
        let severity = match c["level"].as_str() {
            Some("error") => Severity::Error,
            Some("warning") => Severity::Warning,
            Some("info") => Severity::Info,
            _ => Severity::Style,
        };
        let message = c["message"].as_str().unwrap_or_default();
        findings.push(Finding::new(format!("SC{code}"), severity, message, file).with_span(span));
    }
    findings.sort_by_key(|f| f.span.map(|s| s.start));
    Ok(findings)
}

/// The byte offset in `text` of ShellCheck's 1-based `line` (counted in
/// the script, after the prelude) and 1-based `column` (characters, a tab
/// counting one, as in `json1`). The end of the line when the column is
/// past it.
fn script_offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        if line == 0 {
            return None;
        }
        0
    } else {
        text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    let rest = &text[line_start..];
    let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
    let byte = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(b, _)| b);
    Some(line_start + byte)
}

/// A name the shell can `export`.
fn is_shell_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::script_offset;

    #[test]
    fn offsets_count_characters() {
        let text = "echo a\n\téé $B\n";
        assert_eq!(script_offset(text, 1, 1), Some(0));
        assert_eq!(script_offset(text, 1, 6), Some(5));
        // Line 2: a tab and two two-byte characters before ` $B`.
        assert_eq!(script_offset(text, 2, 5), Some(7 + 1 + 4 + 1));
        assert_eq!(script_offset(text, 2, 99), Some(text.len() - 1));
        assert_eq!(script_offset(text, 0, 1), None);
        assert_eq!(script_offset(text, 9, 1), None);
    }
}
