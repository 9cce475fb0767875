//! Inline pragmas: `# plimsoll ignore=…` and hadolint's `# hadolint …`
//! forms, so existing Dockerfiles keep their suppressions.

/// Where a pragma applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PragmaKind {
    /// The next instruction.
    Ignore(Vec<String>),
    /// The rest of the stage the next instruction belongs to.
    StageIgnore(Vec<String>),
    /// The whole file.
    GlobalIgnore(Vec<String>),
    /// `# hadolint shell=powershell`: the shell RUN scripts are written in.
    Shell(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pragma {
    pub kind: PragmaKind,
    /// `plimsoll` or `hadolint`.
    pub tool: &'static str,
    /// Text after `--` (plimsoll) or a trailing `#` comment.
    pub reason: Option<String>,
}

/// Parse the text of a comment (after `#`). `None` when it is no pragma.
pub fn parse_pragma(comment: &str) -> Option<Pragma> {
    let s = comment.trim_start_matches([' ', '\t']);
    let (tool, rest) = if let Some(r) = s.strip_prefix("plimsoll") {
        ("plimsoll", r)
    } else if let Some(r) = s.strip_prefix("hadolint") {
        ("hadolint", r)
    } else {
        return None;
    };
    // The tool name must be followed by whitespace.
    let trimmed = rest.trim_start_matches([' ', '\t']);
    if trimmed.len() == rest.len() {
        return None;
    }
    let (scope, rest) = if let Some(r) = word(trimmed, "global") {
        ("global", r)
    } else if let Some(r) = word(trimmed, "stage") {
        ("stage", r)
    } else {
        ("", trimmed)
    };
    if let Some(r) = rest.strip_prefix("ignore") {
        let r = r.trim_start_matches([' ', '\t']).strip_prefix('=')?;
        let (list, reason) = split_reason(r);
        let codes: Vec<String> = list
            .split(',')
            .map(|c| c.trim_matches([' ', '\t']).to_string())
            .collect();
        if codes.is_empty()
            || codes.iter().any(|c| {
                c.is_empty() || !c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
            })
        {
            return None;
        }
        let kind = match scope {
            "global" => PragmaKind::GlobalIgnore(codes),
            "stage" => PragmaKind::StageIgnore(codes),
            _ => PragmaKind::Ignore(codes),
        };
        return Some(Pragma { kind, tool, reason });
    }
    if scope.is_empty()
        && let Some(r) = rest.strip_prefix("shell")
    {
        let r = r.trim_start_matches([' ', '\t']).strip_prefix('=')?;
        let (value, reason) = split_reason(r);
        let value = value.trim();
        if value.is_empty() || value.contains([' ', '\t']) {
            return None;
        }
        return Some(Pragma {
            kind: PragmaKind::Shell(value.to_string()),
            tool,
            reason,
        });
    }
    None
}

fn word<'s>(s: &'s str, w: &str) -> Option<&'s str> {
    let r = s.strip_prefix(w)?;
    let t = r.trim_start_matches([' ', '\t']);
    (t.len() < r.len()).then_some(t)
}

/// Split `DL3008, DL3009 -- reason` or `DL3008 # reason`.
fn split_reason(s: &str) -> (&str, Option<String>) {
    let cut = [s.find("--"), s.find('#')].into_iter().flatten().min();
    match cut {
        Some(i) => {
            let reason = s[i..].trim_start_matches(['-', '#']).trim();
            (&s[..i], (!reason.is_empty()).then(|| reason.to_string()))
        }
        None => (s, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(p: &Pragma) -> Vec<&str> {
        match &p.kind {
            PragmaKind::Ignore(c) | PragmaKind::StageIgnore(c) | PragmaKind::GlobalIgnore(c) => {
                c.iter().map(String::as_str).collect()
            }
            PragmaKind::Shell(_) => vec![],
        }
    }

    #[test]
    fn hadolint_forms() {
        let p = parse_pragma(" hadolint ignore=DL3006,SC1035 # because").unwrap();
        assert_eq!(p.tool, "hadolint");
        assert!(matches!(p.kind, PragmaKind::Ignore(_)));
        assert_eq!(codes(&p), ["DL3006", "SC1035"]);
        assert_eq!(p.reason.as_deref(), Some("because"));
        let p = parse_pragma("hadolint global ignore = DL3003 , DL3006").unwrap();
        assert!(matches!(p.kind, PragmaKind::GlobalIgnore(_)));
        assert_eq!(codes(&p), ["DL3003", "DL3006"]);
        let p = parse_pragma("hadolint stage ignore=DL3008").unwrap();
        assert!(matches!(p.kind, PragmaKind::StageIgnore(_)));
        let p = parse_pragma("hadolint shell=powershell").unwrap();
        assert_eq!(p.kind, PragmaKind::Shell("powershell".into()));
    }

    #[test]
    fn plimsoll_forms_accept_names_and_reasons() {
        let p = parse_pragma("plimsoll ignore=PL1001,StageNameCasing -- legacy image").unwrap();
        assert_eq!(p.tool, "plimsoll");
        assert_eq!(codes(&p), ["PL1001", "StageNameCasing"]);
        assert_eq!(p.reason.as_deref(), Some("legacy image"));
    }

    #[test]
    fn not_pragmas() {
        for c in [
            "hadolintignore=DL3008",
            "hadolint ignore=",
            "hadolint ignore DL3008",
            "install hadolint ignore=DL3008",
            "hadolint ignore=DL3008 DL3009",
            "hadolint shell=",
            "just a comment",
        ] {
            assert_eq!(parse_pragma(c), None, "{c}");
        }
    }
}
