//! Which rules run, and at what severity.

use crate::settings::Settings;
use crate::values::SeverityOverride;
use plimsoll_diagnostics::Severity;
use std::path::{Component, Path, PathBuf};

/// Decides, from resolved [`Settings`], whether a rule is enabled and what
/// severity it reports at.
///
/// Entries of `select`, `extend-select`, `ignore`, `[severity]` and
/// `[per-file-ignores]` match a rule
/// - by its code exactly (`DL3008`) or one of its aliases exactly and
///   case-sensitively (`StageNameCasing`);
/// - by a prefix of its code (`DL`, `DL30`, `PL1`), for codes made of
///   capital letters then digits; a prefix selects only rules that are
///   enabled by default;
/// - by `ALL`, which matches every rule, off-by-default ones included.
///
/// Between `select`/`extend-select` and `ignore`, the most specific
/// matching entry wins (exact > longer prefix > shorter prefix > `ALL`),
/// and `ignore` wins a tie, as in Ruff. A rule whose most specific
/// `[severity]` entry is `off` is disabled; per-file ignores always win.
#[derive(Debug, Clone, Default)]
pub struct RuleSelector {
    select: Option<Vec<String>>,
    extend_select: Vec<String>,
    ignore: Vec<String>,
    severity: Vec<(String, SeverityOverride)>,
    per_file: Vec<CompiledPerFile>,
    file_ignores: Vec<String>,
}

#[derive(Debug, Clone)]
struct CompiledPerFile {
    matcher: globset::GlobMatcher,
    name_only: bool,
    base: Option<PathBuf>,
    codes: Vec<String>,
}

/// Specificity of an exact code match, and of an exact alias match.
const EXACT_CODE: usize = usize::MAX;
const EXACT_ALIAS: usize = usize::MAX - 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Match {
    specificity: usize,
    /// Exact or `ALL`: may enable a rule that is off by default.
    explicit: bool,
}

/// `DL3008`, `PL1001`, `SC2086`: capital letters, then digits.
fn is_code_like(s: &str) -> bool {
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    letters > 0 && letters < s.len() && s.bytes().skip(letters).all(|b| b.is_ascii_digit())
}

/// `DL`, `DL30`: capital letters, then possibly digits.
fn is_prefix_like(s: &str) -> bool {
    let letters = s.bytes().take_while(u8::is_ascii_uppercase).count();
    letters > 0 && s.bytes().skip(letters).all(|b| b.is_ascii_digit())
}

fn match_entry(entry: &str, code: &str, aliases: &[&str]) -> Option<Match> {
    if entry == "ALL" {
        return Some(Match {
            specificity: 0,
            explicit: true,
        });
    }
    if entry == code {
        return Some(Match {
            specificity: EXACT_CODE,
            explicit: true,
        });
    }
    if aliases.contains(&entry) {
        return Some(Match {
            specificity: EXACT_ALIAS,
            explicit: true,
        });
    }
    if is_code_like(code) && is_prefix_like(entry) && code.starts_with(entry) {
        return Some(Match {
            specificity: entry.len(),
            explicit: false,
        });
    }
    None
}

fn best<'a>(
    entries: impl IntoIterator<Item = &'a String>,
    code: &str,
    aliases: &[&str],
    enabled_by_default: Option<bool>,
) -> Option<Match> {
    entries
        .into_iter()
        .filter_map(|e| match_entry(e, code, aliases))
        .filter(|m| enabled_by_default.is_none_or(|d| d || m.explicit))
        .max_by_key(|m| m.specificity)
}

impl RuleSelector {
    pub fn new(settings: &Settings) -> RuleSelector {
        RuleSelector {
            select: settings.select.clone(),
            extend_select: settings.extend_select.clone().unwrap_or_default(),
            ignore: settings.ignore.clone().unwrap_or_default(),
            severity: settings
                .severity
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            per_file: settings
                .per_file_ignores
                .iter()
                .map(|p| CompiledPerFile {
                    matcher: p.glob.compile_matcher(),
                    name_only: !p.pattern.contains('/'),
                    base: p.base.clone(),
                    codes: p.codes.clone(),
                })
                .collect(),
            file_ignores: Vec::new(),
        }
    }

