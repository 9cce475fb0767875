//! Helpers shared by the rules of this family.

use crate::Checker;
use plimsoll_diagnostics::Span;
use plimsoll_syntax::{Instruction, Keyword, Word};

/// An instruction a rule looks at: a top-level one, or the trigger inside
/// an `ONBUILD` (`onbuild` set), with the index of the top-level
/// instruction that holds it.
#[derive(Clone, Copy)]
pub(crate) struct Target<'a> {
    pub index: usize,
    pub ins: &'a Instruction,
    pub onbuild: bool,
}

/// Every instruction of `keyword`, top-level ones and, when
/// `with_onbuild`, `ONBUILD` triggers too, in source order.
pub(crate) fn targets<'a>(
    cx: &Checker<'a>,
    keyword: Keyword,
    with_onbuild: bool,
) -> Vec<Target<'a>> {
    let mut out = Vec::new();
    for (index, ins) in cx.instructions() {
        if ins.keyword == keyword {
            out.push(Target {
                index,
                ins,
                onbuild: false,
            });
        } else if with_onbuild
            && ins.keyword == Keyword::Onbuild
            && let Some(inner) = ins.onbuild.as_deref()
            && inner.keyword == keyword
        {
            out.push(Target {
                index,
                ins: inner,
                onbuild: true,
            });
        }
    }
    out
}

impl Target<'_> {
    /// The value of a word with its variables expanded; `None` when a
    /// variable is unknown. An `ONBUILD` trigger runs in another build
    /// whose variables we do not know, so there only words without any
    /// variable resolve.
    pub fn resolve(&self, cx: &Checker<'_>, word: &str) -> Option<String> {
        if self.onbuild && has_variables(cx, word) {
            return None;
        }
        cx.model.resolve(self.index, word)
    }

    /// Like [`Target::resolve`], split into words as BuildKit does for
    /// EXPOSE.
    pub fn resolve_words(&self, cx: &Checker<'_>, word: &str) -> Option<Vec<String>> {
        if self.onbuild && has_variables(cx, word) {
            return None;
        }
        cx.model.resolve_words(self.index, word)
    }

    /// The word expanded with unknown variables as empty, or `None` when
    /// the word cannot be expanded at all.
    pub fn expand_partially(&self, cx: &Checker<'_>, word: &str) -> Option<String> {
        cx.model.expand(self.index, word).ok().map(|e| e.value)
    }
}

pub(crate) fn has_variables(cx: &Checker<'_>, word: &str) -> bool {
    !plimsoll_expand::variable_references(word, cx.dockerfile.escape).is_empty()
}

/// True when the word starts with a variable reference (after an opening
/// double quote): its value decides whether the path is absolute.
pub(super) fn starts_with_variable(cx: &Checker<'_>, word: &str) -> bool {
    let refs = plimsoll_expand::variable_references(word, cx.dockerfile.escape);
    let lead = usize::from(word.starts_with('"'));
    refs.first().is_some_and(|r| r.span.start == lead)
}

/// True when the word ends with a variable reference (before a closing
/// double quote).
pub(super) fn ends_with_variable(cx: &Checker<'_>, word: &str) -> bool {
    let refs = plimsoll_expand::variable_references(word, cx.dockerfile.escape);
    let end = word.len() - usize::from(word.len() > 1 && word.ends_with('"'));
    refs.iter().any(|r| r.span.end == end)
}

/// An absolute path: `/x`, or on Windows `C:\x`, `C:/x` or `\x`.
pub(super) fn is_absolute(path: &str) -> bool {
    let mut chars = path.chars();
    match (chars.next(), chars.next()) {
        (Some('/' | '\\'), _) => true,
        (Some(drive), Some(':')) => drive.is_ascii_alphabetic(),
        _ => false,
    }
}

/// The source span of a word when its text in the source is exactly its
/// value (no continuation inside): then a byte offset into the value is
/// the same offset into the source.
pub(super) fn literal_span(cx: &Checker<'_>, word: &Word) -> Option<Span> {
    (cx.slice(word.span) == word.value).then_some(word.span)
}

/// A keyword spelled in the case style of `like` (`add` → `copy`,
/// `Add` → `Copy`, `ADD` → `COPY`).
pub(super) fn keyword_like(like: &str, keyword: &str) -> String {
    if like.chars().all(|c| !c.is_ascii_uppercase()) {
        keyword.to_ascii_lowercase()
    } else if like.chars().all(|c| !c.is_ascii_lowercase()) {
        keyword.to_ascii_uppercase()
    } else {
        let mut out = String::new();
        for (i, c) in keyword.chars().enumerate() {
            if i == 0 {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c.to_ascii_lowercase());
            }
        }
        out
    }
}

/// Report every instruction of `keyword` after the first in the same stage
/// (hadolint's DL3012, DL4003, DL4004; BuildKit's
/// MultipleInstructionsDisallowed): only the last one takes effect.
pub(super) fn report_repeated(cx: &mut Checker<'_>, keyword: Keyword, message: &str) {
    let mut seen: Vec<Option<usize>> = Vec::new();
    let repeated: Vec<Span> = cx
        .instructions_of(keyword)
        .filter_map(|(i, ins)| {
            let stage = cx.model.context(i).stage;
            if seen.contains(&stage) {
                Some(ins.keyword_span)
            } else {
                seen.push(stage);
                None
            }
        })
        .collect();
    for span in repeated {
        cx.report(span, message);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_paths() {
        assert!(is_absolute("/usr/local"));
        assert!(is_absolute("C:\\app"));
        assert!(is_absolute("c:/app"));
        assert!(is_absolute("\\app"));
        assert!(!is_absolute("app"));
        assert!(!is_absolute("./app"));
        assert!(!is_absolute(""));
        assert!(!is_absolute("1:x"));
        assert!(!is_absolute("é:x"));
    }

    #[test]
    fn keyword_case_follows_the_original() {
        assert_eq!(keyword_like("ADD", "COPY"), "COPY");
        assert_eq!(keyword_like("add", "COPY"), "copy");
        assert_eq!(keyword_like("Add", "COPY"), "Copy");
    }
}
