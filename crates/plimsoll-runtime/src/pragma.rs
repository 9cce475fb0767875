//! Pragmas in YAML comments, in the forms Dockerfiles use
//! (`plimsoll_rules::parse_pragma`):
//!
//! - `# plimsoll ignore=PL4001` (or `# hadolint ignore=…`) on its own line
//!   covers the entry that starts on the next line with content, and
//!   everything under it: before a service's name it covers the whole
//!   service; before `privileged: true` just that key;
//! - the same comment at the end of a line covers the entry that starts on
//!   that line;
//! - `# plimsoll global ignore=…` anywhere covers the whole file.
//!
//! `stage ignore=` is read as `ignore=`: YAML has no stages.

use crate::source::Source;
use plimsoll_diagnostics::{Finding, LineIndex, Span};
use plimsoll_rules::{PragmaKind, parse_pragma};

/// Drop the findings of `file` that its pragmas suppress.
pub(crate) fn apply(source: &Source, findings: &mut Vec<Finding>) {
    if findings.is_empty() || source.comments.is_empty() {
        return;
    }
    let text = &*source.text;
    let index = LineIndex::new(text);
    let mut global: Vec<String> = Vec::new();
    let mut scoped: Vec<(Span, Vec<String>)> = Vec::new();
    for c in &source.comments {
        let Some(p) = parse_pragma(&c.text) else {
            continue;
        };
        let codes = match p.kind {
            PragmaKind::GlobalIgnore(codes) => {
                global.extend(codes);
                continue;
            }
            PragmaKind::Ignore(codes) | PragmaKind::StageIgnore(codes) => codes,
            PragmaKind::Shell(_) => continue,
        };
        let line = index.line_of(c.span.start);
        let line_start = index.line_start(line).unwrap_or(0);
        let trailing = !text[line_start..c.span.start].trim().is_empty();
        let target = if trailing {
            Some(line)
        } else {
            next_content_line(text, &index, line)
        };
        let Some(target) = target else { continue };
        scoped.push((region(source, &index, target), codes));
    }
    let matches = |codes: &[String], code: &str| codes.iter().any(|c| c.eq_ignore_ascii_case(code));
    findings.retain(|f| {
        if matches(&global, &f.code) {
            return false;
        }
        let Some(span) = f.span else { return true };
        !scoped.iter().any(|(r, codes)| {
            r.start <= span.start && span.start <= r.end && matches(codes, &f.code)
        })
    });
}

/// The first line after `line` that holds something other than blanks
/// and comments.
fn next_content_line(text: &str, index: &LineIndex, line: usize) -> Option<usize> {
    (line + 1..=index.line_count()).find(|&l| {
        let t = index.line_text(text, l).trim();
        !t.is_empty() && !t.starts_with('#')
    })
}

/// The outermost entry starting on `line`, or the line itself.
fn region(source: &Source, index: &LineIndex, line: usize) -> Span {
    let start = index.line_start(line).unwrap_or(0);
    let end = index
        .line_start(line + 1)
        .unwrap_or(source.text.len())
        .max(start);
    let first = source.extents.partition_point(|s| s.start < start);
    source.extents[first..]
        .iter()
        .take_while(|s| s.start < end)
        .copied()
        .reduce(|a, b| {
            if b.start < a.start || (b.start == a.start && b.end > a.end) {
                b
            } else {
                a
            }
        })
        .map_or(Span::new(start, end), |s| s.cover(Span::new(start, start)))
}
