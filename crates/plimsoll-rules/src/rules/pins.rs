//! The one check behind every "pin the version" rule (apt, apk, yum, dnf,
//! zypper, pip, npm, gem, go): find the package operands of an install
//! command, resolve them through `ARG`/`ENV`, and report those that are not
//! pinned. Each rule only says how to find its operands and what a pin
//! looks like.

use crate::Checker;
use plimsoll_model::SemanticModel;
use plimsoll_shell::{Command, ExpansionKind, Quoting, Script, Word};
use std::collections::HashMap;

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
                script_word_values(cx.model, index, script, cmd, w)
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
    // `"curl=$VERSION"` stays one word.
    if word.expansions.iter().all(|e| e.quoted) {
        return Some(vec![value]);
    }
    Some(value.split_whitespace().map(str::to_string).collect())
}

/// [`word_values`] for a word of `cmd` in `script`, knowing also the
/// variables the same script assigned a literal value before it
/// (`PKGS="curl git" && apt-get install -y $PKGS`, or jessfraz's
/// `buildDeps='…' set -x && apk add $buildDeps`) and the values of a
/// `for` loop's variable (`for p in curl git; do apt-get install $p`).
pub(crate) fn script_word_values(
    model: &SemanticModel<'_>,
    index: usize,
    script: &Script,
    cmd: &Command,
    word: &Word,
) -> Option<Vec<String>> {
    if word.value.is_none()
        && let [e] = word.expansions.as_slice()
        && let ExpansionKind::Parameter { name } = &e.kind
        && (word.text == format!("${name}") || word.text == format!("${{{name}}}"))
    {
        // `for p in curl git; do apt-get install -y $p; done`: the loop's
        // values (unknown when a word of its list has an expansion).
        let k = script.commands.iter().position(|c| std::ptr::eq(c, cmd));
        if let Some(l) = k.and_then(|k| script.loop_binding(k, name)) {
            return l.literal_values();
        }
        let before = script
            .commands
            .iter()
            .take_while(|c| !std::ptr::eq(*c, cmd));
        let mut known: HashMap<&str, Option<String>> = HashMap::new();
        for c in before {
            // A bare assignment, or one before `set` or `:`, which (special
            // built-ins) keep it in the shell.
            if !(c.name.is_none() || c.name_is("set") || c.name_is(":")) {
                continue;
            }
            for a in &c.env {
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
    word_values(model, index, word)
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
