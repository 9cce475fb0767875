use plimsoll_diagnostics::{Applicability, Edit, Finding};

/// Which fixes `--fix` applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    Safe,
    /// Safe and unsafe fixes (`--unsafe-fixes`).
    Unsafe,
}

impl FixMode {
    fn allows(self, a: Applicability) -> bool {
        self == FixMode::Unsafe || a == Applicability::Safe
    }
}

/// Apply the fixes of `findings` to `text`. A fix whose edits overlap an
/// edit already taken is left for the next round (the caller re-lints and
/// calls again). Returns the new text and the number of fixes applied.
pub fn apply_fixes(text: &str, findings: &[Finding], mode: FixMode) -> (String, usize) {
    let mut fixes: Vec<&plimsoll_diagnostics::Fix> = findings
        .iter()
        .filter_map(|f| f.fix.as_ref())
        .filter(|f| mode.allows(f.applicability) && !f.edits.is_empty())
        .collect();
    fixes.sort_by_key(|f| f.edits.iter().map(|e| e.span.start).min());
    let mut taken: Vec<&Edit> = Vec::new();
    let mut applied = 0;
    for fix in fixes {
        let valid = fix.edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        });
        let overlaps = fix.edits.iter().any(|e| {
            taken.iter().any(|t| {
                (e.span.start < t.span.end && t.span.start < e.span.end)
                    || (e.span.is_empty() && e.span.start == t.span.start)
                    || (t.span.is_empty() && t.span.start == e.span.start)
            })
        });
        // Two identical fixes (the same edits) are applied once.
        let duplicate = fix.edits.iter().all(|e| {
            taken
                .iter()
                .any(|t| t.span == e.span && t.content == e.content)
        });
        if !valid || duplicate {
            continue;
        }
        if overlaps {
            continue;
        }
        taken.extend(fix.edits.iter());
        applied += 1;
    }
    taken.sort_by_key(|e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in taken {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.content);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plimsoll_diagnostics::{Fix, Severity, Span};

    fn finding(fix: Fix) -> Finding {
        Finding::new("X", Severity::Info, "m", "f").with_fix(fix)
    }

    #[test]
    fn applies_non_overlapping_and_skips_overlap_and_unsafe() {
        let text = "from a as b\n";
        let findings = vec![
            finding(Fix::safe(
                "upper",
                vec![Edit::replace(Span::new(0, 4), "FROM")],
            )),
            finding(Fix::safe("as", vec![Edit::replace(Span::new(7, 9), "AS")])),
            finding(Fix::safe(
                "overlap",
                vec![Edit::replace(Span::new(2, 6), "xx")],
            )),
            finding(Fix::unsafe_("unsafe", vec![Edit::insert(12, "x")])),
        ];
        let (out, n) = apply_fixes(text, &findings, FixMode::Safe);
        assert_eq!(out, "FROM a AS b\n");
        assert_eq!(n, 2);
        let (out, n) = apply_fixes(text, &findings, FixMode::Unsafe);
        assert_eq!(out, "FROM a AS b\nx");
        assert_eq!(n, 3);
    }

    #[test]
    fn identical_fixes_apply_once() {
        let f = Fix::safe("x", vec![Edit::replace(Span::new(0, 1), "B")]);
        let (out, n) = apply_fixes("a", &[finding(f.clone()), finding(f)], FixMode::Safe);
        assert_eq!((out.as_str(), n), ("B", 1));
    }
}
