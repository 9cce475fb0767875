//! The one check behind every "pin the version" rule (apt, apk, yum, dnf,
//! zypper, pip, npm, gem, go): find the package operands of an install
//! command, resolve them through `ARG`/`ENV`, and report those that are not
//! pinned. Each rule only says how to find its operands and what a pin
//! looks like.

use crate::Checker;
use plimsoll_model::SemanticModel;
use plimsoll_shell::{Command, ExpansionKind, Word};

/// The package operands of one install command and how one of their
/// values counts as pinned.
pub(crate) struct Packages<'c> {
    pub words: Vec<&'c Word>,
    pub pinned: fn(&str) -> bool,
}

impl<'c> Packages<'c> {
    pub fn new(words: Vec<&'c Word>, pinned: fn(&str) -> bool) -> Self {
        Packages { words, pinned }
    }
}

/// Which unpinned operands of a command are reported.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Report {
    /// Every one (the OS package managers, as hadolint).
    Each,
    /// The first one of each command (the language package managers).
    First,
}

/// Report the unpinned packages of every command of every RUN that
/// `packages` recognises as an install, at the package word.
pub(crate) fn report_unpinned(
    cx: &mut Checker<'_>,
    packages: fn(&Command) -> Option<Packages<'_>>,
    report: Report,
    message: &str,
) {
    let mut spans = Vec::new();
    for (index, script) in cx.run_scripts() {
        for cmd in &script.commands {
            let Some(found) = packages(cmd) else {
                continue;
            };
            let unpinned = found.words.into_iter().filter(|w| {
                word_values(cx.model, index, w)
                    .is_some_and(|values| values.iter().any(|v| !(found.pinned)(v)))
            });
            match report {
                Report::Each => spans.extend(unpinned.map(|w| w.span)),
                Report::First => spans.extend(unpinned.take(1).map(|w| w.span)),
            }
        }
    }
    for span in spans {
        cx.report(span, message);
    }
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
    Some(value.split_whitespace().map(str::to_string).collect())
}