    /// This selector with the `[per-file-ignores]` that match `path` in
    /// force.
    pub fn for_path(&self, path: &Path) -> RuleSelector {
        let mut out = self.clone();
        out.file_ignores = self
            .per_file
            .iter()
            .filter(|p| p.matches(path))
            .flat_map(|p| p.codes.iter().cloned())
            .collect();
        out
    }

    /// The per-file ignores in force (after [`RuleSelector::for_path`]).
    pub fn file_ignores(&self) -> &[String] {
        &self.file_ignores
    }

    /// Whether the rule runs. `aliases` are its other names (BuildKit check
    /// names); `enabled_by_default` is the rule's own default.
    pub fn is_enabled(&self, code: &str, aliases: &[&str], enabled_by_default: bool) -> bool {
        if best(&self.file_ignores, code, aliases, None).is_some() {
            return false;
        }
        if self.override_for(code, aliases) == Some(SeverityOverride::Off) {
            return false;
        }
        let implicit = match &self.select {
            None if enabled_by_default => Some(Match {
                specificity: 0,
                explicit: false,
            }),
            None => None,
            Some(list) => best(list, code, aliases, Some(enabled_by_default)),
        };
        let extended = best(&self.extend_select, code, aliases, Some(enabled_by_default));
        let selected = implicit
            .into_iter()
            .chain(extended)
            .max_by_key(|m| m.specificity);
        let ignored = best(&self.ignore, code, aliases, None);
        match (selected, ignored) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s.specificity > i.specificity,
        }
    }

    /// The severity the rule reports at: the most specific `[severity]`
    /// entry's, else `default`; `None` when that entry is `off`.
    pub fn severity(&self, code: &str, aliases: &[&str], default: Severity) -> Option<Severity> {
        match self.override_for(code, aliases) {
            Some(SeverityOverride::Off) => None,
            Some(SeverityOverride::Severity(s)) => Some(s),
            None => Some(default),
        }
    }

    /// [`RuleSelector::is_enabled`] and [`RuleSelector::severity`] in one:
    /// `None` when the rule does not run.
    pub fn effective_severity(
        &self,
        code: &str,
        aliases: &[&str],
        enabled_by_default: bool,
        default: Severity,
    ) -> Option<Severity> {
        if self.is_enabled(code, aliases, enabled_by_default) {
            self.severity(code, aliases, default)
        } else {
            None
        }
    }

    fn override_for(&self, code: &str, aliases: &[&str]) -> Option<SeverityOverride> {
        self.severity
            .iter()
            .filter_map(|(entry, sev)| match_entry(entry, code, aliases).map(|m| (m, *sev)))
            .max_by_key(|(m, _)| m.specificity)
            .map(|(_, sev)| sev)
    }
}

/// `path` without `.` components.
fn normalize(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect()
}

impl CompiledPerFile {
    fn matches(&self, path: &Path) -> bool {
        glob_matches(&self.matcher, self.name_only, self.base.as_deref(), path)
    }
}

/// A `[per-file-ignores]`/`[[context]]` glob against a file's path:
/// relative to `base` when there is one, and (`name_only`, for a pattern
/// without `/`) against the bare file name.
pub(crate) fn glob_matches(
    matcher: &globset::GlobMatcher,
    name_only: bool,
    base: Option<&Path>,
    path: &Path,
) -> bool {
    match base {
        Some(base) => {
            if let Ok(abs) = std::path::absolute(path)
                && let Ok(rel) = abs.strip_prefix(base)
                && matcher.is_match(normalize(rel))
            {
                return true;
            }
        }
        None => {
            if matcher.is_match(normalize(path)) {
                return true;
            }
        }
    }
    name_only
        && path
            .file_name()
            .is_some_and(|name| matcher.is_match(Path::new(name)))
}
